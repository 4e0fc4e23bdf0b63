"""Every write to a campaign's plan: the campaign, its phases, tasks with their units, and
targets, validated and written with audit events in one transaction. Fan-out, figures and
submissions have their own service modules (services_fanout, services_targets,
services_submissions)."""

import datetime
import decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fireledger.core import audit
from fireledger.core.models import Department

from .choices import PhaseKind, TaskRole
from .models import Campaign, Phase, Target, Task, TaskUnit

# The words that name a phase's kind in the seeds' step headings, first match wins.
PHASE_WORDS = (
    (PhaseKind.MOBILISE, ("动员", "部署", "宣传发动")),
    (PhaseKind.CONSOLIDATE, ("巩固", "总结", "验收", "提升")),
    (PhaseKind.TACKLE, ("攻坚", "集中整治", "持续整治", "督导", "组织实施")),
    (PhaseKind.SWEEP, ("排查", "自查", "摸底", "整治")),
)
CAMPAIGN_FIELDS = frozenset({"name", "kind", "issuer", "doc_number", "issued_on", "starts_on",
                             "ends_on", "jurisdiction", "place_categories", "source_text"})


def phase_kind(name: str) -> str:
    """动员部署 → mobilisation, 全面排查 → sweep, 集中攻坚 → tackling, 巩固提升 → consolidation."""
    for kind, words in PHASE_WORDS:
        if any(word in name for word in words):
            return kind
    return PhaseKind.OTHER


def may_change(actor, jurisdiction) -> bool:
    """A campaign is written by the district office of its jurisdiction (or above)."""
    from fireledger.core.choices import Role
    from fireledger.core.scope import assignments

    if getattr(actor, "is_superuser", False):
        return True
    return any(a.role == Role.DISTRICT_OFFICE and jurisdiction.code.startswith(a.jurisdiction.prefix)
               for a in assignments(actor))


def _check_dates(starts_on, ends_on, field="ends_on") -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({field: _("The end date cannot be before the start date.")},
                              code="invalid_dates")


def _departments() -> dict[str, Department]:
    return {d.code: d for d in Department.objects.all()}


def _units(task: Task, units: list[dict], departments: dict) -> list[TaskUnit]:
    """Task units from {"role", "text", "code"}: code "streets" means every street office."""
    rows = []
    for n, unit in enumerate(units):
        role, text, code = unit["role"], unit["text"].strip(), unit.get("code")
        if role not in TaskRole.values:
            raise ValueError(f"unknown role {role!r}")
        if not text:
            continue
        rows.append(TaskUnit(task=task, role=role, text=text[:100], sort_order=n,
                             streets=code == "streets",
                             department=departments.get(code) if code else None))
    return rows


def _target(campaign: Campaign, task, data: dict, n: int, row: str) -> Target:
    from .metrics import REGISTRY

    def problem(field, message):
        return ValidationError({field: f"{row}: {message}"}, code="invalid")

    if data.get("metric") not in REGISTRY:
        raise problem("metric", gettext("choose a metric for “%(text)s”.") % {"text": data["text"]})
    try:
        threshold = decimal.Decimal(str(data.get("threshold")))
    except (decimal.InvalidOperation, TypeError):
        raise problem("threshold", gettext("“%(value)s” is not a number.") % {
            "value": data.get("threshold")}) from None
    if threshold < 0 or (data.get("unit") == "%" and threshold > 100):
        raise problem("threshold", gettext("“%(value)s” is outside 0–100 %%.") % {"value": threshold})
    if not isinstance(data.get("due_on"), datetime.date):
        raise problem("due_on", gettext("give the date of “%(text)s”.") % {"text": data["text"]})
    return Target(campaign=campaign, task=task, text=data["text"][:300], metric=data["metric"],
                  threshold=threshold, unit=data.get("unit", "")[:10], due_on=data["due_on"],
                  place_categories=data.get("place_categories", []), sort_order=n)


@transaction.atomic
def create_campaign(actor, *, phases=(), tasks=(), targets=(), **data) -> Campaign:
    """A campaign with its phases, tasks (each with units and its own targets) and
    campaign-wide targets, all or nothing; problems name the row and field.

    phases: [{"name", "starts_on", "ends_on", "kind"?}]
    tasks: [{"number", "title", "content"?, "problems"?, "requirements"?,
             "responsible_text"?, "due_text"?, "due_on"?,
             "units": [{"role", "text", "code"}], "targets": [target…]}]
    targets: [{"text", "metric", "threshold", "unit", "due_on"}]
    """
    unknown = set(data) - CAMPAIGN_FIELDS
    if unknown:
        raise TypeError(f"create_campaign does not take {', '.join(sorted(unknown))}")
    jurisdiction = data.get("jurisdiction")
    if jurisdiction is None:
        raise ValidationError({"jurisdiction": _("Choose the jurisdiction.")}, code="required")
    if not may_change(actor, jurisdiction):
        raise PermissionDenied("campaigns are written by the district office")
    _check_dates(data.get("starts_on"), data.get("ends_on"))
    campaign = Campaign(created_by=actor, jurisdiction_code=jurisdiction.code, **data)
    campaign.full_clean()
    campaign.save()
    audit.record_create(actor, campaign, note="plan" if data.get("source_text") else "")
    for n, phase in enumerate(phases):
        row = gettext("Phase %(n)d") % {"n": n + 1}
        try:
            _check_dates(phase.get("starts_on"), phase.get("ends_on"))
        except ValidationError as error:
            raise ValidationError({"phases": f"{row}: {' '.join(error.messages)}"}) from None
        obj = Phase(campaign=campaign, name=phase["name"][:100], sort_order=n,
                    kind=phase.get("kind") or phase_kind(phase["name"]),
                    starts_on=phase.get("starts_on"), ends_on=phase.get("ends_on"))
        obj.full_clean()
        obj.save()
        audit.record_create(actor, obj)
    departments = _departments()
    order = 0
    for n, spec in enumerate(tasks):
        row = gettext("Task %(number)s") % {"number": spec.get("number") or n + 1}
        if not spec.get("title", "").strip():
            raise ValidationError({"tasks": f"{row}: " + gettext("the task needs a title.")})
        task = Task(campaign=campaign, sort_order=n, number=spec.get("number", "")[:30],
                    title=spec["title"].strip()[:300],
                    **{k: spec.get(k) or "" for k in ("content", "problems", "requirements",
                                                      "responsible_text")},
                    due_text=(spec.get("due_text") or "")[:200], due_on=spec.get("due_on"))
        task.full_clean()
        task.save()
        audit.record_create(actor, task)
        TaskUnit.objects.bulk_create(_units(task, spec.get("units", []), departments))
        for target in spec.get("targets", []):
            _save_target(actor, _target(campaign, task, target, order, row))
            order += 1
    for target in targets:
        _save_target(actor, _target(campaign, None, target, order,
                                    gettext("Target %(n)d") % {"n": order + 1}))
        order += 1
    return campaign


def _save_target(actor, target: Target) -> None:
    target.full_clean()
    target.save()
    audit.record_create(actor, target)


@transaction.atomic
def change_campaign(actor, campaign: Campaign, **data) -> Campaign:
    unknown = set(data) - (CAMPAIGN_FIELDS - {"jurisdiction", "source_text"})
    if unknown:
        raise TypeError(f"change_campaign does not take {', '.join(sorted(unknown))}")
    current = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not may_change(actor, current.jurisdiction):
        raise PermissionDenied("campaigns are written by the district office")
    before = audit.snapshot(current)
    for field, value in data.items():
        setattr(current, field, value)
    _check_dates(current.starts_on, current.ends_on)
    current.full_clean()
    current.save()
    audit.record_change(actor, current, before)
    return current
