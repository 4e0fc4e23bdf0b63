"""places.exports: the filtered list to .xlsx in the template's layout; the template; round trip."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from fireledger.places import exports, imports, services, sheets
from fireledger.places.models import Place

ROUND_TRIP_FIELDS = (
    "code", "name", "category", "building_use", "jurisdiction_id", "address", "building_name",
    "department_id", "owner_id", "manager_id", "occupant_id", "responsible_person",
    "responsible_phone", "safety_manager", "safety_manager_phone", "height_m", "floors_above",
    "floors_below", "area_above", "area_below", "area_total", "year_built", "guest_rooms", "beds",
    "has_property_management", "is_key_unit", "listed_by", "has_fire_alarm", "has_sprinkler", "has_hydrant",
    "has_smoke_control", "has_micro_station", "latitude", "longitude", "survey_hazards", "notes",
    "is_high_rise", "is_old_compound", "is_mall_in_focus", "suggested_key_unit",
)


def _sheet(content: bytes, index: int = 0):
    return openpyxl.load_workbook(io.BytesIO(content)).worksheets[index]


def _rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_export_writes_the_template_headers_and_values(tmp_path, places, tree, admin_user):
    mall = places["mall"]
    services.change_place(admin_user, Place.objects.get(pk=places["hotel"].pk),
                          listed_by="police_station")
    path = tmp_path / "out.xlsx"
    assert exports.write_places(Place.objects.all(), path) == 3
    rows = _rows(openpyxl.load_workbook(path).worksheets[0])
    assert tuple(rows[0]) == sheets.SYSTEM_HEADERS
    by_name = {r[1]: dict(zip(sheets.SYSTEM_HEADERS, r)) for r in rows[1:]}
    m = by_name["解放碑时代广场"]
    assert m["场所编号"] == mall.code and m["类别"] == "商场市场"
    assert (m["所属街道"], m["所属社区"], m["所属网格"]) == ("解放碑街道", "解放1社区", "第1网格")
    assert m["行政区划代码"] == tree["grid111"].code  # a string, not 5.00103E+14
    assert m["行业主管部门"] == "商务" and m["管理单位"] == "重庆解放碑物业管理有限公司"
    assert m["地上建筑面积（㎡）"] == 12000 and m["建筑高度（米）"] == 98 and m["地上层数"] == 30
    assert m["重点单位"] == "否" and m["火灾自动报警系统"] is None and m["建筑用途"] == "公共"
    assert m["列管单位"] is None  # neither: left blank
    assert by_name["七星岗宾馆"]["列管单位"] == "派出所"
    c = by_name["新华路12号院"]
    assert (c["所属街道"], c["所属社区"], c["所属网格"]) == ("解放碑街道", "解放2社区", None)
    assert c["建筑用途"] == "住宅" and c["建成年份"] == 1992


def test_export_reimports_to_the_same_places(tmp_path, places, users, admin_user):
    """Export, delete, import the file again: every field and derived flag comes back."""
    mall = Place.objects.get(pk=places["mall"].pk)
    services.change_place(admin_user, mall, has_fire_alarm=True, has_sprinkler=False,
                          responsible_person="李四", responsible_phone="023-63851234",
                          survey_hazards="1.……；\n2.……；", latitude=29.557, longitude=106.577,
                          year_built=2004, area_below=800, is_key_unit=True,
                          listed_by="fire_brigade")
    services.change_place(admin_user, Place.objects.get(pk=places["hotel"].pk),
                          listed_by="police_station")
    before = {p["code"]: p for p in Place.objects.values(*ROUND_TRIP_FIELDS)}
    path = tmp_path / "ledger.xlsx"
    exports.write_places(Place.objects.all(), path)
    for place in Place.objects.all():
        services.delete_place(admin_user, place)
    validation = imports.check(users["district_office"], path)
    assert validation.ok, validation.messages()
    assert imports.commit(users["district_office"], validation) == 3
    after = {p["code"]: p for p in Place.objects.values(*ROUND_TRIP_FIELDS)}
    assert after == before
    assert sorted(p["listed_by"] for p in after.values()) == ["", "fire_brigade", "police_station"]


def test_template_has_headers_only_and_a_guide(tmp_path, users):
    path = tmp_path / "t.xlsx"
    exports.write_template(path, users["street_officer"])
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:2] == [exports.SHEET_NAME, "填写说明"]
    data = _rows(wb.worksheets[0])
    assert data == [list(sheets.SYSTEM_HEADERS)]  # no example row: it would import as data
    guide = [r for r in _rows(wb["填写说明"]) if r and r[0]]
    listed = [r[0] for r in guide]
    for header in sheets.SYSTEM_HEADERS:
        assert header in listed
    category_row = next(r for r in guide if r[0] == "类别")
    assert "商场市场" in category_row[2] and "宾馆饭店" in category_row[2]
    listed_row = next(r for r in guide if r[0] == "列管单位")
    assert listed_row[2] == "消防救援大队、派出所"
    street_row = next(r for r in guide if r[0] == "所属街道")
    assert street_row[2] == "解放碑街道"  # the streets this user may record places in
    assert ("商场市场", "mall") in [(r[0], r[1]) for r in guide]
    # The empty template is recognised, and says it has no rows.
    validation = imports.check(users["street_officer"], path)
    assert validation.layout == sheets.LAYOUT_SYSTEM
    assert [i.message for i in validation.issues] == [sheets.M_NO_DATA]


# --- views ---------------------------------------------------------------------------------


def test_export_view_follows_filters_and_scope(places, users, login):
    client = login(users["street_officer"])
    response = client.get(reverse("places:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "attachment" in response["Content-Disposition"]
    names = {r[1] for r in _rows(_sheet(b"".join(response.streaming_content)))[1:]}
    assert names == {"解放碑时代广场", "新华路12号院"}  # not 七星岗宾馆: another street

    response = client.get(reverse("places:export"), {"category": "mall"})
    names = {r[1] for r in _rows(_sheet(b"".join(response.streaming_content)))[1:]}
    assert names == {"解放碑时代广场"}

    # A filter value outside the scope is not silently dropped: back to the list, which says so.
    response = client.get(reverse("places:export"), {"jurisdiction": "500103002"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("places:list"))


def test_export_view_query_count_is_flat(places, users, login, tree, admin_user,
                                         django_assert_max_num_queries):
    rows = [Place(name=f"小店{i}", category="nine_small", jurisdiction=tree["grid112"])
            for i in range(300)]
    services.bulk_create_places(admin_user, rows)
    client = login(users["district_office"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("places:export"))
        content = b"".join(response.streaming_content)
    assert len(_rows(_sheet(content))) == 304


def test_export_and_template_need_login(client):
    for name in ("places:export", "places:import_template"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_template_view(users, login):
    response = login(users["grid_worker"]).get(reverse("places:import_template"))
    assert response.status_code == 200
    assert _rows(_sheet(b"".join(response.streaming_content))) == [list(sheets.SYSTEM_HEADERS)]


def test_list_page_links(places, users, login):
    content = login(users["street_officer"]).get(reverse("places:list"), {"category": "mall"}
                                                 ).content.decode()
    assert reverse("places:import_upload") in content
    assert f'{reverse("places:export")}?category=mall' in content
    content = login(users["unit_manager"]).get(reverse("places:list")).content.decode()
    assert reverse("places:import_upload") not in content  # may not create: no import button
    assert reverse("places:export") in content


def test_export_command(tmp_path, places, users):
    out = tmp_path / "mall.xlsx"
    call_command("export_places", str(out), "--user", "district", "--category", "mall")
    assert [r[1] for r in _rows(openpyxl.load_workbook(out).worksheets[0])[1:]] == ["解放碑时代广场"]
    call_command("export_places", str(out), "--user", "district", "--jurisdiction", "500103002000")
    assert [r[1] for r in _rows(openpyxl.load_workbook(out).worksheets[0])[1:]] == ["七星岗宾馆"]
    call_command("export_places", str(out), "--user", "street")
    assert len(_rows(openpyxl.load_workbook(out).worksheets[0])) == 3
    from django.core.management.base import CommandError
    with pytest.raises(CommandError):
        call_command("export_places", str(out), "--user", "district", "--category", "bogus")
