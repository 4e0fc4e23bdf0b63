"""Campaigns (专项行动): phases, the task list with its departments, targets bound to live
metrics, fanned-out assignments, and recurring submissions (报送)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import CampaignKind, PhaseKind, SubmissionKind, TaskRole


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        """view: campaigns issued for a jurisdiction at, above or below one of the user's (a
        district's campaign is seen by its streets, grids, departments and units). Any other
        action: the district office of the campaign's jurisdiction."""
        from django.db.models import Q

        from fireledger.core.choices import Role
        from fireledger.core.codes import range_lookup
        from fireledger.core.scope import assignments

        if getattr(user, "is_superuser", False):
            return self.all()
        q = Q(pk__in=[])
        for a in assignments(user):
            if action == "view":
                q |= Q(jurisdiction_code__in=[j.code for j in a.jurisdiction.ancestors()]
                       + [a.jurisdiction.code])
            elif a.role != Role.DISTRICT_OFFICE:
                continue
            q |= Q(**range_lookup("jurisdiction_code", a.jurisdiction.prefix))
        return self.filter(q)


class Campaign(models.Model):
    """A plan the seeds call 专项行动 / 三年行动 / 今冬明春, as issued: its document, dates,
    scope (jurisdiction and place categories), phases, tasks and targets."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=CampaignKind.choices,
                            default=CampaignKind.SPECIAL)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("jurisdiction"),
                                     on_delete=models.PROTECT, related_name="+")
    jurisdiction_code = models.CharField(_("division code"), max_length=15, editable=False)
    place_categories = models.JSONField(
        _("place categories"), default=list, blank=True,
        help_text=_("Empty: every category."))
    source_text = models.TextField(_("plan text"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name


class Phase(models.Model):
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE,
                                 related_name="phases")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=PhaseKind.choices,
                            default=PhaseKind.OTHER)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["campaign", "sort_order", "pk"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")

    def __str__(self) -> str:
        return self.name


class Task(models.Model):
    """One row of the plan's task list, with the columns of seed 001's table (序号, 整治项目,
    整治内容, 突出问题, 责任单位, 整治要求, 完成时间)."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE,
                                 related_name="tasks")
    number = models.CharField(_("number"), max_length=30, blank=True)
    title = models.CharField(_("task"), max_length=300)
    content = models.TextField(_("what is rectified"), blank=True)
    problems = models.TextField(_("outstanding problems"), blank=True)
    requirements = models.TextField(_("requirements"), blank=True)
    responsible_text = models.TextField(_("units as written"), blank=True)
    due_text = models.CharField(_("completion time as written"), max_length=200, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["campaign", "sort_order", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class TaskUnit(models.Model):
    """A department (or the streets) leading, cooperating on or responsible for a task; the
    name as the plan wrote it is kept beside the department it was matched to."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE,
                             related_name="units")
    role = models.CharField(_("role"), max_length=20, choices=TaskRole.choices)
    department = models.ForeignKey("core.Department", verbose_name=_("department"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    streets = models.BooleanField(_("the streets"), default=False,
                                  help_text=_("各街道: every street office in the scope."))
    text = models.CharField(_("as written"), max_length=100)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["task", "role", "sort_order", "pk"]
        verbose_name = _("task unit")
        verbose_name_plural = _("task units")

    def __str__(self) -> str:
        return self.text


class Target(models.Model):
    """A quantitative target: a metric from metrics.REGISTRY, a threshold and a date."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE,
                                 related_name="targets")
    task = models.ForeignKey(Task, verbose_name=_("task"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="targets")
    text = models.CharField(_("target as written"), max_length=300)
    metric = models.CharField(_("metric"), max_length=40)
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    due_on = models.DateField(_("due on"))
    place_categories = models.JSONField(
        _("place categories"), default=list, blank=True,
        help_text=_("Empty: the campaign's categories."))
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["campaign", "due_on", "sort_order", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return self.text


def evidence_path(instance, filename: str) -> str:
    import secrets

    return f"campaigns/{timezone.now():%Y/%m}/{secrets.token_hex(16)}"


class ManualFigure(models.Model):
    """A figure entered by hand, with its evidence, for a target no data measures yet
    (e.g. 注册人员不少于5000人)."""

    target = models.ForeignKey(Target, verbose_name=_("target"), on_delete=models.CASCADE,
                               related_name="figures")
    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("jurisdiction"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    department = models.ForeignKey("core.Department", verbose_name=_("department"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    on = models.DateField(_("as of"))
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"),
                                   on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)

    class Meta:
        ordering = ["target", "-on", "-pk"]
        verbose_name = _("manual figure")
        verbose_name_plural = _("manual figures")


class Assignment(models.Model):
    """One place to inspect for a campaign (fan-out: campaign × scope × checklist), held by a
    street or a department. Nobody holding it is a state the campaign page shows. Done is
    computed, never stored: a submitted inspection of the place on the checklist, dated within
    the campaign by the due date."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE,
                                 related_name="assignments")
    task = models.ForeignKey(Task, verbose_name=_("task"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="assignments")
    place = models.ForeignKey("places.Place", verbose_name=_("place"), on_delete=models.CASCADE,
                              related_name="assignments")
    jurisdiction_code = models.CharField(_("division code"), max_length=15, editable=False)
    template = models.ForeignKey("inspections.ChecklistTemplate", verbose_name=_("checklist"),
                                 on_delete=models.PROTECT, related_name="+")
    street = models.ForeignKey("core.Jurisdiction", verbose_name=_("street"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("core.Department", verbose_name=_("department"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned to"),
                                 null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    due_on = models.DateField(_("due on"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["campaign", "due_on", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [models.UniqueConstraint(fields=["campaign", "place", "template"],
                                               name="assignment_once_per_place")]
        indexes = [models.Index(fields=["campaign", "jurisdiction_code"]),
                   models.Index(fields=["assignee", "due_on"])]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.place}"


class SubmissionSchedule(models.Model):
    """A recurring report the campaign asks for: monthly by a day (seed 004: 每月20日前),
    at the end of a phase, or once at the end; from every street, or from departments."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE,
                                 related_name="schedules")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SubmissionKind.choices)
    day_of_month = models.PositiveSmallIntegerField(_("day of the month"), null=True,
                                                    blank=True)
    phase = models.ForeignKey(Phase, verbose_name=_("phase"), null=True, blank=True,
                              on_delete=models.CASCADE, related_name="+")
    from_streets = models.BooleanField(_("from every street"), default=True)
    departments = models.ManyToManyField("core.Department", verbose_name=_("from departments"),
                                         blank=True, related_name="+")

    class Meta:
        ordering = ["campaign", "pk"]
        verbose_name = _("submission schedule")
        verbose_name_plural = _("submission schedules")

    def __str__(self) -> str:
        return self.title


def submission_path(instance, filename: str) -> str:
    import secrets

    return f"submissions/{timezone.now():%Y/%m}/{secrets.token_hex(16)}"


class Submission(models.Model):
    """One report due from one street or department on one date; late is computed."""

    schedule = models.ForeignKey(SubmissionSchedule, verbose_name=_("submission schedule"),
                                 on_delete=models.CASCADE, related_name="submissions")
    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("street"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    jurisdiction_code = models.CharField(_("division code"), max_length=15, blank=True)
    department = models.ForeignKey("core.Department", verbose_name=_("department"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due on"))
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    document = models.FileField(_("document"), upload_to=submission_path, blank=True)
    document_name = models.CharField(_("file name"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [models.UniqueConstraint(
            fields=["schedule", "jurisdiction", "department", "due_on"],
            name="submission_once_per_due_date")]
        indexes = [models.Index(fields=["jurisdiction_code", "due_on"])]

    def __str__(self) -> str:
        return f"{self.schedule} {self.due_on}"
