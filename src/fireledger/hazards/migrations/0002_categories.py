"""The hazard taxonomy as data: what the seeds list, verbatim, with their source documents.

- high_rise: the ten focus areas (整治重点) of the high-rise three-year plan and their numbered
  items (hr.NN, hr.NN.M);
- mall: the six problems (六项问题) of the 渝中区 mall and market plan (mall.N);
- generic: 其他, for anything the lists do not name.

Idempotent (get_or_create by code), so tests can load it again after a flush.
"""

from django.db import migrations

HIGH_RISE_SOURCE = "高层建筑消防安全专项整治三年行动实施方案（四、整治重点）"
MALL_SOURCE = "渝中区深入推进商场市场消防安全专项整治工作方案（二、整治重点）"

HIGH_RISE = [
    ('建筑外墙外保温材料', [
        '高层建筑违规采用易燃可燃外保温材料',
        '高层建筑外墙外保温防护层破损开裂、脱落',
    ]),
    ('建筑消防设施', [
        '建筑消防设施故障、损坏或瘫痪，不能保持完好有效',
        '消防控制室设备故障，控制功能及联动运行不正常',
    ]),
    ('安全疏散', [
        '占用、堵塞、封闭疏散通道、安全出口',
        '防火门损坏或构件缺失影响防火防烟功能',
        '应急照明、疏散指示标志和楼层指示标识等不符合标准',
        '避难间（层）堆放杂物或擅自改变用途',
    ]),
    ('灭火救援场地', [
        '消防车通道被封堵或被杂物、汽车、隔离桩、绿化景观等占用，影响消防车通行',
        '架空电力设施、空中的管线、绿化景观、户外广告牌等占用消防登高场地，举高消防车无法停靠作业，影响救援行动',
    ]),
    ('管道井', [
        '电缆井、管道井等管井未独立设置，井壁耐火极限达不到1.00h、管井检查门未采用丙级防火门，电缆井、管道井未在每层楼板处进行严密封堵，电缆桥架等未在防火分隔处采用有效措施进行防火封堵',
        '管道井内堆放杂物或占用，管井井壁、检查门破损，日常维护管理不到位',
    ]),
    ('电气燃气管理', [
        '电气线路乱拉乱接或敷设不符合规范',
        '燃气管线、燃气用具的敷设、安装等不符合相关安全技术标准；公共建筑使用燃气部位未设置燃气泄漏报警装置和紧急切断装置',
        '对电气、燃气设施设备的日常维护保养、检测等管理措施不落实',
        '用火、用电、用气不规范。动用明火作业时，未落实现场监护和安全措施',
    ]),
    ('消防控制室', [
        '未落实双人值班值守，值班人员未取得初级及以上国家职业资格证书，值班人员不掌握消防控制室应急处置程序、不懂得操作消防控制设备等问题',
        '消防设施未处于自动状态，自动灭火系统管道阀门未常开、消防用电设备的配电柜未处于自动状态等',
        '单位内部应急疏散和灭火预案不完善',
    ]),
    ('微型消防站', [
        '每栋高层公共建筑和每个高层住宅小区未依托社区网格员、保安人员、管理使用单位人员、志愿者等力量建立微型消防站',
        '未定期组织微型消防站队员开展针对性消防训练，未熟练掌握消防设施、器材装备性能和操作使用方法',
        '未建立消防工作制度，落实工作时间段和非工作时间段“定岗、定人、定责”的要求，不具备“早发现、早处置”的扑救初起火灾能力',
        '未按照“行业相近、位置相邻”原则，建立微型消防站联防机制',
    ]),
    ('电动车火灾防范', [
        '违规在居民住宅的楼梯间、楼道、疏散通道、安全出口、地下车库等区域停放电动车及充电行为',
        '集中设置的电动自行车停车棚推广配置火灾报警、灭火器（简易喷淋）等消防设施和器材',
    ]),
    ('日常消防安全管理', [
        '消防安全管理责任主体不明确，高层公共建筑产权单位、委托管理单位以及经营主体、使用单位未签订协议，明确各方消防安全责任，分担消防设施维修、更新和改造等费用',
        '单位消防安全主体责任不落实，未设立或明确消防安全管理机构，未建立消防安全制度和消防安全操作规程，消防安全责任人、管理人、重点岗位人、特殊工种人员和员工逐级岗位责任不落实。未落实消防安全“三自主两公开一承诺”制度（自主评估风险、自主检查隐患、自主消除隐患、在单位场所醒目位置公开消防安全责任人、管理人及联系方式，承诺本单位场所不存在消防安全突出风险或已落实整改）',
        '未按照规定定期对建筑消防设施进行维保，或建筑消防设施日常维保制度不落实',
        '单位消防安全检查巡查不落实，不能及时整改火灾隐患',
        '建筑外墙门窗违规设置影响逃生和灭火救援的障碍物',
        '单位未定期组织消防安全培训和消防演练',
    ]),
]

MALL = [
    '消防设施设备',
    '疏散通道',
    '初期火灾处置',
    '主体责任落实',
    '电气线路',
    '消防车道',
]


def rows():
    """(code, name, group, parent code, sort order, source document) in load order."""
    for a, (area, items) in enumerate(HIGH_RISE, start=1):
        yield f"hr.{a:02d}", area, "high_rise", None, a * 100, HIGH_RISE_SOURCE
        for i, item in enumerate(items, start=1):
            yield f"hr.{a:02d}.{i}", item, "high_rise", f"hr.{a:02d}", a * 100 + i, HIGH_RISE_SOURCE
    for m, name in enumerate(MALL, start=1):
        yield f"mall.{m}", name, "mall", None, 2000 + m * 100, MALL_SOURCE
    yield "other", "其他", "generic", None, 9000, ""


def add(apps, schema_editor):
    HazardCategory = apps.get_model("hazards", "HazardCategory")
    by_code = {}
    for code, name, group, parent, order, source in rows():
        by_code[code], _ = HazardCategory.objects.get_or_create(
            code=code,
            defaults={"name": name, "group": group, "parent": by_code.get(parent),
                      "sort_order": order, "source_doc": source},
        )


def remove(apps, schema_editor):
    HazardCategory = apps.get_model("hazards", "HazardCategory")
    codes = [row[0] for row in rows()]
    HazardCategory.objects.filter(code__in=codes, parent__isnull=False).delete()
    HazardCategory.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("hazards", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
