"""What the benchmark scripts share: the repository on the path and Django on a bench database."""
import os
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))


def setup_django(db: Path) -> None:
    """Django on the SQLite file `db`, with Celery tasks run in process."""
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pim.settings.local")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    import django

    django.setup()


class QueryCounter:
    """A database execute wrapper that counts queries without keeping them (bounded memory)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def reset(self) -> int:
        count, self.count = self.count, 0
        return count


def page_loads(client, url: str, runs: int, counter: QueryCounter) -> dict:
    """`url` loaded `runs` times through the test client after 3 warm-up loads (the template
    and URL caches): p50 and p95 wall ms, the median process CPU ms, the query counts seen and
    the last response."""
    import statistics
    import time

    from django.db import connection

    times, cpu, queries = [], [], set()
    with connection.execute_wrapper(counter):
        for _ in range(runs + 3):
            counter.reset()
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries.add(counter.reset())
    times = sorted(times[3:])
    return {"p50": statistics.median(times), "p95": times[int(0.95 * (len(times) - 1))],
            "cpu": statistics.median(cpu[3:]), "queries": sorted(queries), "response": response}


def setup_django_url(url: str) -> None:
    """Django on the database at `url` (sqlite:///... or postgres://...), Celery in process."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_DEBUG"] = "false"  # no query log: production's cost, not DEBUG's
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pim.settings.local")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    import django

    django.setup()


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports ru_maxrss in KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def postgres_started(port: int | None = None, keep: Path | None = None):
    """A throwaway PostgreSQL server (initdb into a temporary folder, fsync off), as `.ci/run`
    starts it; yields its DATABASE_URL and stops it on exit. Run as root, the server runs as
    the postgres user. The port is `BENCH_PG_PORT` (default 25442), so that two benchmarks can
    run side by side. With `keep`, the server lives in that folder and is kept when stopped:
    the next run starts it again with its data."""
    port = port or int(os.environ.get("BENCH_PG_PORT", "25442"))
    import glob
    import shutil
    import subprocess
    import tempfile

    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                  key=lambda p: [int(x) for x in p.split("/")[-2].split(".") if x.isdigit()])
    if not bins:
        raise RuntimeError("No PostgreSQL server in /usr/lib/postgresql/*/bin.")
    pg = Path(bins[-1])
    work = keep or Path(tempfile.mkdtemp(prefix="pim-bench-pg."))
    data = work / "data"
    existing = (data / "PG_VERSION").exists()
    work.mkdir(parents=True, exist_ok=True)
    data.mkdir(exist_ok=True)
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(work, "postgres")
        shutil.chown(data, "postgres")
    options = (f"-p {port} -k {work} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off")
    run = subprocess.run
    try:
        if not existing:
            run([*as_postgres, pg / "initdb", "-D", data, "-U", "pim", "--auth=trust"],
                check=True, stdout=subprocess.DEVNULL)
        run([*as_postgres, pg / "pg_ctl", "-D", data, "-l", work / "pg.log", "-o", options, "-w",
             "start"], check=True, stdout=subprocess.DEVNULL)
        if not existing:
            run([*as_postgres, pg / "createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "pim",
                 "pim"], check=True)
        yield f"postgres://pim@127.0.0.1:{port}/pim"
    finally:
        run([*as_postgres, pg / "pg_ctl", "-D", data, "-m", "fast", "stop"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
