"""Absolute addresses for what leaves the site (emails, feeds): built from the authority's own
host name, so a family of Kestrel gets Kestrel's links, never the installation's default."""

from django.conf import settings
from django.urls import reverse

from .models import Authority


def site_url(authority: Authority) -> str:
    """The authority's public address, with no trailing slash: its first host name, on the
    scheme (and, in development, the port) the installation serves on."""
    hosts = authority.hostname_list()
    if not hosts:
        return settings.SITE_URL.rstrip("/")
    port = f":{settings.PUBLIC_URL_PORT}" if settings.PUBLIC_URL_PORT else ""
    return f"{settings.PUBLIC_URL_SCHEME}://{hosts[0]}{port}"


def absolute(authority: Authority, viewname: str, *args) -> str:
    """An absolute link to a page of the authority's site, for an email."""
    return site_url(authority) + reverse(viewname, args=args)
