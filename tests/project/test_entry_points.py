"""Each entry point runs with its own settings default, whatever it imports first."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECRET = "a-long-random-production-secret-" + "x7Qp" * 10


def run_python(code: str, **variables) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG", "DJANGO_SECRET_KEY"}}
    env.update(variables)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_wsgi_defaults_to_the_production_settings():
    """`gunicorn pim.wsgi` imports the package first: its default must not be the local one."""
    result = run_python(
        "import pim.wsgi, os\n"
        "from django.conf import settings\n"
        "from pim.celery import app\n"
        "print(os.environ['DJANGO_SETTINGS_MODULE'], settings.DEBUG, app.conf.task_always_eager)",
        DJANGO_SECRET_KEY=SECRET, DJANGO_ALLOWED_HOSTS="pim.example.com",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["pim.settings.production", "False", "True"]


def test_wsgi_leaves_what_it_loaded_out_of_the_collectors_full_collections():
    """Once the application is loaded, its objects are frozen (gc.freeze); what requests make
    afterwards is collected, the young generation every 5,000 objects."""
    result = run_python(
        "import gc\nbefore = gc.get_freeze_count()\nimport pim.wsgi\n"
        "print(before, gc.get_freeze_count() > 10000, gc.isenabled(), gc.get_threshold()[0])",
        DJANGO_SECRET_KEY=SECRET, DJANGO_ALLOWED_HOSTS="pim.example.com",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "True", "True", "5000"]


def test_wsgi_refuses_to_start_without_a_secret_key():
    result = run_python("import pim.wsgi")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_an_explicit_settings_module_still_wins_over_the_wsgi_default():
    result = run_python(
        "import pim.wsgi\nfrom django.conf import settings\nprint(settings.DEBUG)",
        DJANGO_SETTINGS_MODULE="pim.settings.local",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True"]


def test_manage_py_keeps_the_local_default():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         "import os; from django.conf import settings; from celery import current_app; "
         "print(os.environ['DJANGO_SETTINGS_MODULE'], settings.DEBUG, current_app.main)"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["pim.settings.local", "True", "pim"]


def test_the_celery_app_as_a_worker_finds_it_with_the_local_default():
    """`celery -A pim worker` on a laptop: the app is found on the package, Django set up."""
    result = run_python(
        "from celery.app.utils import find_app\n"
        "app = find_app('pim')\n"
        "app.loader.import_default_modules()\n"
        "import os\nfrom django.conf import settings\n"
        "print(app.main, os.environ['DJANGO_SETTINGS_MODULE'], settings.DEBUG,\n"
        "      'api.webhooks.tasks.webhook_events_sweep_task' in app.tasks)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["pim", "pim.settings.local", "True", "True"]
