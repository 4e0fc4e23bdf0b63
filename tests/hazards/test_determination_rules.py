"""Rule sets are versioned data: export, correct, load as the next version; bad files refused
with every problem named and nothing written."""

import copy
import importlib
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from fireledger.core.models import AuditEvent
from fireledger.hazards import gb35181
from fireledger.hazards import services_determination as det
from fireledger.hazards.models import DeterminationRuleSet


@pytest.fixture
def rule_sets(db):
    from django.apps import apps

    importlib.import_module("fireledger.hazards.migrations.0007_major_determination").add(
        apps, None)
    return {r.code: r for r in DeterminationRuleSet.objects.all()}


def export(code) -> dict:
    out = io.StringIO()
    call_command("determination_rules", export=code, stdout=out)
    return json.loads(out.getvalue())


def load(tmp_path, spec) -> str:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    call_command("determination_rules", load=str(path), stdout=out)
    return out.getvalue()


def test_list(rule_sets):
    out = io.StringIO()
    call_command("determination_rules", stdout=out)
    assert "GB35181-2017\tv1\tcomplete" in out.getvalue()
    assert "GB35181-2025\tv1\tincomplete\t0 elements" in out.getvalue()


def test_corrected_2017_list_is_the_next_version(rule_sets, tmp_path, users, places, log):
    hazard = log(users["street_officer"], places["mall"])
    before = det.propose(users["street_officer"], hazard, rule_set=rule_sets["GB35181-2017"],
                         findings=["6.5"], place_classes=["人员密集场所"])
    spec = export("GB35181-2017")
    spec["data"]["elements"][0]["text"] = "更正后的 6.1 条文"
    spec["data"]["elements"][0]["verified"] = True
    assert load(tmp_path, spec).startswith("loaded GB35181-2017 v2 (complete)")
    v2 = DeterminationRuleSet.objects.get(code="GB35181-2017", version=2)
    assert v2.engine().element("6.1").text == "更正后的 6.1 条文"
    assert [r.version for r in det.current_rule_sets() if r.code == "GB35181-2017"] == [2]
    before.refresh_from_db()
    assert before.rule_set.version == 1  # what it was computed with stays
    assert rule_sets["GB35181-2017"].engine() == gb35181.GB35181_2017
    assert AuditEvent.objects.filter(object_type="hazards.determinationruleset",
                                     object_id=str(v2.pk), action="create").exists()


def test_entering_the_2025_list_makes_it_usable(rule_sets, tmp_path, users, places, log):
    spec = export("GB35181-2017")  # stand-in content: the real 2025 list is not known to us
    spec.update(code="GB35181-2025", edition="GB 35181-2025", title="重大火灾隐患判定规则")
    load(tmp_path, spec)
    current = {r.code: r for r in det.current_rule_sets()}["GB35181-2025"]
    assert (current.version, current.complete) == (2, True)
    hazard = log(users["street_officer"], places["mall"])
    d = det.propose(users["street_officer"], hazard, rule_set=current, findings=["6.5"],
                    place_classes=["人员密集场所"])
    assert d.result["edition"] == "GB 35181-2025" and d.result["rule_set_version"] == 2


def test_bad_file_lists_every_problem_and_writes_nothing(rule_sets, tmp_path):
    spec = export("GB35181-2017")
    data = spec["data"]
    data["elements"].append(copy.deepcopy(data["elements"][0]))  # 6.1 twice
    data["elements"][1]["kind"] = "indirect"
    data["elements"][12]["group"] = "7.99"
    data["counting_rules"][0]["counted_codes"].append("9.9")
    data["counting_rules"][1]["threshold"] = 0
    data["counting_rules"][2]["place_classes"].append("幼儿园")
    data["exclusions"].append({"text": "没有编号"})
    with pytest.raises(CommandError) as error:
        load(tmp_path, spec)
    problems = str(error.value).splitlines()[1:]
    assert len(problems) == 7  # each named, none hidden behind the first
    for fragment in ("6.1", "indirect", "7.99", "9.9", "幼儿园", "code"):
        assert any(fragment in p for p in problems), fragment
    assert any("5.3-flammable" in p and "0" in p for p in problems)
    assert DeterminationRuleSet.objects.count() == 2


def test_complete_needs_the_parts(rule_sets):
    with pytest.raises(ValidationError) as error:
        det.add_rule_set_version(None, code="X", edition="X", title="X", complete=True,
                                 data={"missing": ["everything"]})
    assert len(error.value.messages) == 2
    row = det.add_rule_set_version(None, code="X", edition="X", title="X", complete=False,
                                   data={"missing": ["everything"]})
    assert (row.version, row.complete) == (1, False)


def test_unreadable_file(rule_sets, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("determination_rules", load=str(path))
    with pytest.raises(CommandError):
        call_command("determination_rules", export="GB35181-1999")
