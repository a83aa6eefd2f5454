"""Background jobs: run once, progress kept, a failure recorded with its reason."""
import pytest

from catalog.models import Job
from catalog.services import jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def kinds(monkeypatch):
    registered = {}
    monkeypatch.setattr(jobs, "_RUNNERS", registered)
    return registered


def test_a_job_runs_once_after_the_commit_with_its_progress(kinds, admin_user,
                                                            django_capture_on_commit_callbacks):
    runs = []

    @jobs.job_runner("count")
    def count(job, progress):
        runs.append(job.pk)
        progress(5, 10)
        assert Job.objects.get(pk=job.pk).done == 5  # visible while the job runs
        return {"counted": 10}

    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_create(kind="count", user=admin_user, params={"n": 10})
        assert runs == []  # queued, not run, inside the transaction
    job.refresh_from_db()
    assert (job.status, job.report, job.done, job.percent) == ("done", {"counted": 10}, 10, 100)
    assert job.started_at and job.finished_at
    assert jobs.job_run(job_id=job.pk) is None and runs == [job.pk]


def test_a_failing_job_is_marked_failed_with_a_message(kinds, django_capture_on_commit_callbacks):
    @jobs.job_runner("boom")
    def boom(job, progress):
        raise RuntimeError("disk on fire")

    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_create(kind="boom")
    job.refresh_from_db()
    assert job.status == "failed" and "unexpected error (RuntimeError)" in job.error


def test_an_unknown_kind_is_refused(kinds):
    with pytest.raises(ValueError, match="No runner"):
        jobs.job_create(kind="nothing")
