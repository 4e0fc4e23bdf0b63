"""Default frequency rules, minutes per inspection and the work station's duty kinds.

Quoted verbatim from seed 003 附件1.7 (渝中区《加强和规范街道消防工作站建设管理工作方案》and its
附件1.7.3 工作制度) where the annex has the rule (verified=True / from_annex=True). The grade
intervals and the minutes per inspection are our own defaults, unverified ([G]): correct them
as data in the admin.
"""

import datetime

from django.db import migrations

ANNEX = "渝中区《加强和规范街道消防工作站建设管理工作方案》(附件1.7)"
ANNEX_RULES = "渝中区 附件1.7.3 消防工作站工作制度"
OURS = "FireLedger 默认值（未核实 [G]，可在后台修改）"
VALID_FROM = datetime.date(2023, 1, 1)

RULES = [
    # basis, grade, interval months, source, wording, verified
    ("baseline", "", 12, ANNEX + " 一(三)一",
     "消防工作站对除区消防救援支队和公安派出所监管单位以外的社会单位、“九小场所”、门市、"
     "居民住宅小区（楼院）等，应当每年至少检查一次。", True),
    ("listed", "", 1, ANNEX + " 一(三)二",
     "对本行政区域内被列为重大火灾隐患并实行挂牌整治的单位，在挂牌整治期间的消防检查每月不得少于1次。",
     True),
    # [G] our defaults for risk-based supervision (red monthly … blue yearly).
    ("grade", "red", 1, OURS, "", False),
    ("grade", "orange", 3, OURS, "", False),
    ("grade", "yellow", 6, OURS, "", False),
    ("grade", "blue", 12, OURS, "", False),
]

# [G] minutes per street inspection, travel and paperwork included: our estimates.
EFFORT = {
    "": 60, "high_rise": 120, "mall": 120, "commercial_complex": 180, "old_compound": 60,
    "residential": 60, "nine_small": 30, "urban_village_rental": 30, "heritage": 60,
    "petrochemical": 180, "underground": 90, "factory_warehouse": 90, "logistics": 90,
    "school": 90, "kindergarten": 60, "elderly_care": 90, "medical": 120, "hotel": 90,
    "religious": 60, "entertainment": 60, "escape_room": 45, "energy_storage": 120,
    "epidemic": 60,
}

DUTIES = [
    # code, name, period, wording, source
    ("publicity", "消防安全宣传", "month",
     "深入社区、企事业单位开展消防安全宣传每月不得少于1次", ANNEX + " 一(三)三"),
    ("resident_drill", "居民消防逃生、灭火演习", "quarter",
     "指导社区开展居民消防逃生、灭火演习每季度不得少于1次", ANNEX + " 一(三)三"),
    ("school_training", "学校、幼儿园消防安全培训", "semester",
     "对学校、幼儿园开展消防安全培训每学期不得少于１次", ANNEX + " 一(三)四"),
    ("resident_training", "居民消防安全培训", "half_year",
     "居民消防安全培训每半年不得少于1次", ANNEX + " 一(三)四"),
    ("unit_training", "社会单位（场所）消防安全培训", "half_year",
     "社会单位（场所）消防安全培训每半年不得少于1次", ANNEX + " 一(三)四"),
    ("situation_analysis", "火灾形势分析书面汇报", "quarter",
     "每季对辖区内的火灾形势和消防安全状况进行一次分析，并向街道、区消安办做好书面汇报。",
     ANNEX + " 一(三)五"),
    ("monthly_meeting", "消防工作例会", "month",
     "每月召开例会，由各组负责人汇报消防安全工作开展情况以及存在的问题，站长负责统一研究解决。",
     ANNEX_RULES + " 例会制度（一）"),
    ("joint_meeting", "消防工作联席会议", "quarter",
     "消防工作站要建立消防工作联席会议制度，每季度召开一次消防工作会议，通报辖区火灾警情，"
     "分析研判消防形势，研究辖区单位和群众的消防安全诉求，查摆工作中的薄弱环节，调度消防工作进展"
     "情况，研究制定加强消防工作的具体措施，安排部署下一步消防工作。", ANNEX + " 三(一)"),
]


def add(apps, schema_editor):
    FrequencyRule = apps.get_model("duties", "FrequencyRule")
    InspectionEffort = apps.get_model("duties", "InspectionEffort")
    DutyKind = apps.get_model("duties", "DutyKind")
    for basis, grade, months, source, wording, verified in RULES:
        FrequencyRule.objects.get_or_create(
            basis=basis, grade=grade, category="", valid_from=VALID_FROM,
            defaults={"interval_months": months, "source_doc": source, "wording": wording,
                      "verified": verified})
    for category, minutes in EFFORT.items():
        InspectionEffort.objects.get_or_create(
            category=category, defaults={"minutes": minutes, "verified": False,
                                         "note": "[G] 估计值，含路途和文书时间"})
    for order, (code, name, period, wording, source) in enumerate(DUTIES, start=1):
        DutyKind.objects.get_or_create(
            code=code, defaults={"name": name, "period": period, "wording": wording,
                                 "source_doc": source, "from_annex": True,
                                 "sort_order": order * 10})


def remove(apps, schema_editor):
    apps.get_model("duties", "FrequencyRule").objects.filter(valid_from=VALID_FROM).delete()
    apps.get_model("duties", "InspectionEffort").objects.all().delete()
    apps.get_model("duties", "DutyKind").objects.filter(code__in=[d[0] for d in DUTIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("duties", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
