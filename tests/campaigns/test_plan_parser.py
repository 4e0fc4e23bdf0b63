"""The plan importer's parser (campaigns/plan_parser.py, pure) and `fireledger parse-plan`.

The five seed plans are in tests/fixtures/plans/ with their expected extraction written by hand
(seed00N.expected.json); bench/plan_parser_scores.py prints precision and recall per field.
"""

import importlib
import io
import json
import random
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fireledger.campaigns import plan_parser
from fireledger.campaigns.plan_parser import (
    DEFAULT_DEPARTMENTS,
    match_department,
    parse_deadlines,
    parse_period,
    parse_plan,
    parse_targets,
    read_text,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "plans"
CODES = {code for code, _ in DEFAULT_DEPARTMENTS}


def seed_text(n: int) -> str:
    return (FIXTURES / f"seed00{n}.txt").read_text(encoding="utf-8")


def expected(n: int) -> dict:
    return json.loads((FIXTURES / f"seed00{n}.expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seeds() -> dict[int, dict]:
    return {n: parse_plan(seed_text(n)) for n in range(5)}


def task(plan: dict, number: str | None = None, title: str | None = None) -> dict:
    for t in plan["tasks"]:
        if (number is not None and t["number"] == number) or \
                (title is not None and t["title"] == title):
            return t
    raise AssertionError(f"no task {number or title!r} in {plan['title']!r}")


def part(plan: dict, title: str, nth: int = 0) -> dict:
    found = [p for p in plan["parts"] if p["title"] == title]
    assert len(found) > nth, [p["title"] for p in plan["parts"]]
    return found[nth]


def units(entries: list[dict]) -> list[tuple[str, str | None]]:
    return [(u["text"], u["code"]) for u in entries]


def walk_plans(plan: dict):
    yield plan
    yield from plan.get("parts", [])


# --- the seeds against their hand-written expectations ---------------------------------------


@pytest.mark.parametrize("n", range(5))
def test_main_plan_is_the_expected_one(seeds, n):
    """Title, issuer, date, document number, phases, every task (number, title, units,
    deadlines, targets) and the plan-level targets of the main plan, exactly."""
    want, got = expected(n), seeds[n]
    for key in ("title", "issuer", "date", "doc_number", "phases", "targets"):
        assert got[key] == want[key], key
    assert [t["number"] for t in got["tasks"]] == [t["number"] for t in want["tasks"]]
    for got_task, want_task in zip(got["tasks"], want["tasks"]):
        assert got_task == want_task


@pytest.mark.parametrize("n", [1, 3])
def test_parts_are_the_expected_ones(seeds, n):
    want, got = expected(n), seeds[n]
    assert [p["title"] for p in got["parts"]] == [p["title"] for p in want["parts"]]
    for got_part, want_part in zip(got["parts"], want["parts"]):
        for key, value in want_part.items():
            assert got_part[key] == value, (want_part["title"], key)


@pytest.mark.parametrize("n", range(5))
def test_output_shape(seeds, n):
    plan = seeds[n]
    assert set(plan) == {"title", "issuer", "date", "doc_number", "phases", "tasks", "targets",
                         "parts"}
    for p in walk_plans(plan):
        for phase in p["phases"]:
            assert set(phase) == {"name", "start", "end"}
        for t in p["tasks"]:
            assert set(t) == {"number", "title", "lead", "cooperating", "responsible",
                              "deadlines", "targets"}
            for role in ("lead", "cooperating", "responsible"):
                for unit in t[role]:
                    assert set(unit) == {"text", "code"} and unit["code"] in CODES | {None}
            for target in t["targets"]:
                assert set(target) == {"text", "metric_hint", "threshold", "unit", "date"}
    json.dumps(plan)  # plain JSON data


# --- each layout of the seeds ----------------------------------------------------------------


def test_header_of_a_notice(seeds):
    assert (seeds[2]["issuer"], seeds[2]["date"], seeds[2]["doc_number"]) == (
        "郟城县人民政府办公室", "2020-09-27", "郟政办字〔2020〕65号")
    # the body cites other documents' numbers (大防发〔2021〕5号): only the header counts
    assert (seeds[4]["issuer"], seeds[4]["date"], seeds[4]["doc_number"]) == (
        "跃进村街道办事处", "2021-12-13", "渡跃街发〔2021〕14号")
    assert seeds[3]["doc_number"] is None  # seed 003 has none; 渝中府办〔2023〕9号 is cited
    assert seeds[3]["title"] == "“全面除险清患，共建平安渝中”消防安全专项工作方案"
    assert (seeds[0]["issuer"], seeds[0]["date"], seeds[0]["doc_number"]) == (None, None, None)


def test_lines_after_a_task_seed_003(seeds):
    """牵头单位：… / 配合单位：… lines after the task's paragraph."""
    high_rise = task(seeds[3], "（一）")
    assert high_rise["title"] == "高层建筑"
    assert units(high_rise["lead"]) == [("区消防救援支队", "xiaofang")]
    assert units(high_rise["cooperating"])[:4] == [
        ("区发改委", "fagai"), ("区经信委", "jingxin"), ("区财政局", "caizheng"),
        ("区住建委", "zhujian")]
    assert high_rise["cooperating"][-1] == {"text": "各街道办事处", "code": "streets"}
    assert units(task(seeds[3], "（三）")["lead"]) == [("区消防救援支队", "xiaofang")]  # 牵头部门


def test_responsibility_blocks_seed_000(seeds):
    """责任单位 / 牵头部门 / 责任部门 blocks after the last sub-item belong to the task; blocks
    after each sub-item make the sub-items tasks."""
    marking = task(seeds[0], "（一）1")
    assert units(marking["responsible"]) == [("各街道办事处", "streets"), ("区公安分局", "gongan")]
    assert units(marking["lead"]) == [("区住房城乡建设局", "zhujian"), ("区消防救援大队", "xiaofang")]
    parking = task(seeds[0], "（一）3（3）")
    assert units(parking["lead"]) == [("区交通运输局", None)]
    assert units(parking["responsible"]) == [  # "区自然资源局、区城市管理局等…按职责分工负责"
        ("各街道办事处", "streets"), ("区自然资源局", "guizi"), ("区城市管理局", "chengguan")]
    assert not any(t["number"] == "（一）3" for t in seeds[0]["tasks"])
    assert units(task(seeds[0], "（二）5")["lead"]) == [("区流动人口和出租房屋服务管理科", None)]


def test_parenthesised_units_seed_002(seeds):
    first = task(seeds[2], "1")
    assert units(first["lead"]) == [("住建局", "zhujian"), ("消防救援大队", "xiaofang")]
    assert units(first["cooperating"]) == [("综合行政执法局", "chengguan"), ("公安局", "gongan")]
    assert first["deadlines"] == [{"text": "2020年底前", "date": "2020-12-31"}]
    # the bracket broken over two lines, and the bracket on a line of its own
    assert units(task(seeds[2], "18")["cooperating"]) == [("消防救援大队", "xiaofang")]
    assert units(task(seeds[2], "14")["lead"])[0] == ("县委统战部", None)
    # "(由各行业主管部门牵头，消防救援大队配合)"
    last = task(seeds[2], "21")
    assert units(last["lead"]) == [("各行业主管部门", None)]
    assert units(last["cooperating"]) == [("消防救援大队", "xiaofang")]
    assert [t["number"] for t in seeds[2]["tasks"]] == [str(i) for i in range(1, 22)]


def test_inline_units_seed_003_attachment_1_5(seeds):
    old_compounds = part(seeds[3], "渝中区老旧小区消防安全专项整治工作方案")
    first = task(old_compounds, "（一）")
    assert first["title"] == "明确管理主体"
    assert units(first["lead"]) == [("各街道办事处", "streets")]
    # "（牵头单位：各街道办事处；配合单位：区住建委、区应急局、区消防救援支队、）"
    assert units(first["cooperating"]) == [
        ("区住建委", "zhujian"), ("区应急局", "yingji"), ("区消防救援支队", "xiaofang")]
    assert units(task(old_compounds, "（四）")["lead"]) == [("区经信委", "jingxin")]
    # "（牵头单位：属地街道，配合单位：各行业主管部门、区消防救援支队）" in 附件1.6
    three = part(seeds[3], "渝中区“三类”重点对象火灾防控能力提升行动工作方案")
    assert units(task(three, "（一）")["lead"]) == [("属地街道", "streets")]
    assert units(task(three, "（一）")["cooperating"]) == [
        ("各行业主管部门", None), ("区消防救援支队", "xiaofang")]


def test_phases_seed_003_attachment_1_5(seeds):
    old_compounds = part(seeds[3], "渝中区老旧小区消防安全专项整治工作方案")
    assert old_compounds["phases"] == [  # no year written: the document's (2023)
        {"name": "动员部署", "start": None, "end": "2023-03-31"},
        {"name": "全面排查", "start": None, "end": "2023-04-30"},
        {"name": "整治攻坚", "start": None, "end": "2023-11-30"},
        {"name": "巩固提升", "start": None, "end": "2023-12-31"},
    ]


def test_phases_seed_004(seeds):
    assert seeds[4]["phases"] == [
        {"name": "部署发动", "start": None, "end": "2021-12-10"},
        {"name": "组织实施", "start": "2021-12-11", "end": "2022-03-25"},
        {"name": "总结验收", "start": "2022-03-26", "end": "2022-03-31"},
    ]


def test_phases_seed_001(seeds):
    assert seeds[1]["phases"][2] == {"name": "持续整治阶段", "start": "2024-01-01",
                                     "end": "2024-11-30"}  # "2024年1月1日至11月30日"
    second = part(seeds[1], "消防安全专项整治三年行动实施方案")
    assert second["phases"][:2] == [  # "(2024年7月)", "（2024年8月至12月)"
        {"name": "动员部署", "start": "2024-07-01", "end": "2024-07-31"},
        {"name": "排查整治", "start": "2024-08-01", "end": "2024-12-31"},
    ]


def test_flattened_table_seed_001(seeds):
    table = part(seeds[1], "问题清单、任务清单、责任清单")
    four = [("各村（居）委会", "streets"), ("派出所", "gongan"), ("规划所", "guizi"),
            ("专职消防队", "xiaofang")]
    first = table["tasks"][0]
    assert (first["number"], first["title"]) == (None, "单位和新建住宅小区按标准划线管理")
    assert units(first["responsible"]) == four
    assert {"text": "2024年底长期坚持", "date": "2024-12-31"} in first["deadlines"]
    # the 突出问题 cell run together with the 责任单位 cell
    assert units(task(table, title="老旧小区实行“一区一策”治理")["responsible"]) == four
    high_rise = task(table, title="开展高层建筑消防安全综合整治")
    assert units(high_rise["responsible"])[:4] == [
        ("各乡镇政府", "streets"), ("县住建", "zhujian"), ("消防救援", "xiaofang"),
        ("其它有关行业主管站所", None)]
    stations = task(table, title="加强消防站点建设")
    assert [(t["threshold"], t["unit"], t["date"]) for t in stations["targets"]] == [
        (6, "个", "2024-12-31"), (10, "个", "2024-12-31")]
    nine_small = task(table, title="抓好“九小”场所突出风险治理")
    assert {"text": "2024年9月", "date": "2024-09-30"} in nine_small["deadlines"]
    # a row whose title and units are missing in the flattened text: kept, untitled
    untitled = [t for t in table["tasks"] if t["title"] is None]
    assert len(untitled) == 1 and untitled[0]["responsible"] == []
    assert [t["threshold"] for t in untitled[0]["targets"]] == [80, 100]


def test_sequences_yi_shi_er_shi(seeds):
    """"一是…二是…" stays inside its task: lines starting 一是 (附件1.7) and sentences
    (第三篇) are the task's text, never tasks or headings of their own."""
    station = part(seeds[3], "加强和规范街道消防工作站建设管理工作方案")
    quantified = task(station, "（三）")
    assert quantified["title"] == "任务量化"
    assert [(t["threshold"], t["unit"], t["metric_hint"]) for t in quantified["targets"]] == \
        [(1, "次", "frequency")] * 6
    for p in walk_plans(seeds[1]):
        for t in p["tasks"]:
            assert "是" not in (t["number"] or "")
    town = part(seeds[1], "XX镇消防安全专项整治三年行动实施方案")
    assert task(town, "（一）2")["title"] == "开展高层建筑消防安全综合整治"


def test_bundles_become_parts(seeds):
    """附件1.1 (a list of names) and the attachments' attachments (附件1.2.1 …) are not
    plans; 第X篇 chapters, a plan that starts without one and the table are."""
    assert [p["title"] for p in seeds[3]["parts"]] == [
        "渝中区2023年高层建筑消防安全“除险清患”专项行动工作方案",
        "渝中区深入推进商场市场消防安全专项整治工作方案",
        "关于开展大型商业综合体消防安全管理“强基提能”工作方案",
        "渝中区老旧小区消防安全专项整治工作方案",
        "渝中区“三类”重点对象火灾防控能力提升行动工作方案",
        "加强和规范街道消防工作站建设管理工作方案",
        "渝中区2023年消防宣传工作方案",
    ]
    assert seeds[1]["title"] == "高层建筑消防安全专项整治三年行动实施方案2024年"
    assert [p["title"] for p in seeds[1]["parts"]] == [
        "消防安全专项整治三年行动实施方案", "XX镇消防安全专项整治三年行动实施方案",
        "XX街道高层建筑消防安全三年整治计划实施方案", "XX镇消防安全专项整治三年行动实施方案",
        "问题清单、任务清单、责任清单"]
    for n in (0, 2, 4):
        assert seeds[n]["parts"] == []


def test_checklists_are_not_tasks(seeds):
    """整治重点 (一)…(十) of 第一篇 are tasks; their "1.…；2.…；" items are a checklist."""
    assert [t["number"] for t in seeds[1]["tasks"]] == [
        f"（{c}）" for c in "一二三四五六七八九十"]


def test_targets_outside_tasks(seeds):
    assert seeds[1]["targets"] == [
        {"text": "完成50%上账隐患整改任务", "metric_hint": "rectified_share", "threshold": 50,
         "unit": "%", "date": "2024-12-31"},
        {"text": "完成80%上账隐患整改任务", "metric_hint": "rectified_share", "threshold": 80,
         "unit": "%", "date": "2024-06-30"},
    ]
    high_rise = part(seeds[3], "渝中区2023年高层建筑消防安全“除险清患”专项行动工作方案")
    spot = [t for t in high_rise["targets"] if t["metric_hint"] == "spot_check_share"]
    assert [(t["threshold"], t["date"]) for t in spot] == [(10, "2023-05-31"), (5, "2023-05-31")]


# --- departments -----------------------------------------------------------------------------


def test_department_names_normalise_to_one_code():
    for name in ("区住建委", "住房城乡建设局", "住建局", "区住房城乡建设局", "区住房和城乡建设局",
                 "县住建", "区住房城乡建委"):
        assert match_department(name) == "zhujian", name
    for name in ("区消防救援支队", "消防救援大队", "区消防救援大队", "专职消防队"):
        assert match_department(name) == "xiaofang", name
    for name in ("区公安分局", "公安局", "派出所", "交警三大队"):
        assert match_department(name) == "gongan", name
    for name in ("区城管局", "区城市管理局", "综合行政执法局"):
        assert match_department(name) == "chengguan", name
    for name in ("各街道办事处", "各管委会", "属地街道", "各村（居）委会", "各乡镇政府",
                 "各乡镇人民政府"):
        assert match_department(name) == "streets", name
    for name in ("区委政法委", "区交通运输局", "各行业主管部门", "区消防安全委员会各成员单位",
                 "供电公司", "", "人民政府"):
        assert match_department(name) is None, name


def test_names_as_written_are_kept(seeds):
    texts = {(u["text"], u["code"]) for p in (seeds[0], seeds[2], seeds[3])
             for t in p["tasks"] for role in ("lead", "cooperating") for u in t[role]}
    assert {("区住房城乡建设局", "zhujian"), ("区住建局", "zhujian"), ("住建局", "zhujian"),
            ("区住建委", "zhujian")} <= texts


def test_the_callers_department_list():
    mine = [("housing", ["住建", "住房城乡建设局"]), ("fire", ["消防救援大队"])]
    plan = parse_plan(seed_text(2), departments=mine)
    first = task(plan, "1")
    assert units(first["lead"]) == [("住建局", "housing"), ("消防救援大队", "fire")]
    assert units(first["cooperating"]) == [("综合行政执法局", None), ("公安局", None)]
    assert match_department("各街道办事处", mine) is None  # streets only if the caller has it


def test_default_departments_hold_the_migrations_departments():
    migration = importlib.import_module("fireledger.core.migrations.0002_departments")
    table = dict(DEFAULT_DEPARTMENTS)
    for code, name, short in migration.DEPARTMENTS:
        assert name in table[code] and short in table[code]
        assert match_department(name) == code and match_department(short) == code
    assert "streets" in table


# --- dates and targets -----------------------------------------------------------------------


@pytest.mark.parametrize("text, year, want", [
    ("12月底前完成50%上账隐患整改", 2024,
     {"text": "12月底前完成50%上账隐患整改", "metric_hint": "rectified_share", "threshold": 50,
      "unit": "%", "date": "2024-12-31"}),
    ("12月底前完成50%上账隐患整改", None,
     {"text": "12月底前完成50%上账隐患整改", "metric_hint": "rectified_share", "threshold": 50,
      "unit": "%", "date": None}),
    ("2021年100%达标", None,
     {"text": "2021年100%达标", "metric_hint": "compliant_share", "threshold": 100, "unit": "%",
      "date": "2021-12-31"}),
    ("抽查率不低于10%", None,
     {"text": "抽查率不低于10%", "metric_hint": "spot_check_share", "threshold": 10, "unit": "%",
      "date": None}),
    ("注册人员不少于5000人", None,
     {"text": "注册人员不少于5000人", "metric_hint": "count", "threshold": 5000, "unit": "人",
      "date": None}),
    ("年底前，全区排查率达到95%", 2023,
     {"text": "全区排查率达到95%", "metric_hint": "inspected_share", "threshold": 95, "unit": "%",
      "date": "2023-12-31"}),
    ("实现全县终端连接数不低于15万个", None,
     {"text": "实现全县终端连接数不低于15万个", "metric_hint": "count", "threshold": 150000,
      "unit": "个", "date": None}),
    ("每周不少于３次", None,
     {"text": "每周不少于３次", "metric_hint": "frequency", "threshold": 3, "unit": "次",
      "date": None}),
])
def test_targets(text, year, want):
    assert parse_targets(text, year) == [want]


@pytest.mark.parametrize("text", [
    "建筑高度大于27米的住宅建筑", "地上1000平方米、地下500平方米以上商场市场", "2000年以前建成的小区",
    "接到出动指令后5分钟内到达", "联系电话：023—63102093", "每季度召开一次消防工作会议",
    "《重庆市城市重大火灾风险防治行动计划（2022—2024年）》"])
def test_numbers_that_are_not_targets(text):
    assert parse_targets(text, 2023) == []


@pytest.mark.parametrize("text, year, want", [
    ("2021年底", None, [("2021年底", "2021-12-31")]),
    ("12月底前", None, [("12月底前", None)]),
    ("12月底前", 2024, [("12月底前", "2024-12-31")]),
    ("2020年8月前，全面摸排", None, [("2020年8月前", "2020-07-31")]),
    ("确保11月30日前全部整改销号", 2023, [("11月30日前", "2023-11-30")]),
    ("于2023年年底前全部整改完毕", None, [("2023年年底前", "2023-12-31")]),
    ("在2020年年内组织", None, [("2020年年内", "2020-12-31")]),
    ("到2024年，实现各类队站满编执勤", None, [("到2024年", "2024-12-31")]),
    ("力争在三年内基本整改完毕", 2020, []),
    ("从即日起至2023年年底", 2023, []),  # the end of a period, not a deadline
    ("2021年至2022年开展集中整治", None, []),
    ("2月30日前", 2023, [("2月30日前", None)]),
])
def test_deadlines(text, year, want):
    assert [(d["text"], d["date"]) for d in parse_deadlines(text, year)] == want


@pytest.mark.parametrize("when, year, want", [
    ("2021年12月10日前", None, (None, "2021-12-10")),
    ("2021年12月11日至2022年3月25日", None, ("2021-12-11", "2022-03-25")),
    ("2022年3月26日至3月31日", None, ("2022-03-26", "2022-03-31")),
    ("4月30日前", 2023, (None, "2023-04-30")),
    ("4月30日前", None, (None, None)),
    ("即日起—2023年3月31日", None, (None, "2023-03-31")),
    ("2024年7月", None, ("2024-07-01", "2024-07-31")),
    ("2024年8月至12月", None, ("2024-08-01", "2024-12-31")),
    ("2024年", None, ("2024-01-01", "2024-12-31")),
    ("12月11日至3月25日", 2021, ("2021-12-11", "2022-03-25")),
    ("常态化", 2021, (None, None)),
])
def test_periods(when, year, want):
    assert parse_period(when, year) == want


# --- documents in none of these layouts ------------------------------------------------------

EMPTY = {"title": None, "issuer": None, "date": None, "doc_number": None, "phases": [],
         "tasks": [], "targets": [], "parts": []}


@pytest.mark.parametrize("text", [
    "",
    " \n\n\t\u3000\n",
    "The district fire brigade inspected 120 buildings last week; 50% had blocked exits. "
    "Owners must fix them by 31 December 2024.",
    "新华社北京3月5日电 记者从应急管理部获悉，今年以来全国共接报火灾12.5万起，同比下降5%。"
    "专家提醒，冬季用火用电增多，市民要注意家庭消防安全，不要在楼道内停放电动自行车。",
    "一、\n（一）\n1.\n牵头单位：\n（牵头部门：）",
    "附件1\n附件1.1\n第一篇：",
    "序号\n整治内容\n责任单位\n完成时间",
])
def test_no_layout_gives_nothing(text):
    assert parse_plan(text) == EMPTY


def test_a_notice_gives_what_it_has():
    """An honest partial result: the header and title are found, there are no tasks."""
    text = ("XX县应急管理局\n关于做好春节期间消防安全工作的通知\nXX应急〔2024〕3号\n各乡镇：\n"
            "春节将至，请各单位加强值班值守，严防火灾事故发生。\nXX县应急管理局\n2024年1月20日\n")
    plan = parse_plan(text)
    assert (plan["title"], plan["issuer"], plan["date"], plan["doc_number"]) == (
        "关于做好春节期间消防安全工作的通知", "XX县应急管理局", "2024-01-20", "XX应急〔2024〕3号")
    assert (plan["phases"], plan["tasks"], plan["targets"], plan["parts"]) == ([], [], [], [])


def test_a_plan_written_differently():
    """Units after the task's sentence on the same line, a period with a dash, a month."""
    text = ("XX县2025年燃气安全专项整治实施方案\n为防范燃气事故，制定本方案。\n一、主要任务\n"
            "1.开展餐饮场所燃气隐患排查，6月底前排查率达到100%。牵头单位：县住建局；"
            "配合单位：县市场监管局、各乡镇人民政府。\n"
            "2.推广安装燃气泄漏报警装置，年底前安装不少于2000户。责任单位：各乡镇。\n"
            "二、时间安排\n（一）排查阶段（3月1日—6月30日）\n（二）整治阶段（7月）\n")
    plan = parse_plan(text)
    assert plan["title"] == "XX县2025年燃气安全专项整治实施方案"
    assert plan["phases"] == [{"name": "排查阶段", "start": "2025-03-01", "end": "2025-06-30"},
                              {"name": "整治阶段", "start": "2025-07-01", "end": "2025-07-31"}]
    first, second = plan["tasks"]
    assert units(first["lead"]) == [("县住建局", "zhujian")]
    assert units(first["cooperating"]) == [("县市场监管局", "shichang"), ("各乡镇人民政府", "streets")]
    assert first["targets"][0]["metric_hint"] == "inspected_share"
    assert units(second["responsible"]) == [("各乡镇", "streets")]
    assert (second["targets"][0]["threshold"], second["targets"][0]["unit"],
            second["targets"][0]["date"]) == (2000, "户", "2025-12-31")


# --- properties ------------------------------------------------------------------------------

NOISE = ("一二三四五六七八九十（）()、.．：:；;，。“”《》〔〕【】牵头单位配合部门责任年月日底前内至—"
         "0123456789%％个人次附件篇第是序号整治内容完成时间区县各街道住建消防\n \u3000abc")


def _check(text: str, departments=None) -> None:
    plan = parse_plan(text, departments)
    codes = {code for code, _ in (departments if departments is not None else DEFAULT_DEPARTMENTS)}
    for p in walk_plans(plan):
        for t in p["tasks"]:
            for role in ("lead", "cooperating", "responsible"):
                for unit in t[role]:
                    assert unit["code"] is None or unit["code"] in codes


def test_random_text_never_raises_seeded():
    """Seeded random text (always runs): never an exception, never a code outside the table."""
    rng = random.Random(2026)
    mine = [("a", ["住建"]), ("b", ["街道"])]
    for _ in range(600):
        text = "".join(rng.choice(NOISE) for _ in range(rng.randint(0, 300)))
        _check(text)
        _check(text, mine)
    for _ in range(300):
        _check("".join(chr(rng.randint(0, 0x2FFFF)) for _ in range(rng.randint(0, 200))))
    # and the seeds cut at random places
    for n in range(5):
        text = seed_text(n)
        for _ in range(20):
            a = rng.randint(0, len(text))
            _check(text[a:a + rng.randint(0, 3000)])


def test_random_unicode_never_raises_hypothesis():
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies

    @hypothesis.settings(max_examples=300, deadline=None)
    @hypothesis.given(st.one_of(st.text(), st.text(alphabet=NOISE, max_size=400)))
    def check(text):
        _check(text)
        _check(text, [("x", ["住建", "消防救援"])])

    check()


# --- files and the command ------------------------------------------------------------------


def _docx_bytes(tmp_path) -> Path:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in ("XX区2024年电动自行车火灾隐患专项整治工作方案", "为切实消除电动自行车火灾隐患，制定本方案。",
                 "一、工作目标", "2024年6月底前，全区电动自行车违规停放充电隐患整改率达到90%以上。",
                 "二、工作任务"):
        document.add_paragraph(line)
    rows = [("序号", "工作任务", "牵头单位", "配合单位", "完成时限"),
            ("1", "建立电动自行车停放充电场所台账", "区住建委", "各街道办事处", "2024年3月31日前"),
            ("2", "开展集中整治", "区消防救援支队", "区公安分局、区城管局", "2024年6月底前")]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for line in ("三、工作步骤", "（一）动员部署（2024年3月1日—3月15日）", "（二）集中整治（2024年3月16日至6月30日）"):
        document.add_paragraph(line)
    path = tmp_path / "方案.docx"
    document.save(path)
    return path


def test_docx_paragraphs_and_table_cells_in_order(tmp_path):
    path = _docx_bytes(tmp_path)
    text = read_text(path.read_bytes(), path.name)
    lines = [line for line in text.splitlines() if line]
    assert lines[:6] == ["XX区2024年电动自行车火灾隐患专项整治工作方案", "为切实消除电动自行车火灾隐患，制定本方案。",
                         "一、工作目标", "2024年6月底前，全区电动自行车违规停放充电隐患整改率达到90%以上。",
                         "二、工作任务", "序号"]
    assert lines.index("建立电动自行车停放充电场所台账") < lines.index("三、工作步骤")
    plan = parse_plan(text)
    assert [(t["number"], t["title"]) for t in plan["tasks"]] == [
        ("1", "建立电动自行车停放充电场所台账"), ("2", "开展集中整治")]
    assert units(plan["tasks"][1]["lead"]) == [("区消防救援支队", "xiaofang")]
    assert units(plan["tasks"][1]["cooperating"]) == [("区公安分局", "gongan"), ("区城管局", "chengguan")]
    assert plan["tasks"][1]["deadlines"] == [{"text": "2024年6月底前", "date": "2024-06-30"}]
    assert [p["name"] for p in plan["phases"]] == ["动员部署", "集中整治"]
    assert plan["targets"][0]["threshold"] == 90


def test_read_text_encodings_and_errors():
    text = "郟城县消防安全专项整治三年行动2020年工作推进计划"
    assert read_text(text.encode("utf-8"), "a.txt") == text
    assert read_text(b"\xef\xbb\xbf" + text.encode("utf-8"), "a.txt") == text
    assert read_text(text.encode("gb18030"), "a.txt") == text
    with pytest.raises(ValueError):
        read_text(b"PK\x03\x04 not a zip", "a.docx")
    with pytest.raises(ValueError):
        read_text(b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old.doc")


def _run(*args) -> str:
    out = io.StringIO()
    call_command("parse_plan", *args, stdout=out)
    return out.getvalue()


def test_command_json_txt_gb18030(tmp_path):
    path = tmp_path / "seed004.txt"
    path.write_bytes(seed_text(4).encode("gb18030"))
    plan = json.loads(_run(str(path), "--json"))
    assert plan == parse_plan(seed_text(4))
    assert plan["doc_number"] == "渡跃街发〔2021〕14号"


def test_command_docx_and_summary(tmp_path):
    path = _docx_bytes(tmp_path)
    plan = json.loads(_run(str(path), "--json"))
    assert plan["title"] == "XX区2024年电动自行车火灾隐患专项整治工作方案"
    summary = _run(str(path))
    assert "标题 Title: XX区2024年电动自行车火灾隐患专项整治工作方案" in summary
    assert "牵头: 区消防救援支队[xiaofang]" in summary
    assert "期限 due: 2024年6月底前 → 2024-06-30" in summary


def test_command_summary_lists_parts():
    summary = _run(str(FIXTURES / "seed003.txt"))
    assert summary.count("附属方案 Part") == 7


def test_command_errors(tmp_path):
    with pytest.raises(CommandError):
        _run(str(tmp_path / "missing.txt"))
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 nothing")
    with pytest.raises(CommandError):
        _run(str(bad))


def test_fireledger_parse_plan_runs_parse_plan(monkeypatch):
    """`fireledger parse-plan FILE` (hyphen) is Django's parse_plan command."""
    import django.core.management

    from fireledger import cli

    seen = []
    monkeypatch.setattr(django.core.management, "execute_from_command_line", seen.append)
    monkeypatch.setattr("sys.argv", ["fireledger", "parse-plan", "plan.txt", "--json"])
    cli.main()
    monkeypatch.setattr("sys.argv", ["fireledger", "--help"])
    cli.main()
    monkeypatch.setattr("sys.argv", ["fireledger", "help", "parse-plan"])
    cli.main()
    assert seen == [["fireledger", "parse_plan", "plan.txt", "--json"], ["fireledger", "--help"],
                    ["fireledger", "help", "parse_plan"]]


def test_module_is_pure():
    source = Path(plan_parser.__file__).read_text(encoding="utf-8")
    imports = {line.split()[1].split(".")[0] for line in source.splitlines()
               if line.startswith(("import ", "from "))}
    assert imports <= {"__future__", "calendar", "functools", "io", "re", "zipfile", "dataclasses",
                       "datetime", "xml"}
