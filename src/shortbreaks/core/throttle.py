"""Limits on how often something may be done (sign-ups from one address, invitations from one
person), counted in the database so they hold across web servers."""

import datetime as dt
import hashlib

from django.utils import timezone

from .models import ThrottleHit

HOUR = dt.timedelta(hours=1)


def _key(*parts) -> str:
    return hashlib.sha256("|".join(str(p).lower() for p in parts).encode()).hexdigest()


def allow(*parts, limit: int, per: dt.timedelta = HOUR) -> bool:
    """Record one attempt under these parts (e.g. "sign-up", client address) and say whether it
    is within the limit. Attempts older than the window are forgotten as they pass."""
    key, now = _key(*parts), timezone.now()
    ThrottleHit.objects.filter(key=key, at__lt=now - per).delete()
    if ThrottleHit.objects.filter(key=key).count() >= limit:
        return False
    ThrottleHit.objects.create(key=key, at=now)
    return True
