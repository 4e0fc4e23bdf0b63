"""三自主两公开一承诺 on a 390×844 phone: the unit manager self-inspects the mall, fixes one thing
on the spot, signs with a finger (a mouse stroke over the pad), signs the commitment and sees it
on the place page with the persons it publishes; later a street officer's sweep finds a hazard
there and marks the commitment untrue (承诺不实), which shows on the unit's record."""

import pytest
from django.utils import translation

from fireledger.hazards.models import Hazard, HazardCategory
from fireledger.inspections import services
from fireledger.inspections.models import ChecklistItem, ChecklistTemplate, Commitment, Inspection
from fireledger.places.choices import Category
from fireledger.places.models import Place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture
def own_version(admin_user):
    template = ChecklistTemplate.objects.create(
        code="browser-self-mall", name="商场自查表（浏览器测试）", place_categories=[Category.MALL])
    for n, (text, code) in enumerate([("疏散楼梯间无杂物堆放，安全出口畅通", "hr.03.1"),
                                      ("消火栓箱内水带、水枪齐全，箱门能正常开启", "hr.02.1"),
                                      ("灭火器在有效期内，压力指针在绿区", "mall.1")], start=1):
        ChecklistItem.objects.create(template=template, number=str(n), area="疏散与消防设施",
                                     text=text, category=HazardCategory.objects.get(code=code),
                                     sort_order=n)
    return services.snapshot_version(admin_user, template)


def go(page, action):
    """Run `action` (a selector to click, or a callable) and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(action) if isinstance(action, str) else action()


def answer(page, result, outcome, note=""):
    """Tap an outcome on an item's card and wait for htmx to save it and swap the card."""
    card = f"#result-{result.pk}"
    with page.expect_response(lambda r: r.url.endswith(f"/results/{result.pk}/")
                              and r.request.method == "POST") as saved:
        page.click(f"label[for=oc-{result.pk}-{outcome}]")
    assert saved.value.status == 200
    page.wait_for_selector(f"{card} input[value={outcome}]:checked")
    if note:
        with page.expect_response(lambda r: r.url.endswith(f"/results/{result.pk}/")) as saved:
            page.fill(f"#note-{result.pk}", note)
            page.locator(f"#note-{result.pk}").dispatch_event("change")
        assert saved.value.status == 200


def draw_signature(page, canvas="#sign-form canvas.signature-pad"):
    page.locator(canvas).scroll_into_view_if_needed()
    box = page.locator(canvas).bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + w * 0.1, y + h * 0.6)
    page.mouse.down()
    for i in range(1, 13):
        page.mouse.move(x + w * (0.1 + 0.065 * i), y + h * (0.3 if i % 2 else 0.7), steps=3)
    page.mouse.up()
    assert page.input_value("#sign-form input[name=drawing]").startswith("data:image/png;base64,")


def assert_fits(page, name):
    """Nothing wider than the 390 px screen: the page does not scroll sideways."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{name}: the page is {width}px wide"


def test_unit_self_inspects_signs_and_is_found_untrue(
        new_page, log_in, users, places, own_version, screenshots_dir):
    mall = places["mall"]
    Place.objects.filter(pk=mall.pk).update(responsible_person="张总",
                                            responsible_phone="13900000009")
    shots = screenshots_dir

    # The unit manager opens the mall and starts a self-inspection on the checklist.
    page = log_in(new_page(**PHONE_390), users["unit_manager"], next=f"/places/{mall.pk}/")
    page.click("#inspections-tab")
    go(page, "#start-inspection")
    page.select_option("#id_version", str(own_version.pk))
    go(page, "#start-form button[type=submit]")
    inspection = Inspection.objects.get(kind="self")
    assert page.url.endswith(f"/inspections/{inspection.pk}/edit/")
    first, second, third = inspection.results.order_by("sort_order")

    answer(page, first, "pass")
    answer(page, second, "fixed", note="消火栓箱门锈死，已当场修复")
    answer(page, third, "na")
    page.fill("#sign-form #id_name", "王经理")
    draw_signature(page)
    page.screenshot(path=str(shots / "self-inspection-form-phone.png"), full_page=True)
    assert_fits(page, "self-inspection form")
    go(page, "#sign-form button[type=submit]")
    signature = inspection.signatures.get()
    assert signature.method == "drawn" and signature.image
    go(page, "#submit-inspection")

    # Submitted: on to the commitment, the persons prefilled from the ledger where it has them.
    assert page.url.endswith(f"/inspections/{inspection.pk}/commitment/"), page.url
    assert services.COMMITMENT_WORDING in page.inner_text("#commitment-wording")
    assert page.input_value("#id_responsible_person") == "张总"
    page.fill("#id_safety_manager", "李主管")
    page.fill("#id_safety_manager_phone", "023-63000000")
    go(page, "#sign-commitment")
    # Not ticked: refused on the tick, nothing saved, what was typed kept.
    assert page.locator("#id_confirmed.is-invalid").count() == 1
    assert not Commitment.objects.exists()
    assert page.input_value("#id_safety_manager") == "李主管"
    page.screenshot(path=str(shots / "commitment-form-phone.png"), full_page=True)
    assert_fits(page, "commitment form")
    page.check("#id_confirmed")
    go(page, "#sign-commitment")
    commitment = Commitment.objects.get()
    assert commitment.signed_by == users["unit_manager"]
    assert page.locator("#signed-commitment [data-state=in_force]").count() == 1
    page.screenshot(path=str(shots / "commitment-signed-phone.png"), full_page=True)
    assert_fits(page, "signed commitment")

    # The place page's inspections tab shows it, with the published persons.
    page.goto(f"/places/{mall.pk}/")
    page.click("#inspections-tab")
    published = page.inner_text("#place-commitment")
    for text in ("张总", "13900000009", "李主管", "023-63000000"):
        assert text in published
    page.screenshot(path=str(shots / "place-commitment-phone.png"), full_page=True)
    assert_fits(page, "place page")

    # Later, a street officer's sweep finds a hazard the commitment said was not there.
    officer = log_in(new_page(**PHONE_390), users["street_officer"], next=f"/places/{mall.pk}/")
    officer.click("#inspections-tab")
    # The invitation card: a one-time link for the unit to copy.
    with officer.expect_response(lambda r: "/inspections/invite/new/" in r.url):
        officer.click("#create-invitation")
    officer.wait_for_selector("#invite-card .invitation-new")
    assert "/inspections/invite/" in officer.input_value("#invite-card .invitation-link")
    officer.screenshot(path=str(shots / "place-invite-card-phone.png"), full_page=True)
    assert_fits(officer, "place page with the invitation card")
    go(officer, "#start-inspection")
    officer.select_option("#id_kind", "sweep")
    officer.select_option("#id_version", str(own_version.pk))
    go(officer, "#start-form button[type=submit]")
    sweep = Inspection.objects.get(kind="sweep")
    first, second, third = sweep.results.order_by("sort_order")
    answer(officer, first, "hazard", note="一层楼梯间堆放纸箱")
    answer(officer, second, "pass")
    answer(officer, third, "pass")
    officer.fill("#sign-form #id_name", "街道检查员")
    officer.check("#sign-form #id_confirmed")
    go(officer, "#sign-form button[type=submit]")
    go(officer, "#submit-inspection")
    hazard = Hazard.objects.get(source="inspection")
    assert officer.url.endswith(f"/inspections/{sweep.pk}/")

    # The record offers 承诺不实 on the commitment in force.
    assert officer.locator("#commitment-panel .untrue-form").count() == 1
    officer.fill(f"#untrue-form-{commitment.pk} #id_untrue_note", "承诺无隐患，检查发现楼梯间堆放纸箱")
    officer.screenshot(path=str(shots / "untrue-form-phone.png"), full_page=True)
    assert_fits(officer, "inspection record with the untrue form")
    go(officer, "#mark-untrue")
    commitment.refresh_from_db()
    assert commitment.untrue_on is not None and commitment.untrue_hazard == hazard
    # Back on the record, now showing the commitment untrue; its unit's record shows it too.
    assert officer.url.endswith(f"/inspections/{sweep.pk}/")
    assert officer.locator("#commitment-panel [data-state=untrue]").count() == 1
    go(officer, "#panel-unit-record")
    assert f"/inspections/units/{mall.manager_id}/commitments/" in officer.url
    with translation.override("zh-hans"):
        untrue_label = translation.gettext("commitment untrue")
    record = officer.inner_text("#unit-commitments")
    assert untrue_label in record and "楼梯间堆放纸箱" in record
    assert officer.locator(".unit-commitment[data-state=untrue]").count() == 1
    officer.screenshot(path=str(shots / "unit-commitments-phone.png"), full_page=True)
    assert_fits(officer, "unit record")

    # The unit manager sees it on the place page.
    page.goto(f"/places/{mall.pk}/")
    page.click("#inspections-tab")
    assert untrue_label in page.inner_text("#place-commitment")


def test_invited_unit_without_a_login(new_page, users, places, own_version, screenshots_dir):
    """The one-time link on a phone: start, answer, sign, submit, commit; then the link is
    used (410) and says so in Chinese wording the unit can act on."""
    mall = places["mall"]
    invitation = services.invite(users["street_officer"], mall)
    landing = f"/inspections/invite/{invitation.token}/"
    page = new_page(**PHONE_390)
    page.goto(landing)
    assert mall.name in page.inner_text("h1")
    page.check(f"#invite-start-form input[value='{own_version.pk}']")
    page.screenshot(path=str(screenshots_dir / "invite-start-phone.png"), full_page=True)
    assert_fits(page, "invitation landing")
    go(page, "#start-self-inspection")
    inspection = Inspection.objects.get(invitation=invitation)
    for result in inspection.results.order_by("sort_order"):
        answer(page, result, "pass")
    page.fill("#sign-form #id_name", "王经理")
    draw_signature(page)
    go(page, "#sign-form button[type=submit]")
    go(page, "#submit-inspection")
    assert page.url.endswith(landing)
    page.fill("#id_responsible_person", "王经理")
    page.fill("#id_responsible_phone", "13800000001")
    page.fill("#id_safety_manager", "李主管")
    page.fill("#id_safety_manager_phone", "13800000002")
    page.fill("#id_signer_name", "王经理")
    page.check("#id_confirmed")
    page.screenshot(path=str(screenshots_dir / "invite-commit-phone.png"), full_page=True)
    assert_fits(page, "invitation commitment form")
    go(page, "#sign-commitment")
    assert page.locator("#invite-thanks").count() == 1
    assert "李主管" in page.inner_text("#invite-page")
    page.screenshot(path=str(screenshots_dir / "invite-thanks-phone.png"), full_page=True)
    response = page.goto(landing)
    assert response.status == 410 and page.locator("#invite-closed").count() == 1
    page.screenshot(path=str(screenshots_dir / "invite-used-phone.png"), full_page=True)
    assert_fits(page, "used invitation")
    assert Commitment.objects.get().inspection == inspection
