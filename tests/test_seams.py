"""Security at the seams: what goes round the access rules (emails, the booking API, withdrawn
services, the task results table). Each test is a general rule, not one spot."""

import datetime as dt
import uuid

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from shortbreaks.bookings.models import Booking, WaitingListEntry
from shortbreaks.bookings.services.booking import BookingRefused, booking_cancel, booking_create
from shortbreaks.bookings.services.waiting import waiting_list_join
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
            email_after_commit(
                to=["a@example.org", "B@example.org", "a@example.org", ""], subject="s", body="b", why="a test"
            )
        assert sorted(m.to for m in mail.outbox) == [["a@example.org"], ["b@example.org"]]

    def test_an_email_comes_from_its_councils_own_address(
        self, authority, other_authority, settings, django_capture_on_commit_callbacks
    ):
        """Not from shortbreaks@localhost: from the council whose site sent it, by name, or the
        installation's DEFAULT_FROM_EMAIL for a council with no contact address."""
        settings.DEFAULT_FROM_EMAIL = "Short breaks <shortbreaks@installation.example>"
        authority.contact_email = "shortbreaks@dovebridge.example"
        authority.save()
        with django_capture_on_commit_callbacks(execute=True):
            for council, to in ((authority, "a@example.org"), (other_authority, "b@example.org")):
                email_after_commit(to=[to], subject="s", body="b", why="a test", authority=council)
        sent = {m.to[0]: m for m in mail.outbox}
        dovebridge = "Dovebridge Borough Council short breaks <shortbreaks@dovebridge.example>"
        assert sent["a@example.org"].from_email == dovebridge
        assert f"From: {dovebridge}" in sent["a@example.org"].message().as_string()
        assert sent["b@example.org"].from_email == "Short breaks <shortbreaks@installation.example>"

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

    send_email.using(backend="default").enqueue(
        to="parent@example.org", subject="Reset", body="https://reset/secret\n\nWhy you got this email: a test."
    )
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


class TestTheCaseloadImportReadsNoMoreThanItMust:
    def test_a_sheet_past_the_row_cap_is_refused_without_reading_it_whole(self, authority, monkeypatch):
        import io

        from openpyxl import Workbook

        from shortbreaks.families import imports

        monkeypatch.setattr(imports, "MAX_ROWS", 10)
        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(imports.COLUMNS)
        for n in range(1000):
            sheet.append([f"F-{n}"] + [""] * (len(imports.COLUMNS) - 1))
        buffer = io.BytesIO()
        book.save(buffer)
        read = []
        real = imports.load_workbook

        def counting(*args, **kwargs):
            workbook = real(*args, **kwargs)
            rows = workbook.active.iter_rows

            def iter_rows(**options):
                for row in rows(**options):
                    read.append(row)
                    yield row

            workbook.active.iter_rows = iter_rows
            return workbook

        monkeypatch.setattr(imports, "load_workbook", counting)
        with pytest.raises(imports.ImportRejected) as rejected:
            imports.read_rows("caseload.xlsx", buffer.getvalue())
        assert "more than 10 rows" in str(rejected.value.problems[0])
        assert len(read) <= 12  # the header, the cap, and one more to know it is over

    def test_a_file_past_the_size_cap_is_refused_by_the_form(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from shortbreaks.families.forms.eligibility import CaseloadImportForm
        from shortbreaks.families.imports import MAX_BYTES

        big = SimpleUploadedFile("caseload.csv", b"x" * (MAX_BYTES + 1))
        form = CaseloadImportForm(data={}, files={"file": big})
        assert not form.is_valid() and "smaller than" in form.errors["file"][0]


@pytest.mark.usefixtures("storage_backend")  # on both file stores (tests/storage.py)
def test_uploads_are_stored_under_generated_names_and_downloaded_under_safe_ones(
    client, authority, policy, parent, officer
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shortbreaks.families.models import EvidenceDocument
    from shortbreaks.families.services.eligibility import application_submit

    from .factories import PDF

    child = make_child(make_family(authority, carer_user=parent), "Zoë")
    application = application_submit(
        child=child,
        declarations={"substantial": True},
        submitted_by=parent,
        evidence=[SimpleUploadedFile("../Zoë Shah\r\nautism report.pdf", PDF, content_type="application/pdf")],
    )
    document = EvidenceDocument.objects.get()
    stored = document.file.name
    assert "Zo" not in stored and ".." not in stored and "autism" not in stored and stored.endswith(".pdf")
    sign_in(client, officer)
    response = client.get(reverse("families:evidence", args=[application.pk, document.pk]))
    disposition = response["Content-Disposition"]
    assert response.status_code == 200 and "\n" not in disposition and "\r" not in disposition
    assert "filename*=utf-8''" in disposition  # RFC 6266: the family's own name, safely encoded


def test_adding_an_evaluator_reveals_nothing_about_other_councils_accounts(
    client, authority, other_authority, commissioner
):
    opportunity = build(authority, commissioner, lots=1)
    elsewhere = make_user(other_authority, Role.OFFICER, email="someone@kestrel.example")
    type(elsewhere).objects.filter(pk=elsewhere.pk).update(full_name="Hidden Name")
    sign_in(client, commissioner)
    answers = []
    for email in ("someone@kestrel.example", "nobody@example.org"):
        response = client.post(
            reverse("procurement:evaluator-add", args=[opportunity.pk]), {"email": email, "panel": "officers"}
        )
        page = response.content.decode()
        assert "Hidden Name" not in page
        answers.append("has a role at Dovebridge Borough Council" in page)
    # The same answer whether or not the address has an account on another council.
    assert answers == [True, True] and opportunity.evaluators.count() == 0


def test_eligibility_code_checks_are_throttled_and_a_burst_of_wrong_ones_tells_an_officer(
    client, authority, provider, officer, policy, django_capture_on_commit_callbacks, clock
):
    from shortbreaks.families.services.eligibility import (
        CHECKS_PER_HOUR,
        WRONG_CODES_BEFORE_TELLING,
        TooManyChecks,
        eligibility_check_code,
    )

    with django_capture_on_commit_callbacks(execute=True):
        for n in range(CHECKS_PER_HOUR):
            assert eligibility_check_code(authority=authority, code=f"AAAA-{n:04d}", checked_by=provider) is None
    told = [m for m in mail.outbox if m.subject == "Many wrong eligibility codes checked"]
    assert [m.to for m in told] == [[officer.email]]  # once, though 60 wrong codes were tried
    assert f"has checked {WRONG_CODES_BEFORE_TELLING} eligibility codes" in told[0].body
    with pytest.raises(TooManyChecks, match="the most we allow"):
        eligibility_check_code(authority=authority, code="AAAA-BBBB", checked_by=provider)
    sign_in(client, provider)
    page = client.post(reverse("families:code-check"), {"code": "AAAA-BBBB"}).content.decode()
    assert "the most we allow" in page and "govuk-error-summary" in page
    clock.move_to(timezone.now() + dt.timedelta(hours=1, minutes=1))
    assert eligibility_check_code(authority=authority, code="AAAA-BBBB", checked_by=provider) is None


class TestLockOut:
    def test_the_forwarded_address_is_believed_only_from_a_trusted_proxy(self, rf, settings):
        from shortbreaks.core.clients import client_ip

        request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
        settings.TRUSTED_PROXIES = []
        assert client_ip(request) == "10.0.0.5"  # by default nobody's header is believed
        settings.TRUSTED_PROXIES = ["10.0.0.5"]
        assert client_ip(request) == "1.2.3.4"
        spoofed = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
        assert client_ip(spoofed) == "1.2.3.4"  # the hop our proxy saw, not what the client claimed

    def test_behind_the_proxy_a_stranger_locks_out_only_themselves_and_a_reset_lets_the_owner_in(
        self, client, authority, parent, settings, django_capture_on_commit_callbacks
    ):
        import re

        from .factories import PASSWORD

        settings.TRUSTED_PROXIES = ["127.0.0.1"]
        url = reverse("accounts:sign-in")
        for _ in range(6):  # a stranger, from their own address behind the proxy
            client.post(
                url,
                {"username": parent.email, "password": "wrong"},
                REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR="203.0.113.9",
            )
        stranger = client.post(
            url,
            {"username": parent.email, "password": PASSWORD},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
        assert stranger.status_code == 429
        owner = client.post(
            url,
            {"username": parent.email, "password": PASSWORD},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
        assert owner.status_code == 302  # the owner, from their own address, is not locked out
        client.logout()

        # Locked out on their own address too, the owner resets the password and is in at once.
        for _ in range(6):
            client.post(
                url,
                {"username": parent.email, "password": "wrong"},
                REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR="198.51.100.7",
            )
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("accounts:password-reset"), {"email": parent.email})
        link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/)", mail.outbox[-1].body).group(1)
        form_url = client.get(link).url  # Django swaps the token for a session one
        done = client.post(
            form_url, {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"}
        )
        assert done.status_code == 302
        back = client.post(
            url,
            {"username": parent.email, "password": "a-brand-new-passphrase"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
        assert back.status_code == 302


def test_the_admin_shows_no_audit_of_a_sealed_bid_before_the_opening(client, authority, commissioner, bidders):
    from django.contrib.auth import get_user_model

    from shortbreaks.procurement.services import submissions_open

    from .factories import pass_deadline

    alpha, alpha_user, _, _ = bidders
    opportunity = opportunity_publish(opportunity=build(authority, commissioner, lots=1), published_by=commissioner)
    bid = submit(opportunity, alpha, alpha_user)
    superuser = get_user_model().objects.create_superuser(
        username="root@example.org", email="root@example.org", password="a-long-admin-passphrase"
    )
    sign_in(client, superuser)
    url = reverse("admin:core_auditevent_changelist")
    page = client.get(url).content.decode()
    assert "procurement.published" in page  # the list works, and shows the tender's own events
    assert str(bid.pk) not in page and alpha_user.display_name not in page and "procurement.submitted" not in page
    assert "0 results" in client.get(url, {"q": str(bid.pk)}).content.decode()  # nor found by its id
    pass_deadline(opportunity)
    submissions_open(opportunity=opportunity, opened_by=commissioner)
    assert "procurement.submitted" in client.get(url).content.decode()  # opened: the trail is whole again
    assert "1 result" in client.get(url, {"q": str(bid.pk)}).content.decode()
