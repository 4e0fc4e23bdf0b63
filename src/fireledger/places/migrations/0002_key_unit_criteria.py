"""The national key-unit thresholds (standards-cn.md §3.1) as correctable data.

Rows whose mapping onto our categories is our own reading, or that the reference tags [G],
carry verified=False. Not loaded: criteria that need facts the ledger does not hold yet
(县级以上文保单位, 劳动密集型企业 workers, 仓库 value, 高层公共建筑 by use).
"""

from django.db import migrations

SOURCE = "公安部 公通字〔2001〕97号"
CRITERIA = [
    # category, metric, threshold, label, verified
    ("mall", "area_total", 1000, "商场(商店、市场)建筑面积", True),
    ("commercial_complex", "area_total", 1000, "商场(商店、市场)建筑面积", True),
    ("hotel", "guest_rooms", 50, "宾馆(旅馆、饭店)客房数", True),
    ("entertainment", "area_total", 200, "公共娱乐场所建筑面积", True),
    ("escape_room", "area_total", 200, "公共娱乐场所(密室逃脱)建筑面积", False),
    ("medical", "beds", 50, "医院住院床位", True),
    ("elderly_care", "beds", 50, "养老院老人住宿床位", True),
    ("school", "beds", 100, "寄宿制学校学生住宿床位", True),
    ("kindergarten", "beds", 50, "托儿所、幼儿园幼儿住宿床位", True),
    ("petrochemical", "always", 0, "易燃易爆化学物品生产单位", True),
    ("energy_storage", "always", 0, "发电厂(站)和电网经营企业", False),
]


def add(apps, schema_editor):
    KeyUnitCriterion = apps.get_model("places", "KeyUnitCriterion")
    for category, metric, threshold, label, verified in CRITERIA:
        KeyUnitCriterion.objects.get_or_create(
            region="", category=category, metric=metric,
            defaults={"threshold": threshold, "label": label, "source_doc": SOURCE,
                      "verified": verified},
        )


def remove(apps, schema_editor):
    apps.get_model("places", "KeyUnitCriterion").objects.filter(region="", source_doc=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
