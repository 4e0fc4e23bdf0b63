"""Reading place sheets: file sniffing, layout and header detection, value normalising. Pure.

No Django import: data in, data out. `imports.py` adds what needs the database (jurisdictions,
existing codes, departments, scope) on top of the rows parsed here.

Two layouts are recognised by their header row (searched in the first `HEADER_SEARCH_ROWS`
rows, never by the title):

* `system`: the system's own template, one header row of Chinese column names (`SYSTEM_COLUMNS`),
  also what the export writes, so an export re-imports;
* `mall_survey`: 附件1.3.2 渝中区商场市场摸底排查情况统计表 of seed 003 (`MALL_COLUMNS`): a title,
  a 填表单位 row, a header whose cells may contain line breaks or be merged over two rows, and
  the sprinkler column twice.

Problems are `Issue`s carrying an English message template (marked with `gettext_noop`, rendered
in the reader's language by the caller) and its parameters; every message names the row as the
user sees it in Excel, the column header as written in the file, and the value.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path


def gettext_noop(message: str) -> str:
    """Marks a message for translation without importing Django (xgettext keyword)."""
    return message


ERROR = "error"
WARNING = "warning"

LAYOUT_SYSTEM = "system"
LAYOUT_MALL = "mall_survey"
HEADER_SEARCH_ROWS = 15
MAX_SHEETS_SEARCHED = 10

# ------------------------------------------------------------------------------------------
# Messages. Every row message has {row}, {column} and {value} available; extra params by name.
# ------------------------------------------------------------------------------------------

M_EMPTY_FILE = gettext_noop("The file is empty.")
M_NOT_XLSX_NAME = gettext_noop("Only Excel workbooks (.xlsx) can be imported.")
M_XLS = gettext_noop(
    "This is an old Excel 97-2003 (.xls) file: open it in Excel or WPS and save it as .xlsx.")
M_CSV = gettext_noop(
    "This looks like a CSV or text file: open it in Excel or WPS and save it as .xlsx.")
M_DOCX = gettext_noop("This is a Word document, not an Excel workbook (.xlsx).")
M_NOT_XLSX = gettext_noop(
    "The file is not a readable .xlsx workbook (it may be damaged or password-protected).")
M_EMPTY_SHEET = gettext_noop("The worksheet has no rows.")
M_NO_HEADER = gettext_noop(
    "No header row found in the first {rows} rows: expected the system template (场所名称, 类别 …) "
    "or the mall survey sheet (商市场名称 …).")
M_NO_DATA = gettext_noop("The sheet has a header row but no data rows.")
M_NO_JURISDICTION_COLUMN = gettext_noop(
    "The sheet has no “所属街道” or “行政区划代码” column, so places cannot be placed in a "
    "jurisdiction.")
M_UNKNOWN_COLUMN = gettext_noop("Row {row}: column “{column}” is not recognised and was ignored.")

M_REQUIRED = gettext_noop("Row {row} “{column}”: this field is required.")
M_APPROX = gettext_noop("Row {row} “{column}”: value “{value}” is approximate; imported as {number}.")
M_ROUNDED = gettext_noop("Row {row} “{column}”: value “{value}” was rounded to {number}.")
M_NOT_NUMBER = gettext_noop("Row {row} “{column}”: value “{value}” is not a number.")
M_NOT_WHOLE = gettext_noop("Row {row} “{column}”: value “{value}” is not a whole number.")
M_NEGATIVE = gettext_noop("Row {row} “{column}”: value “{value}” must not be negative.")
M_TOO_LARGE = gettext_noop("Row {row} “{column}”: value “{value}” is too large (at most {max}).")
M_OUT_OF_RANGE = gettext_noop(
    "Row {row} “{column}”: value “{value}” is outside the range {min} to {max}.")
M_NOT_YEAR = gettext_noop(
    "Row {row} “{column}”: value “{value}” is not a year between {min} and {max}.")
M_NOT_BOOL = gettext_noop("Row {row} “{column}”: value “{value}” is not yes or no (write 是 or 否).")
M_PHONE = gettext_noop(
    "Row {row} “{column}”: value “{value}” does not look like a phone number; imported as written.")
M_TOO_LONG = gettext_noop(
    "Row {row} “{column}”: value “{value}” is longer than {max} characters.")
M_BAD_CODE = gettext_noop(
    "Row {row} “{column}”: value “{value}” is not a 12- or 15-digit division code.")
M_BAD_CATEGORY = gettext_noop("Row {row} “{column}”: value “{value}” is not a place category.")
M_BAD_BUILDING_USE = gettext_noop(
    "Row {row} “{column}”: value “{value}” is not a building use (住宅, 公共, 商住 or 厂房仓库).")
M_BAD_DEPARTMENT = gettext_noop("Row {row} “{column}”: value “{value}” is not a department.")
M_BAD_LISTED_BY = gettext_noop(
    "Row {row} “{column}”: value “{value}” is not 消防救援大队 or 派出所 (leave it blank for "
    "neither).")
M_PLACEHOLDER = gettext_noop(
    "Row {row} “{column}”: value “{value}” is a placeholder from the example row; delete the "
    "row or fill in the real data.")
M_TOTAL_ROW = gettext_noop("Row {row}: a total row (“{value}”) was skipped.")
M_COLUMNS_DISAGREE = gettext_noop(
    "Row {row} “{column}”: the two “{column}” columns disagree (“{value}” and “{other}”); "
    "“{value}” was used.")

# ------------------------------------------------------------------------------------------
# Columns
# ------------------------------------------------------------------------------------------

# Kinds of column: how a cell is read.
TEXT = "text"            # one line, verbatim (line breaks inside joined)
LONG_TEXT = "long_text"  # free text, verbatim with line breaks
PLACE_CODE = "place_code"
CATEGORY = "category"
BUILDING_USE = "building_use"
LISTED_BY = "listed_by"     # who lists the unit for fire supervision (Place.listed_by)
DEPARTMENT = "department"
NAME = "name"            # a jurisdiction name, resolved by imports.py
DIVISION_CODE = "division_code"
PHONE = "phone"
DECIMAL = "decimal"
INTEGER = "integer"
YEAR = "year"
BOOL = "bool"
DEGREES = "degrees"
IGNORE = "ignore"

# Units a number may carry, by what it measures (after NFKC: ㎡ and m² both become "m2").
AREA_UNITS = ("平方米", "平米", "m2", "m^2", "sqm")
LENGTH_UNITS = ("米", "m", "公尺")
FLOOR_UNITS = ("层", "f", "楼")
COUNT_UNITS = ("间", "个", "张", "床", "套", "间房")
YEAR_UNITS = ("年",)
DEGREE_UNITS = ("°", "度")


@dataclass(frozen=True)
class Column:
    """One column of a layout: its header, the field it fills and how a cell is read."""

    header: str
    field: str
    kind: str
    required: bool = False
    max_length: int | None = None
    aliases: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    max_value: int | float | Decimal | None = None
    min_value: int | float | None = 0
    decimals: int = 1
    note: str = ""  # guidance for the template's 填写说明 sheet (gettext_noop'd)


DEC_HEIGHT = Decimal("99999.9")   # Place.height_m: max_digits=6, decimal_places=1
DEC_AREA = Decimal("99999999999.9") # area fields: max_digits=12, decimal_places=1
SMALL_INT = 32767       # PositiveSmallIntegerField
INT = 2147483647        # PositiveIntegerField
YEAR_MIN, YEAR_MAX = 1800, 2100

N_CODE = gettext_noop("Leave blank to number the place automatically; must be unique.")
N_NAME = gettext_noop("The place's name.")
N_CATEGORY = gettext_noop("One of the categories listed below (the Chinese name or the code).")
N_USE = gettext_noop("住宅, 公共, 商住 or 厂房仓库; blank means 公共 (decides the high-rise height).")
N_STREET = gettext_noop(
    "The street's name as the system spells it (e.g. 解放碑街道). Give the street, community "
    "and grid names, or the division code, or both (they must agree).")
N_COMMUNITY = gettext_noop("The community's name, within the street.")
N_GRID = gettext_noop("The grid's name, within the community.")
N_DIVISION = gettext_noop(
    "The 12-digit (15 for a grid) division code; it must lie within your jurisdiction.")
N_DEPARTMENT = gettext_noop(
    "Department name or short name (e.g. 商务); blank means the category's usual department.")
N_UNIT = gettext_noop("Unit name; a unit not yet in the system is added.")
N_PERSON = gettext_noop("Person's name.")
N_PHONE = gettext_noop("Mobile or landline number, e.g. 13800000000 or 023-63000000.")
N_HEIGHT = gettext_noop("Metres, one decimal; “米” or “m” may follow the number.")
N_FLOORS = gettext_noop("Whole number; “层” may follow the number.")
N_AREA = gettext_noop(
    "Square metres, one decimal; ㎡ or 平方米 may follow; “约1000” is imported as 1000 with a "
    "warning.")
N_AREA_TOTAL = gettext_noop(
    "Square metres; only when the areas above and below ground are not known separately.")
N_YEAR = gettext_noop("Four-digit year, e.g. 1998.")
N_COUNT = gettext_noop("Whole number.")
N_BOOL = gettext_noop("是 or 否 (also 有/无, √/×, Y/N); blank means not known.")
N_KEY_UNIT = gettext_noop("是 or 否; blank means 否.")
N_LISTED_BY = gettext_noop(
    "消防救援大队 or 派出所: who lists the unit for fire supervision (hazards found there are "
    "copied to them within 3 working days); blank means neither.")
N_DEGREES = gettext_noop("Decimal degrees (WGS-84), e.g. 106.58 and 29.56.")
N_TEXT = gettext_noop("Free text.")

SYSTEM_COLUMNS: tuple[Column, ...] = (
    Column("场所编号", "code", PLACE_CODE, max_length=40, aliases=("编号", "场所代码"), note=N_CODE),
    Column("场所名称", "name", TEXT, required=True, max_length=200,
           aliases=("名称", "单位名称", "场所(单位)名称"), note=N_NAME),
    Column("类别", "category", CATEGORY, required=True, aliases=("场所类别", "场所类型"),
           note=N_CATEGORY),
    Column("建筑用途", "building_use", BUILDING_USE, note=N_USE),
    Column("所属街道", "street_name", NAME, max_length=100, aliases=("街道", "所属街道(镇)", "街镇"),
           note=N_STREET),
    Column("所属社区", "community_name", NAME, max_length=100, aliases=("社区", "所属社区(村)"),
           note=N_COMMUNITY),
    Column("所属网格", "grid_name", NAME, max_length=100, aliases=("网格",), note=N_GRID),
    Column("行政区划代码", "division_code", DIVISION_CODE, aliases=("区划代码", "辖区代码"),
           note=N_DIVISION),
    Column("地址", "address", TEXT, max_length=300, aliases=("详细地址", "场所地址"), note=N_TEXT),
    Column("所在建筑", "building_name", TEXT, max_length=200, aliases=("建筑名称", "所在建筑名称"),
           note=N_TEXT),
    Column("行业主管部门", "department", DEPARTMENT, aliases=("主管部门",), note=N_DEPARTMENT),
    Column("产权单位", "owner_name", TEXT, max_length=200, note=N_UNIT),
    Column("管理单位", "manager_name", TEXT, max_length=200, note=N_UNIT),
    Column("使用单位", "occupant_name", TEXT, max_length=200, note=N_UNIT),
    Column("消防安全责任人", "responsible_person", TEXT, max_length=50, note=N_PERSON),
    Column("责任人电话", "responsible_phone", PHONE, max_length=30, note=N_PHONE),
    Column("消防安全管理人", "safety_manager", TEXT, max_length=50, note=N_PERSON),
    Column("管理人电话", "safety_manager_phone", PHONE, max_length=30, note=N_PHONE),
    Column("建筑高度（米）", "height_m", DECIMAL, units=LENGTH_UNITS, max_value=DEC_HEIGHT,
           aliases=("建筑高度", "建筑高度(m)"), note=N_HEIGHT),
    Column("地上层数", "floors_above", INTEGER, units=FLOOR_UNITS, max_value=SMALL_INT,
           note=N_FLOORS),
    Column("地下层数", "floors_below", INTEGER, units=FLOOR_UNITS, max_value=SMALL_INT,
           note=N_FLOORS),
    Column("地上建筑面积（㎡）", "area_above", DECIMAL, units=AREA_UNITS, max_value=DEC_AREA,
           aliases=("地上建筑面积", "地上面积"), note=N_AREA),
    Column("地下建筑面积（㎡）", "area_below", DECIMAL, units=AREA_UNITS, max_value=DEC_AREA,
           aliases=("地下建筑面积", "地下面积"), note=N_AREA),
    Column("建筑面积（㎡）", "area_total", DECIMAL, units=AREA_UNITS, max_value=DEC_AREA,
           aliases=("建筑面积", "总建筑面积", "总建筑面积(m2)", "建筑面积(未分地上地下,m2)"),
           note=N_AREA_TOTAL),
    Column("建成年份", "year_built", YEAR, units=YEAR_UNITS, aliases=("建成年代", "建成时间"),
           note=N_YEAR),
    Column("客房数", "guest_rooms", INTEGER, units=COUNT_UNITS, max_value=INT, note=N_COUNT),
    Column("床位数", "beds", INTEGER, units=COUNT_UNITS, max_value=INT, note=N_COUNT),
    Column("有无物业", "has_property_management", BOOL, aliases=("物业管理",), note=N_BOOL),
    Column("重点单位", "is_key_unit", BOOL, aliases=("是否重点单位",), note=N_KEY_UNIT),
    Column("列管单位", "listed_by", LISTED_BY, aliases=("列管部门",), note=N_LISTED_BY),
    Column("火灾自动报警系统", "has_fire_alarm", BOOL, aliases=("是否设置火灾自动报警系统",),
           note=N_BOOL),
    Column("自动喷水灭火系统", "has_sprinkler", BOOL,
           aliases=("是否设置自动喷水灭火系统", "是否设置火灾自动喷水灭火系统"), note=N_BOOL),
    Column("室内消火栓系统", "has_hydrant", BOOL, aliases=("是否设置室内消火栓系统",), note=N_BOOL),
    Column("防烟排烟系统", "has_smoke_control", BOOL, aliases=("是否设置防烟排烟系统",),
           note=N_BOOL),
    Column("微型消防站", "has_micro_station", BOOL, aliases=("是否建有微型消防站",), note=N_BOOL),
    Column("经度", "longitude", DEGREES, units=DEGREE_UNITS, min_value=-180, max_value=180,
           decimals=6, note=N_DEGREES),
    Column("纬度", "latitude", DEGREES, units=DEGREE_UNITS, min_value=-90, max_value=90,
           decimals=6, note=N_DEGREES),
    Column("排查发现的消防安全隐患", "survey_hazards", LONG_TEXT, aliases=("消防安全隐患", "隐患"),
           note=N_TEXT),
    Column("备注", "notes", LONG_TEXT, note=N_TEXT),
)
SYSTEM_HEADERS = tuple(c.header for c in SYSTEM_COLUMNS)

MALL_COLUMNS: tuple[Column, ...] = (
    Column("序号", "", IGNORE),
    Column("商市场名称", "name", TEXT, required=True, max_length=200,
           aliases=("商场市场名称", "商场名称", "市场名称")),
    Column("地址", "address", TEXT, max_length=300),
    Column("联系人", "safety_manager", TEXT, max_length=50),
    Column("电话（手机）", "safety_manager_phone", PHONE, max_length=30,
           aliases=("电话", "手机", "联系电话", "电话(手机号)")),
    Column("面积（平方米）", "area_total", DECIMAL, units=AREA_UNITS, max_value=DEC_AREA,
           aliases=("面积", "建筑面积(m2)", "营业面积(m2)")),
    Column("该市场所在建筑名称", "building_name", TEXT, max_length=200, aliases=("所在建筑名称",)),
    Column("该市场所在建筑的总层数", "floors_above", INTEGER, units=FLOOR_UNITS, max_value=SMALL_INT,
           aliases=("所在建筑总层数", "总层数")),
    Column("是否设置火灾自动报警系统", "has_fire_alarm", BOOL),
    Column("是否设置火灾自动喷水灭火系统", "has_sprinkler", BOOL,
           aliases=("是否设置自动喷水灭火系统",)),
    Column("是否设置室内消火栓系统", "has_hydrant", BOOL),
    Column("是否设置防烟排烟系统", "has_smoke_control", BOOL),
    Column("排查发现的消防安全隐患", "survey_hazards", LONG_TEXT),
    Column("所属街道", "street_name", NAME, max_length=100, aliases=("街道",)),
    Column("备注", "notes", LONG_TEXT),
)
# What every row of the mall survey is, whatever the sheet says: a mall supervised by 商务.
MALL_FIXED = {"category": "mall", "department": "shangwu", "building_use": "public"}

LAYOUTS: dict[str, tuple[Column, ...]] = {LAYOUT_SYSTEM: SYSTEM_COLUMNS, LAYOUT_MALL: MALL_COLUMNS}
# The fields a header must show for its layout to be recognised.
LAYOUT_KEYS = {LAYOUT_SYSTEM: {"name", "category"}, LAYOUT_MALL: {"name"}}
# Fewest matched columns for a header row to count (so one stray "地址" cell is not a header).
LAYOUT_MIN_MATCHES = {LAYOUT_SYSTEM: 2, LAYOUT_MALL: 4}

# The building uses as written in sheets; the first word per code is what the export writes.
BUILDING_USE_WORDS = {
    "住宅": "residential", "居住": "residential", "住宅建筑": "residential",
    "公共": "public", "公共建筑": "public", "公建": "public",
    "商住": "mixed", "商住楼": "mixed", "商住混合": "mixed",
    "厂房仓库": "industrial", "厂房库房": "industrial", "厂房": "industrial", "仓库": "industrial",
    "工业": "industrial",
}
BUILDING_USE_LABEL = {"residential": "住宅", "public": "公共", "mixed": "商住",
                      "industrial": "厂房仓库"}

# Who lists the unit for fire supervision (places.choices.ListedBy), as written in sheets; the
# label is what the export writes. A blank cell, or one of NEITHER_WORDS, means neither.
LISTED_BY_LABEL = {"fire_brigade": "消防救援大队", "police_station": "派出所"}
LISTED_BY_WORDS = {
    "消防救援大队": "fire_brigade", "消防大队": "fire_brigade", "消防救援支队": "fire_brigade",
    "消防支队": "fire_brigade", "消防救援机构": "fire_brigade", "消防": "fire_brigade",
    "派出所": "police_station", "公安派出所": "police_station", "公安": "police_station",
}
NEITHER_WORDS = frozenset({"无", "否", "/", "-", "—"})

# Names people write for the categories besides the catalogue's labels (added to those).
CATEGORY_ALIASES = {
    "商场": "mall", "市场": "mall", "商场市场": "mall", "商市场": "mall",
    "商业综合体": "commercial_complex", "大型商业综合体": "commercial_complex",
    "高层建筑": "high_rise", "高层": "high_rise",
    "老旧小区": "old_compound", "住宅小区": "residential", "小区": "residential",
    "九小场所": "nine_small", "九小": "nine_small", "\u201c九小\u201d场所": "nine_small",
    "城中村": "urban_village_rental", "出租屋": "urban_village_rental",
    "文物古建筑": "heritage", "文物建筑": "heritage",
    "石油化工企业": "petrochemical", "石化企业": "petrochemical",
    "地下空间": "underground", "厂房库房": "factory_warehouse", "厂房仓库": "factory_warehouse",
    "物流仓储": "logistics", "学校": "school", "幼儿园": "kindergarten",
    "养老机构": "elderly_care", "养老院": "elderly_care", "医疗机构": "medical", "医院": "medical",
    "宾馆饭店": "hotel", "宾馆": "hotel", "酒店": "hotel", "饭店": "hotel",
    "宗教活动场所": "religious", "文化娱乐场所": "entertainment", "娱乐场所": "entertainment",
    "密室逃脱": "escape_room", "密室逃脱类场所": "escape_room",
    "电化学储能电站": "energy_storage", "储能电站": "energy_storage", "涉疫场所": "epidemic",
}

TRUE_WORDS = frozenset({
    "是", "有", "√", "✓", "✔", "☑", "y", "yes", "true", "t", "1", "已设置", "设置", "已安装",
    "已建", "已建成", "已配置", "配置", "具备", "对", "是的",
})
FALSE_WORDS = frozenset({
    "否", "无", "×", "✗", "✘", "☒", "x", "n", "no", "false", "f", "0", "未设置", "没有", "未安装",
    "未建", "未配置", "不具备", "不是", "没",
})
_BOOL_FAST = {"是": True, "否": False, "有": True, "无": False, "√": True, "×": False,
              "Y": True, "N": False, "y": True, "n": False}
TOTAL_WORDS = ("合计", "总计", "小计")
PLACEHOLDER = "***"

# ------------------------------------------------------------------------------------------
# Small normalisers
# ------------------------------------------------------------------------------------------


def nfkc(text: str) -> str:
    """Full-width digits, letters and punctuation to their plain forms (０１ → 01, ㎡ → m2)."""
    return unicodedata.normalize("NFKC", text)


_WS = re.compile(r"\s+")


def normalise_header(text) -> str:
    """The comparable form of a header: NFKC, no spaces or line breaks, no '*', units unified."""
    s = nfkc(cell_text(text)).lower()
    s = _WS.sub("", s).replace("*", "")
    s = s.replace("(必填)", "").replace("(选填)", "")
    s = s.replace("平方米", "m2").replace("m²", "m2")
    return s


def normalise_name(text) -> str:
    """The comparable form of a name (jurisdiction, department, category): NFKC, no spaces."""
    return _WS.sub("", nfkc(cell_text(text))).lower()


def cell_text(value) -> str:
    """A cell as the user reads it: '' for blank, 1788 for 1788.0, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="seconds").removesuffix(" 00:00:00")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    return str(value).strip()


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"


def one_line(text: str) -> str:
    """Join a cell's lines: no space between Chinese characters, one space otherwise."""
    if "\n" not in text and "\r" not in text and "\t" not in text:
        return text
    parts = [p.strip() for p in re.split(r"[\r\n\t]+", text) if p.strip()]
    out = parts[0] if parts else ""
    for part in parts[1:]:
        out += ("" if _is_cjk(out[-1]) or _is_cjk(part[0]) else " ") + part
    return out


def long_text(text: str) -> str:
    """Free text kept verbatim but for outer whitespace and Windows line ends."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


class ValueProblem(Exception):
    """A cell that cannot be read as its column's kind: a message template and parameters."""

    def __init__(self, message: str, level: str = ERROR, **params):
        super().__init__(message)
        self.message = message
        self.level = level
        self.params = params


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_PLAIN_NUMBER = re.compile(r"^\s*[+-]?\d+(\.\d+)?\s*$", re.ASCII)
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
APPROX_PREFIXES = ("大约", "将近", "接近", "约为", "约", "近", "≈", "~", "概")
APPROX_SUFFIXES = ("左右", "上下", "以上", "余", "多", "+", "许")


def parse_number(value, *, units: Iterable[str] = (), integer: bool = False, decimals: int = 1,
                 min_value=0, max_value=None) -> tuple[Decimal | int, bool, bool]:
    """A number from a cell: (value, approximate?, rounded?). Raises ValueProblem.

    Accepts full-width digits, thousands separators, a unit after the number (of the column's
    kind), 万 as ×10000, and approximate forms (约1000, 1000左右, 1000余) which set the flag.
    """
    if isinstance(value, bool):
        raise ValueProblem(M_NOT_NUMBER)
    approx = False
    if isinstance(value, (int, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    elif value.__class__ is str and _PLAIN_NUMBER.match(value):
        number = Decimal(value.strip())
    else:
        s = _WS.sub("", nfkc(cell_text(value))).lower()
        changed = True
        while changed:
            changed = False
            for p in APPROX_PREFIXES:
                if s.startswith(p):
                    s, approx, changed = s[len(p):], True, True
            for unit in sorted(units, key=len, reverse=True):
                if unit and s.endswith(unit.lower()):
                    s, changed = s[: -len(unit)], True
            for suffix in APPROX_SUFFIXES:
                if s.endswith(suffix):
                    s, approx, changed = s[: -len(suffix)], True, True
        factor = 1
        if s.endswith("万"):
            s, factor = s[:-1], 10000
        if _THOUSANDS.match(s):
            s = s.replace(",", "")
        if not _NUMBER.match(s):
            raise ValueProblem(M_NOT_NUMBER)
        try:
            number = Decimal(s) * factor
        except InvalidOperation:
            raise ValueProblem(M_NOT_NUMBER) from None
    if not number.is_finite():
        raise ValueProblem(M_NOT_NUMBER)
    if min_value is not None and number < min_value:
        if min_value == 0:
            raise ValueProblem(M_NEGATIVE)
        raise ValueProblem(M_OUT_OF_RANGE, min=min_value, max=max_value)
    if max_value is not None and number > max_value:
        if min_value not in (None, 0):
            raise ValueProblem(M_OUT_OF_RANGE, min=min_value, max=max_value)
        raise ValueProblem(M_TOO_LARGE, max=_plain(Decimal(str(max_value))))
    if integer:
        if number != number.to_integral_value():
            raise ValueProblem(M_NOT_WHOLE)
        return int(number), approx, False
    quantum = Decimal(1).scaleb(-decimals)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    return rounded, approx, rounded != number


def _plain(d: Decimal) -> str:
    """1000 not 1000.0 or 1E+3; 27.5 as is."""
    d = d.normalize()
    return format(d, "f")


def parse_year(value) -> int:
    """A four-digit year; a date cell gives its year."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.year
    try:
        year, _approx, _rounded = parse_number(value, units=YEAR_UNITS, integer=True,
                                               max_value=None)
    except ValueProblem:
        raise ValueProblem(M_NOT_YEAR, min=YEAR_MIN, max=YEAR_MAX) from None
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValueProblem(M_NOT_YEAR, min=YEAR_MIN, max=YEAR_MAX)
    return year


def parse_bool(value) -> bool | None:
    """是/否, 有/无, √/×, Y/N, 1/0, TRUE/FALSE → True/False; blank → None."""
    if value is None or value == "":
        return None
    if value.__class__ is str:
        hit = _BOOL_FAST.get(value.strip())
        if hit is not None:
            return hit
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    s = _WS.sub("", nfkc(cell_text(value))).lower()
    if not s:
        return None
    if s in TRUE_WORDS:
        return True
    if s in FALSE_WORDS:
        return False
    raise ValueProblem(M_NOT_BOOL)


_MOBILE = re.compile(r"^(\+?86)?1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(\(?0\d{2,3}\)?-?)?[1-9]\d{6,7}((-|转|ext\.?)\d{1,6})?$")
_SERVICE = re.compile(r"^(400|800)-?\d{3}-?\d{4}$|^(95|96)\d{3,6}$|^1\d{2}$")
_PHONE_SPLIT = re.compile(r"[、,;/，；\s]+")


def parse_phone(value) -> str:
    """A phone number as text (full-width digits made plain). Raises a *warning* when no part of
    it looks like a Chinese mobile, landline or service number; the text is still kept."""
    s = nfkc(cell_text(value)).strip()
    if not s:
        return ""
    parts = [p for p in _PHONE_SPLIT.split(s) if p]
    compact = [p.replace(" ", "") for p in parts]
    if not all(_MOBILE.match(p) or _LANDLINE.match(p) or _SERVICE.match(p) for p in compact):
        raise ValueProblem(M_PHONE, level=WARNING, text=s)
    return s


_DIVISION = re.compile(r"^\d{12}(\d{3})?$")


def parse_division_code(value) -> str:
    """A 12-digit national division code, or 15 digits for a grid."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = _WS.sub("", nfkc(cell_text(value)))
    if not _DIVISION.match(s):
        raise ValueProblem(M_BAD_CODE)
    return s


def parse_place_code(value) -> str:
    """A place code: plain characters, no spaces (numbers written by Excel as 1001.0 → 1001)."""
    return _WS.sub("", nfkc(cell_text(value)))


# ------------------------------------------------------------------------------------------
# Files and sheets
# ------------------------------------------------------------------------------------------


def sniff_file(source, filename: str = "") -> str | None:
    """Why this file cannot be imported as an .xlsx workbook, or None if it looks like one.

    `source` is a path or a seekable binary file (an upload). Checks the name's extension and
    the content: zip magic and the workbook part; an OLE2 header (.xls), a Word document in a
    zip, or text are named as such.
    """
    if hasattr(source, "read"):
        handle = getattr(source, "file", source)
        return _sniff(handle, (filename or getattr(source, "name", "") or "").lower())
    path = Path(source)
    with path.open("rb") as handle:
        return _sniff(handle, (filename or path.name).lower())


def _sniff(handle, name: str) -> str | None:
    handle.seek(0)
    head = handle.read(4096)
    handle.seek(0)
    if not head:
        return M_EMPTY_FILE
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return M_XLS
    if not head.startswith(b"PK\x03\x04"):
        if name.endswith((".xls", ".et")):
            return M_XLS
        if name.endswith((".csv", ".txt", ".tsv")) or _looks_like_text(head):
            return M_CSV
        return M_NOT_XLSX_NAME if not name.endswith(".xlsx") else M_NOT_XLSX
    try:
        with zipfile.ZipFile(handle) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, EOFError):
        return M_NOT_XLSX
    finally:
        handle.seek(0)
    if "word/document.xml" in names:
        return M_DOCX
    if "xl/workbook.xml" not in names:
        return M_NOT_XLSX
    if not name.endswith((".xlsx", ".xlsm")):
        return M_NOT_XLSX_NAME
    return None


def _looks_like_text(sample: bytes) -> bool:
    if b"\x00" in sample:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(sample) - 4:  # a character cut at the end of the sample
                return True
    return False


@dataclass
class Issue:
    """One problem found in the file: where (row and column as the user sees them) and what."""

    row: int | None
    column: str
    value: str
    level: str
    message: str
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value,
                "level": self.level, "message": self.message, "params": self.params}


@dataclass
class Header:
    """Where the header is, which layout it belongs to and which sheet column fills which field."""

    layout: str
    sheet: str
    row: int                       # Excel row number of the (last) header row
    first_data_row: int            # Excel row number
    columns: list[tuple[int, Column, str]]  # (absolute column index, spec, header as written)
    unknown: list[tuple[int, str]]  # headers not recognised: (column index, text)

    def __post_init__(self):
        counts: dict[str, int] = {}
        for _col, spec, _head in self.columns:
            counts[spec.field] = counts.get(spec.field, 0) + 1
        self.duplicated = {f for f, n in counts.items() if n > 1}
        present = {spec.field: head for _col, spec, head in reversed(self.columns)}
        columns = LAYOUTS[self.layout]
        self.required = [(spec, present.get(spec.field, spec.header))
                         for spec in columns if spec.required]

    def fields(self) -> set[str]:
        return {spec.field for _i, spec, _h in self.columns}


@dataclass
class SheetData:
    """A sheet ready to parse: its header and an iterator over the rows after it."""

    header: Header
    rows: Iterator[tuple[int, list]]  # (Excel row number, cells indexed by absolute column)
    total_rows: int                   # data rows including blank ones (for progress)


class FileProblem(Exception):
    """The file as a whole cannot be imported (no header, empty sheet, unreadable)."""

    def __init__(self, message: str, **params):
        super().__init__(message)
        self.message = message
        self.params = params

    def issue(self) -> Issue:
        return Issue(None, "", "", ERROR, self.message, self.params)


def _lookup_for(columns: tuple[Column, ...]) -> dict[str, Column]:
    table = {}
    for spec in columns:
        for text in (spec.header, *spec.aliases):
            table.setdefault(normalise_header(text), spec)
    return table


_LOOKUPS = {layout: _lookup_for(cols) for layout, cols in LAYOUTS.items()}


def _match(cells: dict[int, str], layout: str):
    lookup = _LOOKUPS[layout]
    matched, unknown = [], []
    for col, text in sorted(cells.items()):
        if not text:
            continue
        spec = lookup.get(normalise_header(text))
        if spec is None:
            unknown.append((col, one_line(text)))
        else:
            matched.append((col, spec, one_line(text)))  # "所属\n街道" is shown as 所属街道
    return matched, unknown


def _score(matched, layout: str) -> int:
    fields = {spec.field for _c, spec, _t in matched if spec.kind != IGNORE}
    if not LAYOUT_KEYS[layout] <= fields or len(fields) < LAYOUT_MIN_MATCHES[layout]:
        return 0
    return len(fields)


def _merged_fill(rows: dict[int, dict[int, str]], merged) -> None:
    """Copy each merged range's anchor text into every cell of the range (within `rows`)."""
    for (r1, c1), (r2, c2) in merged or ():
        anchor = rows.get(r1, {}).get(c1, "")
        if not anchor:
            continue
        for r in range(r1, r2 + 1):
            if r not in rows:
                continue
            for c in range(c1, c2 + 1):
                if not rows[r].get(c):
                    rows[r][c] = anchor


def detect_header(head: list[tuple[int, list]], merged=(), sheet: str = "") -> Header | None:
    """Find the header row among the first rows (Excel row numbers with absolute-column cells).

    A header may span two rows (cells merged vertically, or a group label over sub-labels); the
    two-row reading wins only if it recognises more columns than the top row alone.
    """
    texts: dict[int, dict[int, str]] = {}
    for number, cells in head:
        texts[number] = {i: cell_text(v) for i, v in enumerate(cells) if cell_text(v)}
    filled = {r: dict(c) for r, c in texts.items()}
    # merged ranges come 0-based; head rows are 1-based Excel numbers
    _merged_fill(filled, [((r1 + 1, c1), (r2 + 1, c2)) for (r1, c1), (r2, c2) in merged or ()])
    best = None
    numbers = [n for n, _cells in head]
    for n in numbers:
        for layout in LAYOUTS:
            matched, unknown = _match(filled[n], layout)
            candidates = [(_score(matched, layout), n, n + 1, matched, unknown, 1)]
            if n + 1 in filled and texts.get(n + 1):
                combined = {}
                for col in set(filled[n]) | set(filled[n + 1]):
                    top, bottom = filled[n].get(col, ""), filled[n + 1].get(col, "")
                    combined[col] = top if top == bottom or not bottom else (top + bottom)
                m2, u2 = _match(combined, layout)
                candidates.append((_score(m2, layout), n + 1, n + 2, m2, u2, 2))
            for score, last, first_data, matched_, unknown_, height in candidates:
                # More recognised columns win; then fewer unrecognised ones; then one row.
                rank = (score, -len(unknown_), -height)
                if score and (best is None or rank > best[0]):
                    best = (rank, layout, last, first_data, matched_, unknown_)
    if best is None:
        return None
    _rank, layout, last, first_data, matched, unknown = best
    return Header(layout, sheet, last, first_data, matched, unknown)


def read_sheet(path: str | Path) -> SheetData:
    """Open the workbook with python-calamine and find the first sheet with a known header."""
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception:  # calamine raises its own error types for damaged or encrypted files
        raise FileProblem(M_NOT_XLSX) from None
    saw_rows = False
    sheets = [m.name for m in workbook.sheets_metadata
              if str(getattr(m, "typ", "")).endswith("WorkSheet")] or workbook.sheet_names
    for name in sheets[:MAX_SHEETS_SEARCHED]:
        try:
            sheet = workbook.get_sheet_by_name(name)
        except Exception:
            continue
        if sheet.start is None or sheet.height == 0:
            continue
        saw_rows = True
        # iter_rows yields every row from the sheet's first (A1's) row, but only the columns
        # from the first used one: rows are numbered from 1, columns shifted back by col0.
        col0 = sheet.start[1]
        end_row = sheet.end[0]
        iterator = iter(sheet.iter_rows())

        def absolute(cells, col0=col0):
            return [""] * col0 + list(cells) if col0 else list(cells)

        head = []
        for offset, cells in enumerate(iterator):
            head.append((offset + 1, absolute(cells)))
            if offset + 1 >= HEADER_SEARCH_ROWS + 1:  # one extra row for 2-row headers
                break
        header = detect_header(head, sheet.merged_cell_ranges or (), name)
        if header is None:
            continue

        def rows(head=head, iterator=iterator, header=header, absolute=absolute):
            for number, cells in head:
                if number >= header.first_data_row:
                    yield number, cells
            number = head[-1][0] if head else 0
            for cells in iterator:
                number += 1
                if number >= header.first_data_row:
                    yield number, absolute(cells)

        return SheetData(header, rows(), max(0, end_row + 1 - header.first_data_row + 1))
    if not saw_rows:
        raise FileProblem(M_EMPTY_SHEET)
    raise FileProblem(M_NO_HEADER, rows=HEADER_SEARCH_ROWS)


# ------------------------------------------------------------------------------------------
# Rows
# ------------------------------------------------------------------------------------------


@dataclass
class Vocabulary:
    """Words the caller knows from the database: normalised name → code (see `lookup`)."""

    categories: dict[str, str] = field(default_factory=dict)
    departments: dict[str, str] = field(default_factory=dict)
    building_uses: dict[str, str] = field(default_factory=dict)
    listed_by: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def lookup(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
        """From (word, code) pairs: the first code a normalised word names wins."""
        table: dict[str, str] = {}
        for word, code in pairs:
            if word:
                table.setdefault(normalise_name(word), code)
        return table


def default_vocabulary(category_labels: Iterable[tuple[str, str]] = (),
                       departments: Iterable[tuple[str, str]] = ()) -> Vocabulary:
    """Categories by code, by the given labels and by CATEGORY_ALIASES; building-use words."""
    category_labels = list(category_labels)
    cats = Vocabulary.lookup(
        [(code, code) for _label, code in category_labels]
        + [(label, code) for label, code in category_labels]
        + list((w, c) for w, c in CATEGORY_ALIASES.items()))
    uses = Vocabulary.lookup([(c, c) for c in BUILDING_USE_LABEL]
                             + list(BUILDING_USE_WORDS.items()))
    listed_by = Vocabulary.lookup([(c, c) for c in LISTED_BY_LABEL]
                                  + list(LISTED_BY_WORDS.items()))
    return Vocabulary(cats, Vocabulary.lookup(departments), uses, listed_by)


@dataclass
class ParsedRow:
    """A data row: its Excel number, field values (model field names) and problems."""

    number: int
    values: dict
    issues: list[Issue]
    # Header and shown value of the cells imports.py checks against the database.
    cells: dict[str, tuple[str, str]] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)  # fields whose cell could not be read
    skipped: bool = False

    @property
    def has_errors(self) -> bool:
        return any(i.level == ERROR for i in self.issues)


# Cells kept for the database checks in imports.py (with their header and shown value).
CHECKED_FIELDS = ("code", "name", "address", "street_name", "community_name", "grid_name",
                  "division_code", "department")


def _shown(value) -> str:
    text = cell_text(value)
    return text if len(text) <= 60 else text[:57] + "…"


NO_WARNINGS: tuple = ()
# Kinds read from the cell's text (a number in such a cell is read as it is shown).
TEXT_KINDS = frozenset({"text", "long_text", "name", "phone", "category", "building_use",
                        "department", "listed_by"})


def _text(value) -> str:
    """cell_text, with the common cases (strings, blanks) first."""
    if value.__class__ is str:
        return value.strip()
    return cell_text(value)


def convert(spec: Column, value, vocab: Vocabulary, text: str | None = None):
    """One cell to its field value (None for blank), with any warnings as ValueProblems.

    Returns (value, warnings); raises ValueProblem for an error. `text` is the cell's text when
    the caller has it already.
    """
    kind = spec.kind
    if text is None:
        if value is None:
            return None, NO_WARNINGS
        if kind in TEXT_KINDS or value.__class__ is str:
            text = _text(value)
    if text == "":
        return None, NO_WARNINGS
    if kind in (TEXT, NAME):
        result = one_line(text)
    elif kind == LONG_TEXT:
        result = long_text(text)
    elif kind == PLACE_CODE:
        result = parse_place_code(value)
    elif kind == PHONE:
        try:
            result = parse_phone(text)
        except ValueProblem as problem:
            result = problem.params.pop("text")
            if spec.max_length and len(result) > spec.max_length:
                raise ValueProblem(M_TOO_LONG, max=spec.max_length) from None
            return result, [problem]
    elif kind in (DECIMAL, INTEGER, DEGREES):
        number, approx, rounded = parse_number(
            value, units=spec.units, integer=kind == INTEGER, decimals=spec.decimals,
            min_value=spec.min_value, max_value=spec.max_value)
        warnings = NO_WARNINGS
        if approx:
            warnings = [ValueProblem(M_APPROX, WARNING, number=_plain(Decimal(number)))]
        elif rounded:
            warnings = [ValueProblem(M_ROUNDED, WARNING, number=_plain(Decimal(number)))]
        return (float(number) if kind == DEGREES else number), warnings
    elif kind == YEAR:
        return parse_year(value), NO_WARNINGS
    elif kind == BOOL:
        return parse_bool(value), NO_WARNINGS
    elif kind == DIVISION_CODE:
        return parse_division_code(value), NO_WARNINGS
    elif kind in (CATEGORY, BUILDING_USE, DEPARTMENT, LISTED_BY):
        if kind == LISTED_BY and nfkc(text) in NEITHER_WORDS:
            return None, NO_WARNINGS
        table = {CATEGORY: vocab.categories, BUILDING_USE: vocab.building_uses,
                 DEPARTMENT: vocab.departments, LISTED_BY: vocab.listed_by}[kind]
        code = table.get(text) or table.get(normalise_name(text))
        if code is None:
            raise ValueProblem({CATEGORY: M_BAD_CATEGORY, BUILDING_USE: M_BAD_BUILDING_USE,
                                DEPARTMENT: M_BAD_DEPARTMENT, LISTED_BY: M_BAD_LISTED_BY}[kind])
        return code, NO_WARNINGS
    else:
        return None, NO_WARNINGS
    if spec.max_length and len(result) > spec.max_length:
        raise ValueProblem(M_TOO_LONG, max=spec.max_length)
    return (result or None), NO_WARNINGS


def _is_placeholder(text: str) -> bool:
    return PLACEHOLDER in text or "＊＊＊" in text


def _is_total(text: str) -> bool:
    return "计" in text and any(w in normalise_name(text) for w in TOTAL_WORDS)


def parse_row(header: Header, number: int, cells: list, vocab: Vocabulary) -> ParsedRow | None:
    """One data row, or None when it is blank."""
    width = len(cells)
    mapped = []
    filled = False
    for col, spec, head in header.columns:
        raw = cells[col] if col < width else ""
        if raw.__class__ is str:
            text = raw.strip()
        elif raw is None:
            text = ""
        else:
            text = None  # a number, date or boolean: not blank; its text only when needed
        if text != "":
            filled = True
        mapped.append((spec, head, raw, text))
    if not filled and not any(_text(c) for c in cells):
        return None
    row = ParsedRow(number, {}, [])
    # A trailing 合计 row: its first filled cells say so.
    leading = []
    for c in cells:
        t = _text(c)
        if t:
            leading.append(t)
            if len(leading) == 2:
                break
    if any(_is_total(t) for t in leading):
        row.skipped = True
        row.issues.append(Issue(number, "", leading[0], WARNING, M_TOTAL_ROW))
        return row
    for spec, head, raw, text in mapped:
        if text and spec.kind != IGNORE and _is_placeholder(text):
            row.issues.append(Issue(number, head, _shown(text), ERROR, M_PLACEHOLDER))
            return row
    values, issues, duplicated = row.values, row.issues, header.duplicated
    seen: dict[str, tuple[str, object, str]] = {}
    for spec, head, raw, text in mapped:
        kind = spec.kind
        if kind == IGNORE:
            continue
        name = spec.field
        cell = raw if text is None else text  # what _shown displays, computed only if needed
        try:
            value, warnings = convert(spec, raw, vocab, text)
        except ValueProblem as problem:
            issues.append(Issue(number, head, _shown(cell), problem.level, problem.message,
                                problem.params))
            row.failed.add(name)
            if name in duplicated:
                seen.setdefault(name, (head, None, _shown(cell)))
            continue
        for w in warnings:
            issues.append(Issue(number, head, _shown(cell), w.level, w.message, w.params))
        if name in duplicated:  # the same field twice (the seed's sprinkler column)
            if name in seen:
                first_head, first_value, first_shown = seen[name]
                if value is None:
                    continue
                if first_value is None:
                    seen[name] = (head, value, _shown(cell))
                elif first_value != value:
                    issues.append(Issue(number, head, first_shown, WARNING, M_COLUMNS_DISAGREE,
                                        {"other": _shown(cell)}))
                    continue
                else:
                    continue
            else:
                seen[name] = (head, value, _shown(cell))
        values[name] = value
        if text != "" and name in CHECKED_FIELDS:
            row.cells[name] = (head, _shown(cell))
    for spec, head in header.required:
        if values.get(spec.field) in (None, "") and spec.field not in row.failed:
            issues.append(Issue(number, head, "", ERROR, M_REQUIRED))
    if header.layout == LAYOUT_MALL:
        for key, value in MALL_FIXED.items():
            values.setdefault(key, value)
    return row


def header_issues(header: Header) -> list[Issue]:
    """Warnings about ignored columns, and the error of a sheet that cannot place anything."""
    issues = [Issue(header.row, text, "", WARNING, M_UNKNOWN_COLUMN)
              for _col, text in header.unknown]
    if not header.fields() & {"street_name", "community_name", "grid_name", "division_code"}:
        issues.append(Issue(None, "", "", ERROR, M_NO_JURISDICTION_COLUMN))
    return issues


def parse_rows(sheet: SheetData, vocab: Vocabulary) -> Iterator[ParsedRow]:
    """Every non-blank data row of the sheet, parsed."""
    for number, cells in sheet.rows:
        row = parse_row(sheet.header, number, cells, vocab)
        if row is not None:
            yield row


def render(issue: dict | Issue, translate=lambda s: s) -> str:
    """An issue as a sentence: translate the template, then fill in row, column, value, params."""
    data = issue.as_dict() if isinstance(issue, Issue) else issue
    params = dict(data.get("params") or {})
    params.setdefault("row", data.get("row"))
    params.setdefault("column", data.get("column"))
    params.setdefault("value", data.get("value"))
    template = translate(data["message"])
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
