"""Fair allocation of oversubscribed schemes: the model (solver) on small problems whose answer
is known, and a whole round through the services and pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from shortbreaks.bookings.models import Booking, PlaceRequest, RequestRound, Scheme, WaitingListEntry
from shortbreaks.bookings.services import solver
from shortbreaks.bookings.services.booking import BookingRefused, booking_create
from shortbreaks.bookings.services.rounds import requests_submit, round_allocate_queue, round_confirm, round_open
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.roles import Role
from shortbreaks.core.templatetags.govuk import clock

from .factories import fund, make_child, make_eligible, make_family, make_service, make_session, make_user, sign_in


def _problem(requests, sessions, children=None, **extra):
    kids = {r.child for r in requests}
    return solver.Problem(
        requests=requests, sessions=sessions, children=children or {c: solver.ChildFacts() for c in kids}, **extra
    )


class TestSolver:
    def test_nobody_gets_a_second_before_everyone_has_a_first(self):
        # Two places on A; Ann asked for A and B, Ben for A only. Greedy satisfaction could
        # give Ann both A places' worth; fairness gives Ben his only choice.
        requests = [
            solver.Request("ann-a", "ann", "A", 1),
            solver.Request("ann-b", "ann", "B", 2),
            solver.Request("ben-a", "ben", "A", 1),
        ]
        solution = solver.solve(_problem(requests, {"A": solver.Capacity(1), "B": solver.Capacity(1)}))
        assert solution.granted == {"ben-a", "ann-b"}
        assert solution.optimal and solution.gap == 0
        assert solution.reasons == {"ann-a": "places"}

    def test_greater_need_wins_the_last_place(self):
        requests = [solver.Request("low", "low", "A", 1), solver.Request("high", "high", "A", 1)]
        children = {"low": solver.ChildFacts(weight=1), "high": solver.ChildFacts(weight=3)}
        solution = solver.solve(_problem(requests, {"A": solver.Capacity(1)}, children))
        assert solution.granted == {"high"}

    def test_staff_seats_budget_and_cap_are_respected(self):
        requests = [
            solver.Request("one-to-one", "k1", "A", 1),
            solver.Request("two-to-one", "k2", "A", 1),
            solver.Request("rider", "k3", "B", 1, transport=True),
            solver.Request("rider2", "k4", "B", 1, transport=True),
            solver.Request("poor", "k5", "C", 1),
            solver.Request("capped", "k1", "B", 2),
        ]
        children = {
            "k1": solver.ChildFacts(staff_units=1),
            "k2": solver.ChildFacts(staff_units=2),
            "k3": solver.ChildFacts(),
            "k4": solver.ChildFacts(),
            "k5": solver.ChildFacts(budget=10),
        }
        problem = _problem(
            requests,
            {"A": solver.Capacity(5, staff=2), "B": solver.Capacity(5, seats=1), "C": solver.Capacity(5)},
            children,
            prices={"C": 20},
            cap_per_child=1,
        )
        solution = solver.solve(problem)
        assert "poor" not in solution.granted and solution.reasons["poor"] == "budget"
        assert len({"one-to-one", "two-to-one"} & solution.granted) == 1
        assert len({"rider", "rider2"} & solution.granted) == 1
        assert "capped" not in solution.granted  # k1 has one session at most

    def test_siblings_together_all_or_none(self):
        requests = [
            solver.Request("a1", "sib1", "A", 1, family="f"),
            solver.Request("a2", "sib2", "A", 1, family="f"),
            solver.Request("x", "other", "A", 1),
        ]
        solution = solver.solve(_problem(requests, {"A": solver.Capacity(2)}, together=[["a1", "a2"]]))
        assert solution.granted in ({"a1", "a2"}, {"x"})
        # Two children with a session beats one.
        assert solution.granted == {"a1", "a2"}

    def test_clashing_sessions_are_not_both_given(self):
        requests = [solver.Request("m", "kid", "morning", 1), solver.Request("d", "kid", "day", 2)]
        solution = solver.solve(
            _problem(requests, {"morning": solver.Capacity(1), "day": solver.Capacity(1)}, clashes=[("morning", "day")])
        )
        assert solution.granted == {"m"} and solution.reasons == {"d": "clash"}

    def test_first_come_first_served_never_beats_the_optimum(self):
        import importlib.util
        import pathlib

        spec = importlib.util.spec_from_file_location(
            "fair_bench", pathlib.Path(__file__).parent.parent / "bench" / "fair_allocation.py"
        )
        bench = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(bench)
        problem = bench.generate(300, seed=3)
        solution = solver.solve(problem)
        assert solution.optimal
        for seed in range(3):
            fcfs = solver.first_come_first_served(problem, seed=seed)
            # Both allocations are feasible, and the model's satisfaction is at least as high
            # once its fairness stage is met.
            assert solver.satisfaction_of(problem, fcfs) <= 1
        assert 0 < solution.satisfaction <= 1
        used = {}
        for r in problem.requests:
            if r.key in solution.granted:
                used[r.session] = used.get(r.session, 0) + 1
        assert all(used[s] <= problem.sessions[s].places for s in used)


@pytest.fixture
def scheme(authority, organisation):
    return Scheme.objects.create(authority=authority, name="Summer Scheme", coordinator=organisation)


@pytest.fixture
def round_setup(authority, organisation, commissioner, scheme):
    service = make_service(organisation, name="Summer Club", kinds=("school-holiday",))
    small = make_session(service, places=1, support_staff=1, seats=1, price="30.00", scheme=scheme, days_ahead=20)
    big = make_session(service, places=5, support_staff=1, seats=1, price="0", scheme=scheme, days_ahead=21)
    now = timezone.now()
    round_ = round_open(
        scheme=scheme,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=2),
        max_sessions_per_child=2,
        max_choices=4,
        need_weights={"specialist": 3, "targeted": 2, "universal": 1},
        opened_by=commissioner,
    )
    return round_, small, big


def _family(authority, name, email):
    carer = make_user(authority, Role.PARENT, email=email)
    family = make_family(authority, carer_user=carer)
    child = make_child(family, first_name=name)
    make_eligible(child)
    fund(child, "100.00")
    return carer, family, child


class TestRound:
    def test_a_whole_round(self, authority, commissioner, round_setup, django_capture_on_commit_callbacks):
        round_, small, big = round_setup
        carer1, family1, ann = _family(authority, "Ann", "ann@example.org")
        carer2, family2, ben = _family(authority, "Ben", "ben@example.org")
        requests_submit(
            round_=round_,
            family=family1,
            submitted_by=carer1,
            choices={ann: [small, big]},
            siblings_together=True,
            with_transport=False,
        )
        requests_submit(
            round_=round_,
            family=family2,
            submitted_by=carer2,
            choices={ben: [small]},
            siblings_together=True,
            with_transport=False,
        )
        # While the round runs, its sessions are not booked first come, first served.
        with pytest.raises(BookingRefused, match="shared out by request"):
            booking_create(sessions=[small], children=[ann], booked_by=carer1, idempotency_key="k1")
        with pytest.raises(NotAllowed, match="allocate after they close"):
            round_allocate_queue(round_=round_, requested_by=commissioner)

        RequestRound.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
        round_.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            round_allocate_queue(round_=round_, requested_by=commissioner)
        round_.refresh_from_db()
        assert round_.status == RequestRound.Status.ALLOCATED
        assert round_.result["optimal"] and round_.result["children_with_a_session"] == 2
        outcomes = {(p.child.first_name, p.rank): p.outcome for p in PlaceRequest.objects.all()}
        # Ben's only choice is the small session; Ann still gets her second.
        assert outcomes == {("Ben", 1): "granted", ("Ann", 1): "not_granted", ("Ann", 2): "granted"}
        assert Booking.objects.count() == 0  # nothing booked before the commissioner confirms

        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            round_confirm(round_=round_, confirmed_by=commissioner)
        assert {(b.child.first_name, b.session_id) for b in Booking.objects.all()} == {
            ("Ben", small.pk),
            ("Ann", big.pk),
        }
        assert ben.budget.__class__.objects.get(child=ben).committed == Decimal("30.00")
        assert WaitingListEntry.objects.get().child == ann  # the request that missed waits for a place
        ann_mail = next(m for m in mail.outbox if "ann@example.org" in m.to)
        assert "no place" in ann_mail.body and "weighted higher" in ann_mail.body
        # Once confirmed, what is left is booked first come, first served again.
        booking_create(sessions=[big], children=[ben], booked_by=carer2, idempotency_key="after")

    def test_requests_are_checked(self, authority, round_setup, parent):
        round_, small, big = round_setup
        carer, family, ann = _family(authority, "Ann", "ann@example.org")
        stranger_family = make_family(authority)
        stranger = make_child(stranger_family, first_name="Zed")
        with pytest.raises(NotAllowed, match="own family"):
            requests_submit(
                round_=round_,
                family=family,
                submitted_by=carer,
                choices={stranger: [small]},
                siblings_together=True,
                with_transport=False,
            )
        with pytest.raises(NotAllowed, match="once"):
            requests_submit(
                round_=round_,
                family=family,
                submitted_by=carer,
                choices={ann: [small, small]},
                siblings_together=True,
                with_transport=False,
            )
        assert not PlaceRequest.objects.exists()

    def test_ineligible_requests_are_explained_not_solved(
        self, authority, commissioner, round_setup, django_capture_on_commit_callbacks
    ):
        round_, small, big = round_setup
        carer = make_user(authority, Role.PARENT, email="x@example.org")
        family = make_family(authority, carer_user=carer)
        child = make_child(family, first_name="Cal")  # not eligible for targeted sessions
        requests_submit(
            round_=round_,
            family=family,
            submitted_by=carer,
            choices={child: [small]},
            siblings_together=True,
            with_transport=False,
        )
        RequestRound.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
        with django_capture_on_commit_callbacks(execute=True):
            round_allocate_queue(round_=RequestRound.objects.get(pk=round_.pk), requested_by=commissioner)
        request = PlaceRequest.objects.get()
        assert request.outcome == "not_eligible" and "targeted short breaks eligibility" in request.reason


class TestPages:
    def test_commissioner_creates_a_scheme_and_opens_a_round(self, client, authority, organisation, commissioner):
        service = make_service(organisation, name="Summer Club", kinds=("school-holiday",))
        session = make_session(service, days_ahead=30)
        sign_in(client, commissioner)
        response = client.post(reverse("bookings:schemes"), {"name": "", "coordinator": "nope"})
        page = response.content.decode()
        # Re-shown with the errors, nothing made: both fields are named in the error summary.
        assert response.status_code == 200 and not Scheme.objects.exists()
        assert "Enter the name of the scheme" in page
        assert 'href="#id_name"' in page and 'href="#id_coordinator"' in page
        response = client.post(reverse("bookings:schemes"), {"name": "Summer", "coordinator": organisation.pk})
        scheme = Scheme.objects.get()
        assert response.url == reverse("bookings:scheme", args=[scheme.pk])
        # Nothing ticked, or a session from nowhere: said on the page, nothing changed.
        for data in ({"action": "sessions"}, {"action": "sessions", "session": ["not-a-session"]}):
            response = client.post(reverse("bookings:scheme", args=[scheme.pk]), data)
            assert response.status_code == 400 and "There is a problem" in response.content.decode()
        assert (
            "Tick the sessions to take out of the scheme"
            in client.post(reverse("bookings:scheme", args=[scheme.pk]), {"action": "sessions"}).content.decode()
        )
        client.post(reverse("bookings:scheme", args=[scheme.pk]), {"action": "sessions", "session": [session.pk]})
        session.refresh_from_db()
        assert session.scheme == scheme
        now = timezone.localtime()
        response = client.post(
            reverse("bookings:scheme", args=[scheme.pk]),
            {
                "action": "round",
                "opens_at": (now + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
                "closes_at": (now + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
                "max_sessions_per_child": 2,
                "max_choices": 3,
                "weight_specialist": 3,
                "weight_targeted": 2,
                "weight_universal": 1,
            },
        )
        assert "Requests must close after they open" in response.content.decode()
        response = client.post(
            reverse("bookings:scheme", args=[scheme.pk]),
            {
                "action": "round",
                "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
                "closes_at": (now + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
                "max_sessions_per_child": 2,
                "max_choices": 3,
                "weight_specialist": 3,
                "weight_targeted": 2,
                "weight_universal": 1,
            },
        )
        round_ = RequestRound.objects.get()
        assert response.url == reverse("bookings:round", args=[round_.pk])
        assert "Taking requests" in client.get(response.url).content.decode()
        # The round's buttons go through a form: a made-up one is said on the page.
        response = client.post(response.url, {"action": "shred"})
        assert response.status_code == 400 and "Choose a button on this page" in response.content.decode()
        # Its name and the scheme's list of rounds say the month in full.
        opened = f"{now.day} {now:%B %Y}"
        assert str(round_) == f"Summer requests ({opened})"
        page = client.get(reverse("bookings:scheme", args=[scheme.pk])).content.decode()
        assert f"{opened} at {clock(now)} to" in page  # "1 December 2026 at 6:57pm", never 18:57
        assert f"{opened} {now:%H:%M}" not in page

    def test_parent_asks_and_sees_it(self, client, authority, round_setup):
        round_, small, big = round_setup
        carer, family, ann = _family(authority, "Ann", "ann@example.org")
        sign_in(client, carer)
        page = client.get(reverse("bookings:mine")).content.decode()
        assert "taking requests" in page
        url = reverse("bookings:ask", args=[round_.scheme.pk])
        response = client.post(url, {f"choice-{ann.pk}-1": "not-a-session"})
        assert "Choose Ann&#x27;s sessions from the lists" in response.content.decode()
        response = client.post(url, {f"choice-{ann.pk}-1": str(big.pk), f"choice-{ann.pk}-2": str(small.pk)})
        assert response.status_code == 302
        assert [p.session for p in PlaceRequest.objects.order_by("rank")] == [big, small]
        page = client.get(url).content.decode()
        assert f'value="{big.pk}" selected' in page
        assert "Waiting for the allocation" in client.get(reverse("bookings:mine")).content.decode()

    def test_coordinator_sees_every_booking_of_the_scheme(
        self, client, authority, other_organisation, other_provider, provider, scheme
    ):
        service = make_service(other_organisation, name="Partner Club")
        session = make_session(service, scheme=scheme, price="0", tier="universal")
        carer, family, ann = _family(authority, "Ann", "ann@example.org")
        booking_create(sessions=[session], children=[ann], booked_by=carer, idempotency_key="c1")
        sign_in(client, provider)  # the coordinator's provider, not the session's
        page = client.get(reverse("bookings:scheme-bookings", args=[scheme.pk])).content.decode()
        # Another provider's child: first name and last initial, never the surname or family.
        assert f"Ann {ann.last_name[0]}." in page
        assert ann.last_name not in page and family.reference not in page
        booking = Booking.objects.get()
        client.post(reverse("bookings:scheme-bookings", args=[scheme.pk]), {"booking": booking.pk})
        booking.refresh_from_db()
        assert booking.status == "cancelled"
        sign_in(client, other_provider)  # runs a session but does not coordinate
        assert client.get(reverse("bookings:scheme-bookings", args=[scheme.pk])).status_code == 404


def test_eligibility_is_checked_on_each_sessions_own_date(
    authority, organisation, commissioner, scheme, django_capture_on_commit_callbacks
):
    """Eligibility that ends during the scheme covers the sessions before it, not those after."""
    from shortbreaks.families.models import Eligibility

    service = make_service(organisation, name="Summer Club", kinds=("school-holiday",))
    early = make_session(service, places=3, price="0", scheme=scheme, days_ahead=10)
    late = make_session(service, places=3, price="0", scheme=scheme, days_ahead=40)
    now = timezone.now()
    round_ = round_open(
        scheme=scheme,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=2),
        max_sessions_per_child=2,
        max_choices=3,
        need_weights={"targeted": 2},
        opened_by=commissioner,
    )
    carer, family, ann = _family(authority, "Ann", "ann@example.org")
    Eligibility.objects.filter(child=ann).update(expires_on=early.date + dt.timedelta(days=5))
    requests_submit(
        round_=round_,
        family=family,
        submitted_by=carer,
        choices={ann: [early, late]},
        siblings_together=True,
        with_transport=False,
    )
    RequestRound.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        round_allocate_queue(round_=RequestRound.objects.get(pk=round_.pk), requested_by=commissioner)
    outcomes = {p.session_id: (p.outcome, p.reason) for p in PlaceRequest.objects.all()}
    assert outcomes[early.pk][0] == "granted"
    assert outcomes[late.pk] == (
        "not_eligible",
        "It needs targeted short breaks eligibility, which Ann does not have on that date.",
    )


def test_a_scheme_shared_out_by_request_says_how_to_ask_and_is_not_offered_to_book(client, authority, round_setup):
    round_, small, big = round_setup
    service = small.service
    open_to_book = make_session(service, places=3, days_ahead=25)  # not in the scheme: booked as usual
    carer, family, ann = _family(authority, "Ann", "ann@example.org")
    ask = reverse("bookings:ask", args=[round_.scheme.pk])
    closes = timezone.localtime(round_.closes_at)
    html = client.get(f"/services/{service.pk}/").content.decode()
    assert "Places shared out by request" in html and "Summer Scheme: " in html
    last = big.date
    assert (
        f"{last.day} {last:%B %Y}" in html and "Ask for places by " in html and f"{closes.day} {closes:%B %Y}" in html
    )
    assert f'href="{ask}"' in html
    assert html.count("place left") + html.count("places left") == 1  # only the session booked first come
    sign_in(client, carer)
    page = client.get(f"/services/{service.pk}/book/").content.decode()
    assert f'value="{open_to_book.pk}"' in page and f'value="{small.pk}"' not in page and f'href="{ask}"' in page
    # A page from before the round opened: the refusal links to the request form, not to the sessions.
    response = client.post(
        f"/services/{service.pk}/book/",
        {"session": [str(small.pk)], "child": [str(ann.pk)], "idempotency_key": "k-stale", "action": "book"},
    )
    html = response.content.decode()
    assert response.status_code == 400 and f'<li><a href="{ask}">Places on Summer Scheme are not booked first' in html
    assert not Booking.objects.exists()


def test_the_request_form_offers_no_more_choices_than_there_are_sessions(client, authority, round_setup):
    round_, small, big = round_setup  # two sessions; families may choose up to four
    carer, family, ann = _family(authority, "Ann", "ann@example.org")
    sign_in(client, carer)
    html = client.get(reverse("bookings:ask", args=[round_.scheme.pk])).content.decode()
    assert f'name="choice-{ann.pk}-2"' in html and f'name="choice-{ann.pk}-3"' not in html


def test_the_request_form_offers_each_child_only_the_sessions_for_their_age(client, authority, round_setup):
    round_, small, big = round_setup
    big.minimum_age, big.maximum_age = 12, 18
    big.save()
    carer, family, ann = _family(authority, "Ann", "ann@example.org")  # 9
    sign_in(client, carer)
    html = client.get(reverse("bookings:ask", args=[round_.scheme.pk])).content.decode()
    assert f'name="choice-{ann.pk}-1"' in html and f'name="choice-{ann.pk}-2"' not in html  # one session fits
    ann_list = html.split(f'name="choice-{ann.pk}-1"')[1].split("</select>")[0]
    assert str(small.pk) in ann_list and str(big.pk) not in ann_list
    small.minimum_age = 12
    small.save()
    html = client.get(reverse("bookings:ask", args=[round_.scheme.pk])).content.decode()
    assert "None of these sessions are for Ann's age (9)." in html
    response = client.post(reverse("bookings:ask", args=[round_.scheme.pk]), {})
    assert (
        response.status_code == 400
        and "None of these sessions are for your children&#x27;s ages" in response.content.decode()
    )
