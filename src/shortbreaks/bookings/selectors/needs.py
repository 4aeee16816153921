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
