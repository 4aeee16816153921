import logging
import uuid
from pathlib import PurePosixPath

from django.http import FileResponse, Http404

logger = logging.getLogger(__name__)


def open_stored(file):
    """A stored file opened for reading. One whose record is here but whose file has gone from
    the store (deleted by hand, a restore gone wrong) is a "not found" page for the person and an
    error in the log for the council, never a 500."""
    try:
        return file.open("rb")
    except FileNotFoundError:
        logger.error("Stored file missing: %s", getattr(file, "name", file))
        raise Http404("That file is no longer available.") from None


def attachment(file, *, filename: str, content_type: str, private: bool = False) -> FileResponse:
    """An uploaded file, always as a download with its checked type, sandboxed so it can never
    run as a page of ours; private ones (special category data) are not cached."""
    response = FileResponse(open_stored(file), as_attachment=True, filename=filename, content_type=content_type)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        response["Cache-Control"] = "private, no-store"
    return response


def stored_name(folder: str, filename: str) -> str:
    """Where an upload is kept: a generated name, so nothing the uploader typed (a child's name,
    a path, a script) reaches the disk or a URL. The person's own name for the file is kept in
    the database and given back as the download's name."""
    suffix = PurePosixPath(filename or "").suffix.lower()
    if not (suffix[1:].isalnum() and len(suffix) <= 6):
        suffix = ""
    return f"{folder}/{uuid.uuid4().hex}{suffix}"
