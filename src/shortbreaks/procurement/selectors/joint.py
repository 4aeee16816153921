"""Regional commissioning, the reads: which authorities may call off from a framework, and the
arrangements an authority leads or takes part in (services/joint.py records them)."""

from django.db.models import Q

from shortbreaks.core.models import Authority

from ..models import JointArrangement, JointParticipant, Opportunity


def may_call_off(framework: Opportunity, authority: Authority) -> bool:
    return (
        framework.authority_id == authority.pk
        or JointParticipant.objects.filter(arrangement__framework=framework, authority=authority).exists()
    )


def joint_arrangements(authority: Authority):
    """Arrangements this authority leads or takes part in."""
    return (
        JointArrangement.objects.filter(Q(authority=authority) | Q(participants__authority=authority))
        .distinct()
        .select_related("framework", "authority")
        .prefetch_related("participants__authority", "framework__lots")
    )
