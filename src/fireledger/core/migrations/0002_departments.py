"""The departments the seeds name, as data; districts rename or add their own in the admin."""

from django.db import migrations

DEPARTMENTS = [
    ("xiaofang", "区消防救援支队", "消防救援"),
    ("xiaoanwei", "区消防安全委员会办公室", "消安委办"),
    ("zhujian", "区住房城乡建委", "住建"),
    ("chengguan", "区城市管理局", "城管"),
    ("gongan", "区公安分局", "公安"),
    ("yingji", "区应急管理局", "应急"),
    ("shangwu", "区商务委", "商务"),
    ("wenlv", "区文化旅游委", "文旅"),
    ("jiaoyu", "区教委", "教育"),
    ("minzheng", "区民政局", "民政"),
    ("weijian", "区卫生健康委", "卫健"),
    ("jingxin", "区经济信息委", "经信"),
    ("dashuju", "区大数据发展局", "大数据"),
    ("shichang", "区市场监管局", "市场监管"),
    ("guizi", "区规划自然资源局", "规资"),
    ("caizheng", "区财政局", "财政"),
    ("fagai", "区发展改革委", "发改"),
    ("minzong", "区民族宗教委", "民宗"),
]


def add(apps, schema_editor):
    Department = apps.get_model("core", "Department")
    for order, (code, name, short) in enumerate(DEPARTMENTS):
        Department.objects.update_or_create(
            code=code, defaults={"name": name, "short_name": short, "sort_order": order}
        )


def remove(apps, schema_editor):
    apps.get_model("core", "Department").objects.filter(code__in=[d[0] for d in DEPARTMENTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
