"""Security at the seams: what goes round the access rules (emails, the booking API, withdrawn
services, the task results table). Each test is a general rule, not one spot."""

import uuid

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from shortbreaks.bookings.models import Booking, WaitingListEntry
from shortbreaks.bookings.services.booking import BookingRefused, booking_cancel, booking_create, waiting_list_join
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.roles import Role
from shortbreaks.core.tasks import SENT, email_after_commit
from shortbreaks.families.models import Carer
from shortbreaks.procurement.services import (
    clarification_answer,
    clarification_ask,
    opportunity_publish,
    submission_save,
)

from .factories import (
    answers_for,
    build,
    fund,
    make_child,
    make_eligible,
    make_family,
    make_location,
    make_organisation,
    make_service,
    make_session,
    make_user,
    sign_in,
    submit,
)


class TestOneRecipientPerMessage:
    def test_a_clarification_answer_goes_to_each_bidder_alone(
        self, authority, commissioner, bidders, django_capture_on_commit_callbacks
    ):
        alpha, alpha_user, beta, beta_user = bidders
        gamma = make_organisation(authority, name="Gamma Play")
        gamma_user = make_user(authority, Role.PROVIDER, organisation=gamma, email="gamma@example.org")
        opportunity = opportunity_publish(opportunity=build(authority, commissioner), published_by=commissioner)
        submit(opportunity, alpha, alpha_user)
        submission_save(  # a draft counts: its bidder is told too
            opportunity=opportunity,
            lot=opportunity.lots.first(),
            organisation=beta,
            answers=answers_for(opportunity),
            price=None,
            saved_by=beta_user,
        )
        question = clarification_ask(
            opportunity=opportunity, organisation=gamma, question="Is transport in?", asked_by=gamma_user
        )
        with django_capture_on_commit_callbacks(execute=True):
            clarification_answer(clarification=question, answer="No.", answered_by=commissioner)
        told = sorted(m.to[0] for m in mail.outbox if "Is transport in?" in m.body)
        assert told == sorted([alpha.email, beta.email, gamma_user.email])
        for message in mail.outbox:
            others = {alpha.email, beta.email, gamma_user.email} - set(message.to)
            assert not any(other in message.message().as_string() for other in others)

    def test_the_helper_splits_any_list(self, django_capture_on_commit_callbacks, db):
        with django_capture_on_commit_callbacks(execute=True):
            email_after_commit(to=["a@example.org", "B@example.org", "a@example.org", ""], subject="s", body="b")
        assert sorted(m.to for m in mail.outbox) == [["a@example.org"], ["b@example.org"]]

    def test_the_suite_checks_every_message(self, db):
        """The conftest check that runs after every test: a message to two people fails it."""
        from django.core.mail import EmailMessage

        from .conftest import _one_recipient_per_message

        check = _one_recipient_per_message.__wrapped__()
        next(check)
        EmailMessage("s", "b", "from@example.org", ["one@example.org", "two@example.org"]).send()
        with pytest.raises(AssertionError, match="more than one recipient"):
            next(check)
        mail.outbox.clear()


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
@pytest.mark.django_db(transaction=True)
def test_a_sent_emails_content_is_not_kept_in_the_task_results(authority):
    from django_tasks_db.models import DBTaskResult

    from shortbreaks.core.tasks import send_email

    send_email.using(backend="default").enqueue(to="parent@example.org", subject="Reset", body="https://reset/secret")
    call_command("db_worker", "--batch", verbosity=0)
    result = DBTaskResult.objects.get()
    assert result.status == "SUCCESSFUL" and result.args_kwargs == SENT
    assert "secret" not in str(result.args_kwargs) and "secret" in mail.outbox[0].body


@pytest.fixture
def family_booking(authority, organisation, parent):
    service = make_service(organisation, location=make_location(organisation))
    session = make_session(service)
    family = make_family(authority, carer_user=parent)
    child = make_child(family, "Sam")
    make_eligible(child)
    fund(child)
    second = make_user(authority, Role.PARENT, email="second@example.org")
    Carer.objects.create(family=family, user=second, full_name="Second", email=second.email)
    return service, session, family, child, second


class TestTheCarerRule:
    def test_the_api_lists_the_childrens_bookings_whoever_booked_and_stops_when_a_carer_leaves(
        self, client, authority, parent, family_booking
    ):
        service, session, family, child, second = family_booking
        other = make_child(make_family(authority, carer_user=make_user(authority, Role.PARENT)), "Other")
        make_eligible(other), fund(other)
        booking_create(
            sessions=[session],
            children=[other],
            booked_by=other.family.carers.get().user,
            idempotency_key=uuid.uuid4().hex,
        )
        booking_create(sessions=[session], children=[child], booked_by=parent, idempotency_key=uuid.uuid4().hex)
        mine = Booking.objects.get(child=child)

        sign_in(client, second)  # did not press "book", but is Sam's carer
        assert [b["id"] for b in client.get("/api/bookings/").json()] == [str(mine.pk)]
        page = client.get(reverse("bookings:mine")).content.decode()
        assert "Sam" in page and "Other" not in page

        Carer.objects.filter(family=family, user=parent).delete()  # the first carer leaves
        sign_in(client, parent)
        assert client.get("/api/bookings/").json() == []
        assert "Sam" not in client.get(reverse("bookings:mine")).content.decode()
        with pytest.raises(NotAllowed, match="own family"):
            booking_create(
                sessions=[make_session(service)], children=[child], booked_by=parent, idempotency_key=uuid.uuid4().hex
            )
        with pytest.raises(NotAllowed, match="own family"):
            waiting_list_join(session=session, child=child, added_by=parent)


class TestOneBookableCheck:
    @pytest.fixture
    def withdrawn(self, family_booking):
        service, session, family, child, second = family_booking
        type(service).objects.filter(pk=service.pk).update(status="defunct")
        return session, child, second

    def test_the_api_refuses_a_withdrawn_service(self, client, withdrawn):
        session, child, second = withdrawn
        sign_in(client, second)
        response = client.post(
            "/api/bookings/",
            {"session_ids": [str(session.pk)], "child_ids": [str(child.pk)], "idempotency_key": "withdrawn-1"},
            content_type="application/json",
        )
        assert response.status_code == 409 and "not offered any more" in str(response.json())
        assert not Booking.objects.filter(child=child).exists()

    def test_the_services_and_the_waiting_list_refuse_it_too(self, withdrawn):
        session, child, second = withdrawn
        with pytest.raises(BookingRefused, match="not offered any more"):
            booking_create(sessions=[session], children=[child], booked_by=second, idempotency_key="k" * 10)
        with pytest.raises(NotAllowed, match="not offered any more"):
            waiting_list_join(session=session, child=child, added_by=second)

    def test_no_waiting_list_offer_is_made_for_a_withdrawn_service(
        self, authority, organisation, parent, family_booking
    ):
        service, session, family, child, second = family_booking
        type(session).objects.filter(pk=session.pk).update(places=1)
        session.refresh_from_db()
        booked = booking_create(sessions=[session], children=[child], booked_by=parent, idempotency_key="b" * 10)
        waiting = make_child(make_family(authority, carer_user=second), "Wait")
        make_eligible(waiting), fund(waiting)
        entry = waiting_list_join(session=session, child=waiting, added_by=second)
        type(service).objects.filter(pk=service.pk).update(status="defunct")
        booking_cancel(booking=booked.bookings.get(), cancelled_by=parent)
        entry.refresh_from_db()
        assert entry.status == WaitingListEntry.Status.WAITING and entry.offer_expires_at is None


class TestOneSpreadsheetWriter:
    PAYLOAD = '=HYPERLINK("http://evil.example","x")'

    def test_no_other_module_writes_csv_or_xlsx(self):
        from pathlib import Path

        source = Path(__file__).resolve().parents[1] / "src" / "shortbreaks"
        writers = ("csv.writer", "csv.DictWriter", "Workbook(", "text/csv", "spreadsheetml")
        found = [
            f"{path.relative_to(source)}: {w}"
            for path in source.rglob("*.py")
            if path.name != "spreadsheets.py" and "migrations" not in path.parts
            for w in writers
            if w in path.read_text() and not (w == "spreadsheetml" and path.name == "publications.py")
        ]
        assert not found, found

    def test_every_export_writes_formulas_as_text(self, client, authority, commissioner, parent, event, borough, clock):
        import csv
        import io

        from openpyxl import load_workbook

        from shortbreaks.contracts.models import Contract, Payment
        from shortbreaks.directory.models import EventRegistration
        from shortbreaks.families.models import LedgerEntry
        from shortbreaks.families.services.budget import ledger_post
        from shortbreaks.insight.exports import TABLES

        evil = make_organisation(authority, name=self.PAYLOAD)
        EventRegistration.objects.create(
            event=event,
            organisation=evil,
            attendee_name=self.PAYLOAD,
            attendee_email="a@example.org",
            access_needs="@SUM(A1:A9)",
        )
        today = timezone.localdate()
        contract = Contract.objects.create(
            authority=authority,
            reference="C-EVIL",
            title="+cmd|' /C calc'!A0",
            kind="spot",
            organisation=evil,
            value=1000,
            starts_on=today,
            ends_on=today.replace(year=today.year + 1),
            status="active",
        )
        Payment.objects.create(
            authority=authority,
            contract=contract,
            amount=10,
            paid_on=today,
            approved_by=commissioner,
            description="-2+3",
        )
        child = borough["jo"]
        account = fund(child)
        ledger_post(
            account=account, kind=LedgerEntry.Kind.ALLOCATION_GRANTED, amount=1, description=self.PAYLOAD, actor=None
        )

        def cells(response) -> list[str]:
            if response["Content-Type"].startswith("text/csv"):
                return [c for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for c in row]
            book = load_workbook(io.BytesIO(response.content))
            return [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]

        downloads = []
        sign_in(client, commissioner)
        for table in TABLES:
            for fmt in ("csv", "xlsx"):
                downloads.append(client.get(reverse("insight:export", args=[table, fmt])))
        downloads.append(client.get(reverse("directory:manage-event", args=[event.pk]) + "?format=csv"))
        sign_in(client, parent)
        downloads.append(client.get(reverse("families:statement", args=[child.pk]) + "?format=csv"))
        seen = []
        for response in downloads:
            assert response.status_code == 200
            values = cells(response)
            seen += values
            live = [
                v for v in values if v.startswith(("=", "+", "@", "\t", "\r")) or (v.startswith("-") and not _number(v))
            ]
            assert not live, live
        assert "'" + self.PAYLOAD in seen  # the text is kept, shown as text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
