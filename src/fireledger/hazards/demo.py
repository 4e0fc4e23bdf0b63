"""Deterministic, realistic hazard registers: the demo district's and bench-scale ones.

Same split as places/generator.py:

* `HazardPlanner` is pure: a `random.Random`, the taxonomy, the deadline rules and the calendar
  in, plain dicts of Hazard field values out (no database, no clock: `today` is given).
* `generate_demo_hazards` reads the demo district's places and users and writes the register
  through `seeding.bulk_create_hazards` (one audit event per hazard, one transaction).
* `generate_scale_hazards` writes any number of hazards over the places already in the
  database, in chunks, without audit events (bench data; see bench/README.md).

What a register looks like (DEMO_MIX; SCALE_MIX for bench data):

* about one hazard per 2–3 places, more at high-rises, malls, commercial complexes and old
  compounds (`PLACE_RATE`), none at most places and several at a few;
* categories from the taxonomy's leaves that fit the place (`CATEGORY_FAMILIES`: hr.* at
  high-rises, mall.* at malls, oc.* at old compounds, eb.* for e-bikes in residential
  buildings, nb.* at escape rooms, logistics and storage stations, prin.*/gen.*/其他 elsewhere);
  a family missing from the database is skipped, so this works with any taxonomy version;
* found over the last `months` months; deadlines from DeadlineRule in working days from the
  day found (sometimes a different period, as officers set them), so deadline >= found_on;
* statuses: about 55 % closed (fixed on the spot, rectified and verified, a few rebounds
  closed again); the rest awaiting rectification, being rectified (some reopened), awaiting
  verification and a few that cannot be rectified (with a reason, interim safeguards and a
  review date); a share of the open ones past their deadline by a few days to a few months;
* a few major hazards, each with interim safeguards;
* the person responsible and their phone from the place (its responsible person or safety
  manager), the responsible unit from its manager, occupant or owner;
* at places listed by the brigade or a police station, the referral notice (抄告) that
  services.log_hazard opens, mostly sent within its 3 working days, some late, a few not yet
  (demo only: bench data has no notices).
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from fireledger.core import workdays

from . import lifecycle

ONE_DAY = datetime.timedelta(days=1)


# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

# Expected hazards per place by place category (relative; scaled to the wanted total for bench
# data). A high-rise that is a residential compound counts as a high-rise.
PLACE_RATE = {
    "high_rise": 0.8, "mall": 0.8, "commercial_complex": 1.0, "old_compound": 0.6,
    "urban_village_rental": 0.35, "nine_small": 0.2, "residential": 0.25, "hotel": 0.25,
    "entertainment": 0.3, "escape_room": 0.4, "logistics": 0.35, "factory_warehouse": 0.3,
    "underground": 0.3, "heritage": 0.25, "elderly_care": 0.2, "medical": 0.15,
    "school": 0.12, "kindergarten": 0.12, "religious": 0.12, "petrochemical": 0.3,
    "energy_storage": 0.4, "epidemic": 0.1,
}
HIGH_RISE_RATE = 0.8

# Which taxonomy families fit which place: (family, weight). A family is one or more codes or
# prefixes joined by "|": "hr." means every leaf whose code starts with "hr.", an exact code
# ("other") that category.
EB_IN_BUILDINGS = "eb.1|eb.2|eb.3"  # eb.4 is about selling modified batteries: shops only
HIGH_RISE_FAMILIES = (("hr.", 0.8), (EB_IN_BUILDINGS, 0.12), ("gen.", 0.08))
CATEGORY_FAMILIES: dict[str, tuple[tuple[str, float], ...]] = {
    "mall": (("mall.", 0.75), ("prin.", 0.15), ("gen.", 0.1)),
    "commercial_complex": (("mall.", 0.55), ("hr.", 0.35), ("prin.", 0.1)),
    "old_compound": (("oc.", 0.6), (EB_IN_BUILDINGS, 0.25), ("gen.", 0.15)),
    "residential": ((EB_IN_BUILDINGS, 0.45), ("gen.", 0.45), ("other", 0.1)),
    "urban_village_rental": (("oc.", 0.4), (EB_IN_BUILDINGS, 0.3), ("gen.", 0.3)),
    "escape_room": (("nb.1.", 0.85), ("prin.", 0.15)),
    "logistics": (("nb.3.", 0.55), ("nb.2", 0.3), ("gen.", 0.15)),
    "factory_warehouse": (("nb.3.", 0.4), ("gen.", 0.5), ("other", 0.1)),
    "energy_storage": (("nb.4", 0.8), ("gen.", 0.2)),
    "nine_small": (("prin.", 0.35), ("gen.", 0.4), ("eb.2|eb.3|eb.4", 0.15), ("other", 0.1)),
    "hotel": (("prin.", 0.4), ("gen.", 0.5), ("other", 0.1)),
    "entertainment": (("prin.", 0.5), ("gen.", 0.4), ("other", 0.1)),
}
DEFAULT_FAMILIES = (("gen.", 0.8), ("other", 0.2))

# Concrete wording per category: (description, location in the place, measures taken).
# {f} a floor, {b} a building number, {n} a small count. Codes not listed use the category's
# own name as the description.
WORDING: dict[str, tuple[tuple[str, str, str], ...]] = {
    "hr.01.1": (("外墙保温层采用B2级聚苯板，未设不燃材料防护层", "外墙", "拆除易燃保温材料，更换为A级岩棉板"),),
    "hr.01.2": (("{f}层以上外墙保温防护层开裂脱落约{n}0平方米", "外墙", "修复外墙保温防护层"),),
    "hr.02.1": (("室内消火栓箱内水带、水枪缺失，栓口无水", "{f}层消火栓", "补齐水带水枪，修复供水管网"),
                ("自动喷水灭火系统末端试水装置压力为零", "{f}层末端试水装置", "维修喷淋管网，压力恢复正常"),
                ("火灾自动报警系统{n}个探测器故障未修复", "消防控制室", "更换故障探测器并联动测试")),
    "hr.02.2": (("联动控制器故障，防排烟风机不能联动启动", "消防控制室", "维保单位维修联动控制器，联动测试正常"),),
    "hr.03.1": (("疏散楼梯间堆放杂物、纸箱", "{b}栋{f}层疏散楼梯间", "清理杂物，疏散通道保持畅通"),
                ("安全出口上锁", "{f}层安全出口", "拆除门锁，改用推闩式逃生门锁")),
    "hr.03.2": (("常闭式防火门闭门器损坏，处于常开状态", "{b}栋{f}层前室", "更换闭门器，防火门保持常闭"),),
    "hr.03.3": (("应急照明灯不亮，疏散指示标志缺失", "{f}层走道", "更换应急照明灯，补设疏散指示标志"),),
    "hr.03.4": (("避难层堆放装修材料，被改作仓库", "{f}层避难层", "清空避难层，恢复原用途"),),
    "hr.04.1": (("消防车通道被私家车长期占用", "小区主入口消防车通道", "施划禁停标线，物业专人管理"),
                ("消防车通道设置隔离桩、地锁", "东侧消防车通道", "拆除隔离桩和地锁")),
    "hr.04.2": (("户外广告牌占用消防登高场地", "南侧消防登高场地", "拆除广告牌，设置登高场地标识"),),
    "hr.05.1": (("电缆井未在楼板处进行防火封堵", "{f}层电缆井", "采用防火材料逐层封堵"),),
    "hr.05.2": (("管道井内堆放杂物，检查门破损", "{f}层管道井", "清理杂物，更换丙级防火检查门"),),
    "hr.06.1": (("公共区域私拉乱接电线，未穿管保护", "{f}层公共区域", "拆除私接线路，规范穿管敷设"),),
    "hr.06.2": (("餐饮商户使用燃气部位未设燃气泄漏报警装置", "{f}层餐饮区", "安装燃气泄漏报警和紧急切断装置"),),
    "hr.06.3": (("电气线路未定期检测，配电箱积尘严重", "配电房", "委托检测电气线路，清理配电箱"),),
    "hr.06.4": (("动火作业未办理审批，现场无人监护", "{f}层装修现场", "停工整改，落实动火审批和现场监护"),),
    "hr.07.1": (("消防控制室仅一人值班，值班人员无证上岗", "消防控制室", "落实双人值班，值班人员持证上岗"),),
    "hr.07.2": (("消防联动控制器处于手动状态", "消防控制室", "联动控制器恢复自动状态"),
                ("喷淋泵控制柜处于手动状态", "消防泵房", "控制柜恢复自动状态")),
    "hr.07.3": (("灭火和应急疏散预案多年未更新", "", "修订预案并组织演练"),),
    "hr.08.1": (("未建立微型消防站", "", "建成微型消防站，配齐器材和队员"),),
    "hr.08.2": (("微型消防站队员不会使用消防器材", "微型消防站", "组织队员培训和实操训练"),),
    "hr.08.3": (("微型消防站未落实定岗、定人、定责", "微型消防站", "建立值守制度，明确岗位职责"),),
    "hr.08.4": (("未与周边单位建立微型消防站联防机制", "", "与相邻单位签订联防协议"),),
    "hr.09.1": (("电动自行车在楼道内停放充电", "{b}栋{f}层楼道", "清理楼道电动自行车，引导至集中充电点"),
                ("电动自行车电池入户充电", "{b}栋{f}层", "劝导住户停止入户充电，签订承诺书")),
    "hr.09.2": (("电动自行车集中停车棚未配置灭火器材", "小区电动自行车停车棚", "配置灭火器和简易喷淋"),),
    "hr.10.1": (("产权单位与使用单位未签订消防安全责任协议", "", "签订协议，明确各方消防安全责任"),),
    "hr.10.2": (("未明确消防安全管理人，消防安全制度未建立", "", "明确管理人，建立消防安全制度"),),
    "hr.10.3": (("建筑消防设施未委托维保单位进行年度检测", "", "委托维保单位完成年度检测"),),
    "hr.10.4": (("防火巡查记录缺失，发现隐患未及时整改", "", "落实每日防火巡查并建立台账"),),
    "hr.10.5": (("外窗设置防盗网影响逃生和灭火救援", "{f}层外窗", "拆除防盗网或改为可开启式"),),
    "hr.10.6": (("单位未组织年度消防演练", "", "组织全员疏散演练"),),
    "mall.1": (("灭火器压力不足、过期未更换", "{f}层商铺", "更换过期灭火器"),
               ("自动喷水灭火系统喷头被装修吊顶遮挡", "{f}层营业厅", "调整吊顶，喷头恢复有效保护")),
    "mall.2": (("商铺货物占用疏散通道", "{f}层东侧通道", "清理货物，施划疏散通道标线"),
               ("安全出口被卷帘门锁闭", "{f}层安全出口", "营业期间保持安全出口开启")),
    "mall.3": (("员工不会使用灭火器和室内消火栓", "{f}层商铺", "组织员工消防培训和实操演练"),),
    "mall.4": (("商户未签订消防安全责任书，未落实每日防火巡查", "", "签订责任书，落实防火巡查"),),
    "mall.5": (("商铺私拉乱接电线、使用大功率电器", "{f}层商铺", "拆除私接线路，停用大功率电器"),),
    "mall.6": (("消防车道被临时摊位和货车占用", "西侧消防车道", "清理摊位，设置禁停标识"),),
    "oc.1": (("砖木结构住宅耐火等级低，木楼梯无防火保护", "{b}栋", "涂刷防火涂料，增设灭火器"),),
    "oc.2": (("小区无室内消火栓，市政消火栓距离过远", "", "增设室外消火栓"),),
    "oc.3": (("楼道未配置灭火器，无火灾报警装置", "{b}栋楼道", "每层配置灭火器，安装独立式烟感"),),
    "oc.4": (("楼道堆放杂物，疏散通道不畅通", "{b}栋{f}层楼道", "清理楼道杂物"),),
    "oc.5": (("底层商铺与住宅之间未设防火分隔", "{b}栋底层", "砌筑防火隔墙"),),
    "oc.6": (("楼道电气线路老化、绝缘层破损", "{b}栋楼道", "更换老化线路，加装漏电保护"),),
    "oc.7": (("住户采用易燃材料装修，阳台堆放可燃物", "{b}栋{f}层", "劝导住户清理可燃物"),),
    "oc.8": (("底层门面“三合一”住人", "{b}栋底层门面", "住宿与经营分离，清退住人"),),
    "eb.1": (("电动自行车推入电梯进楼入户", "{b}栋电梯", "安装电梯阻车系统"),),
    "eb.2": (("电动自行车在楼道内停放充电", "{b}栋{f}层楼道", "清理楼道车辆，引导至集中充电点"),),
    "eb.3": (("从{f}楼窗口“飞线”为电动自行车充电", "{b}栋", "拆除飞线，增设集中充电桩"),),
    "eb.4": (("销售改装电动自行车电池", "门店", "下架改装电池，移交市场监管部门"),),
    "nb.1.1": (("密室内私拉电线、使用大功率电器", "{n}号密室", "规范线路敷设，停用大功率电器"),),
    "nb.1.2": (("密室采用易燃可燃材料装修", "{n}号密室", "更换为不燃装修材料"),),
    "nb.1.3": (("密室与其他区域未做防火分隔", "{n}号密室", "增设防火隔墙和防火门"),),
    "nb.1.4": (("密室疏散通道曲折，应急疏散指示缺失", "{n}号密室", "增设疏散指示，设置一键开门装置"),),
    "nb.1.5": (("密室内无应急呼叫装置", "{n}号密室", "安装应急呼叫和视频监控"),),
    "nb.2": (("快件堆放堵塞疏散通道", "分拣区", "规划堆放区域，清理通道"),),
    "nb.3.1": (("仓库内不同性质货物违规混存", "{n}号库房", "分区分类存放"),),
    "nb.3.2": (("库房内违规动火焊接", "{n}号库房", "停止动火，落实动火审批"),),
    "nb.3.3": (("叉车在库房内违规充电", "{n}号库房", "设置专用充电区"),),
    "nb.3.4": (("库房内违规留宿人员", "{n}号库房", "清退留宿人员"),),
    "nb.4": (("电池舱温度监测装置故障", "{n}号电池舱", "维修温度监测装置"),),
    "prin.1": (("场所未办理消防验收（备案）手续即投入使用", "", "补办消防手续"),),
    "prin.2": (("吊顶、墙面采用易燃可燃材料装修", "大厅", "更换为不燃材料"),),
    "prin.3": (("防火分隔被破坏，防火卷帘下堆放物品", "{f}层", "恢复防火分隔，清理卷帘下物品"),),
    "prin.4": (("消防设施设备未保持完好有效", "{f}层", "维修消防设施"),),
    "prin.5": (("安全出口数量不足，疏散通道宽度不够", "{f}层", "增设安全出口"),),
    "prin.6": (("私拉乱接电线，超负荷用电", "厨房", "重新敷设线路，加装漏电保护"),),
    "gen.1": (("灭火器过期未更换", "前台", "更换灭火器"),
              ("室内消火栓无水", "{f}层消火栓", "修复消火栓供水")),
    "gen.2": (("疏散通道堆放杂物", "后门通道", "清理杂物"),
              ("安全出口上锁", "后门", "拆除门锁")),
    "gen.3": (("消防车通道被占用", "门前消防车通道", "清理占道车辆，施划禁停标线"),),
    "gen.4": (("私拉乱接电线", "{f}层", "拆除私接线路"),
              ("厨房油烟管道未清洗", "厨房", "清洗油烟管道"),
              ("液化石油气钢瓶存放不规范", "厨房", "钢瓶移至专用气瓶间")),
    "gen.5": (("员工未经消防安全培训，不会使用灭火器", "", "组织员工培训"),
              ("防火巡查记录缺失", "", "落实每日防火巡查")),
    "other": (("应急照明损坏", "{f}层走道", "更换应急照明"),
              ("疏散指示标志缺失", "{f}层走道", "补设疏散指示标志"),
              ("住人与经营场所未分隔（三合一）", "底层", "住宿与经营分离"),
              ("常闭式防火门处于常开状态", "{f}层", "防火门恢复常闭")),
}
FALLBACK_MEASURES = "已按整改要求完成整改"
INTERIM_SAFEGUARDS = (
    "设置警示标志，安排专人24小时值守",
    "配置临时灭火器材，每日防火巡查不少于两次",
    "限制人员进入相关区域，加强夜间巡查",
    "停用相关设备，落实专人看护并张贴告示",
)
CANNOT_RECTIFY_REASONS = (
    "建筑为上世纪砖木结构，受规划和产权限制无法改造；属地政府已书面说明情况并报防火委办公室备案",
    "消防车通道受周边山地地形限制无法拓宽；已书面说明情况，纳入属地政府督办事项",
    "室外消防水源受市政管网条件限制暂无法增设；已书面说明情况，持续跟踪督改",
    "产权分散、业主无法达成一致，整改资金无法落实；已书面说明情况并报备案",
)
FUNDING_SOURCES = ("单位自筹", "住宅专项维修资金", "财政补助", "物业服务企业承担", "产权单位出资")
SOURCES = (("inspection", 0.62), ("self_inspection", 0.2), ("citizen_report", 0.1),
           ("sensor", 0.03), ("other", 0.05))
OFFICER_PERIODS = (5, 7, 15, 20, 30)  # working days officers set instead of the default

# Users a generated hazard is found and verified by, as roles the writer resolves to users.
FINDER_STREET, FINDER_GRID, FINDER_DISTRICT, FINDER_DEPARTMENT = "street", "grid", "district", "department"


@dataclass(frozen=True)
class Mix:
    """The shape of a register: how far back, and the share of each kind of history."""

    months: int
    # Kinds of history, with weights: closed ones first, then open ones.
    kinds: tuple[tuple[str, float], ...]
    overdue: float  # share of open hazards with a deadline that are past it
    major: float  # share of hazards at high-rises, malls, complexes and old compounds
    major_elsewhere: float

    @property
    def closed_share(self) -> float:
        total = sum(w for _, w in self.kinds)
        return sum(w for k, w in self.kinds if k in CLOSED_KINDS) / total


CLOSED_KINDS = frozenset({"spot", "closed", "rebound_closed"})
DEMO_MIX = Mix(
    months=6,
    kinds=(("spot", 0.12), ("closed", 0.41), ("rebound_closed", 0.02), ("pending", 0.10),
           ("rectifying", 0.19), ("rebound_open", 0.015), ("awaiting", 0.13),
           ("cannot", 0.015)),
    overdue=0.35, major=0.025, major_elsewhere=0.006,
)
# Bench data: a longer history, 80 % closed (so 5,000,000 hazards leave 1,000,000 open), half of
# the open ones with a deadline past it.
SCALE_MIX = Mix(
    months=12,
    kinds=(("spot", 0.15), ("closed", 0.62), ("rebound_closed", 0.03), ("pending", 0.04),
           ("rectifying", 0.09), ("rebound_open", 0.01), ("awaiting", 0.05), ("cannot", 0.01)),
    overdue=0.5, major=0.02, major_elsewhere=0.005,
)
# How far past the deadline an overdue hazard is: (days from, days to, weight).
OVERDUE_SPREAD = ((1, 5, 0.3), (6, 15, 0.3), (16, 45, 0.25), (46, 150, 0.15))
MAJOR_PLACES = frozenset({"high_rise", "mall", "commercial_complex", "old_compound"})


class PlaceFacts(NamedTuple):
    """What the planner needs to know about a place."""

    pk: int
    category: str
    is_high_rise: bool
    jurisdiction_code: str
    department_id: int | None
    responsible_person: str
    responsible_phone: str
    safety_manager: str
    safety_manager_phone: str
    listed_by: str  # Place.listed_by: "" or the agency a referral notice goes to
    unit: str  # its manager's, occupant's or owner's name ("" when none)


class Taxonomy:
    """The leaves of the hazard taxonomy and the deadline rules, as plain data."""

    def __init__(self, categories: list[tuple[int, str, int | None, str]],
                 rules: dict[tuple[int | None, bool], int]):
        """categories: (pk, code, parent pk, name); rules: {(category pk or None, is_major):
        working days}."""
        self.by_code = {code: pk for pk, code, _, _ in categories}
        self.names = {code: name for _, code, _, name in categories}
        parents = {parent for _, _, parent, _ in categories if parent}
        self.parent = {pk: parent for pk, _, parent, _ in categories}
        self.leaves = sorted(code for pk, code, _, _ in categories if pk not in parents)
        self.rules = rules
        self._families: dict[str, list[str]] = {}
        self._periods: dict[tuple[str, bool], int] = {}

    def family(self, spec: str) -> list[str]:
        """The leaf codes of a family "a.|b.1|c": for each part ending in "." the leaves
        starting with it, for any other part the code itself when it is a leaf."""
        if spec not in self._families:
            codes: list[str] = []
            for part in spec.split("|"):
                if part.endswith("."):
                    codes += [c for c in self.leaves if c.startswith(part)]
                elif part in self.leaves:
                    codes.append(part)
            self._families[spec] = codes
        return self._families[spec]

    def workdays(self, code: str, is_major: bool) -> int:
        """DeadlineRule's period: the category's own rule, its parent's, then the default."""
        found = self._periods.get((code, is_major))
        if found is None:
            pk = self.by_code[code]
            found = next((self.rules[(key, is_major)] for key in (pk, self.parent.get(pk), None)
                          if (key, is_major) in self.rules), 30 if is_major else 10)
            self._periods[(code, is_major)] = found
        return found


class _Sampler:
    """Weighted choice by bisect over cumulative weights."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cum = list(itertools.accumulate(weights))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random):
        return self.items[bisect.bisect(self.cum, rng.random() * self.total)]


@dataclass
class HazardPlanner:
    """Plans hazards for places: pure (rng, taxonomy, calendar, today in; dicts out)."""

    rng: random.Random
    taxonomy: Taxonomy
    today: datetime.date
    holidays: dict[datetime.date, bool] = field(default_factory=dict)
    mix: Mix = DEMO_MIX
    rate_scale: float = 1.0

    def __post_init__(self):
        self.window = int(self.mix.months * 30.44)
        self.kind = _Sampler([k for k, _ in self.mix.kinds], [w for _, w in self.mix.kinds])
        self.source = _Sampler([s for s, _ in SOURCES], [w for _, w in SOURCES])
        self.overdue_by = _Sampler(OVERDUE_SPREAD, [w for *_, w in OVERDUE_SPREAD])
        self._families: dict[tuple, _Sampler | None] = {}
        self._deadline: dict[tuple[datetime.date, int], datetime.date] = {}

    # -- helpers ---------------------------------------------------------------------------

    def add_workdays(self, start: datetime.date, n: int) -> datetime.date:
        key = (start, n)
        if key not in self._deadline:
            self._deadline[key] = workdays.add_workdays(start, n, self.holidays)
        return self._deadline[key]

    def days_ago(self, lo: int, hi: int) -> datetime.date:
        return self.today - datetime.timedelta(days=self.rng.randint(lo, max(lo, hi)))

    def rate(self, place: PlaceFacts) -> float:
        rate = PLACE_RATE.get(place.category, 0.3)
        if place.is_high_rise:
            rate = max(rate, HIGH_RISE_RATE)
        return rate * self.rate_scale

    def count_for(self, place: PlaceFacts) -> int:
        """How many hazards: geometric with the place's mean (most none, a few several)."""
        mean = self.rate(place)
        p = mean / (1 + mean)
        n, rng = 0, self.rng
        while rng.random() < p:
            n += 1
        return n

    def category_for(self, place: PlaceFacts) -> str:
        families = HIGH_RISE_FAMILIES if place.is_high_rise and place.category not in (
            "mall", "commercial_complex") else CATEGORY_FAMILIES.get(place.category,
                                                                    DEFAULT_FAMILIES)
        sampler = self._families.get(families, False)
        if sampler is False:
            usable = [(p, w) for p, w in families if self.taxonomy.family(p)]
            sampler = _Sampler([p for p, _ in usable], [w for _, w in usable]) if usable else None
            self._families[families] = sampler
        if sampler is None:
            return "other" if "other" in self.taxonomy.leaves else self.taxonomy.leaves[0]
        return self.rng.choice(self.taxonomy.family(sampler(self.rng)))

    def _words(self, code: str) -> tuple[str, str, str]:
        rng = self.rng
        options = WORDING.get(code)
        if not options:
            return "", "", FALLBACK_MEASURES
        text, where, measures = rng.choice(options)
        parts = {"f": rng.randint(1, 30), "b": rng.randint(1, 12), "n": rng.randint(1, 9)}
        return text.format(**parts), where.format(**parts), measures

    # -- one hazard ------------------------------------------------------------------------

    def plan(self, place: PlaceFacts) -> dict:
        """One hazard at place as a dict of Hazard field values, the category by its code, the
        finder as a role (FINDER_*), `verified` (whether someone verified it) and
        `notice_sent_on` (when the referral notice went out, at a listed place). A category
        WORDING does not know is described by its own name."""
        rng, today = self.rng, self.today
        code = self.category_for(place)
        description, location, measures = self._words(code)
        if not description:
            description = self.taxonomy.names.get(code, code)
        major_rate = self.mix.major if (place.category in MAJOR_PLACES or place.is_high_rise) \
            else self.mix.major_elsewhere
        kind = self.kind(rng)
        is_major = kind != "spot" and rng.random() < major_rate
        if kind == "cannot" and rng.random() < 0.5:
            is_major = True
        period = self.taxonomy.workdays(code, is_major)
        if not is_major and period > 1 and rng.random() < 0.25:
            period = rng.choice(OFFICER_PERIODS)
        span = round(period * 7 / 5) + 1  # calendar days the period takes, roughly

        h = {
            "place_id": place.pk, "jurisdiction_code": place.jurisdiction_code,
            "department_id": place.department_id, "category": code,
            "description": description, "location_in_place": location,
            "source": self.source(rng), "is_major": is_major, "fixed_on_spot": False,
            "status": lifecycle.PENDING, "deadline": None, "closed_on": None, "reopen_count": 0,
            "responsible_unit": place.unit, "responsible_person": "", "responsible_phone": "",
            "measures": "", "funding_source": "", "funding_amount": None,
            "interim_safeguards": rng.choice(INTERIM_SAFEGUARDS) if is_major else "",
            "rectification_reported_on": None, "verified_on": None, "verified": False,
            "cannot_rectify_reason": "", "review_on": None,
        }
        if rng.random() < 0.5 or not place.safety_manager:
            h["responsible_person"], h["responsible_phone"] = (place.responsible_person,
                                                               place.responsible_phone)
        else:
            h["responsible_person"], h["responsible_phone"] = (place.safety_manager,
                                                               place.safety_manager_phone)
        window = self.window
        deadline = self.add_workdays

        if kind == "spot":
            found = self.days_ago(0, window)
            h.update(fixed_on_spot=True, status=lifecycle.CLOSED, closed_on=found,
                     measures="现场整改：" + measures, responsible_unit=place.unit)
        elif kind in ("closed", "rebound_closed"):
            rebound = kind == "rebound_closed"
            took = rng.randint(1, span) if rng.random() < 0.8 else span + rng.randint(1, 40)
            extra = rng.randint(20, 60) if rebound else 0
            found = self.days_ago(min(window, took + extra), window)
            h["deadline"] = deadline(found, period)
            closed = found + datetime.timedelta(days=took)
            if rebound:  # closed, reopened some weeks later, rectified and closed again
                reopened = closed + datetime.timedelta(days=rng.randint(7, max(7, extra - 10)))
                reopened = min(reopened, today)
                h["deadline"] = deadline(reopened, period)
                closed = min(today, reopened + datetime.timedelta(days=rng.randint(1, span)))
                h["reopen_count"] = 1
            closed = min(closed, today)
            h.update(status=lifecycle.CLOSED, closed_on=closed, measures=measures,
                     rectification_reported_on=max(found, closed - datetime.timedelta(
                         days=rng.randint(0, 5))),
                     verified_on=closed, verified=True)
        elif kind == "cannot":
            found = self.days_ago(min(window, 30), window)
            h.update(status=lifecycle.CANNOT_RECTIFY, deadline=deadline(found, period),
                     cannot_rectify_reason=rng.choice(CANNOT_RECTIFY_REASONS),
                     review_on=today + datetime.timedelta(days=rng.randint(7, 90)))
            if not h["interim_safeguards"]:
                h["interim_safeguards"] = rng.choice(INTERIM_SAFEGUARDS)
        else:
            status = {"pending": lifecycle.PENDING, "rectifying": lifecycle.RECTIFYING,
                      "rebound_open": lifecycle.RECTIFYING,
                      "awaiting": lifecycle.AWAITING_VERIFICATION}[kind]
            h["status"] = status
            overdue = rng.random() < self.mix.overdue
            if kind == "rebound_open":
                reopened = self.days_ago(0, 40)
                found = reopened - datetime.timedelta(days=rng.randint(20, 120))
                found = max(found, today - datetime.timedelta(days=window))
                h["reopen_count"] = 1
                h["deadline"] = deadline(reopened, period)
            elif overdue:
                lo, hi, _ = self.overdue_by(rng)
                late = rng.randint(lo, hi)
                found = today - datetime.timedelta(days=late + span + rng.randint(0, 3))
                found = max(found, today - datetime.timedelta(days=window))
                h["deadline"] = min(deadline(found, period), today - ONE_DAY)
            else:
                found = self.days_ago(0, span)
                h["deadline"] = deadline(found, period)
                if h["deadline"] < today or rng.random() < 0.2:
                    # an extension was approved: a later deadline
                    found = self.days_ago(0, window)
                    h["deadline"] = today + datetime.timedelta(days=rng.randint(0, 45))
            h["deadline"] = max(h["deadline"], found)
            if status != lifecycle.PENDING:
                h["measures"] = measures
            if status == lifecycle.AWAITING_VERIFICATION:
                h["rectification_reported_on"] = self.days_ago(0, (today - found).days)
        if kind not in ("spot", "pending") and rng.random() < 0.3:
            h["funding_source"] = rng.choice(FUNDING_SOURCES)
            h["funding_amount"] = Decimal(rng.randint(2, 600) * 100)
        h["found_on"] = found
        h["finder"] = self._finder(place)
        # At a unit listed by the brigade or a police station a referral notice (抄告) is due
        # within 3 working days: most go out in a day or two, some late, a few not yet.
        h["notice_sent_on"] = None
        if place.listed_by:
            x = rng.random()
            sent = found + datetime.timedelta(days=rng.randint(0, 3) if x < 0.85
                                              else rng.randint(4, 15))
            h["notice_sent_on"] = sent if x < 0.95 and sent <= today else None
        return h

    def _finder(self, place: PlaceFacts) -> str:
        x = self.rng.random()
        if x < 0.55:
            return FINDER_GRID
        if x < 0.8:
            return FINDER_STREET
        if x < 0.9:
            return FINDER_DEPARTMENT
        return FINDER_DISTRICT

    def for_places(self, places) -> Iterator[dict]:
        for place in places:
            for _ in range(self.count_for(place)):
                yield self.plan(place)


# --------------------------------------------------------------------------------------------
# Reading what the planner needs
# --------------------------------------------------------------------------------------------

def load_taxonomy() -> Taxonomy:
    """The taxonomy and the deadline rules from the database."""
    from .models import DeadlineRule, HazardCategory

    rows = list(HazardCategory.objects.values_list("pk", "code", "parent_id", "name"))
    rules = {(r.category_id, r.is_major): r.workdays for r in DeadlineRule.objects.all()}
    return Taxonomy(rows, rules)


def load_holidays(today: datetime.date, months: int) -> dict[datetime.date, bool]:
    from fireledger.core.calendar import exceptions

    return exceptions(today - datetime.timedelta(days=months * 31 + 60),
                      today + datetime.timedelta(days=400))


PLACE_COLUMNS = ("pk", "category", "is_high_rise", "jurisdiction_code", "department_id",
                 "responsible_person", "responsible_phone", "safety_manager",
                 "safety_manager_phone", "listed_by", "manager__name", "occupant__name",
                 "owner__name")


def _facts(row) -> PlaceFacts:
    """PlaceFacts from a values_list(*PLACE_COLUMNS) row."""
    *head, manager, occupant, owner = row
    return PlaceFacts(*head, manager or occupant or owner or "")


def _place_facts(p) -> PlaceFacts:
    """PlaceFacts from a Place with its units loaded."""
    unit = p.manager or p.occupant or p.owner
    return PlaceFacts(p.pk, p.category, p.is_high_rise, p.jurisdiction_code, p.department_id,
                      p.responsible_person, p.responsible_phone, p.safety_manager,
                      p.safety_manager_phone, p.listed_by, unit.name if unit else "")


# --------------------------------------------------------------------------------------------
# The demo district
# --------------------------------------------------------------------------------------------

def generate_demo_hazards(seed: int = 2026, progress=None, today: datetime.date | None = None,
                          district_code: str | None = None, mix: Mix = DEMO_MIX) -> int:
    """Write the demo district's hazard register; returns how many hazards were written.

    Reads the places under the demo district (places.generator.DEMO_DISTRICT) and the demo
    users (`fireledger demo` creates them first): hazards in 解放碑街道 are found by its grid
    worker or street officer, those at the 商务 department's places partly by its officer, the
    rest by the district office; the street officer verifies in the street, the district office
    elsewhere. Written through seeding.bulk_create_hazards with the demo superuser as actor.
    """
    from django.utils import timezone

    from fireledger.core.codes import range_lookup
    from fireledger.core.models import User
    from fireledger.places import generator
    from fireledger.places.models import Place

    from . import seeding
    from .models import Hazard

    today = today or timezone.localdate()
    district_code = district_code or generator.DEMO_DISTRICT[0]
    users = {u.username: u for u in User.objects.filter(
        username__in=["admin", "district", "shangwu", "street", "grid", "unit"])}
    admin = users.get("admin") or User.objects.filter(is_superuser=True).order_by("pk").first()
    district_user = users.get("district") or admin
    street_user = users.get("street")
    street_prefix = (street_user.assignments.select_related("jurisdiction").first()
                     .jurisdiction.prefix if street_user else None)
    shangwu = users.get("shangwu")
    shangwu_dept = shangwu.assignments.first().department_id if shangwu else None

    taxonomy = load_taxonomy()
    planner = HazardPlanner(random.Random(f"hazards-{seed}"), taxonomy, today,
                            load_holidays(today, mix.months), mix)
    places = list(Place.objects.filter(**range_lookup("jurisdiction_code", district_code))
                  .select_related("manager", "occupant", "owner").order_by("pk"))
    by_pk = {p.pk: p for p in places}
    facts = [_place_facts(p) for p in places]

    def finder(role: str, place) -> object:
        in_street = street_prefix and place.jurisdiction_code.startswith(street_prefix)
        if in_street and role == FINDER_GRID and users.get("grid"):
            return users["grid"]
        if in_street and role in (FINDER_GRID, FINDER_STREET):
            return street_user
        if role == FINDER_DEPARTMENT and shangwu and place.department_id == shangwu_dept:
            return shangwu
        return district_user

    hazards, notices_sent = [], []
    for plan in planner.for_places(facts):
        notices_sent.append(plan.pop("notice_sent_on"))
        place = by_pk[plan.pop("place_id")]
        role = plan.pop("finder")
        verified = plan.pop("verified")
        plan["category_id"] = taxonomy.by_code[plan.pop("category")]
        in_street = street_prefix and place.jurisdiction_code.startswith(street_prefix)
        verifier = street_user if in_street else district_user
        hazard = Hazard(place=place, found_by=finder(role, place),
                        verified_by=verifier if verified else None, **plan)
        hazards.append(hazard)
    seeding.bulk_create_hazards(admin, hazards, note=generator.DEMO_NOTE, progress=progress,
                                today=today, notices_sent=notices_sent)
    return len(hazards)


def delete_hazards() -> None:
    """Delete every hazard and what hangs on it (for `fireledger demo --reset`, which deletes
    the places they are PROTECTed by; their audit events go with the reset's own)."""
    from .models import Hazard

    Hazard.objects.all().delete()


# --------------------------------------------------------------------------------------------
# Scale data
# --------------------------------------------------------------------------------------------

def generate_scale_hazards(total: int, *, seed: int = 2026, chunk: int = 20_000, progress=None,
                           today: datetime.date | None = None, mix: Mix = SCALE_MIX,
                           found_by=None) -> dict:
    """Write `total` hazards over the places in the database (bench data).

    Places are read in pk order, 10,000 at a time; each gets a number of hazards drawn with its
    category's rate, scaled so the expected total is `total` (a second pass over the places
    tops up if the draw falls short). Rows are checked by seeding.check_hazard and written with
    core.bulk.insert (executemany on SQLite, COPY on PostgreSQL), one transaction per chunk,
    WITHOUT audit events (millions of audit rows are not what the hazard list reads; the demo
    writes them). `found_by` (a user) finds and verifies every hazard.
    """
    from types import SimpleNamespace

    from django.db import transaction
    from django.db.models import Count
    from django.utils import timezone

    from fireledger.core import bulk
    from fireledger.places.models import Place

    from . import seeding
    from .models import Hazard

    today = today or timezone.localdate()
    taxonomy = load_taxonomy()
    planner = HazardPlanner(random.Random(f"scale-hazards-{seed}"), taxonomy, today,
                            load_holidays(today, mix.months), mix)
    weight = sum(n * planner.rate(PlaceFacts(0, cat, high, "", None, "", "", "", "", "", ""))
                 for cat, high, n in Place.objects.values_list("category", "is_high_rise")
                 .annotate(n=Count("pk")).order_by())
    if not weight:
        raise ValueError("no places: generate places first")
    planner.rate_scale = total / weight
    defaults = {f.attname: f.get_default() for f in Hazard._meta.concrete_fields
                if not f.primary_key}
    counts = {"hazards": 0, "open": 0, "overdue": 0, "closed": 0, "major": 0,
              "cannot_rectify": 0, "rebounds": 0, "passes": 0}

    def plans():
        """Hazards place by place, 10,000 places per read; again from the first place if the
        draw falls short of `total`."""
        while counts["passes"] < 20:
            counts["passes"] += 1
            last_pk = 0
            while rows := list(Place.objects.filter(pk__gt=last_pk).order_by("pk")
                               .values_list(*PLACE_COLUMNS)[:10_000]):
                last_pk = rows[-1][0]
                yield from planner.for_places(map(_facts, rows))

    batch: list = []

    def flush():
        seeding.check_all(batch, today)
        with transaction.atomic():
            bulk.insert(Hazard, batch)
        counts["hazards"] += len(batch)
        batch.clear()
        if progress:
            progress(counts["hazards"])

    for plan in itertools.islice(plans(), total):
        row = SimpleNamespace(**defaults)
        values = row.__dict__
        del plan["finder"], plan["notice_sent_on"]
        verified = plan.pop("verified")
        values.update(plan)
        values["category_id"] = taxonomy.by_code[values.pop("category")]
        values["found_by_id"] = found_by.pk
        values["verified_by_id"] = found_by.pk if verified else None
        status = values["status"]
        if status == lifecycle.CLOSED:
            counts["closed"] += 1
        else:
            counts["open"] += 1
            if status in lifecycle.DEADLINE_STATUSES and values["deadline"] < today:
                counts["overdue"] += 1
            counts["cannot_rectify"] += status == lifecycle.CANNOT_RECTIFY
        counts["major"] += values["is_major"]
        counts["rebounds"] += values["reopen_count"] > 0
        batch.append(row)
        if len(batch) >= chunk:
            flush()
    if batch:
        flush()
    return counts


__all__ = ["DEMO_MIX", "SCALE_MIX", "HazardPlanner", "Taxonomy", "delete_hazards",
           "generate_demo_hazards", "generate_scale_hazards"]
