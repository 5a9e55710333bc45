"""The case life cycle of CJ/T 315 / GB/T 30428.8 as a table: for each action, the states it may
start from, the state it leads to, and the roles that may take it. Services enforce it; the
case page and the API read it to offer only the actions a user may take now."""

from dataclasses import dataclass

from urbangrid.accounts import permissions
from urbangrid.accounts.models import Role

from .models import OPEN_STATES, State, Step


@dataclass(frozen=True)
class Action:
    name: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change (or depends on the outcome)
    roles: frozenset[str]
    # How the actor's data scope is checked: "area" (the case's grid), "department" (the
    # case's disposal department), "assignee" (the supervisor sent to the spot, or the grid).
    scope: str = "area"
    once_per_step: bool = False  # e.g. 签收: taken once while the current step lasts


def _a(name, sources, target, roles, scope="area", once_per_step=False) -> Action:
    return Action(name, frozenset(sources), target, frozenset(roles), scope, once_per_step)


S = State
R = Role
LIVE = OPEN_STATES - {S.CLOSED}

ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        _a(
            "accept", [S.REPORTED], None, [R.INTAKE, R.SHIFT_LEADER]
        ),  # → VERIFYING, or FILING when a supervisor reported it
        _a("reject", [S.REPORTED], S.REJECTED, [R.INTAKE, R.SHIFT_LEADER]),
        _a("merge", [S.REPORTED], S.MERGED, [R.INTAKE, R.SHIFT_LEADER]),
        _a("assign_supervisor", [S.VERIFYING, S.CHECKING], None, [R.INTAKE, R.SHIFT_LEADER]),
        _a("verify", [S.VERIFYING], S.FILING, [R.SUPERVISOR], "assignee"),
        _a("file", [S.FILING], S.DISPATCHING, [R.SHIFT_LEADER]),
        _a("not_file", [S.FILING], S.NOT_FILED, [R.SHIFT_LEADER]),
        _a("dispatch", [S.DISPATCHING], S.DISPOSING, [R.DISPATCHER]),
        _a("receive", [S.DISPOSING], None, [R.DISPOSER], "department", once_per_step=True),  # 签收
        _a("return", [S.DISPOSING], S.DISPATCHING, [R.DISPOSER], "department"),
        _a("request_extension", [S.DISPOSING], None, [R.DISPOSER], "department"),
        _a("request_suspend", [S.DISPOSING], None, [R.DISPOSER], "department"),
        _a("decide_request", [S.DISPOSING], None, [R.SHIFT_LEADER, R.LEADER]),  # approving 挂账 → SUSPENDED
        _a("resume", [S.SUSPENDED], S.DISPOSING, [R.DISPATCHER, R.SHIFT_LEADER]),
        _a("feedback", [S.DISPOSING], S.CHECKING, [R.DISPOSER], "department"),
        _a("check", [S.CHECKING], None, [R.SUPERVISOR], "assignee"),  # → CLOSING, or DISPOSING (rework)
        _a("close", [S.CLOSING], S.CLOSED, [R.SHIFT_LEADER]),
        _a("rework", [S.CLOSING], S.DISPOSING, [R.SHIFT_LEADER]),
        _a("archive", [S.CLOSED], S.ARCHIVED, [R.SHIFT_LEADER]),
        # 回访 unsatisfied: back to the shift leader's desk (the citizen app's account, a follow-up call).
        _a("reopen", [S.CLOSED], S.CLOSING, [R.CITIZEN, R.INTAKE]),
        _a("cancel", LIVE, S.CANCELLED, [R.SHIFT_LEADER, R.LEADER]),
        _a("urge", [S.DISPOSING, S.DISPATCHING, S.CHECKING], None, [R.LEADER, R.SHIFT_LEADER, R.DISPATCHER]),
        _a("claim", OPEN_STATES, None, [R.INTAKE, R.SHIFT_LEADER, R.DISPATCHER]),
        _a("release", OPEN_STATES, None, [R.INTAKE, R.SHIFT_LEADER, R.DISPATCHER]),
    ]
}

for _action in ACTIONS.values():
    permissions.register(f"case.{_action.name}", *_action.roles)
permissions.register("case.report", R.SUPERVISOR, R.INTAKE, R.SHIFT_LEADER, R.LEADER, R.CITIZEN)
permissions.register("case.view", *Role.values)
permissions.register("case.configure", R.ADMIN)

# The timed step that belongs to each state.
STEP_OF_STATE = {
    S.REPORTED: Step.ACCEPT,
    S.VERIFYING: Step.VERIFY,
    S.FILING: Step.FILE,
    S.DISPATCHING: Step.DISPATCH,
    S.DISPOSING: Step.DISPOSE,
    S.SUSPENDED: Step.DISPOSE,
    S.CHECKING: Step.CHECK,
    S.CLOSING: Step.CLOSE,
}
