"""Background jobs: create one, run it (in a Celery worker, or in process on the embedded
defaults), report its progress.

A kind of job is a function registered with :func:`job_runner`; it gets the job and a
``progress(done, total)`` callable and returns the report (JSON) to keep. Imports use it;
mass approval or an XLIFF import can register their own runner.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from catalog.models import Job

logger = logging.getLogger(__name__)

Runner = Callable[[Job, Callable[[int, int], None]], dict]
_RUNNERS: dict[str, Runner] = {}
PROGRESS_INTERVAL_S = 1.0


def job_runner(kind: str):
    """Register the function that runs jobs of ``kind``."""
    def register(function: Runner) -> Runner:
        _RUNNERS[kind] = function
        return function
    return register


def job_create(*, kind: str, user=None, file=None, stored_file: str = "", filename: str = "",
               params: dict | None = None) -> Job:
    """Store a job and queue it once the transaction commits (run now on the embedded
    defaults, where Celery is eager). `file`: an upload to keep; `stored_file`: the name of
    one already kept, e.g. by the dry run that came before."""
    if kind not in _RUNNERS:
        raise ValueError(f"No runner for jobs of kind {kind!r}.")
    job = Job(kind=kind, user=user, params=params or {}, filename=filename)
    if file is not None:
        job.file.save(filename or "upload", file, save=False)
    elif stored_file:
        job.file.name = stored_file
    job.save()
    from catalog.tasks import job_run_task

    transaction.on_commit(lambda: job_run_task.delay(job_id=job.pk))
    return job


def job_run(*, job_id: int) -> Job | None:
    """Run a queued job once; a job already started or finished is left alone."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now())
    if not claimed:
        return None
    job = Job.objects.get(pk=job_id)
    try:
        report = _RUNNERS[job.kind](job, _progress_writer(job))
    except Exception as error:  # the job fails, with its reason kept; the worker goes on
        logger.exception("Job %s failed", job.pk)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, finished_at=timezone.now(),
            error=f"The job stopped on an unexpected error ({type(error).__name__}); nothing "
                  "of the batch it was in was saved. Details are in the server log.")
    else:
        job.report = report
        job.status = Job.Status.DONE
        job.finished_at = timezone.now()
        job.done = max(job.done, job.total)
        job.save(update_fields=["report", "status", "finished_at", "done", "result_file"])
    job.refresh_from_db()
    return job


def _progress_writer(job: Job) -> Callable[[int, int], None]:
    last = [0.0]

    def progress(done: int, total: int) -> None:
        job.done, job.total = done, max(total, done)
        now = time.monotonic()
        if now - last[0] >= PROGRESS_INTERVAL_S or done >= total:
            last[0] = now
            Job.objects.filter(pk=job.pk).update(done=job.done, total=job.total)
    return progress
