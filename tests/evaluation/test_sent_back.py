"""返工 is kept on the disposal it sent back (CaseStep.sent_back_at): set by the services when the
rework begins, and filled in for the steps stored before the column by the migration's SQL."""

import importlib

from django.db import connection

from tests.cases.conftest import org, photo  # noqa: F401
from tests.evaluation.test_indicators import scenario  # noqa: F401
from urbangrid.cases.models import CaseStep, Step

sent_back_migration = importlib.import_module("urbangrid.cases.migrations.0011_step_sent_back")


def _disposals(case):
    return list(
        CaseStep.objects.filter(case=case, step=Step.DISPOSE)
        .order_by("started_at", "id")
        .values_list("outcome", "started_at", "sent_back_at")
    )


def test_a_failed_check_marks_the_done_disposal_sent_back_when_the_rework_starts(scenario):  # noqa: F811
    c3 = scenario.cases[2]  # its first disposal was done in time, then a 核查 failed
    (first_outcome, _s, first_sent_back), (_o, second_started, second_sent_back) = _disposals(c3)
    assert first_outcome == "done"
    assert first_sent_back == second_started
    assert second_sent_back is None
    others = CaseStep.objects.filter(step=Step.DISPOSE, sent_back_at__isnull=False).exclude(case=c3)
    assert not others.exists()


def test_the_migration_fills_in_what_the_services_would_have_written(scenario):  # noqa: F811
    written = {c.pk: _disposals(c) for c in scenario.cases}
    CaseStep.objects.update(sent_back_at=None)
    with connection.cursor() as cursor:
        cursor.execute(sent_back_migration.SENT_BACK)
    assert {c.pk: _disposals(c) for c in scenario.cases} == written
