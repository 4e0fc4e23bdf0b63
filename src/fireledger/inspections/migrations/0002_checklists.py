"""The checklist templates the seeds give, as data: what an inspection checks at places of each
category, item by item, each item with the hazard category a failure is logged under.

Texts are the seeds' words, cut at their own punctuation (a trailing "等" or "等问题" dropped),
unless an item is marked `ours` below: then the words come from the seed but the sentence is
ours (a subject added, a requirement turned into the problem it forbids…). The template's
source_doc names the documents and sections, and lists the numbers of the items that are ours
("第…条为本系统整理（据原文改写）"). Area headings are the seeds' where the seed has one;
otherwise they are ours, made of the passage's words (重点整治问题 from "重点整治…等问题")
and said so in a comment.

- high_rise: the ten focus areas of the high-rise three-year plan, one item per hazard category
  hr.NN.M, with the category's own name (read from the taxonomy, so they never drift apart);
- high_rise_street: the street plan's five areas, one item per "是否…" question;
- mall, three_kinds, old_compound, commercial_complex, nine_small, crowded, heritage: the focus
  lists of the district, town and street plans;
- escape_room, express_mail, logistics_warehouse, energy_storage, epidemic: the new business
  types and special sites of the winter-spring plan. logistics_warehouse (大型物流仓储建筑、电子
  洁净厂房) is not in the original list of templates: the seed names its four problems in the same
  paragraph as the express-mail sites, and the taxonomy has them (nb.3.N).

No hazard category is created here: every item maps to one the hazard migrations load
(hr, mall, prin, oc, eb, nb, gen, other). Where no list names the thing (dangerous goods,
oxygen supply, pressure vessels) the item goes to 其他 (`other`). Adding ck.* categories would
also change the taxonomy the hazard tests pin (its size, the generic group's list).

is_major is False except where the seed says 重大 (energy storage: 存在重大事故隐患). workdays
stays empty everywhere: none of these passages gives a period of its own, and the hazard
register's DeadlineRule rows decide (e.g. one working day for e-bikes in buildings, hr.09.1,
eb.1–3).

Idempotent: templates by code, items by (template, number), version 1 only for a template
that has no version yet; tests/conftest.py loads it again after a flush.
"""

from django.db import migrations

S001_HIGH_RISE = "高层建筑消防安全专项整治三年行动实施方案2024年（第一篇 四、整治重点）"
S001_STREET = "XX街道高层建筑消防安全三年整治计划实施方案（三、整治重点）"
S001_CROWDED = "消防安全专项整治三年行动实施方案（第二篇 二、主要任务（二）1、人员密集场所消防安全治理）"
S001_TOWN = "2024年镇消防安全专项整治三年行动实施方案"
S000_HERITAGE = "消防安全专项整治三年行动实施方案（附件6 二、（二）4.文物古建筑及古城古镇消防安全管理达标）"
S003_MALL = "渝中区深入推进商场市场消防安全专项整治工作方案（二、整治重点）"
S003_COMPLEX = "关于开展大型商业综合体消防安全管理“强基提能”工作方案（二、整治重点（一）—（五））"
S003_OLD = "渝中区老旧小区消防安全专项整治工作方案（三、老旧小区消防安全现状；四、整治重点）"
S003_THREE = "渝中区“三类”重点对象火灾防控能力提升行动工作方案（二、整治重点（一））"
S003_PUBLICITY = "渝中区2023年消防宣传工作方案（二、（一）6）"
S004 = "跃进村街道今冬明春火灾防控工作方案"


def v(text, category, is_major=False, workdays=None):
    """An item in the seed's words."""
    return {"text": text, "category": category, "is_major": is_major, "workdays": workdays,
            "ours": False}


def o(text, category, is_major=False, workdays=None):
    """An item whose sentence is ours, made from the seed's words."""
    return {**v(text, category, is_major, workdays), "ours": True}


# Each template: code, name, place categories, sources, sort order by position, and its areas
# [(area heading, [items])]. numbering "nested": 1.1, 1.2, 2.1 …; "flat": 1, 2, 3 … across areas.
TEMPLATES = [
    {
        "code": "high_rise",
        "name": "高层建筑",
        "place_categories": ["high_rise"],
        "source": S001_HIGH_RISE,
        "areas": None,  # built from the hr.NN / hr.NN.M categories, see high_rise_areas()
    },
    {
        # 001, the street plan inside 第三篇–第五篇: "三、整治重点（一）…（五）", each "是否…" its own
        # item.
        "code": "high_rise_street",
        "name": "高层建筑（街道排查）",
        "place_categories": ["high_rise"],
        "source": S001_STREET,
        "areas": [
            ("消防安全管理", [
                v("单位是否落实各项消防安全管理规章制度", "hr.10.2"),
                v("是否建立消防安全承诺制度", "hr.10.2"),
                v("消防安全责任人、管理人是否履行消防安全承诺制或履职是否到位", "hr.10.2"),
                v("是否占用、堵塞、封闭疏散通道或安全出口", "hr.03.1"),
                v("是否占用、堵塞、封闭消防车通道及消防车登高操作场地", "hr.04.1"),
                # ours: the seed's clause has no subject of its own; the bracket names it.
                o("（消防车通道及消防车登高操作场地）是否设置明显标识标线", "gen.3"),
                v("电动车是否在公共走道、楼梯间、安全出口及其门厅处停放、充电", "hr.09.1"),
                v("是否设置符合要求的电动车集中停放和充电地点、场所", "hr.09.2"),
                v("设有自动消防设施的高层建筑消防控制室是否落实值班各项规定要求", "hr.07.1"),
            ]),
            ("消防设施设备", [
                v("消防设施器材和消防安全标志的配置是否符合国家或行业标准", "gen.1"),
                v("室内消火栓系统、自动喷水灭火系统等消防设施设备是否保持完好有效", "hr.02.1"),
                v("其他建筑消防设施是否存在停用、故障、损坏或瘫痪", "hr.02.1"),
                v("是否建立了维护保养制度", "hr.10.3"),
            ]),
            ("管道竖井和保温材料", [
                v("电缆井、管道井是否在每层楼板处进行严密封堵", "hr.05.1"),
                v("电缆桥架等是否在防火分隔处采用有效措施进行防火封堵", "hr.05.1"),
                v("管道井内是否堆放杂物", "hr.05.2"),
                v("外保温防护层是否破损开裂、脱落", "hr.01.2"),
            ]),
            ("应急力量建设", [
                v("单位是否建立微型消防站并落实“三知四会一联通”要求", "hr.08.1"),
            ]),
            ("其他整治内容", [
                v("是否存在违建建筑及违法装修", "oc.8"),  # 私搭乱建: the nearest named
                v("是否存在违规生产、储存、使用危险化学品行为", "other"),
                v("是否存在电气线路乱拉乱接或敷设不符合规范", "hr.06.1"),
                v("燃气管道敷设、燃气用具使用是否符合要求", "hr.06.2"),
                v("市政管网供水压力是否符合要求", "gen.1"),
            ]),
        ],
    },
    {
        # 003 附件1.3 二: "重点解决“六项问题”": the problem as area, its sentence as text.
        "code": "mall",
        "name": "商场市场",
        "place_categories": ["mall"],
        "source": S003_MALL,
        "numbering": "flat",
        "areas": [
            ("消防设施设备", [v(
                "消防供水设备故障、水压不足、管网渗漏、报警主机故障、应急照明和疏散指示标志损坏、"
                "防排烟故障或风量不足等隐患", "mall.1")]),
            ("疏散通道", [v(
                "卖场内疏散宽度设置不符合国家消防技术标准，经营户消防安全意识不足，占道经营现象突出",
                "mall.2")]),
            ("初期火灾处置", [v(
                "微型消防站人员、装备配置不足，队员应急处置能力低，联动响应机制不健全，"
                "无法满足初期火灾扑救需求", "mall.3")]),
            ("主体责任落实", [v(
                "消防安全责任人和管理人职责未明确，消防安全隐患排查不到位，消防安全管理制度不落实，"
                "员工消防安全应知应会不入心", "mall.4")]),
            ("电气线路", [v(
                "电气线路陈旧老化，存在经营户私搭乱接、使用大功率电器等违法行为，"
                "安全用电检查排查机制缺乏", "mall.5")]),
            ("消防车道", [v(
                "建筑周边违规设置摊位、私家车电动车乱停乱放等，违法占用消防车道和救援场地；"
                "部分车道及救援场地未划设标识标线", "mall.6")]),
        ],
    },
    {
        # 003 附件1.6 二: 重点场所 (涉会场所, 安保驻地, 地标性建筑, 文物保护单位), 三个商圈 and
        # 房间数超50间的宾馆酒店. Place categories can say neither "in a 商圈" nor "over 50 rooms":
        # hotels, the commercial places of the 商圈 (complexes and malls; 三（五） names 商场市场)
        # and heritage; whoever inspects applies it to the places the plan targets.
        "code": "three_kinds",
        "name": "三类对象",
        "place_categories": ["hotel", "commercial_complex", "mall", "heritage"],
        "source": S003_THREE,
        "areas": [
            # "根本上消除合法性手续、装修装饰材料、防火分隔措施、消防设施设备、疏散救援条件、用电安全
            # 管理等六个方面原则性问题"
            ("原则性问题", [
                v("合法性手续", "prin.1"),
                v("装修装饰材料", "prin.2"),
                v("防火分隔措施", "prin.3"),
                v("消防设施设备", "prin.4"),
                v("疏散救援条件", "prin.5"),
                v("用电安全管理", "prin.6"),
            ]),
            # "对临时占用通道、封闭出口、遮挡消火栓等轻微违法行为实行“动态清零”"
            ("轻微违法行为", [
                v("临时占用通道", "gen.2"),
                v("封闭出口", "gen.2"),
                v("遮挡消火栓", "gen.1"),
            ]),
        ],
    },
    {
        # 003 附件1.5: the headings of 四、整治重点, the problems of 三、现状 and 四 in their words;
        # 建筑防火 (our heading) holds the problems only 001 第五篇's 问题清单 names (oc.1, 5, 7).
        "code": "old_compound",
        "name": "老旧小区",
        "place_categories": ["old_compound"],
        "source": S003_OLD + "；" + S001_TOWN + "（问题清单：抓好老旧社区突出风险治理）",
        "areas": [
            ("明确管理主体", [
                v("老旧建筑管理主体不明确、不到位", "gen.5"),  # 三 一是
                v("管理单位不履职", "gen.5"),  # 三 二是
                # ours, from 四（一）: "指导无物业服务企业、无业主委员会老旧小区建成消防安全管理
                # 组织，建立完善消防安全制度"
                o("无物业服务企业、无业主委员会的老旧小区未建成消防安全管理组织，"
                  "未建立完善消防安全制度", "gen.5"),
            ]),
            ("消防设施管理", [
                v("未设置室内消火栓等必要的消防设施", "oc.3"),  # 三 六是
                # ours, from 三 六是: "灭火器普遍缺乏维护保养和到期更换"
                o("灭火器缺乏维护保养和到期更换", "gen.1"),
                # ours, from 四（二）: "将无物业管理单位的老旧小区…一并纳入维护保养范围"
                o("无物业管理单位的老旧小区未纳入消防设施维护保养范围", "gen.1"),
                v("消防水源不足", "oc.2"),  # 001 问题清单
            ]),
            ("“生命通道”联合整治", [
                # 四（三）: "重点针对违规停放占用消防车通道、安全出口、违章搭建"
                v("违规停放占用消防车通道、安全出口", "gen.3"),
                v("违章搭建", "oc.8"),
                v("“生命通道”消防车道线存在掉漆，标识标牌脱落或不明显", "gen.3"),
                # 三 四是: "电动车乱停乱放，住户占用公共区域堆放杂物的情况，…堵塞救援和逃生通道"
                v("电动车乱停乱放", "oc.4"),
                v("住户占用公共区域堆放杂物", "oc.4"),
            ]),
            ("电气线路整治", [
                # 四（四）: "严肃查处电线私搭乱接、使用不合格电气设施、超负荷用电、电动车违规充电、
                # 电缆井内线路敷设不规范，私接燃气管道及用气设备不符合要求等现象"
                v("电线私搭乱接", "gen.4"),
                v("使用不合格电气设施", "gen.4"),
                v("超负荷用电", "gen.4"),
                v("电动车违规充电", "eb.3"),
                v("电缆井内线路敷设不规范", "gen.4"),
                v("私接燃气管道及用气设备不符合要求", "gen.4"),
                v("电气线路老化", "oc.6"),  # 三 五是
            ]),
            ("建筑防火", [  # 001 第五篇 问题清单, 抓好老旧社区突出风险治理
                v("建筑耐火等级低", "oc.1"),
                v("防火分隔不到位", "oc.5"),
                v("易燃可燃材料装修多", "oc.7"),
            ]),
            ("消防宣传教育", [
                # ours, from 四（七）: "对独居老人、留守儿童、重症卧床人员、精神病患者等弱势群体
                # 建立台账，发放独立式感烟报警设备"
                o("未对独居老人、留守儿童、重症卧床人员、精神病患者等弱势群体建立台账", "gen.5"),
                o("弱势群体住户未配备独立式感烟报警设备", "gen.1"),
            ]),
        ],
    },
    {
        # 003 附件1.4 二（一）–（五): the requirements, each in the seed's words (the leading
        # "督促大型商业综合体" and the like left out).
        "code": "commercial_complex",
        "name": "大型商业综合体",
        "place_categories": ["commercial_complex"],
        "source": S003_COMPLEX,
        "areas": [
            ("主体责任压实", [
                v("建筑主要产权单位或者委托管理单位与各经营主体、使用单位逐一签订责任书，"
                  "明确各方消防安全责任", "hr.10.1"),
                v("完善“点、线、面”三级网格化管理体系，商场物业对整个商场消防安全实行统筹管理，"
                  "商管分楼层分区域对公共区域和重点部位分区分片管理，商户实行包保责任制", "mall.4"),
            ]),
            ("人员素质专业", [
                v("健全前期组建的行政管理团队、技术管理团队、火灾扑救团队、技术处置团队", "gen.5"),
                v("至少配备一名注册消防工程师，鼓励配备一级注册消防工程师", "gen.5"),
                v("严格落实重点岗位人员持证上岗，确保岗位人员能力素质与岗位需求相匹配", "hr.10.2"),
                v("开展微型消防站、疏散引导人员岗位技能专项培训，确保人员能够熟练操作设施设备、"
                  "快速扑救初期火灾，快速引导人员疏散", "hr.10.6"),
            ]),
            ("风险隐患上账", [
                v("定期开展隐患排查和内部监督抽查，及时梳理场所风险隐患点", "hr.10.4"),
                v("聚焦餐饮娱乐、儿童活动、机房冷库、职工宿舍等重点部位和用火用电、易燃可燃物品管理、"
                  "安全疏散等关键环节，分类列出风险隐患清单，逐项明确责任人员，实行挂账管理",
                  "hr.10.4"),
                v("对前期达标验收中未整改的隐患，重点进行攻坚，确保整改到位", "hr.10.4"),
                v("对已经整改销案的，也要纳入日常巡查检查内容", "hr.10.4"),
            ]),
            ("科技赋能有效", [
                v("接入物联网城市消防远程监控系统", "gen.1"),
                v("安装电气火灾监控设备、电气线路监测设备、燃气泄漏报警装置、水压监测系统、"
                  "人员密度监控、疏散通道监控等设施", "gen.1"),
            ]),
            ("应急处置有力", [
                v("将区域内场所人员编入微型消防站，实施同勤同训同处突", "mall.3"),
                v("细化处置流程，确保人员1分钟到场就近从快处置初期火灾", "mall.3"),
                v("各微型消防站应建立协同配合机制，保持信息通畅", "mall.3"),
                v("微型消防站与就近消防队之间应保持24小时信息联络通畅", "mall.3"),
                v("定期开展建筑消防设施应急操作、灭火技能训练和人员疏散演练等活动，"
                  "及时修订完善灭火应急处置预案", "hr.10.6"),
                v("确保一旦出现火情，能够做到“1分钟响应、3分钟处置、全程对接配合”", "mall.3"),
            ]),
        ],
    },
    {
        # 001 第五篇 二（一）4.(1): "通过落实合用场所“4+1”、沿街店面“3+1”等物防技防举措"
        # (the seeds do not spell out the 4 and the 3); 问题清单 row 抓好“九小”场所突出风险治理;
        # 004 二（四）2 for 群租房、“三合一”场所、老旧小区: "重点整治防火分隔不到位、外墙门窗安装
        # 铁栅栏、违规住人、用火用电取暖等问题"; 003 附件1.8 for 沿街面铺、“多合一”场所.
        "code": "nine_small",
        "name": "“九小”场所",
        "place_categories": ["nine_small", "urban_village_rental"],
        "source": (S001_TOWN + "（二、主要任务（一）4.（1）；问题清单）；" + S004
                   + "（二、重点任务（四）2.强化隐患整治）；" + S003_PUBLICITY),
        "areas": [
            ("物防技防举措", [  # headings of this list ours, in the passages' words
                o("合用场所未落实“4+1”物防技防举措", "gen.1"),
                o("沿街店面未落实“3+1”物防技防举措", "gen.1"),
                # ours, from 001 第三篇/第五篇: "在…“三合一”场所和其他“九小”场所普及应用
                # （NB-IoT）智能独立火灾（可燃气体）探测报警器"
                o("未应用智能独立火灾（可燃气体）探测报警器", "gen.1"),
            ]),
            ("重点整治问题", [
                v("防火分隔不到位", "oc.5"),
                v("外墙门窗安装铁栅栏", "hr.10.5"),  # 违规设置影响逃生和灭火救援的障碍物
                v("违规住人", "oc.8"),  # the “三合一” of the old-compound list
                v("用火用电取暖", "gen.4"),
            ]),
            ("消防安全管理", [
                v("员工消防安全意识差", "gen.5"),  # 001 问题清单
                # ours, from 003 附件1.8: "针对沿街面铺、“多合一”场所消防安全和中小企业经营者、
                # 个体工商户等群体，结合实际组织开展自防自救能力培训"
                o("经营者、员工未参加自防自救能力培训", "gen.5"),
            ]),
        ],
    },
    {
        # 004 二（二）1 (宾馆饭店、餐饮店铺、商场市场、公共娱乐、学校、医院、养老机构) and 001 第二篇
        # 二（二）1 (大型商场超市、民族宗教活动、劳动密集型生产企业、学校、敬老院), 一是…四是.
        # Malls have their own list; kindergartens go with schools.
        "code": "crowded",
        "name": "人员密集场所",
        "place_categories": ["hotel", "entertainment", "school", "kindergarten", "elderly_care",
                             "medical", "religious"],
        "source": S004 + "（二、重点任务（二）1.加强人员密集场所消防安全检查）；" + S001_CROWDED,
        "areas": [
            ("重点整治问题", [  # headings ours, in the passages' words
                v("违规用火用电用气", "gen.4"),
                v("违规使用易燃可燃材料装饰装修", "prin.2"),
                v("不安装燃气泄漏报警装置", "hr.06.2"),  # …未设置燃气泄漏报警装置…
                v("占堵疏散通道", "gen.2"),
                v("损坏停用消防设施", "gen.1"),
                v("员工消防意识淡薄", "gen.5"),
                v("落实火灾风险隐患自知自查自改和公示承诺制度", "gen.5"),
            ]),
            ("消防安全隐患专项治理", [
                v("落实人员密集场所消防安全管理责任人和消防安全管理人员，建立消防安全管理机构",
                  "gen.5"),
                v("消火栓无水以及消防供水不足、压力不够", "gen.1"),
                v("消防设施设备配备不齐、数量不够", "gen.1"),
                v("建立消防设施设备维护保养制度", "gen.1"),
                v("建立微型消防站，落实微型消防站队员", "gen.5"),
                v("开展自查、自纠、自报，全面排查火灾隐患，建立问题隐患清单和整改责任清单", "gen.5"),
            ]),
        ],
    },
    {
        # 004 二（二）3 "重点整治用火用电用油、施工改造、违章搭建、储存使用易燃易爆危险品、值班值守
        # 等问题"; 000 二（二）4. for the unit's own management.
        "code": "heritage",
        "name": "文物古建筑",
        "place_categories": ["heritage"],
        "source": S004 + "（二、重点任务（二）3.加强文博单位消防安全检查）；" + S000_HERITAGE,
        "areas": [
            ("重点整治问题", [  # headings ours, in the passages' words
                v("用火用电用油", "gen.4"),
                v("施工改造", "gen.5"),
                v("违章搭建", "oc.8"),
                v("储存使用易燃易爆危险品", "other"),
                v("值班值守", "gen.5"),
            ]),
            ("消防安全管理", [
                v("逐一明确文物安全直接责任单位和直接责任人，并向社会进行公告", "gen.5"),
                v("明确专（兼）职消防管理人、管理部门", "gen.5"),
                v("按照名城、名镇保护范围内接到出动指令后5分钟内到达的原则，依规组建专职消防队或"
                  "微型消防站，配齐人员和装备器材，定期开展训练并组织拉动演练", "gen.5"),
                # ours, from 000 (2): "建立文保单位火灾风险评估机制…督促文保单位定期组织开展"
                o("定期组织开展火灾风险评估", "gen.5"),
                v("对文物保护工程工地实施更加严格的现场监护措施", "gen.5"),
                v("对文保单位重点管理区域、场所实施全方位监控", "gen.1"),
                v("分岗位开展消防业务培训", "gen.5"),
                v("定期开展集中提醒、培训警示和应急演练", "gen.5"),  # 004
            ]),
        ],
    },
    {
        # 004 二（三）1: "重点整治用火用电、易燃可燃装饰装修、防火分隔、安全疏散、应急通讯等问题"
        "code": "escape_room",
        "name": "密室逃脱类场所",
        "place_categories": ["escape_room"],
        "source": S004 + "（二、重点任务（三）1.抓好密室逃脱类场所消防安全风险管控）",
        "areas": [("", [
            v("用火用电", "nb.1.1"),
            v("易燃可燃装饰装修", "nb.1.2"),
            v("防火分隔", "nb.1.3"),
            v("安全疏散", "nb.1.4"),
            v("应急通讯", "nb.1.5"),
        ])],
    },
    {
        # 004 二（三）2: "针对邮件快件处理场所，要加大隐患排查整改力度，列出隐患清单，明确整改
        # 责任、措施和时限，限期销案；组织场所负责人开展一次“面对面”警示约谈，督促落实主体责任"
        # — no hazards of their own, so both items are ours.
        "code": "express_mail",
        "name": "邮件快件处理场所",
        "place_categories": ["logistics"],
        "source": S004 + "（二、重点任务（三）2.抓好特殊对象消防安全风险管控）",
        "areas": [("", [
            o("隐患未列出清单，未明确整改责任、措施和时限", "nb.2"),
            o("场所负责人未落实主体责任", "nb.2"),
        ])],
    },
    {
        # 004 二（三）2: "排查整治违规混存货物、违规用火动焊、违规装卸操作、违规留宿人员等问题，
        # 督促企业合理设置防火分区，强化消防用水保障，确保重点部位人员在岗在位"
        "code": "logistics_warehouse",
        "name": "大型物流仓储建筑、电子洁净厂房",
        "place_categories": ["logistics", "factory_warehouse"],
        "source": S004 + "（二、重点任务（三）2.抓好特殊对象消防安全风险管控）",
        "areas": [
            ("重点整治问题", [  # headings ours, in the passage's words
                v("违规混存货物", "nb.3.1"),
                v("违规用火动焊", "nb.3.2"),
                v("违规装卸操作", "nb.3.3"),
                v("违规留宿人员", "nb.3.4"),
            ]),
            ("督促措施", [
                v("合理设置防火分区", "nb.3"),
                v("强化消防用水保障", "nb.3"),
                v("确保重点部位人员在岗在位", "nb.3"),
            ]),
        ],
    },
    {
        # 004 二（三）3: "要组织开展对电化学储能电站的排查以及安全风险隐患专项治理，对设置在人员
        # 密集、高层地下、易燃易爆场所的，协助相关部门进行检查评估，存在重大事故隐患的，依法予以
        # 停用、搬离"
        "code": "energy_storage",
        "name": "电化学储能电站",
        "place_categories": ["energy_storage"],
        "source": S004 + "（二、重点任务（三）3.抓好新能源领域消防安全风险管控）",
        "areas": [("", [
            o("储能电站设置在人员密集、高层地下、易燃易爆场所", "nb.4"),
            v("存在重大事故隐患", "nb.4", is_major=True),
        ])],
    },
    {
        # 004 二（二）2: "重点纠治电器使用、供氧供气、压力容器等问题，严格电源火源管理，及时清理
        # 可燃物品，落实值班值守、消防设施检查维护、重点部位火灾防范等措施。对因防疫需要临时关闭的
        # 安全出口，督促单位落实专人值守，确保紧急情况人员及时安全疏散"
        "code": "epidemic",
        "name": "涉疫场所",
        "place_categories": ["epidemic"],
        "source": S004 + "（二、重点任务（二）2.加强涉疫场所消防安全管理）",
        "areas": [
            ("重点纠治问题", [  # headings ours, in the passage's words
                v("电器使用", "gen.4"),
                v("供氧供气", "other"),
                v("压力容器", "other"),
            ]),
            ("防范措施", [
                v("严格电源火源管理", "gen.4"),
                v("及时清理可燃物品", "gen.5"),
                v("值班值守", "gen.5"),
                v("消防设施检查维护", "gen.1"),
                v("重点部位火灾防范", "gen.5"),
                o("因防疫需要临时关闭的安全出口落实专人值守，确保紧急情况人员及时安全疏散", "gen.2"),
            ]),
        ],
    },
]


def high_rise_areas(categories):
    """The ten focus areas (hr.NN) with their items (hr.NN.M), named as the taxonomy names them."""
    leaves = sorted((c for c in categories.values()
                     if c.code.startswith("hr.") and c.code.count(".") == 2),
                    key=lambda c: (c.sort_order, c.code))
    areas = {}
    for leaf in leaves:
        area = categories[leaf.code.rsplit(".", 1)[0]].name
        areas.setdefault(area, []).append(v(leaf.name, leaf.code))
    return list(areas.items())


def high_rise_number(code):
    """hr.03.1 → 3.1"""
    _hr, area, item = code.split(".")
    return f"{int(area)}.{int(item)}"


def items(spec, categories):
    """(number, area, item) in order."""
    if spec["areas"] is None:
        for area, entries in high_rise_areas(categories):
            for entry in entries:
                yield high_rise_number(entry["category"]), area, entry
        return
    flat = spec.get("numbering") == "flat" or (
        len(spec["areas"]) == 1 and not spec["areas"][0][0])
    n = 0
    for a, (area, entries) in enumerate(spec["areas"], start=1):
        for i, entry in enumerate(entries, start=1):
            n += 1
            yield (str(n) if flat else f"{a}.{i}"), area, entry


def source_doc(spec, rows):
    ours = [number for number, _area, entry in rows if entry["ours"]]
    if not ours:
        return spec["source"]
    return f"{spec['source']}；第{'、'.join(ours)}条为本系统整理（据原文改写）"


def add(apps, schema_editor):
    HazardCategory = apps.get_model("hazards", "HazardCategory")
    ChecklistTemplate = apps.get_model("inspections", "ChecklistTemplate")
    ChecklistItem = apps.get_model("inspections", "ChecklistItem")
    ChecklistVersion = apps.get_model("inspections", "ChecklistVersion")
    categories = {c.code: c for c in HazardCategory.objects.all()}
    for t, spec in enumerate(TEMPLATES, start=1):
        rows = list(items(spec, categories))
        template, _ = ChecklistTemplate.objects.get_or_create(
            code=spec["code"],
            defaults={"name": spec["name"], "place_categories": spec["place_categories"],
                      "source_doc": source_doc(spec, rows), "sort_order": t * 10},
        )
        for order, (number, area, entry) in enumerate(rows, start=1):
            ChecklistItem.objects.get_or_create(
                template=template, number=number,
                defaults={"area": area, "text": entry["text"],
                          "category": categories[entry["category"]],
                          "is_major": entry["is_major"], "workdays": entry["workdays"],
                          "sort_order": order},
            )
        if not ChecklistVersion.objects.filter(template=template).exists():
            # ChecklistItem.as_data(), which a historical model does not have
            snapshot = [
                {"number": i.number, "area": i.area, "text": i.text,
                 "category_id": i.category_id, "is_major": i.is_major, "workdays": i.workdays}
                for i in ChecklistItem.objects.filter(template=template)
                .order_by("sort_order", "pk")
            ]
            ChecklistVersion.objects.create(template=template, version=1, name=template.name,
                                            items=snapshot)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial"), ("hazards", "0006_ladder_in_escalations")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
