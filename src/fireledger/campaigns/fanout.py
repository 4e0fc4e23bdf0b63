"""Fanned-out work (campaign × scope × checklist): who sees and may hand on assignments, their
computed state, and the campaign page's panel. Writes are in services_fanout.py.

An assignment is **done** when a submitted inspection of its place on its checklist (the
inspection's version belongs to the assignment's template) is dated on or after the campaign's
start; done after `due_on` is **done late**; not done with `due_on` passed is **overdue**. Nobody
holding it (`assignee` empty) is **unheld**: it stays listed on the campaign page until someone
is given it or the place is inspected anyway. None of this is stored: `with_state` computes it
with one correlated subquery per row (portable SQL, the (place, inspected_on) index of
inspections).
"""

import datetime

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Concat, Substr

from fireledger.core.choices import Level, Role
from fireledger.core.codes import range_lookup
from fireledger.core.models import Department, Jurisdiction, RoleAssignment
from fireledger.core.scope import NOTHING, ROLE_ACTIONS, assignments
from fireledger.hazards.burndown import STREET_DIGITS
from fireledger.inspections.choices import Status as InspectionStatus
from fireledger.inspections.models import Inspection

from .models import Assignment, Campaign

# The states a list filters by (unheld: not done and nobody holds it).
DONE, OPEN, OVERDUE, UNHELD = "done", "open", "overdue", "unheld"
STATES = (DONE, OPEN, OVERDUE, UNHELD)
STREET, DEPARTMENT = "street", "department"
HOLDERS = (STREET, DEPARTMENT)
UNHELD_SHOWN = 10  # the rest: one click away on the assignments page, filtered to unheld
NO_MERGE = 10 ** 12  # a LIMIT no campaign reaches (see grouped_counts)
# Who may hand assignments on: the district office (all of its district's), a street officer
# (those their street holds), a department officer (those their department holds).
REASSIGNERS = frozenset({Role.DISTRICT_OFFICE, Role.STREET_OFFICER, Role.DEPARTMENT_OFFICER})


# --- scope -----------------------------------------------------------------------------

def assignment_scope(user, action: str = "view") -> Q:
    """The assignments `user` may see: the jurisdiction range of each role (a department
    officer: only their department's), and always those given to the user. Unit managers see
    none: an inspection is not announced to the unit through this list (暗访)."""
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    if user.is_superuser:
        return Q()
    q = Q(assignee_id=user.pk)
    for a in assignments(user):
        if a.role == Role.UNIT_MANAGER or action not in ROLE_ACTIONS[a.role]:
            continue
        part = Q(**range_lookup("jurisdiction_code", a.jurisdiction.prefix))
        if a.role == Role.DEPARTMENT_OFFICER:
            part &= Q(department_id=a.department_id)
        q |= part
    return q


def reassign_scope(user) -> Q:
    """The assignments `user` may hand to someone: the district office its district's, a street
    officer those of their street that no department holds, a department officer their
    department's."""
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    if user.is_superuser:
        return Q()
    q = NOTHING
    for a in assignments(user):
        if a.role not in REASSIGNERS:
            continue
        part = Q(**range_lookup("jurisdiction_code", a.jurisdiction.prefix))
        if a.role == Role.STREET_OFFICER:
            part &= Q(department__isnull=True)
        elif a.role == Role.DEPARTMENT_OFFICER:
            part &= Q(department_id=a.department_id)
        q |= part
    return q


def may_reassign(user) -> bool:
    return getattr(user, "is_superuser", False) or any(
        a.role in REASSIGNERS for a in assignments(user))


def visible(user, action: str = "view") -> QuerySet:
    return Assignment.objects.filter(assignment_scope(user, action))


def may_fan_out(user, campaign: Campaign) -> bool:
    return Campaign.objects.visible_to(user, "change").filter(pk=campaign.pk).exists()


# --- computed state --------------------------------------------------------------------

def done_inspections(on: datetime.date | None = None) -> QuerySet:
    """Submitted inspections that do an assignment of the outer query (as of `on`)."""
    rows = Inspection.objects.filter(
        place_id=OuterRef("place_id"), status=InspectionStatus.SUBMITTED,
        version__template_id=OuterRef("template_id"),
        inspected_on__gte=OuterRef("campaign__starts_on"))
    if on is not None:
        rows = rows.filter(inspected_on__lte=on)
    return rows


def with_state(queryset: QuerySet, on: datetime.date) -> QuerySet:
    """Annotate done_on (the first inspection that does it, or None), late (done after the due
    date) and overdue (not done, due date passed) as of the day `on`."""
    first = done_inspections(on).order_by("inspected_on").values("inspected_on")[:1]
    return queryset.annotate(
        done_on=Subquery(first, output_field=DateField()),
    ).annotate(
        late=Case(When(done_on__gt=F("due_on"), then=Value(True)), default=Value(False),
                  output_field=BooleanField()),
        overdue=Case(When(done_on__isnull=True, due_on__lt=on, then=Value(True)),
                     default=Value(False), output_field=BooleanField()),
    )


def filter_state(queryset: QuerySet, state: str, on: datetime.date) -> QuerySet:
    """Rows of a with_state queryset in one state (open: not done and not yet due)."""
    if state == DONE:
        return queryset.filter(done_on__isnull=False)
    if state == OPEN:
        return queryset.filter(done_on__isnull=True, due_on__gte=on)
    if state == OVERDUE:
        return queryset.filter(done_on__isnull=True, due_on__lt=on)
    if state == UNHELD:
        return queryset.filter(done_on__isnull=True, assignee__isnull=True)
    raise ValueError(f"unknown state {state!r}")


def state_of(assignment, on: datetime.date) -> str:
    """done, overdue or open for one row of with_state (unheld is shown beside it)."""
    if assignment.done_on is not None:
        return DONE
    return OVERDUE if assignment.due_on < on else OPEN


def grouped_counts(queryset: QuerySet, on: datetime.date) -> list[dict]:
    """Per (street, department): total, done, late, overdue and unheld assignments, as of `on`.

    One statement: the state subquery runs once per row in a derived table and the outer
    query sums (annotating each count in the ORM would repeat the subquery per count). The
    derived table has a LIMIT so that neither database merges it into the outer query:
    PostgreSQL would then copy the subquery into each of the four sums that read done_on."""
    inner = with_state(queryset.order_by(), on).annotate(
        s=F("street_id"), d=F("department_id"), a=F("assignee_id"), due=F("due_on"),
    ).values("s", "d", "a", "due", "done_on")[:NO_MERGE]
    sql, params = inner.query.sql_with_params()
    day = connection.ops.adapt_datefield_value(on)
    outer = (
        "SELECT t.s, t.d, COUNT(*), "
        "SUM(CASE WHEN t.done_on IS NOT NULL THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN t.done_on > t.due THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN t.done_on IS NULL AND t.due < %s THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN t.done_on IS NULL AND t.a IS NULL THEN 1 ELSE 0 END) "
        f"FROM ({sql}) t GROUP BY t.s, t.d")
    with connection.cursor() as cursor:
        cursor.execute(outer, (day, *params))  # the outer %s comes first
        rows = cursor.fetchall()
    keys = ("street_id", "department_id", "total", "done", "late", "overdue", "unheld")
    return [dict(zip(keys, (s, d, *(int(n or 0) for n in counts))))
            for s, d, *counts in rows]


# --- the street of a place -------------------------------------------------------------

def street_code(code_expression):
    """The street's division code of a place's code (its first 9 digits + "000")."""
    return Concat(Substr(code_expression, 1, STREET_DIGITS),
                  Value("0" * (12 - STREET_DIGITS)))


def streets_of(campaign: Campaign) -> QuerySet:
    """The streets in the campaign's area (the campaign's own street, if it is one)."""
    return Jurisdiction.objects.under(campaign.jurisdiction.prefix).filter(level=Level.STREET)


# --- the inbox and the campaign page ---------------------------------------------------

def assigned_open(user, on: datetime.date) -> QuerySet:
    """The user's assignments not done yet, earliest due first (the inbox's section)."""
    return with_state(Assignment.objects.filter(assignee=user), on).filter(
        done_on__isnull=True).select_related("place", "template", "campaign").order_by(
        "due_on", "pk")


def fanout_context(campaign: Campaign, user, on: datetime.date) -> dict:
    """The campaign page's assignments panel: counts by state, by street (and department),
    and the unheld work, always listed (the first UNHELD_SHOWN rows and the count)."""
    rows = visible(user).filter(campaign=campaign)
    groups = grouped_counts(rows, on)
    streets = Jurisdiction.objects.in_bulk({g["street_id"] for g in groups} - {None})
    departments = Department.objects.in_bulk({g["department_id"] for g in groups} - {None})
    totals = {k: sum(g[k] for g in groups) for k in ("total", "done", "late", "overdue",
                                                     "unheld")}
    totals["open"] = totals["total"] - totals["done"] - totals["overdue"]
    for g in groups:
        g["street"] = streets.get(g["street_id"])
        g["department"] = departments.get(g["department_id"])
        g["open"] = g["total"] - g["done"] - g["overdue"]
        g["percent"] = round(100 * g["done"] / g["total"]) if g["total"] else 0
    groups.sort(key=lambda g: (g["street"].code if g["street"] else "~",
                               g["department"].sort_order if g["department"] else -1,
                               g["department_id"] or 0))
    unheld = []
    if totals["unheld"]:
        unheld = list(filter_state(with_state(rows, on), UNHELD, on).select_related(
            "place", "street", "department", "template").order_by(
            "street__code", "due_on", "pk")[:UNHELD_SHOWN])
    return {"assignment_panel": {
        "campaign": campaign,
        "totals": totals,
        "groups": groups,
        "unheld": unheld,
        "unheld_more": max(0, totals["unheld"] - len(unheld)),
        "may_fan_out": may_fan_out(user, campaign),
        "may_reassign": may_reassign(user),
    }}


def assignee_choices(actor, campaign: Campaign) -> list[tuple[int, str]]:
    """Whom `actor` may hand work to: active street officers, grid workers and department
    officers in the campaign's area and the actor's own reach (a street officer: their street;
    a department officer: their department), with role and jurisdiction in the label."""
    roles = (Role.STREET_OFFICER, Role.GRID_WORKER, Role.DEPARTMENT_OFFICER)
    rows = RoleAssignment.objects.filter(role__in=roles, user__is_active=True).filter(
        Exists(Jurisdiction.objects.filter(pk=OuterRef("jurisdiction_id")).filter(
            Q(**range_lookup("code", campaign.jurisdiction.prefix))
            | Q(code__in=[j.code for j in campaign.jurisdiction.ancestors()]))))
    if not getattr(actor, "is_superuser", False):
        reach = NOTHING
        for a in assignments(actor):
            if a.role == Role.DISTRICT_OFFICE:
                reach |= Q(**range_lookup("jurisdiction__code", a.jurisdiction.prefix))
            elif a.role == Role.STREET_OFFICER:
                reach |= Q(**range_lookup("jurisdiction__code", a.jurisdiction.prefix),
                           role__in=(Role.STREET_OFFICER, Role.GRID_WORKER))
            elif a.role == Role.DEPARTMENT_OFFICER:
                reach |= Q(role=Role.DEPARTMENT_OFFICER, department_id=a.department_id)
        rows = rows.filter(reach)
    seen, choices = set(), []
    for a in rows.select_related("user", "jurisdiction", "department").order_by(
            "jurisdiction__code", "role", "user__username"):
        if a.user_id in seen:
            continue
        seen.add(a.user_id)
        where = a.department.short_name if a.department_id else a.jurisdiction.label
        choices.append((a.user_id, f"{a.user.display_name} · {a.get_role_display()} · {where}"))
    return choices
