"""Precision and recall of the plan parser against the hand-written expectations.

    .venv/bin/python bench/plan_parser_scores.py            # the table
    .venv/bin/python bench/plan_parser_scores.py --diff     # and every missed / extra item

Runs `plan_parser.parse_plan` on tests/fixtures/plans/seed00N.txt and compares the result with
seed00N.expected.json (written by reading the documents, not by running the parser). No Django,
no database.

Matching:
- The main plan is compared with the expectation's top level; each expected part with the
  parsed part of the same title (the first one not yet used; else the one at the same
  position). A part the expectation does not list counts one false title. A field an expected
  part leaves out (e.g. "tasks") is not scored for that part.
- Scalars (title, issuer, date, doc_number) are exact after normalising text: equal and not
  null is a true positive; a parsed value that differs (or an invented one where the
  expectation is null) is a false positive, and a differing or missing value where one is
  expected is a false negative.
- Lists are multisets of keys, matched by count; text is normalised (NFKC, no whitespace, no
  trailing punctuation):
    phases       (name, start, end)
    task numbers number (tasks without a number are not counted)
    task titles  title
    lead / cooperating / responsible   (task, text as written, code)
    deadlines    (task, text, date)
    targets      (task, threshold, unit, date) — task "plan" for the plan-level targets;
                 "target hints" adds metric_hint to the key
  where "task" is the task's number, else its title, else its place among the untitled tasks.
Precision = TP / (TP + FP), recall = TP / (TP + FN); "—" where there is nothing to count.
"""

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from fireledger.campaigns.plan_parser import parse_plan  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "plans"
SCALARS = ("title", "issuer", "date", "doc_number")
FIELDS = (*SCALARS, "phases", "task numbers", "task titles", "lead", "cooperating", "responsible",
          "deadlines", "targets", "target hints")


def norm(value):
    if value is None:
        return None
    if not isinstance(value, str):
        return value
    value = unicodedata.normalize("NFKC", value)
    return re.sub(r"[\s。，,；;：:、.]+$", "", re.sub(r"\s+", "", value))


def task_keys(tasks: list[dict]) -> list[str]:
    keys, untitled = [], 0
    for task in tasks:
        if task.get("number"):
            keys.append(norm(task["number"]))
        elif task.get("title"):
            keys.append(norm(task["title"]))
        else:
            untitled += 1
            keys.append(f"@{untitled}")
    return keys


def items(plan: dict, field: str) -> Counter | None:
    """The multiset of keys of one list field, or None when the plan does not give it."""
    if field == "phases":
        if "phases" not in plan:
            return None
        return Counter((norm(p["name"]), p["start"], p["end"]) for p in plan["phases"])
    if field in ("targets", "target hints"):
        if "tasks" not in plan and "targets" not in plan:
            return None
        out = Counter()
        hint = field == "target hints"

        def key_of(owner, t):
            key = (owner, t["threshold"], t["unit"], t["date"])
            return (*key, t["metric_hint"]) if hint else key

        if "tasks" in plan:
            for key, task in zip(task_keys(plan["tasks"]), plan["tasks"]):
                out.update(key_of(key, t) for t in task["targets"])
        out.update(key_of("plan", t) for t in plan.get("targets", []))
        return out
    if "tasks" not in plan:
        return None
    tasks = plan["tasks"]
    keys = task_keys(tasks)
    if field == "task numbers":
        return Counter(norm(t["number"]) for t in tasks if t.get("number"))
    if field == "task titles":
        return Counter(norm(t["title"]) for t in tasks if t.get("title"))
    if field in ("lead", "cooperating", "responsible"):
        return Counter((key, norm(u["text"]), u["code"])
                       for key, t in zip(keys, tasks) for u in t[field])
    if field == "deadlines":
        return Counter((key, norm(d["text"]), d["date"]) for key, t in zip(keys, tasks)
                       for d in t["deadlines"])
    raise KeyError(field)


def score_plan(expected: dict, parsed: dict | None, tally: dict, diffs: list, where: str) -> None:
    parsed = parsed or {}
    for field in SCALARS:
        if field not in expected:
            continue
        want, got = norm(expected[field]), norm(parsed.get(field))
        t = tally[field]
        if want is not None and got == want:
            t["tp"] += 1
        else:
            if got is not None:
                t["fp"] += 1
            if want is not None:
                t["fn"] += 1
            if got != want:
                diffs.append(f"{where} {field}: expected {want!r}, parsed {got!r}")
    for field in FIELDS[len(SCALARS):]:
        want = items(expected, field)
        if want is None:
            continue
        got = items(parsed, field) if parsed else Counter()
        got = got or Counter()
        both = want & got
        t = tally[field]
        t["tp"] += sum(both.values())
        t["fn"] += sum((want - got).values())
        t["fp"] += sum((got - want).values())
        for item in (want - got).elements():
            diffs.append(f"{where} {field}: missed {item}")
        for item in (got - want).elements():
            diffs.append(f"{where} {field}: extra  {item}")


def score_document(expected: dict, parsed: dict, tally: dict, diffs: list, name: str) -> None:
    score_plan(expected, parsed, tally, diffs, name)
    if "parts" not in expected:
        return
    unused = list(range(len(parsed.get("parts", []))))
    for n, part in enumerate(expected["parts"]):
        match = next((i for i in unused
                      if norm(parsed["parts"][i].get("title")) == norm(part.get("title"))), None)
        if match is None and n in unused:
            match = n
        if match is not None:
            unused.remove(match)
        score_plan(part, parsed["parts"][match] if match is not None else None, tally, diffs,
                   f"{name} part {n + 1}")
    for i in unused:
        tally["title"]["fp"] += 1
        diffs.append(f"{name} extra part: {parsed['parts'][i].get('title')!r}")


def ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "—"


def pr(t: dict) -> str:
    """"precision / recall" of one tally."""
    return f"{ratio(t['tp'], t['tp'] + t['fp'])} / {ratio(t['tp'], t['tp'] + t['fn'])}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--diff", action="store_true", help="list every missed and extra item")
    args = parser.parse_args()

    seeds = sorted(p.name[:7] for p in FIXTURES.glob("seed*.expected.json"))
    tallies = {}
    all_diffs = []
    for seed in seeds:
        expected = json.loads((FIXTURES / f"{seed}.expected.json").read_text(encoding="utf-8"))
        parsed = parse_plan((FIXTURES / f"{seed}.txt").read_text(encoding="utf-8"))
        tally = {f: {"tp": 0, "fp": 0, "fn": 0} for f in FIELDS}
        score_document(expected, parsed, tally, all_diffs, seed)
        tallies[seed] = tally
    overall = {f: {k: sum(tallies[s][f][k] for s in seeds) for k in ("tp", "fp", "fn")}
               for f in FIELDS}

    head = ["field", *(s for s in seeds), "overall", "TP/FP/FN"]
    print("precision / recall per field (" + ", ".join(seeds) + ")")
    print(" | ".join(head))
    print(" | ".join("---" for _ in head))
    for f in FIELDS:
        cells = [f]
        for s in seeds:
            t = tallies[s][f]
            cells.append(pr(t))
        t = overall[f]
        cells.append(f"**{pr(t)}**")
        cells.append(f"{t['tp']}/{t['fp']}/{t['fn']}")
        print(" | ".join(cells))
    if args.diff:
        print()
        print("\n".join(all_diffs) or "no differences")


if __name__ == "__main__":
    main()
