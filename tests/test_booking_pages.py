import pytest
from django.utils import timezone
from icalendar import Calendar

from shortbreaks.bookings.models import Booking, WaitingListEntry
from shortbreaks.core.roles import Role
from shortbreaks.directory.models import TaxonomyTerm

from .clock import born_aged
from .factories import (
    booked,
    fund,
    make_child,
    make_eligible,
    make_family,
    make_location,
    make_service,
    make_session,
    make_user,
    sign_in,
)


@pytest.fixture
def scheme(authority, organisation, parent):
    service = make_service(
        organisation, name="Holiday Playscheme", kinds=("school-holiday",), location=make_location(organisation)
    )
    session = make_session(service, places=3, seats=2, price="30.00")
    family = make_family(authority, carer_user=parent)
    children = [
        make_child(family, "Amy", born=born_aged(11)),
        make_child(family, "Ben", born=born_aged(9)),
    ]
    for child in children:
        make_eligible(child)
        fund(child)
    return service, session, children


def test_parent_books_siblings_with_transport_and_gets_a_calendar_file(client, scheme, parent):
    service, session, children = scheme
    sign_in(client, parent)
    assert "Book a session" in client.get(f"/services/{service.pk}/").content.decode()
    page = client.get(f"/services/{service.pk}/book/")
    key = page.context["idempotency_key"]
    data = {
        "session": [str(session.pk)],
        "child": [str(c.pk) for c in children],
        "transport": "yes",
        "idempotency_key": key,
        "action": "book",
    }
    assert client.post(f"/services/{service.pk}/book/", data).status_code == 302
    assert client.post(f"/services/{service.pk}/book/", data).status_code == 302  # a double click books once
    assert Booking.objects.filter(with_transport=True).count() == 2
    mine = client.get("/bookings/").content.decode()
    assert "Amy" in mine and "Ben" in mine and "Holiday Playscheme" in mine
    assert "£170.00 of Amy&#x27;s £200.00 is left to book. £170.00 of Ben&#x27;s £200.00 is left to book." in mine
    booking = Booking.objects.get(child=children[0])
    ics = Calendar.from_ical(client.get(f"/bookings/{booking.pk}/calendar.ics").content)
    event = next(iter(ics.walk("VEVENT")))
    assert str(event["SUMMARY"]) == "Amy: Holiday Playscheme" and event["DTSTART"].dt.date() == session.date


def test_the_service_page_lists_next_dates_with_places_and_offers_booking_to_those_who_can(
    client, scheme, parent, commissioner
):
    service, session, children = scheme
    html = client.get(f"/services/{service.pk}/").content.decode()
    assert 'id="next-dates"' in html and "3 places left" in html and session.date.strftime("%A") in html
    assert "Book a session" in html and "You sign in or create an account to book" in html
    sign_in(client, commissioner)
    html = client.get(f"/services/{service.pk}/").content.decode()
    assert "Book a session" not in html and "Parents and carers book this service online" in html


def test_results_say_which_services_book_online_and_the_way_back_keeps_the_search(client, scheme, organisation):
    service, session, children = scheme
    make_service(organisation, name="Holiday Drop-in", kinds=("school-holiday",))
    html = client.get("/services/", {"q": "holiday", "age": "9"}).content.decode()
    assert html.count("Book online") == 1
    assert f'/services/{service.pk}/?q=holiday&amp;age=9"' in html
    detail = client.get(f"/services/{service.pk}/", {"q": "holiday", "age": "9"}).content.decode()
    assert 'href="/services/?q=holiday&amp;age=9" class="govuk-back-link">Back to search results' in detail


def test_refusals_are_explained_and_nothing_is_booked(client, scheme, parent):
    service, session, children = scheme
    session.transport_seats = 1
    session.save()
    sign_in(client, parent)
    html = client.post(
        f"/services/{service.pk}/book/",
        {
            "session": [str(session.pk)],
            "child": [str(c.pk) for c in children],
            "transport": "yes",
            "idempotency_key": "k-refused",
            "action": "book",
        },
    ).content.decode()
    assert "There is a problem" in html and "not enough transport seats" in html
    assert not Booking.objects.exists()
    # What the parent ticked is still ticked, so they can change one thing and book again.
    assert f'value="{session.pk}" checked' in html and 'value="yes" checked' in html
    assert all(f'value="{c.pk}" checked' in html for c in children)
    assert 'value="k-refused"' in html  # the same key: a second click still books once


def test_the_transport_question_is_asked_only_where_a_session_has_transport(client, scheme, parent):
    service, session, children = scheme
    sign_in(client, parent)
    session.transport_seats = 0
    session.save()
    html = client.get(f"/services/{service.pk}/book/").content.decode()
    assert 'name="transport"' not in html and "These sessions have no transport" in html
    session.transport_seats = 4
    session.save()
    html = client.get(f"/services/{service.pk}/book/").content.decode()
    assert "We need transport to and from the session" in html and "govuk-checkboxes--small" not in html


def test_a_missing_choice_links_to_its_own_question_and_keeps_the_rest(client, scheme, parent):
    service, session, children = scheme
    sign_in(client, parent)
    response = client.post(
        f"/services/{service.pk}/book/", {"session": [str(session.pk)], "idempotency_key": "k-nochild"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and '<a href="#child">Choose at least one child</a>' in html
    assert 'id="child"' in html and f'value="{session.pk}" checked' in html
    assert "<title>Error: Book Holiday Playscheme" in html


@pytest.mark.parametrize("bad", ["not-an-id", "00000000-0000-0000-0000-000000000000", "1"])
def test_a_malformed_or_foreign_session_is_a_message_not_a_crash(client, scheme, parent, bad):
    service, session, children = scheme
    sign_in(client, parent)
    response = client.post(
        f"/services/{service.pk}/book/", {"session": [bad], "child": [str(children[0].pk)], "action": "book"}
    )
    assert response.status_code == 400 and "Choose sessions from the list" in response.content.decode()
    assert not Booking.objects.exists()


def test_another_familys_child_cannot_be_booked(client, scheme, parent, authority):
    service, session, children = scheme
    stranger = make_child(make_family(authority, carer_user=make_user(authority, Role.PARENT)), "Dee")
    sign_in(client, parent)
    response = client.post(f"/services/{service.pk}/book/", {"session": [str(session.pk)], "child": [str(stranger.pk)]})
    assert response.status_code == 400 and "Choose children from the list" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_full_session_offers_the_next_family_a_place(client, scheme, parent, authority):
    service, session, children = scheme
    session.places = 2
    session.save()
    sign_in(client, parent)
    client.post(
        f"/services/{service.pk}/book/",
        {
            "session": [str(session.pk)],
            "child": [str(c.pk) for c in children],
            "idempotency_key": "k-full",
            "action": "book",
        },
    )
    other = make_user(authority, Role.PARENT)
    cal = make_child(make_family(authority, carer_user=other), "Cal")
    make_eligible(cal)
    fund(cal)
    sign_in(client, other)
    client.post(
        f"/services/{service.pk}/book/",
        {"session": [str(session.pk)], "child": [str(cal.pk)], "idempotency_key": "k-wait", "action": "waitlist"},
    )
    assert WaitingListEntry.objects.get(child=cal).status == "waiting"
    sign_in(client, parent)
    client.post(f"/bookings/{Booking.objects.get(child=children[0]).pk}/cancel/")
    sign_in(client, other)
    assert "A place for Cal" in client.get("/bookings/").content.decode()
    entry = WaitingListEntry.objects.get(child=cal)
    client.post(f"/bookings/offers/{entry.pk}/", {"accept": "yes"})
    assert Booking.objects.get(child=cal).status == "confirmed"


def test_other_families_bookings_are_not_theirs_to_touch(client, scheme, parent, authority):
    service, session, children = scheme
    sign_in(client, parent)
    client.post(
        f"/services/{service.pk}/book/",
        {"session": [str(session.pk)], "child": [str(children[0].pk)], "idempotency_key": "k-own", "action": "book"},
    )
    booking = Booking.objects.get()
    sign_in(client, make_user(authority, Role.PARENT))
    assert client.get(f"/bookings/{booking.pk}/calendar.ics").status_code == 404
    assert client.get(f"/bookings/{booking.pk}/cancel/").status_code == 404
    assert client.post(f"/bookings/{booking.pk}/cancel/").status_code == 404
    assert Booking.objects.get().status == "confirmed"


def test_provider_marks_the_register_and_the_break_is_paid(client, scheme, parent, provider, other_provider):
    from shortbreaks.families.models import BudgetAccount

    service, session, children = scheme
    sign_in(client, parent)
    client.post(
        f"/services/{service.pk}/book/",
        {
            "session": [str(session.pk)],
            "child": [str(children[0].pk)],
            "idempotency_key": "k-register",
            "action": "book",
        },
    )
    session.date = timezone.localdate()
    session.save()
    sign_in(client, other_provider)
    assert client.get(f"/provider/sessions/{session.pk}/").status_code == 404
    sign_in(client, provider)
    register = client.get(f"/provider/sessions/{session.pk}/").content.decode()
    assert (
        "Amy S." in register and "Staffing: " in register and "has not agreed to share them with providers" in register
    )
    booking = Booking.objects.get()
    client.post(f"/provider/sessions/{session.pk}/", {"booking": str(booking.pk), "action": "came"})
    assert Booking.objects.get().status == "attended"
    assert BudgetAccount.objects.get(child=children[0]).spent == 30


def test_a_full_session_says_the_waiting_list_is_there_and_its_button_joins_it(client, scheme, parent, authority):
    service, session, children = scheme
    session.places = 1
    session.save()
    other = make_user(authority, Role.PARENT)
    cal = make_child(make_family(authority, carer_user=other), "Cal")
    make_eligible(cal)
    fund(cal)
    sign_in(client, other)
    client.post(
        f"/services/{service.pk}/book/",
        {"session": [str(session.pk)], "child": [str(cal.pk)], "idempotency_key": "k-cal", "action": "book"},
    )
    sign_in(client, parent)
    data = {"session": [str(session.pk)], "child": [str(children[0].pk)], "idempotency_key": "k-amy"}
    response = client.post(f"/services/{service.pk}/book/", {**data, "action": "book"})
    html = response.content.decode()
    assert response.status_code == 400
    assert '<li><a href="#session">Holiday Playscheme, ' in html and "is full. You can join the waiting list" in html
    # The button is beside the error, and joins with what was ticked.
    assert 'id="join-waiting-list"' in html and 'name="action" value="waitlist"' in html
    assert client.post(f"/services/{service.pk}/book/", {**data, "action": "waitlist"}).status_code == 302
    assert WaitingListEntry.objects.get(child=children[0]).status == "waiting"


def test_needs_a_service_is_not_set_up_for_are_said_at_the_child_with_what_to_do(client, scheme, parent, organisation):
    service, session, children = scheme
    club = make_service(organisation, name="Sensory Club", needs=("sensory-impairment",))
    sessions = [make_session(club, days_ahead=20), make_session(club, days_ahead=21)]
    sign_in(client, parent)
    response = client.post(
        f"/services/{club.pk}/book/",
        {"session": [str(s.pk) for s in sessions], "child": [str(children[0].pk)], "action": "book"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    problem = "Sensory Club is not set up for Amy&#x27;s needs: Autism. Choose a service that supports them, or contact"
    assert f'<li><a href="#child">{problem}' in html and html.count(problem) == 2  # once for the service, twice shown
    assert 'id="child-error"' in html and "Find services set up for Amy's needs" in html
    assert "/services/?need=autism&amp;age=11" in html


def test_the_booking_page_says_before_choosing_who_cannot_go_and_who_has_a_place(client, scheme, parent):
    service, session, children = scheme
    amy, ben = children
    ben.needs.set(TaxonomyTerm.objects.filter(code="complex-health"))
    booked(session, amy, status="confirmed")
    sign_in(client, parent)
    html = client.get(f"/services/{service.pk}/book/").content.decode()
    assert "Not set up for Ben&#x27;s needs (complex health needs)." in html
    assert "Amy already has a place." in html


def test_a_service_that_comes_to_the_family_says_so_instead_of_take_your_child_there(client, organisation, parent):
    service = make_service(organisation, name="Buddy Scheme", kinds=("community",))
    make_session(service, places=3, seats=0)
    make_eligible(make_child(make_family(organisation.authority, carer_user=parent), "Amy", born=born_aged(11)))
    sign_in(client, parent)
    html = client.get(f"/services/{service.pk}/book/").content.decode()
    assert f"{organisation.name} comes to you: they agree with you where to meet your child." in html
