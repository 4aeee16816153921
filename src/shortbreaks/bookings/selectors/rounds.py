"""Reads for request rounds: a family's own requests and outcomes; a round's figures for the
commissioner."""

from django.db.models import Count, Q

from ..models import FamilyRequest, PlaceRequest, RequestRound, Scheme, Session


def live_round(scheme: Scheme) -> RequestRound | None:
    return RequestRound.objects.filter(scheme=scheme).exclude(status=RequestRound.Status.CONFIRMED).first()


def open_rounds(*, authority, now) -> list[RequestRound]:
    return list(
        RequestRound.objects.filter(
            authority=authority, status=RequestRound.Status.COLLECTING, opens_at__lte=now, closes_at__gt=now
        ).select_related("scheme")
    )


def family_requests(*, families) -> list[FamilyRequest]:
    """Only the families given (the caller passes the signed-in carer's own)."""
    return list(
        FamilyRequest.objects.filter(family__in=families)
        .select_related("round__scheme")
        .prefetch_related("places__session__service", "places__child")
        .order_by("-round__opens_at")
    )


def session_figures(round_: RequestRound):
    """Per session: places, how many asked for it (and as a first choice), how many got it."""
    return (
        Session.objects.filter(place_requests__family_request__round=round_)
        .select_related("service")
        .annotate(
            asked=Count("place_requests"),
            asked_first=Count("place_requests", filter=Q(place_requests__rank=1)),
            granted=Count("place_requests", filter=Q(place_requests__outcome=PlaceRequest.Outcome.GRANTED)),
        )
        .order_by("date", "starts_at")
    )
