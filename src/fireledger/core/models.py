"""Jurisdictions, departments, units, people, their roles, and the audit trail."""

from django.apps import apps
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import LEVEL_PREFIX_LENGTH, AuditAction, Level, Role
from .codes import range_lookup


class JurisdictionQuerySet(models.QuerySet):
    def under(self, prefix: str):
        """Every jurisdiction whose code starts with prefix (the subtree, root included)."""
        return self.filter(**range_lookup("code", prefix))

    def visible_to(self, user, action: str = "view"):
        from .scope import scope_q

        return self.filter(scope_q(user, action, code_field="code"))


class Jurisdiction(models.Model):
    """One node of the tree district → street → community → grid, keyed by its division code."""

    code = models.CharField(_("division code"), max_length=15, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        indexes = [models.Index(fields=["level", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        """The leading digits every code in this subtree shares."""
        return self.code[: LEVEL_PREFIX_LENGTH[Level(self.level)]]

    def contains_code(self, code: str) -> bool:
        return code.startswith(self.prefix)

    def ancestors(self) -> list["Jurisdiction"]:
        """Root first; a short walk, the tree is four levels deep."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    @property
    def label(self) -> str:
        """A grid's name alone ("第1网格") is ambiguous: prefix its community."""
        if self.level == Level.GRID and self.parent_id:
            return f"{self.parent.name}{self.name}"
        return self.name

    @property
    def full_name(self) -> str:
        return "".join(j.name for j in [*self.ancestors(), self])


class Department(models.Model):
    """A government department: fire brigade, 住建, 商务 … (data, not code)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=20)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.short_name or self.name


class Organisation(models.Model):
    """A unit (单位): owner, manager or occupant of places; a unit manager acts for one."""

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, db_index=True
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in; what they see follows from their role assignments."""

    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class RoleAssignment(models.Model):
    """A role held over a jurisdiction subtree (and a department's industry, or one unit)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                name="department_officer_has_department",
                condition=~models.Q(role=Role.DEPARTMENT_OFFICER) | models.Q(department__isnull=False),
            ),
            models.CheckConstraint(
                name="unit_manager_has_unit",
                condition=~models.Q(role=Role.UNIT_MANAGER) | models.Q(organisation__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.jurisdiction}"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("audit events are append-only")

    def delete(self):
        raise PermissionDenied("audit events are append-only")

    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class AuditEvent(models.Model):
    """Append-only record of one create/change/delete, written in the same transaction."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT
    )
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40)
    object_repr = models.CharField(_("object"), max_length=200)
    jurisdiction_code = models.CharField(_("division code"), max_length=15, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"]),
            models.Index(fields=["jurisdiction_code", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("audit events are append-only")

    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field label, before, after) for each field whose value differs."""
        before, after = self.before or {}, self.after or {}
        labels = {}
        try:
            labels = {f.attname: f.verbose_name for f in apps.get_model(self.object_type)._meta.concrete_fields}
        except LookupError:
            pass
        keys = [k for k in {**before, **after} if before.get(k) != after.get(k)]
        return [(labels.get(k, k), before.get(k), after.get(k)) for k in keys]


class CalendarDay(models.Model):
    """A day that breaks the weekend rule: a weekday off (holiday) or a weekend working day
    (调休上班). Seeded from the `holidays` package; admins correct and extend it."""

    class Source(models.TextChoices):
        PACKAGE = "holidays", _("holidays package")
        ADMIN = "admin", _("set by an administrator")

    day = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.ADMIN)

    class Meta:
        ordering = ["day"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.day} {self.name}"
