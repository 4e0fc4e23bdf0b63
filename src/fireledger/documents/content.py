"""What each document prints, built once at issue time and frozen as JSON.

Every value a document shows is a string in here (dates already written the Chinese way), so
rendering needs nothing but this dict and a template: the same document comes out years later
whatever happened to the hazard since. Built under zh-hans: statutory documents are Chinese.

The shape, shared by every kind (the PDF layout and the Word templates read it):
  kind, title, reference, year, number, addressee, facts [{label, value}], paragraphs [str],
  tables [{title, columns [{key, label}], rows [{key: str}]}], closing [str],
  signatures [{name, how, when, image}], issuer_name, issued_on, issued_on_iso, receipt (bool),
  fields {named values for Word templates: unit, place_name, deadline, …}.

The wording is ours unless a comment names a seed: no seed gives the text of these forms.
"""

from __future__ import annotations

import datetime

from django.utils import timezone, translation

from fireledger.inspections import record_pdf

from .choices import Kind

NONE = "—"


def cn_date(day: datetime.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else NONE


def place_units(place) -> str:
    """The place's units (owner, manager, occupant), each once."""
    units = (place.owner, place.manager, place.occupant)
    return "、".join(dict.fromkeys(u.name for u in units if u is not None))


def _hazard_unit(hazard) -> str:
    return hazard.responsible_unit or place_units(hazard.place) or hazard.place.name


def _basis(hazard) -> str:
    """The category's source (a standard or plan) when the taxonomy records one."""
    category = hazard.category
    parts = [category.name]
    if category.source_doc:
        parts.append(category.source_doc)
    if hazard.is_major:
        parts.append("重大火灾隐患")
    return "；".join(parts)


def _place_facts(place, unit: str, person: str, phone: str) -> list[dict]:
    return [
        {"label": "单位名称", "value": unit or NONE},
        {"label": "场所名称", "value": place.name},
        {"label": "地址", "value": place.address or NONE},
        {"label": "消防安全责任人", "value": " ".join(x for x in (person, phone) if x) or NONE},
    ]


HAZARD_COLUMNS = [
    {"key": "no", "label": "序号"},
    {"key": "description", "label": "火灾隐患"},
    {"key": "location", "label": "部位"},
    {"key": "basis", "label": "类别及依据"},
    {"key": "deadline", "label": "整改期限"},
    {"key": "safeguards", "label": "临时防范措施"},
]


def _hazard_row(no: int, hazard) -> dict:
    return {
        "no": str(no),
        "description": hazard.description,
        "location": hazard.location_in_place or NONE,
        "basis": _basis(hazard),
        "deadline": cn_date(hazard.deadline),
        "safeguards": hazard.interim_safeguards or NONE,
    }


def _base(kind: str, title: str, *, reference: str, year: int, number: int, issuer: str,
          issued_on: datetime.date) -> dict:
    return {
        "kind": kind, "title": title, "reference": reference, "year": year, "number": number,
        "addressee": "", "facts": [], "paragraphs": [], "tables": [], "closing": [],
        "signatures": [], "issuer_name": issuer, "issued_on": cn_date(issued_on),
        "issued_on_iso": issued_on.isoformat(), "receipt": False, "fields": {},
    }


def companions(hazard) -> list:
    """The other hazards the same notice cites: still being rectified against a deadline at the
    same place and found the same day (one inspection's findings go on one notice)."""
    from fireledger.hazards import lifecycle

    return list(type(hazard).objects.filter(
        place_id=hazard.place_id, found_on=hazard.found_on, deadline__isnull=False,
        status__in=lifecycle.DEADLINE_STATUSES).exclude(pk=hazard.pk)
        .select_related("category").order_by("pk"))


def rectification_notice(hazard, **common) -> dict:
    """整改通知书: the hazards (this one first, then the others found there the same day), where,
    on what basis, by when, the interim safeguards, the unit and its responsible person, the
    issuer and date, and a receipt line for the unit (签收)."""
    place = hazard.place
    unit = _hazard_unit(hazard)
    person = hazard.responsible_person or place.responsible_person
    phone = hazard.responsible_phone or place.responsible_phone
    doc = _base(Kind.RECTIFICATION_NOTICE, "火灾隐患整改通知书", **common)
    cited = [hazard, *companions(hazard)]
    deadline = cn_date(hazard.deadline)
    by_when = (f"于{deadline}前整改完毕" if len(cited) == 1
               else "分别于下列期限前整改完毕")
    doc.update(
        addressee=unit,
        facts=_place_facts(place, unit, person, phone),
        paragraphs=[
            f"经{cn_date(hazard.found_on)}检查，你单位{place.name}存在下列火灾隐患"
            f"{'' if len(cited) == 1 else f'（共{len(cited)}项）'}。"
            f"根据消防法律法规的规定，责令你单位{by_when}。",
            "整改期间，你单位应当采取临时防范措施，确保消防安全；"
            "整改完毕后，请及时书面报告并申请复查。",
        ],
        tables=[{"title": "火灾隐患及整改要求", "columns": HAZARD_COLUMNS,
                 "rows": [_hazard_row(n, h) for n, h in enumerate(cited, 1)]}],
        closing=["逾期不整改的，将依法督办、约谈或移送有关部门查处。"],
        receipt=True,
        fields={"unit": unit, "place_name": place.name, "place_address": place.address,
                "responsible_person": person, "responsible_phone": phone, "deadline": deadline,
                "found_on": cn_date(hazard.found_on), "hazard_no": str(hazard.pk),
                "hazard_count": str(len(cited))},
    )
    return doc


def listing_notice(listing, *, supervisor: str, checker: str, **common) -> dict:
    """挂牌督办通知书: the listing decision, the supervising body, the deadline and the monthly
    check duty (seed 003 附件1.7 (九): 挂牌整治期间的消防检查每月不得少于1次). The 五落实 wording
    (责任、措施、资金、时限、预案) follows standards-cn §1.7, an unverified [G] item."""
    hazard = listing.hazard
    place = hazard.place
    unit = _hazard_unit(hazard)
    person = hazard.responsible_person or place.responsible_person
    phone = hazard.responsible_phone or place.responsible_phone
    deadline = cn_date(hazard.deadline)
    doc = _base(Kind.LISTING_NOTICE, "重大火灾隐患挂牌督办通知书", **common)
    decided = cn_date(listing.decided_on)
    doc.update(
        addressee=unit,
        facts=[*_place_facts(place, unit, person, phone),
               {"label": "督办单位", "value": supervisor},
               {"label": "挂牌决定日期", "value": decided}],
        paragraphs=[
            f"你单位{place.name}存在的下列重大火灾隐患，经{supervisor}于{decided}研究决定，"
            "实行挂牌督办。" + (f"（{listing.decision_note}）" if listing.decision_note else ""),
            f"请你单位于{deadline}前整改完毕，落实整改责任、措施、资金、时限和应急预案；"
            "整改期间必须落实临时防范措施，确保安全。",
            f"挂牌督办期间，{checker}每月至少开展1次消防检查，你单位应当配合检查并如实报告整改进展。",
        ],
        tables=[{"title": "挂牌督办的重大火灾隐患", "columns": HAZARD_COLUMNS,
                 "rows": [_hazard_row(1, hazard)]}],
        closing=["整改完毕后，请书面申请复查销案；经复查合格后予以摘牌。"],
        receipt=True,
        fields={"unit": unit, "place_name": place.name, "place_address": place.address,
                "responsible_person": person, "responsible_phone": phone, "deadline": deadline,
                "supervisor": supervisor, "decided_on": decided, "checker": checker},
    )
    return doc


def referral_notice(notice, **common) -> dict:
    """抄告单 (seed 003 附件1.7 消防安全抄告制度): to the brigade or police station that lists the
    unit, naming the unit, the hazard and its deadline, within 3 working days of finding it; the
    work station keeps pressing the unit afterwards (制度 (五))."""
    hazard = notice.hazard
    place = hazard.place
    unit = _hazard_unit(hazard)
    person = hazard.responsible_person or place.responsible_person
    phone = hazard.responsible_phone or place.responsible_phone
    agency = str(notice.get_agency_display())
    doc = _base(Kind.REFERRAL_NOTICE, "消防安全抄告单", **common)
    deadline = cn_date(hazard.deadline)
    doc.update(
        addressee=agency,
        facts=[*_place_facts(place, unit, person, phone),
               {"label": "发现日期", "value": cn_date(hazard.found_on)},
               {"label": "抄告时限", "value": cn_date(notice.due_on)}],
        paragraphs=[
            f"{cn_date(hazard.found_on)}检查发现，贵单位列管的{unit}（{place.name}）存在下列火灾隐患，"
            f"已责令其于{deadline}前整改。根据消防安全抄告制度，现予抄告，请依法督促整改。",
        ],
        tables=[{"title": "火灾隐患", "columns": HAZARD_COLUMNS,
                 "rows": [_hazard_row(1, hazard)]}],
        closing=["抄告后，我单位将继续督促该单位落实火灾隐患整改。"],
        receipt=True,
        fields={"agency": agency, "unit": unit, "place_name": place.name,
                "place_address": place.address, "deadline": deadline,
                "due_on": cn_date(notice.due_on), "found_on": cn_date(hazard.found_on)},
    )
    return doc


RESULT_COLUMNS = [
    {"key": "no", "label": "序号"},
    {"key": "text", "label": "检查内容"},
    {"key": "outcome", "label": "检查结果"},
    {"key": "note", "label": "发现问题"},
]
FOUND_COLUMNS = [
    {"key": "no", "label": "序号"},
    {"key": "hazard", "label": "火灾隐患"},
    {"key": "hazard_no", "label": "隐患编号"},
    {"key": "rectification", "label": "整改"},
]


def inspection_record(inspection, **common) -> dict:
    """检查记录 with a number: what inspections.record_pdf prints (seed 003 附件1.7.3 日常检查制度
    (六): 单位名称、时间、地点、发现的火灾隐患情况及整改或防范意见、检查和巡查人员签名), frozen."""
    from fireledger.inspections.choices import FAILED, Outcome, SignatureMethod

    place = inspection.place
    unit = record_pdf.unit_names(inspection)
    street = record_pdf.street_name(place)
    results, found = [], []
    for i, r in enumerate(inspection.results.select_related("hazard").order_by("sort_order", "pk"), 1):
        outcome = (str(r.get_outcome_display()) if r.outcome
                   else str(r.get_follow_up_display()) if r.follow_up else NONE)
        no = r.number or str(i)
        results.append({"no": no, "text": f"{r.area} {r.text}".strip(), "outcome": outcome,
                        "note": r.note or ""})
        if r.outcome in FAILED:
            deadline = r.deadline or (r.hazard.deadline if r.hazard else None)
            fixed = r.outcome == Outcome.FIXED
            found.append({
                "no": no,
                "hazard": r.text + (f"：{r.note}" if r.note else "") + ("（重大火灾隐患）" if r.is_major else ""),
                "hazard_no": f"No. {r.hazard_id}" if r.hazard_id else NONE,
                "rectification": "当场整改" if fixed else (f"{cn_date(deadline)}前整改" if deadline else NONE),
            })
    signatures = []
    for s in inspection.signatures.order_by("signed_at", "pk"):
        drawn = s.method == SignatureMethod.DRAWN
        signatures.append({"name": s.name, "how": "手写签名" if drawn else "输入姓名确认",
                           "when": f"{timezone.localtime(s.signed_at):%Y-%m-%d %H:%M}",
                           "image": (record_pdf.signature_data_uri(s) or "") if drawn else ""})
    location = " ".join(x for x in (place.address, inspection.location) if x) or NONE
    if street:
        location += f"（{street}）"
    submitted = (f"{timezone.localtime(inspection.submitted_at):%Y-%m-%d %H:%M}"
                 if inspection.submitted_at else NONE)
    checklist = (f"{inspection.version.name} v{inspection.version.version}"
                 if inspection.version else NONE)
    doc = _base(Kind.INSPECTION_RECORD, "消防安全检查记录", **common)
    doc.update(
        addressee="",
        facts=[{"label": "检查类型", "value": str(inspection.get_kind_display())},
               {"label": "单位名称", "value": unit or NONE},
               {"label": "场所名称", "value": place.name},
               {"label": "地点", "value": location},
               {"label": "检查日期", "value": cn_date(inspection.inspected_on)},
               {"label": "提交时间", "value": submitted},
               {"label": "检查表", "value": checklist}],
        tables=[{"title": "检查内容", "columns": RESULT_COLUMNS, "rows": results},
                {"title": "发现的火灾隐患", "columns": FOUND_COLUMNS, "rows": found}],
        paragraphs=[],
        closing=[f"整改或防范意见：{inspection.advice or NONE}"],
        signatures=signatures,
        fields={"unit": unit, "place_name": place.name, "location": location,
                "inspected_on": cn_date(inspection.inspected_on),
                "advice": inspection.advice or NONE},
    )
    return doc


def build(kind: str, subject, **common) -> dict:
    """The content of `kind` for `subject`, in Chinese whatever the user's language."""
    builders = {Kind.RECTIFICATION_NOTICE: rectification_notice,
                Kind.LISTING_NOTICE: listing_notice,
                Kind.REFERRAL_NOTICE: referral_notice,
                Kind.INSPECTION_RECORD: inspection_record}
    with translation.override("zh-hans"):
        return builders[kind](subject, **common)
