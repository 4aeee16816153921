"""Booking pages for parents and carers: their own children, their own bookings."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.paging import paginate
from shortbreaks.core.roles import Role
from shortbreaks.core.templatetags.govuk import clock
from shortbreaks.directory.selectors.search import public_services
from shortbreaks.families.models import Family
from shortbreaks.families.selectors.access import children_of_carer

from ..forms.booking import BookForm
from ..forms.rounds import RoundRequestForm
from ..models import FamilyRequest, Scheme, Session
from ..selectors.asking import asking
from ..selectors.budgets import left_to_book
from ..selectors.calendar import calendar_for
from ..selectors.cancelling import policy_words, when_words
from ..selectors.capacity import taken_in
from ..selectors.mine import booked_on, open_waiting, past_bookings, upcoming_bookings
from ..selectors.needs import why_not_bookable
from ..selectors.policies import policy_for
from ..selectors.rounds import family_requests, live_round, open_rounds
from ..services.booking import BookingRefused, booking_create
from ..services.rounds import requests_submit, round_sessions
from ..services.waiting import waiting_lists_join
from .changes import own_booking


def _own_children(request):
    return children_of_carer(user=request.user, authority=request.authority)


@roles(Role.PARENT)
def book(request, service_id):
    """A parent or carer books this service's open sessions for their own children (or joins
    a waiting list). Who may see it: carers of the children offered (children_of_carer)."""
    service = get_object_or_404(public_services(authority=request.authority), pk=service_id)
    now = timezone.now()
    open_sessions = Session.objects.filter(service=service, booking_closes_at__gt=now).order_by("date", "starts_at")
    # A scheme sharing its places out by request is not offered here: the page says how to ask.
    sessions, asked_for = asking(list(open_sessions[:60]), now=now)
    sessions = sessions[:30]
    taken = taken_in(sessions, now=now)
    for session in sessions:
        session.places_left = max(0, session.places - taken[session.pk].places)
        session.cancel_by = when_words(session.cancellation_deadline)
    own = _own_children(request)
    children = list(own)
    cannot = why_not_bookable(sessions, children)
    for child in children:
        child.cannot_book = cannot.get(child.pk, "")
    holding = booked_on(sessions, children)
    for session in sessions:
        session.booked_for = holding.get(session.pk, [])
    form = BookForm(request.POST or None, sessions=open_sessions, children=own)
    help_ = {"links": {}, "needs": [], "waiting_list": False}
    if request.method == "POST" and form.is_valid():
        chosen_sessions = list(form.cleaned_data["session"].order_by("date", "starts_at"))
        chosen_children = list(form.cleaned_data["child"])
        transport = form.cleaned_data["transport"]
        try:
            if form.cleaned_data["action"] == "waitlist":
                waiting_lists_join(
                    sessions=chosen_sessions, children=chosen_children, added_by=request.user, with_transport=transport
                )
                done = "We have added you to the waiting list. We will email you if a place comes up."
            else:
                booking_create(
                    sessions=chosen_sessions,
                    children=chosen_children,
                    booked_by=request.user,
                    idempotency_key=form.key,
                    with_transport=transport,
                )
                # What is left on each budget, in the budget page's figures.
                paid = chosen_children if any(s.price for s in chosen_sessions) else []
                done = " ".join(["Booked. We have emailed you the details.", *left_to_book(paid)])
        except BookingRefused as refused:
            for problem in refused.problems:
                _pin(form, problem, help_)
        except ServiceError as error:
            _pin(form, error.message, help_)
        else:
            messages.success(request, done)
            return redirect("bookings:mine")
    summary = (
        [(problem, help_["links"].get(problem, "#session")) for problem in form.non_field_errors()]
        + [(problem, "#session") for problem in form["session"].errors]
        + [(problem, "#child") for problem in form["child"].errors]
    )
    return render(
        request,
        "bookings/book.html",
        {
            "service": service,
            "sessions": sessions,
            "children": children,
            "form": form,
            "summary": summary,
            "needs_help": help_["needs"],
            "waiting_list_help": help_["waiting_list"],
            "asking": asked_for,
            "can_ask": True,
            "idempotency_key": form.key,
            "chosen_sessions": form.chosen("session"),
            "chosen_children": form.chosen("child"),
            # The waiting list is for full sessions only (waiting_lists_join refuses the rest).
            "any_full": any(not session.places_left for session in sessions),
            "any_paid": any(session.price for session in sessions),
            "any_transport": any(session.transport_seats for session in sessions),
            # No venue of its own: the service comes to the family (a buddy, support at home).
            "comes_to_you": not any(s.location_id for s in sessions) and not service.service_at_locations.exists(),
            "rules": policy_words(policy_for(request.authority)),
        },
        status=400 if form.errors else 200,
    )


def _pin(form, problem, help_: dict) -> None:
    """A refusal goes with the question it is about, and the next step beside it."""
    kind = getattr(problem, "kind", "")
    if kind == "needs":  # about the child, with the way to services set up for their needs
        form.add_error("child", problem)
        if problem.child not in [child for child, _ in help_["needs"]]:
            help_["needs"].append((problem.child, _search_for_needs(problem.child)))
    elif kind == "full":  # with the waiting list's button beside it
        form.add_error("session", problem)
        help_["waiting_list"] = True
    elif kind == "by_request":  # linked to the way to ask for places instead
        form.add_error(None, problem)
        help_["links"][str(problem)] = reverse("bookings:ask", args=[problem.round.scheme_id])
    else:
        form.add_error(None, problem)


def _search_for_needs(child) -> str:
    """The directory's search for services set up for every need recorded for the child, at
    their age."""
    query = [("need", code) for code in child.needs.values_list("code", flat=True)]
    query.append(("age", child.age_on(timezone.localdate())))
    return f"{reverse('directory:search')}?{urlencode(query)}"


PAST_PER_PAGE = 10


@roles(Role.PARENT)
def my_bookings(request):
    """What is coming up, soonest first; then what is past or cancelled, most recent first, a
    page at a time; and the waiting lists that can still become a place."""
    children = _own_children(request)
    now, today = timezone.now(), timezone.localdate()
    waiting = list(open_waiting(children=children, authority=request.authority, now=now))
    families = Family.objects.filter(authority=request.authority, carers__user=request.user)
    return render(
        request,
        "bookings/mine.html",
        {
            "upcoming": upcoming_bookings(children=children, authority=request.authority, today=today),
            **paginate(
                request, past_bookings(children=children, authority=request.authority, today=today), PAST_PER_PAGE
            ),
            "waiting": waiting,
            "offers": [entry for entry in waiting if entry.status == "offered"],
            "now": now,
            "rounds": open_rounds(authority=request.authority, now=now),
            "requests": family_requests(families=families),
        },
    )


@roles(Role.PARENT)
def calendar(request, booking_id):
    """An iCalendar file for the booking, for the family's own calendar."""
    booking = own_booking(request, booking_id)
    response = HttpResponse(calendar_for([booking]), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="short-break-{booking.session.date:%Y-%m-%d}.ics"'
    return response


@roles(Role.PARENT)
def ask(request, scheme_id):
    """A parent or carer asks for a scheme's sessions for their own children (children_of_carer),
    in order of preference, while its request round is open. If the requests cannot be taken the
    page comes back with what was chosen and why."""
    scheme = get_object_or_404(Scheme, pk=scheme_id, authority=request.authority)
    round_ = live_round(scheme)
    if round_ is None or not round_.is_open(timezone.now()):
        messages.error(request, f"{scheme} is not taking requests now.")
        return redirect("bookings:mine")
    sessions = list(round_sessions(round_))
    children = list(_own_children(request).select_related("family"))
    existing = {
        f.family_id: f
        for f in FamilyRequest.objects.filter(
            round=round_, family__in={c.family_id for c in children}
        ).prefetch_related("places")
    }
    form = RoundRequestForm(
        request.POST if request.method == "POST" else None,
        children=children,
        sessions=sessions,
        # Never more choices than there are sessions to choose from.
        max_choices=max(1, min(round_.max_choices, len(sessions))),
        initial=_asked_before(existing, children),
    )
    if request.method == "POST" and form.is_valid():
        choices = form.choices()
        try:
            for family_id in {c.family_id for c in children}:
                mine = {c: s for c, s in choices.items() if c.family_id == family_id}
                if any(mine.values()):
                    requests_submit(
                        round_=round_,
                        family=next(c.family for c in mine),
                        submitted_by=request.user,
                        choices=mine,
                        siblings_together=form.cleaned_data["together"],
                        with_transport=form.cleaned_data["transport"],
                    )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"We have your requests. We will share out the places after "
                f"{clock(round_.closes_at)} on {timezone.localtime(round_.closes_at):%-d %B} and email you.",
            )
            return redirect("bookings:mine")
    return render(
        request,
        "bookings/ask.html",
        {"scheme": scheme, "round": round_, "sessions": sessions, "form": form},
        status=400 if form.errors else 200,
    )


def _asked_before(existing, children) -> dict:
    """What the family asked for before in this round, to change until it closes."""
    initial = {}
    for child in children:
        if asked := existing.get(child.family_id):
            initial.update(
                {f"choice-{child.pk}-{p.rank}": str(p.session_id) for p in asked.places.all() if p.child_id == child.pk}
            )
    first = next(iter(existing.values()), None)
    initial["together"] = first.siblings_together if first else True
    initial["transport"] = first.with_transport if first else False
    return initial
