"""Every write of targets and manual figures: validated, saved and audited in one transaction.

Who may do what:
- add or change a target: the campaign's change scope (`Campaign.objects.visible_to(actor,
  "change")`: the district office of the campaign's jurisdiction, or a superuser);
- enter a manual figure (`figure_choices`): with the campaign's change scope, for the whole
  campaign, any street in it or any department; a street officer, for their own street when
  it lies in the campaign's jurisdiction; a department officer, for their own department when
  their jurisdiction contains the campaign's. Nobody else.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fireledger.core import audit
from fireledger.core.files import image_format
from fireledger.core.choices import Level, Role
from fireledger.core.scope import assignments

from . import metrics
from .models import Campaign, ManualFigure, Target

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
TARGET_FIELDS = frozenset({"text", "metric", "threshold", "unit", "due_on", "place_categories",
                           "task", "sort_order"})

M_EVIDENCE_REQUIRED = _("Evidence: attach the document that proves the figure (PDF, JPEG, PNG, "
                        "Word .docx or Excel .xlsx).")
M_EVIDENCE_TOO_LARGE = _("Evidence: “%(name)s” is larger than %(mb)d MB.")
M_EVIDENCE_EMPTY = _("Evidence: “%(name)s” is empty.")
M_EVIDENCE_TYPE = _("Evidence: “%(name)s” is not a PDF, JPEG, PNG, Word (.docx) or Excel (.xlsx) "
                    "file.")


# ------------------------------------------------------------------------------------------
# Permissions
# ------------------------------------------------------------------------------------------


def may_change_campaign(actor, campaign: Campaign) -> bool:
    return Campaign.objects.visible_to(actor, "change").filter(pk=campaign.pk).exists()


@dataclass
class FigureChoices:
    """Where `actor` may enter a figure for a target: the whole campaign, streets,
    departments."""

    overall: bool = False
    streets: list = field(default_factory=list)
    departments: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.overall or self.streets or self.departments)


def figure_choices(actor, target: Target) -> FigureChoices:
    from fireledger.core.models import Department, Jurisdiction

    campaign = target.campaign
    prefix = campaign.jurisdiction.prefix
    if may_change_campaign(actor, campaign):
        return FigureChoices(
            overall=True,
            streets=list(Jurisdiction.objects.under(prefix).filter(level=Level.STREET)
                         .order_by("code")),
            departments=list(Department.objects.all()))
    choices = FigureChoices()
    for a in assignments(actor):
        if a.role == Role.STREET_OFFICER and a.jurisdiction.level == Level.STREET \
                and a.jurisdiction.code.startswith(prefix) \
                and a.jurisdiction not in choices.streets:
            choices.streets.append(a.jurisdiction)
        elif a.role == Role.DEPARTMENT_OFFICER and a.department_id \
                and campaign.jurisdiction_code.startswith(a.jurisdiction.prefix) \
                and all(d.pk != a.department_id for d in choices.departments):
            choices.departments.append(a.department)
    return choices


def may_enter_figure(actor, target: Target, *, jurisdiction=None, department=None,
                     choices: FigureChoices | None = None) -> bool:
    choices = choices if choices is not None else figure_choices(actor, target)
    if jurisdiction is not None:
        return any(s.pk == jurisdiction.pk for s in choices.streets)
    if department is not None:
        return any(d.pk == department.pk for d in choices.departments)
    return choices.overall


# ------------------------------------------------------------------------------------------
# Targets
# ------------------------------------------------------------------------------------------


def _decimal(value, field_name: str) -> Decimal:
    try:
        number = Decimal(str(value))
        if not number.is_finite():
            raise ValueError
        return number
    except (InvalidOperation, ValueError, TypeError):
        message = (_("Threshold: enter a number.") if field_name == "threshold"
                   else _("Figure: enter a number."))
        raise ValidationError({field_name: ValidationError(message, code="invalid")}) from None


def _validate_target(target: Target) -> None:
    from fireledger.places.choices import Category

    errors: dict[str, list] = {}

    def add(name, message, code, **params):
        errors.setdefault(name, []).append(ValidationError(message, code=code,
                                                           params=params or None))

    if not (target.text or "").strip():
        add("text", _("Target: write the target as the plan words it."), "required")
    metric = metrics.REGISTRY.get(target.metric)
    if metric is None:
        add("metric", _("Metric: choose one of the listed metrics."), "invalid")
    elif metric.key != metrics.MANUAL:
        target.unit = metrics.PERCENT if metric.is_percent else (target.unit or "")
    target.threshold = _decimal(target.threshold, "threshold")
    if target.threshold < 0:
        add("threshold", _("Threshold: it cannot be negative."), "min_value")
    elif metric is not None and metrics.unit_of(target) == metrics.PERCENT \
            and target.threshold > 100:
        add("threshold", _("Threshold: a percentage cannot exceed 100."), "max_value")
    if target.due_on is None:
        add("due_on", _("Due date: give the date the target is due."), "required")
    elif target.due_on < target.campaign.starts_on:
        add("due_on", _("Due date: it cannot be before the campaign starts (%(start)s)."),
            "before_start", start=target.campaign.starts_on.isoformat())
    if not isinstance(target.place_categories, list):
        add("place_categories", _("Place categories: give a list of categories."), "invalid")
    else:
        for code in target.place_categories:
            if code not in Category.values:
                add("place_categories", _("Place categories: “%(value)s” is not a category."),
                    "invalid_choice", value=str(code))
    if target.task_id is not None and target.task.campaign_id != target.campaign_id:
        add("task", _("Task: the task belongs to another campaign."), "invalid")
    if errors:
        raise ValidationError(errors)
    target.full_clean(exclude=["campaign", "task"])


def _check_target_fields(fields: dict, what: str) -> None:
    unknown = set(fields) - TARGET_FIELDS
    if unknown:
        raise TypeError(f"{what} does not take {', '.join(sorted(unknown))}")


@transaction.atomic
def add_target(actor, campaign: Campaign, **fields) -> Target:
    """A new target of the campaign: text, metric (a key of metrics.REGISTRY), threshold,
    due_on, and optionally unit (a manual figure's: "%" or a count's word), place_categories,
    task, sort_order."""
    _check_target_fields(fields, "add_target")
    if not may_change_campaign(actor, campaign):
        raise PermissionDenied("change not permitted on this campaign")
    fields.setdefault("place_categories", [])
    target = Target(campaign=campaign, **fields)
    _validate_target(target)
    target.save()
    audit.record_create(actor, target)
    return target


@transaction.atomic
def change_target(actor, target: Target, **fields) -> Target:
    """Change the named fields of a target (the same fields and rules as add_target)."""
    _check_target_fields(fields, "change_target")
    current = Target.objects.select_for_update().select_related("campaign").get(pk=target.pk)
    if not may_change_campaign(actor, current.campaign):
        raise PermissionDenied("change not permitted on this campaign")
    before = audit.snapshot(current)
    for name, value in fields.items():
        setattr(current, name, value)
    _validate_target(current)
    current.save()
    audit.record_change(actor, current, before)
    target.refresh_from_db()
    return target


# ------------------------------------------------------------------------------------------
# Manual figures
# ------------------------------------------------------------------------------------------


def evidence_kind(upload) -> str | None:
    """"pdf", "jpeg", "png", "docx" or "xlsx" by the file's content (not its name), or None."""
    handle = getattr(upload, "file", upload)
    handle.seek(0)
    head = handle.read(16)
    handle.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n"):
            return {"JPEG": "jpeg", "PNG": "png"}.get(image_format(handle))
        if head.startswith(b"PK\x03\x04"):
            try:
                with zipfile.ZipFile(handle) as archive:
                    names = set(archive.namelist())
            except (zipfile.BadZipFile, OSError, EOFError):
                return None
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
        return None
    finally:
        handle.seek(0)


def check_evidence(upload) -> str:
    """The evidence's kind; a ValidationError on `evidence` (in Chinese, naming the field) when
    it is missing, empty, over 10 MB or not a PDF, JPEG, PNG, .docx or .xlsx by its content."""
    if upload is None:
        raise ValidationError({"evidence": ValidationError(M_EVIDENCE_REQUIRED,
                                                           code="required")})
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    if not size:
        raise ValidationError({"evidence": ValidationError(M_EVIDENCE_EMPTY, code="empty",
                                                           params={"name": name})})
    if size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"evidence": ValidationError(
            M_EVIDENCE_TOO_LARGE, code="too_large",
            params={"name": name, "mb": EVIDENCE_MAX_BYTES // (1024 * 1024)})})
    kind = evidence_kind(upload)
    if kind is None:
        raise ValidationError({"evidence": ValidationError(M_EVIDENCE_TYPE, code="invalid_type",
                                                           params={"name": name})})
    return kind


def check_figure(target: Target, *, value, on, evidence, note: str = ""):
    """(the value as a Decimal, the evidence's kind), or a ValidationError naming every field
    that is wrong: value (a number, not negative, at most 100 for a percent), on (given, not in
    the future), note (at most 200 characters), evidence (check_evidence)."""
    errors: dict[str, list] = {}
    if value is None or value == "":
        errors["value"] = [ValidationError(_("Figure: fill it in."), code="required")]
    else:
        try:
            value = _decimal(value, "value")
        except ValidationError as error:
            errors.update(error.error_dict)
        else:
            if value < 0:
                errors["value"] = [ValidationError(_("Figure: it cannot be negative."),
                                                   code="min_value")]
            elif metrics.unit_of(target) == metrics.PERCENT and value > 100:
                errors["value"] = [ValidationError(_("Figure: a percentage cannot exceed 100."),
                                                   code="max_value")]
    if on is None:
        errors["on"] = [ValidationError(_("As of: give the date of the figure."),
                                        code="required")]
    elif on > timezone.localdate():
        errors["on"] = [ValidationError(_("As of: the date cannot be in the future."),
                                        code="future_date")]
    if len(note or "") > 200:
        errors["note"] = [ValidationError(_("Note: keep it to %(max)d characters."),
                                          code="max_length", params={"max": 200})]
    kind = None
    try:
        kind = check_evidence(evidence)
    except ValidationError as error:
        errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    return value, kind


@transaction.atomic
def enter_figure(actor, target: Target, *, value, on, jurisdiction=None, department=None,
                 evidence=None, note: str = "") -> ManualFigure:
    """A figure entered by hand for a "manual" target, as of `on`, for a street
    (`jurisdiction`), a department, or the whole campaign (neither), with its evidence."""
    target = Target.objects.select_related("campaign__jurisdiction").get(pk=target.pk)
    if target.metric != metrics.MANUAL:
        raise ValidationError(_("Figures are entered by hand only for targets measured by "
                                "figures entered by hand."), code="not_manual")
    if jurisdiction is not None and department is not None:
        raise ValidationError({"jurisdiction": ValidationError(
            _("For: a figure is for a street, a department or the whole campaign, not a street "
              "and a department."), code="invalid")})
    if jurisdiction is not None and (
            jurisdiction.level != Level.STREET
            or not jurisdiction.code.startswith(target.campaign.jurisdiction.prefix)):
        raise ValidationError({"jurisdiction": ValidationError(
            _("For: choose a street within the campaign's jurisdiction."), code="invalid")})
    if not may_enter_figure(actor, target, jurisdiction=jurisdiction, department=department):
        raise PermissionDenied("entering this figure is not permitted")
    value, kind = check_figure(target, value=value, on=on, evidence=evidence, note=note)
    figure = ManualFigure(target=target, jurisdiction=jurisdiction, department=department,
                          value=value, on=on, note=note or "", entered_by=actor)
    figure.full_clean(exclude=["evidence", "entered_by"])
    figure.evidence.save(f"evidence.{kind}", evidence, save=False)
    figure.save()
    audit.record_create(actor, figure, note=f"evidence: {kind}")
    return figure
