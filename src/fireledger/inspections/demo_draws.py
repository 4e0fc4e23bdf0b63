"""One random draw (双随机) for the demo district, made the way the district office makes it
on the draw page (services_draws.make_draw), with a fixed seed so every demo holds the same.

Call after the demo's places, users and inspections exist (`fireledger demo`): the district
office (user "district") draws over the district with the default risk-grade ratios, from the
district office and street officers. The demo has one street officer (解放碑街道), who is
recused from every place of that street, so two more street officers are added as demo users
(DEMO_INSPECTORS, password as the other demo users): every place keeps at least two
inspectors after recusal. Only categories that have a checklist are in the pool, since a
random inspection is made on one.
"""

DEMO_SEED = "demo-2026-双随机"
# (username, name, street): street officers of two more streets, inspectors of the draw.
DEMO_INSPECTORS = (("street_qxg", "周敏", "七星岗街道"), ("street_llk", "李强", "两路口街道"))


def generate_demo_draw(district_code: str | None = None, seed: str = DEMO_SEED) -> dict:
    """Returns {"draw": pk, "places": n, "pool": n} ({} when the demo users or street are not
    there)."""
    from fireledger.core.choices import Role
    from fireledger.core.models import Jurisdiction, User
    from fireledger.places import generator

    from . import services_draws as sd

    from fireledger.core.models import RoleAssignment

    district_code = district_code or generator.DEMO_DISTRICT[0]
    office = User.objects.filter(username="district").first()
    district = Jurisdiction.objects.filter(level="district", code__startswith=district_code).first()
    if office is None or district is None:
        return {}
    for username, name, street_name in DEMO_INSPECTORS:
        street = Jurisdiction.objects.filter(level="street", name=street_name,
                                             code__startswith=district_code).first()
        if street is not None:
            user = generator._demo_user(username, name)
            RoleAssignment.objects.create(user=user, role=Role.STREET_OFFICER,
                                          jurisdiction=street)
    draw = sd.make_draw(office, district, seed=seed,
                        inspector_roles=[Role.DISTRICT_OFFICE, Role.STREET_OFFICER],
                        categories=sd.categories_with_checklist())
    return {"draw": draw.pk, "places": draw.drawn_count, "pool": draw.pool_size}


def delete_draws() -> None:
    """For `fireledger demo --reset`, BEFORE inspection_demo.delete_inspections(): drawn places
    PROTECT their inspections."""
    from .models import DrawnInspector, DrawnPlace, DrawRecusal, RandomDraw

    DrawRecusal.objects.all().delete()
    DrawnInspector.objects.all().delete()
    DrawnPlace.objects.all().delete()
    RandomDraw.objects.all().delete()


__all__ = ["delete_draws", "generate_demo_draw"]
