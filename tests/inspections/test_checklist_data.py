"""The checklist templates the data migration loads from the seeds (inspections 0002)."""

import importlib

import pytest
from django.apps import apps

from fireledger.hazards.models import HazardCategory
from fireledger.inspections.models import ChecklistItem, ChecklistTemplate, ChecklistVersion
from fireledger.places.choices import Category

LOADER = "fireledger.inspections.migrations.0002_checklists"

# code: (name, at least this many items)
EXPECTED = {
    "high_rise": ("高层建筑", 31),
    "high_rise_street": ("高层建筑（街道排查）", 23),
    "mall": ("商场市场", 6),
    "three_kinds": ("三类对象", 6),
    "old_compound": ("老旧小区", 15),
    "commercial_complex": ("大型商业综合体", 10),
    "nine_small": ("“九小”场所", 6),
    "crowded": ("人员密集场所", 10),
    "heritage": ("文物古建筑", 5),
    "escape_room": ("密室逃脱类场所", 5),
    "express_mail": ("邮件快件处理场所", 2),
    "logistics_warehouse": ("大型物流仓储建筑、电子洁净厂房", 4),
    "energy_storage": ("电化学储能电站", 2),
    "epidemic": ("涉疫场所", 8),
}

pytestmark = pytest.mark.django_db


def texts(code):
    return list(ChecklistItem.objects.filter(template__code=code).values_list("text", flat=True))


def item(code, number):
    return ChecklistItem.objects.select_related("category").get(template__code=code, number=number)


def snapshot():
    return (
        list(ChecklistTemplate.objects.values_list(
            "pk", "code", "name", "place_categories", "source_doc", "sort_order", "is_active")),
        list(ChecklistItem.objects.values_list(
            "pk", "template__code", "number", "area", "text", "category__code", "is_major",
            "workdays", "sort_order")),
        list(ChecklistVersion.objects.values_list("pk", "template__code", "version", "name",
                                                  "items")),
    )


def test_every_template_with_its_items():
    templates = {t.code: t for t in ChecklistTemplate.objects.all()}
    assert set(EXPECTED) <= set(templates)
    for code, (name, at_least) in EXPECTED.items():
        template = templates[code]
        assert template.name == name and template.is_active
        assert template.items.count() >= at_least, code
        assert template.source_doc, code
    # in the order of the list above
    assert list(ChecklistTemplate.objects.values_list("code", flat=True))[:len(EXPECTED)] == list(
        EXPECTED)


def test_high_rise_is_the_high_rise_taxonomy_item_by_item():
    leaves = HazardCategory.objects.filter(group="high_rise", parent__isnull=False).select_related(
        "parent")
    expected = [(f"{int(c.code.split('.')[1])}.{c.code.split('.')[2]}", c.parent.name, c.name,
                 c.code) for c in leaves]
    got = [(i.number, i.area, i.text, i.category.code)
           for i in ChecklistItem.objects.filter(template__code="high_rise")
           .select_related("category")]
    assert got == expected and len(got) == 31
    assert got[0] == ("1.1", "建筑外墙外保温材料", "高层建筑违规采用易燃可燃外保温材料", "hr.01.1")
    assert got[-1] == ("10.6", "日常消防安全管理", "单位未定期组织消防安全培训和消防演练", "hr.10.6")
    assert item("high_rise", "3.1").text == "占用、堵塞、封闭疏散通道、安全出口"


def test_every_item_has_an_existing_category_and_a_valid_row():
    known = set(HazardCategory.objects.values_list("pk", flat=True))
    for i in ChecklistItem.objects.all():
        assert i.category_id in known
        i.full_clean()  # lengths within their columns
    for t in ChecklistTemplate.objects.all():
        t.full_clean()


def test_no_hazard_category_of_our_own():
    """Every item maps to the taxonomy the hazard migrations load; none is added here."""
    assert not HazardCategory.objects.filter(code__startswith="ck.").exists()
    used = set(ChecklistItem.objects.values_list("category__code", flat=True))
    assert used <= set(HazardCategory.objects.values_list("code", flat=True))
    assert {"prin.1", "oc.1", "eb.3", "nb.1.1", "nb.4", "gen.1", "mall.6", "hr.09.1"} <= used


def test_numbers_unique_and_in_sort_order():
    for t in ChecklistTemplate.objects.all():
        numbers = list(t.items.values_list("number", flat=True))
        assert len(numbers) == len(set(numbers)), t.code
        orders = list(t.items.values_list("sort_order", flat=True))
        assert orders == sorted(orders) and len(set(orders)) == len(orders)
    assert list(ChecklistItem.objects.filter(template__code="mall").values_list(
        "number", flat=True)) == ["1", "2", "3", "4", "5", "6"]
    assert list(ChecklistItem.objects.filter(template__code="escape_room").values_list(
        "number", "area")) == [(str(n), "") for n in range(1, 6)]


def test_each_template_has_version_one_equal_to_its_items():
    for t in ChecklistTemplate.objects.all():
        versions = list(t.versions.all())
        assert [v.version for v in versions] == [1], t.code
        assert versions[0].name == t.name
        assert versions[0].items == [i.as_data() for i in t.items.all()]
        assert t.current_version() == versions[0]


def test_loading_twice_changes_nothing():
    loader = importlib.import_module(LOADER)
    before = snapshot()
    loader.add(apps, None)
    loader.add(apps, None)
    assert snapshot() == before


def test_loading_again_keeps_an_existing_version_and_restores_a_missing_item():
    loader = importlib.import_module(LOADER)
    template = ChecklistTemplate.objects.get(code="mall")
    version = template.versions.get()
    template.items.get(number="6").delete()
    loader.add(apps, None)
    assert template.items.filter(number="6").exists()
    assert list(template.versions.all()) == [version]


def test_place_categories_are_valid():
    for t in ChecklistTemplate.objects.all():
        assert t.place_categories, t.code
        assert set(t.place_categories) <= set(Category.values), t.code
        assert len(t.category_labels()) == len(t.place_categories)
    cats = dict(ChecklistTemplate.objects.values_list("code", "place_categories"))
    assert cats["high_rise"] == cats["high_rise_street"] == ["high_rise"]
    assert cats["nine_small"] == ["nine_small", "urban_village_rental"]
    assert {"hotel", "commercial_complex", "heritage"} <= set(cats["three_kinds"])
    assert cats["crowded"] == ["hotel", "entertainment", "school", "kindergarten",
                               "elderly_care", "medical", "religious"]
    assert cats["express_mail"] == ["logistics"]
    assert cats["energy_storage"] == ["energy_storage"] and cats["epidemic"] == ["epidemic"]


def test_seed_words_spot_checks():
    # 001 XX街道高层建筑消防安全三年整治计划实施方案 三、整治重点
    street = item("high_rise_street", "1.1")
    assert (street.area, street.text, street.category.code) == (
        "消防安全管理", "单位是否落实各项消防安全管理规章制度", "hr.10.2")
    assert item("high_rise_street", "4.1").text == "单位是否建立微型消防站并落实“三知四会一联通”要求"
    assert item("high_rise_street", "5.5").text == "市政管网供水压力是否符合要求"
    # 003 附件1.3 二: the sentence of each of the six problems
    mall = item("mall", "1")
    assert (mall.area, mall.category.code) == ("消防设施设备", "mall.1")
    assert mall.text.startswith("消防供水设备故障、水压不足、管网渗漏、报警主机故障")
    assert item("mall", "6").text.endswith("部分车道及救援场地未划设标识标线")
    # 003 附件1.6 二（一）
    assert texts("three_kinds")[:6] == ["合法性手续", "装修装饰材料", "防火分隔措施", "消防设施设备",
                                        "疏散救援条件", "用电安全管理"]
    # 003 附件1.4 二
    complex_texts = texts("commercial_complex")
    assert "至少配备一名注册消防工程师，鼓励配备一级注册消防工程师" in complex_texts
    assert "细化处置流程，确保人员1分钟到场就近从快处置初期火灾" in complex_texts
    # 003 附件1.5 四（四）
    assert "私接燃气管道及用气设备不符合要求" in texts("old_compound")
    assert item("old_compound", "4.4").category.code == "eb.3"  # 电动车违规充电
    # 004 二（四）2, 二（二）1, 二（二）3, 二（三）1, 二（二）2
    assert ["防火分隔不到位", "外墙门窗安装铁栅栏", "违规住人", "用火用电取暖"] == [
        i.text for i in ChecklistItem.objects.filter(template__code="nine_small", area="重点整治问题")]
    assert texts("crowded")[:6] == ["违规用火用电用气", "违规使用易燃可燃材料装饰装修",
                                    "不安装燃气泄漏报警装置", "占堵疏散通道", "损坏停用消防设施",
                                    "员工消防意识淡薄"]
    assert texts("heritage")[:5] == ["用火用电用油", "施工改造", "违章搭建", "储存使用易燃易爆危险品",
                                     "值班值守"]
    assert texts("escape_room") == ["用火用电", "易燃可燃装饰装修", "防火分隔", "安全疏散", "应急通讯"]
    assert [i.category.code for i in ChecklistItem.objects.filter(
        template__code="escape_room").select_related("category")] == [
        f"nb.1.{n}" for n in range(1, 6)]
    assert texts("epidemic")[:3] == ["电器使用", "供氧供气", "压力容器"]
    assert texts("logistics_warehouse")[:4] == ["违规混存货物", "违规用火动焊", "违规装卸操作",
                                                "违规留宿人员"]


def test_sources_name_the_documents_and_our_items():
    docs = dict(ChecklistTemplate.objects.values_list("code", "source_doc"))
    assert "四、整治重点" in docs["high_rise"] and "本系统整理" not in docs["high_rise"]
    assert "商场市场" in docs["mall"] and "本系统整理" not in docs["mall"]
    assert "“强基提能”" in docs["commercial_complex"]
    assert "“三类”重点对象" in docs["three_kinds"]
    assert "今冬明春" in docs["escape_room"] and "今冬明春" in docs["epidemic"]
    # items whose sentence is ours are listed by number
    assert docs["high_rise_street"].endswith("第1.6条为本系统整理（据原文改写）")
    assert "第1.1、1.2、1.3、3.2条为本系统整理" in docs["nine_small"]
    assert "第1、2条为本系统整理" in docs["express_mail"]


def test_major_only_where_the_seed_says_so_and_no_own_periods():
    major = list(ChecklistItem.objects.filter(is_major=True).values_list(
        "template__code", "text"))
    assert major == [("energy_storage", "存在重大事故隐患")]
    assert not ChecklistItem.objects.filter(workdays__isnull=False).exists()
