"""Writing fanned-out work: `fan_out` (campaign × scope × checklist → one assignment per place)
and `reassign` (hand work to someone). Each validates, writes and audits in one transaction.

The fan-out is one INSERT … SELECT built by the ORM (as the escalation sweep writes its rows):
the database picks the places, each place's street, the department and the default assignee,
and skips the places that already have the assignment — no row passes through Python, so a
district's 100,000 places take about a second, and a second run creates only what is missing.
"""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import (
    Case,
    DateField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fireledger.core import audit, bulk
from fireledger.core.choices import Level, Role
from fireledger.core.codes import range_lookup
from fireledger.core.models import AuditAction, AuditEvent, Jurisdiction, RoleAssignment
from fireledger.inspections.models import ChecklistTemplate
from fireledger.places.models import Place

from .choices import TaskRole
from .fanout import DEPARTMENT, HOLDERS, STREET, reassign_scope
from .models import Assignment, Campaign, Task, TaskUnit

COLUMNS = ("campaign_id", "task_id", "place_id", "jurisdiction_code", "template_id",
           "street_id", "department_id", "assignee_id", "due_on", "created_at")
CHUNK = 2000


@dataclass(frozen=True)
class FanOutResult:
    """created: rows written now; already: in-scope places that had the assignment before;
    unheld: in-scope assignments (new or not) that nobody holds after the run."""

    created: int
    already: int
    unheld: int


def _const(value, field):
    return Value(value, output_field=field)


def _prefixes(campaign: Campaign, jurisdictions) -> list[str]:
    """The code prefixes of the campaign's area ∩ the chosen jurisdictions (None: the area)."""
    area = campaign.jurisdiction.prefix
    if not jurisdictions:
        return [area]
    prefixes = set()
    for j in jurisdictions:
        if j.prefix.startswith(area):
            prefixes.add(j.prefix)
        elif area.startswith(j.prefix):
            prefixes.add(area)
    # A prefix inside another chosen one adds nothing.
    return sorted(p for p in prefixes if not any(p != o and p.startswith(o) for o in prefixes))


def _categories(campaign: Campaign, template: ChecklistTemplate, chosen) -> list[str]:
    """template categories ∩ chosen (None: all of them) ∩ the campaign's (empty: all)."""
    cats = [c for c in template.place_categories if chosen is None or c in chosen]
    if campaign.place_categories:
        cats = [c for c in cats if c in campaign.place_categories]
    return cats


def lead_department_id(task: Task | None):
    """The task's first lead department (牵头单位), if a department leads it."""
    if task is None:
        return None
    return TaskUnit.objects.filter(task=task, role=TaskRole.LEAD, department__isnull=False) \
        .order_by("sort_order", "pk").values_list("department_id", flat=True).first()


def _department_officer(campaign: Campaign, department_id):
    """CASE choosing, per place, the department officer of the place's department (or of the
    given one) whose jurisdiction covers the place: the lowest user id among them."""
    area = campaign.jurisdiction.prefix
    officers = RoleAssignment.objects.filter(
        role=Role.DEPARTMENT_OFFICER, user__is_active=True).select_related("jurisdiction")
    if department_id is not None:
        officers = officers.filter(department_id=department_id)
    whens = []
    for a in officers.order_by("user_id", "pk"):
        prefix = a.jurisdiction.prefix
        if not (prefix.startswith(area) or area.startswith(prefix)):
            continue
        condition = Q(**range_lookup("jurisdiction_code", prefix))
        if department_id is None:
            condition &= Q(department_id=a.department_id)
        whens.append(When(condition, then=_const(a.user_id, IntegerField())))
    if not whens:
        return _const(None, IntegerField())
    return Case(*whens, default=_const(None, IntegerField()), output_field=IntegerField())


def _first_holders(role: str, jurisdiction_ids) -> dict:
    """{jurisdiction id: the lowest user id among the active holders of `role` there}."""
    rows = RoleAssignment.objects.filter(role=role, user__is_active=True,
                                         jurisdiction_id__in=jurisdiction_ids)
    return dict(rows.order_by().values_list("jurisdiction_id").annotate(first=Min("user_id")))


def _street_columns(campaign: Campaign, prefixes: list[str]):
    """(street, assignee) as SQL expressions for the places of `prefixes`: the place's street,
    and the grid worker of the place's grid, else the street officer of its street — the
    lowest user id among the active holders of that role on that exact jurisdiction.

    Why the grid worker first: the grid worker is the one who walks that grid and checks its
    places (seed 003's 网格 work, DOMAIN.md), so a street's hundreds of places spread over the
    people who will visit them instead of landing on one street officer; the street still holds
    every one of them (`street`), sees them all and can hand them on.

    The few streets and officers are read first and written into the statement as CASE
    expressions nested by street (each row compares its code with the streets, then its
    jurisdiction with that street's staffed grids): no per-row lookup that a planner could
    turn into a scan, and the cost per row stays small however many places there are."""
    area = Jurisdiction.objects.under(campaign.jurisdiction.prefix)
    above = [j.pk for j in campaign.jurisdiction.ancestors()]  # a community's campaign
    streets = [s for s in Jurisdiction.objects.filter(
                   Q(**range_lookup("code", campaign.jurisdiction.prefix)) | Q(pk__in=above),
                   level=Level.STREET)
               if any(s.prefix.startswith(p) or p.startswith(s.prefix) for p in prefixes)]
    officers = _first_holders(Role.STREET_OFFICER, [s.pk for s in streets])
    workers = _first_holders(Role.GRID_WORKER, area.values("pk"))
    codes = dict(area.filter(pk__in=list(workers)).values_list("pk", "code"))
    street_whens, assignee_whens = [], []
    for street in streets:
        in_street = Q(**range_lookup("jurisdiction_code", street.prefix))
        street_whens.append(When(in_street, then=_const(street.pk, IntegerField())))
        officer = _const(officers.get(street.pk), IntegerField())
        grids = [When(jurisdiction_id=jid, then=_const(uid, IntegerField()))
                 for jid, uid in sorted(workers.items()) if codes[jid].startswith(street.prefix)]
        holder = Case(*grids, default=officer, output_field=IntegerField()) if grids else officer
        assignee_whens.append(When(in_street, then=holder))
    if not street_whens:
        none = _const(None, IntegerField())
        return none, none
    return (Case(*street_whens, default=_const(None, IntegerField()), output_field=IntegerField()),
            Case(*assignee_whens, default=_const(None, IntegerField()),
                 output_field=IntegerField()))


def _insert_select(queryset) -> int:
    """INSERT INTO the assignments (COLUMNS) SELECT … the queryset's rows.

    PostgreSQL: without nested-loop plans for this statement only (as hazards.sweep does:
    with statistics calling the assignment table empty, the NOT EXISTS would rescan the rows
    being inserted for every place), then the setting as it was — not for the rest of a
    transaction the caller may go on with."""
    sql, params = queryset.query.sql_with_params()
    quote = connection.ops.quote_name
    insert = (f"INSERT INTO {quote(Assignment._meta.db_table)} "
              f"({', '.join(map(quote, COLUMNS))}) {sql}")
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(insert, params)
            return cursor.rowcount
        cursor.execute("SELECT current_setting('enable_nestloop')")
        before = cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_nestloop = off")
        try:
            cursor.execute(insert, params)
            return cursor.rowcount
        finally:
            cursor.execute("SELECT set_config('enable_nestloop', %s, true)", [before])


@transaction.atomic
def fan_out(actor, campaign: Campaign, *, template: ChecklistTemplate, categories=None,
            jurisdictions=None, task: Task | None = None, due_on: datetime.date | None = None,
            holder: str = STREET) -> FanOutResult:
    """One assignment per place in scope: the campaign's area ∩ `jurisdictions` (None: all of
    it), place category in `categories` ∩ the template's (∩ the campaign's, if it names any).

    holder "street": `street` is the place's street, the assignee the grid worker of its grid
    or else its street officer (see _street_columns). holder "department": `department` is the
    task's lead department, or the place's industry department when no department leads the
    task; the assignee is that department's officer covering the place. `street` is set in both
    cases (the lists count by street). Nobody found: no assignee — unheld, listed on the
    campaign page. `due_on` defaults to the task's due date, else the campaign's end.

    Audit: one event on the campaign for the whole fan-out (parameters and counts, the first
    and last new id), not one per row. That is enough because the rows are derivable: every
    row this run wrote has the campaign, the template and `created_at` equal to the event's
    `at` (one timestamp for the batch), and ids within [first_id, last_id]; what was chosen and
    why is the recorded parameters applied to the ledger. Changes to a row afterwards
    (reassign) are audited per row.
    """
    if holder not in HOLDERS:
        raise ValueError(f"unknown holder {holder!r}")
    locked = Campaign.objects.visible_to(actor, "change").select_for_update().filter(
        pk=campaign.pk).select_related("jurisdiction").first()
    if locked is None:
        raise PermissionDenied("only the campaign's district office fans out its work")
    campaign = locked
    if task is not None and task.campaign_id != campaign.pk:
        raise ValidationError({"task": _("This task belongs to another campaign.")},
                              code="invalid")
    if not template.is_active:
        raise ValidationError({"template": _("This checklist is no longer in use.")},
                              code="inactive")
    cats = _categories(campaign, template, categories)
    if not cats:
        raise ValidationError({"categories": _(
            "The checklist is for none of the chosen place categories.")}, code="empty")
    prefixes = _prefixes(campaign, jurisdictions)
    if not prefixes:
        raise ValidationError({"jurisdictions": _(
            "None of the chosen jurisdictions is in the campaign's area.")}, code="empty")
    due_on = due_on or (task.due_on if task is not None and task.due_on else campaign.ends_on)
    if due_on < campaign.starts_on:
        raise ValidationError({"due_on": _("The due date cannot be before the campaign "
                                           "starts.")}, code="invalid")

    area = Q()
    for n, prefix in enumerate(prefixes):
        part = Q(**range_lookup("jurisdiction_code", prefix))
        area = part if n == 0 else area | part
    places = Place.objects.filter(area, category__in=cats)
    existing = Assignment.objects.filter(campaign=campaign, template=template,
                                         place_id=OuterRef("pk"))
    already = places.filter(Exists(existing)).count()

    now = timezone.now()
    street, street_assignee = _street_columns(campaign, prefixes)
    lead = lead_department_id(task) if holder == DEPARTMENT else None
    if holder == STREET:
        department, assignee = _const(None, IntegerField()), street_assignee
    else:
        department = _const(lead, IntegerField()) if lead is not None else F("department_id")
        assignee = _department_officer(campaign, lead)
    # A CASE whose branches are all NULL (a street with no officer) is text to PostgreSQL:
    # the casts keep the id columns integers whatever the officers are.
    rows = places.exclude(Exists(existing)).values_list(
        _const(campaign.pk, IntegerField()),
        _const(task.pk if task is not None else None, IntegerField()),
        "pk", "jurisdiction_code", _const(template.pk, IntegerField()),
        Cast(street, IntegerField()), Cast(department, IntegerField()),
        Cast(assignee, IntegerField()),
        _const(due_on, DateField()), _const(now, DateTimeField()),
    ).order_by("jurisdiction_code", "pk")
    created = _insert_select(rows)

    in_scope = Assignment.objects.filter(campaign=campaign, template=template).filter(
        Exists(places.filter(pk=OuterRef("place_id"))))
    unheld = in_scope.filter(assignee__isnull=True).count()
    ids = Assignment.objects.filter(campaign=campaign, template=template,
                                    created_at=now).aggregate(first=Min("pk"), last=Max("pk"))
    result = FanOutResult(created=created, already=already, unheld=unheld)
    AuditEvent(**vars(audit.event_row(
        actor, AuditAction.CHANGE, campaign, at=now,
        note=f"fan-out: {created} assignments created, {already} already there, "
             f"{unheld} unheld",
        after={"fan_out": {
            "template": template.pk, "template_name": template.name,
            "categories": cats, "jurisdictions": prefixes,
            "task": task.pk if task is not None else None, "holder": holder,
            "department": lead,
            "due_on": str(due_on), "created": created, "already": already,
            "unheld": unheld, "first_id": ids["first"], "last_id": ids["last"],
        }}))).save()
    return result


@transaction.atomic
def reassign(actor, assignments, user) -> int:
    """Give the assignments (one, or several: instances or ids) to `user`; returns how many
    changed. Only those in the actor's reach (fanout.reassign_scope) — anything else refuses the
    whole request — and only to an active user who may inspect every one of the places.
    One audit event per assignment (the change of assignee), written in one statement."""
    if isinstance(assignments, (Assignment, int)):
        assignments = [assignments]
    ids = sorted({a.pk if isinstance(a, Assignment) else int(a) for a in assignments})
    if not ids:
        return 0
    if user is None or not user.is_active:
        raise ValidationError({"user": _("Choose someone to hand the work to.")},
                              code="required")
    changed = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        rows = Assignment.objects.select_for_update().filter(pk__in=chunk)
        if rows.filter(reassign_scope(actor)).count() != len(chunk):
            raise PermissionDenied("assignment outside the actor's reach")
        inspectable = Place.objects.visible_to(user, "change").filter(pk=OuterRef("place_id"))
        refused = rows.exclude(Exists(inspectable)).count()
        if refused:
            raise ValidationError({"user": _(
                "%(name)s may not inspect %(count)d of these places.") % {
                "name": user.display_name, "count": refused}}, code="out_of_scope")
        changed += list(rows.exclude(assignee_id=user.pk).values_list(
            "pk", "assignee_id", "jurisdiction_code", "campaign__name", "place__name"))
    now = timezone.now()
    for start in range(0, len(changed), CHUNK):
        Assignment.objects.filter(pk__in=[c[0] for c in changed[start:start + CHUNK]]) \
            .update(assignee_id=user.pk)
    bulk.insert(AuditEvent, [SimpleNamespace(
        at=now, actor_id=getattr(actor, "pk", None), action=AuditAction.CHANGE,
        object_type=Assignment._meta.label_lower, object_id=str(pk),
        object_repr=f"{campaign} · {place}"[:200], jurisdiction_code=code,
        before={"assignee_id": before}, after={"assignee_id": user.pk}, note="reassigned",
    ) for pk, before, code, campaign, place in changed])
    return len(changed)
