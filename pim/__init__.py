"""The project package.

The Celery app is not imported here: importing it would set the settings default of a worker
(`pim.settings.local`) before an entry point could choose its own, and `gunicorn pim.wsgi`
would run with the development settings. `celery -A pim` finds it as `pim.app` (below), and
the web and test processes load it once Django's settings are chosen (`pim.apps`).
"""


def __getattr__(name):
    if name in {"app", "celery_app"}:
        from .celery import app

        return app
    raise AttributeError(f"module 'pim' has no attribute {name!r}")
