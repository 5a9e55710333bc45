"""Per-step marks: written by the periodic job once a step's verdict is settled (at its finish,
or when its deadline expires), never changed, and derivable again from the audit trail."""

from datetime import datetime

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.cases.conftest import org, photo  # noqa: F401
from tests.cases.test_lifecycle import report, to_disposing
from tests.evaluation.test_indicators import SHANGHAI, scenario  # noqa: F401
from tests.factories import PASSWORD
from urbangrid.audit.models import AuditRecord
from urbangrid.cases import jobs, services
from urbangrid.cases.models import CaseStep, Step
from urbangrid.evaluation import marks
from urbangrid.evaluation.models import ImmutableMarkError, StepMark

pytestmark = pytest.mark.django_db


def _marks(case, step=None):
    found = StepMark.objects.filter(case=case)
    if step:
        found = found.filter(step_kind=step)
    return sorted(found.values_list("step_kind", "kind"))


def _stored():
    return {
        (step, kind, tuple(seqs))
        for step, kind, seqs in StepMark.objects.values_list("step_id", "kind", "audit_seqs")
    }


def _at(clock, day, hour, minute=0):
    clock.freeze(datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI))


def test_an_unfinished_disposal_is_marked_overdue_once_its_deadline_passes(org, clock):  # noqa: F811
    case = to_disposing(org, report(org))  # 06010 dispatched Thu 10:00: due Thu 15:30
    marks.mark_due()
    assert _marks(case, Step.DISPOSE) == []  # not yet due, not finished
    _at(clock, 26, 15, 29)
    marks.mark_due()
    assert _marks(case, Step.DISPOSE) == []
    _at(clock, 26, 15, 30)
    assert jobs.run_once()["marks"] == 1  # the periodic jobs run it
    mark = StepMark.objects.get(case=case, step_kind=Step.DISPOSE)
    assert mark.kind == "overdue"
    assert mark.due_at == datetime(2026, 11, 26, 15, 30, tzinfo=SHANGHAI)
    dispatch = AuditRecord.objects.get(seq=mark.audit_seqs[0])
    assert (dispatch.action, dispatch.target_id) == ("case.dispatch", case.number)
    # Feeding back late does not turn the mark into "on time".
    _at(clock, 26, 16)
    services.feedback(org.cleaner, case.number, note="已处置", photos=[photo()])
    marks.mark_due()
    assert StepMark.objects.get(case=case, step_kind=Step.DISPOSE).kind == "overdue"


def test_the_centres_steps_are_marked_when_done_in_time(org, clock):  # noqa: F811
    case = to_disposing(org, report(org))
    assert marks.mark_due() == 4  # 受理, 核实, 立案, 派遣: all done at once, on time
    assert _marks(case) == [
        ("accept", "on_time"),
        ("dispatch", "on_time"),
        ("file", "on_time"),
        ("verify", "on_time"),
    ]
    finish = AuditRecord.objects.get(seq=StepMark.objects.get(case=case, step_kind="file").audit_seqs[1])
    assert finish.action == "case.file"


def test_the_scenario_marks(scenario):  # noqa: F811
    o = scenario
    c1, c2, c3, c4, c5, c6 = o.cases
    assert marks.mark_due() > 0
    assert _marks(c1, Step.DISPOSE) == [("dispose", "on_time")]
    assert _marks(c2, Step.DISPOSE) == [("dispose", "overdue")]
    assert _marks(c2, Step.CHECK) == [("check", "overdue")]  # 核查 Mon 11:30, due 11:00
    # C3: the first disposal was done in time and sent back by a failed 核查; the second in time.
    first, second = CaseStep.objects.filter(case=c3, step=Step.DISPOSE).order_by("started_at", "id")
    assert sorted(first.marks.values_list("kind", flat=True)) == ["on_time", "reworked"]
    assert list(second.marks.values_list("kind", flat=True)) == ["on_time"]
    rework = first.marks.get(kind="reworked")
    assert AuditRecord.objects.get(seq=rework.audit_seqs[1]).action == "case.check"
    assert _marks(c4, Step.DISPOSE) == [("dispose", "overdue")]  # due Mon 10:00, never fed back
    assert _marks(c5, Step.DISPOSE) == [("dispose", "on_time")]
    assert _marks(c6) == [("accept", "on_time"), ("file", "on_time")]  # 不予立案 is the shift's job done


def test_running_twice_and_rebuilding_give_the_same_marks(org, clock):  # noqa: F811
    # The job runs as time goes by; a rebuild from the audit trail at the end agrees with it.
    late = to_disposing(org, report(org))
    sent_back = to_disposing(org, report(org))
    returned = to_disposing(org, report(org))
    marks.mark_due()
    _at(clock, 26, 11)
    services.feedback(org.cleaner, sent_back.number, note="已处置", photos=[photo()])
    services.check(org.sup, sent_back.number, passed=False, photos=[photo()], reason_code="incomplete")
    services.return_case(org.cleaner, returned.number, reason_code="not_our_duty", note="该处属市政道路")
    marks.mark_due()
    _at(clock, 27, 9)
    first = marks.mark_due()
    assert first > 0
    stored = _stored()
    assert marks.mark_due() == 0
    assert _stored() == stored
    result = marks.compare(clock.now())
    assert result["derived"] == result["stored"] == len(stored)
    assert result["missing"] == result["extra"] == result["changed"] == result["problems"] == []
    call_command("marks", "--verify")  # raises on a difference
    assert _marks(late, Step.DISPOSE) == [("dispose", "overdue")]
    assert _marks(sent_back, Step.DISPOSE) == [
        ("dispose", "on_time"),
        ("dispose", "overdue"),
        ("dispose", "reworked"),
    ]
    assert _marks(returned, Step.DISPOSE) == [("dispose", "void")]  # not the department's task


def test_a_rebuild_on_an_empty_table_writes_what_the_job_would(org, clock):  # noqa: F811
    to_disposing(org, report(org))
    _at(clock, 27, 9)
    call_command("marks", "--rebuild")
    rebuilt = _stored()
    assert len(rebuilt) == 5
    assert marks.mark_due() == 0
    assert _stored() == rebuilt


def test_verify_fails_when_a_mark_does_not_follow_from_the_audit_trail(org, clock):  # noqa: F811
    case = to_disposing(org, report(org))
    marks.mark_due()
    step = CaseStep.objects.get(case=case, step=Step.DISPOSE)
    StepMark.objects.bulk_create(
        [StepMark(step=step, case=case, step_kind="dispose", kind="on_time", due_at=step.due_at,
                  basis_at=clock.now(), marked_at=clock.now(), audit_seqs=[1, 2])]
    )  # fmt: skip
    with pytest.raises(CommandError):
        call_command("marks", "--verify")
    assert marks.compare(clock.now())["extra"] == [(step.pk, "on_time")]


def test_marks_cannot_be_changed_or_deleted(org, clock):  # noqa: F811
    to_disposing(org, report(org))
    marks.mark_due()
    mark = StepMark.objects.first()
    mark.kind = "overdue"
    with pytest.raises(ImmutableMarkError):
        mark.save()
    with pytest.raises(ImmutableMarkError):
        mark.delete()
    with pytest.raises(ImmutableMarkError):
        StepMark.objects.update(kind="overdue")
    with pytest.raises(ImmutableMarkError):
        StepMark.objects.all().delete()
    assert StepMark.objects.filter(kind="overdue").count() == 0


def test_the_admin_shows_marks_read_only(org, clock, make_user):  # noqa: F811
    to_disposing(org, report(org))
    marks.mark_due()
    make_user("admin", username="keeper")
    client = Client()
    assert client.login(username="keeper", password=PASSWORD)
    mark = StepMark.objects.first()
    assert client.get("/admin/evaluation/stepmark/").status_code == 200
    page = client.get(f"/admin/evaluation/stepmark/{mark.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(f"/admin/evaluation/stepmark/{mark.pk}/delete/", {"post": "yes"}).status_code == 403
    assert StepMark.objects.filter(pk=mark.pk).exists()


def test_a_case_whose_steps_do_not_trace_is_named_and_the_others_are_marked(org, clock):  # noqa: F811
    good = to_disposing(org, report(org))
    bad = to_disposing(org, report(org))
    # A step written around the services (say, by a faulty import) has no audit record behind it.
    row = CaseStep.objects.get(case=bad, step=Step.DISPOSE)
    CaseStep.objects.create(
        case=bad, step=Step.CHECK, limit_value=1, limit_unit="work_hours", started_at=row.started_at,
        warn_at=row.warn_at, due_at=row.due_at,
    )  # fmt: skip
    _at(clock, 27, 9)
    assert marks.mark_due() == 5  # the good case's five steps; nothing for the bad one
    assert StepMark.objects.filter(case=bad).count() == 0 and StepMark.objects.filter(case=good).count() == 5
    problems = marks.compare(clock.now())["problems"]
    assert len(problems) == 1 and bad.number in problems[0]
    with pytest.raises(CommandError):
        call_command("marks", "--verify")
