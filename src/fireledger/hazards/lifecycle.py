"""The rectification loop as a state machine: 待整改 → 整改中 → 待复查 → 已销号.

Pure rules, no Django import: the table below is the whole of what may happen to a hazard's
status. services.transition applies it; tests/hazards/test_lifecycle.py checks every
status × action pair against it.
"""

PENDING = "pending"  # 待整改
RECTIFYING = "rectifying"  # 整改中
AWAITING_VERIFICATION = "awaiting_verification"  # 待复查
CLOSED = "closed"  # 已销号
CANNOT_RECTIFY = "cannot_rectify"  # 确实不能整改

STATUSES = (PENDING, RECTIFYING, AWAITING_VERIFICATION, CLOSED, CANNOT_RECTIFY)

# Not closed: still on the hazard list and tracked (确实不能整改 included).
OPEN_STATUSES = frozenset({PENDING, RECTIFYING, AWAITING_VERIFICATION, CANNOT_RECTIFY})
# Still being rectified against a deadline: what "overdue" is computed over. A hazard declared
# cannot-rectify is tracked by its review date instead.
DEADLINE_STATUSES = frozenset({PENDING, RECTIFYING, AWAITING_VERIFICATION})

START = "start"
REPORT_RECTIFICATION = "report_rectification"
VERIFY_PASS = "verify_pass"
VERIFY_FAIL = "verify_fail"
DECLARE_CANNOT_RECTIFY = "declare_cannot_rectify"
RESUME = "resume"
REOPEN = "reopen"

# action → {from status: to status}
TRANSITIONS: dict[str, dict[str, str]] = {
    START: {PENDING: RECTIFYING},
    REPORT_RECTIFICATION: {PENDING: AWAITING_VERIFICATION, RECTIFYING: AWAITING_VERIFICATION},
    VERIFY_PASS: {AWAITING_VERIFICATION: CLOSED},
    VERIFY_FAIL: {AWAITING_VERIFICATION: RECTIFYING},
    DECLARE_CANNOT_RECTIFY: {PENDING: CANNOT_RECTIFY, RECTIFYING: CANNOT_RECTIFY},
    RESUME: {CANNOT_RECTIFY: RECTIFYING},
    REOPEN: {CLOSED: RECTIFYING},  # a rebound (反弹)
}

ACTIONS = tuple(TRANSITIONS)


class InvalidTransition(ValueError):
    """An action that the table does not allow from the current status."""

    def __init__(self, status: str, action: str):
        self.status = status
        self.action = action
        super().__init__(f"action {action!r} is not allowed from status {status!r}")


def next_status(status: str, action: str) -> str:
    """The status after `action`; InvalidTransition for anything the table does not list."""
    if status not in STATUSES:
        raise InvalidTransition(status, action)
    try:
        return TRANSITIONS[action][status]
    except KeyError:
        raise InvalidTransition(status, action) from None


def allowed_actions(status: str) -> list[str]:
    """The actions possible from `status`, in table order (what a page offers as buttons)."""
    return [action for action, moves in TRANSITIONS.items() if status in moves]
