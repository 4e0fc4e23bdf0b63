"""Creating and editing a place through the real form: derived flags, history, field errors, 403."""

import pytest

from fireledger.core.models import AuditEvent
from fireledger.places.models import Place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "解放西路88号住宅楼"


def flag_item(page, field: str):
    """The <li> of one derived flag on the detail page (order of models.DERIVED_FLAGS)."""
    order = ["is_high_rise", "is_old_compound", "is_mall_in_focus", "suggested_key_unit"]
    return page.locator("#derived-flags > li").nth(order.index(field))


def fill_residential_building(page, tree, height="30", where="community11"):
    page.fill("#id_name", NAME)
    page.select_option("#id_category", "residential")
    page.select_option("#id_building_use", "residential")
    page.select_option("#id_jurisdiction", str(tree[where].pk))
    page.fill("#id_address", "渝中区解放西路88号")
    page.fill("#id_building_name", "解放西路88号1栋")
    page.fill("#id_manager_name", "重庆渝中物业服务有限公司")
    page.fill("#id_responsible_person", "王建国")
    page.fill("#id_responsible_phone", "13908300001")
    page.fill("#id_height_m", height)
    page.fill("#id_floors_above", "11")
    page.fill("#id_year_built", "2005")
    page.select_option("#id_has_hydrant", "true")
    page.fill("#id_survey_hazards", "1.楼道堆放杂物；\n2.电动自行车楼道内充电。")


def save(page):
    with page.expect_navigation():
        page.click("form button[type=submit].btn-primary")


def test_street_officer_creates_then_edits_a_place(page, log_in, users, tree):
    log_in(page, users["street_officer"])
    page.click("a[href$='/places/new/']")
    page.wait_for_url("**/places/new/")
    # The jurisdiction choices are the officer's street only.
    options = page.locator("#id_jurisdiction option").all_inner_texts()
    assert "解放碑街道" in options and "七星岗街道" not in options

    fill_residential_building(page, tree)
    save(page)

    place = Place.objects.get(name=NAME)
    assert page.url.endswith(f"/places/{place.pk}/")
    assert NAME in page.inner_text(".alert-success")
    assert place.jurisdiction_code == tree["community11"].code and place.is_high_rise

    # Derived flags with their reasons: a residential building 30 m high is high-rise (> 27 m).
    high_rise = flag_item(page, "is_high_rise")
    assert "bg-green-lt" in high_rise.locator(".badge").get_attribute("class")
    reason = high_rise.locator(".text-secondary").inner_text()
    assert "27" in reason and "30" in reason, reason
    old = flag_item(page, "is_old_compound")
    assert "bg-secondary-lt" in old.locator(".badge").get_attribute("class")
    assert "2005" in old.inner_text()
    assert "高层建筑" in page.inner_text(".page-header .flag-badges")  # the badge by the name
    body = page.inner_text("#tab-info")
    for value in ("渝中区解放西路88号", "重庆渝中物业服务有限公司", "王建国", "13908300001",
                  "电动自行车楼道内充电"):
        assert value in body

    # Edit: lower the building to 20 m and correct the address.
    page.click(f"a[href$='/places/{place.pk}/edit/']")
    page.wait_for_url(f"**/places/{place.pk}/edit/")
    assert page.input_value("#id_height_m") in ("30", "30.0")
    assert page.input_value("#id_manager_name") == "重庆渝中物业服务有限公司"
    page.fill("#id_height_m", "20")
    page.fill("#id_address", "渝中区解放西路88号附1号")
    save(page)
    assert page.url.endswith(f"/places/{place.pk}/")
    high_rise = flag_item(page, "is_high_rise")
    assert "bg-secondary-lt" in high_rise.locator(".badge").get_attribute("class")
    assert "20" in high_rise.inner_text()
    assert "高层建筑" not in page.inner_text(".page-header .flag-badges")

    # History tab: the change, field by field, with who did it.
    assert not page.is_visible("table.history")
    page.click("#history-tab")
    history = page.locator("table.history")
    history.wait_for(state="visible")
    rows = history.locator("tbody tr")
    assert rows.count() == 2  # created, then changed (newest first)
    change = rows.nth(0).inner_text()
    assert "30.0 → 20.0" in change, change
    assert "渝中区解放西路88号 → 渝中区解放西路88号附1号" in change
    assert "street" in change  # the actor's display name
    assert AuditEvent.objects.for_object(place).count() == 2


def test_bad_input_shows_field_errors_and_keeps_what_was_typed(page, log_in, users, tree,
                                                             screenshots_dir):
    log_in(page, users["street_officer"])
    page.goto("/places/new/")
    fill_residential_building(page, tree)
    page.fill("#id_name", "")  # required
    # Browsers refuse letters in type=number inputs; someone pasting into an older browser, or a
    # script, can still send them, so make the height a text box and type Chinese into it.
    assert page.get_attribute("#id_height_m", "type") == "number"
    page.eval_on_selector("#id_height_m", "el => { el.type = 'text'; }")
    page.fill("#id_height_m", "三十米")
    page.fill("#id_year_built", "-1990")
    save(page)

    assert page.url.endswith("/places/new/")
    assert page.locator(".alert-danger").count() >= 1
    errors = {
        field: page.locator(f"#id_{field} ~ .invalid-feedback").all_inner_texts()
        for field in ("name", "height_m", "year_built", "address")
    }
    assert errors["name"] and errors["height_m"] and errors["year_built"], errors
    assert not errors["address"]
    assert not Place.objects.exists()
    page.screenshot(path=str(screenshots_dir / "place-form-errors-desktop.png"), full_page=True)

    # Everything else typed is still there.
    assert page.input_value("#id_category") == "residential"
    assert page.input_value("#id_building_use") == "residential"
    assert page.input_value("#id_jurisdiction") == str(tree["community11"].pk)
    assert page.input_value("#id_address") == "渝中区解放西路88号"
    assert page.input_value("#id_building_name") == "解放西路88号1栋"
    assert page.input_value("#id_manager_name") == "重庆渝中物业服务有限公司"
    assert page.input_value("#id_responsible_phone") == "13908300001"
    assert page.input_value("#id_floors_above") == "11"
    assert page.input_value("#id_has_hydrant") == "true"
    assert "电动自行车楼道内充电" in page.input_value("#id_survey_hazards")

    # Correct the three fields and the place is recorded.
    page.fill("#id_name", NAME)
    page.eval_on_selector("#id_height_m", "el => { el.type = 'text'; }")
    page.fill("#id_height_m", "30")
    page.fill("#id_year_built", "1990")
    save(page)
    place = Place.objects.get(name=NAME)
    assert page.url.endswith(f"/places/{place.pk}/")
    assert place.is_high_rise and place.is_old_compound and place.address == "渝中区解放西路88号"


def test_place_outside_scope_cannot_be_created(page, log_in, users, tree):
    """A jurisdiction outside the street is not even offered; forcing it gives a form error."""
    log_in(page, users["street_officer"])
    page.goto("/places/new/")
    fill_residential_building(page, tree)
    other = tree["community21"]  # 七星岗街道
    page.eval_on_selector(
        "#id_jurisdiction",
        f"el => el.add(new Option('{other.name}', '{other.pk}', true, true))")
    save(page)
    assert page.url.endswith("/places/new/")
    assert page.locator("#id_jurisdiction ~ .invalid-feedback").count() == 1
    assert page.input_value("#id_address") == "渝中区解放西路88号"
    assert not Place.objects.exists()


def test_form_fits_a_phone(phone_page, log_in, users, tree, screenshots_dir):
    page = phone_page
    log_in(page, users["grid_worker"])
    page.goto("/places/new/")
    fill_residential_building(page, tree, where="grid111")
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert widths["scroll"] <= widths["inner"], widths
    page.screenshot(path=str(screenshots_dir / "place-form-phone.png"), full_page=True)


def test_unit_manager_may_view_but_not_edit(page, log_in, users, places):
    log_in(page, users["unit_manager"])
    mall = places["mall"]
    response = page.goto(f"/places/{mall.pk}/")
    assert response.status == 200
    assert page.locator(f"a[href$='/places/{mall.pk}/edit/']").count() == 0
    response = page.goto(f"/places/{mall.pk}/edit/")
    assert response.status == 403
    response = page.goto("/places/new/")
    assert response.status == 403
    assert page.locator("a[href$='/places/new/']").count() == 0
