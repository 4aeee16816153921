import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from shortbreaks.core.errors import ServiceError
from shortbreaks.core.sites import site_url
from shortbreaks.directory.models import CommissioningIntention, EventRegistration, StrategyDocument
from shortbreaks.directory.services.publications import (
    document_publish,
    event_register,
    event_registration_cancel,
    event_send_due_reminders,
    intention_publish,
    subscribers_for,
    subscription_save,
)

from .factories import make_organisation, sign_in

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def register(event, organisation, email="amy@example.org", **extra):
    return event_register(
        event=event,
        organisation=organisation,
        attendee_name="Amy",
        attendee_email=email,
        access_needs="",
        registered_by=None,
        **extra,
    )


def test_a_pdf_is_published_and_served_as_a_download(client, authority, commissioner, storage_backend):
    document = document_publish(
        authority=authority,
        title="Market position",
        description="",
        upload=SimpleUploadedFile("mps.pdf", PDF),
        uploaded_by=commissioner,
    )
    assert document.content_type == "application/pdf"
    response = client.get(f"/commissioning/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF
    assert storage_backend.names() == [document.file.name]
    assert storage_backend.read(document.file.name) == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.pdf", b"<html><script>alert(1)</script></html>", "must be a PDF"),
        ("empty.pdf", b"", "The selected file is empty"),
    ],
)
def test_uploads_are_checked_by_content_not_name(authority, commissioner, name, content, message):
    with pytest.raises(ServiceError) as error:
        document_publish(
            authority=authority,
            title="x",
            description="",
            upload=SimpleUploadedFile(name, content),
            uploaded_by=commissioner,
        )
    assert message in error.value.message
    assert not StrategyDocument.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=100)
def test_uploads_over_the_size_limit_are_refused(authority, commissioner):
    with pytest.raises(ServiceError, match="smaller than"):
        document_publish(
            authority=authority,
            title="x",
            description="",
            upload=SimpleUploadedFile("a.pdf", PDF * 10),
            uploaded_by=commissioner,
        )


def test_upload_page_shows_the_reason(client, authority, commissioner):
    sign_in(client, commissioner)
    upload = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post("/manage/documents/new/", {"title": "Strategy", "file": upload})
    assert response.status_code == 200 and "must be a PDF" in response.content.decode()


def test_event_registration_counts_places(
    event, organisation, other_organisation, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(event, organisation, "amy@example.org")
    assert mailoutbox[-1].to == ["amy@example.org"] and "registered" in mailoutbox[-1].subject
    with pytest.raises(ServiceError, match="already registered"):
        register(event, organisation, "AMY@example.org")
    register(event, other_organisation, "bo@example.org")
    with pytest.raises(ServiceError, match="full"):
        register(event, other_organisation, "cy@example.org")
    event_registration_cancel(
        registration=EventRegistration.objects.get(attendee_email="bo@example.org"), cancelled_by=None
    )
    register(event, other_organisation, "cy@example.org")


def test_registration_closes(event, organisation):
    event.registration_closes_at = timezone.now() - dt.timedelta(minutes=1)
    event.save()
    with pytest.raises(ServiceError, match="closed"):
        register(event, organisation)


def test_reminders_go_once_to_everyone_coming(event, organisation, mailoutbox, django_capture_on_commit_callbacks):
    register(event, organisation, "amy@example.org")
    register(event, organisation, "bo@example.org")
    mailoutbox.clear()
    too_early = event.starts_at - dt.timedelta(days=3)
    assert event_send_due_reminders(now=too_early) == 0
    day_before = event.starts_at - dt.timedelta(hours=20)
    with django_capture_on_commit_callbacks(execute=True):
        assert event_send_due_reminders(now=day_before) == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["amy@example.org", "bo@example.org"]
    assert event_send_due_reminders(now=day_before) == 0


def test_provider_registers_through_the_page_and_commissioner_sees_who_is_coming(client, event, provider, commissioner):
    sign_in(client, provider)
    response = client.post(
        f"/events/{event.pk}/register/", {"attendee_name": "Amy Jones", "attendee_email": "amy@example.org"}
    )
    assert response.status_code == 302
    sign_in(client, commissioner)
    html = client.get(f"/manage/events/{event.pk}/").content.decode()
    assert "Amy Jones" in html and "Rainbow Trust" in html
    csv_text = client.get(f"/manage/events/{event.pk}/", {"format": "csv"}).content.decode()
    assert "Amy Jones,amy@example.org,Rainbow Trust" in csv_text


def test_parents_cannot_register_for_provider_events(client, event, parent):
    sign_in(client, parent)
    assert (
        client.post(
            f"/events/{event.pk}/register/", {"attendee_name": "P", "attendee_email": "p@example.org"}
        ).status_code
        == 403
    )


def test_subscribers_hear_of_matching_intentions(
    authority,
    organisation,
    other_organisation,
    commissioner,
    taxonomies,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    subscription_save(
        organisation=organisation,
        email="holidays@example.org",
        needs=[],
        break_kinds=[taxonomies["school-holiday"]],
        saved_by=None,
    )
    subscription_save(
        organisation=other_organisation, email="everything@example.org", needs=[], break_kinds=[], saved_by=None
    )
    third = make_organisation(authority, name="Otter Care")
    subscription_save(
        organisation=third,
        email="overnights@example.org",
        needs=[],
        break_kinds=[taxonomies["overnight"]],
        saved_by=None,
    )
    intention = CommissioningIntention.objects.create(
        authority=authority, title="Holiday schemes", summary="s", body="b"
    )
    intention.break_kinds.set([taxonomies["school-holiday"]])
    assert subscribers_for(authority=authority, break_kinds=intention.break_kinds.all()) == [
        "everything@example.org",
        "holidays@example.org",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        intention_publish(intention=intention, published_by=commissioner)
    # One message to each subscriber: neither learns who else subscribes.
    told = [m for m in mailoutbox if m.subject == mailoutbox[-1].subject]
    assert sorted(m.to for m in told) == [["everything@example.org"], ["holidays@example.org"]]


def test_public_market_pages_show_only_published_intentions(client, authority, commissioner, event):
    CommissioningIntention.objects.create(authority=authority, title="Draft idea", summary="s", body="b")
    published = CommissioningIntention.objects.create(
        authority=authority,
        title="Holiday schemes",
        summary="s",
        body="b",
        status="published",
        published_at=timezone.now(),
    )
    html = client.get("/commissioning/").content.decode()
    assert "Holiday schemes" in html and "Draft idea" not in html and "Provider day" in html
    assert client.get(f"/commissioning/intentions/{published.pk}/").status_code == 200


def _event_fields(event, **overrides) -> dict:
    def typed(moment):
        local = timezone.localtime(moment)
        return f"{local.day} {local:%B %Y} {local:%H:%M}"

    fields = {
        "title": event.title,
        "description": event.description,
        "starts_at": typed(event.starts_at),
        "ends_at": typed(event.ends_at),
        "venue": event.venue,
        "postcode": event.postcode,
        "places": str(event.places),
        "registration_closes_at": typed(event.registration_closes_at),
    }
    fields.update(overrides)
    return fields


def test_a_commissioner_changes_an_event_and_those_registered_are_told(
    client,
    event,
    organisation,
    other_organisation,
    commissioner,
    provider,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    register(event, organisation, "amy@example.org")
    register(event, other_organisation, "bo@example.org")
    mailoutbox.clear()
    url = f"/manage/events/{event.pk}/edit/"
    sign_in(client, provider)
    assert client.get(url).status_code == 403
    sign_in(client, commissioner)
    assert "Change the event" in client.get(f"/manage/events/{event.pk}/").content.decode()
    response = client.post(url, _event_fields(event, places="1"))
    assert response.status_code == 400
    assert "2 people have registered: keep at least 2 places." in response.content.decode()
    assert 'value="Council House"' in response.content.decode()  # what was typed is kept
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _event_fields(event, venue="Town Hall", places="30"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.venue, event.places) == ("Town Hall", 30)
    assert sorted(m.to[0] for m in mailoutbox) == ["amy@example.org", "bo@example.org"]
    link = site_url(event.authority) + f"/events/{event.pk}/"
    assert all(len(m.to) == 1 and "Town Hall" in m.body and link in m.body for m in mailoutbox)
    # Nothing changed: nothing sent.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, _event_fields(event)).status_code == 302
    assert mailoutbox == []


def test_a_commissioner_cancels_an_event_and_everyone_registered_is_emailed(
    client, event, organisation, commissioner, mailoutbox, django_capture_on_commit_callbacks
):
    register(event, organisation, "amy@example.org")
    register(event, organisation, "bo@example.org")
    event_registration_cancel(
        registration=EventRegistration.objects.get(attendee_email="bo@example.org"), cancelled_by=None
    )
    mailoutbox.clear()
    url = f"/manage/events/{event.pk}/cancel/"
    sign_in(client, commissioner)
    page = client.get(url).content.decode()
    assert "We will email the 1 person registered" in page
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400 and "Say why the event is cancelled" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "The speaker is ill: we will set a new date."})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == "cancelled"
    [message] = mailoutbox
    assert message.to == ["amy@example.org"] and message.subject == "Cancelled: Provider day"
    assert "The speaker is ill" in message.body and site_url(event.authority) + "/events/" in message.body
    # Cancelled: no more registrations, changes or second cancellation, and no reminder.
    with pytest.raises(ServiceError, match="cancelled"):
        register(event, organisation, "cy@example.org")
    assert client.get(url).status_code == 404
    assert client.get(f"/manage/events/{event.pk}/edit/").status_code == 404
    assert "This event is cancelled" in client.get(f"/manage/events/{event.pk}/").content.decode()
    assert "Provider day</a>" in (home := client.get("/manage/").content.decode())
    assert '<strong class="govuk-tag govuk-tag--grey">Cancelled</strong>' in home
    assert event_send_due_reminders(now=event.starts_at - dt.timedelta(hours=20)) == 0


def test_every_event_email_says_the_time_the_same_way(
    authority, organisation, commissioner, mailoutbox, django_capture_on_commit_callbacks
):
    from shortbreaks.directory.services.publications import event_create

    from .clock import LONDON

    subscription_save(organisation=organisation, email="news@example.org", needs=[], break_kinds=[], saved_by=None)
    starts = dt.datetime(2026, 12, 4, 18, 0, tzinfo=LONDON)
    with django_capture_on_commit_callbacks(execute=True):
        event = event_create(
            authority=authority,
            created_by=commissioner,
            title="Market day",
            description="Holiday schemes",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            venue="Council House",
            places=5,
            registration_closes_at=starts - dt.timedelta(days=1),
        )
    with django_capture_on_commit_callbacks(execute=True):
        register(event, organisation, "amy@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert event_send_due_reminders(now=starts - dt.timedelta(hours=20)) == 1
    subjects = [m.subject for m in mailoutbox]
    assert subjects == ["Provider event: Market day", "You are registered: Market day", "Reminder: Market day"]
    for message in mailoutbox:
        assert "Friday 4 December 2026 at 6pm" in message.body and "18:00" not in message.body, message.body


def test_event_pages_say_the_day_and_times_as_people_write_them(client, authority, commissioner, provider):
    from zoneinfo import ZoneInfo

    from shortbreaks.directory.models import ProviderEvent

    starts = dt.datetime(2030, 6, 15, 16, 0, tzinfo=ZoneInfo("Europe/London"))  # 3pm UTC: said in London time
    event = ProviderEvent.objects.create(
        authority=authority,
        title="Provider day",
        description="Come and hear about holiday schemes.",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        venue="Council House",
        places=2,
        registration_closes_at=starts - dt.timedelta(days=1, hours=6, minutes=30),
        created_by=commissioner,
    )
    sign_in(client, provider)
    for url in ("/events/", f"/events/{event.pk}/"):
        html = client.get(url).content.decode()
        assert "Saturday 15 June 2030, 4pm to 7pm" in html
        assert "16:00" not in html and "19:00" not in html
    assert "Friday 14 June 2030 at 9:30am" in client.get(f"/events/{event.pk}/").content.decode()
    sign_in(client, commissioner)
    assert "Saturday 15 June 2030, 4pm to 7pm" in client.get(f"/manage/events/{event.pk}/").content.decode()
