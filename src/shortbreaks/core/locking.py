"""Turning a lock we could not get in time into a clear "busy, try again" (see
docs/architecture.md, Locking)."""

from functools import wraps

from django.db import OperationalError

from .errors import Busy

# PostgreSQL: lock_not_available (lock_timeout) and deadlock_detected; SQLite: database locked.
_BUSY_SQLSTATES = {"55P03", "40P01"}


def is_lock_failure(error: OperationalError) -> bool:
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(getattr(cause, "diag", None), "sqlstate", None)
    if sqlstate in _BUSY_SQLSTATES:
        return True
    return "database is locked" in str(error)


def busy_on_lock_timeout(function):
    """Wrap the outermost service of a contended write: a lock timeout becomes Busy."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except OperationalError as error:
            if is_lock_failure(error):
                raise Busy() from error
            raise

    return wrapper
