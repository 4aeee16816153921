"""Families' feedback and the officer's safeguarding alerts (issue 17): the breaks offered are
the ones the child went to, named with their provider, most recent first; an error keeps what
was typed; a child who did not feel safe is told who at the council will read it and where to
get help; the officer sees the child, the family's contacts and the provider, and records
steps over time until one closes the alert; nobody else sees it."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from shortbreaks.contracts.audit import Audit
from shortbreaks.contracts.models import Feedback, MonitoringPolicy, SafeguardingAlert, SafeguardingStep
from shortbreaks.contracts.services.feedback import feedback_give, safeguarding_step_add
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.models import AuditEvent
from shortbreaks.core.roles import Role
from shortbreaks.families.models import Carer

from .clock import TODAY
from .factories import booked, make_child, make_family, make_organisation, make_service, make_user, session_on, sign_in


def _options(page: str) -> list[tuple[str, str]]:
    select = re.search(r'<select name="booking"[^>]*>(.*?)</select>', page, re.S)
    assert select, "no list of breaks on the page"
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))


@pytest.fixture
def breaks(authority, parent):
    """Sam went to the Holiday Playscheme twice and to Rainbow Saturdays once; one booking was
    cancelled and one missed; another family's child went too."""
    acorn = make_organisation(authority, name="Acorn Trust")
    rainbow = make_organisation(authority, name="Rainbow Trust")
    playscheme = make_service(acorn, name="Holiday Playscheme")
    saturdays = make_service(rainbow, name="Rainbow Saturdays")
    family = make_family(authority, carer_user=parent)
    Carer.objects.filter(family=family).update(phone="07700 900123", relationship="Mother")
    sam = make_child(family, "Sam")
    older = booked(session_on(playscheme, TODAY - dt.timedelta(days=30)), sam)
    newest = booked(session_on(playscheme, TODAY - dt.timedelta(days=4)), sam)
    middle = booked(session_on(saturdays, TODAY - dt.timedelta(days=10)), sam)
    booked(session_on(saturdays, TODAY - dt.timedelta(days=17)), sam, status="cancelled")
    booked(session_on(saturdays, TODAY - dt.timedelta(days=24)), sam, status="no_show")
    booked(session_on(playscheme, TODAY - dt.timedelta(days=400)), sam)  # over a year ago
    stranger = make_user(authority, Role.PARENT, email="stranger@example.org")
    other = make_child(make_family(authority, carer_user=stranger), "Priya")
    foreign = booked(session_on(playscheme, TODAY - dt.timedelta(days=4)), other)
    return {
        "sam": sam,
        "newest": newest,
        "middle": middle,
        "older": older,
        "foreign": foreign,
        "stranger": stranger,
        "playscheme": playscheme,
    }


def _day(booking) -> str:
    date = booking.session.date
    return f"{date:%A} {date.day} {date:%B}" + ("" if date.year == TODAY.year else f" {date.year}")


def _long_day(booking) -> str:
    date = booking.session.date
    return f"{date:%A} {date.day} {date:%B %Y}"


class TestTheBreaksOffered:
    def test_only_breaks_the_child_went_to_most_recent_first_named_with_their_provider(self, client, parent, breaks):
        sign_in(client, parent)
        options = _options(client.get(reverse("contracts:feedback")).content.decode())
        assert options[0] == ("", "Choose the break you are telling us about")
        assert [value for value, _ in options[1:]] == [
            str(breaks["newest"].pk),
            str(breaks["middle"].pk),
            str(breaks["older"].pk),
        ]
        assert options[1][1] == f"Holiday Playscheme, Acorn Trust: {_day(breaks['newest'])}"
        assert options[2][1] == f"Rainbow Saturdays, Rainbow Trust: {_day(breaks['middle'])}"

    def test_with_two_children_each_break_says_whose_it_was(self, client, parent, breaks):
        ali = make_child(breaks["sam"].family, "Ali")
        booked(breaks["newest"].session, ali)
        sign_in(client, parent)
        labels = [label for _, label in _options(client.get(reverse("contracts:feedback")).content.decode())[1:]]
        assert labels[:2] == [
            f"Holiday Playscheme, Acorn Trust: {_day(breaks['newest'])} (Ali)",
            f"Holiday Playscheme, Acorn Trust: {_day(breaks['newest'])} (Sam)",
        ]

    def test_the_childs_own_version_chooses_nothing_for_them(self, client, parent, breaks):
        sign_in(client, parent)
        page = client.get(reverse("contracts:feedback-child")).content.decode()
        assert _options(page)[0] == ("", "Choose where you went")
        chosen = re.findall(r'<option value="([^"]*)" selected', page)
        assert chosen in ([], [""])  # at most the "Choose where you went" prompt

    def test_a_young_person_sees_their_own_breaks_only(self, client, authority, breaks):
        young = make_user(authority, Role.YOUNG_PERSON, email="young@example.org")
        breaks["sam"].user = young
        breaks["sam"].save(update_fields=["user"])
        sign_in(client, young)
        assert client.get(reverse("contracts:feedback")).url == reverse("contracts:feedback-child")
        options = _options(client.get(reverse("contracts:feedback-child")).content.decode())
        assert options[0][0] == "" and len(options) == 4
        assert str(breaks["foreign"].pk) not in dict(options)

    def test_a_parent_with_no_past_breaks_is_told_why_and_where_to_go(self, client, authority, parent):
        make_child(make_family(authority, carer_user=parent), "Sam")
        sign_in(client, parent)
        page = client.get(reverse("contracts:feedback")).content.decode()
        assert '<select name="booking"' not in page and "<form method=\"post\"" not in page.split("<main")[1]
        assert "There are no short breaks to tell us about yet" in page
        assert reverse("directory:search") in page and reverse("bookings:mine") in page
        assert "0808 800 5000" in page and "999" in page


class TestGivingFeedback:
    def test_an_error_keeps_what_was_typed_on_the_parents_form(self, client, parent, breaks):
        sign_in(client, parent)
        posted = {
            "booking": str(breaks["middle"].pk),
            "felt_safe": "yes",
            "had_fun": "yes",
            "carer_had_break": "yes",
            "comment": "Pick-up was late",
            "publish": "yes",
        }
        response = client.post(reverse("contracts:feedback"), posted)
        page = response.content.decode()
        assert response.status_code == 400 and "govuk-error-summary" in page
        assert '<a href="#id_enjoyed">Choose how the break was</a>' in page
        assert 'id="id_enjoyed-error"' in page and "govuk-form-group--error" in page
        assert f'<option value="{breaks["middle"].pk}" selected>' in page
        assert 'id="id_felt_safe" name="felt_safe" type="radio" value="yes" checked' in page
        assert 'id="carer_had_break" name="carer_had_break" type="checkbox" value="yes" checked' in page
        assert 'id="id_publish" name="publish" type="checkbox" value="yes" checked' in page
        assert "Pick-up was late</textarea>" in page
        assert "<title>Error: " in page and not Feedback.objects.exists()

    def test_an_error_keeps_what_was_typed_on_the_childs_form(self, client, parent, breaks):
        sign_in(client, parent)
        response = client.post(
            reverse("contracts:feedback-child"),
            {"enjoyed": "great", "felt_safe": "not_sure", "made_friends": "yes", "comment": "The bus was loud"},
        )
        page = response.content.decode()
        assert response.status_code == 400
        assert '<a href="#id_booking">Choose where you went</a>' in page and 'id="id_booking-error"' in page
        assert 'id="id_enjoyed" name="enjoyed" type="radio" value="great" checked' in page
        assert 'id="safe-not_sure" name="felt_safe" type="radio" value="not_sure" checked' in page
        assert 'id="made_friends" name="made_friends" type="checkbox" value="yes" checked' in page
        assert "The bus was loud</textarea>" in page

    @pytest.mark.parametrize("booking", ["foreign", "not-a-uuid"])
    def test_someone_elses_break_or_a_malformed_one_is_a_form_error(self, client, parent, breaks, booking):
        sign_in(client, parent)
        value = str(breaks[booking].pk) if booking in breaks else booking
        response = client.post(reverse("contracts:feedback"), {"booking": value, "enjoyed": "great"})
        assert response.status_code == 400 and "Choose the break you are telling us about" in response.content.decode()
        assert not Feedback.objects.exists()

    def test_the_feedback_is_about_that_session_and_child(self, client, parent, breaks):
        sign_in(client, parent)
        response = client.post(
            reverse("contracts:feedback"),
            {"booking": str(breaks["middle"].pk), "enjoyed": "great", "felt_safe": "yes", "had_fun": "yes"},
        )
        assert response.url == reverse("contracts:feedback-sent")
        given = Feedback.objects.get()
        assert (given.session, given.child, given.service) == (
            breaks["middle"].session,
            breaks["sam"],
            breaks["middle"].session.service,
        )
        page = client.get(response.url).content.decode()
        assert "Thank you. We have your feedback" in page and "What happens next" not in page

    def test_a_break_told_about_is_no_longer_offered_and_is_listed_with_the_child_and_day(self, client, parent, breaks):
        sign_in(client, parent)
        client.post(
            reverse("contracts:feedback"),
            {"booking": str(breaks["middle"].pk), "enjoyed": "great", "felt_safe": "yes"},
        )
        page = client.get(reverse("contracts:feedback")).content.decode()
        offered = [value for value, _ in _options(page) if value]
        assert str(breaks["middle"].pk) not in offered and str(breaks["newest"].pk) in offered
        told = page.split("What you have told us")[1]
        assert f"Sam, Rainbow Saturdays, {_long_day(breaks['middle'])}" in told
        assert f"Told us {TODAY.day} {TODAY:%B %Y}" in told
        # The child's own version still offers it: they have not told us themselves.
        child_page = client.get(reverse("contracts:feedback-child")).content.decode()
        assert str(breaks["middle"].pk) in [value for value, _ in _options(child_page)]

    def test_once_every_break_is_told_about_the_page_says_so(self, client, parent, breaks):
        sign_in(client, parent)
        for name in ("newest", "middle", "older"):
            client.post(
                reverse("contracts:feedback"), {"booking": str(breaks[name].pk), "enjoyed": "okay", "felt_safe": "yes"}
            )
        page = client.get(reverse("contracts:feedback")).content.decode()
        assert "You have told us about every short break your child has been to" in page
        assert '<select name="booking"' not in page

    def test_whether_the_child_felt_safe_must_be_answered(self, client, parent, breaks):
        sign_in(client, parent)
        response = client.post(reverse("contracts:feedback"), {"booking": str(breaks["middle"].pk), "enjoyed": "great"})
        assert response.status_code == 400 and "Choose whether your child felt safe" in response.content.decode()
        response = client.post(
            reverse("contracts:feedback-child"), {"booking": str(breaks["middle"].pk), "enjoyed": "great"}
        )
        assert response.status_code == 400 and "Pick a face for whether you felt safe" in response.content.decode()
        assert not Feedback.objects.exists()

    def test_the_sent_page_is_only_the_givers_own(self, client, parent, breaks):
        sign_in(client, parent)
        client.post(reverse("contracts:feedback"), {"booking": str(breaks["middle"].pk), "enjoyed": "great"})
        sign_in(client, breaks["stranger"])
        assert client.get(reverse("contracts:feedback-sent")).url == reverse("contracts:feedback")


class TestAChildWhoDidNotFeelSafe:
    def test_is_told_who_will_read_it_and_where_to_get_help(
        self, client, authority, parent, breaks, django_capture_on_commit_callbacks
    ):
        MonitoringPolicy.objects.filter(authority=authority).update(
            safeguarding_officer_name="Sam Patel", safeguarding_officer_email="dso@dovebridge.example"
        )
        sign_in(client, parent)
        form = client.get(reverse("contracts:feedback-child")).content.decode()
        assert "If you did not, Sam Patel, who keeps children safe at Dovebridge Borough Council, will read" in form
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("contracts:feedback-child"),
                {"booking": str(breaks["newest"].pk), "enjoyed": "not_good", "felt_safe": "no", "comment": "I was hit"},
                follow=True,
            )
        page = response.content.decode()
        assert "Thank you for telling us!" in page and "you are not in trouble" in page
        assert "Sam Patel, who keeps children safe at Dovebridge Borough Council, will read what you told us" in page
        assert "Childline" in page and "0800 1111" in page and "999" in page
        alert = SafeguardingAlert.objects.get()
        assert alert.feedback.session == breaks["newest"].session and alert.feedback.from_child
        message = mail.outbox[-1]
        assert message.to == ["dso@dovebridge.example"]
        assert reverse("contracts:safeguarding-alert", args=[alert.pk]) in message.body
        assert "Sam" not in message.body.replace("Sam Patel", "")  # the child's name only behind sign-in

    def test_a_parent_reporting_a_concern_gets_the_same_promise_in_grown_up_words(
        self, client, authority, parent, breaks
    ):
        officer = make_user(authority, Role.SAFEGUARDING_OFFICER, email="grace@dovebridge.example")
        officer.full_name = "Grace Mensah"
        officer.save(update_fields=["full_name"])
        sign_in(client, parent)
        response = client.post(
            reverse("contracts:feedback"),
            {"booking": str(breaks["middle"].pk), "enjoyed": "okay", "felt_safe": "no"},
            follow=True,
        )
        page = response.content.decode()
        assert f"You told us Sam did not feel safe at Rainbow Saturdays on {_day(breaks['middle'])}" in page
        assert "Grace Mensah, who keeps children safe at Dovebridge Borough Council, will read this" in page
        assert "NSPCC" in page and "999" in page
        # With no officer named in the policy, the safeguarding officer is the one told.
        assert SafeguardingAlert.objects.get().sent_to == "grace@dovebridge.example"

    def test_with_nobody_named_the_role_is_said_in_plain_words(self, client, parent, breaks):
        sign_in(client, parent)
        response = client.post(
            reverse("contracts:feedback-child"),
            {"booking": str(breaks["newest"].pk), "enjoyed": "okay", "felt_safe": "no"},
            follow=True,
        )
        assert (
            "The person who keeps children safe at Dovebridge Borough Council will read what you told us"
            in response.content.decode()
        )

    def test_feeling_safe_makes_no_promise_and_no_alert(self, client, parent, breaks):
        sign_in(client, parent)
        response = client.post(
            reverse("contracts:feedback-child"),
            {"booking": str(breaks["newest"].pk), "enjoyed": "great", "felt_safe": "yes"},
            follow=True,
        )
        page = response.content.decode()
        assert "Thank you for telling us!" in page and "What happens next" not in page
        assert not SafeguardingAlert.objects.exists()


@pytest.fixture
def alert(parent, breaks):
    feedback = feedback_give(
        service=breaks["playscheme"],
        session=breaks["newest"].session,
        child=breaks["sam"],
        given_by=parent,
        from_child=True,
        enjoyed="not_good",
        felt_safe="no",
        comment="A big boy pushed me",
    )
    return feedback.alert


@pytest.fixture
def safeguarding_officer(authority):
    officer = make_user(authority, Role.SAFEGUARDING_OFFICER, email="dso@example.org")
    officer.full_name = "Dee Lane"
    officer.save(update_fields=["full_name"])
    return officer


class TestTheAlert:
    def test_shows_the_child_the_familys_contacts_the_session_and_the_provider(self, client, officer, alert, breaks):
        sign_in(client, officer)
        listing = client.get(reverse("contracts:safeguarding")).content.decode()
        assert reverse("contracts:safeguarding-alert", args=[alert.pk]) in listing and "Open" in listing
        page = client.get(reverse("contracts:safeguarding-alert", args=[alert.pk])).content.decode()
        assert f'href="{reverse("families:child", args=[breaks["sam"].pk])}"' in page
        assert "A big boy pushed me" in page and "Sam Shah" in page
        assert "07700 900123" in page and "parent@example.org" in page and "Mother" in page
        assert breaks["newest"].session.date.strftime("%A") in page and "10am to 3pm" in page
        assert "Acorn Trust" in page and "acorn@example.org" in page and "Holiday Playscheme" in page

    def test_a_safeguarding_officer_sees_it_without_a_link_they_could_not_open(
        self, client, safeguarding_officer, alert, breaks
    ):
        sign_in(client, safeguarding_officer)
        page = client.get(reverse("contracts:safeguarding-alert", args=[alert.pk])).content.decode()
        assert "Sam Shah" in page and reverse("families:child", args=[breaks["sam"].pk]) not in page
        assert client.get(reverse("families:child", args=[breaks["sam"].pk])).status_code == 403

    def test_steps_over_time_until_closed_with_an_outcome(self, client, clock, safeguarding_officer, alert):
        sign_in(client, safeguarding_officer)
        url = reverse("contracts:safeguarding-alert", args=[alert.pk])
        posted = {"kind": "contacted_family", "note": "Spoke to Sam's mum", "idempotency_key": "step-key-1"}
        response = client.post(url, posted)
        assert response.url == url
        assert client.post(url, posted).url == url  # a double click records the step once
        assert alert.steps.count() == 1
        assert SafeguardingAlert.objects.open().filter(pk=alert.pk).exists()
        clock.shift(dt.timedelta(minutes=20))  # (a staff session lasts a working day at most)
        client.post(
            url,
            {"kind": "contacted_provider", "note": "Acorn Trust checked the register", "idempotency_key": "step-key-2"},
        )
        clock.shift(dt.timedelta(minutes=20))
        response = client.post(
            url, {"kind": "closed", "note": "Staff retrained; the family is content", "idempotency_key": "step-key-3"}
        )
        assert response.url == url
        assert not SafeguardingAlert.objects.open().filter(pk=alert.pk).exists()
        steps = list(alert.steps.values_list("kind", "taken_by"))
        assert steps == [
            ("contacted_family", safeguarding_officer.pk),
            ("contacted_provider", safeguarding_officer.pk),
            ("closed", safeguarding_officer.pk),
        ]
        page = client.get(url).content.decode()
        assert page.index("Spoke to Sam") < page.index("Acorn Trust checked") < page.index("Staff retrained")
        assert "Closed" in page and 'name="kind"' not in page
        assert [e.action for e in AuditEvent.objects.filter(target_id=str(alert.pk)).order_by("created_at")][-3:] == [
            Audit.SAFEGUARDING_STEP,
            Audit.SAFEGUARDING_STEP,
            Audit.SAFEGUARDING_CLOSED,
        ]
        # A closed alert takes no more steps, through the page or the service.
        response = client.post(url, {"kind": "referred", "note": "Too late", "idempotency_key": "step-key-4"})
        assert response.status_code == 400 and "takes no more steps" in response.content.decode()
        with pytest.raises(NotAllowed, match="no more steps"):
            safeguarding_step_add(alert=alert, kind="referred", note="Too late", taken_by=safeguarding_officer)
        assert alert.steps.count() == 3

    def test_a_step_without_what_was_done_keeps_the_note_and_says_what_to_do(self, client, officer, alert):
        sign_in(client, officer)
        url = reverse("contracts:safeguarding-alert", args=[alert.pk])
        response = client.post(url, {"note": "Left a message for the family", "idempotency_key": "step-key-1"})
        page = response.content.decode()
        assert response.status_code == 400 and '<a href="#id_kind">Choose what was done</a>' in page
        assert "Left a message for the family</textarea>" in page and "This field is required" not in page
        response = client.post(url, {"kind": "contacted_family", "note": " ", "idempotency_key": "step-key-1"})
        page = response.content.decode()
        assert response.status_code == 400 and 'value="contacted_family" checked' in page
        assert "Write what was done, or the outcome if you are closing the alert" in page
        assert not alert.steps.exists()

    def test_only_council_officers_record_steps(self, authority, commissioner, alert):
        with pytest.raises(NotAllowed, match="Only the council's officers"):
            safeguarding_step_add(alert=alert, kind="referred", note="x", taken_by=commissioner)

    def test_nobody_else_sees_an_alert(self, client, authority, other_authority, provider, commissioner, alert, breaks):
        url = reverse("contracts:safeguarding-alert", args=[alert.pk])
        acorn_provider = make_user(
            authority, Role.PROVIDER, organisation=breaks["playscheme"].organisation, email="acorn-staff@example.org"
        )
        for user in (provider, acorn_provider, breaks["stranger"], commissioner):
            sign_in(client, user)
            assert client.get(url).status_code in (403, 404)
            assert client.get(reverse("contracts:safeguarding")).status_code == 403
            assert client.post(url, {"kind": "closed", "note": "x"}).status_code in (403, 404)
        # Another council's officer, on that council's site, finds nothing.
        elsewhere = make_user(other_authority, Role.SAFEGUARDING_OFFICER, email="dso@kestrel.example")
        sign_in(client, elsewhere)
        assert client.get(url, HTTP_HOST="kestrel.test").status_code == 404
        assert not alert.steps.exists()

    def test_the_list_puts_open_alerts_first(self, client, officer, parent, alert, breaks):
        closed = feedback_give(
            service=breaks["playscheme"], child=breaks["sam"], given_by=parent, enjoyed="okay", felt_safe="no"
        ).alert
        safeguarding_step_add(alert=closed, kind="closed", note="Resolved", taken_by=officer)
        sign_in(client, officer)
        page = client.get(reverse("contracts:safeguarding")).content.decode()
        assert page.index(str(alert.pk)) < page.index(str(closed.pk))
        assert list(SafeguardingAlert.objects.open()) == [alert]


def test_a_step_kind_is_one_of_the_four(officer, alert):
    with pytest.raises(NotAllowed, match="Choose what was done"):
        safeguarding_step_add(alert=alert, kind="phoned", note="x", taken_by=officer)
    assert set(SafeguardingStep.Kind.values) == {"contacted_family", "contacted_provider", "referred", "closed"}


@pytest.mark.django_db(transaction=True)
def test_an_alert_handled_before_steps_keeps_what_was_done_as_its_closing_step(parent, officer, breaks):
    """The data migration: the old free text becomes the closing step, so the alert stays closed."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    alert = feedback_give(
        service=breaks["playscheme"], child=breaks["sam"], given_by=parent, enjoyed="okay", felt_safe="no"
    ).alert
    untouched = feedback_give(
        service=breaks["playscheme"], child=breaks["sam"], given_by=parent, enjoyed="okay", felt_safe="no"
    ).alert
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    before = [("contracts", "0008_safeguarding_steps")]
    try:
        executor.migrate(before)
        state = MigrationExecutor(connection).loader.project_state(before)
        old = state.apps.get_model("contracts", "SafeguardingAlert")
        old.objects.filter(pk=alert.pk).update(
            handled_at=alert.raised_at, handled_by_id=officer.pk, action_taken="Called the family; all well"
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    step = SafeguardingStep.objects.get()
    assert (step.alert_id, step.kind, step.note, step.taken_by_id) == (
        alert.pk,
        "closed",
        "Called the family; all well",
        officer.pk,
    )
    assert list(SafeguardingAlert.objects.open()) == [untouched]


def test_the_alerts_list_takes_the_same_queries_however_many_alerts(
    client, officer, parent, breaks, django_assert_max_num_queries
):
    def raise_one():
        return feedback_give(
            service=breaks["playscheme"], child=breaks["sam"], given_by=parent, enjoyed="okay", felt_safe="no"
        ).alert

    first = raise_one()
    safeguarding_step_add(alert=first, kind="contacted_family", note="Called", taken_by=officer)
    sign_in(client, officer)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("contracts:safeguarding"))
    for _ in range(4):
        safeguarding_step_add(alert=raise_one(), kind="referred", note="To children's services", taken_by=officer)
    with django_assert_max_num_queries(len(one)):
        page = client.get(reverse("contracts:safeguarding")).content.decode()
    assert page.count("Referred on") == 4 and "Contacted the family" in page


def test_the_database_refuses_a_second_closing(officer, alert):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    SafeguardingStep.objects.create(
        authority=alert.authority, alert=alert, kind="closed", note="Done", taken_by=officer, taken_at=timezone.now()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SafeguardingStep.objects.create(
            authority=alert.authority,
            alert=alert,
            kind="closed",
            note="Again",
            taken_by=officer,
            taken_at=timezone.now(),
        )
