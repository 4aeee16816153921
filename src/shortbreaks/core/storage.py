"""Where stored files live: every upload and every PDF the worker makes goes through Django's
storage API (settings STORAGES["default"]): files on this server's disk by default, or an
S3-compatible object store for more than one server (SHORTBREAKS_STORAGE=s3).

Two rules hold on either backend:
- the store being unreachable is StoreUnavailable, which the middleware turns into a clear
  page (status 503) and a logged error, never a 500 trace;
- a file is kept only if its database record commits, and the reverse: store_file() saves it
  inside the service's transaction, and files_kept_if_committed() deletes what was saved when
  the transaction does not commit. A failed save raises, so the transaction (and its record)
  rolls back too.
"""

import contextlib
import contextvars
import functools
import logging

from django.core.files.storage import FileSystemStorage
from django.db import transaction

logger = logging.getLogger(__name__)


class StoreUnavailable(Exception):
    """The file store could not be reached (or refused to work); the person can try later."""


# --- The backends ------------------------------------------------------------------------


class LocalStorage(FileSystemStorage):
    """Files on this server's disk (the media folder): the zero-set-up default. A disk that cannot
    be written or read (full, unmounted, permissions) is StoreUnavailable; a missing file is
    still FileNotFoundError."""

    def _save(self, name, content):
        try:
            return super()._save(name, content)
        except (FileNotFoundError, FileExistsError):
            raise
        except OSError as error:
            raise StoreUnavailable(f"cannot save {name}: {error}") from error

    def _open(self, name, mode="rb"):
        try:
            return super()._open(name, mode)
        except FileNotFoundError:
            raise
        except OSError as error:
            raise StoreUnavailable(f"cannot open {name}: {error}") from error


# --- A file is kept only with its record --------------------------------------------------

_saved: contextvars.ContextVar[list | None] = contextvars.ContextVar("files_saved", default=None)


@contextlib.contextmanager
def files_kept_if_committed():
    """Around a transaction that saves files with store_file(): if it raises, including a
    failed commit, every file it saved is deleted again, so no object is left without its
    record."""
    saved: list = []
    token = _saved.set(saved)
    try:
        yield
    except BaseException:
        for storage, name in reversed(saved):
            try:
                storage.delete(name)
            except Exception:
                logger.exception("Could not delete the stored file %s after its record failed: it is orphaned", name)
        raise
    finally:
        _saved.reset(token)


def atomic_with_files(func):
    """transaction.atomic(durable=True) for a service that stores files: the files it saved
    with store_file() are deleted if the transaction does not commit."""
    atomic = transaction.atomic(durable=True)(func)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with files_kept_if_committed():
            return atomic(*args, **kwargs)

    return wrapper


def store_file(field_file, content, name: str | None = None) -> None:
    """Save content as the file of a model's FileField (field_file is e.g. document.file),
    without saving the model: the caller saves the record in the same transaction. Only
    inside files_kept_if_committed() (or atomic_with_files), so the file goes if the record
    does not commit."""
    saved = _saved.get()
    if saved is None or not transaction.get_connection().in_atomic_block:
        raise RuntimeError("store_file() is for inside atomic_with_files (or files_kept_if_committed and atomic)")
    field_file.save(name or getattr(content, "name", None) or "file", content, save=False)
    saved.append((field_file.storage, field_file.name))
