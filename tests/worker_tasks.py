"""A task for tests/test_workers.py: it notes each run in a file named by the test, so the test
can count how often each task ran across worker processes."""

import os

from django_tasks import task


@task()
def note_run(path: str, number: int) -> None:
    # O_APPEND writes of one short line land whole, whichever process writes them.
    with open(path, "a", encoding="utf-8") as runs:
        runs.write(f"{number} {os.getpid()}\n")
