"""Links that work once: a random token goes in the email, only its hash is kept."""

import datetime as dt
import hashlib
import secrets

from django.utils import timezone

from .models import OneTimeLink


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh token and its hash."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def link_issue(*, user, purpose: str, hours: int = OneTimeLink.LIFETIME_HOURS, authority=None) -> tuple:
    """A new link and its token, for the caller to email (or to hand to the session, when the
    person has just proved they own the email some other way)."""
    token, hashed = new_token()
    link = OneTimeLink.objects.create(
        user=user,
        purpose=purpose,
        authority=authority,
        token_hash=hashed,
        expires_at=timezone.now() + dt.timedelta(hours=hours),
    )
    return link, token


def sent_lately(*, user, purpose: str, within: dt.timedelta) -> bool:
    return OneTimeLink.objects.filter(
        user=user, purpose=purpose, used_at__isnull=True, created_at__gt=timezone.now() - within
    ).exists()


def link_found(*, token: str, purpose: str, user=None) -> OneTimeLink | None:
    """The link for this token, used or not (the page says which); None if there is none."""
    links = OneTimeLink.objects.filter(token_hash=token_hash(token), purpose=purpose).select_related("user")
    if user is not None:
        links = links.filter(user=user)
    return links.first()


def link_used(*, link_id) -> None:
    OneTimeLink.objects.filter(pk=link_id, used_at__isnull=True).update(used_at=timezone.now())
