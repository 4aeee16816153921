"""A family asks for a copy of everything held about it; an officer releases it; the family's
carers, and only they, download it."""

import io
import json
import zipfile

import pytest

from shortbreaks.core.audit import AuditEvent
from shortbreaks.core.roles import Role
from shortbreaks.families.audit import Audit
from shortbreaks.families.models import AccessRequest

from .factories import make_child, make_family, make_user, sign_in


@pytest.fixture
def family(authority, parent):
    family = make_family(authority, reference="F-9", carer_user=parent)
    make_child(family, "Leo")
    return family


def test_a_parent_asks_from_their_settings_and_the_officers_are_told(
    client, family, parent, officer, mailoutbox, django_capture_on_commit_callbacks
):
    sign_in(client, parent)
    settings = client.get("/accounts/settings/").content.decode()
    assert 'href="/family/information/"' in settings
    page = client.get("/family/information/").content.decode()
    assert "Ask for a copy" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/family/information/", {"family": str(family.pk)})
    assert response.status_code == 302
    request = AccessRequest.objects.get(family=family)
    assert request.status == "asked" and (request.due_on - request.asked_at.date()).days in range(28, 32)
    assert {m.to[0] for m in mailoutbox} == {parent.email, officer.email}
    to_officer = next(m for m in mailoutbox if m.to == [officer.email])
    assert "/caseload/children/" in to_officer.body and "F-9" in to_officer.subject
    # Once asked, the page says when and by when we reply instead of offering the button again.
    asked, due = f"{request.asked_at:%-d %B %Y}", f"{request.due_on:%-d %B %Y}"
    page = client.get("/family/information/").content.decode()
    assert f"You asked on {asked}. We will reply by {due}." in page and "Ask for a copy</button>" not in page
    again = client.post("/family/information/", {"family": str(family.pk)})
    assert again.status_code == 400
    assert f"You already asked for a copy on {asked}. We will reply by {due}" in again.content.decode()
    assert AuditEvent.objects.filter(action=Audit.FAMILY_ACCESS_ASKED).count() == 1
    assert str(request).endswith(f" asked {asked}")  # the month in full, as on the page


def test_the_officer_releases_it_and_every_carer_can_download_it(
    client, family, parent, officer, mailoutbox, django_capture_on_commit_callbacks
):
    sign_in(client, parent)
    client.post("/family/information/", {"family": str(family.pk)})
    request = AccessRequest.objects.get()
    assert client.get(f"/family/information/{request.pk}/download/").status_code == 404  # not yet released
    sign_in(client, officer)
    assert "F-9" in client.get("/caseload/information/").content.decode()
    page = client.get(f"/caseload/families/{family.pk}/information/").content.decode()
    assert "Release it to the family" in page and f"/caseload/families/{family.pk}/export/" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/caseload/families/{family.pk}/information/", {"access_request": str(request.pk)})
    assert response.status_code == 302
    assert f"/family/information/{request.pk}/download/" in mailoutbox[-1].body
    sign_in(client, parent)
    download = client.get(f"/family/information/{request.pk}/download/")
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    data = json.loads(zipfile.ZipFile(io.BytesIO(download.content)).read("data.json"))
    assert data["children"][0]["first_name"] == "Leo"


def test_nobody_else_sees_or_downloads_a_familys_copy(
    client, family, parent, officer, authority, other_authority, provider, commissioner
):
    sign_in(client, parent)
    client.post("/family/information/", {"family": str(family.pk)})
    request = AccessRequest.objects.get()
    sign_in(client, officer)
    client.post(f"/caseload/families/{family.pk}/information/", {"access_request": str(request.pk)})
    url = f"/family/information/{request.pk}/download/"
    sign_in(client, make_user(authority, Role.PARENT))  # another family's parent
    assert client.get(url).status_code == 404
    for someone in (provider, commissioner):
        sign_in(client, someone)
        assert client.get(url).status_code == 403
        assert client.get(f"/caseload/families/{family.pk}/information/").status_code == 403
    sign_in(client, make_user(other_authority, Role.OFFICER))
    assert client.get(f"/caseload/families/{family.pk}/information/").status_code == 403


def test_a_parent_cannot_ask_for_another_familys_copy(client, family, authority):
    other = make_user(authority, Role.PARENT)
    make_family(authority, carer_user=other)
    sign_in(client, other)
    response = client.post("/family/information/", {"family": str(family.pk)})
    assert response.status_code == 400 and not AccessRequest.objects.exists()


def test_releasing_twice_is_a_message_not_a_second_email(
    client, family, parent, officer, mailoutbox, django_capture_on_commit_callbacks
):
    sign_in(client, parent)
    client.post("/family/information/", {"family": str(family.pk)})
    request = AccessRequest.objects.get()
    sign_in(client, officer)
    client.post(f"/caseload/families/{family.pk}/information/", {"access_request": str(request.pk)})
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/caseload/families/{family.pk}/information/", {"access_request": str(request.pk)})
    assert again.status_code == 400 and "govuk-error-summary" in again.content.decode()
    assert not mailoutbox
