"""Which authority a request belongs to, and the security headers every response carries."""

import logging
import time

from django.conf import settings
from django.http import HttpResponse
from django.template import loader

from .models import Authority
from .storage import StoreUnavailable

logger = logging.getLogger(__name__)

_HOST_CACHE: dict = {"loaded_at": 0.0, "by_host": {}, "default": None}
_HOST_CACHE_SECONDS = 60


def _authority_map() -> tuple[dict, Authority | None]:
    now = time.monotonic()
    if now - _HOST_CACHE["loaded_at"] > _HOST_CACHE_SECONDS:
        authorities = list(Authority.objects.all())
        by_host = {host: a for a in authorities for host in a.hostname_list()}
        default = next((a for a in authorities if a.slug == settings.DEFAULT_AUTHORITY), None)
        if default is None and authorities:
            default = min(authorities, key=lambda a: a.pk)
        _HOST_CACHE.update(loaded_at=now, by_host=by_host, default=default)
    return _HOST_CACHE["by_host"], _HOST_CACHE["default"]


def forget_authorities() -> None:
    """Drop the cached host map (after authorities change, and between tests)."""
    _HOST_CACHE["loaded_at"] = 0.0


def resolve_authority(host: str) -> Authority | None:
    by_host, default = _authority_map()
    return by_host.get(host.split(":")[0].lower(), default)


class AuthorityMiddleware:
    """Sets request.authority from the host name, falling back to DEFAULT_AUTHORITY (or the
    first authority) for single-council installs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.authority = resolve_authority(request.get_host())
        if request.authority is None and not request.path.startswith(("/static/", "/admin/")):
            body = loader.render_to_string("core/not_set_up.html", request=request)
            return HttpResponse(body, status=503)
        return self.get_response(request)


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """A Content Security Policy with no inline script, and a tight permissions policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


# Open data anyone may fetch from any site's scripts: Open Referral UK requires the header, and
# the OCDS API and the 360Giving file are published on the same terms.
OPEN_API_PREFIXES = ("/api/oruk/", "/api/ocds/", "/open-data/360giving.json")


class OpenCorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(OPEN_API_PREFIXES):
            return self.get_response(request)
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Max-Age"] = "86400"
        elif request.method == "HEAD":
            # HEAD wherever GET works (validators and caches ask it): the GET's headers, no body.
            request.method = "GET"
            response = self.get_response(request)
            if not response.streaming:
                response["Content-Length"] = str(len(response.content))
                response.content = b""
        else:
            response = self.get_response(request)
        response["Access-Control-Allow-Origin"] = "*"
        return response


class StoreUnavailableMiddleware:
    """The file store (core/storage.py) being unreachable, during an upload or a download, is
    a clear page saying to try again later (status 503) and a logged error, not a 500 trace."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, StoreUnavailable):
            return None
        logger.error(
            "The documents store could not be reached: %s %s", request.method, request.path, exc_info=exception
        )
        body = loader.render_to_string("core/store_unavailable.html", request=request)
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "120"
        response["Cache-Control"] = "no-store"
        return response
