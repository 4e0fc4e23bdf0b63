"""The inspection records as .xlsx: headers, one row per inspection with its counts and
signers, the list's filters, scope, and a fixed number of queries whatever the rows."""

import datetime
import io
from urllib.parse import quote

import openpyxl
import pytest
from django.urls import reverse
from django.utils.translation import gettext

from fireledger.inspections import record_export
from fireledger.inspections.choices import Kind, Outcome, Status
from records_builders import (
    checklist_version,
    drawn_signature,
    inspection,
    result,
    typed_signature,
)

D = datetime.date


@pytest.fixture
def records(places):
    """Four inspections, newest first: a draft sweep of the mall, a joint inspection of the hotel
    (七星岗街道), a joint inspection of the mall with results and signatures, a self-inspection
    of the compound."""
    mall, compound, hotel = places["mall"], places["compound"], places["hotel"]
    joint = inspection(mall, kind=Kind.JOINT, inspected_on=D(2026, 3, 1), location="三楼",
                       version=checklist_version(), advice="清理疏散楼梯间杂物")
    result(joint, 1, "安全出口未锁闭", Outcome.PASS)
    result(joint, 2, "疏散楼梯间无杂物堆放", Outcome.HAZARD)
    result(joint, 3, "灭火器在有效期内", Outcome.FIXED)
    result(joint, 4, "应急照明完好", Outcome.FIXED)
    result(joint, 5, "厨房燃气报警", Outcome.NOT_APPLICABLE)
    typed_signature(joint, "李四")
    drawn_signature(joint, "张三")
    return {
        "draft": inspection(mall, kind=Kind.SWEEP, status=Status.DRAFT,
                            inspected_on=D(2026, 5, 1), unit_name="解放碑时代广场商户"),
        "hotel": inspection(hotel, kind=Kind.JOINT, inspected_on=D(2026, 4, 1)),
        "joint": joint,
        "self": inspection(compound, kind=Kind.SELF, inspected_on=D(2026, 2, 1)),
    }


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook[record_export.SHEET_NAME]
    return list(sheet.iter_rows(values_only=True))


def export(client, **params):
    return client.get(reverse("inspections:export"), params)


def test_headers_rows_and_counts(records, users, login):
    response = export(login(users["district_office"]))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert f"filename*=utf-8''{quote('检查记录-')}" in response["Content-Disposition"]
    rows = sheet_rows(response)
    assert rows[0] == tuple(gettext(title) for title, _width in record_export.COLUMNS)
    assert len(rows) == 5
    assert [r[0].date() for r in rows[1:]] == [D(2026, 5, 1), D(2026, 4, 1), D(2026, 3, 1),
                                               D(2026, 2, 1)]
    draft, hotel, joint, own = rows[1:]
    assert joint == (
        datetime.datetime(2026, 3, 1), str(Kind.JOINT.label), "解放碑时代广场",
        "渝中区民权路1号 三楼", "解放碑街道", "重庆解放碑物业管理有限公司", "高层公共建筑检查表 v2",
        5, 3, 2, "清理疏散楼梯间杂物", "李四、张三", str(Status.SUBMITTED.label))
    # The draft names its own unit; nothing checked, found or signed.
    assert draft[1:3] == (str(Kind.SWEEP.label), "解放碑时代广场")
    assert draft[5] == "解放碑时代广场商户"
    assert draft[6:13] == (None, 0, 0, 0, None, None, str(Status.DRAFT.label))
    assert hotel[2] == "七星岗宾馆" and hotel[4] == "七星岗街道"
    assert hotel[5] is None  # no unit named, none on the place
    assert own[1] == str(Kind.SELF.label) and own[4] == "解放碑街道"


@pytest.mark.parametrize(("role", "expected"), [
    ("street_officer", {"draft", "joint", "self"}),  # 解放碑街道
    ("department_officer", {"draft", "joint"}),  # 商务: the mall
    ("unit_manager", {"draft", "joint"}),  # the mall's manager
    ("nobody", set()),
])
def test_scope(records, users, login, role, expected):
    rows = sheet_rows(export(login(users[role])))
    dates = {r[0].date() for r in rows[1:]}
    assert dates == {records[key].inspected_on for key in expected}


def test_filters(records, users, login):
    client = login(users["district_office"])

    def dates(**params):
        return [r[0].date() for r in sheet_rows(export(client, **params))[1:]]

    assert dates(kind="joint") == [D(2026, 4, 1), D(2026, 3, 1)]
    assert dates(date_from="2026-03-01", date_to="2026-04-01") == [D(2026, 4, 1), D(2026, 3, 1)]
    assert dates(date_from="2026-04-02") == [D(2026, 5, 1)]
    assert dates(place=records["joint"].place_id) == [D(2026, 5, 1), D(2026, 3, 1)]
    assert dates(status="draft") == [D(2026, 5, 1)]
    assert dates(kind="", status="", date_from="", date_to="", place="") == dates()  # empty


def test_bad_filters_are_a_400(records, users, login):
    client = login(users["street_officer"])
    hotel = records["hotel"].place_id  # 七星岗街道: not a place the street officer can name
    for params in ({"place": hotel}, {"kind": "nonsense"}, {"status": "closed"},
                   {"date_from": "2026-13-01"},
                   {"date_from": "2026-05-01", "date_to": "2026-04-01"}):
        assert export(client, **params).status_code == 400, params


def test_queries_do_not_grow_with_rows(records, places, users, login,
                                       django_assert_max_num_queries):
    client = login(users["district_office"])
    client.get(reverse("inspections:spot_checks"))  # the session and user, loaded once
    for n in range(30):
        found = inspection(places["hotel"], inspected_on=D(2026, 1, 1 + n % 28))
        typed_signature(found, f"检查员{n}")
    # Session, user, assignments, the inspections the user was drawn for (双随机), street
    # names (2), the rows, the signers of the chunk.
    with django_assert_max_num_queries(10):
        rows = sheet_rows(export(client))
    assert len(rows) == 35


def test_login_required(client):
    response = export(client)
    assert response.status_code == 302 and "/login/" in response["Location"]
