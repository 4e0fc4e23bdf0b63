"""Who issues a document: the office a user acts for on a subject, and how it is printed.

The issuer key is what numbers count under: a district's 6-digit prefix, a street's 9-digit
prefix, or "dept:<id>" for an industry department. The printed name and number prefix come from
the IssuerPrefix table (administrators fill it, e.g. 渝中消整); without a row the name is derived
from the jurisdiction tree and there is no prefix.
"""

from fireledger.core.choices import Level, LEVEL_PREFIX_LENGTH, Role
from fireledger.core.models import Department, Jurisdiction
from fireledger.core.scope import assignments

from .choices import Kind
from .models import IssuerPrefix

DISTRICT_DIGITS = LEVEL_PREFIX_LENGTH[Level.DISTRICT]
STREET_DIGITS = LEVEL_PREFIX_LENGTH[Level.STREET]

# Which roles may issue each kind, in the order an issuer is chosen when a user holds several.
# Listing notices are the district office's decision (挂牌督办); the inspection record may be
# numbered by anyone who may see the inspection (views check that), in the street's name unless
# the user acts for the district or a department.
ISSUING_ROLES: dict[str, tuple[str, ...]] = {
    Kind.RECTIFICATION_NOTICE: (Role.STREET_OFFICER, Role.DEPARTMENT_OFFICER, Role.DISTRICT_OFFICE),
    Kind.REFERRAL_NOTICE: (Role.STREET_OFFICER, Role.DEPARTMENT_OFFICER, Role.DISTRICT_OFFICE),
    Kind.LISTING_NOTICE: (Role.DISTRICT_OFFICE,),
    Kind.INSPECTION_RECORD: (Role.STREET_OFFICER, Role.DEPARTMENT_OFFICER, Role.DISTRICT_OFFICE,
                             Role.GRID_WORKER, Role.UNIT_MANAGER),
}


def _key(role: str, assignment, code: str) -> str:
    if role == Role.DISTRICT_OFFICE:
        return code[:DISTRICT_DIGITS]
    if role == Role.DEPARTMENT_OFFICER:
        return f"dept:{assignment.department_id}"
    return code[:STREET_DIGITS]


def issuer_for(user, kind: str, code: str, department_id=None) -> str | None:
    """The issuer key `user` issues `kind` under for a subject at `code`, or None (not allowed)."""
    if not getattr(user, "is_authenticated", False):
        return None
    roles = ISSUING_ROLES[kind]
    held = assignments(user)
    for role in roles:
        for a in held:
            if a.role != role or not code.startswith(a.jurisdiction.prefix):
                continue
            if role == Role.DEPARTMENT_OFFICER and a.department_id != department_id:
                continue
            return _key(role, a, code)
    if user.is_superuser:
        return code[:DISTRICT_DIGITS]
    return None


def _prefix_row(issuer: str, kind: str):
    rows = {r.kind: r for r in IssuerPrefix.objects.filter(issuer=issuer, kind__in=[kind, ""])}
    return rows.get(kind) or rows.get("")


def prefix_for(issuer: str, kind: str) -> str:
    row = _prefix_row(issuer, kind)
    return row.prefix if row else ""


def issuer_name(issuer: str, kind: str) -> str:
    """The office printed as issuer. Default names are ours (no seed fixes them): the district's
    消防安全委员会办公室, the street's 消防工作站, the department's full name."""
    row = _prefix_row(issuer, kind)
    if row and row.name:
        return row.name
    if issuer.startswith("dept:"):
        department = Department.objects.filter(pk=issuer[5:]).first()
        return department.name if department else issuer
    if len(issuer) == DISTRICT_DIGITS:
        node = Jurisdiction.objects.filter(code=issuer.ljust(12, "0"), level=Level.DISTRICT).first()
        return f"{node.name}消防安全委员会办公室" if node else issuer
    node = Jurisdiction.objects.filter(code=issuer.ljust(12, "0"), level=Level.STREET).first()
    return f"{node.name}消防工作站" if node else issuer


def district_office_name(code: str) -> str:
    return issuer_name(code[:DISTRICT_DIGITS], Kind.LISTING_NOTICE)


def street_office_name(code: str) -> str:
    return issuer_name(code[:STREET_DIGITS], Kind.RECTIFICATION_NOTICE)
