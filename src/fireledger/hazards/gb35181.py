"""GB 35181 重大火灾隐患判定: a pure, versioned determination engine (stdlib only, no Django).

Data in, data out. Rule sets are versioned data (``RULE_SETS``); the 2017 element lists live in
``gb35181_2017``. Most of the 2017 comprehensive elements and the whole counting rule are tagged
[G] (unverified) in standards-cn.md; every element/row carries ``verified`` and ``source`` so a
caller can show what rests on unconfirmed text. The GB 35181-2025 set is marked incomplete: its
element lists, exclusions (§4.2) and counting rule were not in the sources read, so it only ever
answers ``incomplete_rules`` — never a false ``not_major``.

The result is a proposal only (``proposal_only=True``): the determination itself is made by the
fire rescue agency's procedure (collective discussion ≥ 3 people, expert review where needed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from fireledger.hazards import gb35181_2017 as _d17

OUTCOMES = ("direct", "comprehensive", "not_major", "excluded", "incomplete_rules")


@dataclass(frozen=True)
class Element:
    code: str
    text: str
    kind: str  # "direct" | "comprehensive"
    group: str  # clause group, e.g. "6" or "7.3"
    verified: bool
    source: str = ""


@dataclass(frozen=True)
class Exclusion:
    code: str
    text: str
    verified: bool
    source: str = ""


@dataclass(frozen=True)
class CountingRule:
    """One row of the comprehensive counting rule: major if ≥ threshold counted elements (含本数)."""

    rule_id: str
    place_classes: tuple[str, ...]
    counted_codes: tuple[str, ...] | None  # None = any comprehensive element
    threshold: int
    verified: bool
    source: str = ""

    def counts(self, code: str) -> bool:
        return self.counted_codes is None or code in self.counted_codes


@dataclass(frozen=True)
class RuleSet:
    edition: str
    title: str
    complete: bool
    elements: tuple[Element, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    counting_rules: tuple[CountingRule, ...] = ()
    place_classes: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # what is not yet entered (for incomplete sets)
    notes: tuple[str, ...] = ()

    def element(self, code: str) -> Element:
        for e in self.elements:
            if e.code == code:
                return e
        raise ValueError(f"unknown element code {code!r} for {self.edition}")

    def exclusion(self, code: str) -> Exclusion:
        for x in self.exclusions:
            if x.code == code:
                return x
        raise ValueError(f"unknown exclusion code {code!r} for {self.edition}")

    @property
    def direct_codes(self) -> tuple[str, ...]:
        return tuple(e.code for e in self.elements if e.kind == "direct")

    @property
    def comprehensive_codes(self) -> tuple[str, ...]:
        return tuple(e.code for e in self.elements if e.kind == "comprehensive")


@dataclass(frozen=True)
class Finding:
    element_code: str
    note: str = ""
    # 2017 §5.1.2 [G]: a hazard corrected on the spot is not counted as an element.
    corrected_on_spot: bool = False


@dataclass(frozen=True)
class RowCount:
    rule_id: str
    threshold: int
    count: int
    codes: tuple[str, ...]
    met: bool
    verified: bool


@dataclass(frozen=True)
class Determination:
    edition: str
    outcome: str
    elements_cited: tuple[str, ...] = ()
    excluded_by: tuple[str, ...] = ()
    counts: tuple[RowCount, ...] = ()
    explanation: str = ""
    missing: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()  # element codes not counted (corrected on the spot, §5.1.2)
    unverified_basis: tuple[str, ...] = ()  # cited element codes / rule ids tagged [G]
    proposal_only: bool = field(default=True)


def _normalize_place_classes(rule_set: RuleSet, place_class: str | Iterable[str]) -> frozenset[str]:
    classes = frozenset([place_class]) if isinstance(place_class, str) else frozenset(place_class)
    if not classes:
        raise ValueError("place_class is required")
    if rule_set.place_classes:
        for c in sorted(classes):
            if c not in rule_set.place_classes:
                raise ValueError(f"unknown place class {c!r} for {rule_set.edition}")
    return classes


def _sorted_codes(codes: Iterable[str]) -> tuple[str, ...]:
    def key(code: str) -> tuple[int, ...]:
        return tuple(int(p) for p in code.split(".") if p.isdigit())
    return tuple(sorted(set(codes), key=key))


def determine(
    rule_set: RuleSet,
    findings: Iterable[Finding],
    *,
    place_class: str | Iterable[str],
    exclusions_claimed: Iterable[str] = (),
) -> Determination:
    """Propose a determination for the findings on one place under ``rule_set``.

    Order: incomplete rule set → exclusions claimed → any direct element → comprehensive counting
    rule (every row applicable to the place classes; major if any row reaches its threshold) →
    not_major. ``place_class`` is one class or several (a place may be e.g. both 人员密集场所 and
    重要场所). Unknown element, exclusion or place-class codes raise ValueError naming the code.
    """
    findings = tuple(findings)
    claimed = tuple(exclusions_claimed)

    if not rule_set.complete:
        return Determination(
            edition=rule_set.edition,
            outcome="incomplete_rules",
            missing=rule_set.missing,
            explanation=(
                f"{rule_set.edition} rule set is incomplete; missing: "
                + "; ".join(rule_set.missing)
                + ". No determination proposed; findings given: "
                + (", ".join(f.element_code for f in findings) or "none") + "."
            ),
        )

    classes = _normalize_place_classes(rule_set, place_class)
    for f in findings:
        rule_set.element(f.element_code)  # raises ValueError on unknown code
    excluded = tuple(dict.fromkeys(rule_set.exclusion(c).code for c in claimed))

    counted = [f for f in findings if not f.corrected_on_spot]
    present = set(f.element_code for f in counted)
    ignored = _sorted_codes(f.element_code for f in findings
                            if f.corrected_on_spot and f.element_code not in present)

    direct = _sorted_codes(c for c in present if rule_set.element(c).kind == "direct")
    comp = _sorted_codes(c for c in present if rule_set.element(c).kind == "comprehensive")

    rows = []
    for rule in rule_set.counting_rules:
        if not classes.intersection(rule.place_classes):
            continue
        codes = tuple(c for c in comp if rule.counts(c))
        rows.append(RowCount(rule.rule_id, rule.threshold, len(codes), codes,
                             len(codes) >= rule.threshold, rule.verified))
    rows = tuple(rows)
    fired = [r for r in rows if r.met]
    rules_by_id = {r.rule_id: r for r in rule_set.counting_rules}

    if direct:
        outcome, cited = "direct", direct
        why = "direct element(s) present: " + ", ".join(direct)
    elif fired:
        outcome = "comprehensive"
        cited = _sorted_codes(c for r in fired for c in r.codes)
        why = "comprehensive rule(s) met: " + "; ".join(
            f"{r.rule_id} {r.count} ≥ {r.threshold} ({', '.join(r.codes)})" for r in fired)
    else:
        outcome, cited = "not_major", ()
        why = "no direct element; no counting row met: " + ("; ".join(
            f"{r.rule_id} {r.count} < {r.threshold}" for r in rows) or "no applicable row")

    unverified = tuple(c for c in cited if not rule_set.element(c).verified)
    if outcome == "comprehensive":
        unverified += tuple(r.rule_id for r in fired if not rules_by_id[r.rule_id].verified)

    if ignored:
        why += "; not counted (corrected on the spot, 5.1.2): " + ", ".join(ignored)

    if excluded:
        return Determination(
            edition=rule_set.edition,
            outcome="excluded",
            elements_cited=cited,
            excluded_by=excluded,
            counts=rows,
            ignored=ignored,
            unverified_basis=unverified,
            explanation=(f"exclusion claimed: {', '.join(excluded)}; "
                         f"without it the proposal would be {outcome} ({why})"),
        )
    return Determination(
        edition=rule_set.edition,
        outcome=outcome,
        elements_cited=cited,
        counts=rows,
        ignored=ignored,
        unverified_basis=unverified,
        explanation=why,
    )


def _build_2017() -> RuleSet:
    groups = dict(_d17.COMPREHENSIVE_GROUPS)
    elements = tuple(
        Element(code, text, "direct", "6", verified, source)
        for code, text, verified, source in _d17.DIRECT_ELEMENTS
    ) + tuple(
        Element(code, text, "comprehensive", group, verified, source)
        for code, group, text, verified, source in _d17.COMPREHENSIVE_ELEMENTS
        if group in groups
    )
    return RuleSet(
        edition=_d17.EDITION,
        title=_d17.TITLE,
        complete=True,
        elements=elements,
        exclusions=tuple(Exclusion(*x) for x in _d17.EXCLUSIONS),
        counting_rules=tuple(CountingRule(*r) for r in _d17.COUNTING_RULES),
        place_classes=_d17.PLACE_CLASSES,
        notes=(
            "element wording is the paraphrase of standards-cn.md, not the official text",
            "5.1.2 [G] (not immediately correctable) is applied per finding via "
            "Finding.corrected_on_spot",
        ),
    )


GB35181_2017 = _build_2017()

# What standards-cn.md §1.1 says is known of the 2025 edition; its element lists are not entered.
GB35181_2025 = RuleSet(
    edition="GB 35181-2025",
    title="重大火灾隐患判定规则",
    complete=False,
    missing=(
        "§4.2 exclusions (changed from 2017 §5.1.3; content not available)",
        "ch. 5 直接判定要素 (changed from 2017 ch. 6)",
        "ch. 6 综合判定要素 (changed from 2017 ch. 7)",
        "comprehensive counting rule and thresholds (not known)",
        "附录A rules for 火灾自动报警系统/固定灭火设施 '不能正常运行'",
    ),
    notes=(
        "发布 2025-04-25, 实施 2025-11-01 [V fire114]; replaces GB 35181-2017",
        "国家消防救援局 提出并归口 [V fire114]; TC113/SC9 执行 [V 43u]",
        "structure: 3 术语和定义; 4 判定规则 (4.2 = exclusions); 5 直接判定要素; 6 综合判定要素; 附录A",
        "term 重要场所 deleted; added 儿童活动场所、老年人照料设施、劳动密集型企业、多业态混合生产经营场所 "
        "(the full 2025 place-class list is not known, so place_classes is left empty)",
        "determination principles and procedure (2017 ch. 4) deleted",
        "cases opened before 2025-11-01 keep the 2017 basis",
    ),
)

RULE_SETS: dict[str, RuleSet] = {
    GB35181_2017.edition: GB35181_2017,
    GB35181_2025.edition: GB35181_2025,
}


# --- Rule sets and results as plain JSON data (the database keeps versioned copies) ---------

def rule_set_to_data(rule_set: RuleSet) -> dict:
    """A rule set as JSON-safe data: what a DeterminationRuleSet row stores."""
    from dataclasses import asdict

    data = asdict(rule_set)
    data.pop("edition")
    data.pop("title")
    data.pop("complete")
    for rule in data["counting_rules"]:
        rule["place_classes"] = list(rule["place_classes"])
        if rule["counted_codes"] is not None:
            rule["counted_codes"] = list(rule["counted_codes"])
    for key in ("elements", "exclusions", "counting_rules", "place_classes", "missing", "notes"):
        data[key] = list(data[key])
    # Section headings for the assistant's form (the engine itself needs only the codes).
    data["groups"] = ([list(g) for g in _d17.COMPREHENSIVE_GROUPS]
                      if rule_set.edition == _d17.EDITION else [])
    return data


def rule_set_from_data(edition: str, title: str, complete: bool, data: dict) -> RuleSet:
    """The inverse of rule_set_to_data: a stored rule set back into the engine's dataclasses."""
    return RuleSet(
        edition=edition,
        title=title,
        complete=complete,
        elements=tuple(Element(**e) for e in data.get("elements", ())),
        exclusions=tuple(Exclusion(**x) for x in data.get("exclusions", ())),
        counting_rules=tuple(
            CountingRule(r["rule_id"], tuple(r["place_classes"]),
                         None if r["counted_codes"] is None else tuple(r["counted_codes"]),
                         r["threshold"], r["verified"], r.get("source", ""))
            for r in data.get("counting_rules", ())),
        place_classes=tuple(data.get("place_classes", ())),
        missing=tuple(data.get("missing", ())),
        notes=tuple(data.get("notes", ())),
    )


def result_to_data(result: Determination) -> dict:
    """The engine's answer as JSON-safe data (tuples become lists)."""
    from dataclasses import asdict

    def plain(value):
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    return plain(asdict(result))
