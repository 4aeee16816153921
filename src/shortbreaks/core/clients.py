"""The address a request came from, for throttling and lock-outs.

Behind a reverse proxy every request arrives from the proxy, so sign-in lock-outs keyed by
address would lock out everyone at once. The address in the proxy's header is believed only
when the request came from a proxy named in TRUSTED_PROXIES (a setting, empty by default: with
no proxy named, the header is never read, since anyone can send it)."""

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = set(getattr(settings, "TRUSTED_PROXIES", ()))
    if remote not in trusted:
        return remote
    forwarded = request.META.get(getattr(settings, "CLIENT_IP_HEADER", "HTTP_X_FORWARDED_FOR"), "")
    # X-Forwarded-For lists each hop; the nearest one not our own proxy is the client.
    for address in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        if address not in trusted:
            return address
    return remote
