"""The authority's booking policy: made with the authority (receivers.py), only ever read here."""

from ..models import BookingPolicy


def policy_for(authority) -> BookingPolicy:
    """Never writes: an authority without its row (none should be) reads the defaults."""
    return BookingPolicy.objects.filter(authority=authority).first() or BookingPolicy(authority=authority)
