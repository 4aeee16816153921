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
