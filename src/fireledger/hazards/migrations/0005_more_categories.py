"""More of the hazard taxonomy, verbatim from the seeds, with their source documents:

- principle: the six "原则性问题" of the 渝中区 three-kinds-of-key-objects plan (prin.N);
- old_compound: the outstanding problems (突出问题) of old communities in the 2024 town plan's
  problem list (oc.N);
- e_bike: electric-bicycle hazards as the seeds word them (eb.N);
- new_business: the new business types and sectors of the 跃进村 winter-spring plan: escape
  rooms and large logistics/clean-room buildings with their numbered problems (nb.N, nb.N.M),
  express-mail sites and electrochemical energy storage stations (nb.N);
- generic: a short general set (gen.N) that is OURS, not a seed's, for hazards at places no
  list covers (next to 其他 from 0002).

Also the default rectification periods the seeds give for these categories (DeadlineRule rows,
each quoted below); the general defaults of 0004 stay as they are. The group field gains the
new choices (AlterField). Idempotent (get_or_create by code), so tests can load it again after
a flush.
"""

from django.db import migrations, models

PRINCIPLE_SOURCE = "渝中区“三类”重点对象火灾防控能力提升行动工作方案（二、整治重点）"
OLD_COMPOUND_SOURCE = (
    "2024年镇消防安全专项整治三年行动实施方案（问题清单、任务清单、责任清单：抓好老旧社区突出风险治理）")
E_BIKE_TOWN_SOURCE = (
    "2024年镇消防安全专项整治三年行动实施方案（问题清单、任务清单、责任清单：抓好电动车突出风险治理）")
E_BIKE_WINTER_SOURCE = "跃进村街道今冬明春火灾防控工作方案（二、重点任务（三）3.抓好新能源领域消防安全风险管控）"
E_BIKE_HIGH_RISE_SOURCE = "渝中区2023年高层建筑消防安全“除险清患”专项行动工作方案（二、整治重点（四）用电用气方面）"
E_BIKE_OLD_COMPOUND_SOURCE = "渝中区老旧小区消防安全专项整治工作方案（三、老旧小区消防安全现状）"
NEW_BUSINESS_SOURCE = "跃进村街道今冬明春火灾防控工作方案（二、重点任务（三）抓好新业态新领域消防安全风险防范）"

# 003 附件1.6: "根本上消除合法性手续、装修装饰材料、防火分隔措施、消防设施设备、疏散救援条件、
# 用电安全管理等六个方面原则性问题"
PRINCIPLE = [
    "合法性手续",
    "装修装饰材料",
    "防火分隔措施",
    "消防设施设备",
    "疏散救援条件",
    "用电安全管理",
]

# 001 第五篇, the 问题清单 row 抓好老旧社区突出风险治理, column 突出问题: "建筑耐火等级低；消防水源
# 不足；消防设施缺失；疏散通道不畅通；防火分隔不到位；电气线路老化；易燃可燃材料装修多；私搭乱建，
# “三合一”现象普遍"
OLD_COMPOUND = [
    "建筑耐火等级低",
    "消防水源不足",
    "消防设施缺失",
    "疏散通道不畅通",
    "防火分隔不到位",
    "电气线路老化",
    "易燃可燃材料装修多",
    "私搭乱建，“三合一”现象普遍",
]

# Each item names the e-bike itself, so it reads on its own in a list (source per item).
E_BIKE = [
    # 004: "各社区和物管单位要及时制止电动自行车进楼入户、堵塞疏散通道、飞线充电等行为"
    ("电动自行车进楼入户", E_BIKE_WINTER_SOURCE),
    # 003 附件1.2: "电动自行车在楼道内停放充电"
    ("电动自行车在楼道内停放充电", E_BIKE_HIGH_RISE_SOURCE),
    # 003 附件1.5: "电动自行车“飞线充电”、私自连接燃气管道现象普遍存在"
    ("电动自行车“飞线充电”", E_BIKE_OLD_COMPOUND_SOURCE),
    # 001 第五篇, 问题清单 row 抓好电动车突出风险治理, column 突出问题
    ("违法违规生产、销售电动汽车、电动自行车以及改装电池", E_BIKE_TOWN_SOURCE),
]

# 004 二（三）: the places, then the problems the seed lists for them ("重点整治…等问题").
NEW_BUSINESS = [
    # "1.抓好密室逃脱类场所消防安全风险管控。…重点整治用火用电、易燃可燃装饰装修、防火分隔、
    # 安全疏散、应急通讯等问题"
    ("密室逃脱类场所", ["用火用电", "易燃可燃装饰装修", "防火分隔", "安全疏散", "应急通讯"]),
    # "2.抓好特殊对象消防安全风险管控。针对邮件快件处理场所，要加大隐患排查整改力度"
    ("邮件快件处理场所", []),
    # "针对大型物流仓储建筑、电子洁净厂房，要配合行业主管部门排查整治违规混存货物、违规用火动焊、
    # 违规装卸操作、违规留宿人员等问题"
    ("大型物流仓储建筑、电子洁净厂房", ["违规混存货物", "违规用火动焊", "违规装卸操作", "违规留宿人员"]),
    # "要组织开展对电化学储能电站的排查以及安全风险隐患专项治理"
    ("电化学储能电站", []),
]

# Ours, not a seed's: a short general set for hazards at places no list above covers.
GENERIC = [
    "消防设施",
    "疏散通道",
    "消防车通道",
    "用火用电",
    "消防安全管理",
]

# (category code, working days), for hazards that are not major. What the seeds say:
DEADLINES = [
    # 003 附件1.2 三（三）: "对电动自行车入楼充电停放等违法行为，要责令立即整改" → one working day
    ("eb.1", 1),
    ("eb.2", 1),
    # 004 二（三）3: "各社区和物管单位要及时制止电动自行车进楼入户、堵塞疏散通道、飞线充电等
    # 行为" → stopped at once, one working day
    ("eb.3", 1),
]


def rows():
    """(code, name, group, parent code, sort order, source document) in load order."""
    for n, name in enumerate(PRINCIPLE, start=1):
        yield f"prin.{n}", name, "principle", None, 3000 + n * 100, PRINCIPLE_SOURCE
    for n, name in enumerate(OLD_COMPOUND, start=1):
        yield f"oc.{n}", name, "old_compound", None, 4000 + n * 100, OLD_COMPOUND_SOURCE
    for n, (name, source) in enumerate(E_BIKE, start=1):
        yield f"eb.{n}", name, "e_bike", None, 5000 + n * 100, source
    for n, (place, items) in enumerate(NEW_BUSINESS, start=1):
        order = 6000 + n * 100
        yield f"nb.{n}", place, "new_business", None, order, NEW_BUSINESS_SOURCE
        for i, item in enumerate(items, start=1):
            yield f"nb.{n}.{i}", item, "new_business", f"nb.{n}", order + i, NEW_BUSINESS_SOURCE
    for n, name in enumerate(GENERIC, start=1):
        yield f"gen.{n}", name, "generic", None, 8000 + n * 100, ""


def add(apps, schema_editor):
    HazardCategory = apps.get_model("hazards", "HazardCategory")
    DeadlineRule = apps.get_model("hazards", "DeadlineRule")
    by_code = {}
    for code, name, group, parent, order, source in rows():
        by_code[code], _ = HazardCategory.objects.get_or_create(
            code=code,
            defaults={"name": name, "group": group, "parent": by_code.get(parent),
                      "sort_order": order, "source_doc": source},
        )
    for code, workdays in DEADLINES:
        DeadlineRule.objects.get_or_create(category=by_code[code], is_major=False,
                                           defaults={"workdays": workdays})


def remove(apps, schema_editor):
    HazardCategory = apps.get_model("hazards", "HazardCategory")
    DeadlineRule = apps.get_model("hazards", "DeadlineRule")
    codes = [row[0] for row in rows()]
    DeadlineRule.objects.filter(category__code__in=codes).delete()
    HazardCategory.objects.filter(code__in=codes, parent__isnull=False).delete()
    HazardCategory.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("hazards", "0004_deadline_rules")]
    operations = [
        migrations.AlterField(
            model_name="hazardcategory",
            name="group",
            field=models.CharField(
                choices=[("high_rise", "high-rise building focus areas"),
                         ("mall", "mall and market problems"),
                         ("principle", "principle problems"),
                         ("old_compound", "old compound problems"),
                         ("e_bike", "electric bicycles"),
                         ("new_business", "new business types and sectors"),
                         ("generic", "general")],
                max_length=20, verbose_name="group"),
        ),
        migrations.RunPython(add, remove),
    ]
