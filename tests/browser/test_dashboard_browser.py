"""The dashboards in chromium: charts drawn (non-empty SVG) for the district, department and
street officers, a 390 px phone, a number's link opening the list with that count, and the map
with no tile server (nothing requested off loopback) and with one."""

import datetime
import re
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from fireledger.hazards import services as hazard_services
from fireledger.hazards.models import Hazard, HazardCategory
from fireledger.places.models import Place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ("chart-status", "chart-age", "chart-trend", "chart-groups", "chart-places")
DAY = datetime.timedelta(days=1)


@pytest.fixture
def data(places, admin_user):
    """Hazards of several statuses, ages and groups; the mall and the hotel have coordinates
    and an open major hazard."""
    today = timezone.localdate()
    categories = list(HazardCategory.objects.order_by("group", "code"))
    groups = {}
    for c in categories:
        groups.setdefault(c.group, c)
    picks = list(groups.values())
    rows = [
        ("mall", 3, False, False), ("mall", 45, True, False), ("mall", 0, False, True),
        ("compound", 120, False, False), ("compound", 200, False, False),
        ("hotel", 10, True, False), ("hotel", 60, False, True),
    ]
    for i, (name, age, major, spot) in enumerate(rows):
        data = {"category": picks[i % len(picks)], "description": f"隐患{i}",
                "found_on": today - age * DAY, "is_major": major, "fixed_on_spot": spot}
        if major:
            data["interim_safeguards"] = "专人值守"
        if not spot:
            data["deadline"] = today + 10 * DAY
        hazard_services.log_hazard(admin_user, places[name], **data)
    Hazard.objects.filter(description="隐患3").update(deadline=today - DAY)  # now overdue
    Place.objects.filter(pk=places["mall"].pk).update(latitude=29.5575, longitude=106.5772)
    Place.objects.filter(pk=places["hotel"].pk).update(latitude=29.5530, longitude=106.5610)
    return places


def _charts_drawn(page):
    page.wait_for_selector("#chart-trend[data-drawn='1']")
    for chart in CHARTS:
        marks = page.locator(f"#{chart} svg path").count()
        assert marks > 3, f"{chart}: {marks} SVG paths"


@pytest.mark.parametrize("who", ["district_office", "department_officer", "street_officer"])
def test_each_dashboard_draws_its_charts(new_page, log_in, users, data, screenshots_dir, who):
    page = new_page()
    log_in(page, users[who], next="/stats/")
    assert page.locator("#dashboard").get_attribute("data-level") == {
        "district_office": "district", "department_officer": "department",
        "street_officer": "street"}[who]
    _charts_drawn(page)
    assert page.locator("#area-table tbody tr[data-key]").count() >= 1
    page.screenshot(path=str(screenshots_dir / f"dashboard-{who}.png"), full_page=True)
    assert not page.failed_responses


def test_phone_390(new_page, log_in, users, data, screenshots_dir):
    page = new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                    is_mobile=True, has_touch=True)
    log_in(page, users["district_office"], next="/stats/")
    _charts_drawn(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways: {width}px"
    page.screenshot(path=str(screenshots_dir / "dashboard-phone-390.png"), full_page=True)


def _count_in_heading(page) -> int:
    return int(re.search(r"\d+", page.locator(".card-header .card-title").first.inner_text())
               .group())


def test_a_number_opens_the_list_with_that_count(new_page, log_in, users, data):
    page = new_page()
    log_in(page, users["district_office"], next="/stats/")
    for ident, path in (("card-open", "/hazards/"), ("card-overdue", "/hazards/"),
                        ("card-places", "/places/"), ("age-31_90", "/hazards/")):
        page.goto("/stats/")
        shown = int(page.locator(f"#{ident}").inner_text())
        with page.expect_navigation():
            page.click(f"#{ident}")
        assert urlparse(page.url).path == path
        assert _count_in_heading(page) == shown, ident
    # A bar of a chart opens its list too.
    page.goto("/stats/")
    _charts_drawn(page)
    page.locator("#chart-age").scroll_into_view_if_needed()
    x, y, url = page.evaluate("""() => {
        const el = document.getElementById('chart-age');
        const chart = echarts.getInstanceByDom(el);
        const data = chart.getOption().series[0].data;
        const i = data.findIndex(v => v > 0);
        const p = chart.convertToPixel({seriesIndex: 0}, [i, data[i] / 2]);
        const box = el.getBoundingClientRect();
        const spec = JSON.parse(document.getElementById('dash-charts').textContent)
            .find(c => c.id === 'chart-age');
        return [box.left + p[0], box.top + p[1], spec.series[0].links[i]]; }""")
    with page.expect_navigation():
        page.mouse.click(x, y)
    assert page.url.endswith(url)


def test_map_without_tiles_stays_on_loopback(new_page, log_in, users, data, settings,
                                             live_server, screenshots_dir):
    settings.FIRELEDGER_MAP_TILE_URL = ""
    page = new_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    log_in(page, users["district_office"], next="/stats/")
    page.wait_for_selector("#dash-map[data-drawn='1']")
    assert page.locator("#dash-map .leaflet-tile").count() == 0
    assert page.locator("#map-places").inner_text() == "2"
    # Click the mall's point: its popup links to the place.
    page.locator("#dash-map").scroll_into_view_if_needed()
    x, y = page.evaluate("""() => {
        const p = window.dashMap.latLngToContainerPoint([29.5575, 106.5772]);
        const box = document.getElementById('dash-map').getBoundingClientRect();
        return [box.left + p.x, box.top + p.y]; }""")
    page.mouse.click(x, y)
    link = page.locator(".leaflet-popup .dash-map-link")
    link.wait_for()
    assert "解放碑时代广场" in page.locator(".leaflet-popup").inner_text()
    page.locator("#dash-map-card").screenshot(path=str(screenshots_dir / "dashboard-map-plain.png"))
    with page.expect_navigation():
        link.click()
    assert re.search(r"/places/\d+/$", page.url)
    host = urlparse(live_server.url).netloc
    outside = [u for u in requested if urlparse(u).netloc != host]
    assert not outside, outside


def test_map_with_tiles_uses_the_configured_url(new_page, log_in, users, data, settings,
                                                live_server):
    # A tile server on loopback that answers 404: the layer and its attribution are what count.
    settings.FIRELEDGER_MAP_TILE_URL = live_server.url + "/tiles-test/{z}/{x}/{y}.png"
    settings.FIRELEDGER_MAP_ATTRIBUTION = "测试底图"
    page = new_page()
    tiles = []
    page.on("request", lambda r: "/tiles-test/" in r.url and tiles.append(r.url))
    log_in(page, users["district_office"], next="/stats/")
    page.wait_for_selector("#dash-map[data-drawn='1']")
    assert page.locator("#dash-map .leaflet-tile").count() > 0
    assert "测试底图" in page.locator("#dash-map .leaflet-control-attribution").inner_text()
    assert tiles
