"""一栋一册: the place's book page and its two lists as .xlsx; scope (404 outside it)."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from fireledger.hazards import lifecycle
from fireledger.hazards.book import place_book

pytestmark = pytest.mark.django_db


@pytest.fixture
def mall_hazards(users, places, log, today, photo):
    """At the mall: two open hazards (the later deadline logged first) and one closed one."""
    officer = users["street_officer"]
    mall = places["mall"]
    late = log(officer, mall, description="安全出口锁闭", deadline=today + datetime.timedelta(days=20),
               responsible_unit="物业公司", responsible_person="李明",
               responsible_phone="13800000001", measures="拆除锁具", funding_source="自筹",
               funding_amount=1200, photos=[photo()])
    soon = log(officer, mall, description="疏散楼梯间堆放杂物",
               deadline=today + datetime.timedelta(days=5), location_in_place="B1")
    done = log(officer, mall, description="灭火器过期", fixed_on_spot=True)
    return {"late": late, "soon": soon, "done": done}


def test_book_lists_open_hazards_first_by_deadline_then_closed(users, places, mall_hazards):
    book = place_book(users["district_office"], places["mall"])
    assert [h.pk for h in book.open] == [mall_hazards["soon"].pk, mall_hazards["late"].pk]
    assert [h.pk for h in book.closed] == [mall_hazards["done"].pk]
    assert book.counts == {"total": 3, "open": 2, "closed": 1, "overdue": 0, "major": 0}
    late = book.open[1]
    assert late.photo_count == 1
    assert [e.action for e in late.history][:1] == ["create"]


def test_book_shows_only_the_hazards_the_user_may_see(users, places, mall_hazards):
    # The unit manager sees the mall (its unit manages it) and its hazards.
    assert place_book(users["unit_manager"], places["mall"]).counts["total"] == 3


def test_book_page(login, users, places, mall_hazards):
    client = login(users["street_officer"])
    response = client.get(reverse("hazards:book", args=[places["mall"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("解放碑时代广场", "渝中区民权路1号", "安全出口锁闭", "疏散楼梯间堆放杂物", "灭火器过期",
                 "物业公司", "李明", "13800000001", "拆除锁具", "@media print"):
        assert text in html, text
    # Open before closed; the export is linked.
    assert html.index("疏散楼梯间堆放杂物") < html.index("安全出口锁闭") < html.index("灭火器过期")
    assert reverse("hazards:book_export", args=[places["mall"].pk]) in html
    assert 'data-photos="1"' in html


def test_book_history_is_one_query_whatever_the_number_of_hazards(
        login, users, places, log, django_assert_max_num_queries):
    client = login(users["district_office"])
    url = reverse("hazards:book", args=[places["mall"].pk])
    for n in range(2):
        log(users["street_officer"], places["mall"], description=f"问题{n}")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(6):
        log(users["street_officer"], places["mall"], description=f"更多问题{n}")
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", ["hazards:book", "hazards:book_export"])
def test_a_place_outside_the_scope_is_404(login, users, places, name):
    client = login(users["street_officer"])  # 解放碑街道; the hotel is in 七星岗街道
    assert client.get(reverse(name, args=[places["hotel"].pk])).status_code == 404
    assert client.get(reverse(name, args=[999999])).status_code == 404
    client = login(users["unit_manager"])  # sees its own unit's mall only
    assert client.get(reverse(name, args=[places["compound"].pk])).status_code == 404
    assert client.get(reverse(name, args=[places["mall"].pk])).status_code == 200


def test_book_needs_login(client, places):
    response = client.get(reverse("hazards:book", args=[places["mall"].pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_place_page_links_to_the_book(login, users, places):
    client = login(users["unit_manager"])
    html = client.get(reverse("places:detail", args=[places["mall"].pk])).content.decode()
    assert reverse("hazards:book", args=[places["mall"].pk]) in html


def _workbook(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_export_holds_the_two_lists(login, users, places, mall_hazards, today):
    client = login(users["street_officer"])
    response = client.get(reverse("hazards:book_export", args=[places["mall"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    wb = _workbook(response)
    assert wb.sheetnames == ["问题隐患清单", "整改责任清单"]
    hazards, rectification = wb["问题隐患清单"], wb["整改责任清单"]
    assert "解放碑时代广场" in hazards["A1"].value
    assert [c.value for c in hazards[2]] == [
        "序号", "隐患类别", "具体问题", "位置", "发现日期", "发现方式", "是否重大隐患", "状态"]
    assert [c.value for c in rectification[2]] == [
        "序号", "具体问题", "整改责任单位", "责任人", "联系电话", "整改措施", "整改期限", "资金来源",
        "资金金额（元）", "临时防范措施", "完成情况/销号日期"]
    assert hazards.freeze_panes == "A3" and rectification.freeze_panes == "A3"
    assert hazards.column_dimensions["C"].width >= 30  # 具体问题 is wide
    rows = [[c.value for c in row] for row in hazards.iter_rows(min_row=3)]
    assert [r[2] for r in rows] == ["疏散楼梯间堆放杂物", "安全出口锁闭", "灭火器过期"]
    assert rows[0][0] == 1 and rows[0][3] == "B1"
    assert rows[0][4].date() == today and rows[0][5] == "检查" and rows[0][6] == "否"
    assert rows[0][7] == "待整改" and rows[2][7] == "已销号"
    late = [[c.value for c in row] for row in rectification.iter_rows(min_row=4, max_row=4)][0]
    assert late[1:6] == ["安全出口锁闭", "物业公司", "李明", "13800000001", "拆除锁具"]
    assert late[6].date() == mall_hazards["late"].deadline and late[7] == "自筹"
    assert late[8] == 1200 and late[10] == "待整改"
    closed = [c.value for c in rectification[5]]
    assert closed[10] == f"已销号 {today:%Y-%m-%d}"
    assert mall_hazards["done"].status == lifecycle.CLOSED
