"""The hazard taxonomy the data migration loads from the seeds."""

import importlib

from django.apps import apps

from fireledger.hazards.models import HazardCategory

HIGH_RISE = [
    ("hr.01", "建筑外墙外保温材料", 2), ("hr.02", "建筑消防设施", 2), ("hr.03", "安全疏散", 4),
    ("hr.04", "灭火救援场地", 2), ("hr.05", "管道井", 2), ("hr.06", "电气燃气管理", 4),
    ("hr.07", "消防控制室", 3), ("hr.08", "微型消防站", 4), ("hr.09", "电动车火灾防范", 2),
    ("hr.10", "日常消防安全管理", 6),
]
MALL = ["消防设施设备", "疏散通道", "初期火灾处置", "主体责任落实", "电气线路", "消防车道"]


def test_high_rise_focus_areas_and_items(categories):
    tops = HazardCategory.objects.filter(group="high_rise", parent=None)
    assert [(c.code, c.name, c.children.count()) for c in tops] == HIGH_RISE
    assert categories["hr.03.1"].name == "占用、堵塞、封闭疏散通道、安全出口"
    assert categories["hr.03.1"].parent == categories["hr.03"]
    assert categories["hr.10.6"].name == "单位未定期组织消防安全培训和消防演练"
    assert all("三年行动" in c.source_doc for c in HazardCategory.objects.filter(group="high_rise"))


def test_mall_problems_and_generic(categories):
    mall = HazardCategory.objects.filter(group="mall")
    assert [c.name for c in mall] == MALL
    assert all(c.parent is None and "商场市场" in c.source_doc for c in mall)
    assert categories["other"].name == "其他" and categories["other"].group == "generic"


def test_loading_twice_changes_nothing(categories):
    before = list(HazardCategory.objects.values_list("code", "name", "parent__code", "sort_order"))
    importlib.import_module("fireledger.hazards.migrations.0002_categories").add(apps, None)
    after = list(HazardCategory.objects.values_list("code", "name", "parent__code", "sort_order"))
    assert before == after and len(after) == 10 + 31 + 6 + 1


def test_ordering_keeps_items_under_their_area(categories):
    codes = list(HazardCategory.objects.values_list("code", flat=True))
    assert codes.index("hr.01") < codes.index("hr.01.2") < codes.index("hr.02") < codes.index(
        "mall.1") < codes.index("other")
