"""Which tier of short breaks a child may book on a given day: "specialist" with an active
specialist allocation covering the day, "targeted" with active eligibility covering it (or a
specialist allocation), otherwise "universal". Two queries for any number of children and
days, so a booking or a whole request round checks them all at once."""

import datetime as dt

from shortbreaks.families.models import Allocation, Eligibility

RANK = {"universal": 0, "targeted": 1, "specialist": 2}


def tiers_on(children, days) -> dict[tuple, str]:
    """(child id, day) -> tier, for every child and day given."""
    child_ids, days = [c.pk for c in children], sorted(set(days))
    if not child_ids or not days:
        return {}
    first, last = days[0], days[-1]
    specialist = list(
        Allocation.objects.filter(
            child_id__in=child_ids,
            status=Allocation.Status.ACTIVE,
            tier="specialist",
            period_start__lte=last,
            period_end__gte=first,
        ).values_list("child_id", "period_start", "period_end")
    )
    targeted = list(
        Eligibility.objects.filter(
            child_id__in=child_ids, status=Eligibility.Status.ACTIVE, valid_from__lte=last, expires_on__gte=first
        ).values_list("child_id", "valid_from", "expires_on")
    )

    def covers(rows, child_id, day: dt.date) -> bool:
        return any(c == child_id and start <= day <= end for c, start, end in rows)

    return {
        (child_id, day): "specialist"
        if covers(specialist, child_id, day)
        else "targeted"
        if covers(targeted, child_id, day)
        else "universal"
        for child_id in child_ids
        for day in days
    }


def allows(session_tier: str, child_tier: str) -> bool:
    return RANK[child_tier] >= RANK[session_tier]
