from django.http import FileResponse


def attachment(file, *, filename: str, content_type: str, private: bool = False) -> FileResponse:
    """An uploaded file, always as a download with its checked type, sandboxed so it can never
    run as a page of ours; private ones (special category data) are not cached."""
    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        response["Cache-Control"] = "private, no-store"
    return response
