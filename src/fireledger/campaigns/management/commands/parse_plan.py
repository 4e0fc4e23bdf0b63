"""`fireledger parse-plan FILE [--json]`: what the plan importer would propose for a plan document.

FILE is a .txt (UTF-8 or GB18030) or a .docx (paragraphs and table cells in document order).
Nothing is written: the output is the parser's proposal, as JSON (--json) or as a summary.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fireledger.campaigns import plan_parser

ROLE_LABELS = (("lead", "牵头"), ("cooperating", "配合"), ("responsible", "责任"))


def _units(units: list[dict]) -> str:
    return "、".join(u["text"] + (f"[{u['code']}]" if u["code"] else "") for u in units)


def _target(t: dict) -> str:
    when = f" · {t['date']}" if t["date"] else ""
    hint = f" · {t['metric_hint']}" if t["metric_hint"] else ""
    return f"{t['threshold']}{t['unit']}{hint}{when}  「{t['text']}」"


def summary(plan: dict, indent: str = "") -> list[str]:
    """A readable summary of one plan (the command's output without --json)."""
    out = [f"{indent}标题 Title: {plan['title'] or '—'}"]
    for key, label in (("issuer", "发文单位 Issuer"), ("date", "成文日期 Date"),
                       ("doc_number", "文号 Doc number")):
        out.append(f"{indent}{label}: {plan[key] or '—'}")
    out.append(f"{indent}阶段 Phases: {len(plan['phases'])}")
    for phase in plan["phases"]:
        out.append(f"{indent}  · {phase['name']}  {phase['start'] or '…'} → {phase['end'] or '…'}")
    out.append(f"{indent}任务 Tasks: {len(plan['tasks'])}")
    for task in plan["tasks"]:
        out.append(f"{indent}  {task['number'] or '·'} {task['title'] or '（无标题 untitled）'}")
        for role, label in ROLE_LABELS:
            if task[role]:
                out.append(f"{indent}      {label}: {_units(task[role])}")
        for deadline in task["deadlines"]:
            out.append(f"{indent}      期限 due: {deadline['text']} → {deadline['date'] or '?'}")
        for target in task["targets"]:
            out.append(f"{indent}      目标 target: {_target(target)}")
    if plan.get("targets"):
        out.append(f"{indent}其他目标 Other targets: {len(plan['targets'])}")
        out.extend(f"{indent}  · {_target(t)}" for t in plan["targets"])
    return out


class Command(BaseCommand):
    help = ("Parse a campaign plan (.txt or .docx) and print the proposed campaign: title, "
            "issuer, date, document number, phases, tasks with their units, deadlines and "
            "targets. Writes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the plan: .txt (UTF-8 or GB18030) or .docx")
        parser.add_argument("--json", action="store_true", help="print the proposal as JSON")

    def handle(self, *args, file, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from None
        try:
            text = plan_parser.read_text(data, path.name)
        except ValueError as error:
            raise CommandError(str(error)) from None
        plan = plan_parser.parse_plan(text)
        if options["json"]:
            self.stdout.write(json.dumps(plan, ensure_ascii=False, indent=2))
            return
        lines = summary(plan)
        for n, part in enumerate(plan["parts"], 1):
            lines.append("")
            lines.append(f"—— 附属方案 Part {n} ——")
            lines.extend(summary(part, "  "))
        self.stdout.write("\n".join(lines))
