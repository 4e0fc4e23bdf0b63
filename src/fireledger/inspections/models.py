"""Checklist templates and their versions, inspections with their results and signatures,
self-inspection commitments (三自主两公开一承诺) and one-time invitations for units."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fireledger.places.choices import Category

from .choices import FollowUp, Kind, Outcome, SignatureMethod, Status


class ChecklistTemplate(models.Model):
    """What an inspection checks at places of some categories. Its items are edited in the
    admin; every save snapshots them as a new ChecklistVersion, and inspections point at the
    version they used, so an edit never changes an inspection already made."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    place_categories = models.JSONField(
        _("place categories"), default=list, blank=True,
        help_text=_("The place categories this checklist applies to."))
    source_doc = models.CharField(_("source document"), max_length=300, blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")

    def __str__(self) -> str:
        return self.name

    def category_labels(self) -> list[str]:
        return [str(Category(c).label) for c in self.place_categories if c in Category.values]

    def current_version(self):
        return self.versions.order_by("-version").first()


class ChecklistItem(models.Model):
    """One numbered thing to check, with the defaults a failure becomes a hazard with."""

    template = models.ForeignKey(ChecklistTemplate, verbose_name=_("checklist"),
                                 on_delete=models.CASCADE, related_name="items")
    number = models.CharField(_("number"), max_length=20)
    area = models.CharField(_("area"), max_length=100, blank=True)
    text = models.TextField(_("what is checked"))
    category = models.ForeignKey("hazards.HazardCategory", verbose_name=_("hazard category"),
                                 on_delete=models.PROTECT, related_name="+")
    is_major = models.BooleanField(_("major hazard by default"), default=False)
    workdays = models.PositiveIntegerField(
        _("working days to rectify"), null=True, blank=True,
        help_text=_("Empty: the deadline rules of the hazard register decide."))
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["template", "sort_order", "pk"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return f"{self.number} {self.text[:40]}"

    def as_data(self) -> dict:
        return {"number": self.number, "area": self.area, "text": self.text,
                "category_id": self.category_id, "is_major": self.is_major,
                "workdays": self.workdays}


class ChecklistVersion(models.Model):
    """An immutable snapshot of a template's items (a list of ChecklistItem.as_data())."""

    template = models.ForeignKey(ChecklistTemplate, verbose_name=_("checklist"),
                                 on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=100)
    items = models.JSONField(_("items"), default=list)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["template", "-version"]
        verbose_name = _("checklist version")
        verbose_name_plural = _("checklist versions")
        constraints = [models.UniqueConstraint(fields=["template", "version"],
                                               name="checklist_version_unique")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class InspectionQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        """The place's scope: jurisdiction range, the place's department, the place's units;
        and, to view or change, the random inspections the user was drawn for (a draw sends
        inspectors outside their own street: recusal keeps them away from it)."""
        from fireledger.core.scope import scope_q

        q = scope_q(
            user, action, code_field="jurisdiction_code", department_field="department_id",
            organisation_fields=("place__owner_id", "place__manager_id", "place__occupant_id"))
        if action in ("view", "change") and getattr(user, "is_authenticated", False) \
                and not user.is_superuser:
            drawn = drawn_for(user)
            if drawn:
                q |= models.Q(pk__in=drawn)
        return self.filter(q)

    def drafts_of(self, user):
        """Drafts the user is to finish: those they started and the random inspections they
        were drawn for (the second inspector too)."""
        return self.filter(models.Q(created_by=user) | models.Q(pk__in=drawn_for(user)),
                           status=Status.DRAFT)


def drawn_for(user) -> list[int]:
    """The ids of the inspections a draw assigned to the user, read once per request (cached
    on the user, as core.scope.assignments is). A list, not a subquery: OR-ing a subquery
    into the scope's code range would keep PostgreSQL from using the range's index."""
    cached = getattr(user, "_fl_drawn", None)
    if cached is None:
        cached = list(DrawnPlace.objects.filter(
            inspectors__user_id=user.pk, inspection__isnull=False).order_by()
            .values_list("inspection_id", flat=True))
        user._fl_drawn = cached
    return cached


class Inspection(models.Model):
    """One visit to one place (seed 003 日常检查制度: unit, time, place, hazards found,
    rectification advice, inspectors' signatures). A draft is saved as the inspector goes;
    submitting turns its failed items into hazards in the same transaction."""

    token = models.UUIDField(_("form token"), unique=True, default=uuid.uuid4, editable=False,
                             help_text=_("Sent with every save, so a repeated submit changes "
                                         "nothing."))
    place = models.ForeignKey("places.Place", verbose_name=_("place"), on_delete=models.PROTECT,
                              related_name="inspections")
    jurisdiction_code = models.CharField(_("division code"), max_length=15, editable=False)
    department = models.ForeignKey("core.Department", verbose_name=_("industry department"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    version = models.ForeignKey(ChecklistVersion, verbose_name=_("checklist"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="inspections")
    previous = models.ForeignKey("self", verbose_name=_("previous inspection"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="follow_ups")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.DRAFT)
    unit_name = models.CharField(_("unit inspected"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    inspected_on = models.DateField(_("date inspected"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    advice = models.TextField(_("rectification or precaution advice"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    invitation = models.ForeignKey("Invitation", verbose_name=_("invitation"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        indexes = [
            models.Index(fields=["jurisdiction_code", "inspected_on"]),
            models.Index(fields=["place", "inspected_on"]),
            models.Index(fields=["kind", "jurisdiction_code", "inspected_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.place} {self.inspected_on}"

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT


class InspectionResult(models.Model):
    """One checklist item as answered, with the item's text copied from the version.

    In a re-inspection a result is one open hazard of the previous inspection instead
    (`hazard` set from the start, `follow_up` answered)."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"),
                                   on_delete=models.CASCADE, related_name="results")
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    number = models.CharField(_("number"), max_length=20, blank=True)
    area = models.CharField(_("area"), max_length=100, blank=True)
    text = models.TextField(_("what is checked"))
    category = models.ForeignKey("hazards.HazardCategory", verbose_name=_("hazard category"),
                                 null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    is_major = models.BooleanField(_("major hazard"), default=False)
    workdays = models.PositiveIntegerField(_("working days to rectify"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices,
                               blank=True)
    follow_up = models.CharField(_("re-inspection finding"), max_length=20,
                                 choices=FollowUp.choices, blank=True)
    note = models.CharField(_("what was found"), max_length=300, blank=True)
    deadline = models.DateField(_("rectification deadline"), null=True, blank=True)
    interim_safeguards = models.TextField(
        _("interim safeguards"), blank=True,
        help_text=_("A major hazard needs them until it is rectified."))
    hazard = models.ForeignKey("hazards.Hazard", verbose_name=_("hazard"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["inspection", "sort_order", "pk"]
        verbose_name = _("inspection result")
        verbose_name_plural = _("inspection results")

    def __str__(self) -> str:
        return f"{self.number} {self.text[:40]}"


def result_photo_path(instance, filename: str) -> str:
    """A random name: the upload's own name says nothing about where it is kept."""
    return f"inspections/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.img"


class ResultPhoto(models.Model):
    """A photo taken for a failed item while the inspection is a draft; on submit it goes
    to the hazard through the hazard services."""

    result = models.ForeignKey(InspectionResult, verbose_name=_("inspection result"),
                               on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=result_photo_path)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


def signature_path(instance, filename: str) -> str:
    return f"signatures/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.png"


class Signature(models.Model):
    """An inspector's (or the unit's) signature: drawn on the phone, or a typed name that the
    signer confirmed."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"),
                                   on_delete=models.CASCADE, related_name="signatures")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True,
                             blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=50)
    method = models.CharField(_("how signed"), max_length=10, choices=SignatureMethod.choices)
    image = models.ImageField(_("signature"), upload_to=signature_path, blank=True)
    signed_at = models.DateTimeField(_("signed"), default=timezone.now)

    class Meta:
        ordering = ["signed_at", "pk"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self) -> str:
        return self.name


class CommitmentQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        from fireledger.core.scope import scope_q

        return self.filter(scope_q(
            user, action, code_field="place__jurisdiction_code",
            department_field="place__department_id",
            organisation_fields=("place__owner_id", "place__manager_id", "place__occupant_id")))

    def in_force(self, on):
        return self.filter(signed_on__lte=on, valid_until__gte=on)


class Commitment(models.Model):
    """The unit's signed commitment after its self-inspection (三自主两公开一承诺), and the
    persons it publishes (两公开). It lasts a year, then falls due. An inspector who later
    finds a hazard it said was not there marks it untrue (承诺不实)."""

    place = models.ForeignKey("places.Place", verbose_name=_("place"), on_delete=models.PROTECT,
                              related_name="commitments")
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("unit"), null=True,
                                     blank=True, on_delete=models.PROTECT,
                                     related_name="commitments")
    inspection = models.OneToOneField(Inspection, verbose_name=_("self-inspection"),
                                      on_delete=models.PROTECT, related_name="commitment")
    wording = models.TextField(_("commitment"))
    signer_name = models.CharField(_("signed by"), max_length=50)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(_("valid until"))
    responsible_person = models.CharField(_("person responsible for fire safety"),
                                          max_length=50)
    responsible_phone = models.CharField(_("phone of the person responsible"), max_length=30)
    safety_manager = models.CharField(_("fire safety manager"), max_length=50)
    safety_manager_phone = models.CharField(_("phone of the safety manager"), max_length=30)
    untrue_on = models.DateField(_("found untrue on"), null=True, blank=True)
    untrue_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("found untrue by"),
                                  null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    untrue_hazard = models.ForeignKey("hazards.Hazard", verbose_name=_("hazard found"),
                                      null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    untrue_note = models.CharField(_("why untrue"), max_length=200, blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        indexes = [models.Index(fields=["place", "signed_on"])]

    def __str__(self) -> str:
        return f"{self.place} {self.signed_on}"


def invitation_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """A one-time link that lets a unit without a login run its self-inspection and sign its
    commitment for one place. Used once; expires."""

    token = models.CharField(_("token"), max_length=64, unique=True, default=invitation_token,
                             editable=False)
    place = models.ForeignKey("places.Place", verbose_name=_("place"), on_delete=models.CASCADE,
                              related_name="invitations")
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("unit"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_on = models.DateField(_("expires on"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.place} {self.expires_on}"


# --- random inspection draws (双随机) ----------------------------------------------------

class RandomDrawQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        from fireledger.core.scope import scope_q

        return self.filter(scope_q(user, action, code_field="jurisdiction_code"))


class RandomDraw(models.Model):
    """One draw of places and inspectors (双随机), kept so it can be re-run and checked: the
    seed, the algorithm version, the ratios, the pool as it was (compressed, with its sha256)
    and the inspector pool. Never changed after it is made."""

    class Mode(models.TextChoices):
        GRADE = "grade", _("by risk grade and category group")
        CAMPAIGN = "campaign", _("campaign ratios (high-rise 10 % / 5 %)")

    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("jurisdiction"),
                                     on_delete=models.PROTECT, related_name="+")
    jurisdiction_code = models.CharField(_("division code"), max_length=15, editable=False)
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("campaign"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(_("strata"), max_length=20, choices=Mode.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drawn by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("drawn at"), default=timezone.now)
    seed = models.CharField(_("seed"), max_length=64)
    algorithm_version = models.CharField(_("algorithm version"), max_length=20)
    ratios = models.JSONField(_("ratios (%)"), default=dict)
    team_size = models.PositiveSmallIntegerField(_("inspectors per place"), default=2)
    inspector_roles = models.JSONField(_("inspector roles"), default=list)
    pool_size = models.PositiveIntegerField(_("pool size"))
    pool_snapshot = models.BinaryField(_("pool snapshot"))
    pool_sha256 = models.CharField(_("pool snapshot sha256"), max_length=64)
    inspector_snapshot = models.JSONField(_("inspector pool"), default=list)
    drawn_count = models.PositiveIntegerField(_("places drawn"), default=0)

    objects = RandomDrawQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("random draw")
        verbose_name_plural = _("random draws")
        indexes = [models.Index(fields=["jurisdiction_code", "created_at"])]

    def __str__(self) -> str:
        return f"{self.jurisdiction_code} {self.created_at:%Y-%m-%d %H:%M}"


class DrawnPlace(models.Model):
    """A place the draw picked, in draw order, with the facts recusal was judged on and the
    random inspection drafted for it."""

    draw = models.ForeignKey(RandomDraw, verbose_name=_("random draw"), on_delete=models.PROTECT,
                             related_name="places")
    place = models.ForeignKey("places.Place", verbose_name=_("place"), on_delete=models.PROTECT,
                              related_name="+")
    stratum = models.CharField(_("stratum"), max_length=60)
    order = models.PositiveIntegerField(_("draw order"))
    facts = models.JSONField(_("facts for recusal"), default=dict)
    inspection = models.OneToOneField(Inspection, verbose_name=_("inspection"), null=True,
                                      blank=True, on_delete=models.PROTECT,
                                      related_name="drawn")

    class Meta:
        ordering = ["draw", "order"]
        verbose_name = _("drawn place")
        verbose_name_plural = _("drawn places")
        constraints = [
            models.UniqueConstraint(fields=["draw", "order"], name="drawn_place_order_unique"),
            models.UniqueConstraint(fields=["draw", "place"], name="drawn_place_unique"),
        ]


class DrawnInspector(models.Model):
    """An inspector drawn for a place; position 1 leads (and holds the draft)."""

    drawn_place = models.ForeignKey(DrawnPlace, verbose_name=_("drawn place"),
                                    on_delete=models.PROTECT, related_name="inspectors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspector"),
                             on_delete=models.PROTECT, related_name="drawn_for")
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["drawn_place", "position"]
        verbose_name = _("drawn inspector")
        verbose_name_plural = _("drawn inspectors")
        indexes = [models.Index(fields=["user", "drawn_place"])]


class DrawRecusal(models.Model):
    """An inspector of the pool kept away from a drawn place, and why (依法回避)."""

    class Reason(models.TextChoices):
        STREET = "street", _("assigned to the place's street")
        UNIT = "unit", _("related to the place's unit")
        LAST = "last_inspection", _("inspected the place last time")

    drawn_place = models.ForeignKey(DrawnPlace, verbose_name=_("drawn place"),
                                    on_delete=models.PROTECT, related_name="recusals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspector"),
                             on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)

    class Meta:
        ordering = ["drawn_place", "user", "reason"]
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
