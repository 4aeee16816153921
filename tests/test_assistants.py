"""Personal assistants: vetting and visibility, search, booking paid from the budget, timesheets,
expiry warnings, and who can see what."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from shortbreaks.assistants.models import Assistant, AssistantBooking, Timesheet
from shortbreaks.assistants.selectors import search, visible_to_families
from shortbreaks.assistants.services import (
    booking_answer,
    booking_cancel,
    booking_request,
    expiry_check,
    profile_for,
    profile_update,
    submit_for_vetting,
    timesheet_decide,
    timesheet_submit,
    vet,
)
from shortbreaks.core.errors import NotAllowed, ServiceError
from shortbreaks.core.postcodes import locate
from shortbreaks.core.roles import Role
from shortbreaks.core.sites import absolute
from shortbreaks.families.models import BudgetAccount

from .clock import LONDON, NOW, TODAY
from .factories import fund, make_assistant, make_child, make_family, make_user, sign_in


@pytest.fixture
def family_child(authority, parent):
    family = make_family(authority, carer_user=parent, postcode="DE22 1AB")
    child = make_child(family, "Sam")
    fund(child, "100.00")
    return child


def _new_dbs_check(assistant, issued_on: dt.date) -> None:
    """The PA saves their profile with a new DBS certificate issued on that day."""
    profile_update(
        assistant=assistant,
        updated_by=assistant.user,
        display_name="PA",
        about="",
        postcode="DE22 1AB",
        travel_km=10,
        hourly_rate=Decimal("15"),
        skills=["autism"],
        slots=[],
        hidden=False,
        dbs_certificate="009999999999",
        dbs_issued_on=issued_on,
    )
    assistant.refresh_from_db()


class TestVetting:
    def test_only_vetted_in_date_unhidden_assistants_are_visible(self, authority, officer):
        vetted = make_assistant(authority, officer)
        pending = make_assistant(authority, officer, email="new@example.org", vetted=False)
        assert list(visible_to_families(authority=authority, today=TODAY)) == [vetted]
        # Training lapses: hidden from that day.
        vetted.training.update(expires_on=TODAY - dt.timedelta(days=1))
        assert not visible_to_families(authority=authority, today=TODAY).exists()
        vetted.training.update(expires_on=TODAY + dt.timedelta(days=5))
        Assistant.objects.filter(pk=vetted.pk).update(hidden=True)
        assert not visible_to_families(authority=authority, today=TODAY).exists()
        Assistant.objects.filter(pk=vetted.pk).update(hidden=False, dbs_renew_by=TODAY - dt.timedelta(days=1))
        assert not visible_to_families(authority=authority, today=TODAY).exists()
        assert pending.status == Assistant.Status.DRAFT

    def test_vetting_needs_references_and_a_reason_to_refuse(self, authority, officer):
        assistant = make_assistant(authority, officer, vetted=False)
        submit_for_vetting(assistant=assistant, submitted_by=assistant.user)
        with pytest.raises(NotAllowed, match="two references"):
            vet(assistant=assistant, officer=officer, approve=True, reason="", references_received=[])
        with pytest.raises(NotAllowed, match="Say why"):
            vet(assistant=assistant, officer=officer, approve=False, reason=" ", references_received=[])
        assert Assistant.objects.get(pk=assistant.pk).status == Assistant.Status.SUBMITTED

    def test_new_dbs_details_go_back_to_the_officer(self, authority, officer):
        assistant = make_assistant(authority, officer)
        _new_dbs_check(assistant, TODAY)
        assert assistant.status == Assistant.Status.SUBMITTED
        assert assistant.dbs_renew_by == dt.date(TODAY.year + 3, TODAY.month, TODAY.day)

    def test_a_dbs_check_from_29_february_renews_on_28_february(self, authority, officer, clock):
        clock.move_to(dt.datetime(2028, 3, 10, 10, 0, tzinfo=LONDON))
        assistant = make_assistant(authority, officer)
        _new_dbs_check(assistant, dt.date(2028, 2, 29))
        assert assistant.dbs_renew_by == dt.date(2031, 2, 28)

    def test_submitting_says_what_is_missing(self, authority):
        user = make_user(authority, Role.PERSONAL_ASSISTANT)
        assistant = profile_for(user=user, authority=authority)
        with pytest.raises(NotAllowed, match="DBS check and two referees and at least one skill and your postcode"):
            submit_for_vetting(assistant=assistant, submitted_by=user)


class TestSearch:
    def test_skills_availability_and_distance(self, authority, officer):
        near = make_assistant(authority, officer, email="near@example.org", skills=("autism", "bsl"))
        make_assistant(authority, officer, email="far@example.org", postcode="SW1A 1AA")
        home = locate("DE22 1AB")
        found = search(authority=authority, today=TODAY, skills=["autism"], place=home, day=5, part="morning")
        assert [m.assistant for m in found] == [near]
        assert search(authority=authority, today=TODAY, skills=["peg"], place=home, day=None, part=None) == []
        assert search(authority=authority, today=TODAY, skills=[], place=home, day=1, part=None) == []


class TestBookingAndPaying:
    def test_request_accept_timesheet_approve_pays_from_the_budget(self, authority, officer, parent, family_child):
        assistant = make_assistant(authority, officer, rate="15.00")
        booking = booking_request(
            assistant=assistant,
            child=family_child,
            requested_by=parent,
            date=TODAY,
            starts_at=dt.time(10),
            ends_at=dt.time(14),
            message="Park trip",
        )
        account = BudgetAccount.objects.get(child=family_child)
        assert (account.available, account.committed) == (Decimal("40.00"), Decimal("60.00"))
        booking_answer(booking=booking, answered_by=assistant.user, accept=True)
        timesheet = timesheet_submit(booking=booking, submitted_by=assistant.user, hours=Decimal("3.5"), note="")
        with pytest.raises(NotAllowed, match="Say what is wrong"):
            timesheet_decide(timesheet=timesheet, decided_by=parent, approve=False, reason="")
        timesheet_decide(timesheet=timesheet, decided_by=parent, approve=True)
        account.refresh_from_db()
        # 3.5 hours at £15 paid; the half hour not worked goes back.
        assert (account.available, account.committed, account.spent) == (
            Decimal("47.50"),
            Decimal("0.00"),
            Decimal("52.50"),
        )
        assert AssistantBooking.objects.get(pk=booking.pk).status == AssistantBooking.Status.COMPLETED

    def test_extra_hours_need_the_budget(self, authority, officer, parent, family_child):
        assistant = make_assistant(authority, officer, rate="20.00")
        booking = booking_request(
            assistant=assistant,
            child=family_child,
            requested_by=parent,
            date=TODAY,
            starts_at=dt.time(10),
            ends_at=dt.time(14),
            message="",
        )
        booking_answer(booking=booking, answered_by=assistant.user, accept=True)
        timesheet = timesheet_submit(booking=booking, submitted_by=assistant.user, hours=Decimal("6"), note="")
        with pytest.raises(ServiceError, match="not enough left"):
            timesheet_decide(timesheet=timesheet, decided_by=parent, approve=True)
        assert Timesheet.objects.get(pk=timesheet.pk).status == Timesheet.Status.SUBMITTED  # nothing half-done
        assert BudgetAccount.objects.get(child=family_child).committed == Decimal("80.00")

    def test_declining_or_cancelling_releases_the_money(self, authority, officer, parent, family_child):
        assistant = make_assistant(authority, officer)
        first = booking_request(
            assistant=assistant,
            child=family_child,
            requested_by=parent,
            date=TODAY + dt.timedelta(days=3),
            starts_at=dt.time(9),
            ends_at=dt.time(11),
            message="",
        )
        booking_answer(booking=first, answered_by=assistant.user, accept=False, note="Away that week")
        second = booking_request(
            assistant=assistant,
            child=family_child,
            requested_by=parent,
            date=TODAY + dt.timedelta(days=4),
            starts_at=dt.time(9),
            ends_at=dt.time(11),
            message="",
        )
        booking_cancel(booking=second, cancelled_by=parent)
        account = BudgetAccount.objects.get(child=family_child)
        assert (account.available, account.committed) == (Decimal("100.00"), Decimal("0.00"))

    def test_requests_are_refused_clearly(self, authority, officer, parent, family_child):
        assistant = make_assistant(authority, officer, rate="30.00")
        with pytest.raises(ServiceError, match="not enough left"):
            booking_request(
                assistant=assistant,
                child=family_child,
                requested_by=parent,
                date=TODAY,
                starts_at=dt.time(9),
                ends_at=dt.time(13),
                message="",
            )
        assert not AssistantBooking.objects.exists()  # nothing half-written
        stranger = make_user(authority, Role.PARENT)
        with pytest.raises(NotAllowed, match="your own children"):
            booking_request(
                assistant=assistant,
                child=family_child,
                requested_by=stranger,
                date=TODAY,
                starts_at=dt.time(9),
                ends_at=dt.time(10),
                message="",
            )
        with pytest.raises(NotAllowed, match="from today"):
            booking_request(
                assistant=assistant,
                child=family_child,
                requested_by=parent,
                date=TODAY - dt.timedelta(days=1),
                starts_at=dt.time(9),
                ends_at=dt.time(10),
                message="",
            )


class TestExpiry:
    def test_warns_a_month_before_and_when_lapsed_once_each(
        self, authority, officer, django_capture_on_commit_callbacks
    ):
        assistant = make_assistant(authority, officer)
        assistant.training.update(expires_on=TODAY + dt.timedelta(days=20))
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert expiry_check(authority=authority, today=TODAY) == {"warned": 1, "lapsed": 0}
        # The PA and the officers are each written to on their own.
        assert sorted(m.to for m in mail.outbox) == sorted([[assistant.user.email], [officer.email]])
        with django_capture_on_commit_callbacks(execute=True):
            assert expiry_check(authority=authority, today=TODAY) == {"warned": 0, "lapsed": 0}
        with django_capture_on_commit_callbacks(execute=True):
            assert expiry_check(authority=authority, today=TODAY + dt.timedelta(days=21)) == {"warned": 0, "lapsed": 1}
        assert "Families cannot find" in mail.outbox[-1].body


class TestPagesAndPrivacy:
    def test_a_pa_sees_care_needs_only_with_consent(self, client, authority, officer, parent, family_child):
        assistant = make_assistant(authority, officer)
        family_child.medical_needs = "Rescue medication: buccal midazolam"
        family_child.save()
        booking_request(
            assistant=assistant,
            child=family_child,
            requested_by=parent,
            date=TODAY + dt.timedelta(days=2),
            starts_at=dt.time(9),
            ends_at=dt.time(10),
            message="",
        )
        sign_in(client, assistant.user)
        page = client.get(reverse("assistants:home")).content.decode()
        assert "Sam" in page and "midazolam" not in page
        family_child.family.consent_to_share = True
        family_child.family.save()
        assert "midazolam" in client.get(reverse("assistants:home")).content.decode()

    def test_another_pa_cannot_answer_or_see_a_booking(self, client, authority, officer, parent, family_child):
        assistant = make_assistant(authority, officer)
        other = make_assistant(authority, officer, email="other@example.org")
        booking = booking_request(
            assistant=assistant,
            child=family_child,
            requested_by=parent,
            date=TODAY + dt.timedelta(days=2),
            starts_at=dt.time(9),
            ends_at=dt.time(10),
            message="",
        )
        sign_in(client, other.user)
        assert "Sam" not in client.get(reverse("assistants:home")).content.decode()
        response = client.post(reverse("assistants:booking", args=[booking.pk]), {"action": "accept"})
        assert response.status_code == 404
        assert AssistantBooking.objects.get(pk=booking.pk).status == AssistantBooking.Status.REQUESTED

    def test_parent_searches_and_asks_through_the_pages(self, client, authority, officer, parent, family_child):
        assistant = make_assistant(authority, officer)
        family_child.needs.set([])
        sign_in(client, parent)
        page = client.get(reverse("assistants:find"), {"child": family_child.pk, "postcode": "XYZ 123"})
        assert "Enter a real postcode" in page.content.decode()
        page = client.get(reverse("assistants:find"), {"child": family_child.pk, "postcode": ""}).content.decode()
        assert assistant.display_name in page
        url = reverse("assistants:detail", args=[assistant.pk])
        assert "Up to 6 miles from DE22" in client.get(url).content.decode()  # 10 km, in miles
        response = client.post(
            url, {"child": family_child.pk, "date": str(TODAY), "starts_at": "14:00", "ends_at": "13:00"}
        )
        assert "The end time must be after the start time" in response.content.decode()
        response = client.post(
            url,
            {
                "child": family_child.pk,
                "date": str(TODAY + dt.timedelta(days=1)),
                "starts_at": "10:00",
                "ends_at": "12:00",
                "meet_at": "Home, 4 Oak Road",
                "contact_email": "parent@example.org",
                "idempotency_key": "k" * 32,
            },
        )
        assert response.url == reverse("assistants:family-bookings")
        assert AssistantBooking.objects.get().amount == Decimal("30.00")

    def test_unvetted_profiles_are_not_found_by_address(self, client, authority, officer, parent):
        pending = make_assistant(authority, officer, vetted=False)
        sign_in(client, parent)
        assert client.get(reverse("assistants:detail", args=[pending.pk])).status_code == 404

    def test_officer_vets_through_the_page(self, client, authority, officer):
        assistant = make_assistant(authority, officer, vetted=False)
        submit_for_vetting(assistant=assistant, submitted_by=assistant.user)
        sign_in(client, officer)
        url = reverse("assistants:vet", args=[assistant.pk])
        assert "Autism awareness" in client.get(url).content.decode()
        client.post(url, {"decision": "approve", "received": [str(r.pk) for r in assistant.references.all()]})
        vetted = Assistant.objects.get(pk=assistant.pk)
        assert vetted.status == Assistant.Status.VETTED
        assert vetted.vetted_by == officer and NOW <= vetted.vetted_at <= timezone.now()


def _worked(assistant, parent, child, *, hours: str, date=TODAY, accept=True):
    """A booking of 10:00 to 12:00, answered, and (if accepted) a timesheet for `hours`."""
    booking = booking_request(
        assistant=assistant,
        child=child,
        requested_by=parent,
        date=date,
        starts_at=dt.time(10),
        ends_at=dt.time(12),
        message="",
        meet_at="Home, 4 Oak Road",
        contact_email="parent@example.org",
    )
    booking_answer(booking=booking, answered_by=assistant.user, accept=accept)
    if accept and hours:
        timesheet_submit(booking=booking, submitted_by=assistant.user, hours=Decimal(hours), note="")
    return booking


class TestFamilyPages:
    def test_the_bookings_page_shows_the_money_the_ledger_holds(self, client, authority, officer, parent, family_child):
        assistant = make_assistant(authority, officer, rate="16.50")
        declined = _worked(assistant, parent, family_child, hours="", date=TODAY + dt.timedelta(days=3), accept=False)
        paid = _worked(assistant, parent, family_child, hours="2.5")
        timesheet_decide(timesheet=paid.timesheet, decided_by=parent, approve=True)
        sign_in(client, parent)
        page = client.get(reverse("assistants:family-bookings")).content.decode()
        declined_card = page[page.index(f'id="booking-{declined.pk}"') :][:1500]
        paid_card = page[page.index(f'id="booking-{paid.pk}"') :][:1500]
        # The decline released the £33.00; the extra half hour was paid, £41.25 in all.
        assert "£33.00 went back into Sam's budget" in declined_card and "set aside" not in declined_card
        assert "£41.25 paid from Sam's budget" in paid_card and "set aside" not in paid_card

    def test_search_keeps_what_the_parent_chose_in_miles(self, client, authority, officer, parent, family_child):
        assistant = make_assistant(authority, officer, postcode="DE22 1AB")
        sign_in(client, parent)
        url = reverse("assistants:find")
        first = client.get(url).content.decode()  # a first visit suggests Sam's skills
        assert 'value="autism" checked' in first and "?skills=autism" in first
        # Searched with Autism unticked (and a blank value, as some browsers send): it stays unticked.
        response = client.get(url, {"postcode": "DE22 1AB", "skills": ""})
        page = response.content.decode()
        assert response.status_code == 200 and "Select a valid choice" not in page
        assert "checked" not in page
        assert assistant.display_name in page and "miles away" in page and " km" not in page
        # From the family's own postcode, with the suggested skill, the PA is found.
        page = client.get(url, {"postcode": "DE22 1AB", "skills": "autism"}).content.decode()
        assert assistant.display_name in page and 'value="autism" checked' in page

    def test_search_suggests_the_skills_of_each_of_the_familys_children_by_name(
        self, client, authority, parent, family_child
    ):
        make_child(family_child.family, "Anaya", needs=("learning-disability",))
        make_child(family_child.family, "Zara", needs=("mental-health",))
        sign_in(client, parent)
        page = client.get(reverse("assistants:find")).content.decode()
        suggested = page[page.index('id="suggested"') :].split("</ul>")[0]
        assert "your child" not in page and "Skills each child's needs call for:" in page
        assert "Search with Sam's skills" in suggested and "?skills=autism" in suggested
        assert "Search with Anaya's skills" in suggested and "(Makaton, Personal care)" in suggested
        assert "?skills=makaton&amp;skills=personal_care" in suggested
        assert "Zara: no particular skills from the needs we have recorded. Tick the skills Zara needs" in suggested
        assert "checked" not in page  # with several children, none of their skills is ticked for them

    def test_no_results_advice_names_what_the_parent_chose(self, client, authority, officer, parent, family_child):
        make_assistant(authority, officer, postcode="DE22 1AB")
        sign_in(client, parent)
        page = client.get(reverse("assistants:find"), {"skills": ["autism", "peg"], "day": "1"}).content.decode()
        advice = page[page.index('id="no-results"') :]
        assert "0 personal assistants found" in page
        # No one change finds anyone (the PA works Saturdays, without PEG feeding): all of them do.
        assert "Untick “Autism” and “PEG feeding”, choose “Any day”: 1 personal assistant" in advice
        page = client.get(reverse("assistants:find"), {"skills": ["peg"]}).content.decode()
        assert "Untick “PEG feeding”: 1 personal assistant without it" in page
        assert "fewer skills" not in page

    def test_a_timesheet_with_an_error_keeps_what_was_typed(self, client, authority, officer, parent, family_child):
        assistant = make_assistant(authority, officer)
        booking = _worked(assistant, parent, family_child, hours="")
        sign_in(client, assistant.user)
        response = client.post(
            reverse("assistants:booking", args=[booking.pk]),
            {"action": "timesheet", "booking": str(booking.pk), "hours": "two", "note": "Left at 11:30"},
        )
        page = response.content.decode()
        assert response.status_code == 400 and "<title>Error: " in page
        assert f'href="#hours-{booking.pk}"' in page and "Enter the hours worked as a number, like 2.5" in page
        assert 'value="two"' in page and 'value="Left at 11:30"' in page
        assert not Timesheet.objects.exists()

    def test_approving_shows_the_total_and_the_budget_first(self, client, authority, officer, parent, family_child):
        assistant = make_assistant(authority, officer, rate="16.50")
        booking = _worked(assistant, parent, family_child, hours="2.5")
        sign_in(client, parent)
        page = client.get(reverse("assistants:family-bookings")).content.decode()
        assert "2.50 hours × £16.50 an hour = <strong>£41.25</strong>" in page
        assert (
            "Sam's budget, where £33.00 is set aside for this booking; the other £8.25 comes from what is left" in page
        )
        assert "Approve and pay £41.25" in page
        url = reverse("assistants:family-booking", args=[booking.pk])
        data = {"booking": str(booking.pk), "action": "approve", "reason": "", "idempotency_key": "p" * 32}
        response = client.post(url, data)
        assert [str(m) for m in client.get(response.url).context["messages"]] == [
            f"Approved: £41.25 paid to {assistant} from Sam's budget."
        ]
        assert BudgetAccount.objects.get(child=family_child).spent == Decimal("41.25")

    def test_a_query_needs_a_reason_and_a_bad_id_is_a_form_error(
        self, client, authority, officer, parent, family_child
    ):
        assistant = make_assistant(authority, officer)
        booking = _worked(assistant, parent, family_child, hours="2")
        sign_in(client, parent)
        url = reverse("assistants:family-booking", args=[booking.pk])
        response = client.post(url, {"booking": str(booking.pk), "action": "query", "idempotency_key": "q" * 32})
        page = response.content.decode()
        assert response.status_code == 400 and f'href="#reason-{booking.pk}"' in page
        assert "Say what is wrong with the timesheet" in page and 'value="' + "q" * 32 + '"' in page
        response = client.post(url, {"booking": "not-an-id", "action": "approve", "idempotency_key": "q" * 32})
        assert response.status_code == 400 and "Choose a timesheet waiting for you" in response.content.decode()
        response = client.post(
            url, {"booking": str(booking.pk), "action": "query", "reason": "I left at 11", "idempotency_key": "q" * 32}
        )
        assert response.status_code == 302
        assert Timesheet.objects.get().status == Timesheet.Status.QUERIED
        assert BudgetAccount.objects.get(child=family_child).spent == Decimal("0.00")

    def test_cancelling_asks_first_and_says_where_the_money_goes(
        self, client, authority, officer, parent, family_child
    ):
        assistant = make_assistant(authority, officer)
        booking = _worked(assistant, parent, family_child, hours="", date=TODAY + dt.timedelta(days=2))
        sign_in(client, parent)
        url = reverse("assistants:family-booking-cancel", args=[booking.pk])
        assert url in client.get(reverse("assistants:family-bookings")).content.decode()
        page = client.get(url).content.decode()
        assert "The £30.00 set aside for it goes back into Sam's budget" in page and "Yes, cancel it" in page
        assert AssistantBooking.objects.get(pk=booking.pk).status == AssistantBooking.Status.ACCEPTED
        response = client.post(url, {"confirm": "yes"})
        assert [str(m) for m in client.get(response.url).context["messages"]] == [
            "Cancelled. £30.00 is back in Sam's budget."
        ]
        assert AssistantBooking.objects.get(pk=booking.pk).status == AssistantBooking.Status.CANCELLED
        assert BudgetAccount.objects.get(child=family_child).committed == Decimal("0.00")
        assert client.get(url).url == reverse("assistants:family-bookings")  # nothing left to cancel
        stranger = make_user(authority, Role.PARENT, email="stranger@example.org")
        sign_in(client, stranger)
        assert client.get(url).status_code == 404

    def test_the_pas_request_email_says_where_and_how_to_reach_the_family(
        self, client, authority, officer, parent, family_child, django_capture_on_commit_callbacks
    ):
        assistant = make_assistant(authority, officer)
        sign_in(client, parent)
        url = reverse("assistants:detail", args=[assistant.pk])
        assert 'value="parent@example.org"' in client.get(url).content.decode()  # offered, to change
        data = {
            "child": family_child.pk,
            "date": str(TODAY + dt.timedelta(days=1)),
            "starts_at": "10am",
            "ends_at": "12pm",
            "meet_at": "Home, 4 Oak Road, DE22 1AB",
            "contact_email": "sam.parent@example.org",
            "idempotency_key": "e" * 32,
        }
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, data)
        [email] = [m for m in mail.outbox if m.to == [assistant.user.email]]
        # The family hears too, at each carer's contact address, with a link back to the request.
        [told] = [m for m in mail.outbox if m.to != [assistant.user.email]]
        assert told.to == family_child.family.contact_emails()
        assert told.subject == f"You asked {assistant} to support {family_child.first_name}"
        assert "Where: Home, 4 Oak Road, DE22 1AB" in email.body and "Email: sam.parent@example.org" in email.body
        assert "Phone:" not in email.body  # the family gave no number
        day = TODAY + dt.timedelta(days=1)
        assert f"on {day:%A} {day.day} {day:%B %Y}, 10am to midday (2.00 hours" in email.body
        booking = AssistantBooking.objects.get()
        assert absolute(authority, "assistants:booking", booking.pk) in email.body.split()
        assert f"on {day:%A} {day.day} {day:%B %Y}, 10am to midday." in told.body
        assert absolute(authority, "assistants:family-booking", booking.pk) in told.body.split()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, data | {"idempotency_key": "f" * 32, "contact_phone": "07700 900123"})
        assert "Phone: 07700 900123" in next(m for m in mail.outbox if m.to == [assistant.user.email]).body
        sign_in(client, assistant.user)  # and on the PA's own page
        page = client.get(reverse("assistants:home")).content.decode()
        assert "Where: Home, 4 Oak Road, DE22 1AB." in page and "or on 07700 900123" in page

    def test_a_request_with_an_error_keeps_what_was_typed(self, client, authority, officer, parent, family_child):
        assistant = make_assistant(authority, officer)
        sign_in(client, parent)
        response = client.post(
            reverse("assistants:detail", args=[assistant.pk]),
            {"child": family_child.pk, "date": str(TODAY), "starts_at": "10:00", "ends_at": "12:00", "message": "Hi"},
        )
        page = response.content.decode()
        assert response.status_code == 400 and 'href="#id_meet_at"' in page and "Say where the PA should come" in page
        assert "Hi</textarea>" in page

    def test_a_pa_answers_through_a_form_and_a_long_message_is_kept(
        self, client, authority, officer, parent, family_child
    ):
        assistant = make_assistant(authority, officer)
        booking = booking_request(
            assistant=assistant,
            child=family_child,
            requested_by=parent,
            date=TODAY + dt.timedelta(days=2),
            starts_at=dt.time(9),
            ends_at=dt.time(10),
            message="",
        )
        sign_in(client, assistant.user)
        url = reverse("assistants:booking", args=[booking.pk])
        response = client.post(url, {"booking": str(booking.pk), "action": "decline", "note": "x" * 501})
        page = response.content.decode()
        assert response.status_code == 400 and f'href="#note-{booking.pk}"' in page and "x" * 501 in page
        assert AssistantBooking.objects.get(pk=booking.pk).status == AssistantBooking.Status.REQUESTED
        response = client.post(url, {"booking": str(booking.pk), "action": "decline", "note": "Away that week"})
        assert response.status_code == 302
        assert AssistantBooking.objects.get(pk=booking.pk).answer_note == "Away that week"

    def test_the_bookings_page_asks_the_database_a_fixed_number_of_times(
        self, client, authority, officer, parent, family_child, django_assert_max_num_queries
    ):
        assistant = make_assistant(authority, officer, rate="5.00")
        sign_in(client, parent)
        _worked(assistant, parent, family_child, hours="1")
        client.get(reverse("assistants:family-bookings"))
        with django_assert_max_num_queries(12) as one:
            client.get(reverse("assistants:family-bookings"))
        for days in range(1, 5):
            _worked(assistant, parent, family_child, hours="", date=TODAY + dt.timedelta(days=days), accept=days % 2)
        with django_assert_max_num_queries(len(one.captured_queries)):
            client.get(reverse("assistants:family-bookings"))

    def test_a_pa_gives_their_travel_in_miles(self, client, authority, officer):
        assistant = make_assistant(authority, officer)
        sign_in(client, assistant.user)
        url = reverse("assistants:profile")
        page = client.get(url).content.decode()
        assert "How far you will travel, in miles" in page and 'value="6"' in page  # 10 km
        data = {
            "display_name": "Alex M.",
            "postcode": "DE22 1AB",
            "travel_miles": "lots",
            "hourly_rate": "15",
            "skills": ["autism"],
            "dbs_certificate": assistant.dbs_certificate,
            "dbs_issued_on": str(assistant.dbs_issued_on),
        }
        response = client.post(url, data)
        assert "Enter how far you will travel as a whole number of miles, like 5" in response.content.decode()
        assert client.post(url, data | {"travel_miles": "5"}).status_code == 302
        assert Assistant.objects.get(pk=assistant.pk).travel_km == 8
        assert Assistant.objects.get(pk=assistant.pk).travel_miles == 5  # as families will read it
