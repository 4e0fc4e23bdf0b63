"""A small district for draw tests: inspectors in each street and at the district, places
with and without risk grades in both streets."""

from fireledger.core.choices import Role
from fireledger.core.models import Department, RoleAssignment, User
from fireledger.places import services as place_services
from fireledger.places.choices import Category
from fireledger.risk.models import RiskScore

PASSWORD = "fireledger-test"  # tests/conftest.py's


def make_user(username, role=None, jurisdiction=None, **extra):
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=username)
    if role:
        RoleAssignment.objects.create(user=user, role=role, jurisdiction=jurisdiction, **extra)
    return user


def inspectors(tree):
    """Two street officers per street and two district inspectors: after street recusal every
    place keeps at least two."""
    return {
        "s1a": make_user("s1a", Role.STREET_OFFICER, tree["street1"]),
        "s1b": make_user("s1b", Role.STREET_OFFICER, tree["street1"]),
        "s2a": make_user("s2a", Role.STREET_OFFICER, tree["street2"]),
        "s2b": make_user("s2b", Role.STREET_OFFICER, tree["street2"]),
        "d1": make_user("d1", Role.DISTRICT_OFFICE, tree["district"]),
    }


def district_places(actor, tree, unit, n_per_street=4):
    """n places per street, alternating mall and hotel, the first of each graded red."""
    shangwu = Department.objects.get(code="shangwu")
    wenlv = Department.objects.get(code="wenlv")
    out = []
    for street, grid in (("street1", "grid111"), ("street2", "grid211")):
        for n in range(n_per_street):
            mall = n % 2 == 0
            place = place_services.create_place(
                actor, name=f"{tree[street].name}场所{n + 1}",
                category=Category.MALL if mall else Category.HOTEL,
                jurisdiction=tree[grid], department=shangwu if mall else wenlv,
                manager=unit if n == 1 else None, address=f"测试路{n + 1}号")
            # The risk hook grades every place it creates; these tests want one red place per
            # street and the rest ungraded.
            if n == 0:
                RiskScore.objects.update_or_create(
                    place=place, defaults={"jurisdiction_code": place.jurisdiction_code,
                                           "score": 90, "grade": "red"})
            else:
                RiskScore.objects.filter(place=place).delete()
            out.append(place)
    return out


def all_ratios(mode_strata, percent=100):
    return {s: percent for s in mode_strata}


def unit_manager_too(user, unit, jurisdiction):
    RoleAssignment.objects.create(user=user, role=Role.UNIT_MANAGER, jurisdiction=jurisdiction,
                                  organisation=unit)
