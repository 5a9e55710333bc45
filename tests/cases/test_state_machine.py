"""Random sequences of actions by random users, checked after every step: no undefined state, no
action outside the actor's role or scope, one timeline entry per version, exactly one open step
matching the state, terminal cases frozen, and an audit chain that still verifies."""

from datetime import timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.cases.conftest import photo
from tests.factories import make_user
from urbangrid.accounts.models import Role
from urbangrid.accounts.permissions import scope_of
from urbangrid.audit import services as audit
from urbangrid.cases import services
from urbangrid.cases.models import TERMINAL_STATES, Case, CaseAction, CaseStep, Reason, Request, State
from urbangrid.cases.workflow import ACTIONS, STEP_OF_STATE
from urbangrid.core.errors import ServiceError

pytestmark = pytest.mark.django_db

# The actions that move a case along rather than end it, for driving cases deep.
FORWARD = {
    "accept",
    "verify",
    "file",
    "dispatch",
    "feedback",
    "check",
    "close",
    "archive",
    "resume",
    "decide_request",
    "request_extension",
    "request_suspend",
    "return",
    "rework",
}
REASON_CATEGORY = {
    "reject": "reject",
    "not_file": "not_file",
    "return": "return",
    "rework": "rework",
    "cancel": "cancel",
    "request_extension": "extension",
    "request_suspend": "suspend",
    "dispatch": "override",
    "check": "rework",
}


def _may(user, action_name, case) -> bool:
    """What the rules promise: the role table, and the data scope of the action."""
    action = ACTIONS[action_name]
    if not (user.roles & action.roles or Role.ADMIN in user.roles):
        return False
    scope = scope_of(user)
    if action.scope == "department":
        return case.department_id is not None and scope.covers_department(case.department_id)
    if action.scope == "assignee" and case.assignee_id == user.pk:
        return True
    # Inside the user's area, or a case of the user's department (a company's own leadership).
    return scope.covers_area(case.grid_code) or scope.covers_department(case.department_id)


def test_random_actions_keep_every_promise(org, clock):
    o = org
    users = [
        o.citizen,
        o.sup,
        o.sup_e,
        o.intake,
        o.intake2,
        o.shift,
        o.dispatcher,
        o.worker,
        o.cleaner,
        o.leader,
        o.szgs_leader,
        # A dispatcher for the west street only: the centre's roles with a limited area.
        make_user(
            "dispatcher", "intake", username="desk_w", department=o.centre, areas=[o.county["streets"][0]]
        ),
    ]
    departments = [o.hws, o.szgs, o.west_gov]
    reasons = {
        c: list(Reason.objects.filter(category=c).values_list("code", flat=True))
        for c in Reason.Category.values
    }

    class Machine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.numbers: list[str] = []
            self.frozen: dict[str, tuple] = {}

        def teardown(self):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        @initialize(data=st.data())
        def first_reports(self, data):
            for _ in range(3):
                self.report(data)

        @precondition(lambda self: len(self.numbers) < 5)
        @rule(data=st.data())
        def report(self, data):
            reporter, source = data.draw(
                st.sampled_from([(o.citizen, "public"), (o.sup, "supervisor"), (o.intake, "hotline_12319")])
            )
            point = data.draw(st.sampled_from([o.west_point, o.east_point]))
            type_code = data.draw(st.sampled_from(["06010", "01001", "09006"]))
            case = services.report_case(
                reporter,
                source=source,
                kind="matter",
                type_code=type_code,
                description="问题",
                lon=point[0],
                lat=point[1],
                address="测试路1号",
                photos=[photo()],
            )
            self.numbers.append(case.number)

        @rule(data=st.data())
        def act(self, data):
            if not self.numbers:
                return
            number = data.draw(st.sampled_from(self.numbers))
            case = Case.objects.get(number=number)
            promising = [
                (n, u)
                for n in sorted(FORWARD)
                for u in users
                if case.state in ACTIONS[n].sources and _may(u, n, case)
            ]
            fitting = [n for n in sorted(ACTIONS) if case.state in ACTIONS[n].sources]
            mode = data.draw(st.sampled_from(["progress", "progress", "anyone", "anything"]))
            if mode == "progress" and promising:
                # Drive cases deep into the life cycle, so that the other attempts meet every state.
                name, user = data.draw(st.sampled_from(promising))
            elif mode == "anyone" and fitting:
                # An action that fits the state, by anybody: tests roles and scopes.
                name, user = data.draw(st.sampled_from(fitting)), data.draw(st.sampled_from(users))
            else:
                name, user = data.draw(st.sampled_from(sorted(ACTIONS))), data.draw(st.sampled_from(users))
            good = (
                mode != "anything"
            )  # well-formed input: cases move on, and refusals come from role or scope
            kwargs = {}
            if name not in ("claim", "release"):
                stale = [] if good else [case.version - 1]
                kwargs["expected_version"] = data.draw(st.sampled_from([case.version, *stale]))
            category = REASON_CATEGORY.get(name)
            if category and (name != "dispatch" or not good):
                kwargs["reason_code"] = data.draw(
                    st.sampled_from(reasons[category] + ([] if good else ["bogus"]))
                )
            if name == "dispatch" and good:
                kwargs["reason_code"] = reasons["override"][0]
            if name in ("verify", "feedback", "check"):
                kwargs["photos"] = [photo()] if good or data.draw(st.booleans()) else []
            if name == "reopen":
                kwargs["reason_note"] = "不满意" if good else data.draw(st.sampled_from(["", "不满意"]))
            if name in ("return", "cancel", "feedback", "urge"):
                kwargs["note"] = "说明" if good else data.draw(st.sampled_from(["", "说明"]))
            if name == "verify":
                kwargs["confirmed"] = data.draw(st.booleans())
            if name == "check":
                kwargs["passed"] = data.draw(st.booleans())
            if name in ("file", "close"):
                kwargs["meets_condition"] = good or data.draw(st.booleans())
            if name == "dispatch":
                kwargs["department"] = data.draw(st.sampled_from(departments))
            if name == "merge":
                kwargs["into"] = data.draw(st.sampled_from(self.numbers))
            if name == "assign_supervisor":
                kwargs["supervisor"] = data.draw(st.sampled_from([o.sup, o.sup_e]))
            if name == "request_extension":
                kwargs.update(
                    extra_value=2 if good else data.draw(st.sampled_from([2, 0, -1])), extra_unit="work_hours"
                )
            promised = _may(user, name, case) and case.state in ACTIONS[name].sources
            before = (case.state, case.version)
            try:
                if name == "decide_request":
                    req = Request.objects.filter(case=case, status="pending").first()
                    if req is None:
                        return
                    kwargs.pop("expected_version")
                    services.decide_request(user, req.pk, approve=data.draw(st.booleans()), note="意见")
                else:
                    fn = {"file": services.file_case, "return": services.return_case}.get(name) or getattr(
                        services, name
                    )
                    fn(user, number, **kwargs)
                succeeded = True
            except ServiceError:
                succeeded = False
            if succeeded:
                assert promised, f"{user.username} did {name} on a {before[0]} case it must not touch"
                assert before[0] not in TERMINAL_STATES
            else:
                after = Case.objects.get(number=number)
                assert (after.state, after.version) == before, "a refused action changed the case"

        @rule(minutes=st.integers(1, 60 * 24 * 4))
        def time_passes(self, minutes):
            clock.advance(timedelta(minutes=minutes))
            services.tick()

        @invariant()
        def every_case_is_well_formed(self):
            for case in Case.objects.filter(number__in=self.numbers):
                assert case.state in State.values
                assert case.version == CaseAction.objects.filter(case=case).count()
                open_steps = list(CaseStep.objects.filter(case=case, finished_at__isnull=True))
                if case.state in STEP_OF_STATE:
                    assert len(open_steps) == 1 and open_steps[0].step == STEP_OF_STATE[case.state], (
                        case.state,
                        open_steps,
                    )
                else:
                    assert open_steps == []
                if case.state in TERMINAL_STATES:
                    snapshot = (case.state, case.version)
                    assert self.frozen.setdefault(case.number, snapshot) == snapshot

        @invariant()
        def the_trail_verifies(self):
            assert audit.verify().ok

    Machine.TestCase.settings = settings(
        max_examples=20,
        stateful_step_count=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    run_state_machine_as_test(Machine, settings=Machine.TestCase.settings)
