"""Inspection fixtures: a small checklist of our own (independent of the seeded checklists) and
helpers that run an inspection through the services the way the phone pages do."""

import pytest
from django.utils import timezone

from fireledger.hazards.models import HazardCategory
from fireledger.inspections import services
from fireledger.inspections.models import ChecklistItem, ChecklistTemplate
from fireledger.places.choices import Category


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def checklist(db):
    """A mall checklist: 1 plain, 2 rectified within one working day, 3 major, 4 plain."""
    categories = {c.code: c for c in HazardCategory.objects.filter(
        code__in=["hr.03.1", "hr.02.1", "mall.2", "mall.1"])}
    template = ChecklistTemplate.objects.create(
        code="test-mall", name="商场市场检查表（测试）", place_categories=[Category.MALL])
    for n, (area, text, code, extra) in enumerate([
        ("疏散通道", "疏散楼梯间无杂物堆放", "hr.03.1", {}),
        ("消防设施", "消火栓箱内器材齐全", "hr.02.1", {"workdays": 1}),
        ("疏散通道", "安全出口未锁闭", "mall.2", {"is_major": True}),
        ("消防设施", "灭火器在有效期内", "mall.1", {}),
    ], start=1):
        ChecklistItem.objects.create(template=template, number=str(n), area=area, text=text,
                                     category=categories[code], sort_order=n, **extra)
    return template


@pytest.fixture
def version(checklist, admin_user):
    return services.snapshot_version(admin_user, checklist)


@pytest.fixture
def start(places, version):
    """start(actor, place="mall", kind="sweep", **kw): a draft on the test checklist."""
    def _start(actor, place="mall", kind="sweep", **kw):
        kw.setdefault("version", version)
        return services.start_inspection(actor, places[place], kind=kind, **kw)
    return _start


def results(inspection) -> dict:
    """The inspection's results by item number."""
    return {r.number: r for r in inspection.results.order_by("sort_order", "pk")}


@pytest.fixture
def answer():
    """answer(actor, inspection, {"1": "hazard"}, photos={"1": upload}, invitation=None):
    every item not named passes; photos go to the named items."""
    def _answer(actor, inspection, outcomes=None, *, photos=None, invitation=None):
        outcomes = outcomes or {}
        for number, result in results(inspection).items():
            services.save_result(actor, result, invitation=invitation,
                                 outcome=outcomes.get(number, "pass"))
        for number, upload in (photos or {}).items():
            services.add_result_photo(actor, results(inspection)[number], upload,
                                      invitation=invitation)
    return _answer


@pytest.fixture
def inspect(start, answer):
    """inspect(actor, {"1": "hazard"}, place="mall", kind="sweep", photos=None, signers=None,
    **start_kw): started, answered, signed (by the actor, or each of `signers`) and
    submitted."""
    def _inspect(actor, outcomes=None, *, place="mall", kind="sweep", photos=None,
                 signers=None, invitation=None, **kw):
        inspection = start(actor, place, kind, invitation=invitation, **kw)
        answer(actor, inspection, outcomes, photos=photos, invitation=invitation)
        for name in signers or [actor.first_name if actor else "单位负责人"]:
            services.sign(actor, inspection, name=name, confirmed=True, invitation=invitation)
        return services.submit(actor, inspection, invitation=invitation)
    return _inspect


@pytest.fixture
def commit():
    """commit(actor, inspection, invitation=None): the commitment signed with sample persons."""
    def _commit(actor, inspection, invitation=None):
        return services.sign_commitment(
            actor, inspection, signer_name="王经理", responsible_person="王经理",
            responsible_phone="13800000001", safety_manager="李主管",
            safety_manager_phone="13800000002", invitation=invitation)
    return _commit

