"""The place ledger in a real browser, as each role: scope, 404s, filters, search, phone layout.

Roles, users and places come from tests/conftest.py; what each role sees is the same table as
tests/core/test_scope_matrix.py (SEES), here checked through the login form and the list page.
"""

import pytest

from fireledger.core.models import Department
from fireledger.places import services
from fireledger.places.choices import Category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Which of the three fixture places each role sees (as in tests/core/test_scope_matrix.py).
SEES = {
    "district_office": {"mall", "compound", "hotel"},
    "department_officer": {"mall"},  # 商务's industry only
    "street_officer": {"mall", "compound"},  # 解放碑街道
    "grid_worker": {"mall"},  # grid 1-1-1
    "unit_manager": {"mall"},  # the unit manages the mall
}

NAME_CELLS = "table.table-places tbody td.place-name a"


def listed_names(page) -> set[str]:
    return {name.strip() for name in page.locator(NAME_CELLS).all_inner_texts()}


def submit_filters(page):
    with page.expect_navigation():
        page.click("#place-filters button[type=submit]")


@pytest.mark.parametrize("role", SEES)
def test_each_role_sees_its_part_of_the_ledger(role, page, log_in, users, places):
    log_in(page, users[role])
    assert page.url.rstrip("/").endswith("/places"), page.url
    assert listed_names(page) == {places[k].name for k in SEES[role]}
    body = page.inner_text("body")
    for key in set(places) - SEES[role]:
        assert places[key].name not in body

    # A visible place opens from its link ...
    visible = places[sorted(SEES[role])[0]]
    with page.expect_navigation():
        page.click(f"{NAME_CELLS}:text-is('{visible.name}')")
    assert page.url.endswith(f"/places/{visible.pk}/")
    assert visible.name in page.inner_text("h1")

    # ... and one outside the scope does not exist for this user, even by its URL.
    for key in set(places) - SEES[role]:
        response = page.goto(f"/places/{places[key].pk}/")
        assert response.status == 404, (role, key, response.status)
        assert places[key].name not in page.content()
        response = page.goto(f"/places/{places[key].pk}/edit/")
        assert response.status == 404, (role, key, "edit", response.status)


def test_district_office_opens_every_street_and_unknown_ids_are_404(page, log_in, users, places):
    log_in(page, users["district_office"])
    for place in places.values():
        response = page.goto(f"/places/{place.pk}/")
        assert response.status == 200 and place.name in page.inner_text("h1")
    response = page.goto(f"/places/{max(p.pk for p in places.values()) + 1000}/")
    assert response.status == 404


def test_filter_by_category_and_by_flag(page, log_in, users, places):
    log_in(page, users["district_office"])
    assert listed_names(page) == {p.name for p in places.values()}

    page.select_option("#id_category", Category.MALL.value)
    submit_filters(page)
    assert "category=mall" in page.url
    assert listed_names(page) == {places["mall"].name}
    # The chosen filter stays selected after the round trip.
    assert page.input_value("#id_category") == Category.MALL.value

    page.click("#place-filters a[href$='/places/']")  # clear
    page.wait_for_url("**/places/")
    assert listed_names(page) == {p.name for p in places.values()}

    # Flags sit in a folded <details>: open it, pick "old compound: yes".
    page.click("#place-filters details summary")
    page.select_option("#id_is_old_compound", "true")
    submit_filters(page)
    assert "is_old_compound=true" in page.url
    assert listed_names(page) == {places["compound"].name}
    assert page.locator("#place-filters details").get_attribute("open") is not None

    page.select_option("#id_is_old_compound", "false")
    page.select_option("#id_is_high_rise", "true")
    submit_filters(page)
    assert listed_names(page) == {places["mall"].name}  # 98 m; the hotel has no height

    # Category and flag together: nothing is both a hotel and high-rise.
    page.select_option("#id_category", Category.HOTEL.value)
    submit_filters(page)
    assert listed_names(page) == set()
    assert page.locator("table.table-places tbody td[colspan]").count() == 1


@pytest.mark.parametrize("query", ["jfb", "JFB", "jfbsdgc", "时代广场", "民权路"])
def test_search_by_pinyin_initials_name_or_address(query, page, log_in, users, places):
    log_in(page, users["street_officer"])
    page.fill("#id_q", query)
    page.press("#id_q", "Enter")
    page.wait_for_url("**/places/?*q=*")
    assert listed_names(page) == {"解放碑时代广场"}
    assert page.input_value("#id_q") == query


def test_search_for_a_place_outside_scope_finds_nothing(page, log_in, users, places):
    log_in(page, users["street_officer"])
    page.fill("#id_q", "qxgbg")  # 七星岗宾馆, in the other street
    page.press("#id_q", "Enter")
    page.wait_for_url("**/places/?*q=*")
    assert listed_names(page) == set()


# Places with long names and addresses, as real ledgers have them, so the layout is tested.
MORE_PLACES = [
    ("重庆大都会东方广场购物中心（解放碑店）", Category.MALL, "grid111",
     "渝中区邹容路68号大都会东方广场负一层至六层", {"area_above": 36000, "area_below": 8000,
                                         "height_m": 120, "floors_above": 28}),
    ("十八梯传统风貌区商业街", Category.MALL, "community12", "渝中区十八梯步行街1-88号",
     {"area_above": 1788}),
    ("较场口夜市小吃城", Category.NINE_SMALL, "grid112", "渝中区较场口日月光广场旁", {}),
    ("解放西路121号住宅楼", Category.RESIDENTIAL, "community11", "渝中区解放西路121号",
     {"building_use": "residential", "height_m": 31.5, "year_built": 1996}),
    ("七星岗通远门老年公寓", Category.ELDERLY_CARE, "grid211", "渝中区中山一路通远门城墙下",
     {"beds": 120}),
    ("渝中区人民医院（七星岗院区）", Category.MEDICAL, "community22", "渝中区七星岗健康路1号",
     {"beds": 600, "height_m": 45}),
]


@pytest.fixture
def more_places(places, tree, admin_user):
    from fireledger.places.choices import DEFAULT_DEPARTMENT

    for name, category, node, address, extra in MORE_PLACES:
        services.create_place(
            admin_user, name=name, category=category, jurisdiction=tree[node], address=address,
            department=Department.objects.get(code=DEFAULT_DEPARTMENT[category]), **extra)
    return places


def _no_horizontal_overflow(page):
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert widths["scroll"] <= widths["inner"], widths


def _styles_loaded(page):
    assert page.failed_responses == [], page.failed_responses
    # app.css paints the brand mark red; Tabler styles the primary button.
    brand = page.evaluate(
        "() => getComputedStyle(document.querySelector('.brand-mark')).backgroundColor")
    assert brand == "rgb(214, 57, 57)", brand


def test_list_on_a_phone(phone_page, log_in, users, more_places, screenshots_dir):
    page = phone_page
    log_in(page, users["district_office"])
    assert len(listed_names(page)) == 3 + len(MORE_PLACES)
    _styles_loaded(page)
    _no_horizontal_overflow(page)
    # Category moves under the name on a phone; the category column is hidden.
    assert not page.locator("table.table-places thead th").nth(1).is_visible()
    page.screenshot(path=str(screenshots_dir / "places-list-phone.png"), full_page=True)

    # With the flag filters open and a search typed, it must still fit.
    page.click("#place-filters details summary")
    page.fill("#id_q", "jfb")
    _no_horizontal_overflow(page)
    page.screenshot(path=str(screenshots_dir / "places-list-phone-filters.png"), full_page=True)

    # The detail page fits a phone too.
    page.goto(f"/places/{more_places['mall'].pk}/")
    _no_horizontal_overflow(page)
    page.screenshot(path=str(screenshots_dir / "place-detail-phone.png"), full_page=True)


def test_list_on_a_desktop(page, log_in, users, more_places, screenshots_dir):
    log_in(page, users["district_office"])
    assert len(listed_names(page)) == 3 + len(MORE_PLACES)
    _styles_loaded(page)
    _no_horizontal_overflow(page)
    assert page.locator("table.table-places thead th").nth(1).is_visible()
    page.screenshot(path=str(screenshots_dir / "places-list-desktop.png"), full_page=True)
