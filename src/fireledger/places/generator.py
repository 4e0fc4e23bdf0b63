"""Deterministic, realistic synthetic ledger data: the demo district and bench-scale districts.

One idea: given a seed, produce the same jurisdiction tree, units and places every time.

The generator is split into a pure half and a writing half:

* `plan_district` / `plan_organisations` / `iter_place_rows` are pure: a `random.Random(seed)`
  in, plain data out (no database, no clock). Tests compare them between runs.
* `generate_demo` writes one district (渝中区) through `services.bulk_create_places`, so demo
  places carry derived flags, search text and audit events exactly like imported ones, and
  creates one demo user per role.
* `generate_scale` writes any number of places over several districts in chunks of ~10k rows
  without holding them all in memory (bench data; see bench/README.md).

Division codes below follow the national 12-digit layout (district 6 + street 3 + community 3,
grids + 3), but only the district codes are official: street, community and grid codes are
generated sequentially (渝中区's streets 001…011 in the order listed), not the official ones.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from .choices import DEFAULT_DEPARTMENT, BuildingUse, Category, ListedBy

# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

DEMO_DISTRICT = ("500103", "渝中区")
# 渝中区's real streets (seed document 003 is 渝中区's programme); codes here are generated.
YUZHONG_STREETS = [
    "七星岗街道", "解放碑街道", "两路口街道", "上清寺街道", "菜园坝街道", "南纪门街道",
    "朝天门街道", "大溪沟街道", "大坪街道", "化龙桥街道", "石油路街道",
]
DEMO_STREET = "解放碑街道"  # the demo street officer's, grid worker's and unit manager's street

# Chongqing's district/county codes (official), used in order for scale data.
SCALE_DISTRICTS = [
    ("500101", "万州区"), ("500102", "涪陵区"), ("500103", "渝中区"), ("500104", "大渡口区"),
    ("500105", "江北区"), ("500106", "沙坪坝区"), ("500107", "九龙坡区"), ("500108", "南岸区"),
    ("500109", "北碚区"), ("500110", "綦江区"), ("500111", "大足区"), ("500112", "渝北区"),
    ("500113", "巴南区"), ("500114", "黔江区"), ("500115", "长寿区"), ("500116", "江津区"),
    ("500117", "合川区"), ("500118", "永川区"), ("500119", "南川区"), ("500120", "璧山区"),
    ("500151", "铜梁区"), ("500152", "潼南区"), ("500153", "荣昌区"), ("500154", "开州区"),
    ("500155", "梁平区"), ("500156", "武隆区"), ("500229", "城口县"), ("500230", "丰都县"),
    ("500231", "垫江县"), ("500233", "忠县"), ("500235", "云阳县"), ("500236", "奉节县"),
    ("500237", "巫山县"), ("500238", "巫溪县"), ("500240", "石柱土家族自治县"),
    ("500241", "秀山土家族苗族自治县"), ("500242", "酉阳土家族苗族自治县"),
    ("500243", "彭水苗族土家族自治县"),
]
PLACES_PER_SCALE_DISTRICT = 100_000

# Stems of place names: streets, lanes, slopes and landmarks of old Chongqing.
STEMS = [
    "较场", "新华", "民生", "大井", "白象", "望龙", "中华", "人和", "七星", "领事", "金汤", "通远",
    "和平", "中山", "上清", "嘉陵", "牛角", "美专", "李子", "鹅岭", "佛图", "虎头", "大坪", "石油",
    "长江", "袁家", "肖家", "菜园", "燕子", "南区", "凯旋", "储奇", "朝东", "东水", "小什", "洪崖",
    "三元", "曾家", "桂花", "双钢", "黄花", "人民", "枇杷", "兴隆", "健康", "王家", "石板", "厚慈",
    "响水", "中兴", "马鞍", "学田", "鲁祖", "华一", "文化", "得意", "民族", "邹容", "沧白", "临江",
    "五四", "会仙", "打铜", "八一", "青年", "来福", "棉花", "罗汉", "解放", "新民", "大溪", "嘉滨",
    "瑞天", "化龙", "红岩", "黄沙", "虎歇", "桂园", "向阳", "胜利", "团结", "建设", "光明", "幸福",
    "友谊", "红星", "双桥", "白沙", "龙门", "观音", "松林", "竹林", "金鳌", "鱼洞", "黄桷", "杨家",
]
COMMUNITY_SUFFIXES = ["路", "街", "巷", "坡", "湾", "坝", "口", "桥", "园", "门", "村", "岩", "山", "正街"]
ROADS = [
    "民族路", "民权路", "邹容路", "中华路", "五四路", "沧白路", "临江路", "新华路", "解放东路",
    "解放西路", "中山一路", "中山二路", "中山三路", "中山四路", "人民路", "上清寺路", "长江一路",
    "长江二路", "大坪正街", "石油路", "虎头岩路", "化龙桥正街", "菜园坝正街", "南区路", "和平路",
    "八一路", "青年路", "临华路", "大同路", "华一路", "李子坝正街", "鹅岭正街", "健康路",
    "枇杷山正街", "领事巷", "桂花园路", "美专校街", "学田湾正街", "重庆村", "新民街", "金汤街",
    "较场口", "凯旋路", "储奇门行街", "朝东路", "陕西路", "嘉陵江滨江路", "长滨路", "黄花园正街",
]
CN_DIGITS = "零一二三四五六七八九"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤冉"
)
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌波辉玲海燕鹏飞宇浩婷雪梅"
    "琳晨欣悦俊峰林兰凤成东亮丹晓庆春宏彬蓉川渝嘉陵兴德福禄康宁"
)
MOBILE_PREFIXES = [
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
    "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
]
SURVEY_HAZARDS = [
    "疏散通道堆放杂物", "安全出口上锁", "灭火器过期未更换", "电动自行车楼道内充电",
    "私拉乱接电线", "消防车通道被占用", "应急照明损坏", "疏散指示标志缺失",
    "室内消火栓无水", "常闭式防火门处于常开状态", "厨房油烟管道未清洗", "员工不会使用灭火器",
    "消防控制室值班人员无证上岗", "外墙保温材料为易燃材料", "液化石油气钢瓶存放不规范",
    "住人与经营场所未分隔（三合一）", "防火卷帘下堆放物品", "自动喷水灭火系统未处于工作状态",
]

# Units: (sector, name template); {stem}/{word} are filled in. Sectors decide who can be a
# place's owner, manager or occupant.
ORG_WORDS = [
    "渝信", "山城", "两江", "朝天", "嘉华", "金鼎", "鸿运", "恒通", "天成", "巴渝", "长嘉",
    "瑞丰", "锦程", "华通", "新纪元", "南山", "东方", "龙湖", "金科", "融汇", "隆鑫", "宏达",
    "顺捷", "聚福", "永盛", "天府", "德润", "安居", "和美", "兴渝",
]
ORG_TEMPLATES = {
    "property": ["重庆{word}物业管理有限公司", "重庆{stem}{word}物业服务有限公司", "重庆{word}物业发展有限公司"],
    "realty": ["重庆{word}置业有限公司", "重庆{word}房地产开发有限公司", "重庆{stem}{word}实业有限公司"],
    "catering": ["重庆{word}餐饮管理有限公司", "{district}{stem}{word}餐饮店", "重庆{word}火锅有限公司"],
    "trade": ["重庆{word}商贸有限公司", "{district}{stem}{word}百货店", "重庆{stem}{word}贸易有限公司"],
    "hotel": ["重庆{word}酒店管理有限公司", "重庆{stem}{word}宾馆有限公司"],
    "culture": ["重庆{word}文化传播有限公司", "重庆{word}娱乐有限公司", "重庆{stem}{word}文化发展有限公司"],
    "education": ["重庆{word}教育科技有限公司", "{district}{stem}教育集团", "重庆{word}教育咨询有限公司"],
    "medical": ["重庆{word}医疗管理有限公司", "重庆{word}医院管理有限公司", "{district}{stem}{word}诊所"],
    "elderly": ["重庆{word}养老服务有限公司", "{district}{stem}养老服务中心"],
    "logistics": ["重庆{word}物流有限公司", "重庆{word}速运有限公司", "重庆{stem}{word}仓储有限公司"],
    "industry": ["重庆{word}机械制造有限公司", "重庆{word}印务有限公司", "重庆{stem}{word}食品有限公司",
                 "重庆{word}服装有限公司"],
    "energy": ["重庆{word}新能源科技有限公司", "中国石化销售股份有限公司重庆{stem}分公司",
               "重庆{word}燃气有限公司"],
    "public": ["{district}{stem}房屋管理所", "{district}机关事务管理局", "{district}文物管理所",
               "{district}{stem}社区居民委员会", "{district}民族宗教事务委员会"],
}
# Share of each sector in a district's unit pool.
ORG_SECTOR_WEIGHTS = {
    "property": 10, "realty": 8, "catering": 22, "trade": 22, "hotel": 6, "culture": 5,
    "education": 4, "medical": 5, "elderly": 3, "logistics": 4, "industry": 5, "energy": 2,
    "public": 4,
}


@dataclass(frozen=True)
class Profile:
    """How places of one category look: weight, uses, size, age, name templates, units."""

    weight: float
    uses: tuple[tuple[str, float], ...]
    floors: tuple[int, int]  # floors above ground, inclusive range
    floor_area: tuple[int, int]  # m² per floor above ground
    years: tuple[int, int]
    names: tuple[str, ...]
    occupant: str | None = None  # sector of the occupant unit
    owner: str | None = None  # sector of the owner unit
    pm: float = 0.0  # share with property management (manager = property company)
    below: float = 0.0  # share with floors below ground
    tall: float = 0.0  # share that is a high-rise (floors drawn so height exceeds the line)
    base_systems: float = 0.1  # base probability of each fire system
    guest_rooms: tuple[int, int] | None = None
    beds: tuple[int, int] | None = None


R, P, M, I = (BuildingUse.RESIDENTIAL.value, BuildingUse.PUBLIC.value, BuildingUse.MIXED.value,
              BuildingUse.INDUSTRIAL.value)

PROFILES: dict[str, Profile] = {
    Category.NINE_SMALL: Profile(
        30, ((P, 0.7), (M, 0.3)), (1, 3), (20, 150), (1980, 2024),
        ("{stem}{shop}", "{surname}记{food}", "{road}{shop}", "{stem}{shop}（{road}店）"),
        occupant="catering", pm=0.2, base_systems=0.05,
    ),
    Category.RESIDENTIAL: Profile(
        12, ((R, 0.85), (M, 0.15)), (6, 40), (400, 1200), (1998, 2024),
        ("{stem}{estate}", "{brand}{stem}{estate}", "{stem}{estate}{phase}期"),
        owner="realty", pm=0.9, below=0.6, tall=0.55, base_systems=0.35,
    ),
    Category.OLD_COMPOUND: Profile(
        12, ((R, 0.9), (M, 0.1)), (3, 9), (200, 700), (1955, 1999),
        ("{road}{n}号院", "{stem}新村", "{unit_name}宿舍", "{road}{n}号大院", "{stem}{estate_old}"),
        owner="public", pm=0.35, base_systems=0.04,
    ),
    Category.HIGH_RISE: Profile(
        8, ((P, 0.45), (R, 0.35), (M, 0.2)), (10, 60), (800, 2500), (1993, 2024),
        ("{stem}大厦", "{brand}国际中心", "{stem}{tower}", "{brand}{stem}广场{cn_n}号楼"),
        owner="realty", occupant="trade", pm=0.95, below=0.9, tall=1.0, base_systems=0.55,
    ),
    Category.HOTEL: Profile(
        6, ((P, 0.8), (M, 0.2)), (2, 25), (300, 1500), (1985, 2024),
        ("{stem}宾馆", "{chain}（{stem}店）", "{stem}大酒店", "{stem}{food}大酒楼", "{road}商务酒店"),
        occupant="hotel", pm=0.4, below=0.3, tall=0.25, base_systems=0.35, guest_rooms=(8, 320),
    ),
    Category.URBAN_VILLAGE_RENTAL: Profile(
        4, ((R, 1.0),), (2, 7), (80, 300), (1975, 2015),
        ("{stem}村{n}号出租屋", "{road}{n}号自建房", "{stem}{surname}家院出租房"),
        base_systems=0.02,
    ),
    Category.ENTERTAINMENT: Profile(
        3, ((P, 0.8), (M, 0.2)), (1, 6), (150, 1500), (1990, 2024),
        ("{stem}KTV", "{cinema}（{stem}店）", "{stem}网咖", "{stem}剧场", "{stem}台球俱乐部",
         "{stem}酒吧"),
        occupant="culture", pm=0.5, below=0.25, base_systems=0.3,
    ),
    Category.MALL: Profile(
        3, ((P, 0.9), (M, 0.1)), (1, 7), (300, 4000), (1985, 2024),
        ("{stem}农贸市场", "{stem}商场", "{stem}批发市场", "{stem}百货", "{stem}{brand}超市"),
        owner="realty", occupant="trade", pm=0.6, below=0.4, tall=0.1, base_systems=0.4,
    ),
    Category.MEDICAL: Profile(
        2.5, ((P, 1.0),), (1, 18), (150, 2500), (1970, 2024),
        ("{stem}社区卫生服务中心", "{surname}氏口腔诊所", "{stem}诊所", "重庆{stem}{hospital}",
         "{district}{stem}中医馆"),
        occupant="medical", below=0.3, tall=0.12, base_systems=0.35, beds=(0, 900),
    ),
    Category.UNDERGROUND: Profile(
        2, ((P, 0.8), (M, 0.2)), (0, 0), (0, 0), (1960, 2024),
        ("{stem}地下停车场", "{stem}人防工程", "{stem}地下商场", "{stem}轨道站地下空间",
         "{road}防空洞"),
        owner="public", occupant="trade", pm=0.5, below=1.0, base_systems=0.35,
    ),
    Category.FACTORY_WAREHOUSE: Profile(
        2, ((I, 1.0),), (1, 6), (300, 3000), (1965, 2024),
        ("{stem}印刷厂", "{stem}服装加工厂", "{stem}食品厂", "{stem}仓库", "{stem}机械修配厂"),
        occupant="industry", base_systems=0.25,
    ),
    Category.LOGISTICS: Profile(
        2, ((I, 0.7), (P, 0.3)), (1, 4), (200, 5000), (1990, 2024),
        ("{express}{stem}营业部", "{stem}物流仓储中心", "{express}{stem}分拨点", "{stem}冷链仓库"),
        occupant="logistics", base_systems=0.25,
    ),
    Category.SCHOOL: Profile(
        1.5, ((P, 1.0),), (3, 8), (800, 3000), (1960, 2022),
        ("重庆市第{cn_n}中学", "{district}{stem}小学", "重庆市{stem}中学", "{district}{stem}实验学校",
         "重庆{stem}职业学校"),
        owner="public", occupant="education", base_systems=0.35, beds=(0, 1600),
    ),
    Category.KINDERGARTEN: Profile(
        1.5, ((P, 1.0),), (1, 4), (200, 900), (1980, 2024),
        ("{stem}幼儿园", "{district}{stem}实验幼儿园", "{kid}幼儿园（{stem}园）"),
        occupant="education", pm=0.3, base_systems=0.3, beds=(0, 200),
    ),
    Category.ELDERLY_CARE: Profile(
        1.2, ((P, 1.0),), (2, 12), (200, 1500), (1985, 2024),
        ("{stem}养老院", "{stem}社区养老服务中心", "{stem}颐养中心", "{stem}老年公寓"),
        occupant="elderly", pm=0.3, base_systems=0.35, beds=(10, 400), tall=0.08,
    ),
    Category.HERITAGE: Profile(
        1, ((P, 0.7), (R, 0.3)), (1, 3), (100, 800), (1890, 1949),
        ("{stem}历史建筑", "{stem}{surname}公馆", "{stem}老街民居", "{stem}会馆", "{road}抗战遗址"),
        owner="public", base_systems=0.15,
    ),
    Category.ESCAPE_ROOM: Profile(
        0.8, ((P, 0.8), (M, 0.2)), (1, 3), (100, 600), (1995, 2024),
        ("{stem}密室逃脱", "{stem}沉浸式剧场", "{stem}剧本杀馆", "{brand}密室（{stem}店）"),
        occupant="culture", pm=0.6, below=0.2, base_systems=0.2,
    ),
    Category.COMMERCIAL_COMPLEX: Profile(
        0.8, ((P, 0.6), (M, 0.4)), (5, 55), (3000, 12000), (1997, 2024),
        ("{stem}时代广场", "{brand}天地", "{stem}{brand}广场", "{brand}{stem}购物中心"),
        owner="realty", occupant="trade", pm=1.0, below=1.0, tall=0.8, base_systems=0.85,
    ),
    Category.RELIGIOUS: Profile(
        0.5, ((P, 1.0),), (1, 3), (100, 1200), (1850, 2010),
        ("{stem}观音庙", "{stem}天主堂", "{stem}基督教堂", "{stem}清真寺", "{stem}禅院"),
        owner="public", base_systems=0.15,
    ),
    Category.EPIDEMIC: Profile(
        0.5, ((P, 1.0),), (1, 12), (200, 1500), (1990, 2022),
        ("{stem}发热门诊", "{stem}集中隔离点", "{stem}核酸采样点", "{stem}方舱医院"),
        occupant="medical", base_systems=0.3, beds=(0, 300),
    ),
    Category.PETROCHEMICAL: Profile(
        0.2, ((I, 1.0),), (1, 2), (100, 600), (1985, 2022),
        ("中国石化{stem}加油站", "中国石油{stem}加油站", "{stem}液化气供应站", "{stem}化工仓库"),
        occupant="energy", base_systems=0.3,
    ),
    Category.ENERGY_STORAGE: Profile(
        0.2, ((I, 1.0),), (1, 2), (150, 2000), (2019, 2025),
        ("{stem}储能电站", "{stem}用户侧储能站", "{stem}充换电站储能系统"),
        occupant="energy", base_systems=0.5,
    ),
}
assert set(PROFILES) == set(Category), "every category needs a profile"
assert all(len(s) == 2 for s in STEMS), "stems are two characters (community names slice them)"

WORDS = {
    "shop": ["老火锅", "小面馆", "便利店", "五金店", "理发店", "棋牌室", "网吧", "小旅馆", "干洗店",
             "药房", "茶馆", "烧烤", "串串香", "水果店", "超市", "足浴店", "美容美发", "汽修店",
             "电动车维修店", "麻辣烫", "抄手店", "豆花饭", "冒菜馆", "服装店", "小卖部"],
    "food": ["小面", "火锅", "串串", "酸辣粉", "抄手", "豆花", "烤鱼", "江湖菜", "老灶火锅"],
    "estate": ["花园", "小区", "苑", "公馆", "雅居", "华庭", "名都", "家园", "新城", "城"],
    "estate_old": ["宿舍", "新村", "小区", "大院", "职工楼"],
    "unit_name": ["重庆第二棉纺厂", "市建一公司", "渝中区供销社", "重庆钢铁厂", "市运输公司", "区教委",
                  "重庆手表厂", "市自来水公司", "重庆电池厂", "长江航运公司"],
    "brand": ["融创", "龙湖", "金科", "协信", "华润", "万科", "恒大", "财信", "鲁能", "英利",
              "环球", "大融城", "来福士", "日月光", "美美"],
    "tower": ["大厦", "国际", "中心", "金融中心", "商务楼", "写字楼"],
    "chain": ["汉庭酒店", "如家酒店", "7天酒店", "锦江之星", "全季酒店", "亚朵酒店", "维也纳酒店"],
    "cinema": ["万达影城", "UME影城", "星美国际影城", "CGV影城"],
    "express": ["顺丰速运", "中通快递", "圆通速递", "韵达快递", "京东物流", "中国邮政", "申通快递"],
    "hospital": ["医院", "中医院", "妇幼保健院", "骨科医院", "口腔医院"],
    "kid": ["小天使", "蓝天", "育才", "金太阳", "贝贝", "启航"],
}


# --------------------------------------------------------------------------------------------
# Plans: pure data
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Node:
    """A jurisdiction to create."""

    code: str
    name: str
    level: str
    parent_code: str | None
    lat: float
    lon: float


@dataclass(frozen=True)
class OrgSpec:
    name: str
    credit_code: str
    phone: str
    sector: str
    street: int  # index of the street it mostly works in


@dataclass
class DistrictPlan:
    code: str  # six digits
    name: str
    nodes: list[Node]
    organisations: list[OrgSpec] = field(default_factory=list)

    @property
    def streets(self) -> list[Node]:
        return [n for n in self.nodes if n.level == "street"]

    @property
    def communities(self) -> list[Node]:
        return [n for n in self.nodes if n.level == "community"]

    @property
    def grids(self) -> list[Node]:
        return [n for n in self.nodes if n.level == "grid"]


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 23 → 二十三 (1…99)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN_CHARS) + (rng.choice(GIVEN_CHARS) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code(rng: random.Random, district_code: str) -> str:
    """A well-formed unified social credit code (GB 32100 check character) for a company."""
    body = "91" + district_code + "".join(rng.choice(_CREDIT_CHARS[:31]) for _ in range(9))
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(body, _CREDIT_WEIGHTS))
    return body + _CREDIT_CHARS[(31 - total % 31) % 31]


def _unique_names(rng: random.Random, count: int, suffix: str, taken: set[str]) -> list[str]:
    names = []
    while len(names) < count:
        name = rng.choice(STEMS) + rng.choice(COMMUNITY_SUFFIXES) + suffix
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def plan_district(
    rng: random.Random,
    code: str,
    name: str,
    street_names: list[str] | None = None,
    streets: int = 11,
    communities: tuple[int, int] = (6, 8),
    grids: tuple[int, int] = (5, 6),
    centre: tuple[float, float] = (29.553, 106.567),
) -> DistrictPlan:
    """The tree district → streets → communities → grids, with codes and centre coordinates.

    Street codes: district + 001…, then "000"; community codes: street's 9 digits + 001…;
    grid codes: community code + 001…  (generated, not official).
    """
    taken: set[str] = set()
    if street_names is None:
        street_names = [
            stem + ("街道" if rng.random() < 0.7 else "镇") for stem in rng.sample(STEMS, streets)
        ]
    lat0, lon0 = centre
    nodes = [Node(code + "000000", name, "district", None, lat0, lon0)]
    for s, street_name in enumerate(street_names, start=1):
        angle = 2 * math.pi * s / len(street_names)
        slat, slon = lat0 + 0.018 * math.sin(angle), lon0 + 0.03 * math.cos(angle)
        street_code = f"{code}{s:03d}000"
        nodes.append(Node(street_code, street_name, "street", nodes[0].code, slat, slon))
        n_comm = rng.randint(*communities)
        for c, comm_name in enumerate(_unique_names(rng, n_comm, "社区", taken), start=1):
            clat, clon = slat + rng.uniform(-0.006, 0.006), slon + rng.uniform(-0.008, 0.008)
            comm_code = f"{code}{s:03d}{c:03d}"
            nodes.append(Node(comm_code, comm_name, "community", street_code, clat, clon))
            for g in range(1, rng.randint(*grids) + 1):
                nodes.append(Node(
                    f"{comm_code}{g:03d}", f"第{cn_number(g)}网格", "grid", comm_code,
                    clat + rng.uniform(-0.002, 0.002), clon + rng.uniform(-0.002, 0.002),
                ))
    return DistrictPlan(code, name, nodes)


def plan_organisations(rng: random.Random, plan: DistrictPlan, count: int) -> list[OrgSpec]:
    """A pool of units for one district, each tied to a home street."""
    sectors = list(ORG_SECTOR_WEIGHTS)
    weights = list(ORG_SECTOR_WEIGHTS.values())
    n_streets = len(plan.streets)
    seen: set[str] = set()
    orgs: list[OrgSpec] = []
    # At least a few of every sector, then by weight.
    order = [s for s in sectors for _ in range(3)]
    order += rng.choices(sectors, weights=weights, k=max(0, count - len(order)))
    for i, sector in enumerate(order):
        street = i % n_streets
        for attempt in itertools.count():
            name = rng.choice(ORG_TEMPLATES[sector]).format(
                word=rng.choice(ORG_WORDS), stem=rng.choice(STEMS), district=plan.name,
            )
            if attempt > 5:
                name = f"{name[:-4]}{cn_number(attempt % 99 + 1)}{name[-4:]}"
            if name not in seen:
                break
        seen.add(name)
        public = sector == "public"
        orgs.append(OrgSpec(
            name=name,
            credit_code="" if public else credit_code(rng, plan.code),
            phone=(f"023-{rng.randrange(6000_0000, 6999_9999)}" if rng.random() < 0.6
                   else mobile(rng)),
            sector=sector,
            street=street,
        ))
    plan.organisations = orgs
    return orgs


# Street characters: multipliers on category weights (the commercial core has more shops).
STREET_CHARACTER = {
    "解放碑街道": {Category.MALL: 3, Category.COMMERCIAL_COMPLEX: 4, Category.HOTEL: 2,
                  Category.ENTERTAINMENT: 2, Category.HIGH_RISE: 2, Category.ESCAPE_ROOM: 2},
    "朝天门街道": {Category.MALL: 3, Category.LOGISTICS: 2, Category.HOTEL: 1.5,
                  Category.HERITAGE: 2},
    "七星岗街道": {Category.OLD_COMPOUND: 1.5, Category.HERITAGE: 2},
    "大坪街道": {Category.RESIDENTIAL: 1.5, Category.MEDICAL: 1.5},
    "化龙桥街道": {Category.RESIDENTIAL: 1.5, Category.HIGH_RISE: 1.5},
    "石油路街道": {Category.RESIDENTIAL: 1.5, Category.SCHOOL: 1.5},
    "菜园坝街道": {Category.LOGISTICS: 2, Category.URBAN_VILLAGE_RENTAL: 2,
                  Category.FACTORY_WAREHOUSE: 2},
}
CATEGORIES = list(PROFILES)
# Small venues a police station may list for fire supervision (Place.listed_by).
POLICE_LISTED = frozenset({Category.NINE_SMALL, Category.HOTEL, Category.ENTERTAINMENT})


class _Sampler:
    """Weighted choice by bisect over cumulative weights (faster than rng.choices per call)."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cum = list(itertools.accumulate(weights))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random):
        return self.items[bisect.bisect(self.cum, rng.random() * self.total)]


CriteriaFor = Callable[[str, str], list]


def iter_place_rows(
    rng: random.Random,
    plan: DistrictPlan,
    count: int,
    *,
    start: int = 0,
    criteria_for: CriteriaFor | None = None,
) -> Iterator[dict]:
    """`count` places for the district as dicts of Place field values.

    Extra keys: `grid_code`, `owner`/`manager`/`occupant` (indices into plan.organisations or
    None). Codes are `P` + street's 9 digits + the running number `start + i` in hex, so they
    are unique across one generation run. The first len(Category) places take each category
    once, so every category is present at any size of at least 22. `criteria_for(code,
    category)` gives the key-unit criteria (services.CriteriaBook.for_place); places that the
    rules suggest become key units four times out of five. Key units are listed for fire
    supervision by the fire brigade, about a third of the small venues (POLICE_LISTED) by the
    police station.
    """
    from .rules import Facts, suggested_key_unit

    grids = plan.grids
    streets = {n.code: n for n in plan.streets}
    communities = {n.code: n for n in plan.communities}
    grid_pick = _Sampler(grids, [rng.lognormvariate(0, 0.6) for _ in grids])
    street_samplers = {}
    for street in plan.streets:
        mult = STREET_CHARACTER.get(street.name, {})
        street_samplers[street.code] = _Sampler(
            CATEGORIES, [PROFILES[c].weight * mult.get(c, 1) for c in CATEGORIES]
        )
    orgs_by = {}
    for i, o in enumerate(plan.organisations):
        orgs_by.setdefault((o.sector, o.street), []).append(i)
        orgs_by.setdefault((o.sector, None), []).append(i)
    district_name = plan.name

    def pick_org(sector: str | None, street_idx: int) -> int | None:
        if sector is None:
            return None
        local = orgs_by.get((sector, street_idx)) if rng.random() < 0.85 else None
        pool = local or orgs_by.get((sector, None))
        return rng.choice(pool) if pool else None

    for i in range(count):
        grid = grid_pick(rng)
        community = communities[grid.parent_code]
        street = streets[community.parent_code]
        street_idx = int(street.code[6:9]) - 1
        category = CATEGORIES[i] if i < len(CATEGORIES) else street_samplers[street.code](rng)
        prof = PROFILES[category]
        use = prof.uses[0][0] if len(prof.uses) == 1 else _pick_use(rng, prof.uses)

        # Size: floors, height, areas.
        tall = rng.random() < prof.tall
        storey = 3.0 if use in (R, M) else 3.6 if use == I else 3.3
        if prof.floors == (0, 0):
            floors = 0
        elif tall:
            line = 27 if use == R else 24
            lo = max(prof.floors[0], int(line / storey) + 2)
            floors = rng.randint(lo, max(lo, prof.floors[1], 34))
        else:
            line = 27 if use == R else 24
            hi = min(prof.floors[1], max(prof.floors[0], int(line / storey) - 1))
            floors = rng.randint(prof.floors[0], max(prof.floors[0], hi))
        height = round(floors * storey * rng.uniform(0.95, 1.08) + (1.5 if use == P else 0), 1)
        if floors == 0:
            height = None
        below = 0
        if rng.random() < prof.below:
            below = rng.randint(1, 3 if floors > 10 or prof.floors == (0, 0) else 2)
        per_floor = rng.randint(*prof.floor_area) if prof.floor_area[1] else 0
        area_above = floors * per_floor
        if category == Category.NINE_SMALL:
            area_above = rng.randint(*prof.floor_area) * min(floors, 2)
        if prof.floors == (0, 0):
            area_below = below * rng.randint(800, 8000)
        else:
            area_below = below * int(per_floor * rng.uniform(0.6, 1.2)) if below else 0
        year = rng.randint(*prof.years)
        if category == Category.OLD_COMPOUND and rng.random() < 0.08:
            year = rng.randint(2000, 2004)  # compounds called old though built a little later
        if tall and year < 1990:
            year = rng.randint(1990, prof.years[1])

        guest_rooms = rng.randint(*prof.guest_rooms) if prof.guest_rooms else None
        beds = None
        if prof.beds:
            beds = rng.randint(*prof.beds)
            if category in (Category.SCHOOL, Category.KINDERGARTEN) and rng.random() < 0.6:
                beds = 0  # day schools: no boarding beds
            if category == Category.MEDICAL and rng.random() < 0.7:
                beds = rng.randint(0, 20)  # clinics
        if category == Category.HOTEL and rng.random() < 0.4:
            guest_rooms = 0  # restaurants (宾馆饭店 includes 饭店)

        # Fire systems: more likely in larger, taller and newer buildings; None = not surveyed.
        total_area = area_above + area_below
        p = prof.base_systems + (0.4 if tall else 0) + (0.25 if total_area >= 5000 else 0)
        p += 0.15 if year >= 2005 else -0.05 if year < 1990 else 0
        p = max(0.01, min(0.97, p))
        unsurveyed = rng.random() < 0.04
        systems = [
            None if unsurveyed else rng.random() < min(0.99, p + 0.2),  # hydrant
            None if unsurveyed else rng.random() < p,  # alarm
            None if unsurveyed else rng.random() < p * 0.85,  # sprinkler
            None if unsurveyed else rng.random() < p * (0.9 if tall else 0.5),  # smoke control
        ]
        micro = rng.random() < (0.6 if tall or total_area >= 10000 else 0.08)

        # Name and address.
        stem = community.name[:2]  # 新华路社区 → 新华
        road = rng.choice(ROADS) if rng.random() < 0.6 else community.name[:-2]  # → 新华路
        name = rng.choice(prof.names).format_map(_NameParts(rng, stem, road, district_name))
        address = f"{district_name}{road}{rng.randint(1, 399)}号"
        building_name = ""
        if category in (Category.NINE_SMALL, Category.ESCAPE_ROOM, Category.ENTERTAINMENT) \
                and rng.random() < 0.3:
            building_name = f"{rng.choice(STEMS)}{rng.choice(['大厦', '商厦', '广场'])}"
            address += f"{building_name}{rng.randint(1, 5)}楼"
        elif category in (Category.RESIDENTIAL, Category.OLD_COMPOUND):
            building_name = f"1-{rng.randint(2, 12)}栋"

        owner = pick_org(prof.owner, street_idx)
        occupant = pick_org(prof.occupant, street_idx)
        manager = pick_org("property", street_idx) if rng.random() < prof.pm else None
        if owner is None and prof.occupant and rng.random() < 0.5:
            owner = occupant

        survey_hazards = ""
        hazard_rate = 0.2 if category in (Category.NINE_SMALL, Category.OLD_COMPOUND,
                                          Category.URBAN_VILLAGE_RENTAL) else 0.07
        if rng.random() < hazard_rate:
            survey_hazards = "；".join(rng.sample(SURVEY_HAZARDS, rng.randint(1, 3)))

        row = {
            "code": f"P{street.code[:9]}{start + i:06X}",
            "name": name,
            "category": category.value,
            "building_use": use,
            "address": address,
            "building_name": building_name,
            "grid_code": grid.code,
            "department": DEFAULT_DEPARTMENT[category],
            "owner": owner,
            "manager": manager,
            "occupant": occupant,
            "responsible_person": person_name(rng),
            "responsible_phone": mobile(rng),
            "safety_manager": person_name(rng),
            "safety_manager_phone": mobile(rng),
            "height_m": Decimal(str(height)) if height is not None else None,
            "floors_above": floors,
            "floors_below": below,
            "area_above": Decimal(area_above),
            "area_below": Decimal(area_below),
            "year_built": year,
            "guest_rooms": guest_rooms,
            "beds": beds,
            "has_property_management": manager is not None,
            "has_hydrant": systems[0],
            "has_fire_alarm": systems[1],
            "has_sprinkler": systems[2],
            "has_smoke_control": systems[3],
            "has_micro_station": micro,
            "latitude": round(grid.lat + rng.uniform(-0.0015, 0.0015), 6),
            "longitude": round(grid.lon + rng.uniform(-0.0015, 0.0015), 6),
            "survey_hazards": survey_hazards,
        }
        # Key units: a share of what the rules suggest (the draw happens either way, so the
        # stream of random numbers does not depend on whether criteria were given).
        draw = rng.random()
        suggested = False
        if criteria_for is not None:
            facts = Facts(
                category=row["category"], building_use=use, height_m=row["height_m"],
                floors_above=floors, area_above=row["area_above"], area_below=row["area_below"],
                year_built=year, guest_rooms=guest_rooms, beds=beds,
            )
            suggested = suggested_key_unit(facts, criteria_for(grid.code, row["category"])).value
        row["is_key_unit"] = suggested and draw < 0.8
        # Who lists the unit for fire supervision: every key unit the fire brigade; about a
        # third of the small venues the police station. The draw depends on the category only,
        # so the random stream does not depend on the criteria either.
        listed_by = ""
        if category in POLICE_LISTED and rng.random() < 1 / 3:
            listed_by = ListedBy.POLICE_STATION.value
        if row["is_key_unit"]:
            listed_by = ListedBy.FIRE_BRIGADE.value
        row["listed_by"] = listed_by
        yield row


def _pick_use(rng: random.Random, uses) -> str:
    x = rng.random() * sum(w for _, w in uses)
    for use, w in uses:
        x -= w
        if x < 0:
            return use
    return uses[-1][0]


class _NameParts(dict):
    """Fills name templates lazily: only the parts a template uses draw random numbers."""

    def __init__(self, rng, stem, road, district):
        super().__init__(stem=stem, road=road, district=district)
        self.rng = rng

    def __missing__(self, key):
        rng = self.rng
        if key == "n":
            return rng.randint(1, 199)
        if key == "phase":
            return cn_number(rng.randint(1, 5))
        if key == "cn_n":
            return cn_number(rng.randint(1, 80))
        if key == "surname":
            return rng.choice(SURNAMES)
        return rng.choice(WORDS[key])


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------

DEMO_PASSWORD = "fireledger"
DEMO_NOTE = "演示数据（fireledger demo 生成）"


@dataclass
class Login:
    username: str
    password: str
    role: str  # Role value or "superuser"
    scope: str  # jurisdiction full name (and department / unit)
    scope_code: str
    name: str


def create_jurisdictions(plan: DistrictPlan) -> dict:
    """Create the plan's tree level by level; returns {code: Jurisdiction}."""
    from fireledger.core.models import Jurisdiction

    by_code: dict = {}
    for level in ("district", "street", "community", "grid"):
        objs = [
            Jurisdiction(code=n.code, name=n.name, level=level,
                         parent=by_code[n.parent_code] if n.parent_code else None)
            for n in plan.nodes if n.level == level
        ]
        for obj in Jurisdiction.objects.bulk_create(objs, batch_size=1000):
            by_code[obj.code] = obj
    if any(o.pk is None for o in by_code.values()):  # a backend without RETURNING
        for obj in Jurisdiction.objects.under(plan.code):
            by_code[obj.code] = obj
    return by_code


def create_organisations(specs: list[OrgSpec]) -> list:
    from fireledger.core.models import Organisation

    objs = [Organisation(name=s.name, credit_code=s.credit_code, phone=s.phone) for s in specs]
    return Organisation.objects.bulk_create(objs, batch_size=2000)


def _department_ids() -> dict[str, int]:
    from fireledger.core.models import Department

    return dict(Department.objects.values_list("code", "id"))


def _place_from_row(row: dict, jurisdictions: dict, orgs: list, departments: dict):
    from .models import Place

    row = dict(row)
    grid = jurisdictions[row.pop("grid_code")]
    dept = row.pop("department")
    owner, manager, occupant = row.pop("owner"), row.pop("manager"), row.pop("occupant")
    place = Place(**row)
    place.jurisdiction = grid
    place.jurisdiction_code = grid.code
    place.department_id = departments.get(dept)
    place.owner_id = orgs[owner].pk if owner is not None else None
    place.manager_id = orgs[manager].pk if manager is not None else None
    place.occupant_id = orgs[occupant].pk if occupant is not None else None
    return place


def demo_plan(seed: int) -> tuple[random.Random, DistrictPlan]:
    """The demo district's tree and unit pool; the returned rng continues into the places."""
    rng = random.Random(seed)
    code, name = DEMO_DISTRICT
    plan = plan_district(rng, code, name, YUZHONG_STREETS, communities=(6, 8), grids=(5, 6))
    plan_organisations(rng, plan, 400)
    return rng, plan


def generate_demo(places: int = 5000, seed: int = 2026, progress=None,
                  chunk: int = 10_000) -> list[Login]:
    """Write the demo district, its units, `places` places and one user per role.

    The caller decides about existing data (the `demo` command refuses or resets first).
    Everything happens in one transaction; places go through services.bulk_create_places
    with the demo superuser as actor, so they have derived flags and audit events.
    """
    from django.db import transaction

    from . import services

    rng, plan = demo_plan(seed)
    with transaction.atomic():
        jurisdictions = create_jurisdictions(plan)
        orgs = create_organisations(plan.organisations)
        departments = _department_ids()
        admin = _demo_user("admin", "管理员", superuser=True)
        book = services.CriteriaBook()
        rows = iter_place_rows(rng, plan, places, criteria_for=book.for_place)
        written = 0
        while written < places:
            batch = [
                _place_from_row(r, jurisdictions, orgs, departments)
                for r in itertools.islice(rows, chunk)
            ]
            base = written
            services.bulk_create_places(
                admin, batch, note=DEMO_NOTE,
                progress=(lambda n, base=base: progress(base + n)) if progress else None,
            )
            written += len(batch)
        return create_demo_users(plan, jurisdictions, admin)


def _demo_user(username: str, name: str, superuser: bool = False, phone: str = ""):
    """Create or refresh a demo user. An existing superuser keeps its password."""
    from fireledger.core.models import User

    user = User.objects.filter(username=username).first()
    if user is not None and user.is_superuser and superuser:
        # A superuser made by hand keeps its password; the login table says which.
        user.demo_password_kept = not user.check_password(DEMO_PASSWORD)
        return user
    if user is None:
        user = User(username=username)
    user.first_name, user.last_name = name, ""
    user.phone = phone
    user.is_superuser = user.is_staff = superuser
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    user.assignments.all().delete()
    return user


def create_demo_users(plan: DistrictPlan, jurisdictions: dict, admin) -> list[Login]:
    """One user per role (core.choices.Role) plus the superuser; returns the login table."""
    from django.db.models import Count

    from fireledger.core.choices import Role
    from fireledger.core.codes import range_lookup
    from fireledger.core.models import Department, Organisation, RoleAssignment

    from .models import Place

    district = jurisdictions[plan.code + "000000"]
    street = next(j for j in jurisdictions.values()
                  if j.level == "street" and j.name == DEMO_STREET)
    in_street = Place.objects.filter(**range_lookup("jurisdiction_code", street.prefix))
    top_grid = (in_street.values("jurisdiction_id").annotate(n=Count("id"))
                .order_by("-n", "jurisdiction_id").first())
    grid = (next(j for j in jurisdictions.values() if j.pk == top_grid["jurisdiction_id"])
            if top_grid else next(j for j in jurisdictions.values()
                                  if j.level == "grid" and j.code.startswith(street.prefix)))
    top_unit = (in_street.exclude(manager=None).values("manager_id").annotate(n=Count("id"))
                .order_by("-n", "manager_id").first())
    unit = (Organisation.objects.get(pk=top_unit["manager_id"]) if top_unit
            else Organisation.objects.order_by("id").first())
    shangwu = Department.objects.get(code="shangwu")

    people = [
        ("district", "谭志刚", Role.DISTRICT_OFFICE, district, {}),
        ("shangwu", "刘芳", Role.DEPARTMENT_OFFICER, district, {"department": shangwu}),
        ("street", "陈静", Role.STREET_OFFICER, street, {}),
        ("grid", "王小兵", Role.GRID_WORKER, grid, {}),
        ("unit", "李海涛", Role.UNIT_MANAGER, street, {"organisation": unit}),
    ]
    password = "（原密码 unchanged）" if getattr(admin, "demo_password_kept", False) else DEMO_PASSWORD
    logins = [Login(admin.username, password, "superuser", "全部 / everything", "",
                    admin.first_name)]
    rng = random.Random(plan.code)
    for username, name, role, where, extra in people:
        user = _demo_user(username, name, phone=mobile(rng))
        RoleAssignment.objects.create(user=user, role=role, jurisdiction=where, **extra)
        scope = where.full_name
        if "department" in extra:
            scope += f" · {extra['department'].short_name}"
        if "organisation" in extra:
            scope += f" · {extra['organisation'].name}"
        logins.append(Login(username, DEMO_PASSWORD, role.value, scope, where.code, name))
    return logins


# --------------------------------------------------------------------------------------------
# Scale data
# --------------------------------------------------------------------------------------------

def scale_districts(places: int, per_district: int = PLACES_PER_SCALE_DISTRICT):
    """(code, name, places) for each district needed to hold `places`."""
    n = max(1, math.ceil(places / per_district))
    districts = list(SCALE_DISTRICTS)
    for extra in range(len(districts), n):  # beyond Chongqing's list: synthetic codes
        districts.append((f"5009{extra:02d}", f"示例{cn_number(extra % 99 + 1)}区"))
    base, rest = divmod(places, n)
    return [(code, name, base + (1 if i < rest else 0))
            for i, (code, name) in enumerate(districts[:n])]


def generate_scale(places: int, seed: int = 2026, chunk: int = 10_000, progress=None,
                   per_district: int = PLACES_PER_SCALE_DISTRICT) -> dict:
    """Write `places` places over as many districts as needed (bench data).

    Each district: 11 streets, 7–9 communities per street, 5–7 grids per community, a pool of
    units. Places are generated and written in chunks of `chunk` rows, one transaction per
    chunk, so memory stays flat at any scale.

    Unlike the demo, bench places bypass services.bulk_create_places: each row's derived flags,
    reasons and search text are computed by services.refresh_derived exactly as for real data,
    but the rows are written WITHOUT audit events (a million audit rows are not what the place
    list reads) and with a plain multi-row write (core.bulk.insert: one executemany on SQLite,
    COPY on PostgreSQL) instead of Place.objects.bulk_create, whose per-value preparation made
    up half of the generation time.
    """
    from django.db import transaction

    from . import services

    rng = random.Random(seed)
    book = services.CriteriaBook()
    departments = _department_ids()
    writer = _RowWriter()
    written = 0
    summary = {"districts": 0, "streets": 0, "communities": 0, "grids": 0, "organisations": 0}
    for d, (code, name, count) in enumerate(scale_districts(places, per_district)):
        centre = (29.553 + 0.12 * math.sin(d), 106.567 + 0.15 * math.cos(d))
        street_names = YUZHONG_STREETS if code == DEMO_DISTRICT[0] else None
        plan = plan_district(rng, code, name, street_names, communities=(7, 9), grids=(5, 7),
                             centre=centre)
        plan_organisations(rng, plan, max(60, count // 10))
        with transaction.atomic():
            jurisdictions = create_jurisdictions(plan)
            orgs = create_organisations(plan.organisations)
        org_ids = [o.pk for o in orgs]
        summary["districts"] += 1
        summary["streets"] += len(plan.streets)
        summary["communities"] += len(plan.communities)
        summary["grids"] += len(plan.grids)
        summary["organisations"] += len(orgs)
        rows = iter_place_rows(rng, plan, count, start=written, criteria_for=book.for_place)
        left = count
        while left > 0:
            batch = []
            for row in itertools.islice(rows, min(chunk, left)):
                place = writer.new(row, jurisdictions, org_ids, departments)
                services.refresh_derived(place, book)
                batch.append(place)
            with transaction.atomic():
                writer.write(batch)
            written += len(batch)
            left -= len(batch)
            if progress:
                progress(written)
    summary["places"] = written
    return summary


class _RowWriter:
    """Places as light rows (what refresh_derived reads and sets), written by core.bulk.insert."""

    def __init__(self):
        from .models import Place

        self.defaults = {
            f.attname: f.get_default()
            for f in Place._meta.concrete_fields if not f.primary_key
        }

    def new(self, row: dict, jurisdictions: dict, org_ids: list, departments: dict):
        from types import SimpleNamespace

        place = SimpleNamespace(**self.defaults)
        values = place.__dict__
        values.update(row)
        grid = jurisdictions[values.pop("grid_code")]
        values["jurisdiction_id"] = grid.pk
        values["jurisdiction_code"] = grid.code
        values["department_id"] = departments.get(values.pop("department"))
        for role in ("owner", "manager", "occupant"):
            index = values.pop(role)
            values[f"{role}_id"] = org_ids[index] if index is not None else None
        return place

    def write(self, places: list) -> None:
        """One executemany on SQLite, COPY on PostgreSQL (1.9× faster than executemany there)."""
        from fireledger.core import bulk

        from .models import Place

        bulk.insert(Place, places)
