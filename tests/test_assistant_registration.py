"""Personal assistants registering: an account confirmed by email and a draft profile, in one
go; the page after it the same whether or not the address had an account; nothing shown to
families until an officer has vetted them."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from shortbreaks.accounts.models import RoleAssignment, User
from shortbreaks.assistants.models import Assistant
from shortbreaks.assistants.selectors import search, visible_to_families
from shortbreaks.assistants.services import profile_update, reference_add, vet
from shortbreaks.core.roles import Role

from .factories import make_child, make_family, make_user, sign_in

URL = "/personal-assistants/register/"
PASSWORD = "a-long-enough-passphrase"


def _form(**changes) -> dict:
    return {
        "full_name": "Priya Shah",
        "email": "Priya@Example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "display_name": "Priya S.",
        "postcode": "de22 1ab",
        "agree": "on",
        **changes,
    }


def _confirmation_path(message) -> str:
    return re.search(r"https?://[^/]+(/accounts/confirm/\S+/)", message.body).group(1)


def _complete_and_send_for_vetting(client, assistant):
    """What the PA adds from their home before asking to be vetted (the existing pages)."""
    profile_update(
        assistant=assistant,
        updated_by=assistant.user,
        display_name=assistant.display_name,
        about="Ten years with autistic children.",
        postcode=assistant.postcode,
        travel_km=10,
        hourly_rate=Decimal("15.00"),
        skills=["autism"],
        slots=[(5, "morning")],
        hidden=False,
        dbs_certificate="001234567890",
        dbs_issued_on=timezone.localdate() - dt.timedelta(days=30),
    )
    for n in range(2):
        reference_add(
            assistant=assistant,
            referee=f"Referee {n}",
            relationship="Past employer",
            email=f"referee{n}@example.org",
            added_by=assistant.user,
        )
    response = client.post(reverse("assistants:home"), {"action": "submit"})
    assert response.status_code == 302


def test_the_page_links_to_the_privacy_notice_and_asks_only_what_families_see_first(client, authority):
    page = client.get(URL).content.decode()
    assert reverse("accounts:privacy") in page
    for name in ("full_name", "email", "password1", "password2", "display_name", "postcode", "agree"):
        assert f'name="{name}"' in page
    assert 'name="hourly_rate"' not in page and 'name="dbs_certificate"' not in page


def test_signed_out_registration_opens_an_account_and_a_draft_profile(
    client, authority, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, _form())
    assert response.status_code == 302 and response.url == reverse("accounts:check-email")
    assert "priya@example.org" in client.get(response.url).content.decode()

    user = User.objects.get(email="priya@example.org")
    assert user.full_name == "Priya Shah" and not user.email_confirmed
    assert list(user.role_assignments.values_list("authority", "role")) == [(authority.pk, Role.PERSONAL_ASSISTANT)]
    assistant = Assistant.objects.get(user=user)
    assert assistant.authority == authority and assistant.status == Assistant.Status.DRAFT
    assert (assistant.display_name, assistant.postcode) == ("Priya S.", "DE22 1AB")
    assert assistant.latitude is not None

    # Until the address is confirmed the role does nothing.
    sign_in(client, user)
    assert client.get(reverse("assistants:home")).status_code == 403
    client.logout()

    [message] = mail.outbox
    assert message.to == ["priya@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        client.get(_confirmation_path(message))
    landing = client.get(reverse("accounts:home"))
    assert landing.status_code == 302 and landing.url == reverse("assistants:home")
    home = client.get(landing.url).content.decode()
    assert "Priya S." in home and "Not sent for vetting" in home and "Ask to be vetted" in home


def test_an_address_with_an_account_gets_the_same_page_and_nothing_is_created(
    client, authority, parent, django_capture_on_commit_callbacks
):
    users, roles = User.objects.count(), RoleAssignment.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, _form(email="PARENT@example.org"))
    assert response.status_code == 302 and response.url == reverse("accounts:check-email")
    assert "parent@example.org" in client.get(response.url).content.decode()
    assert (User.objects.count(), RoleAssignment.objects.count()) == (users, roles)
    assert not Assistant.objects.exists()
    assert not parent.role_assignments.filter(role=Role.PERSONAL_ASSISTANT).exists()
    [message] = mail.outbox
    assert message.to == ["parent@example.org"] and "You already have" in message.subject


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"full_name": ""}, "full_name", "Enter your full name"),
        ({"email": "priya-at-example"}, "email", "Enter an email address in the right format"),
        ({"password2": "something-else-entirely"}, "password2", "The passwords do not match"),
        ({"password1": "short", "password2": "short"}, "password1", "This password is too short"),
        ({"display_name": ""}, "display_name", "Enter the name families will see"),
        ({"postcode": ""}, "postcode", "Enter your postcode"),
        ({"postcode": "XYZ 123"}, "postcode", "Enter a real postcode, like DE1 3AB"),
        ({"agree": ""}, "agree", "Confirm you have read the privacy notice"),
    ],
)
def test_bad_input_is_kept_with_a_message_for_its_field(client, authority, changes, field, message):
    response = client.post(URL, _form(**changes))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'href="#id_{field}"' in page and message in page
    assert response.context["form"].errors[field]
    if field != "email":
        assert 'value="priya@example.org"' in page or 'value="Priya@Example.org"' in page
    if field != "display_name":
        assert 'value="Priya S."' in page
    assert not User.objects.filter(email="priya@example.org").exists() and not Assistant.objects.exists()


def test_someone_signed_in_starts_a_profile_on_their_account(client, authority, parent):
    sign_in(client, parent)
    assert 'name="password1"' not in client.get(URL).content.decode()
    response = client.post(URL, {"display_name": "", "postcode": "DE22 1AB"})
    assert "Enter the name families will see" in response.content.decode()
    response = client.post(URL, {"display_name": "Jo P.", "postcode": "DE22 1AB"})
    assert response.status_code == 302 and response.url == reverse("assistants:home")
    assert parent.role_assignments.filter(authority=authority, role=Role.PERSONAL_ASSISTANT).exists()
    assert Assistant.objects.get(user=parent).status == Assistant.Status.DRAFT
    assert client.get(reverse("assistants:home")).status_code == 200
    # Coming back goes straight home, with no second profile.
    assert client.get(URL).url == reverse("assistants:home")


def test_nothing_is_shown_to_families_until_the_officer_has_vetted_them(
    client, authority, officer, parent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, _form())
    client.get(_confirmation_path(mail.outbox[-1]))  # confirmed and signed in
    assistant = Assistant.objects.get(user__email="priya@example.org")
    today = timezone.localdate()

    def seen() -> bool:
        listed = visible_to_families(authority=authority, today=today).filter(pk=assistant.pk).exists()
        found = any(
            m.assistant.pk == assistant.pk
            for m in search(authority=authority, today=today, skills=[], place=None, day=None, part=None)
        )
        assert listed == found
        return listed

    assert not seen()
    _complete_and_send_for_vetting(client, assistant)
    assistant.refresh_from_db()
    assert assistant.status == Assistant.Status.SUBMITTED and not seen()

    family = make_family(authority, carer_user=parent)
    child = make_child(family, "Sam")
    client.logout()
    sign_in(client, parent)
    assert client.get(reverse("assistants:detail", args=[assistant.pk])).status_code == 404
    page = client.get(reverse("assistants:find"), {"child": child.pk, "postcode": ""}).content.decode()
    assert "Priya S." not in page

    vet(
        assistant=assistant,
        officer=officer,
        approve=True,
        reason="",
        references_received=list(assistant.references.all()),
    )
    assert seen()
    assert client.get(reverse("assistants:detail", args=[assistant.pk])).status_code == 200
    page = client.get(reverse("assistants:find"), {"child": child.pk, "postcode": ""}).content.decode()
    assert "Priya S." in page


def test_a_person_has_one_profile_however_often_they_register(client, authority):
    user = make_user(authority, Role.PARENT, email="twice@example.org")
    sign_in(client, user)
    client.post(URL, {"display_name": "Twice", "postcode": "DE22 1AB"})
    client.post(URL, {"display_name": "Twice again", "postcode": "DE22 1AB"})
    assert Assistant.objects.filter(user=user).count() == 1
