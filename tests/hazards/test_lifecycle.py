"""The transition table, checked for every status × action pair against a table written out here."""

import pytest

from fireledger.hazards import lifecycle
from fireledger.hazards.choices import Status
from fireledger.hazards.lifecycle import InvalidTransition, next_status

P, R, A, C, X = "pending", "rectifying", "awaiting_verification", "closed", "cannot_rectify"

# status → action → next status; every pair not listed must be refused.
EXPECTED = {
    P: {"start": R, "report_rectification": A, "declare_cannot_rectify": X},
    R: {"report_rectification": A, "declare_cannot_rectify": X},
    A: {"verify_pass": C, "verify_fail": R},
    C: {"reopen": R},
    X: {"resume": R},
}
ACTIONS = ("start", "report_rectification", "verify_pass", "verify_fail",
           "declare_cannot_rectify", "resume", "reopen")


def test_the_table_knows_exactly_these_statuses_and_actions():
    assert set(lifecycle.STATUSES) == set(EXPECTED) == set(Status.values)
    assert set(lifecycle.ACTIONS) == set(ACTIONS)


@pytest.mark.parametrize("status", list(EXPECTED))
@pytest.mark.parametrize("action", ACTIONS)
def test_every_status_and_action(status, action):
    expected = EXPECTED[status].get(action)
    if expected is None:
        with pytest.raises(InvalidTransition) as info:
            next_status(status, action)
        assert info.value.status == status and info.value.action == action
        assert action in str(info.value) and status in str(info.value)
        assert action not in lifecycle.allowed_actions(status)
    else:
        assert next_status(status, action) == expected
        assert action in lifecycle.allowed_actions(status)


@pytest.mark.parametrize("status, action", [("no-such", "start"), (P, "no-such"), (C, "")])
def test_unknown_status_or_action_is_refused(status, action):
    with pytest.raises(InvalidTransition):
        next_status(status, action)


def test_open_and_deadline_statuses():
    assert lifecycle.OPEN_STATUSES == {P, R, A, X}
    assert lifecycle.DEADLINE_STATUSES == {P, R, A}


def test_closed_is_reached_only_by_verification():
    assert [(s, a) for s in EXPECTED for a, n in EXPECTED[s].items() if n == C] == [
        (A, "verify_pass")]


def test_lifecycle_has_no_django_import():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(lifecycle))
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names}
    modules |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(m.startswith("django") for m in modules)
