"""Public disclosure in a browser: the district office publishes a random inspection's result
from the manage page, and anyone (no login, a 390 px phone) reads it on the public page."""

import pytest
from django.urls import reverse

from fireledger.hazards.models import HazardCategory
from fireledger.inspections import services as inspection_services
from fireledger.inspections.models import ChecklistItem, ChecklistTemplate
from fireledger.places.choices import Category
from fireledger.public.models import Disclosure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
             "is_mobile": True, "has_touch": True}
INTERNAL = "内部意见：约谈物业经理"


def random_inspection(actor, place, admin_user):
    category = HazardCategory.objects.get(code="hr.03.1")
    template = ChecklistTemplate.objects.create(code="browser-disclosure", name="商场抽查表",
                                                place_categories=[Category.MALL])
    for n, text in enumerate(("疏散楼梯间无杂物堆放", "灭火器在有效期内", "安全出口未锁闭"),
                             start=1):
        ChecklistItem.objects.create(template=template, number=str(n), area="疏散", text=text,
                                     category=category, sort_order=n)
    version = inspection_services.snapshot_version(admin_user, template)
    inspection = inspection_services.start_inspection(actor, place, kind="random", version=version)
    inspection_services.save_details(actor, inspection, advice=INTERNAL)
    for r in inspection.results.order_by("sort_order"):
        failed = r.number == "1"
        inspection_services.save_result(actor, r, outcome="hazard" if failed else "pass",
                                        note="纸箱堆放（内部）" if failed else "")
    for name in ("张检查", "李检查"):
        inspection_services.sign(actor, inspection, name=name, confirmed=True)
    return inspection_services.submit(actor, inspection)


def test_district_office_publishes_and_the_public_reads_it_on_a_phone(
        new_page, log_in, users, places, admin_user, screenshots_dir):
    inspection = random_inspection(users["street_officer"], places["mall"], admin_user)

    page = log_in(new_page(), users["district_office"], next=reverse("public:disclosures_manage"))
    row = page.locator(f"#due-inspection-{inspection.pk}")
    assert places["mall"].name in row.inner_text()
    assert row.locator(".due-on").inner_text()
    page.screenshot(path=str(screenshots_dir / "public-disclosures-manage.png"), full_page=True)
    with page.expect_navigation():
        row.locator(".publish-link").click()
    title = page.locator("#id_title").input_value()
    text = page.locator("#id_text").input_value()
    assert places["mall"].name in title and "3" in text and INTERNAL not in text
    with page.expect_navigation():
        page.click("#publish-submit")
    assert page.url.endswith(reverse("public:disclosures_manage"))
    disclosure = Disclosure.objects.get()
    assert page.locator(f"#published-{disclosure.pk}").is_visible()
    assert not page.locator(f"#due-inspection-{inspection.pk}").count()

    phone = new_page(**PHONE_390)
    phone.goto(reverse("public:disclosures"))
    items = phone.locator(".disclosure-item")
    assert items.count() == 1
    body = items.first.inner_text()
    assert title in body and places["mall"].name in body and places["mall"].address in body
    content = phone.content()
    for hidden in (INTERNAL, "纸箱堆放（内部）", "张检查", places["mall"].code):
        assert hidden not in content, hidden
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the public page scrolls sideways on a phone: {width}px"
    phone.screenshot(path=str(screenshots_dir / "public-disclosures-phone.png"), full_page=True)
