"""Major-hazard determination pages: the assistant on a hazard, a determination with the
district office's decision, and the list of proposals awaiting a decision.

Out of scope is a 404; in scope but not allowed (a unit manager proposing, a street officer
deciding) a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fireledger.core.files import stored_file_response

from . import services_determination as det
from .forms_determination import AssistantForm, DecisionForm, WithdrawForm, plain
from .models import Determination, Hazard

OUTCOME_CLASS = {"direct": "bg-red text-red-fg", "comprehensive": "bg-orange text-orange-fg",
                 "not_major": "bg-green-lt", "excluded": "bg-azure-lt",
                 "incomplete_rules": "bg-yellow text-yellow-fg"}


def outcome_label(outcome: str) -> str:
    return {
        "direct": _("Direct determination: a major fire hazard"),
        "comprehensive": _("Comprehensive determination: a major fire hazard"),
        "not_major": _("Not a major fire hazard"),
        "excluded": _("Not determined: an exclusion case applies"),
        "incomplete_rules": _("Rule set incomplete: no determination"),
    }.get(outcome, outcome)


def fact_rows(facts: dict) -> list[tuple[str, object]]:
    """The place facts as (field label, shown value), choices by their labels."""
    from fireledger.places.models import Place

    rows = []
    for name, value in facts.items():
        field = Place._meta.get_field(name)
        if field.choices:
            value = dict(field.flatchoices).get(value, value)
        rows.append((field.verbose_name, value))
    return rows


def _visible_hazard(request, pk: int) -> Hazard:
    return get_object_or_404(Hazard.objects.visible_to(request.user, "view").select_related(
        "place", "category"), pk=pk)


def result_context(rule_set, result) -> dict:
    """The engine's answer laid out for the page: elements cited with their clause text, the
    counting rows against their thresholds, the exclusions that stopped a determination."""
    if result is None:
        return {"result": None}
    data = rule_set.data
    texts = {e["code"]: plain(e["text"]) for e in data.get("elements", [])}
    exclusions = {x["code"]: x["text"] for x in data.get("exclusions", [])}
    rules = {r["rule_id"]: r for r in data.get("counting_rules", [])}
    get = (lambda key: result.get(key)) if isinstance(result, dict) else (
        lambda key: getattr(result, key))
    counts = []
    for row in get("counts") or ():
        row = row if isinstance(row, dict) else vars(row)
        rule = rules.get(row["rule_id"], {})
        counts.append({**row, "place_classes": rule.get("place_classes", []),
                       "any_element": rule.get("counted_codes") is None})
    outcome = get("outcome")
    return {"result": {
        "outcome": outcome,
        "label": outcome_label(outcome),
        "css": OUTCOME_CLASS.get(outcome, ""),
        "major": outcome in det.MAJOR_OUTCOMES,
        "cited": [{"code": c, "text": texts.get(c, "")} for c in get("elements_cited") or ()],
        "excluded_by": [{"code": c, "text": exclusions.get(c, "")}
                        for c in get("excluded_by") or ()],
        "counts": counts,
        "missing": list(get("missing") or ()),
        "unverified": list(get("unverified_basis") or ()),
        "explanation": get("explanation"),
    }}


@login_required
def determine(request, pk: int):
    """The assistant: place facts, findings by section, the engine's answer, the proposal."""
    hazard = _visible_hazard(request, pk)
    if not det.may_propose(request.user, hazard):
        raise PermissionDenied
    rule_sets = det.current_rule_sets()
    if not rule_sets:
        raise Http404
    wanted = request.POST.get("rule_set") or request.GET.get("rule_set")
    rule_set = next((r for r in rule_sets if r.code == wanted), rule_sets[0])
    initial = {"place_classes": det.suggested_classes(hazard.place, rule_set)}
    form = AssistantForm(request.POST or None, initial=initial, rule_set=rule_set)
    result, status = None, 200
    if not rule_set.complete:
        result = det.evaluate(rule_set, findings=(), place_classes=())
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data
        try:
            if "propose" in request.POST:
                determination = det.propose(
                    request.user, hazard, rule_set=rule_set, findings=chosen["findings"],
                    place_classes=chosen["place_classes"],
                    exclusions_claimed=chosen["exclusions"], note=chosen["note"])
                messages.success(request, _("Proposal recorded: the district office decides."))
                return redirect("hazards:determination", pk=determination.pk)
            if rule_set.complete:
                result = det.evaluate(rule_set, findings=chosen["findings"],
                                      place_classes=chosen["place_classes"],
                                      exclusions_claimed=chosen["exclusions"])
        except ValidationError as error:
            form.add_service_error(error)
            status = 400
    elif request.method == "POST":
        status = 400
    context = {
        "hazard": hazard,
        "place": hazard.place,
        "facts": fact_rows(det.place_facts(hazard.place)),
        "rule_set": rule_set,
        "rule_sets": rule_sets,
        "form": form,
        "open_proposal": hazard.determinations.filter(status=Determination.Status.PROPOSED).first(),
        **result_context(rule_set, result),
    }
    if request.headers.get("HX-Request") and request.method == "POST":
        # 200 even for a problem: htmx swaps only successful answers, and the panel must not
        # go on showing the answer to the previous ticks.
        return render(request, "hazards/_determination_result.html", context)
    return render(request, "hazards/determination_assistant.html", context, status=status)


def _visible_determination(request, pk: int) -> Determination:
    return get_object_or_404(Determination.objects.visible_to(request.user, "view").select_related(
        "hazard", "place", "rule_set", "proposed_by", "decided_by"), pk=pk)


def _detail(request, determination: Determination, decision_form=None, withdraw_form=None,
            status: int = 200):
    proposed = determination.status == Determination.Status.PROPOSED
    may_decide = proposed and det.may_decide(request.user, determination)
    may_withdraw = proposed and det.may_withdraw(request.user, determination)
    texts = {e["code"]: plain(e["text"])
             for e in determination.rule_set.data.get("elements", [])}
    return render(request, "hazards/determination_detail.html", {
        "determination": determination,
        "hazard": determination.hazard,
        "rule_set": determination.rule_set,
        "facts": fact_rows(determination.place_facts),
        "findings": [{"code": f["element_code"], "text": texts.get(f["element_code"], "")}
                     for f in determination.findings],
        "decision_form": (decision_form or DecisionForm()) if may_decide else None,
        "withdraw_form": (withdraw_form or WithdrawForm()) if may_withdraw else None,
        **result_context(determination.rule_set, determination.result),
    }, status=status)


@login_required
def determination_detail(request, pk: int):
    return _detail(request, _visible_determination(request, pk))


@login_required
@require_POST
def determination_decide(request, pk: int):
    determination = _visible_determination(request, pk)
    if not det.may_decide(request.user, determination):
        raise PermissionDenied
    form = DecisionForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            det.decide(request.user, determination, confirm=data["decision"] == "confirm",
                       basis=data["basis"], meeting_on=data["meeting_on"],
                       participants=data["participants"],
                       experts_agreeing=data["experts_agreeing"], minutes=data["minutes"],
                       minutes_file=data["minutes_file"], note=data["note"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("hazards:determination", pk=determination.pk)
    for error in form.non_field_errors():
        messages.error(request, error)
    messages.error(request, _("Please correct the fields marked below."))
    return _detail(request, determination, decision_form=form, status=400)


@login_required
@require_POST
def determination_withdraw(request, pk: int):
    determination = _visible_determination(request, pk)
    if not det.may_withdraw(request.user, determination):
        raise PermissionDenied
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            det.withdraw(request.user, determination, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _detail(request, determination, withdraw_form=form, status=400)
        messages.success(request, _("Proposal withdrawn."))
    return redirect("hazards:determination", pk=determination.pk)


@login_required
def determination_minutes(request, pk: int):
    """The uploaded minutes, for users who may see the determination."""
    determination = _visible_determination(request, pk)
    if not determination.minutes_file:
        raise Http404
    return stored_file_response(determination.minutes_file)


@login_required
def determination_list(request):
    """Determinations in scope; by default the proposals awaiting the district office."""
    status = request.GET.get("status", Determination.Status.PROPOSED)
    rows = Determination.objects.visible_to(request.user, "view").select_related(
        "hazard", "place", "rule_set", "proposed_by")
    if status in Determination.Status.values:
        rows = rows.filter(status=status)
    else:
        status = ""
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.outcome_label = outcome_label(row.outcome)
    return render(request, "hazards/determination_list.html", {
        "page": page,
        "status": status,
        "query": f"status={status or 'all'}",
        "statuses": Determination.Status.choices,
    })
