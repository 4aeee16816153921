"""Setting up a member of staff's second factor, only through a one-time link sent to their
email (see SecondFactorLink): a password alone never enrols an authenticator app."""

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shortbreaks.core.tasks import email_after_commit

from .models import SecondFactorLink

RESEND_AFTER = dt.timedelta(minutes=10)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def link_send(*, user, base_url: str, force: bool = False) -> bool:
    """Email a new link, unless one went in the last ten minutes (so reloading the page, or
    someone with the password, cannot flood the inbox). Returns whether one was sent."""
    now = timezone.now()
    # "Send another link" may ask again after a minute; anything else waits ten.
    wait = dt.timedelta(minutes=1) if force else RESEND_AFTER
    if SecondFactorLink.objects.filter(user=user, used_at__isnull=True, created_at__gt=now - wait).exists():
        return False
    token = secrets.token_urlsafe(32)
    SecondFactorLink.objects.create(
        user=user, token_hash=_hash(token), expires_at=now + dt.timedelta(hours=SecondFactorLink.LIFETIME_HOURS)
    )
    link = base_url.rstrip("/") + reverse("accounts:two-factor-link", args=[token])
    email_after_commit(
        to=[user.email],
        subject="Set up your authenticator app for short breaks",
        body=(
            f"Hello {user.display_name},\n\n"
            "To finish signing in, set up an authenticator app on your phone from this link. It works once, "
            f"for {SecondFactorLink.LIFETIME_HOURS} hours, and only after you have signed in with your password:\n\n"
            f"{link}\n\n"
            "You get this email because someone signed in to your council staff account with its password and it "
            "has no authenticator app yet. If that was not you, change your password now and tell your "
            "council's administrator.\n"
        ),
    )
    return True


def link_for(*, user, token: str) -> SecondFactorLink | None:
    """The person's own link, if it still works."""
    link = SecondFactorLink.objects.filter(user=user, token_hash=_hash(token)).first()
    return link if link is not None and link.usable(timezone.now()) else None


def link_used(*, link_id) -> None:
    SecondFactorLink.objects.filter(pk=link_id, used_at__isnull=True).update(used_at=timezone.now())
