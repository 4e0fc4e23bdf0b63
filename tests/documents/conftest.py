"""Document fixtures: hazards to write notices about, a listing, a referral notice, a submitted
inspection, and text extraction of PDF (pdftotext) and Word (python-docx)."""

import datetime

import pytest
from django.utils import timezone

from fireledger.core.choices import Role
from fireledger.hazards import services as hazard_services
from fireledger.hazards.models import HazardCategory, ListedSupervision
from fireledger.inspections import services as inspection_services
from fireledger.inspections.models import ChecklistItem, ChecklistTemplate
from fireledger.places.choices import Category, ListedBy
from fireledger.places.models import Place

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def categories(db):
    return {c.code: c for c in HazardCategory.objects.all()}


@pytest.fixture
def hazard(places, users, categories, today):
    """A hazard at the mall (解放碑街道, 商务) being rectified against a deadline."""
    return hazard_services.log_hazard(
        users["grid_worker"], places["mall"], category=categories["hr.03.1"],
        description="疏散楼梯间堆放杂物", location_in_place="3层东侧楼梯间",
        deadline=today + 10 * DAY, responsible_unit="重庆解放碑物业管理有限公司",
        responsible_person="王经理", responsible_phone="13800000001",
        interim_safeguards="专人值守，设置警示标志")


@pytest.fixture
def listing(hazard, users, today):
    """The hazard proposed for listed supervision and listed by the district office."""
    proposal = ListedSupervision.objects.create(
        hazard=hazard, jurisdiction_code=hazard.jurisdiction_code, proposed_on=today)
    return hazard_services.decide_listing(users["district_office"], proposal, listed=True)


@pytest.fixture
def notice(places, users, categories, today):
    """A hazard at a unit the brigade lists: its referral notice opens with it."""
    Place.objects.filter(pk=places["mall"].pk).update(listed_by=ListedBy.FIRE_BRIGADE)
    place = Place.objects.get(pk=places["mall"].pk)
    found = hazard_services.log_hazard(
        users["grid_worker"], place, category=categories["hr.03.1"],
        description="消防车通道被占用", deadline=today + 5 * DAY)
    return found.notice


@pytest.fixture
def inspection(places, users, admin_user):
    """A submitted sweep of the mall: item 1 a hazard, item 2 passed, signed by name."""
    category = HazardCategory.objects.get(code="hr.03.1")
    template = ChecklistTemplate.objects.create(
        code="docs-mall", name="商场检查表（测试）", place_categories=[Category.MALL])
    for n, text in enumerate(["疏散楼梯间无杂物堆放", "灭火器在有效期内"], 1):
        ChecklistItem.objects.create(template=template, number=str(n), area="疏散通道", text=text,
                                     category=category, sort_order=n)
    version = inspection_services.snapshot_version(admin_user, template)
    actor = users["street_officer"]
    draft = inspection_services.start_inspection(actor, places["mall"], kind="sweep",
                                                 version=version)
    for result in draft.results.order_by("sort_order"):
        inspection_services.save_result(actor, result,
                                        outcome="hazard" if result.number == "1" else "pass",
                                        note="楼梯间堆放纸箱" if result.number == "1" else "")
    inspection_services.sign(actor, draft, name="李检查", confirmed=True)
    return inspection_services.submit(actor, draft)


@pytest.fixture
def role_user():
    """role_user(name, role, jurisdiction, **extra): one more user."""
    from fireledger.core.models import RoleAssignment, User

    def _make(name, role=Role.STREET_OFFICER, jurisdiction=None, **extra):
        user = User.objects.create_user(username=name, password="x", first_name=name)
        RoleAssignment.objects.create(user=user, role=role, jurisdiction=jurisdiction, **extra)
        return user
    return _make
