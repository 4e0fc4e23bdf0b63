"""From a plan's text to the review forms, and from the reviewed forms to create_campaign.

The parser (plan_parser, pure) proposes; this module only maps its fields onto the forms'
and back, so what the user saw and corrected is exactly what is saved.
"""

import datetime
import re

from . import plan_parser
from .choices import TaskRole

# The parser's hint for a target → the metric it most likely is (the user confirms).
METRIC_FOR_HINT = {
    "rectified_share": "rectified_share",
    "compliant_share": "compliant_share",
    "inspected_share": "inspected_share",
    "spot_check_share": "spot_check_share",
}
UNIT_SEPARATORS = re.compile(r"[、，,；;/／]+")


def read_plan(upload) -> str:
    """The text of an uploaded .txt (UTF-8 or GB18030) or .docx, paragraphs and tables in
    document order."""
    return plan_parser.read_text(upload.read(), upload.name)


def _date(value):
    if isinstance(value, datetime.date) or value is None:
        return value
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _units_text(units: list[dict]) -> str:
    return "、".join(u["text"] for u in units)


def proposal(parsed: dict, text: str) -> dict:
    """Initial data for the review page: {"campaign": {...}, "phases": [...], "tasks": [...],
    "targets": [...]} from the parser's output."""
    phases = [{"name": p["name"], "starts_on": _date(p.get("start")),
               "ends_on": _date(p.get("end"))} for p in parsed.get("phases", [])]
    tasks, targets = [], []
    for task in parsed.get("tasks", []):
        deadlines = [d for d in task.get("deadlines", []) if d.get("date")]
        tasks.append({
            "number": task.get("number") or "", "title": task.get("title") or "",
            "lead": _units_text(task.get("lead", [])),
            "cooperating": _units_text(task.get("cooperating", [])),
            "responsible": _units_text(task.get("responsible", [])),
            "due_text": "；".join(d["text"] for d in task.get("deadlines", []))[:200],
            "due_on": _date(deadlines[-1]["date"]) if deadlines else None,
        })
        for target in task.get("targets", []):
            targets.append({
                "task_number": task.get("number") or "", "text": target["text"][:300],
                "metric": METRIC_FOR_HINT.get(target.get("metric_hint") or "", "manual"),
                "threshold": target.get("threshold"), "unit": target.get("unit") or "",
                "due_on": _date(target.get("date")),
            })
    dates = [d for p in phases for d in (p["starts_on"], p["ends_on"]) if d]
    issued = _date(parsed.get("date"))
    campaign = {
        "name": parsed.get("title") or "", "issuer": parsed.get("issuer") or "",
        "doc_number": parsed.get("doc_number") or "", "issued_on": issued,
        "starts_on": min(dates) if dates else issued, "ends_on": max(dates) if dates else None,
        "source_text": text,
    }
    return {"campaign": campaign, "phases": phases, "tasks": tasks, "targets": targets}


def units(task_data: dict) -> list[dict]:
    """The reviewed task's lead / cooperating / responsible texts as task units, each matched
    to a department again (the user may have typed or corrected them)."""
    rows = []
    for role, field in ((TaskRole.LEAD, "lead"), (TaskRole.COOPERATING, "cooperating"),
                        (TaskRole.RESPONSIBLE, "responsible")):
        for text in UNIT_SEPARATORS.split(task_data.get(field) or ""):
            text = text.strip()
            if text:
                rows.append({"role": role, "text": text,
                             "code": plan_parser.match_department(text)})
    return rows


def campaign_input(campaign: dict, phases: list[dict], tasks: list[dict],
                   targets: list[dict]) -> dict:
    """create_campaign's keyword arguments from the reviewed forms' cleaned data."""
    by_number: dict[str, dict] = {}
    task_specs = []
    for data in tasks:
        spec = {k: data.get(k) for k in ("number", "title", "due_text", "due_on")}
        spec["responsible_text"] = data.get("responsible") or ""
        spec["units"] = units(data)
        spec["targets"] = []
        task_specs.append(spec)
        if spec["number"]:
            by_number.setdefault(spec["number"], spec)
    loose = []
    for data in targets:
        target = {k: data.get(k) for k in ("text", "metric", "threshold", "unit", "due_on")}
        owner = by_number.get(data.get("task_number") or "")
        (owner["targets"] if owner else loose).append(target)
    return {**campaign, "phases": phases, "tasks": task_specs, "targets": loose}
