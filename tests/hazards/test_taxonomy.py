"""The hazard taxonomy the data migrations load from the seeds (0002, 0005)."""

import datetime
import importlib

from django.apps import apps

from fireledger.hazards import services
from fireledger.hazards.choices import CategoryGroup
from fireledger.hazards.forms import category_choices
from fireledger.hazards.models import DeadlineRule, HazardCategory

MORE = "fireledger.hazards.migrations.0005_more_categories"

HIGH_RISE = [
    ("hr.01", "建筑外墙外保温材料", 2), ("hr.02", "建筑消防设施", 2), ("hr.03", "安全疏散", 4),
    ("hr.04", "灭火救援场地", 2), ("hr.05", "管道井", 2), ("hr.06", "电气燃气管理", 4),
    ("hr.07", "消防控制室", 3), ("hr.08", "微型消防站", 4), ("hr.09", "电动车火灾防范", 2),
    ("hr.10", "日常消防安全管理", 6),
]
MALL = ["消防设施设备", "疏散通道", "初期火灾处置", "主体责任落实", "电气线路", "消防车道"]

PRINCIPLE = ["合法性手续", "装修装饰材料", "防火分隔措施", "消防设施设备", "疏散救援条件",
             "用电安全管理"]
OLD_COMPOUND = ["建筑耐火等级低", "消防水源不足", "消防设施缺失", "疏散通道不畅通", "防火分隔不到位",
                "电气线路老化", "易燃可燃材料装修多", "私搭乱建，“三合一”现象普遍"]
E_BIKE = ["电动自行车进楼入户", "电动自行车在楼道内停放充电", "电动自行车“飞线充电”",
          "违法违规生产、销售电动汽车、电动自行车以及改装电池"]
ESCAPE_ROOM = ["用火用电", "易燃可燃装饰装修", "防火分隔", "安全疏散", "应急通讯"]
LOGISTICS = ["违规混存货物", "违规用火动焊", "违规装卸操作", "违规留宿人员"]
GENERIC = ["消防设施", "疏散通道", "消防车通道", "用火用电", "消防安全管理"]
NEW_CODES = (
    [f"prin.{n}" for n in range(1, 7)] + [f"oc.{n}" for n in range(1, 9)]
    + [f"eb.{n}" for n in range(1, 5)] + ["nb.1", *[f"nb.1.{i}" for i in range(1, 6)], "nb.2",
                                          "nb.3", *[f"nb.3.{i}" for i in range(1, 5)], "nb.4"]
    + [f"gen.{n}" for n in range(1, 6)])


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
    assert before == after and len(after) == 10 + 31 + 6 + 1 + len(NEW_CODES)


def test_ordering_keeps_items_under_their_area(categories):
    codes = list(HazardCategory.objects.values_list("code", flat=True))
    assert codes.index("hr.01") < codes.index("hr.01.2") < codes.index("hr.02") < codes.index(
        "mall.1") < codes.index("other")


def snapshot():
    return list(HazardCategory.objects.values_list(
        "code", "name", "group", "parent__code", "sort_order", "source_doc"))


def test_principle_problems(categories):
    prin = HazardCategory.objects.filter(group=CategoryGroup.PRINCIPLE)
    assert [(c.code, c.name) for c in prin] == [
        (f"prin.{n}", name) for n, name in enumerate(PRINCIPLE, start=1)]
    assert all(c.parent is None and "“三类”重点对象" in c.source_doc for c in prin)


def test_old_compound_problems(categories):
    oc = HazardCategory.objects.filter(group=CategoryGroup.OLD_COMPOUND)
    assert [(c.code, c.name) for c in oc] == [
        (f"oc.{n}", name) for n, name in enumerate(OLD_COMPOUND, start=1)]
    assert all(c.parent is None and "老旧社区" in c.source_doc for c in oc)


def test_e_bike_items_name_the_e_bike_and_cite_their_documents(categories):
    eb = HazardCategory.objects.filter(group=CategoryGroup.E_BIKE)
    assert [(c.code, c.name) for c in eb] == [
        (f"eb.{n}", name) for n, name in enumerate(E_BIKE, start=1)]
    assert all(c.parent is None and "电动" in c.name for c in eb)
    assert "今冬明春" in categories["eb.1"].source_doc
    assert "高层建筑" in categories["eb.2"].source_doc
    assert "老旧小区" in categories["eb.3"].source_doc
    assert "电动车突出风险" in categories["eb.4"].source_doc


def test_new_business_places_and_their_items(categories):
    assert categories["nb.1"].name == "密室逃脱类场所"
    assert [c.name for c in categories["nb.1"].children.all()] == ESCAPE_ROOM
    assert [c.code for c in categories["nb.1"].children.all()] == [
        f"nb.1.{i}" for i in range(1, 6)]
    assert categories["nb.2"].name == "邮件快件处理场所"
    assert categories["nb.3"].name == "大型物流仓储建筑、电子洁净厂房"
    assert [c.name for c in categories["nb.3"].children.all()] == LOGISTICS
    assert categories["nb.4"].name == "电化学储能电站"
    assert not categories["nb.2"].children.exists() and not categories["nb.4"].children.exists()
    nb = HazardCategory.objects.filter(code__startswith="nb.")
    assert all(c.group == CategoryGroup.NEW_BUSINESS and "新业态新领域" in c.source_doc
               for c in nb)
    assert all(c.parent is None for c in nb if c.code.count(".") == 1)


def test_generic_set_is_ours_and_short(categories):
    gen = HazardCategory.objects.filter(code__startswith="gen.")
    assert [c.name for c in gen] == GENERIC
    assert all(c.group == CategoryGroup.GENERIC and c.parent is None and c.source_doc == ""
               for c in gen)


def test_every_category_is_valid_for_its_model(categories):
    assert set(HazardCategory.objects.values_list("group", flat=True)) == set(CategoryGroup.values)
    for c in HazardCategory.objects.filter(code__in=NEW_CODES):
        c.full_clean()  # group among the choices, lengths within the columns
        if c.parent is not None:
            assert c.code.startswith(c.parent.code + ".") and c.group == c.parent.group


def test_ordering_puts_new_groups_between_mall_and_other(categories):
    codes = list(HazardCategory.objects.values_list("code", flat=True))
    assert codes.index("mall.6") < codes.index("prin.1") < codes.index("oc.1") < codes.index(
        "eb.1") < codes.index("nb.1") < codes.index("nb.1.5") < codes.index("nb.2") < codes.index(
        "nb.3.4") < codes.index("nb.4") < codes.index("gen.1") < codes.index("other")


def test_new_loader_is_idempotent(categories):
    loader = importlib.import_module(MORE)
    before = snapshot()
    rules = list(DeadlineRule.objects.values_list("category__code", "is_major", "workdays"))
    loader.add(apps, None)
    loader.add(apps, None)
    assert snapshot() == before
    assert list(DeadlineRule.objects.values_list("category__code", "is_major", "workdays")) == rules
    assert set(NEW_CODES) <= {row[0] for row in before}


def test_new_loader_reverses_and_loads_again(categories):
    """Reversing 0005 needs the checklists that point at its categories gone first, as a real
    rollback of the inspections app's migrations does."""
    from fireledger.inspections.models import ChecklistTemplate, ChecklistVersion

    loader = importlib.import_module(MORE)
    before = snapshot()
    ChecklistVersion.objects.all().delete()
    ChecklistTemplate.objects.all().delete()
    loader.remove(apps, None)
    assert not HazardCategory.objects.filter(code__in=NEW_CODES).exists()
    assert HazardCategory.objects.filter(code="hr.09.1").exists()  # 0002's rows stay
    loader.add(apps, None)
    assert snapshot() == before
    importlib.import_module("fireledger.inspections.migrations.0002_checklists").add(apps, None)


def test_e_bike_in_buildings_gets_one_working_day(categories):
    """责令立即整改: the e-bike categories get one working day; the general defaults stay."""
    rules = dict(DeadlineRule.objects.filter(category__code__startswith="eb.", is_major=False)
                 .values_list("category__code", "workdays"))
    assert rules == {"eb.1": 1, "eb.2": 1, "eb.3": 1}
    assert DeadlineRule.objects.get(category=None, is_major=False).workdays == 10
    assert DeadlineRule.objects.get(category=None, is_major=True).workdays == 30
    from fireledger.core.calendar import add_workdays

    found = datetime.date(2026, 3, 10)
    assert services.default_deadline(categories["eb.2"], False, found, today=found) == (
        add_workdays(found, 1))
    assert services.default_deadline(categories["prin.1"], False, found, today=found) == (
        add_workdays(found, 10))
    assert services.default_deadline(categories["eb.2"], True, found, today=found) == (
        add_workdays(found, 30))


def test_log_form_offers_the_new_leaves_grouped(categories):
    groups = dict(category_choices()[1:])
    names = {label: [name for _pk, name in options] for label, options in groups.items()}
    label = {g: str(g.label) for g in CategoryGroup}
    assert names[label[CategoryGroup.PRINCIPLE]] == PRINCIPLE
    assert names[label[CategoryGroup.OLD_COMPOUND]] == OLD_COMPOUND
    assert names[label[CategoryGroup.E_BIKE]] == E_BIKE
    # Places with listed problems become groups of their own; the others are leaves.
    assert names["密室逃脱类场所"] == ESCAPE_ROOM
    assert names["大型物流仓储建筑、电子洁净厂房"] == LOGISTICS
    assert names[label[CategoryGroup.NEW_BUSINESS]] == ["邮件快件处理场所", "电化学储能电站"]
    assert names[label[CategoryGroup.GENERIC]] == [*GENERIC, "其他"]
    pks = {pk for options in groups.values() for pk, _name in options}
    assert categories["nb.1.1"].pk in pks and categories["nb.1"].pk not in pks
    assert categories["nb.3"].pk not in pks and categories["nb.4"].pk in pks
