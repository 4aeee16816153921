"""An S3-compatible object store for stored files (SHORTBREAKS_STORAGE=s3; core/storage.py
says the rules). Its own module, so an install on local files never imports boto3."""

import functools

from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage as Base

from .storage import StoreUnavailable

_ERRORS = (BotoCoreError, ClientError)


def _unreachable(method):
    """Any botocore failure of a storage call (no connection, a timeout, a refusal such as a
    5xx or a missing bucket) becomes StoreUnavailable; a missing object stays
    FileNotFoundError, and deleting one is no error."""

    @functools.wraps(method)
    def wrapper(self, name, *args, **kwargs):
        try:
            return method(self, name, *args, **kwargs)
        except _ERRORS as error:
            raise StoreUnavailable(f"{method.__name__} {name}: {error}") from error

    return wrapper


class S3Storage(Base):
    """Objects private (no ACL is sent, so the bucket's own private default holds), never
    overwritten (a taken name gets a new one), and never linked to: downloads go through the
    app's own views, with their checks and headers."""

    def __init__(self, **settings):
        settings.setdefault("default_acl", None)
        settings.setdefault("file_overwrite", False)
        super().__init__(**settings)

    def _open(self, name, mode="rb"):
        try:
            handle = super()._open(name, mode)
            if "r" in mode:
                handle.file  # noqa: B018 - fetched now, so a failure shows before a download starts
            return handle
        except _ERRORS as error:
            raise StoreUnavailable(f"open {name}: {error}") from error

    _save = _unreachable(Base._save)
    delete = _unreachable(Base.delete)
    exists = _unreachable(Base.exists)
    size = _unreachable(Base.size)
    get_modified_time = _unreachable(Base.get_modified_time)
    listdir = _unreachable(Base.listdir)

    def url(self, name, *args, **kwargs):
        raise NotImplementedError("Stored files are downloaded only through the app's own views, never a bucket URL.")
