"""Several workers, as on several hosts, share one queue in PostgreSQL: a burst of tasks is
run once each, never twice, whichever worker claims it (django-tasks-db locks a row with SKIP
LOCKED and claims it in the same transaction)."""

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from .worker_tasks import note_run

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent workers need PostgreSQL (SQLite allows one writer)")


def _database_url() -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def test_two_workers_run_a_burst_of_tasks_once_each(tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    runs = tmp_path / "runs.txt"
    burst = 120
    for number in range(burst):
        note_run.enqueue(str(runs), number)
    assert DBTaskResult.objects.ready().count() == burst

    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "shortbreaks.settings.development",
        "PYTHONPATH": f"{REPO}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
    }
    command = [sys.executable, "-m", "shortbreaks", "db_worker", "--batch", "--no-startup-delay", "--interval", "0"]
    workers = [
        subprocess.Popen(
            [*command, "--worker-id", f"host-{name}"], env=env, cwd=REPO, stderr=subprocess.PIPE, text=True
        )
        for name in ("a", "b")
    ]
    for worker in workers:
        _, errors = worker.communicate(timeout=240)
        assert worker.returncode == 0, errors

    counts = Counter(int(line.split()[0]) for line in runs.read_text().splitlines())
    assert sorted(counts) == list(range(burst)) and set(counts.values()) == {1}
    assert DBTaskResult.objects.successful().count() == burst
    # Each task was claimed by exactly one worker.
    assert all(len(ids) == 1 for ids in DBTaskResult.objects.values_list("worker_ids", flat=True))
