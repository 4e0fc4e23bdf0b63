"""Major-hazard determination (重大火灾隐患判定): propose with the GB 35181 engine, then the
district office decides. Every write validates, writes and records its audit event in one
transaction; the statuses follow TRANSITIONS and nothing else sets them.

The engine (gb35181.py) only proposes. The decision is the district office's, after the
collective discussion (集体讨论, at least 3 people) or expert panel (专家论证, at least 7 experts,
at least 2/3 agreeing) of GB 35181-2017 ch. 4 (standards-cn.md §1.2 [V]).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fireledger.core import audit
from fireledger.core.files import image_format
from fireledger.places.choices import Category

from . import gb35181, lifecycle
from .models import Determination, DeterminationRuleSet, Hazard
from .services import is_district_office_for, may_change_hazard

Status = Determination.Status
Basis = Determination.Basis

CONFIRM = "confirm"
REJECT = "reject"
WITHDRAW = "withdraw"
# action → {from status: to status}: the whole of what may happen to a determination.
TRANSITIONS: dict[str, dict[str, str]] = {
    CONFIRM: {Status.PROPOSED: Status.CONFIRMED},
    REJECT: {Status.PROPOSED: Status.REJECTED},
    WITHDRAW: {Status.PROPOSED: Status.WITHDRAWN},
}
MAJOR_OUTCOMES = frozenset({"direct", "comprehensive"})

# GB 35181-2017 ch. 4 (standards-cn.md §1.2 [V]): at least 3 at a collective discussion; an
# expert panel of at least 7 whose conclusion needs at least 2/3 of them.
MIN_PARTICIPANTS = {Basis.COLLECTIVE_DISCUSSION: 3, Basis.EXPERT_PANEL: 7}
MINUTES_MAX_BYTES = 20 * 1024 * 1024
MINUTES_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}

# Our own first guess at the 2017 place class of each ledger category, not from the standard:
# the officer sees it pre-ticked and corrects it on the assistant's form.
_CROWDED = "人员密集场所"
_FLAMMABLE = "易燃易爆危险品场所"
PLACE_CLASSES_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    Category.MALL: (_CROWDED,),
    Category.COMMERCIAL_COMPLEX: (_CROWDED,),
    Category.NINE_SMALL: (_CROWDED,),
    Category.SCHOOL: (_CROWDED,),
    Category.KINDERGARTEN: (_CROWDED,),
    Category.ELDERLY_CARE: (_CROWDED,),
    Category.MEDICAL: (_CROWDED,),
    Category.HOTEL: (_CROWDED,),
    Category.RELIGIOUS: (_CROWDED,),
    Category.ENTERTAINMENT: (_CROWDED,),
    Category.ESCAPE_ROOM: (_CROWDED,),
    Category.UNDERGROUND: (_CROWDED,),
    Category.PETROCHEMICAL: (_FLAMMABLE,),
}
OTHER_CLASS = "其他场所"

FACT_FIELDS = ("category", "building_use", "height_m", "floors_above", "floors_below",
               "area_above", "area_below", "area_total", "is_high_rise", "has_fire_alarm",
               "has_sprinkler", "has_hydrant", "has_smoke_control")


def current_rule_sets() -> list[DeterminationRuleSet]:
    """The newest version of each rule set, complete ones first."""
    newest: dict[str, DeterminationRuleSet] = {}
    for row in DeterminationRuleSet.objects.order_by("code", "-version"):
        newest.setdefault(row.code, row)
    return sorted(newest.values(), key=lambda r: (not r.complete, r.code))


def place_facts(place) -> dict:
    """What the ledger knows about the place that bears on its class, as JSON-safe data."""
    facts = {}
    for name in FACT_FIELDS:
        value = getattr(place, name)
        if value is None or value == "":
            continue
        facts[name] = value if isinstance(value, (bool, int, str)) else str(value)
    return facts


def suggested_classes(place, rule_set: DeterminationRuleSet) -> list[str]:
    """The place classes to pre-tick, limited to those the rule set knows."""
    known = rule_set.data.get("place_classes", [])
    classes = [c for c in PLACE_CLASSES_BY_CATEGORY.get(place.category, ()) if c in known]
    if not classes and OTHER_CLASS in known:
        classes = [OTHER_CLASS]
    return classes


def evaluate(rule_set: DeterminationRuleSet, *, findings, place_classes,
             exclusions_claimed=()) -> gb35181.Determination:
    """The engine's answer; a code the rule set does not know is a ValidationError naming it."""
    engine = rule_set.engine()
    if not engine.complete:
        return gb35181.determine(engine, [], place_class=())
    if not place_classes:
        raise ValidationError({"place_classes": _("Tick at least one place class.")},
                              code="required")
    try:
        return gb35181.determine(
            engine, [gb35181.Finding(code) for code in findings],
            place_class=tuple(place_classes), exclusions_claimed=tuple(exclusions_claimed))
    except ValueError as error:
        raise ValidationError(_("Not in %(rules)s: %(error)s") % {
            "rules": str(rule_set), "error": error}, code="unknown_code") from None


def may_propose(actor, hazard: Hazard) -> bool:
    """Any officer with change rights on the hazard's place runs the assistant and proposes."""
    return may_change_hazard(actor, hazard)


def may_decide(actor, determination: Determination) -> bool:
    return is_district_office_for(actor, determination.jurisdiction_code)


def may_withdraw(actor, determination: Determination) -> bool:
    return determination.proposed_by_id == getattr(actor, "pk", None) or may_decide(
        actor, determination)


def _next_status(determination: Determination, action: str) -> str:
    try:
        return TRANSITIONS[action][determination.status]
    except KeyError:
        raise ValidationError(_("This determination has already been closed (%(status)s).") % {
            "status": determination.get_status_display()}, code="invalid_transition") from None


@transaction.atomic
def propose(actor, hazard: Hazard, *, rule_set: DeterminationRuleSet, findings,
            place_classes, exclusions_claimed=(), note: str = "") -> Determination:
    """Record the engine's proposal that `hazard` is a major fire hazard."""
    hazard = Hazard.objects.select_related("place").select_for_update(of=("self",)).get(
        pk=hazard.pk)
    if not may_propose(actor, hazard):
        raise PermissionDenied("proposing a determination is not permitted on this hazard")
    if not rule_set.complete:
        raise ValidationError(_("%(rules)s is incomplete: its element list has not been entered, "
                                "so it cannot propose a determination.") % {"rules": str(rule_set)},
                              code="incomplete_rules")
    if hazard.status not in lifecycle.OPEN_STATUSES:
        raise ValidationError(_("The hazard is closed."), code="closed")
    if Determination.objects.filter(hazard=hazard, status=Status.CONFIRMED).exists():
        raise ValidationError(_("The hazard has already been determined a major fire hazard."),
                              code="confirmed")
    if Determination.objects.filter(hazard=hazard, status=Status.PROPOSED).exists():
        raise ValidationError(_("A determination for this hazard is already awaiting a decision."),
                              code="duplicate")
    findings = list(dict.fromkeys(findings))
    place_classes = list(dict.fromkeys(place_classes))
    exclusions_claimed = list(dict.fromkeys(exclusions_claimed))
    result = evaluate(rule_set, findings=findings, place_classes=place_classes,
                      exclusions_claimed=exclusions_claimed)
    if result.outcome not in MAJOR_OUTCOMES:
        raise ValidationError(_("Under %(rules)s these findings do not make a major fire hazard "
                                "(outcome: %(outcome)s): there is nothing to propose.") % {
            "rules": str(rule_set), "outcome": result.outcome}, code="not_major")
    determination = Determination.objects.create(
        hazard=hazard, place=hazard.place, jurisdiction_code=hazard.jurisdiction_code,
        department_id=hazard.department_id, rule_set=rule_set,
        place_facts=place_facts(hazard.place), place_classes=place_classes,
        findings=[{"element_code": code} for code in findings],
        exclusions_claimed=exclusions_claimed,
        result={**gb35181.result_to_data(result), "rule_set": rule_set.code,
                "rule_set_version": rule_set.version},
        outcome=result.outcome, proposed_by=actor, proposal_note=note.strip())
    audit.record_create(actor, determination)
    return determination


ELEMENT_KEYS = {"code", "text", "kind", "group", "verified", "source"}
EXCLUSION_KEYS = {"code", "text", "verified", "source"}
RULE_KEYS = {"rule_id", "place_classes", "counted_codes", "threshold", "verified", "source"}


def _rows(data: dict, key: str, keys: set[str], required: set[str],
          errors: list[str]) -> list[dict]:
    """The well-formed rows of data[key]; what is wrong with the others goes to errors."""
    rows = data.get(key, [])
    if not isinstance(rows, list):
        errors.append(_("“%(key)s” must be a list.") % {"key": key})
        return []
    good = []
    for n, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            errors.append(_("%(key)s row %(n)d: “%(value)s” is not an object.") % {
                "key": key, "n": n, "value": row})
            continue
        unknown, missing = set(row) - keys, required - set(row)
        if unknown:
            errors.append(_("%(key)s row %(n)d: unknown fields %(fields)s.") % {
                "key": key, "n": n, "fields": ", ".join(sorted(unknown))})
        if missing:
            errors.append(_("%(key)s row %(n)d: missing %(fields)s.") % {
                "key": key, "n": n, "fields": ", ".join(sorted(missing))})
        if not unknown and not missing:
            good.append({"verified": False, "source": "", **row})
    return good


def check_rule_set_data(data: dict, complete: bool) -> list[str]:
    """Everything wrong with a rule set's data, each naming the row, field and value."""
    errors: list[str] = []
    if not isinstance(data, dict):
        return [_("The rule set must be a JSON object.")]
    elements = _rows(data, "elements", ELEMENT_KEYS, {"code", "text", "kind", "group"}, errors)
    exclusions = _rows(data, "exclusions", EXCLUSION_KEYS, {"code", "text"}, errors)
    rules = _rows(data, "counting_rules", RULE_KEYS,
                  {"rule_id", "place_classes", "counted_codes", "threshold"}, errors)
    classes = data.get("place_classes", [])
    groups = {g[0] for g in data.get("groups", []) if isinstance(g, (list, tuple)) and len(g) == 2}
    seen: set[str] = set()
    for n, e in enumerate(elements, 1):
        if e["code"] in seen:
            errors.append(_("elements row %(n)d: code %(code)s appears twice.") % {
                "n": n, "code": e["code"]})
        seen.add(e["code"])
        if e.get("kind") not in ("direct", "comprehensive"):
            errors.append(_("elements row %(n)d (%(code)s): kind “%(value)s” is neither direct "
                            "nor comprehensive.") % {"n": n, "code": e["code"],
                                                     "value": e.get("kind")})
        elif e["kind"] == "comprehensive" and e.get("group") not in groups:
            errors.append(_("elements row %(n)d (%(code)s): group “%(value)s” is not in "
                            "groups.") % {"n": n, "code": e["code"], "value": e.get("group")})
    comprehensive = {e["code"] for e in elements if e.get("kind") == "comprehensive"}
    for n, r in enumerate(rules, 1):
        for c in r["place_classes"]:
            if c not in classes:
                errors.append(_("counting_rules row %(n)d (%(rule)s): place class “%(value)s” "
                                "is not in place_classes.") % {"n": n, "rule": r["rule_id"],
                                                                "value": c})
        for c in r.get("counted_codes") or ():
            if c not in comprehensive:
                errors.append(_("counting_rules row %(n)d (%(rule)s): “%(value)s” is not a "
                                "comprehensive element.") % {"n": n, "rule": r["rule_id"],
                                                              "value": c})
        if not isinstance(r["threshold"], int) or r["threshold"] < 1:
            errors.append(_("counting_rules row %(n)d (%(rule)s): threshold “%(value)s” must "
                            "be a whole number of at least 1.") % {
                "n": n, "rule": r["rule_id"], "value": r["threshold"]})
    if complete:
        kinds = {e.get("kind") for e in elements}
        if not ({"direct", "comprehensive"} <= kinds and rules and classes):
            errors.append(_("A complete rule set needs direct and comprehensive elements, "
                            "place classes and a counting rule."))
        if data.get("missing"):
            errors.append(_("A complete rule set cannot list missing parts."))
    data.update(elements=elements, exclusions=exclusions, counting_rules=rules)
    return errors


@transaction.atomic
def add_rule_set_version(actor, *, code: str, edition: str, title: str, complete: bool,
                         data: dict, note: str = "") -> DeterminationRuleSet:
    """A corrected or completed element list becomes the next version of `code`; the earlier
    versions stay as they were, for the determinations computed with them."""
    data = {"elements": [], "exclusions": [], "counting_rules": [], "place_classes": [],
            "missing": [], "notes": [], "groups": [], **data}
    errors = check_rule_set_data(data, complete)
    if not errors:
        try:
            gb35181.rule_set_from_data(edition, title, complete, data)
        except (TypeError, KeyError, ValueError) as error:
            errors.append(str(error))
    if errors:
        raise ValidationError(errors, code="invalid_rule_set")
    last = DeterminationRuleSet.objects.select_for_update().filter(code=code).order_by(
        "-version").first()
    row = DeterminationRuleSet.objects.create(
        code=code, version=(last.version + 1) if last else 1, edition=edition, title=title,
        complete=complete, data=data, note=note)
    audit.record_create(actor, row, note=f"{code} v{row.version}")
    return row


def check_minutes_file(upload) -> None:
    """A PDF or a JPEG/PNG/WebP image within MINUTES_MAX_BYTES; anything else is refused."""
    name = getattr(upload, "name", "")
    if upload.size > MINUTES_MAX_BYTES:
        raise ValidationError({"minutes_file": _("“%(name)s” is larger than %(mb)d MB.") % {
            "name": name, "mb": MINUTES_MAX_BYTES // (1024 * 1024)}}, code="too_large")
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return
    if image_format(upload) not in MINUTES_IMAGE_FORMATS:
        raise ValidationError({"minutes_file": _(
            "“%(name)s” is neither a PDF nor a photo: upload a PDF, JPEG, PNG or WebP file.") % {
            "name": name}}, code="bad_type")


def _check_decision(confirm: bool, basis: str, meeting_on, participants: list[str],
                    experts_agreeing, minutes: str, proposed_on) -> None:
    """The procedure's record: basis, date, enough participants, the panel's vote, minutes."""
    errors = {}
    if basis not in MIN_PARTICIPANTS:
        errors["basis"] = _("Choose collective discussion or expert panel.")
    if meeting_on is None:
        errors["meeting_on"] = _("Give the date of the meeting.")
    elif meeting_on > timezone.localdate():
        errors["meeting_on"] = _("The meeting date cannot be in the future.")
    elif meeting_on < proposed_on:
        errors["meeting_on"] = _("The meeting cannot be before the proposal (%(date)s).") % {
            "date": proposed_on.isoformat()}
    if basis in MIN_PARTICIPANTS and len(participants) < MIN_PARTICIPANTS[basis]:
        errors["participants"] = _(
            "A %(basis)s needs at least %(min)d participants, one per line (%(count)d given).") % {
            "basis": Basis(basis).label, "min": MIN_PARTICIPANTS[basis],
            "count": len(participants)}
    if basis == Basis.EXPERT_PANEL and "participants" not in errors:
        if experts_agreeing is None or not 0 <= experts_agreeing <= len(participants):
            errors["experts_agreeing"] = _(
                "Give how many of the %(count)d experts agreed it is a major fire hazard.") % {
                "count": len(participants)}
        elif confirm and 3 * experts_agreeing < 2 * len(participants):
            errors["experts_agreeing"] = _(
                "%(agree)d of %(count)d experts is less than two thirds: the panel did not "
                "conclude it is a major fire hazard.") % {
                "agree": experts_agreeing, "count": len(participants)}
        elif not confirm and 3 * experts_agreeing >= 2 * len(participants):
            errors["experts_agreeing"] = _(
                "%(agree)d of %(count)d experts is at least two thirds: the panel concluded it "
                "is a major fire hazard.") % {
                "agree": experts_agreeing, "count": len(participants)}
    if not minutes.strip():
        errors["minutes"] = _("Summarise the minutes of the meeting.")
    if errors:
        raise ValidationError(errors, code="invalid")


@transaction.atomic
def decide(actor, determination: Determination, *, confirm: bool, basis: str, meeting_on,
           participants: str, experts_agreeing=None, minutes: str = "", minutes_file=None,
           note: str = "") -> Determination:
    """The district office confirms (the hazard becomes major) or rejects (it stays as it is)."""
    determination = Determination.objects.select_for_update().get(pk=determination.pk)
    if not may_decide(actor, determination):
        raise PermissionDenied("only the district office decides a determination")
    new_status = _next_status(determination, CONFIRM if confirm else REJECT)
    names = [line.strip() for line in participants.splitlines() if line.strip()]
    if basis != Basis.EXPERT_PANEL:
        experts_agreeing = None
    _check_decision(confirm, basis, meeting_on, names, experts_agreeing, minutes,
                    timezone.localdate(determination.proposed_at))
    if minutes_file:
        check_minutes_file(minutes_file)
    before = audit.snapshot(determination)
    determination.status = new_status
    determination.basis = basis
    determination.meeting_on = meeting_on
    determination.participants = "\n".join(names)
    determination.experts_agreeing = experts_agreeing
    determination.minutes = minutes.strip()
    determination.decision_note = note.strip()
    determination.decided_by = actor
    determination.decided_at = timezone.now()
    if minutes_file:
        determination.minutes_file.save(minutes_file.name, minutes_file, save=False)
    determination.save()
    audit.record_change(actor, determination, before, note=CONFIRM if confirm else REJECT)
    if confirm:
        hazard = Hazard.objects.select_for_update(of=("self",)).get(pk=determination.hazard_id)
        if not hazard.is_major:
            hazard_before = audit.snapshot(hazard)
            hazard.is_major = True
            hazard.save()
            audit.record_change(actor, hazard, hazard_before,
                                note=f"major hazard determination {determination.pk} confirmed")
    return determination


@transaction.atomic
def withdraw(actor, determination: Determination, *, note: str = "") -> Determination:
    """The proposer (or the district office) takes back a proposal not yet decided."""
    determination = Determination.objects.select_for_update().get(pk=determination.pk)
    if not may_withdraw(actor, determination):
        raise PermissionDenied("only the proposer or the district office withdraws a proposal")
    new_status = _next_status(determination, WITHDRAW)
    before = audit.snapshot(determination)
    determination.status = new_status
    determination.decision_note = note.strip()
    determination.decided_by = actor
    determination.decided_at = timezone.now()
    determination.save()
    audit.record_change(actor, determination, before, note=WITHDRAW)
    return determination


__all__ = ["TRANSITIONS", "current_rule_sets", "decide", "evaluate", "may_decide", "may_propose",
           "may_withdraw", "place_facts", "propose", "suggested_classes", "withdraw"]
