"""`fireledger determination_rules`: the GB 35181 rule sets kept for the determination assistant.

    fireledger determination_rules                       list the rule sets and their versions
    fireledger determination_rules --export GB35181-2017 the newest version as JSON (stdout)
    fireledger determination_rules --load FILE.json      add the next version from a JSON file

A corrected 2017 element list, or the 2025 list once it is entered, is loaded as a new version
(never an edit of an old one): export, correct, load. The file is what --export writes:
{"code", "edition", "title", "complete", "note", "data": {elements, exclusions, counting_rules,
place_classes, groups, missing, notes}}. Every problem is listed and nothing is written.
"""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from fireledger.hazards import services_determination as det
from fireledger.hazards.models import DeterminationRuleSet


class Command(BaseCommand):
    help = "List, export or load (as a new version) the GB 35181 determination rule sets."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--export", metavar="CODE", help="print the newest version as JSON")
        group.add_argument("--load", metavar="FILE", help="add the next version from FILE")
        parser.add_argument("--rule-version", dest="rule_version", type=int,
                            help="with --export: this version (default: the newest)")

    def handle(self, *args, export=None, load=None, rule_version=None, **options):
        version = rule_version
        if export:
            rows = DeterminationRuleSet.objects.filter(code=export)
            row = (rows.filter(version=version) if version else rows.order_by("-version")).first()
            if row is None:
                raise CommandError(f"no rule set {export!r}" + (f" v{version}" if version else ""))
            self.stdout.write(json.dumps({
                "code": row.code, "edition": row.edition, "title": row.title,
                "complete": row.complete, "note": row.note, "data": row.data,
            }, ensure_ascii=False, indent=1))
            return
        if load:
            try:
                with open(load, encoding="utf-8") as handle:
                    spec = json.load(handle)
            except (OSError, ValueError) as error:
                raise CommandError(f"{load}: {error}") from None
            fields = ("code", "edition", "title", "complete", "data")
            missing = [f for f in fields if f not in spec] if isinstance(spec, dict) else fields
            if missing:
                raise CommandError(f"{load}: missing {', '.join(missing)}")
            with translation.override(settings.LANGUAGE_CODE):  # the problems in Chinese
                try:
                    row = det.add_rule_set_version(
                        None, code=spec["code"], edition=spec["edition"], title=spec["title"],
                        complete=bool(spec["complete"]), data=spec["data"],
                        note=spec.get("note", ""))
                except ValidationError as error:
                    raise CommandError("\n".join([f"{load}:"] + error.messages)) from None
            self.stdout.write(f"loaded {row.code} v{row.version} "
                              f"({'complete' if row.complete else 'incomplete'})")
            return
        for row in DeterminationRuleSet.objects.order_by("code", "version"):
            self.stdout.write(
                f"{row.code}\tv{row.version}\t{'complete' if row.complete else 'incomplete'}\t"
                f"{len(row.data.get('elements', []))} elements\t{row.created_at:%Y-%m-%d}")
