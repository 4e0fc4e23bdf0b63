"""Who may do what where: the role → action map and scope as a query.

Scope is one SQL filter per role assignment on an indexed division-code range (plus the
department's industry or the unit, for those roles), OR-ed together. `permits` applies the same
rule to one object that is not saved yet (a place about to be created).
"""

from django.db.models import Q

from .choices import Role
from .codes import range_lookup

ACTIONS = ("view", "create", "change", "delete")

# The role → permission map. Tested as a full matrix in tests/core/test_scope_matrix.py.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.DISTRICT_OFFICE: frozenset({"view", "create", "change", "delete"}),
    Role.STREET_OFFICER: frozenset({"view", "create", "change"}),
    Role.GRID_WORKER: frozenset({"view", "create", "change"}),
    Role.DEPARTMENT_OFFICER: frozenset({"view", "change"}),
    Role.UNIT_MANAGER: frozenset({"view"}),
}

NOTHING = Q(pk__in=[])


def assignments(user) -> list:
    """The user's role assignments, loaded once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_fl_assignments", None)
    if cached is None:
        cached = list(user.assignments.select_related("jurisdiction"))
        user._fl_assignments = cached
    return cached


def scope_q(
    user,
    action: str,
    *,
    code_field: str = "jurisdiction_code",
    department_field: str | None = None,
    organisation_fields: tuple[str, ...] = (),
) -> Q:
    """A Q selecting the rows `user` may `action` on."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    if user.is_superuser:
        return Q()
    combined = None
    for a in assignments(user):
        if action not in ROLE_ACTIONS[a.role]:
            continue
        q = Q(**range_lookup(code_field, a.jurisdiction.prefix))
        if a.role == Role.DEPARTMENT_OFFICER and department_field:
            q &= Q(**{department_field: a.department_id})
        if a.role == Role.UNIT_MANAGER and organisation_fields:
            unit = Q()
            for field in organisation_fields:
                unit |= Q(**{field: a.organisation_id})
            q &= unit
        combined = q if combined is None else combined | q
    return combined if combined is not None else NOTHING


def roles_q(user, roles, code_field: str = "jurisdiction_code") -> Q:
    """Rows whose division code lies in the range of one of the user's assignments holding
    one of `roles` (superuser: all) — for duties that follow a role, not an action."""
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    if user.is_superuser:
        return Q()
    combined = None
    for a in assignments(user):
        if a.role in roles:
            q = Q(**range_lookup(code_field, a.jurisdiction.prefix))
            combined = q if combined is None else combined | q
    return combined if combined is not None else NOTHING


def permits(
    user, action: str, code: str, *, department_id=None, organisation_ids: tuple = ()
) -> bool:
    """The rule of `scope_q`, applied to one (possibly unsaved) object in Python."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    for a in assignments(user):
        if action not in ROLE_ACTIONS[a.role] or not code.startswith(a.jurisdiction.prefix):
            continue
        if a.role == Role.DEPARTMENT_OFFICER and a.department_id != department_id:
            continue
        if a.role == Role.UNIT_MANAGER and a.organisation_id not in organisation_ids:
            continue
        return True
    return False


def may_ever(user, action: str) -> bool:
    """Whether any assignment grants `action` at all (decides 403 on a create page)."""
    if getattr(user, "is_superuser", False):
        return True
    return any(action in ROLE_ACTIONS[a.role] for a in assignments(user))
