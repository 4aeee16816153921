"""The authority's procurement policy: made with the authority (receivers.py), only ever read here."""

from ..models import ProcurementPolicy


def policy_for(authority) -> ProcurementPolicy:
    """Never writes: an authority without its row (none should be) reads the defaults."""
    return ProcurementPolicy.objects.filter(authority=authority).first() or ProcurementPolicy(authority=authority)
