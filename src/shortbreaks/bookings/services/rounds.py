"""Request rounds for oversubscribed schemes: a commissioner opens one, families ask for sessions
in order of preference until it closes, the worker shares the places out with the HiGHS model
in `solver.py`, the commissioner checks the result and confirms it, and only then are the
bookings made (money committed as for any booking) and each family told what they got and why.
Requests that got no place join the session's waiting list in priority order."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from shortbreaks.bookings.audit import Audit
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.locking import busy_on_lock_timeout
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.core.templatetags.govuk import clock
from shortbreaks.families.models import BudgetAccount, Family, LedgerEntry
from shortbreaks.families.selectors.access import children_of_carer
from shortbreaks.families.services.budget import account_for, post_entry

from ..models import Booking, BookingGroup, FamilyRequest, PlaceRequest, RequestRound, Scheme, Session, WaitingListEntry
from ..models.bookings import LIVE
from ..selectors.bookable import unbookable
from ..selectors.capacity import Taken, over_capacity, taken_in
from ..selectors.needs import unsupported_needs
from ..selectors.tiers import RANK, allows, tiers_on
from . import solver

REASONS = {
    "cap": "{child} already had the most sessions anyone could have this time ({cap}).",
    "clash": "It is at the same time as another session {child} was given.",
    "budget": "There was not enough left in {child}'s budget for it as well.",
    "places": "Every place went to children whose needs were weighted higher, or who had fewer sessions.",
    "staff": "The one-to-one staff on it were all needed by children given places before this choice.",
    "seats": "The transport seats were all taken.",
    "together": "You asked for your children to go together and there was not room for all of them.",
    "fairness": "To give as many children as possible at least one session, it went to a child with none.",
}


def round_sessions(round_: RequestRound):
    return (
        Session.objects.filter(scheme=round_.scheme, date__gt=round_.closes_at.date())
        .select_related("service")
        .order_by("date", "starts_at")
    )


@transaction.atomic(durable=True)
def round_open(
    *,
    scheme: Scheme,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    max_sessions_per_child: int,
    max_choices: int,
    need_weights: dict,
    opened_by,
) -> RequestRound:
    if closes_at <= opens_at:
        raise NotAllowed("The round must close after it opens.")
    if closes_at <= timezone.now():
        raise NotAllowed("The closing time has already passed.")
    if not 1 <= max_sessions_per_child <= 50 or not 1 <= max_choices <= 20:
        raise NotAllowed("Allow between 1 and 50 sessions per child, and between 1 and 20 choices.")
    if any(not isinstance(w, (int, float)) or not 0 < w <= 10 for w in need_weights.values()):
        raise NotAllowed("Each need weight must be a number more than 0 and at most 10.")
    if RequestRound.objects.filter(scheme=scheme).exclude(status=RequestRound.Status.CONFIRMED).exists():
        raise NotAllowed(f"{scheme} already has a round that is not confirmed yet.")
    round_ = RequestRound.objects.create(
        authority=scheme.authority,
        scheme=scheme,
        opens_at=opens_at,
        closes_at=closes_at,
        max_sessions_per_child=max_sessions_per_child,
        max_choices=max_choices,
        need_weights=need_weights,
        created_by=opened_by,
    )
    if not round_sessions(round_).exists():
        raise NotAllowed(f"{scheme} has no sessions after the round closes to ask for.")
    audit_record(
        authority=scheme.authority,
        actor=opened_by,
        action=Audit.ROUND_OPENED,
        target=round_,
        summary=f"Requests opened for {scheme} until {clock(timezone.localtime(closes_at))} on "
        f"{timezone.localtime(closes_at):%-d %B %Y}",
    )
    return round_


@transaction.atomic(durable=True)
def requests_submit(
    *, round_: RequestRound, family: Family, submitted_by, choices: dict, siblings_together: bool, with_transport: bool
) -> FamilyRequest:
    """Replace the family's requests with `choices`: child -> sessions in order of preference."""
    round_ = RequestRound.objects.select_for_update().get(pk=round_.pk)
    if not round_.is_open(timezone.now()):
        raise NotAllowed("This round is not taking requests now.")
    own = set(
        children_of_carer(user=submitted_by, authority=round_.authority)
        .filter(family=family)
        .values_list("pk", flat=True)
    )
    allowed = {s.pk: s for s in round_sessions(round_)}
    if not any(choices.values()):
        raise NotAllowed("Choose at least one session for at least one child.")
    for child, sessions in choices.items():
        if child.pk not in own:
            raise NotAllowed("You can only ask for places for children in your own family.")
        if len(sessions) > round_.max_choices:
            raise NotAllowed(f"Choose at most {round_.max_choices} sessions for {child.first_name}.")
        if len({s.pk for s in sessions}) != len(sessions):
            raise NotAllowed(f"Each session can be chosen once for {child.first_name}.")
        if any(s.pk not in allowed for s in sessions):
            raise NotAllowed("One of the sessions chosen is not part of this round.")
        if problems := unbookable(sessions, now=timezone.now(), by_request=True):
            raise NotAllowed(problems[0])
    request, _ = FamilyRequest.objects.update_or_create(
        round=round_,
        family=family,
        defaults={
            "authority": round_.authority,
            "submitted_by": submitted_by,
            "siblings_together": siblings_together,
            "with_transport": with_transport,
        },
    )
    request.places.all().delete()
    PlaceRequest.objects.bulk_create(
        [
            PlaceRequest(authority=round_.authority, family_request=request, child=child, session=session, rank=rank)
            for child, sessions in choices.items()
            for rank, session in enumerate(sessions, start=1)
        ]
    )
    audit_record(
        authority=round_.authority,
        actor=submitted_by,
        action=Audit.ROUND_REQUESTED,
        target=request,
        summary=f"{sum(len(s) for s in choices.values())} session(s) asked for in {round_.scheme}",
    )
    return request


def _ineligible(request: PlaceRequest, tier: str, booked: set, unsupported: dict) -> str | None:
    session, child = request.session, request.child
    if (session.pk, child.pk) in booked:
        return f"{child.first_name} is already booked on it."
    if missing := unsupported.get((session.pk, child.pk)):
        return f"It is not set up for {child.first_name}'s needs: {', '.join(missing)}."
    age = child.age_on(session.date)
    if not session.minimum_age <= age <= session.maximum_age:
        return f"{child.first_name} (aged {age}) is outside its ages ({session.minimum_age} to {session.maximum_age})."
    if allows(session.tier, tier):
        return None
    if session.tier == Session.Tier.SPECIALIST:
        return f"It needs a specialist allocation, which {child.first_name} does not have."
    return f"It needs targeted short breaks eligibility, which {child.first_name} does not have on that date."


def build_problem(round_: RequestRound) -> tuple[solver.Problem, dict]:
    """The round's requests as a solver problem, and the requests ruled out before solving
    (request id -> reason)."""
    requests = list(
        PlaceRequest.objects.filter(family_request__round=round_).select_related("session", "child", "family_request")
    )
    sessions = {r.session.pk: r.session for r in requests}
    children = {r.child.pk: r.child for r in requests}
    now = timezone.now()
    taken = taken_in(list(sessions.values()), now=now)
    # Eligibility is checked on each session's own date; a child's need weight is the highest
    # tier they hold on any date they asked for.
    tiers = tiers_on(children.values(), [s.date for s in sessions.values()])
    need = {}
    for r in requests:
        tier = tiers[(r.child_id, r.session.date)]
        need[r.child_id] = max(need.get(r.child_id, tier), tier, key=RANK.get)
    booked = set(
        Booking.objects.filter(session__in=sessions, child__in=children, status__in=LIVE).values_list(
            "session_id", "child_id"
        )
    )
    budgets = dict(BudgetAccount.objects.filter(child__in=children).values_list("child_id", "available"))
    ruled_out, chosen = {}, []
    unsupported = unsupported_needs(list(sessions.values()), list(children.values()))
    for r in requests:
        if reason := _ineligible(r, tiers[(r.child_id, r.session.date)], booked, unsupported):
            ruled_out[r.pk] = reason
        else:
            chosen.append(r)
    weights = round_.need_weights
    problem = solver.Problem(
        requests=[
            solver.Request(
                key=r.pk,
                child=r.child_id,
                session=r.session_id,
                rank=r.rank,
                family=r.family_request_id,
                transport=r.family_request.with_transport and r.session.transport_seats > 0,
            )
            for r in chosen
        ],
        sessions={
            pk: solver.Capacity(
                places=max(0, s.places - taken[pk].places),
                staff=max(0, s.support_staff - taken[pk].staff),
                seats=max(0, s.transport_seats - taken[pk].seats),
            )
            for pk, s in sessions.items()
        },
        children={
            pk: solver.ChildFacts(
                weight=float(weights.get(need[pk], 1)),
                staff_units=c.staff_units,
                budget=float(budgets.get(pk, Decimal("0"))),
            )
            for pk, c in children.items()
        },
        prices={pk: float(s.price) for pk, s in sessions.items()},
        cap_per_child=round_.max_sessions_per_child,
        together=_together(chosen),
        clashes=_clashes(list(sessions.values())),
    )
    return problem, ruled_out


def _together(requests: list[PlaceRequest]) -> list[list]:
    groups = defaultdict(list)
    for r in requests:
        if r.family_request.siblings_together:
            groups[(r.family_request_id, r.session_id)].append(r.pk)
    return [keys for keys in groups.values() if len(keys) > 1]


def _clashes(sessions: list[Session]) -> list[tuple]:
    by_day = defaultdict(list)
    for s in sessions:
        by_day[s.date].append(s)
    return [
        (a.pk, b.pk)
        for same_day in by_day.values()
        for i, a in enumerate(same_day)
        for b in same_day[i + 1 :]
        if a.starts_at < b.ends_at and b.starts_at < a.ends_at
    ]


@task()
def allocate_round_task(*, round_id: str) -> None:
    round_allocate(round_=RequestRound.objects.get(pk=round_id))


def round_allocate_queue(*, round_: RequestRound, requested_by) -> None:
    """Close the round (if its window has passed) and queue the allocation for the worker."""
    with transaction.atomic():
        round_ = RequestRound.objects.select_for_update().get(pk=round_.pk)
        if round_.status not in (RequestRound.Status.COLLECTING, RequestRound.Status.ALLOCATED):
            raise NotAllowed("This round is being allocated or is already confirmed.")
        if timezone.now() < round_.closes_at:
            raise NotAllowed(
                f"Requests are open until {clock(round_.closes_at)} on "
                f"{timezone.localtime(round_.closes_at):%-d %B %Y}: allocate after they close."
            )
        round_.status = RequestRound.Status.ALLOCATING
        round_.save(update_fields=["status"])
        audit_record(
            authority=round_.authority,
            actor=requested_by,
            action=Audit.ROUND_ALLOCATING,
            target=round_,
            summary=f"Allocation of {round_.scheme} started",
        )
        transaction.on_commit(lambda: allocate_round_task.enqueue(round_id=str(round_.pk)))


def round_allocate(*, round_: RequestRound) -> RequestRound:
    """Solve, then record each request's outcome and the reason. Nothing is booked yet."""
    problem, ruled_out = build_problem(round_)
    solution = solver.solve(problem, time_limit=120)
    fcfs = solver.satisfaction_of(problem, solver.first_come_first_served(problem, seed=round_.pk.int % 1000))
    requests = list(PlaceRequest.objects.filter(family_request__round=round_).select_related("child"))
    for r in requests:
        if r.pk in ruled_out:
            r.outcome, r.reason = PlaceRequest.Outcome.NOT_ELIGIBLE, ruled_out[r.pk]
        elif r.pk in solution.granted:
            r.outcome, r.reason = PlaceRequest.Outcome.GRANTED, ""
        else:
            r.outcome = PlaceRequest.Outcome.NOT_GRANTED
            r.reason = REASONS[solution.reasons[r.pk]].format(
                child=r.child.first_name, cap=round_.max_sessions_per_child
            )
    with transaction.atomic():
        PlaceRequest.objects.bulk_update(requests, ["outcome", "reason"], batch_size=1000)
        round_.status, round_.allocated_at = RequestRound.Status.ALLOCATED, timezone.now()
        round_.result = {
            "requests": len(requests),
            "considered": len(problem.requests),
            "granted": len(solution.granted),
            "children": len(problem.children),
            "children_with_a_session": solution.children_with_a_session,
            "seconds": round(solution.seconds, 2),
            "optimal": solution.optimal,
            "gap": solution.gap,
            "satisfaction": round(solution.satisfaction, 4),
            "fcfs_satisfaction": round(fcfs, 4),
        }
        round_.save(update_fields=["status", "allocated_at", "result"])
        audit_record(
            authority=round_.authority,
            actor=None,
            action=Audit.ROUND_ALLOCATED,
            target=round_,
            summary=f"{len(solution.granted)} of {len(requests)} requests granted",
            details=round_.result,
        )
    return round_


@busy_on_lock_timeout
@transaction.atomic(durable=True)
def round_confirm(*, round_: RequestRound, confirmed_by) -> RequestRound:
    """Book every granted request: lock the sessions, check the places are still free and
    commit the money, all or nothing (if a budget changed since the allocation, run it again).
    Then put the rest on the waiting lists, and tell each family what they got and why."""
    round_ = RequestRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RequestRound.Status.ALLOCATED:
        raise NotAllowed("Only an allocated round can be confirmed.")
    requests = list(
        PlaceRequest.objects.filter(family_request__round=round_).select_related(
            "child__family", "session__service", "family_request__submitted_by"
        )
    )
    session_ids = sorted({r.session_id for r in requests})
    locked = list(Session.objects.select_for_update(of=("self",)).filter(pk__in=session_ids).order_by("pk"))
    taken = taken_in(locked, now=timezone.now())
    granted = [r for r in requests if r.outcome == PlaceRequest.Outcome.GRANTED]
    if problems := unbookable(locked, now=timezone.now(), by_request=True):
        raise NotAllowed(f"{problems[0]} Allocate again to share its places out elsewhere.")
    for session in locked:
        mine = [r for r in granted if r.session_id == session.pk]
        adding = Taken(
            places=len(mine),
            staff=sum(r.child.staff_units for r in mine),
            seats=sum(1 for r in mine if r.family_request.with_transport and session.transport_seats),
        )
        if over_capacity(session, taken[session.pk], adding):
            raise NotAllowed(f"{session} has fewer places free than when the round was allocated: allocate again.")
    by_family = defaultdict(list)
    for r in granted:
        by_family[r.family_request].append(r)
    for family_request, places in by_family.items():
        group = BookingGroup.objects.create(
            authority=round_.authority, booked_by=family_request.submitted_by, idempotency_key=f"round:{round_.pk}"
        )
        bookings = Booking.objects.bulk_create(
            [
                Booking(
                    authority=round_.authority,
                    group=group,
                    session=r.session,
                    child=r.child,
                    staff_units=r.child.staff_units,
                    price=r.session.price,
                    with_transport=family_request.with_transport and r.session.transport_seats > 0,
                )
                for r in places
            ]
        )
        for booking in sorted(bookings, key=lambda b: b.child_id):
            if booking.price > 0:
                post_entry(
                    account=account_for(booking.child),
                    kind=LedgerEntry.Kind.BOOKING_COMMITTED,
                    amount=booking.price,
                    actor=confirmed_by,
                    description=f"Booking: {booking.session}",
                    reference=f"booking:{booking.pk}",
                )
    _join_waiting_lists(round_, [r for r in requests if r.outcome == PlaceRequest.Outcome.NOT_GRANTED])
    round_.status, round_.confirmed_at = RequestRound.Status.CONFIRMED, timezone.now()
    round_.save(update_fields=["status", "confirmed_at"])
    audit_record(
        authority=round_.authority,
        actor=confirmed_by,
        action=Audit.ROUND_CONFIRMED,
        target=round_,
        summary=f"{len(granted)} places booked for {len(by_family)} families in {round_.scheme}",
    )
    _tell_families(round_, requests)
    return round_


def _join_waiting_lists(round_: RequestRound, not_granted: list[PlaceRequest]) -> None:
    """Higher need first, then earlier preference: the order later offers are made in."""
    weights = round_.need_weights
    day = round_.closes_at.date()
    tiers = tiers_on({r.child for r in not_granted}, [day])
    waiting = set(
        WaitingListEntry.objects.filter(
            session__in={r.session_id for r in not_granted}, status__in=["waiting", "offered"]
        ).values_list("session_id", "child_id")
    )
    for r in sorted(not_granted, key=lambda r: (-weights.get(tiers[(r.child_id, day)], 1), r.rank)):
        if (r.session_id, r.child_id) not in waiting:
            WaitingListEntry.objects.create(
                authority=round_.authority,
                session=r.session,
                child=r.child,
                added_by=r.family_request.submitted_by,
                with_transport=r.family_request.with_transport,
            )


def _tell_families(round_: RequestRound, requests: list[PlaceRequest]) -> None:
    by_family = defaultdict(list)
    for r in requests:
        by_family[r.family_request].append(r)
    for family_request, places in by_family.items():
        lines = []
        for r in sorted(places, key=lambda r: (r.child.first_name, r.rank)):
            what = f"{r.child.first_name}, choice {r.rank}: {r.session.service.name}, {r.session.date:%A %-d %B}"
            if r.outcome == PlaceRequest.Outcome.GRANTED:
                lines.append(f"- {what}: booked.")
            else:
                lines.append(
                    f"- {what}: no place. {r.reason}"
                    + (" You are on its waiting list." if r.outcome == PlaceRequest.Outcome.NOT_GRANTED else "")
                )
        email_after_commit(
            to=family_request.family.contact_emails(),
            subject=f"Your places on {round_.scheme}",
            body=f"We have shared out the places on {round_.scheme}. Children with greater needs were weighted "
            "higher, and nobody got a second session while another child who asked had none.\n\n"
            + "\n".join(lines)
            + "\n\nYou can see and cancel your bookings from 'Your bookings': "
            f"{absolute(round_.authority, 'bookings:mine')}\n",
            why=f"your family asked for places on {round_.scheme}",
            authority=round_.authority,
        )
