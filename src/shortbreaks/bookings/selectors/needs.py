"""Whether a session supports a child's needs: every need recorded for the child must be among
the needs its service says it supports (a service that lists none is not checked)."""

from shortbreaks.directory.models import Service
from shortbreaks.families.models import Child


def unsupported_needs(sessions, children) -> dict[tuple, list[str]]:
    """(session id, child id) -> names of the child's needs the session's service does not
    support; pairs that are fine are left out. Two queries, whatever the numbers."""
    service_ids = {s.service_id for s in sessions}
    supported: dict = {}
    for service_id, term_id in Service.needs.through.objects.filter(service_id__in=service_ids).values_list(
        "service_id", "taxonomyterm_id"
    ):
        supported.setdefault(service_id, set()).add(term_id)
    needs: dict = {}
    for child_id, term_id, name in Child.needs.through.objects.filter(
        child_id__in=[c.pk for c in children]
    ).values_list("child_id", "taxonomyterm_id", "taxonomyterm__name"):
        needs.setdefault(child_id, {})[term_id] = name
    problems = {}
    for session in sessions:
        if session.service_id not in supported:
            continue
        for child in children:
            missing = [
                name for term, name in needs.get(child.pk, {}).items() if term not in supported[session.service_id]
            ]
            if missing:
                problems[(session.pk, child.pk)] = sorted(missing)
    return problems


def why_not_bookable(sessions, children) -> dict:
    """child id -> why none of these sessions can take the child (their needs, or their age),
    said on the booking page before the parent chooses; children who fit some session are left
    out. The booking service checks the same again when they book."""
    unsupported = unsupported_needs(sessions, children)
    reasons = {}
    for child in children:
        if not sessions:
            break
        if all((s.pk, child.pk) in unsupported for s in sessions):
            missing = ", ".join(_in_a_sentence(name) for name in unsupported[(sessions[0].pk, child.pk)])
            reasons[child.pk] = f"Not set up for {child.first_name}'s needs ({missing})."
        elif not any(s.minimum_age <= child.age_on(s.date) <= s.maximum_age for s in sessions):
            first = sessions[0]
            reasons[child.pk] = (
                f"{child.first_name} is outside the ages for these sessions ({first.minimum_age} to "
                f"{first.maximum_age})."
            )
    return reasons


def _in_a_sentence(name: str) -> str:
    """'Complex health needs' -> 'complex health needs'; 'ADHD' stays as it is."""
    first = name.split()[0]
    return name if first.isupper() else name[0].lower() + name[1:]
