"""What needs this user now: one scoped query per kind of work, computed, never stored.

Nothing is copied into per-user message rows: the inbox is the hazards and records waiting for a
step the user may take, so it is always current and costs no writes in the sweep.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from fireledger.core.calendar import add_workdays
from fireledger.core.choices import Role
from fireledger.core.scope import assignments, scope_q
from fireledger.inspections.models import Commitment, Inspection

from . import lifecycle
from .models import (
    EscalationPolicy,
    ExtensionRequest,
    Hazard,
    ListedSupervision,
    ReferralNotice,
)

SHOWN = 10


@dataclass
class Section:
    key: str
    title: str
    rows: list
    count: int
    kind: str = "hazard"  # what the rows are: hazard, extension, listing, notice, place,
    # inspection, submission (a campaign's report due), assignment (a campaign's inspection),
    # disclosure (a public disclosure due), citizen_report (a citizen's report to triage),
    # due_place (a place due for inspection), duty (a work-station duty period overdue)

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


def _related_scope(user, action: str) -> Q:
    """Scope of a record hanging off a hazard, through the hazard's columns."""
    return scope_q(user, action, code_field="hazard__jurisdiction_code",
                   department_field="hazard__department_id",
                   organisation_fields=("hazard__place__owner_id", "hazard__place__manager_id",
                                        "hazard__place__occupant_id"))


def _section(key, title, queryset: QuerySet, kind="hazard") -> Section:
    rows = list(queryset[:SHOWN])
    count = len(rows) if len(rows) < SHOWN else queryset.count()
    return Section(key, title, rows, count, kind)


def _roles(user) -> set[str]:
    return {a.role for a in assignments(user)}


def _commitment_due(user, today: datetime.date) -> QuerySet:
    """The unit's places with no commitment in force (never signed, or a year old)."""
    from fireledger.places.models import Place

    in_force = Commitment.objects.filter(place=OuterRef("pk"), signed_on__lte=today,
                                         valid_until__gte=today)
    return Place.objects.visible_to(user, "view").exclude(Exists(in_force)).order_by("name", "pk")


def _campaign_sections(user, roles: set[str], officer: bool,
                       today: datetime.date) -> list[Section]:
    """Campaign work: the reports (报送) of the user's streets and departments due within five
    days or overdue, and the inspections assigned to the user that are not done yet."""
    from fireledger.campaigns import fanout, submissions

    out = []
    if roles & {Role.STREET_OFFICER, Role.DEPARTMENT_OFFICER}:
        out.append(_section("reports_due", _("Reports due"),
                            submissions.reports_due(user, today), kind="submission"))
    if officer:
        out.append(_section("assigned", _("Assigned inspections"),
                            fanout.assigned_open(user, today), kind="assignment"))
    return out


def _disclosures_section(user, today: datetime.date) -> Section:
    """Random inspection results and listed hazards waiting for public disclosure, the
    earliest due first (public.disclosures computes the due dates in working days)."""
    from fireledger.public import disclosures

    rows = sorted(disclosures.due_random_results(user, today, SHOWN)
                  + disclosures.due_exposures(user, today, SHOWN),
                  key=lambda row: row.due_on)[:SHOWN]
    count = (disclosures.random_results_due_qs(user).count()
             + disclosures.exposures_due_qs(user).count())
    return Section("disclosures_due", _("Disclosures due"), rows, count, kind="disclosure")


def sections(user, today: datetime.date) -> list[Section]:
    """Every kind of work this user could have, in the order a working day takes them."""
    roles = _roles(user)
    officer = user.is_superuser or bool(roles - {Role.UNIT_MANAGER})
    district = user.is_superuser or Role.DISTRICT_OFFICE in roles
    hazards = Hazard.objects.select_related("place", "category")
    mine = hazards.visible_to(user, "change") if officer else hazards.none()
    out = []

    if Role.UNIT_MANAGER in roles:
        out.append(_section("to_rectify", _("To rectify"), hazards.visible_to(user, "view").filter(
            status__in=(lifecycle.PENDING, lifecycle.RECTIFYING)).order_by("deadline", "pk")))
        out.append(_section("commitments_due", _("Self-inspection and commitment due"),
                            _commitment_due(user, today), kind="place"))
    out.append(_section("drafts", _("Inspection drafts to finish"), Inspection.objects.drafts_of(
        user).select_related("place", "version")
        .order_by("-started_at", "-pk"), kind="inspection"))
    if officer:
        out.append(_section("to_verify", _("Awaiting your verification"), mine.filter(
            status=lifecycle.AWAITING_VERIFICATION).exclude(
            rectification_reported_by=user).order_by("rectification_reported_on", "pk")))
        out.append(_section("overdue", _("Overdue and under supervision"), mine.filter(
            status__in=lifecycle.DEADLINE_STATUSES, deadline__lt=today).order_by(
            "deadline", "pk")))
    policy = EscalationPolicy.current()
    soon = add_workdays(today, policy.reminder_workdays)
    out.append(_section("due_soon", _("Deadline within days"), hazards.visible_to(
        user, "view").filter(status__in=lifecycle.DEADLINE_STATUSES, deadline__gte=today,
                             deadline__lte=soon).order_by("deadline", "pk")))
    out.extend(_campaign_sections(user, roles, officer, today))
    if officer:
        from fireledger.public.models import CitizenReport, ReportStatus

        out.append(_section(
            "citizen_reports", _("Citizen reports to triage"),
            CitizenReport.objects.visible_to(user, "change").filter(
                status=ReportStatus.RECEIVED).select_related("place", "category")
            .order_by("received_at", "pk"), kind="citizen_report"))
    if officer:
        out.append(_section(
            "extensions", _("Extension requests to decide"),
            ExtensionRequest.objects.filter(_related_scope(user, "change"),
                                            decision=ExtensionRequest.Decision.PENDING)
            .exclude(requested_by=user).select_related("hazard__place")
            .order_by("requested_on", "pk"), kind="extension"))
    if district:
        out.append(_section(
            "listings", _("Proposed for listed supervision"),
            ListedSupervision.objects.filter(_related_scope(user, "change"),
                                             decision=ListedSupervision.Decision.PROPOSED,
                                             lifted_on__isnull=True)
            .select_related("hazard__place").order_by("proposed_on", "pk"), kind="listing"))
    if officer:
        month_ago = today - datetime.timedelta(days=policy.listed_check_days)
        out.append(_section(
            "checks", _("Monthly checks due"),
            ListedSupervision.objects.filter(_related_scope(user, "change"),
                                             decision=ListedSupervision.Decision.LISTED,
                                             lifted_on__isnull=True)
            .annotate(since=Coalesce("last_check_on", "decided_on"))
            .filter(since__lt=month_ago).select_related("hazard__place")
            .order_by("since", "pk"), kind="listing"))
        out.append(_section(
            "notices", _("Referral notices to send"),
            ReferralNotice.objects.filter(_related_scope(user, "change"), sent_on__isnull=True)
            .select_related("hazard__place").order_by("due_on", "pk"), kind="notice"))
        out.append(_section("reviews", _("Cannot-rectify reviews due"), mine.filter(
            status=lifecycle.CANNOT_RECTIFY, review_on__lte=today).order_by("review_on", "pk")))
    if district:
        out.append(_disclosures_section(user, today))
    if district:
        # 确实不能整改: the written explanation is filed with the district office, which tracks it.
        out.append(_section("filed", _("Filed as cannot be rectified"), mine.filter(
            status=lifecycle.CANNOT_RECTIFY).order_by("review_on", "pk")))
    if district:
        out.append(_determinations_section(user))
    from fireledger.duties import inbox as duties_inbox

    out.extend(duties_inbox.sections(user, roles, today, _section, SHOWN))
    return out


def _determinations_section(user) -> Section:
    """Major-hazard determinations proposed in the district office's area, awaiting its
    decision (rows carry .hazard, so the page links them to the hazard)."""
    from fireledger.core.scope import roles_q

    from .models import Determination

    return _section("determinations", _("Major-hazard determinations to decide"),
                    Determination.objects.filter(roles_q(user, {Role.DISTRICT_OFFICE}),
                                                 status=Determination.Status.PROPOSED)
                    .select_related("hazard__place").order_by("proposed_at", "pk"),
                    kind="determination")
