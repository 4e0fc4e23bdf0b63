"""The plan importer's parser: the text of a campaign plan (工作方案 / 实施方案 / 推进计划) in,
the campaign it proposes out. Pure: standard library only, no Django, no I/O beyond the bytes
handed to `read_text`; the user reviews and corrects everything before it is saved.

    parse_plan(text, departments=None) -> {
        "title", "issuer", "date", "doc_number",          # str or None; date ISO "YYYY-MM-DD"
        "phases":  [{"name", "start", "end"}],
        "tasks":   [{"number", "title", "lead": [], "cooperating": [], "responsible": [],
                     "deadlines": [{"text", "date"}],
                     "targets": [{"text", "metric_hint", "threshold", "unit", "date"}]}],
        "targets": [...],   # ours, beside the issue's shape: targets written outside any task
                            # (goals, phases, requirements), e.g. "完成50%上账隐患整改任务"
        "parts":   [{same keys, without "parts"}],
    }

Every unit in lead / cooperating / responsible is {"text": as written, "code": department code
or None}. Nothing is invented: a field that is not found is None or an empty list, a date that
cannot be resolved to a day is None and its text is kept.

Several plans in one document. A document may bundle plans: attachments (附件1.1 … 附件1.8 in
seed 003) or chapters (第一篇 … in seed 001, plus a plan that starts with its own title and
preamble without a 第X篇 line, plus a flattened task table). The first plan is the main plan
and fills the top level; every further plan is one entry of "parts". A task table (序号 /
整治内容 / 责任单位 / 完成时间 … one cell per line, as a .docx table or a flattened one) gives
the tasks of the plan it is written in when that plan has none of its own, else it is a part
of its own (seed 001's 问题清单、任务清单、责任清单). An attachment that is not a plan (a list of
the leading group, a form) and an attachment of an attachment (附件1.2.1) are left out.

What is recognised:
- Header: the document number on a line of its own (郟政办字〔2020〕65号), the issuing office on
  the line before the signing date, the signing date on a line of its own. Only the lines
  above the plan's title are read for these (the body cites other documents' numbers).
- Title: the title lines above the preamble and the first "一、" section; else the title inside
  "关于印发《…》的通知"; else the 第X篇 line; else a first line ending in 方案 / 计划 / 的通知.
- Sections "一、…". Task sections by their heading (主要任务, 重点任务, 目标任务, 工作任务,
  工作内容, 主要内容, 整治措施, 工作措施, 主要措施, 重点工作), or any section whose items carry
  lead / cooperating units (seed 002 has no such heading). 整治重点 / 治理重点 is a task section
  only when a plan has none of those. Phase sections: 工作步骤, 实施步骤, 时间步骤, 整治步骤,
  时间安排, 进度安排, 时间和步骤, 阶段安排, 方法步骤.
- Items: （一） › 1. / 1、 › （1） › 一是 lines. A task is the item that carries its own lead /
  cooperating / responsible units; otherwise the numbered items (1.) under a group heading
  (（一）), or the group itself when its items are a checklist (lines ending in "；") or when
  its sub-items (（1）) are plain sentences rather than titled tasks. Units written after the
  last sub-item of an item belong to the item. "一是…二是…" inside a task stays its text.
- Numbers: the item markers from the section down, e.g. "（一）1", "（一）3（2）", "7", "（三）".
  When two task sections would give the same number, every number of the plan is prefixed by
  its section ("三、（一）").
- Titles: the item's first sentence (up to "。" or "；" outside quotes and brackets); a first
  sentence longer than 80 characters is cut at its last comma within 80 characters when at
  least 30 are kept. A table row's title is its 整治内容 / 工作任务 cell, its number the 序号.
- Units: lines "牵头单位：… / 牵头部门：… / 配合单位：… / 配合部门：… / 责任单位：… / 责任部门：…"
  after an item (seeds 000, 003), or after the item's last sentence on the same line; a
  bracket at the end of an item "（牵头部门：…。配合部门：…）",
  "（牵头单位：…；配合单位：…）", "（牵头单位：…，配合单位：…）", "(由…牵头，…配合)" (seeds 002,
  003 附件1.5 and 1.6); the 责任单位 / 牵头单位 / 配合单位 columns of a flattened table (seed 001).
  Names are split at 、，；及, and cut before "等…" and "按职责分工负责".
- Deadlines: "2020年12月31日前", "2020年8月前" (read as: before 1 August, i.e. 31 July — our
  reading), "12月底前", "6月底", "2022年底前", "2023年年底前", "年底前", "2020年内", "年内",
  "到2024年"; in a table's 完成时间 column also "2024年", "2024年9月", "2024年底长期坚持". A date
  right after 至 / — (the end of a period) is not a deadline. Without a year, the document's
  year is used (the signing date's, else the year in the plan's title), else the date is None.
- Targets: every percentage ("50%"); a comparison with a number and a unit ("不少于5000人",
  "不低于1000分", "每周不少于3次", "达到10个"); a completion verb with a number and a unit
  ("完成11个老旧小区…", "打造1家以上…", "完成325万平方米…"). The text is the clause (between
  commas) as written; threshold the number (万 multiplied out), unit "%" or the measure word;
  date the nearest date before it in the same sentence (a year alone is its 31 December), else
  None (in a table: the row's next 完成时间; in a phase: the phase's end). metric_hint from
  the clause's wording:
  spot_check_share (抽查), rectified_share (整改, 整治完毕, 销号), compliant_share (达标, 合格),
  trained_share (培训), inspected_share (排查, 检查), reduction (下降, 减少) for percentages;
  frequency (次), area (平方米), count (anything else) otherwise; None when a percentage's
  wording names none of these.
- Phases: each item of a phase section, "（二）组织实施（2021年12月11日至2022年3月25日）": the
  name before the bracket, the period in it. "X前" is an end without a start; "A至B" / "A—B"
  a start and an end (B takes A's year and month when it has none, and the next year when it
  would otherwise end before it starts); "2024年7月" the whole month; "即日起" no start.
- Departments: each name is matched against `departments` — (code, [aliases]) pairs, by default
  DEFAULT_DEPARTMENTS: the departments of core/migrations/0002_departments.py with aliases
  seen in the seeds, and "streets" for the territorial units (各街道办事处, 各管委会, 各乡镇政府,
  各村（居）委会, 属地街道). A name equal to an alias (ignoring a leading 各 / 区 / 县 / 市)
  matches; else the longest alias found at the start of the name or right before a unit word
  (局, 委, 大队 …) does ("县住建", "交警三大队"; not 民政 in "各乡镇人民政府"); else None.
- Files: `read_text` reads .txt (UTF-8 or GB18030) and .docx (word/document.xml with zipfile
  and ElementTree: paragraphs and table cells in document order), so this module stays pure.
"""

from __future__ import annotations

import calendar
import functools
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from xml.etree import ElementTree

# ---------------------------------------------------------------------------------------------
# Departments. The first block copies core/migrations/0002_departments.py (code, name, short
# name) — kept as data here because this module may not import Django; a test checks that the
# two agree. The aliases after it are OUR MAPPING, written from the names the seeds use.

MIGRATION_DEPARTMENTS: list[tuple[str, str, str]] = [
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

STREETS = "streets"

# OUR MAPPING: names in the seeds → the department they mean. Where a name is a county's or
# town's equivalent of a district department, the equivalent is marked "(equivalent)".
SEED_ALIASES: dict[str, list[str]] = {
    "xiaofang": ["消防救援支队", "消防救援大队", "区消防救援大队", "消防救援机构", "消防部门",
                 "专职消防队"],  # 专职消防队: a town's own brigade (equivalent)
    "xiaoanwei": ["消防安全委员会办公室", "消安办", "区消安办", "防火委办公室"],
    "zhujian": ["住建委", "住建局", "区住建委", "区住建局", "住房城乡建设局", "区住房城乡建设局",
                "住房和城乡建设局", "区住房和城乡建设局", "住房城乡建设", "住房和城乡建设",
                "住房城乡建委"],
    "chengguan": ["城管局", "区城管局", "城市管理局", "城市管理", "城管队",
                  "综合行政执法局", "综合行政执法", "综合执法"],  # 综合行政执法 (equivalent)
    "gongan": ["公安局", "公安分局", "派出所", "公安派出所",
               "交警", "交巡警"],  # 交警 / 交巡警: units of the police
    "yingji": ["应急局", "区应急局", "应急管理局", "应急管理"],
    "shangwu": ["商务委", "商务局", "区商务局"],
    "wenlv": ["文旅委", "区文旅委", "文化和旅游局", "区文化和旅游局", "文化旅游", "文化和旅游",
              "文广旅"],
    "jiaoyu": ["教委", "教育局", "教育体育局", "区教育体育局", "教育和体育局", "教体", "教科体"],
    "minzheng": ["民政局"],
    "weijian": ["卫健委", "卫生健康局", "区卫生健康局", "卫生健康"],
    "jingxin": ["经信委", "区经信委", "经济信息", "经济和信息化",
                "工业和信息化", "工信"],  # 工业和信息化局 (equivalent)
    "dashuju": ["大数据局", "区大数据局", "大数据发展局"],
    "shichang": ["市场监管局", "市场监督管理局", "市场监督管理", "市场监管分局"],
    "guizi": ["规资局", "区规资局", "规划自然资源", "规划和自然资源",
              "自然资源局", "区自然资源局", "自然资源",  # 自然资源局 (equivalent)
              "规划所", "自然资源所"],  # a town's planning office (equivalent)
    "caizheng": ["财政局"],
    "fagai": ["发改委", "区发改委", "发展改革", "发展和改革", "发展改革委"],
    "minzong": ["民宗委", "民族宗教", "民族宗教事务局"],
}
STREET_ALIASES = ["各街道办事处", "街道办事处", "街道", "各管委会", "管委会", "各乡镇政府", "乡镇",
                  "镇街", "镇政府", "乡政府", "社区", "各社区", "村（居）委会", "居委会", "村委会",
                  "属地街道"]

DEFAULT_DEPARTMENTS: list[tuple[str, list[str]]] = [
    (code, [name, short, *SEED_ALIASES.get(code, [])])
    for code, name, short in MIGRATION_DEPARTMENTS
] + [(STREETS, STREET_ALIASES)]
_DEFAULT_FROZEN = tuple((code, tuple(aliases)) for code, aliases in DEFAULT_DEPARTMENTS)

# ---------------------------------------------------------------------------------------------
# Patterns

CN_NUM = "一二三四五六七八九十"
L1_RE = re.compile(rf"^([{CN_NUM}]+)\s*[、.．]\s*(.*)$")
L2_RE = re.compile(rf"^[（(]\s*([{CN_NUM}]+)\s*[）)]\s*(.*)$")
L3_RE = re.compile(r"^(\d{1,2})\s*[.、．]\s*(.*)$")
L4_RE = re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*(.*)$")
SEQ_RE = re.compile(rf"^([{CN_NUM}]{{1,3}})是(.+)$")
PIAN_RE = re.compile(rf"^第[{CN_NUM}]+篇\s*[：:]?\s*(.*)$")
ATTACH_RE = re.compile(r"^附件\s*(\d+(?:[.．]\d+)*)\s*[：:]?\s*(.*)$")
DATE_LINE_RE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
DOC_NUMBER_RE = re.compile(r"^[\u4e00-\u9fffA-Za-z]{1,14}\s*[〔［\[【(（]\s*\d{4}\s*[〕］\]】)）]"
                           r"\s*\d{1,4}\s*号$")
ORG_SUFFIX_RE = re.compile(r"(办公室|办事处|人民政府|政府|委员会|局|委|支队|大队|管委会|街道|中心)$")
PLAN_WORD_RE = re.compile(r"(方案|计划|规划)(\s*\d{4}\s*年)?$")
PREAMBLE_START_RE = re.compile(r"^(为|根据|按照|结合|近年来|历年来|自\d|现就|为了|坚持|认真)")

TASK_SECTION_RE = re.compile(r"主要任务|重点任务|目标任务|工作任务|工作内容|主要内容|整治措施|"
                             r"工作措施|主要措施|重点工作")
FALLBACK_TASK_SECTION_RE = re.compile(r"整治重点|治理重点")
PHASE_SECTION_RE = re.compile(r"工作步骤|实施步骤|时间步骤|整治步骤|时间安排|进度安排|时间和步骤|"
                              r"阶段安排|方法步骤|步骤安排")

ROLE_LABELS = {
    "牵头单位": "lead", "牵头部门": "lead", "主责单位": "lead", "主办单位": "lead",
    "责任单位": "responsible", "责任部门": "responsible",
    "配合单位": "cooperating", "配合部门": "cooperating", "协办单位": "cooperating",
    "协助单位": "cooperating", "参与单位": "cooperating",
}
LABEL_RE = re.compile("(" + "|".join(ROLE_LABELS) + r")\s*[：:]")
LABEL_LINE_RE = re.compile("^(" + "|".join(ROLE_LABELS) + r")\s*[：:]")
UNIT_SUFFIX_RE = re.compile(r"(局|委|委会|队|所|站所|办|政府|部门|公司|中心|科|院|部|处|支队|大队|"
                            r"街道|社区|管委会|分局)$")

UNIT_WORD_START = set("局委办部处所队科会站院厅组中司分")
OPENERS, CLOSERS = "（(《“「【〔[", "）)》”」】〕]"
TERMINAL = set("。；;！？!?：:）)》”」】〕]，,、.")

TABLE_HEADER_WORDS = {
    "序号", "整治项目", "整治内容", "突出问题", "责任单位", "整治要求", "完成时间", "牵头单位",
    "配合单位", "责任部门", "牵头部门", "配合部门", "完成时限", "时间节点", "工作任务", "任务",
    "具体措施", "工作措施", "目标任务", "主要内容", "工作内容", "存在问题", "问题", "备注",
    "类别", "项目", "工作要求", "整改要求", "任务清单",
}
TABLE_ROLE_COLUMNS = {"责任单位": "responsible", "责任部门": "responsible", "牵头单位": "lead",
                      "牵头部门": "lead", "配合单位": "cooperating", "配合部门": "cooperating"}
TABLE_DATE_RE = re.compile(r"^(\d{4}\s*年(\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?)?\s*(底|末)?\s*(前)?)"
                           r"\s*(长期坚持|完成|以前)?[。.]?$|^长期坚持$")

# ---------------------------------------------------------------------------------------------
# Small helpers


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int | None, month: int, day: int) -> date | None:
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


_HALF_WIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


def _digits(s: str) -> str:
    return s.translate(_HALF_WIDTH)


def _mask_brackets(text: str) -> str:
    """Blank out 《…》 and 〔…〕 / 【…】 (cited titles and document numbers), keeping positions."""
    out = list(text)
    for open_, close in (("《", "》"), ("〔", "〕"), ("【", "】")):
        start = None
        for i, ch in enumerate(text):
            if ch == open_ and start is None:
                start = i
            elif ch == close and start is not None:
                for j in range(start, i + 1):
                    if out[j] != "\n":
                        out[j] = " "
                start = None
    return "".join(out)


def _balance(s: str) -> int:
    depth = 0
    for ch in s:
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth -= 1
    return depth


def _split_outside(s: str, seps: str) -> list[tuple[int, str]]:
    """Pieces of s split at the characters of seps outside brackets and quotes, with offsets."""
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(s):
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth = max(depth - 1, 0)
        elif ch in seps and depth == 0:
            pieces.append((start, s[start:i]))
            start = i + 1
    pieces.append((start, s[start:]))
    return pieces


def _first_sentence(s: str) -> str:
    s = s.strip()
    pieces = _split_outside(s, "。；;")
    first = pieces[0][1]
    first = first.strip().rstrip("，,：:、 　")
    if len(first) > 80:
        commas = [off for off, _ in _split_outside(first, "，,")[1:] if off - 1 <= 80]
        if commas and commas[-1] - 1 >= 30:
            first = first[: commas[-1] - 1].rstrip("，,：:、 ")
    return _clean_title(first)


# ---------------------------------------------------------------------------------------------
# Departments


def _dept_key(s: str) -> str:
    s = re.sub(r"\s+", "", s).replace("(", "（").replace(")", "）")
    return s


def _strip_level(s: str) -> str:
    for _ in range(2):
        s = re.sub(r"^(?:各|(?:区|县|市)(?![场委]))", "", s)
    return s


@functools.lru_cache(maxsize=32)
def _prepared(table: tuple[tuple[str, tuple[str, ...]], ...]):
    """Alias keys of a department table: exact (name → (order, code)), as written and without
    a leading 各 / 区 / 县 / 市, and the aliases to look for inside a name, longest first."""
    exact: dict[str, tuple[int, str]] = {}
    bare: dict[str, tuple[int, str]] = {}
    inside: list[tuple[int, int, str, str]] = []
    for order, (code, aliases) in enumerate(table):
        for alias in aliases:
            key = _dept_key(alias or "")
            if not key:
                continue
            exact.setdefault(key, (order, code))
            stripped = _strip_level(key)
            if stripped:
                bare.setdefault(stripped, (order, code))
            if len(stripped) >= 2:
                inside.append((-len(stripped), order, stripped, code))
    inside.sort()
    return exact, bare, inside


@functools.lru_cache(maxsize=4096)
def _match(key: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    exact, bare_map, inside = _prepared(table)
    bare = _strip_level(key)
    found = [hit for hit in (exact.get(key), bare_map.get(bare) if bare else None) if hit]
    if found:
        return min(found)[1]
    # else the longest alias found at the start of the name or right before a unit word (局, 委,
    # 大队 …): "县住建" is 住建, "交警三大队" is 交警, but "各乡镇人民政府" is not 民政.
    for _, _, alias, code in inside:
        at = bare.find(alias)
        while at >= 0:
            after = bare[at + len(alias):at + len(alias) + 1]
            if at == 0 or not after or after in UNIT_WORD_START:
                return code
            at = bare.find(alias, at + 1)
    return None


def match_department(text: str,
                     departments: list[tuple[str, list[str]]] | None = None) -> str | None:
    """The code of the department a name as written means, or None (see the module doc)."""
    key = _dept_key(text or "")
    if not key:
        return None
    table = _DEFAULT_FROZEN if departments is None else tuple(
        (code, tuple(aliases or ())) for code, aliases in departments)
    return _match(key, table)


def _clean_unit(piece: str) -> str:
    piece = piece.strip(" 　。.：:，,、；;")
    piece = re.sub(r"^(?:由)", "", piece)
    cut = re.match(r"^(.+?(?:局|委|队|所|办|部|处|科|院|会|中心|站|公司|政府|街道|社区))等.*$",
                   piece)
    if cut:
        piece = cut.group(1)
    piece = re.sub(r"等$", "", piece)
    return piece.strip(" 　")


def _split_units(value: str) -> list[str]:
    value = re.sub(r"(?:等)?(?:部门|单位)?按职责分工负责.*$", "", value.strip())
    out = []
    for piece in re.split(r"[、，,；;]|以及|及", value):
        piece = _clean_unit(piece)
        if piece and piece not in ("各", "等") and len(piece) <= 60:
            out.append(piece)
    return out


def _parse_labelled(s: str) -> list[tuple[str, str]]:
    found = list(LABEL_RE.finditer(s))
    pairs = []
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(s)
        role = ROLE_LABELS[m.group(1)]
        pairs.extend((role, unit) for unit in _split_units(s[m.end():end]))
    return pairs


def _parse_free_attribution(s: str) -> list[tuple[str, str]]:
    """"由各行业主管部门牵头，消防救援大队配合"."""
    pairs = []
    lead = re.search(r"由(.+?)牵头", s)
    if lead:
        pairs.extend(("lead", u) for u in _split_units(lead.group(1)))
    for m in re.finditer(r"(?:^|[，,；;])([^，,；;]+?)(?:协助|配合)", s):
        pairs.extend(("cooperating", u) for u in _split_units(m.group(1)))
    return pairs


_INLINE_START_RE = re.compile(r"[（(](?=\s*(?:(?:" + "|".join(ROLE_LABELS)
                              + r")\s*[：:]|由[^）)]{1,60}牵头))")


def _extract_inline_attribution(line: str) -> tuple[str, list[tuple[str, str]]]:
    """Remove "（牵头部门：…。配合部门：…）" / "(由…牵头，…配合)" from a line (the last few: a line
    carries one or two; an attribution bracket is never longer than 400 characters)."""
    pairs: list[tuple[str, str]] = []
    starts = [m.start() for m in _INLINE_START_RE.finditer(line)][-5:]
    for start in reversed(starts):
        depth, close = 0, None
        for i in range(start, min(len(line), start + 400)):
            if line[i] in "（(":
                depth += 1
            elif line[i] in "）)":
                depth -= 1
                if depth == 0:
                    close = i
                    break
        end = close + 1 if close is not None else min(len(line), start + 400)
        inner = line[start + 1:close if close is not None else end]
        found = _parse_labelled(inner) if LABEL_RE.search(inner) else _parse_free_attribution(inner)
        pairs = found + pairs
        line = (line[:start] + line[end:]).rstrip()
    return line, pairs


def _units(pairs: list[tuple[str, str]], role: str,
           departments: list[tuple[str, list[str]]] | None) -> list[dict]:
    seen, out = set(), []
    for r, text in pairs:
        if r == role and text not in seen:
            seen.add(text)
            out.append({"text": text, "code": match_department(text, departments)})
    return out


# ---------------------------------------------------------------------------------------------
# Dates


@dataclass
class DateHit:
    start: int
    end: int
    text: str
    date: date | None
    deadline: bool


_Y = r"(?:(\d{4})\s*年|(今年|明年|本年))"
_MD_RE = re.compile(_Y + r"?\s*(\d{1,2})\s*月份?\s*(?:(\d{1,2})\s*[日号]|(底|末)|(上旬|中旬|下旬))?"
                    r"\s*(前|以前|之前)?")
_YEND_RE = re.compile(_Y + r"\s*年?\s*(底|末|内)\s*(前|以前|之前)?")
_BARE_YEND_RE = re.compile(rf"(?<![{CN_NUM}两\d年])年\s*(底|末|内)\s*(前|以前|之前)?")
_TO_YEAR_RE = re.compile(r"到\s*(\d{4})\s*年(?!\s*\d|\s*[底末内前度])")
_YEAR_RE = re.compile(r"(\d{4})\s*年(?!\s*\d{1,2}\s*月|\s*[底末内前后起度以年代]|\s*至)")
_THIS_YEAR_RE = re.compile(r"今年(?!\s*\d{1,2}\s*月|\s*年?\s*[底末内])")


def _year_of(groups_y: str | None, rel: str | None, doc_year: int | None) -> int | None:
    if groups_y:
        return int(groups_y)
    if rel == "明年":
        return doc_year + 1 if doc_year else None
    return doc_year


def find_dates(text: str, year: int | None = None, table: bool = False) -> list[DateHit]:
    """Every date expression in text (see the module doc), in order; `table` reads a bare year
    or month as a deadline (a 完成时间 cell)."""
    text = _digits(text)
    hits: list[tuple[int, int, date | None, bool]] = []
    for m in _MD_RE.finditer(text):
        y = _year_of(m.group(1), m.group(2), year)
        month = int(m.group(3))
        if not 1 <= month <= 12:
            continue
        day, month_end, part, before = m.group(4), m.group(5), m.group(6), m.group(7)
        value: date | None = None
        if day:
            value = _safe_date(y, month, int(day))
            deadline = bool(before)
        elif month_end or part == "下旬":
            value = _month_end(y, month) if y else None
            deadline = bool(month_end or before)
        elif part:
            value = _safe_date(y, month, 10 if part == "上旬" else 20)
            deadline = bool(before)
        elif before:
            value = (date(y, month, 1) - timedelta(days=1)) if y else None
            deadline = True
        else:
            value = _month_end(y, month) if y else None
            deadline = table
        hits.append((m.start(), m.end(), value, deadline))
    for m in _YEND_RE.finditer(text):
        y = _year_of(m.group(1), m.group(2), year)
        hits.append((m.start(), m.end(), date(y, 12, 31) if y else None, True))
    for m in _BARE_YEND_RE.finditer(text):
        hits.append((m.start(), m.end(), date(year, 12, 31) if year else None, True))
    for m in _TO_YEAR_RE.finditer(text):
        hits.append((m.start(), m.end(), date(int(m.group(1)), 12, 31), True))
    for m in _YEAR_RE.finditer(text):
        hits.append((m.start(), m.end(), date(int(m.group(1)), 12, 31), table))
    for m in _THIS_YEAR_RE.finditer(text):
        hits.append((m.start(), m.end(), date(year, 12, 31) if year else None, False))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[DateHit] = []
    last_end = -1
    for start, end, value, deadline in hits:
        if start < last_end:
            continue
        raw = text[start:end]
        lead = len(raw) - len(raw.lstrip())
        start += lead
        if start > 0 and text[start - 1] in "至—－~～-" and not table:
            deadline = False
        out.append(DateHit(start, end, text[start:end].strip(), value, deadline))
        last_end = end
    return out


def parse_deadlines(text: str, year: int | None = None, table: bool = False) -> list[dict]:
    """[{"text", "date"}] for the deadlines in text, each once, in order."""
    seen, out = set(), []
    for hit in find_dates(_mask_brackets(text), year, table):
        if hit.deadline and (hit.text, hit.date) not in seen:
            seen.add((hit.text, hit.date))
            out.append({"text": hit.text, "date": _iso(hit.date)})
    return out


def _point(p: str, year: int | None, month: int | None,
           end: bool) -> tuple[date | None, int | None, int | None, bool]:
    """One end of a period: (date, year used, month used, explicit year?)."""
    p = _digits(p).strip().rstrip("。.，,")
    m = re.fullmatch(r"(?:(\d{4})\s*年)?\s*(?:(\d{1,2})\s*月)?\s*(?:(\d{1,2})\s*日)?\s*"
                     r"(底|末|初|上旬|中旬|下旬)?\s*(?:前|以前|之前|止|起|结束)?", p)
    if not m or not any(m.group(i) for i in (1, 2, 3)):
        return None, year, month, False
    y = int(m.group(1)) if m.group(1) else year
    mo = int(m.group(2)) if m.group(2) else (month if m.group(3) else None)
    day, part = m.group(3), m.group(4)
    if y is None:
        return None, None, mo, False
    if mo is None:
        return (date(y, 12, 31) if end else date(y, 1, 1)), y, None, bool(m.group(1))
    if not 1 <= mo <= 12:
        return None, y, None, bool(m.group(1))
    if day:
        value = _safe_date(y, mo, int(day))
    elif part in ("底", "末", "下旬"):
        value = _month_end(y, mo) if end or part != "下旬" else _safe_date(y, mo, 21)
    elif part == "上旬":
        value = _safe_date(y, mo, 10 if end else 1)
    elif part == "中旬":
        value = _safe_date(y, mo, 20 if end else 11)
    elif part == "初":
        value = _safe_date(y, mo, 10 if end else 1)
    else:
        value = _month_end(y, mo) if end else date(y, mo, 1)
    return value, y, mo, bool(m.group(1))


def parse_period(when: str, year: int | None = None) -> tuple[str | None, str | None]:
    """(start, end) ISO dates of a phase's period as written in its bracket."""
    when = re.sub(r"\s+", "", _digits(when or ""))
    if not when or not re.search(r"\d|即日", when):
        return None, None
    parts = re.split(r"至|到|—|－|–|~|～|-", when, maxsplit=1)
    if len(parts) == 2:
        first, second = parts
        if re.fullmatch(r"即日起?|今起|即日起始|发文之日起", first):
            start, y, mo = None, year, None
        else:
            start, y, mo, _ = _point(first, year, None, end=False)
        finish, _, _, explicit = _point(second, y, mo, end=True)
        if start and finish and finish < start and not explicit:
            try:
                finish = finish.replace(year=finish.year + 1)
            except ValueError:
                finish = None
        return _iso(start), _iso(finish)
    if re.search(r"(前|以前|之前|止)$", when):
        return None, _iso(_point(when, year, None, end=True)[0])
    start = _point(when, year, None, end=False)[0]
    finish = _point(when, year, None, end=True)[0]
    if re.search(r"起$", when):
        finish = None
    return _iso(start), _iso(finish)


# ---------------------------------------------------------------------------------------------
# Targets

_UNITS = "个课时|课时|万平方米|平方米|万个|万人|个|家|栋|处|人|名|次|分|所|座|项|支|台|条|场|户"
_PCT_RE = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_CMP_RE = re.compile(r"(?:不少于|不低于|不得少于|不得低于|至少|超过|多于|不小于|达到)"
                     r"[^\d，。；,;：:、\n%]{0,7}?(\d+(?:\.\d+)?)\s*(万)?\s*(" + _UNITS + ")")
_VERB_RE = re.compile(r"(?:完成|建成|新增|新建|打造|建立|配备|安装)"
                      r"[^\d，。；,;：:、\n%]{0,6}?(\d+(?:\.\d+)?)\s*(万)?\s*(" + _UNITS + ")")


def _hint(clause: str, unit: str) -> str | None:
    if unit == "%":
        for pattern, hint in (("抽查", "spot_check_share"), ("整改|整治完毕|销号|销案", "rectified_share"),
                              ("达标|合格", "compliant_share"), ("培训", "trained_share"),
                              ("排查|检查", "inspected_share"), ("下降|减少", "reduction")):
            if re.search(pattern, clause):
                return hint
        return None
    if unit == "次":
        return "frequency"
    if unit == "平方米":
        return "area"
    return "count"


def _number(value: str, wan: str | None, unit: str) -> tuple[float | int, str]:
    number = float(value)
    if wan or unit.startswith("万"):
        number *= 10000
        unit = unit.lstrip("万")
    if unit == "个课时":
        unit = "课时"
    return (int(number) if number == int(number) else number), unit


def parse_targets(text: str, year: int | None = None,
                  default_date: str | None = None) -> list[dict]:
    """[{"text", "metric_hint", "threshold", "unit", "date"}] for the quantitative targets in
    text (see the module doc), in order."""
    masked = _digits(_mask_brackets(text))
    dates = find_dates(masked, year)
    found: dict[int, tuple[int, float | int, str]] = {}
    for m in _PCT_RE.finditer(masked):
        found.setdefault(m.start(1), (m.end(), *_number(m.group(1), None, "%")))
    for regex in (_CMP_RE, _VERB_RE):
        for m in regex.finditer(masked):
            found.setdefault(m.start(1), (m.end(), *_number(m.group(1), m.group(2), m.group(3))))
    out = []
    for pos in sorted(found):
        _end, threshold, unit = found[pos]
        line_start = masked.rfind("\n", 0, pos) + 1
        line_end = masked.find("\n", pos)
        line_end = len(masked) if line_end < 0 else line_end
        line = masked[line_start:line_end]
        clause = ""
        for off, piece in _split_outside(line, "，,；;。"):
            if off <= pos - line_start <= off + len(piece):
                clause = text[line_start + off: line_start + off + len(piece)].strip(" 　")
                clause_masked = piece
                break
        else:  # pragma: no cover - every position lies in some piece
            clause_masked = line
        sentence_start = max(masked.rfind(ch, 0, pos) for ch in "。！？!?\n") + 1
        when = None
        for hit in dates:
            if sentence_start <= hit.start and hit.end <= pos and hit.date:
                when = _iso(hit.date)
        out.append({"text": clause, "metric_hint": _hint(clause_masked, unit),
                    "threshold": threshold, "unit": unit, "date": when or default_date})
    return out


# ---------------------------------------------------------------------------------------------
# Lines


@dataclass
class Line:
    text: str
    blank_before: bool = False


def _is_marker(s: str) -> bool:
    return bool(L1_RE.match(s) or L2_RE.match(s) or _l3(s) or L4_RE.match(s) or SEQ_RE.match(s)
                or PIAN_RE.match(s) or ATTACH_RE.match(s) or LABEL_LINE_RE.match(s)
                or re.match(r"^[（(]\s*(牵头|配合|责任|由)", s))


def _l3(s: str):
    m = L3_RE.match(s)
    if not m or re.match(r"^\d{1,2}(?:[.．]\d|[“《])", m.group(2)):
        return None
    return m


def _raw_lines(text: str) -> list[Line]:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = re.sub(r"\[bookmark:[^\]]*\]", "", text)
    lines, blank = [], False
    for raw in text.split("\n"):
        s = raw.strip(" \t\u3000\xa0\u200b")
        s = re.sub(r"^\*\*|\*\*$", "", s).strip(" \t\u3000\xa0")
        if not s:
            blank = True
            continue
        lines.append(Line(s, blank))
        blank = False
    return lines


def _table_header_at(lines: list[Line], i: int) -> int:
    """The length of a table header run starting at line i, or 0."""
    n = 0
    while i + n < len(lines) and lines[i + n].text in TABLE_HEADER_WORDS:
        n += 1
    run = [lines[j].text for j in range(i, i + n)]
    if n >= 4 and any(w in TABLE_ROLE_COLUMNS for w in run):
        return n
    return 0


def _join_lines(lines: list[Line]) -> tuple[list[Line], set[int]]:
    """Join lines broken inside a sentence or a bracket; return them with the indexes that
    start a task table's header."""
    table_from: set[int] = set()
    i = 0
    out: list[Line] = []
    in_table = False
    while i < len(lines):
        line = Line(lines[i].text, lines[i].blank_before)
        if not in_table and _table_header_at(lines, i):
            in_table = True
            table_from.add(len(out))
        if PIAN_RE.match(line.text) or ATTACH_RE.match(line.text) or L1_RE.match(line.text):
            in_table = False
        i += 1
        joins = 0
        while not in_table and i < len(lines) and joins < 3:
            nxt = lines[i].text
            if _is_marker(nxt) or _table_header_at(lines, i):
                break
            if nxt[0] in "。，；、）)》”：":
                pass
            elif _balance(line.text) > 0:
                pass
            elif (len(line.text) >= 30 and line.text[-1] not in TERMINAL
                  and re.search(r"[，。；,]", line.text) and not DATE_LINE_RE.match(nxt)):
                pass
            else:
                break
            line.text += nxt
            i += 1
            joins += 1
        out.append(line)
    return out, table_from


def _title_like(s: str) -> bool:
    return (len(s) <= 50 and s[-1] not in "。；;：:，," and not _is_marker(s)
            and not DATE_LINE_RE.match(s) and not DOC_NUMBER_RE.match(s)
            and not s.startswith(("（", "(")) and not re.search(r"[。；]", s))


# ---------------------------------------------------------------------------------------------
# Segments (the plans of a bundle)


@dataclass
class Segment:
    kind: str  # "plan" | "table" | "skip"
    lines: list[Line]
    marker_title: str | None = None
    host: int | None = None  # a table: the plan it was written in


def _segments(lines: list[Line], table_from: set[int]) -> list[Segment]:
    segments: list[Segment] = [Segment("plan", [])]
    target = segments[0]  # the segment the next ordinary line belongs to
    attachments: list[str] = []
    seen_l1 = False
    for i, line in enumerate(lines):
        s = line.text
        pian = PIAN_RE.match(s)
        attach = ATTACH_RE.match(s)
        if pian:
            target = Segment("plan", [], pian.group(1).strip() or None)
            segments.append(target)
            seen_l1 = False
            continue
        if attach:
            number = attach.group(1).replace("．", ".")
            sub = any(number.startswith(a + ".") for a in attachments)
            attachments.append(number)
            target = Segment("skip" if sub else "plan", [], attach.group(2).strip() or None)
            segments.append(target)
            seen_l1 = False
            continue
        if i in table_from:
            # the title lines just above the header belong to the table
            title_lines: list[Line] = []
            current = target.lines
            while (current and len(title_lines) < 2 and len(current[-1].text) <= 30
                   and not re.search(r"[。；;]", current[-1].text)
                   and not _is_marker(current[-1].text)):
                title_lines.insert(0, current.pop())
            host = segments.index(target) if target.kind == "plan" else target.host
            target = Segment("table", [*title_lines, line], host=host)
            segments.append(target)
            continue
        if target.kind == "table" and L1_RE.match(s) and target.host is not None:
            target = segments[target.host]  # the plan goes on after its table
        if (seen_l1 and target.kind == "plan" and _title_like(s) and PLAN_WORD_RE.search(s)
                and i + 1 < len(lines)
                and (PREAMBLE_START_RE.match(lines[i + 1].text) or L1_RE.match(lines[i + 1].text))):
            target = Segment("plan", [])
            segments.append(target)
            seen_l1 = False
        if L1_RE.match(s):
            seen_l1 = True
        target.lines.append(line)
    return segments


# ---------------------------------------------------------------------------------------------
# Items and tasks


@dataclass
class Node:
    level: int
    marker: str
    text: str
    body: list[str] = field(default_factory=list)
    children: list["Node"] = field(default_factory=list)
    attrs: list[tuple[str, str]] = field(default_factory=list)


def _item(s: str) -> tuple[int, str, str] | None:
    m = L2_RE.match(s)
    if m:
        return 2, f"（{m.group(1)}）", m.group(2)
    m = _l3(s)
    if m:
        return 3, m.group(1), m.group(2)
    m = L4_RE.match(s)
    if m:
        return 4, f"（{m.group(1)}）", m.group(2)
    m = SEQ_RE.match(s)
    if m:
        return 5, f"{m.group(1)}是", m.group(2)
    return None


def _tree(lines: list[str]) -> Node:
    root = Node(1, "", "")
    stack = [root]
    for s in lines:
        if LABEL_LINE_RE.match(s):
            stack[-1].attrs.extend(_parse_labelled(s))
            continue
        s, inline = _extract_inline_attribution(s)
        trailing = re.search(r"(?<=[。；;])\s*(?=(?:" + "|".join(ROLE_LABELS) + r")\s*[：:])", s)
        if trailing:  # "…整改到位。牵头单位：区住建委；配合单位：各街道。"
            inline = inline + _parse_labelled(s[trailing.end():])
            s = s[:trailing.start()]
        item = _item(s)
        if item:
            level, marker, text = item
            while stack[-1].level >= level:
                stack.pop()
            node = Node(level, marker, text.strip(), attrs=inline)
            stack[-1].children.append(node)
            stack.append(node)
            continue
        stack[-1].attrs.extend(inline)
        if s.strip(" 。.，,；;"):
            stack[-1].body.append(s)
    return root


def _has_attrs(node: Node) -> bool:
    return bool(node.attrs) or any(_has_attrs(c) for c in node.children)


def _titled(node: Node) -> bool:
    pieces = _split_outside(node.text, "。")
    first = pieces[0][1]
    return (len(pieces) > 1 or bool(node.body) or bool(node.children)) and len(first) <= 30 \
        and not re.search(r"[，,；;：:]", first) and len(first) >= 2


def _checklist(children: list[Node]) -> bool:
    return any(c.text.rstrip().endswith(("；", ";")) for c in children)


def _choose(node: Node) -> list[tuple[Node, list[str]]]:
    """The tasks under node, each with its path of markers."""
    kids = node.children
    if not kids:
        return [(node, [])]
    with_attrs = [k for k in kids if _has_attrs(k)]
    if len(with_attrs) == 1 and with_attrs[0] is kids[-1] and not kids[-1].children:
        node.attrs.extend(kids[-1].attrs)
        kids[-1].attrs = []
        with_attrs = []
    if len(with_attrs) >= 2:
        split = True
    elif node.attrs and node.level > 1:
        split = False
    elif _checklist(kids):
        split = False
    elif kids[0].level <= 3:
        split = True
    else:
        split = sum(_titled(k) for k in kids) * 2 > len(kids)
    if not split:
        return [(node, [])]
    out = []
    for kid in kids:
        for task, path in _choose(kid):
            out.append((task, [kid.marker, *path]))
    return out


def _all_text(node: Node) -> list[str]:
    lines = [node.text, *node.body]
    for kid in node.children:
        lines.extend(_all_text(kid))
    return [s for s in lines if s]


def _task_dict(node: Node, number: str | None, year: int | None,
               departments: list[tuple[str, list[str]]] | None) -> dict:
    text = "\n".join(_all_text(node))
    title = _first_sentence(node.text) if node.text else (
        _first_sentence(node.body[0]) if node.body else None)
    return {
        "number": number,
        "title": title or None,
        "lead": _units(node.attrs, "lead", departments),
        "cooperating": _units(node.attrs, "cooperating", departments),
        "responsible": _units(node.attrs, "responsible", departments),
        "deadlines": parse_deadlines(text, year),
        "targets": parse_targets(text, year),
    }


# ---------------------------------------------------------------------------------------------
# A plan


def _title_block(lines: list[Line], first_l1: int) -> tuple[int, int] | None:
    """(start, end) of the title lines above the first section (end exclusive)."""
    i = first_l1 - 1
    if i >= 0 and not _title_like(lines[i].text):
        i -= 1  # the preamble
    end = i + 1
    start = end
    while i >= 0 and _title_like(lines[i].text) and end - i <= 3:
        start = i
        if lines[i].blank_before:
            break
        i -= 1
    return (start, end) if start < end else None


def _notice_title(lines: list[Line]) -> str | None:
    for line in lines[:12]:
        m = re.search(r"印发\s*《(.+?)》", line.text) or re.search(r"关于印发(.+?)的通知", line.text)
        if m:
            return re.sub(r"\s+", "", m.group(1))
    return None


def _clean_title(s: str) -> str:
    s = re.sub(r"\s+(?=[\u4e00-\u9fff\d“《])|(?<=[\u4e00-\u9fff\d”》])\s+", "", s.strip())
    return s.strip("*")


def _header(lines: list[Line]) -> dict:
    out = {"issuer": None, "date": None, "doc_number": None}
    for i, line in enumerate(lines):
        s = line.text
        if out["doc_number"] is None and DOC_NUMBER_RE.match(s):
            out["doc_number"] = re.sub(r"\s+", "", s)
        m = DATE_LINE_RE.match(s)
        if m and out["date"] is None:
            out["date"] = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if i > 0 and ORG_SUFFIX_RE.search(lines[i - 1].text) and len(lines[i - 1].text) <= 30:
                out["issuer"] = re.sub(r"\s+", "", lines[i - 1].text)
    if out["issuer"] is None and lines:
        first = lines[0].text
        m = re.match(r"^(.{2,30}?(?:人民政府办公室|办公室|办事处|人民政府|委员会))(?:关于|印发|$)", first)
        if m:
            out["issuer"] = m.group(1)
    return out


def _year_in(s: str | None) -> int | None:
    m = re.search(r"(\d{4})\s*年", _digits(s or ""))
    return int(m.group(1)) if m else None


def _parse_plan_lines(lines: list[Line], marker_title: str | None, doc_year: int | None,
                      departments: list[tuple[str, list[str]]] | None) -> dict:
    l1 = [i for i, line in enumerate(lines) if L1_RE.match(line.text)]
    first_l1 = l1[0] if l1 else len(lines)
    block = _title_block(lines, first_l1) if l1 else None
    title = None
    if block:
        title = _clean_title("".join(line.text for line in lines[block[0]:block[1]]))
        head_end = block[0]
    else:
        first_item = next((i for i, line in enumerate(lines)
                           if _item(line.text) or LABEL_LINE_RE.match(line.text)), len(lines))
        head_end = min(first_l1, first_item, 12)
    if not title:
        title = _notice_title(lines[:head_end + 1]) or (
            _clean_title(marker_title) if marker_title else None)
    if not title:
        for line in lines[:5]:
            if _title_like(line.text) and (PLAN_WORD_RE.search(line.text)
                                           or re.search(r"的通知$", line.text)):
                title = _clean_title(line.text)
                break
    header = _header(lines[:head_end])
    year = header["date"].year if header["date"] else (doc_year or _year_in(title))

    preamble = [line.text for line in lines[(block[1] if block else 0):first_l1]] if l1 else []
    sections = []
    for k, start in enumerate(l1):
        end = l1[k + 1] if k + 1 < len(l1) else len(lines)
        heading = L1_RE.match(lines[start].text)
        sections.append((heading.group(1), heading.group(2).strip(),
                         [line.text for line in lines[start + 1:end]]))
    if not l1 and lines:
        body = [line.text for line in lines[head_end:]]
        sections.append(("", "", body))
        preamble = []

    trees = [(num, heading, body, _tree(body)) for num, heading, body in sections]
    task_idx = [k for k, (_, heading, _, tree) in enumerate(trees)
                if TASK_SECTION_RE.search(heading) or _has_attrs(tree)]
    if not task_idx:
        task_idx = [k for k, (_, heading, _, _) in enumerate(trees)
                    if FALLBACK_TASK_SECTION_RE.search(heading)]
    phase_idx = [k for k, (_, heading, _, _) in enumerate(trees)
                 if PHASE_SECTION_RE.search(heading) and k not in task_idx]

    chosen: list[tuple[str, Node, list[str]]] = []
    for k in task_idx:
        num, _, _, tree = trees[k]
        if not tree.children:
            continue
        for node, path in _choose(tree):
            if node is tree:
                continue
            chosen.append((num, node, path))
    numbers = ["".join(path) for _, _, path in chosen]
    prefix = len(set(numbers)) != len(numbers)
    tasks = [_task_dict(node, (f"{num}、" if prefix and num else "") + "".join(path) or None,
                        year, departments)
             for num, node, path in chosen]

    phases, plan_targets = [], []
    unplaced: list[str] = list(preamble)
    for k, (_, heading, body, tree) in enumerate(trees):
        if k in task_idx:
            unplaced.extend(tree.body)  # the section's own lines, above its first item
        elif k not in phase_idx:
            unplaced.extend([heading, *body])
    for k in phase_idx:
        tree = trees[k][3]
        unplaced.extend([trees[k][1], *tree.body])
        items = [c for c in tree.children if c.level == 2] or \
                [c for c in tree.children if c.level == 3]
        for item in tree.children:
            if item not in items:
                unplaced.extend(_all_text(item))
        for item in items:
            m = re.match(r"^([^（(。；，]{1,20}?)\s*[（(]([^）)]*)[）)]", item.text)
            start = end = None
            if m:
                start, end = parse_period(m.group(2), year)
                phases.append({"name": m.group(1).strip(), "start": start, "end": end})
            else:
                name = _first_sentence(item.text)
                if name and len(name) <= 12:
                    phases.append({"name": name, "start": None, "end": None})
            # a target written in a phase is due by the phase's end
            plan_targets.extend(parse_targets("\n".join(_all_text(item)), year, default_date=end))
    plan_targets = parse_targets("\n".join(unplaced), year) + plan_targets

    return {
        "title": title or None,
        "issuer": header["issuer"],
        "date": _iso(header["date"]),
        "doc_number": header["doc_number"],
        "phases": phases,
        "tasks": tasks,
        "targets": plan_targets,
    }, year


def _unit_like(piece: str) -> bool:
    piece = piece.strip()
    return bool(UNIT_SUFFIX_RE.search(piece)) or (len(piece) <= 6 and bool(match_department(piece)))


def _classify_cell(s: str) -> str:
    if TABLE_DATE_RE.match(_digits(s)):
        return "date"
    pieces = [p for p in re.split(r"[、；;，,]|及", s) if p.strip()]
    if pieces and not re.search(r"[。：:%“”《》]", s) and all(len(p) <= 20 for p in pieces):
        if sum(_unit_like(p) for p in pieces) * 10 >= 6 * len(pieces):
            return "unit"
    if len(s) <= 30 and not re.search(r"[，,。；;：:%、！？]", s):
        return "title"
    return "text"


def _parse_table(lines: list[Line], year: int | None,
                 departments: list[tuple[str, list[str]]] | None) -> dict:
    texts = [line.text for line in lines]
    header_at = next(i for i in range(len(lines)) if _table_header_at(lines, i))
    header_len = _table_header_at(lines, header_at)
    header = texts[header_at:header_at + header_len]
    title_lines = [t for t in texts[:header_at] if not t.startswith(("（", "("))]
    roles = [TABLE_ROLE_COLUMNS[w] for w in header if w in TABLE_ROLE_COLUMNS] or ["responsible"]
    cells = texts[header_at + header_len:]
    kinds = [_classify_cell(c) for c in cells]

    records: list[dict] = []
    units_seen: list[str] = []
    cur: dict | None = None

    def new(title: str | None) -> dict:
        rec = {"number": None, "title": title, "units": [], "deadlines": [], "targets": [],
               "started": False, "closed": False}
        records.append(rec)
        return rec

    def next_date(k: int) -> str | None:
        for j in range(k + 1, len(cells)):
            if kinds[j] == "date":
                hits = find_dates(cells[j], year, table=True)
                return _iso(hits[0].date) if hits else None
            if kinds[j] in ("unit",) or (kinds[j] == "title" and j + 1 < len(cells)
                                          and kinds[j + 1] != "date"):
                return None
        return None

    for k, cell in enumerate(cells):
        kind = kinds[k]
        following = kinds[k + 1] if k + 1 < len(cells) else None
        if kind == "title" and following != "date":
            if cur is None or cur["started"] or cur["closed"]:
                cur = new(cell)
            else:
                cur["title"] = cell
            if re.fullmatch(r"\d{1,3}", _digits(cell)):  # the 序号 column
                cur["number"], cur["title"] = _digits(cell), None
            continue
        if kind == "date":
            if cur is None:
                cur = new(None)
            cur["started"] = True
            hits = find_dates(cell, year, table=True)
            value = _iso(hits[0].date) if hits else None
            if not any(d["text"] == cell for d in cur["deadlines"]):
                cur["deadlines"].append({"text": cell, "date": value})
            if "长期坚持" in cell:
                cur["closed"] = True
            continue
        if kind == "unit":
            if cur is None or cur["closed"]:
                cur = new(None)
            cur["started"] = True
            cur["units"].append(cell)
            if cell not in units_seen:
                units_seen.append(cell)
            continue
        # text (or a title-like requirement right before its 完成时间)
        if cur is None or cur["closed"]:
            cur = new(None)
        if not cur["units"] and following != "date":
            for seen in units_seen:  # a 突出问题 cell run together with the 责任单位 cell
                if cell.endswith(seen) and len(cell) > len(seen):
                    cur["units"].append(seen)
                    break
            cur["started"] = True
            continue
        cur["started"] = True
        cur["targets"].extend(parse_targets(cell, year, default_date=next_date(k)))
        for deadline in parse_deadlines(cell, year):
            if deadline not in cur["deadlines"]:
                cur["deadlines"].append(deadline)

    tasks = []
    for rec in records:
        pairs: list[tuple[str, str]] = []
        for n, cell in enumerate(rec["units"]):
            role = roles[n % len(roles)] if len(roles) > 1 else roles[0]
            pairs.extend((role, u) for u in _split_units(cell))
        if not (rec["title"] or pairs or rec["deadlines"] or rec["targets"]):
            continue
        tasks.append({
            "number": rec["number"], "title": rec["title"],
            "lead": _units(pairs, "lead", departments),
            "cooperating": _units(pairs, "cooperating", departments),
            "responsible": _units(pairs, "responsible", departments),
            "deadlines": rec["deadlines"], "targets": rec["targets"],
        })
    return {"title": _clean_title(title_lines[0]) if title_lines else None, "issuer": None,
            "date": None, "doc_number": None, "phases": [], "tasks": tasks, "targets": []}


def parse_plan(text: str, departments: list[tuple[str, list[str]]] | None = None) -> dict:
    """The campaign a plan document proposes (see the module doc for the shape and the rules)."""
    lines, table_from = _join_lines(_raw_lines(text))
    segments = _segments(lines, table_from)
    plans: list[dict] = []
    parsed: dict[int, tuple[dict, int | None]] = {}  # segment index → (plan, its year)
    doc_year = None
    main_seen = False
    for index, seg in enumerate(segments):
        if seg.kind == "skip" or not seg.lines:
            continue
        if seg.kind == "table":
            host, year = parsed.get(seg.host, (None, doc_year)) if seg.host is not None \
                else (None, doc_year)
            table = _parse_table(seg.lines, year, departments)
            if host is not None and not host["tasks"]:
                host["tasks"] = table["tasks"]  # the plan's task list is this table
            else:
                plans.append(table)
            continue
        plan, year = _parse_plan_lines(seg.lines, seg.marker_title, doc_year, departments)
        substantive = plan["tasks"] or plan["phases"] or (
            plan["title"] and (PLAN_WORD_RE.search(plan["title"]) or not main_seen))
        if not main_seen:
            if not (substantive or plan["issuer"] or plan["date"] or plan["doc_number"]):
                continue
            main_seen = True
            if plan["date"]:
                doc_year = int(plan["date"][:4])
            plans.append(plan)
            parsed[index] = (plan, year)
        elif substantive:
            plans.append(plan)
            parsed[index] = (plan, year)
    if not plans:
        return _empty()
    main = plans[0]
    main["parts"] = plans[1:]
    return main


def _empty() -> dict:
    return {"title": None, "issuer": None, "date": None, "doc_number": None, "phases": [],
            "tasks": [], "targets": [], "parts": []}


# ---------------------------------------------------------------------------------------------
# Files


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_blocks(element) -> list[str]:
    lines = []
    for child in element:
        if child.tag == W + "p":
            parts = []
            for node in child.iter():
                if node.tag == W + "t" and node.text:
                    parts.append(node.text)
                elif node.tag in (W + "tab",):
                    parts.append("\t")
                elif node.tag in (W + "br", W + "cr"):
                    parts.append("\n")
            lines.append("".join(parts))
        elif child.tag == W + "tbl":
            for row in child.iter(W + "tr"):
                for cell in row.findall(W + "tc"):
                    lines.extend(_docx_blocks(cell))
        elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml"):
            lines.extend(_docx_blocks(child))
    return lines


def read_docx(data: bytes) -> str:
    """The text of a .docx: paragraphs and table cells (row by row), in document order."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError) as error:
        raise ValueError("不是有效的 .docx 文件 / not a valid .docx file") from error
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as error:
        raise ValueError("不是有效的 .docx 文件 / not a valid .docx file") from error
    body = root.find(W + "body")
    return "\n".join(_docx_blocks(body if body is not None else root))


def read_text(data: bytes, name: str = "") -> str:
    """The text of an uploaded plan: .docx, or text in UTF-8 or GB18030. ValueError otherwise."""
    lower = (name or "").lower()
    if lower.endswith(".docx") or data[:2] == b"PK":
        return read_docx(data)
    if lower.endswith(".doc") and data[:4] == b"\xd0\xcf\x11\xe0":
        raise ValueError("请另存为 .docx 或 .txt 后上传 / save the .doc as .docx or .txt first")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("无法识别文件编码（应为 UTF-8 或 GB18030） / not UTF-8 or GB18030 text")
