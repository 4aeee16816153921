"""Listing freshness: whether a listing has been confirmed recently enough, by the authority's
listing policy. A listing nobody has confirmed within the policy's days (or ever) is out of
date: commissioners see it flagged, search shows it after the others, and the gap analysis
leaves its sessions out of the supply until it is confirmed again."""

import datetime as dt

from django.db.models import Q, QuerySet

from shortbreaks.core.models import Authority

from ..models import ListingPolicy, Service


def listing_policy_for(authority: Authority) -> ListingPolicy:
    """The policy in force; reading it never writes (an authority without one gets the defaults)."""
    return ListingPolicy.objects.filter(authority=authority).first() or ListingPolicy(authority=authority)


def checked_since(authority: Authority, today: dt.date, policy: ListingPolicy | None = None) -> dt.date:
    """The earliest check that still counts today."""
    policy = policy or listing_policy_for(authority)
    return today - dt.timedelta(days=policy.check_every_days)


def fresh(since: dt.date, prefix: str = "") -> Q:
    """Services (or rows reaching a service through `prefix`, like "service__") confirmed on or
    after `since`."""
    return Q(**{f"{prefix}assured_on__gte": since})


def check_due_on(service: Service, policy: ListingPolicy) -> dt.date | None:
    """The last day the listing counts as checked; None if it never has been."""
    if service.assured_on is None:
        return None
    return service.assured_on + dt.timedelta(days=policy.check_every_days)


def is_out_of_date(service: Service, today: dt.date, policy: ListingPolicy) -> bool:
    due = check_due_on(service, policy)
    return due is None or due < today


def is_due_soon(service: Service, today: dt.date, policy: ListingPolicy) -> bool:
    due = check_due_on(service, policy)
    return due is not None and today <= due <= today + dt.timedelta(days=policy.remind_days_before)


def out_of_date_listings(*, authority: Authority, today: dt.date, since: dt.date | None = None) -> QuerySet[Service]:
    """Published listings not confirmed recently enough, the longest unchecked first. `since`:
    checked_since(authority, today), where the caller has worked it out already."""
    since = since or checked_since(authority, today)
    return (
        Service.objects.filter(authority=authority, is_published=True, organisation__is_published=True)
        .exclude(fresh(since))
        .select_related("organisation")
        .order_by("assured_on", "name")
    )
