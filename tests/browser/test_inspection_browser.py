"""A full high-rise inspection on a 390×844 phone: every item of the seeded 高层建筑 checklist
answered, two failed (one fixed on the spot, one a hazard with a photo), an oversized and a
non-image photo refused on the item's card, a signature drawn with the finger, submitted twice
to one record; a place outside the inspector's scope is a 404."""

import datetime

import pytest
from django.utils import timezone

from fireledger.hazards.models import Hazard
from fireledger.inspections.models import ChecklistTemplate, Inspection, ResultPhoto
from fireledger.places import services as place_services
from fireledger.places.choices import Category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
             "is_mobile": True, "has_touch": True}


def picture(photo, name="楼梯间.png"):
    return {"name": name, "mimeType": "image/png", "buffer": photo(name).read()}


COUNT_SETTLES = ("document.addEventListener('htmx:afterSettle', "
                 "() => { window.settles = (window.settles || 0) + 1; });")


def swapped(page, action):
    """Do action and wait until htmx has swapped the answer in (a card, a status line)."""
    before = page.evaluate("window.settles || 0")
    action()
    page.wait_for_function(f"(window.settles || 0) > {before}")


def card(page, i):
    return page.locator(".result-card").nth(i)


def answer(page, i, outcome):
    """Click an outcome on item i's card and wait for the card to come back saved."""
    swapped(page, lambda: card(page, i).locator(f"label[for$='-{outcome}']").click())


def note(page, i, text):
    def type_it():
        card(page, i).locator("textarea[name=note]").fill(text)
        card(page, i).locator("textarea[name=note]").dispatch_event("change")
    swapped(page, type_it)


def upload(page, i, files):
    swapped(page, lambda: card(page, i).locator("input[type=file]").set_input_files(files=files))


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_full_high_rise_inspection_on_a_phone(new_page, log_in, users, places, tree,
                                              admin_user, photo, screenshots_dir, settings):
    settings.FIRELEDGER_PHOTO_MAX_BYTES = 40 * 1024
    tower = place_services.create_place(
        admin_user, name="解放碑大厦", category=Category.HIGH_RISE, building_use="public",
        jurisdiction=tree["grid111"], height_m=120, floors_above=36, address="渝中区邹容路8号")
    template = ChecklistTemplate.objects.get(code="high_rise")
    items = template.current_version().items

    page = new_page(**PHONE_390)
    page.add_init_script(COUNT_SETTLES)
    log_in(page, users["grid_worker"], next=f"/places/{tower.pk}/")
    page.click("#inspections-tab")
    with page.expect_navigation():
        page.click("#start-inspection")
    page.select_option("#id_kind", "sweep")
    page.select_option("#id_version", str(template.current_version().pk))
    with page.expect_navigation():
        page.click("#start-form button[type=submit]")
    inspection = Inspection.objects.get()
    assert page.url.endswith(f"/inspections/{inspection.pk}/edit/")
    page.screenshot(path=str(screenshots_dir / "inspection-phone-start.png"), full_page=False)

    assert page.locator(".result-card").count() == len(items)
    # Item 1: a hazard, with its note and a photo (the default deadline applies).
    answer(page, 0, "hazard")
    note(page, 0, "外墙保温层采用可燃材料")
    # A file that is not a photo, then one too large, are refused on the card, naming the file.
    upload(page, 0, [{"name": "合同.png", "mimeType": "image/png", "buffer": "不是图片".encode()}])
    assert "合同.png" in card(page, 0).locator(".result-error").inner_text()
    upload(page, 0, [{"name": "太大.png", "mimeType": "image/png",
                      "buffer": b"\x89PNG" + b"0" * 50_000}])
    assert "太大.png" in card(page, 0).locator(".result-error").inner_text()
    assert not ResultPhoto.objects.exists()
    upload(page, 0, [picture(photo)])
    assert card(page, 0).locator("img").count() == 1
    # Item 2: fixed on the spot.
    answer(page, 1, "fixed")
    note(page, 1, "消防控制室主机故障，现场复位")
    # Every other item passes.
    for i in range(2, len(items)):
        answer(page, i, "pass")
    assert no_horizontal_overflow(page)
    card(page, 0).scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots_dir / "inspection-phone-items.png"), full_page=False)

    def advise():
        page.fill("#id_advice", "立即更换外墙可燃保温材料，落实消防控制室双人值班。")
        page.locator("#id_advice").dispatch_event("change")
    swapped(page, advise)
    # Sign with a finger stroke across the pad.
    page.fill("#id_name", "网格员王")
    pad = page.locator("canvas.signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 70)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 25, box["y"] + 70 + (15 if step % 2 else -15))
    page.mouse.up()
    with page.expect_navigation():
        page.click("#sign-form button[type=submit]")
    assert page.locator("#signature-list img").count() == 1
    page.locator("#signatures").screenshot(path=str(screenshots_dir / "inspection-phone-signed.png"))

    # A double tap on submit: one record, two hazards.
    with page.expect_navigation(url=f"**/inspections/{inspection.pk}/"):
        page.dblclick("#submit-inspection")
    inspection.refresh_from_db()
    assert inspection.status == "submitted"
    hazards = list(Hazard.objects.filter(place=tower).order_by("pk"))
    assert [(h.status, h.fixed_on_spot) for h in hazards] == [("pending", False), ("closed", True)]
    assert hazards[0].photos.count() == 1
    assert hazards[0].deadline is not None and hazards[0].deadline >= timezone.localdate()
    body = page.inner_text("body")
    assert "外墙保温层采用可燃材料" in body and "网格员王" in body
    assert no_horizontal_overflow(page)
    page.screenshot(path=str(screenshots_dir / "inspection-phone-record.png"), full_page=True)

    # The hazard is on the register, found by this inspection.
    page.goto(f"/hazards/{hazards[0].pk}/")
    assert "外墙保温层采用可燃材料" in page.inner_text("body")


def test_a_place_outside_the_scope_cannot_be_inspected(new_page, log_in, users, places):
    page = log_in(new_page(**PHONE_390), users["grid_worker"])
    response = page.goto(f"/inspections/start/?place={places['hotel'].pk}")
    assert response.status == 404
    assert not Inspection.objects.exists()


def test_re_inspection_closes_a_verified_hazard(new_page, log_in, users, places, admin_user,
                                                photo):
    """The street officer re-inspects the grid worker's inspection: the unit has reported the
    rectification, the re-inspection verifies it with a photo and it is closed."""
    from fireledger.hazards import lifecycle
    from fireledger.hazards import services as hazard_services
    from fireledger.inspections import services

    template = ChecklistTemplate.objects.get(code="mall")
    version = template.current_version()
    grid = users["grid_worker"]
    first = services.start_inspection(grid, places["mall"], kind="sweep", version=version)
    for n, r in enumerate(first.results.all()):
        services.save_result(grid, r, outcome="hazard" if n == 0 else "pass",
                             deadline=timezone.localdate() + datetime.timedelta(days=5))
    services.sign(grid, first, name="网格员", confirmed=True)
    services.submit(grid, first)
    hazard = Hazard.objects.get()
    unit = users["unit_manager"]
    hazard_services.transition(unit, hazard, lifecycle.REPORT_RECTIFICATION,
                               measures="已清理疏散通道")

    page = new_page(**PHONE_390)
    page.add_init_script(COUNT_SETTLES)
    log_in(page, users["street_officer"], next=f"/inspections/{first.pk}/")
    with page.expect_navigation():
        page.click("#start-follow-up")
    assert hazard.description[:10] in page.inner_text("body")
    with page.expect_navigation():
        page.click("#follow-up-form button[type=submit]")
    answer(page, 0, "verified")
    upload(page, 0, [picture(photo, "复查.png")])
    page.fill("#id_name", "街道张")
    page.check("#id_confirmed")
    with page.expect_navigation():
        page.click("#sign-form button[type=submit]")
    with page.expect_navigation():
        page.click("#submit-inspection")
    hazard.refresh_from_db()
    assert hazard.status == "closed"
    assert hazard.photos.filter(kind="verification").count() == 1


def test_an_answer_given_offline_is_saved_when_the_connection_returns(
        new_page, log_in, users, places, screenshots_dir):
    """A basement with no signal: the change is marked unsaved, then sent when back online."""
    from fireledger.inspections import services

    version = ChecklistTemplate.objects.get(code="mall").current_version()
    draft = services.start_inspection(users["grid_worker"], places["mall"], kind="sweep",
                                      version=version)
    page = new_page(**PHONE_390)
    page.add_init_script(COUNT_SETTLES)
    log_in(page, users["grid_worker"], next=f"/inspections/{draft.pk}/edit/")
    page.context.set_offline(True)
    card(page, 0).locator("label[for$='-pass']").click()
    note_shown = card(page, 0).locator(".unsaved-note")
    note_shown.wait_for(state="visible")
    page.screenshot(path=str(screenshots_dir / "inspection-phone-offline.png"))
    assert draft.results.get(sort_order=0).outcome == ""
    swapped(page, lambda: page.context.set_offline(False))
    assert draft.results.get(sort_order=0).outcome == "pass"
