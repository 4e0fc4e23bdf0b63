"""A sample content per kind, with every key the real one has: an uploaded Word template must
render with it (and print the reference) before it is accepted, and the bundled templates are
built from its table columns."""

from . import content as c
from .choices import Kind

_COMMON = {"reference": "样例〔2026〕第1号", "year": 2026, "number": 1,
           "issuer_name": "样例街道消防工作站", "issued_on": "2026年1月5日",
           "issued_on_iso": "2026-01-05", "signatures": [], "receipt": True}
_FACTS = [{"label": "单位名称", "value": "样例物业管理有限公司"},
          {"label": "场所名称", "value": "样例广场"}]
_HAZARD = {"no": "1", "description": "疏散楼梯间堆放杂物", "location": "3层东侧楼梯间",
           "basis": "安全疏散", "deadline": "2026年1月20日", "safeguards": "专人值守"}
_FIELDS = {
    Kind.RECTIFICATION_NOTICE: ["unit", "place_name", "place_address", "responsible_person",
                                "responsible_phone", "deadline", "found_on", "hazard_no",
                                "hazard_count"],
    Kind.LISTING_NOTICE: ["unit", "place_name", "place_address", "responsible_person",
                          "responsible_phone", "deadline", "supervisor", "decided_on", "checker"],
    Kind.REFERRAL_NOTICE: ["agency", "unit", "place_name", "place_address", "deadline", "due_on",
                           "found_on"],
    Kind.INSPECTION_RECORD: ["unit", "place_name", "location", "inspected_on", "advice"],
}
_TITLES = {Kind.RECTIFICATION_NOTICE: "火灾隐患整改通知书",
           Kind.LISTING_NOTICE: "重大火灾隐患挂牌督办通知书",
           Kind.REFERRAL_NOTICE: "消防安全抄告单",
           Kind.INSPECTION_RECORD: "消防安全检查记录"}


def tables(kind: str) -> list[dict]:
    if kind == Kind.INSPECTION_RECORD:
        return [{"title": "检查内容", "columns": c.RESULT_COLUMNS,
                 "rows": [{"no": "1", "text": "疏散通道", "outcome": "存在隐患", "note": "堆物"}]},
                {"title": "发现的火灾隐患", "columns": c.FOUND_COLUMNS,
                 "rows": [{"no": "1", "hazard": "疏散通道堆物", "hazard_no": "No. 1",
                           "rectification": "当场整改"}]}]
    return [{"title": "火灾隐患", "columns": c.HAZARD_COLUMNS, "rows": [_HAZARD]}]


def sample_content(kind: str) -> dict:
    signatures = ([{"name": "张三", "how": "输入姓名确认", "when": "2026-01-05 10:00", "image": ""}]
                  if kind == Kind.INSPECTION_RECORD else [])
    return {**_COMMON, "kind": str(kind), "title": _TITLES[kind], "addressee": "样例物业管理有限公司",
            "facts": _FACTS, "paragraphs": ["样例正文。"], "tables": tables(kind),
            "closing": ["样例结语。"], "signatures": signatures,
            "fields": {name: f"样例{name}" for name in _FIELDS[kind]}}
