"""Place pages: filters, search, query counts, forms, history tab, language."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fireledger.places import services
from fireledger.places.models import Place


def names(response):
    return {p.name for p in response.context["page"]}


def test_filters(places, users, login):
    client = login(users["district_office"])
    url = reverse("places:list")
    assert names(client.get(url, {"category": "hotel"})) == {"七星岗宾馆"}
    assert names(client.get(url, {"jurisdiction": "500103002"})) == {"七星岗宾馆"}
    assert names(client.get(url, {"is_high_rise": "true"})) == {"解放碑时代广场"}
    assert names(client.get(url, {"is_old_compound": "true"})) == {"新华路12号院"}
    assert names(client.get(url, {"is_mall_in_focus": "false", "category": "mall"})) == set()
    assert names(client.get(url, {"department": places["mall"].department_id})) == {"解放碑时代广场"}


@pytest.mark.parametrize("q,expected", [
    ("jfb", {"解放碑时代广场"}), ("JFB", {"解放碑时代广场"}), ("新华路", {"新华路12号院"}),
    ("中山一路", {"七星岗宾馆"}), ("不存在", set()),
])
def test_search_by_name_address_and_pinyin_initials(q, expected, places, users, login):
    response = login(users["district_office"]).get(reverse("places:list"), {"q": q})
    assert names(response) == expected


def test_filter_cannot_widen_scope(places, users, login):
    """Asking a street officer's list for another street returns nothing, not that street."""
    response = login(users["street_officer"]).get(reverse("places:list"), {"jurisdiction": "500103002"})
    assert response.status_code == 200 and names(response) == set()


def test_list_query_count_does_not_grow_with_rows(tree, users, places, admin_user, login):
    client = login(users["district_office"])
    client.get(reverse("places:list"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("places:list"))
    for i in range(30):
        services.create_place(admin_user, name=f"小店{i}", category="nine_small", jurisdiction=tree["grid111"])
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("places:list"))
    assert len(large) == len(small) <= 8


def test_create_form_keeps_values_and_shows_field_errors(users, tree, login):
    client = login(users["street_officer"])
    response = client.post(reverse("places:create"), {
        "name": "", "category": "mall", "building_use": "public", "jurisdiction": tree["grid111"].pk,
        "address": "渝中区民族路5号", "height_m": "三十",
    })
    assert response.status_code == 200
    form = response.context["form"]
    assert "name" in form.errors and "height_m" in form.errors
    assert "渝中区民族路5号" in response.content.decode()
    assert not Place.objects.exists()


def test_create_then_edit_shows_history(users, tree, login):
    client = login(users["street_officer"])
    response = client.post(reverse("places:create"), {
        "name": "民族路住宅楼", "category": "residential", "building_use": "residential",
        "jurisdiction": tree["grid111"].pk, "height_m": "30", "floors_above": "10",
        "manager_name": "渝中物业公司", "has_fire_alarm": "true",
    })
    place = Place.objects.get(name="民族路住宅楼")
    assert response.status_code == 302
    assert place.is_high_rise and place.manager.name == "渝中物业公司" and place.has_fire_alarm is True
    detail = client.get(reverse("places:detail", args=[place.pk])).content.decode()
    assert "住宅建筑高度大于27米（30米）" in detail
    data = {f: getattr(place, f) for f in ("name", "category", "building_use")}
    data.update(jurisdiction=tree["grid111"].pk, height_m="20", floors_above="7",
                manager_name="渝中物业公司", code=place.code)
    assert client.post(reverse("places:edit", args=[place.pk]), data).status_code == 302
    place.refresh_from_db()
    assert not place.is_high_rise
    history = client.get(reverse("places:detail", args=[place.pk])).context["history"]
    assert [e.action for e in history] == ["change", "create"]
    labels = {label for label, _, _ in history[0].changed_fields()}
    assert "建筑高度（米）" in labels


def test_listed_by_in_form_and_detail(users, tree, login):
    """列管单位: chosen on the form (blank = neither), shown next to 重点单位 on the page."""
    from django.utils import translation

    from fireledger.places.choices import ListedBy
    from fireledger.places.forms import PlaceForm

    with translation.override("zh-hans"):  # the page's language (the label's catalogue entry)
        police, neither = str(ListedBy.POLICE_STATION.label), translation.gettext("neither")

    client = login(users["street_officer"])
    form = PlaceForm(user=users["street_officer"], action="create")
    assert [value for value, _label in form.fields["listed_by"].choices] == [
        "", "fire_brigade", "police_station"]
    assert "listed_by" in [f.name for _title, fields in form.sections() for f in fields]
    base = {"category": "nine_small", "building_use": "public", "jurisdiction": tree["grid111"].pk}
    response = client.post(reverse("places:create"), {**base, "name": "民族路小吃店",
                                                       "listed_by": "police_station"})
    assert response.status_code == 302
    shop = Place.objects.get(name="民族路小吃店")
    assert shop.listed_by == "police_station"
    detail = client.get(reverse("places:detail", args=[shop.pk])).content.decode()
    assert f'<dd class="col-7" id="listed-by">{police}</dd>' in detail

    client.post(reverse("places:create"), {**base, "name": "民族路书店"})
    other = Place.objects.get(name="民族路书店")
    assert other.listed_by == ""
    detail = client.get(reverse("places:detail", args=[other.pk])).content.decode()
    assert f'<dd class="col-7" id="listed-by">{neither}</dd>' in detail

    response = client.post(reverse("places:edit", args=[shop.pk]), {
        **base, "name": "民族路小吃店", "listed_by": "street_office"})
    assert response.status_code == 200 and "listed_by" in response.context["form"].errors
    client.post(reverse("places:edit", args=[shop.pk]), {
        **base, "name": "民族路小吃店", "code": shop.code, "listed_by": "fire_brigade"})
    shop.refresh_from_db()
    assert shop.listed_by == "fire_brigade"
    history = client.get(reverse("places:detail", args=[shop.pk])).context["history"]
    assert history[0].after == {"listed_by": "fire_brigade"}


def test_english_ui(places, users, client):
    client.force_login(users["district_office"])
    client.cookies["django_language"] = "en"
    body = client.get(reverse("places:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Place ledger" in body and "mall or market" in body


def test_chinese_ui_by_default(places, users, login):
    body = login(users["district_office"]).get(reverse("places:list")).content.decode()
    assert "底数台账" in body and "商场市场" in body


def test_404_and_403_pages_explain_in_the_site_layout(places, users, login, settings):
    settings.DEBUG = False
    client = login(users["unit_manager"])
    missing = client.get(reverse("places:detail", args=[places["hotel"].pk]))
    assert missing.status_code == 404 and "不在您的辖区范围内" in missing.content.decode()
    refused = client.get(reverse("places:edit", args=[places["mall"].pk]))
    assert refused.status_code == 403 and "无权在此修改" in refused.content.decode()


def test_field_errors_are_marked_invalid(users, tree, login):
    response = login(users["street_officer"]).post(reverse("places:create"), {"name": ""})
    assert 'class="form-control is-invalid"' in response.content.decode()


def test_browser_language_does_not_override_chinese(places, users, login):
    body = login(users["district_office"]).get(
        reverse("places:list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "底数台账" in body


def test_language_switch_sticks(places, users, login):
    client = login(users["district_office"])
    client.post(reverse("set_language"), {"language": "en", "next": "/places/"})
    assert "Place ledger" in client.get(reverse("places:list")).content.decode()
