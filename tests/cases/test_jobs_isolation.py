"""The periodic jobs: one that fails is logged and reported as None, and the others still run."""

import pytest

from urbangrid.cases import jobs

pytestmark = pytest.mark.django_db


def test_a_failing_job_does_not_stop_the_others(monkeypatch, caplog):
    failing = ("broken", "urbangrid.evaluation.figures.count_period")  # needs a period: TypeError
    monkeypatch.setattr(jobs, "JOBS", (failing, *jobs.JOBS))
    done = jobs.run_once()
    assert done["broken"] is None
    assert "job broken failed" in caplog.text
    assert all(done[name] is not None for name, _path in jobs.JOBS[1:])  # each did its work
