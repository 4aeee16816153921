"""GET /healthz for a load balancer: 200 when this server can reach the database and the file
store, 503 (naming which failed) when it cannot, so traffic goes to the servers that can.

Answered first in the middleware chain, before the host is checked: a load balancer asks by
address, not by a council's host name, and the answer holds nothing of any authority. Anyone
may call it; it says only "ok" or which part is failing, never why (the log says why)."""

import logging

from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse

PATH = "/healthz"
logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _storage() -> None:
    # A lookup of a name that need not exist: it reaches the store (a HEAD request on S3)
    # without writing anything.
    default_storage.exists("healthz-probe")


CHECKS = {"database": _database, "storage": _storage}


def health() -> tuple[int, dict]:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:  # any failure means "send traffic elsewhere"; the log keeps the detail
            logger.exception("Health check failed: %s", name)
            results[name] = "failing"
        else:
            results[name] = "ok"
    return (200 if all(v == "ok" for v in results.values()) else 503), results


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != PATH or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        status, results = health()
        response = JsonResponse(results, status=status)
        response["Cache-Control"] = "no-store"
        return response
