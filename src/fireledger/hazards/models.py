"""The hazard register (问题隐患清单) with its rectification (整改责任清单) on the same row."""

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fireledger.core.models import Department
from fireledger.places.choices import ListedBy
from fireledger.places.models import Place

from . import lifecycle
from .choices import CategoryGroup, Source, Status


class HazardCategory(models.Model):
    """One entry of the hazard taxonomy, kept as data (focus areas and their numbered items)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=400)
    group = models.CharField(_("group"), max_length=20, choices=CategoryGroup.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent category"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    source_doc = models.CharField(_("source document"), max_length=200, blank=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("hazard category")
        verbose_name_plural = _("hazard categories")

    def __str__(self) -> str:
        return self.name


class HazardQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        """One filter: jurisdiction range, the place's department, the place's units."""
        from fireledger.core.scope import scope_q

        return self.filter(
            scope_q(
                user,
                action,
                code_field="jurisdiction_code",
                department_field="department_id",
                organisation_fields=("place__owner_id", "place__manager_id", "place__occupant_id"),
            )
        )

    def open(self):
        return self.filter(status__in=lifecycle.OPEN_STATUSES)

    def overdue(self, on):
        """Still being rectified and past the deadline on date `on` (computed, never stored)."""
        return self.filter(status__in=lifecycle.DEADLINE_STATUSES, deadline__lt=on)

    def with_rung(self):
        """Annotate `rung`: "district", "street" or "" — the highest supervision step the
        sweep took for the hazard's current deadline (a new deadline starts a new ladder)."""
        def reached(step):
            return Exists(Escalation.objects.filter(hazard_id=OuterRef("pk"), step=step,
                                                    deadline=OuterRef("deadline")))
        return self.annotate(rung=Case(
            When(reached(Escalation.Step.DISTRICT), then=Value("district")),
            When(reached(Escalation.Step.STREET), then=Value("street")),
            default=Value(""), output_field=models.CharField()))


class Hazard(models.Model):
    """One hazard found at a place, and its rectification."""

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="hazards"
    )
    # Denormalised from the place so scope is one indexed range on this table.
    jurisdiction_code = models.CharField(_("division code"), max_length=15, editable=False)
    department = models.ForeignKey(
        Department, verbose_name=_("industry department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", editable=False,
    )
    category = models.ForeignKey(
        HazardCategory, verbose_name=_("hazard category"), on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("description"))
    location_in_place = models.CharField(_("location in the place"), max_length=200, blank=True)
    found_on = models.DateField(_("date found"))
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("found by"), on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(
        _("how it was found"), max_length=20, choices=Source.choices, default=Source.INSPECTION
    )
    is_major = models.BooleanField(_("major hazard"), default=False)
    fixed_on_spot = models.BooleanField(_("fixed on the spot"), default=False)
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.PENDING
    )
    deadline = models.DateField(_("rectification deadline"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    reopen_count = models.PositiveIntegerField(_("rebounds"), default=0)

    # The rectification (整改责任清单).
    responsible_unit = models.CharField(_("responsible unit"), max_length=200, blank=True)
    responsible_person = models.CharField(_("person responsible"), max_length=50, blank=True)
    responsible_phone = models.CharField(_("phone of the person responsible"), max_length=30,
                                         blank=True)
    measures = models.TextField(_("rectification measures"), blank=True)
    funding_source = models.CharField(_("funding source"), max_length=200, blank=True)
    funding_amount = models.DecimalField(
        _("funding amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    interim_safeguards = models.TextField(_("interim safeguards"), blank=True)
    rectification_reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rectification reported by"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+", editable=False,
    )
    rectification_reported_on = models.DateField(
        _("rectification reported on"), null=True, blank=True, editable=False
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("verified by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", editable=False,
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True, editable=False)
    cannot_rectify_reason = models.TextField(_("why it cannot be rectified"), blank=True)
    review_on = models.DateField(_("review date"), null=True, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = HazardQuerySet.as_manager()

    class Meta:
        ordering = ["jurisdiction_code", "id"]
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        indexes = [
            models.Index(fields=["jurisdiction_code", "status", "deadline"],
                         name="hazard_scope_status_idx"),
            models.Index(fields=["department", "jurisdiction_code", "status"],
                         name="hazard_dept_scope_idx"),
            models.Index(fields=["status", "deadline"], name="hazard_status_deadline_idx"),
            models.Index(fields=["place", "status"], name="hazard_place_status_idx"),
            # The few major hazards, for the sweep's proposals for listed supervision.
            models.Index(fields=["status"], condition=Q(is_major=True),
                         name="hazard_major_status_idx"),
            # Covers every column the dashboards' aggregates read (reports/aggregates.py), so
            # a district's half-million hazards are counted from the index alone.
            models.Index(fields=["jurisdiction_code", "department", "status", "found_on",
                                 "closed_on", "deadline", "is_major", "category"],
                         name="hazard_dashboard_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=lifecycle.CLOSED, closed_on__isnull=False)
                | (~Q(status=lifecycle.CLOSED) & Q(closed_on__isnull=True)),
                name="hazard_closed_on_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place} · {self.description[:40]}"

    @property
    def is_open(self) -> bool:
        return self.status in lifecycle.OPEN_STATUSES

    def is_overdue(self, on) -> bool:
        """The rule of HazardQuerySet.overdue for one loaded hazard."""
        return (self.status in lifecycle.DEADLINE_STATUSES and self.deadline is not None
                and self.deadline < on)


def photo_path(photo, filename: str) -> str:
    """Photos are stored under a random name: the original name may carry private details."""
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:8]
    return f"hazards/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class HazardPhoto(models.Model):
    """A photo of the hazard as found, of the rectification, or taken at verification."""

    class Kind(models.TextChoices):
        FOUND = "found", _("as found")
        RECTIFIED = "rectified", _("after rectification")
        VERIFICATION = "verification", _("at verification")

    hazard = models.ForeignKey(Hazard, verbose_name=_("hazard"), on_delete=models.CASCADE,
                               related_name="photos")
    kind = models.CharField(_("photo of"), max_length=20, choices=Kind.choices)
    image = models.ImageField(_("photo"), upload_to=photo_path)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                 on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["hazard", "uploaded_at", "id"]
        verbose_name = _("hazard photo")
        verbose_name_plural = _("hazard photos")

    def __str__(self) -> str:
        return f"{self.hazard_id} · {self.get_kind_display()}"


class DeadlineRule(models.Model):
    """Default rectification period in working days, by category and severity.

    The most specific rule wins: the hazard's own category, then its parent, then the rule with
    no category. Seeded with our own defaults (not from a regulation): administrators correct them.
    """

    category = models.ForeignKey(HazardCategory, verbose_name=_("hazard category"), null=True,
                                 blank=True, on_delete=models.CASCADE, related_name="+")
    is_major = models.BooleanField(_("major hazard"), default=False)
    workdays = models.PositiveIntegerField(_("working days to rectify"))

    class Meta:
        ordering = ["category__code", "is_major"]
        verbose_name = _("default deadline")
        verbose_name_plural = _("default deadlines")
        constraints = [
            models.UniqueConstraint(fields=["category", "is_major"], name="deadline_rule_unique"),
            models.UniqueConstraint(fields=["is_major"], condition=Q(category__isnull=True),
                                    name="deadline_rule_default_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.category or _('any category')} · {self.workdays}"


class EscalationPolicy(models.Model):
    """The ladder's numbers, one row (pk=1), editable in the admin."""

    reminder_workdays = models.PositiveIntegerField(
        _("remind this many working days before the deadline"), default=3)
    district_after_workdays = models.PositiveIntegerField(
        _("district supervision after this many working days overdue"), default=10)
    notice_workdays = models.PositiveIntegerField(
        _("working days to send a referral notice"), default=3)
    listed_check_days = models.PositiveIntegerField(
        _("days between checks of a hazard under listed supervision"), default=31)

    class Meta:
        verbose_name = _("escalation policy")
        verbose_name_plural = _("escalation policy")

    def __str__(self) -> str:
        return str(_("escalation policy"))

    @classmethod
    def current(cls) -> "EscalationPolicy":
        return cls.objects.get_or_create(pk=1)[0]


class ExtensionRequest(models.Model):
    """A request to move the deadline (延期申请), decided by someone else with change rights."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("awaiting decision")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    hazard = models.ForeignKey(Hazard, verbose_name=_("hazard"), on_delete=models.CASCADE,
                               related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField(_("requested on"))
    current_deadline = models.DateField(_("deadline at the time"))
    new_deadline = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices,
                                default=Decision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)

    class Meta:
        ordering = ["hazard", "-requested_on", "-id"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(fields=["hazard"], condition=Q(decision="pending"),
                                    name="one_pending_extension"),
        ]

    def __str__(self) -> str:
        return f"{self.hazard_id} → {self.new_deadline}"


class Escalation(models.Model):
    """One step of the ladder taken by the sweep for one hazard: the hazard's escalation history.

    The rows are the only record of the ladder (no flags on the hazard): a step is taken once
    per hazard, step and deadline, so moving the deadline starts the ladder again by itself.
    """

    class Step(models.TextChoices):
        REMINDER = "reminder", _("deadline reminder")
        STREET = "street", _("street supervision")
        DISTRICT = "district", _("district supervision")
        LISTING_PROPOSED = "listing_proposed", _("proposed for listed supervision")
        CHECK_DUE = "check_due", _("monthly check due")
        NOTICE_LATE = "notice_late", _("referral notice late")

    hazard = models.ForeignKey(Hazard, verbose_name=_("hazard"), on_delete=models.CASCADE,
                               related_name="escalations")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    on = models.DateField(_("date"))
    deadline = models.DateField(_("deadline at the time"), null=True, blank=True)
    jurisdiction_code = models.CharField(_("division code"), max_length=15)
    sweep = models.ForeignKey("SweepRun", verbose_name=_("sweep"), on_delete=models.PROTECT,
                              related_name="escalations")

    class Meta:
        ordering = ["hazard", "on", "id"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        indexes = [
            models.Index(fields=["sweep", "jurisdiction_code"], name="escalation_sweep_idx"),
            # "Has this hazard taken this step for this deadline?": the sweep's idempotence.
            models.Index(fields=["hazard", "step", "deadline"], name="escalation_step_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.hazard_id} · {self.get_step_display()} · {self.on}"


class SweepRun(models.Model):
    """One run of the escalation sweep, covering the days from `first_day` to `last_day`."""

    first_day = models.DateField(_("first day covered"))
    last_day = models.DateField(_("last day covered"), db_index=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    counts = models.JSONField(_("steps taken"), default=dict, blank=True)

    class Meta:
        ordering = ["-last_day", "-id"]
        verbose_name = _("sweep")
        verbose_name_plural = _("sweeps")

    def __str__(self) -> str:
        return f"{self.first_day} – {self.last_day}"


class ListedSupervision(models.Model):
    """挂牌督办: a major hazard proposed by the sweep; the district office lists it or not.

    While listed (decided yes, not lifted) it needs a check record at least every month.
    """

    class Decision(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        LISTED = "listed", _("listed")
        DECLINED = "declined", _("not listed")

    hazard = models.OneToOneField(Hazard, verbose_name=_("hazard"), on_delete=models.CASCADE,
                                  related_name="listing")
    jurisdiction_code = models.CharField(_("division code"), max_length=15)
    proposed_on = models.DateField(_("proposed on"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices,
                                default=Decision.PROPOSED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    last_check_on = models.DateField(_("last check"), null=True, blank=True)

    class Meta:
        ordering = ["jurisdiction_code", "proposed_on"]
        verbose_name = _("listed supervision")
        verbose_name_plural = _("listed supervisions")
        indexes = [models.Index(fields=["decision", "jurisdiction_code"],
                                name="listing_decision_idx")]

    def __str__(self) -> str:
        return f"{self.hazard_id} · {self.get_decision_display()}"


class SupervisionCheck(models.Model):
    """A check of a hazard under listed supervision (挂牌整治期间的消防检查每月不得少于1次)."""

    listing = models.ForeignKey(ListedSupervision, verbose_name=_("listed supervision"),
                                on_delete=models.CASCADE, related_name="checks")
    checked_on = models.DateField(_("checked on"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("checked by"),
                                   on_delete=models.PROTECT, related_name="+")
    findings = models.TextField(_("findings"))

    class Meta:
        ordering = ["listing", "-checked_on", "-id"]
        verbose_name = _("supervision check")
        verbose_name_plural = _("supervision checks")

    def __str__(self) -> str:
        return f"{self.listing_id} · {self.checked_on}"


class ReferralNotice(models.Model):
    """抄告: a hazard at a unit listed by the brigade or a police station must be copied to them
    within 3 working days of being found. Late = not sent by `due_on`, computed."""

    hazard = models.OneToOneField(Hazard, verbose_name=_("hazard"), on_delete=models.CASCADE,
                                  related_name="notice")
    jurisdiction_code = models.CharField(_("division code"), max_length=15)
    agency = models.CharField(_("sent to"), max_length=20, choices=ListedBy.choices)
    due_on = models.DateField(_("due by"))
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("notice number"), max_length=60, blank=True)

    class Meta:
        ordering = ["jurisdiction_code", "due_on"]
        verbose_name = _("referral notice")
        verbose_name_plural = _("referral notices")
        indexes = [models.Index(fields=["sent_on", "due_on"], name="notice_due_idx")]

    def __str__(self) -> str:
        return f"{self.hazard_id} → {self.get_agency_display()}"

    def is_late(self, today) -> bool:
        return (self.sent_on or today) > self.due_on


class Enforcement(models.Model):
    """What was done about a refusal to rectify: referral (移送) or joint enforcement (联合执法)."""

    class Kind(models.TextChoices):
        REFERRAL = "referral", _("referral")
        JOINT_ENFORCEMENT = "joint_enforcement", _("joint enforcement")

    hazard = models.ForeignKey(Hazard, verbose_name=_("hazard"), on_delete=models.CASCADE,
                               related_name="enforcements")
    kind = models.CharField(_("action"), max_length=20, choices=Kind.choices)
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("date"))
    note = models.TextField(_("details"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["hazard", "on", "id"]
        verbose_name = _("enforcement record")
        verbose_name_plural = _("enforcement records")

    def __str__(self) -> str:
        return f"{self.hazard_id} · {self.get_kind_display()} · {self.on}"


class Webhook(models.Model):
    """A DingTalk or WeCom group robot told about the sweep's new steps in its jurisdiction."""

    class Kind(models.TextChoices):
        DINGTALK = "dingtalk", _("DingTalk robot")
        WECOM = "wecom", _("WeCom robot")

    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("jurisdiction"),
                                     on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    url = models.URLField(_("address"), max_length=500)
    secret = models.CharField(_("signing secret (DingTalk)"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True, editable=False)
    last_error = models.CharField(_("last error"), max_length=300, blank=True, editable=False)

    class Meta:
        ordering = ["jurisdiction__code", "name"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.name


# --- Major-hazard determination (重大火灾隐患判定) -------------------------------------------

class DeterminationRuleSet(models.Model):
    """One version of a GB 35181 rule set, kept as data (elements, exclusions, counting rule).

    Rows are never edited: a corrected element list is a new version, so every determination
    keeps pointing at the exact rules it was computed with. An incomplete set (GB 35181-2025,
    whose element lists are not entered yet) can be shown but never yields a proposal.
    """

    code = models.CharField(_("code"), max_length=30)  # "GB35181-2017", "GB35181-2025"
    version = models.PositiveIntegerField(_("version"))
    edition = models.CharField(_("edition"), max_length=30)  # "GB 35181-2017" (the engine's)
    title = models.CharField(_("title"), max_length=100)
    complete = models.BooleanField(pgettext_lazy("rule set", "complete"), default=False)
    data = models.JSONField(_("rules"), default=dict)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("determination rule set")
        verbose_name_plural = _("determination rule sets")
        constraints = [models.UniqueConstraint(fields=["code", "version"],
                                               name="rule_set_code_version_unique")]

    def __str__(self) -> str:
        return f"{self.edition} v{self.version}"

    def engine(self):
        """The engine's RuleSet for this row."""
        from . import gb35181

        return gb35181.rule_set_from_data(self.edition, self.title, self.complete, self.data)


class DeterminationQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        """The hazard's scope, through the columns copied onto the determination."""
        from fireledger.core.scope import scope_q

        return self.filter(scope_q(
            user, action, code_field="jurisdiction_code", department_field="department_id",
            organisation_fields=("place__owner_id", "place__manager_id", "place__occupant_id")))


def minutes_path(determination, filename: str) -> str:
    """Minutes are stored under a random name, like photos: the original name may be private."""
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:8]
    return f"determinations/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Determination(models.Model):
    """A proposal that a hazard is a major fire hazard, and the district office's decision.

    The engine proposes; the district office decides after the collective discussion (集体讨论,
    ≥ 3 people) or the expert panel (专家论证, ≥ 7 experts, ≥ 2/3 agreeing) the procedure
    requires. Statuses: services_determination.TRANSITIONS.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        CONFIRMED = "confirmed", _("confirmed")
        # Not a citizen report's "rejected" (不予受理): the office found it is not major.
        REJECTED = "rejected", pgettext_lazy("determination", "rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Basis(models.TextChoices):
        COLLECTIVE_DISCUSSION = "collective_discussion", _("collective discussion")
        EXPERT_PANEL = "expert_panel", _("expert panel")

    hazard = models.ForeignKey(Hazard, verbose_name=_("hazard"), on_delete=models.CASCADE,
                               related_name="determinations")
    place = models.ForeignKey(Place, verbose_name=_("place"), on_delete=models.PROTECT,
                              related_name="+")
    # Copied from the hazard so scope is one indexed range on this table.
    jurisdiction_code = models.CharField(_("division code"), max_length=15, editable=False)
    department = models.ForeignKey(Department, verbose_name=_("industry department"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+",
                                   editable=False)
    rule_set = models.ForeignKey(DeterminationRuleSet, verbose_name=_("rule set"),
                                 on_delete=models.PROTECT, related_name="determinations")
    place_facts = models.JSONField(_("place facts"), default=dict)
    place_classes = models.JSONField(_("place classes"), default=list)
    findings = models.JSONField(_("findings"), default=list)
    exclusions_claimed = models.JSONField(_("exclusions claimed"), default=list)
    result = models.JSONField(_("result"), default=dict)
    # The engine's outcome: direct or comprehensive.
    outcome = models.CharField(pgettext_lazy("determination", "outcome"), max_length=20)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposed by"),
                                    on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    proposal_note = models.TextField(_("proposal note"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.PROPOSED)
    basis = models.CharField(_("decision basis"), max_length=30, choices=Basis.choices,
                             blank=True)
    meeting_on = models.DateField(_("meeting date"), null=True, blank=True)
    participants = models.TextField(_("participants"), blank=True)
    experts_agreeing = models.PositiveSmallIntegerField(_("experts agreeing"), null=True,
                                                        blank=True)
    minutes = models.TextField(pgettext_lazy("meeting", "minutes"), blank=True)
    minutes_file = models.FileField(_("minutes file"), upload_to=minutes_path, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = DeterminationQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("major-hazard determination")
        verbose_name_plural = _("major-hazard determinations")
        indexes = [models.Index(fields=["status", "jurisdiction_code"],
                                name="determination_status_idx")]
        constraints = [
            models.UniqueConstraint(fields=["hazard"], condition=Q(status="proposed"),
                                    name="one_open_determination"),
        ]

    def __str__(self) -> str:
        return f"{self.hazard_id} · {self.get_status_display()}"

    @property
    def participant_list(self) -> list[str]:
        return [line.strip() for line in self.participants.splitlines() if line.strip()]
