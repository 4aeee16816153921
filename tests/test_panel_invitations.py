"""Inviting parents and young people to an opportunity's evaluation panels, before or after it
is published; accepting makes an account (if needed), the panel member's role and the
evaluator together; "Your evaluations" lists what each person evaluates here, in plain words."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from shortbreaks.accounts.models import Invitation, User
from shortbreaks.core.models import AuditEvent
from shortbreaks.core.roles import Role
from shortbreaks.procurement.invitations import panel_join
from shortbreaks.procurement.models import Evaluator, Opportunity
from shortbreaks.procurement.services import evaluator_add, opportunity_publish, panel_share_set, submissions_open

from .factories import build, make_user, pass_deadline, sign_in

PASSWORD = "a-long-enough-passphrase"


@pytest.fixture
def draft(authority, commissioner):
    """A draft whose parents' panel has 70% of the quality marks (its 70% question is set)."""
    opportunity = build(authority, commissioner, lots=1)
    return panel_share_set(opportunity=opportunity, panel="parents", share=70, set_by=commissioner)


def _invite(client, opportunity, **changes):
    data = {"invite-email": "Asha@Example.org", "invite-full_name": "Asha Khan", "invite-panel": "parents"}
    data.update({f"invite-{k}": v for k, v in changes.items()})
    return client.post(reverse("procurement:panel-invite", args=[opportunity.pk]), data)


def _link(message) -> str:
    return re.search(r"https?://[^/]+(/accounts/invitations/\S+/)", message.body).group(1)


def _manage(client, opportunity) -> str:
    return client.get(reverse("procurement:manage", args=[opportunity.pk])).content.decode()


def _my_evaluations(client) -> str:
    response = client.get(reverse("procurement:my-evaluations"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_address_invited_before_publishing_joins_the_panel_on_accepting(
    client, authority, commissioner, draft, django_capture_on_commit_callbacks
):
    sign_in(client, commissioner)
    assert "Invite someone to a panel" in _manage(client, draft)
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, draft)
    assert response.status_code == 302
    assert response.url == reverse("procurement:manage", args=[draft.pk]) + "#evaluation"
    assert not User.objects.filter(email="asha@example.org").exists()
    page = _manage(client, draft)
    assert 'id="panel-invitations"' in page and "Asha Khan, asha@example.org" in page

    [message] = mail.outbox
    assert message.to == ["asha@example.org"]
    assert "parents' panel for SB-2027-01" in message.subject
    assert AuditEvent.objects.filter(action="procurement.panel_invited", target_id=str(draft.pk)).exists()

    client.logout()
    link = _link(message)
    assert "Asha Khan" in client.get(link).content.decode()
    response = client.post(link, {"full_name": "Asha Khan", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("accounts:home")
    landing = client.get(response.url)
    assert landing.status_code == 302 and landing.url == reverse("procurement:my-evaluations")

    asha = User.objects.get(email="asha@example.org")
    assert asha.roles_in(authority) == {Role.PANEL_MEMBER}
    evaluator = Evaluator.objects.get(opportunity=draft, user=asha)
    assert (evaluator.panel, evaluator.is_moderator, evaluator.authority) == ("parents", False, authority)

    page = _my_evaluations(client)
    assert "Holiday and weekend short breaks" in page and "Parents&#x27; panel" in page
    assert "Not open for bids yet: you can set your panel&#x27;s criteria now" in page
    assert "11 December 2026 at 10am" in page  # the submission deadline, ten days on
    assert reverse("procurement:evaluate", args=[draft.pk]) in page
    evaluate = client.get(reverse("procurement:evaluate", args=[draft.pk]))
    assert evaluate.status_code == 200
    assert "Your panel's criteria (70% of the quality marks)" in evaluate.content.decode()

    client.logout()
    sign_in(client, commissioner)
    page = _manage(client, draft)
    assert 'id="panel-invitations"' not in page and "Asha Khan: Parents&#x27; panel" in page


def test_the_state_follows_the_opportunity_in_plain_words(client, authority, commissioner, draft, bidders):
    member = make_user(authority, Role.PANEL_MEMBER, email="member@example.org")
    evaluator_add(opportunity=draft, user=member, panel="parents", is_moderator=False, added_by=commissioner)
    officer_member = make_user(authority, Role.OFFICER, email="officer-member@example.org")
    evaluator_add(opportunity=draft, user=officer_member, panel="officers", is_moderator=False, added_by=commissioner)
    sign_in(client, officer_member)
    page = _my_evaluations(client)
    assert "Not open for bids yet<" in page  # the officers' panel has no criteria of its own to set
    sign_in(client, member)

    opportunity = opportunity_publish(opportunity=draft, published_by=commissioner)
    assert "Open for bids until 11 December" in _my_evaluations(client)
    pass_deadline(opportunity)
    assert "the council will open them for you to score" in _my_evaluations(client)
    submissions_open(opportunity=opportunity, opened_by=commissioner)
    assert "Ready for you to score" in _my_evaluations(client)
    Opportunity.objects.filter(pk=opportunity.pk).update(status=Opportunity.Status.AWARDED)
    assert "Scoring finished" in _my_evaluations(client)


def test_someone_here_who_can_sit_on_the_panel_joins_at_once(
    client, authority, commissioner, officer, draft, django_capture_on_commit_callbacks
):
    make_user(authority, Role.PANEL_MEMBER, email="member@example.org")
    sign_in(client, commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, draft, email="MEMBER@example.org", full_name="Any name")
        _invite(client, draft, email=officer.email, full_name="Officer", panel="officers")
    assert set(Evaluator.objects.values_list("user__email", "panel")) == {
        ("member@example.org", "parents"),
        (officer.email, "officers"),
    }
    assert not Invitation.objects.exists()
    assert {m.to[0] for m in mail.outbox} == {"member@example.org", officer.email}
    assert all(f"/evaluate/{draft.pk}/" in m.body for m in mail.outbox)
    # A second time is refused, with the page shown again.
    response = _invite(client, draft, email="member@example.org", full_name="Any name")
    assert response.status_code == 200 and "is already an evaluator" in response.content.decode()


def test_a_parent_here_is_invited_and_accepts_on_their_own_account(
    client, authority, commissioner, parent, draft, django_capture_on_commit_callbacks
):
    sign_in(client, commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, draft, email=parent.email, full_name="Pat Parent")
    assert not Evaluator.objects.exists()  # a parent does not sit on a panel until they accept
    link = _link(mail.outbox[-1])
    client.logout()
    response = client.get(link)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:sign-in"))
    sign_in(client, parent)
    response = client.post(link, {"accept": "yes"})
    assert response.status_code == 302
    assert User.objects.get(pk=parent.pk).roles_in(authority) == {Role.PARENT, Role.PANEL_MEMBER}
    assert Evaluator.objects.get(user=parent).panel == "parents"
    assert "Holiday and weekend short breaks" in _my_evaluations(client)


def test_an_account_elsewhere_is_treated_as_no_account_at_all(
    client, authority, other_authority, commissioner, draft, django_capture_on_commit_callbacks
):
    elsewhere = make_user(other_authority, Role.COMMISSIONER, email="someone@kestrel.example")
    User.objects.filter(pk=elsewhere.pk).update(full_name="Hidden Name")
    sign_in(client, commissioner)
    answers = []
    for email in ("someone@kestrel.example", "nobody@example.org"):
        response = _invite(client, draft, email=email, full_name="Their Name", panel="officers")
        page = response.content.decode()
        assert response.status_code == 200 and "Hidden Name" not in page
        answers.append(page.replace(email, "EMAIL").count("nobody with that email address is a commissioner"))
    assert answers == [1, 1]
    with django_capture_on_commit_callbacks(execute=True):
        for email in ("someone@kestrel.example", "nobody@example.org"):
            response = _invite(client, draft, email=email, full_name="Their Name")
            assert response.status_code == 302
    assert Invitation.objects.filter(purpose="panel").count() == 2 and not Evaluator.objects.exists()
    assert "Hidden Name" not in _manage(client, draft)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": ""}, "email", "Enter their email address"),
        ({"email": "asha-at-example"}, "email", "Enter an email address in the right format"),
        ({"full_name": ""}, "full_name", "Enter their name"),
        ({"panel": ""}, "panel", "Choose the panel"),
        ({"panel": "grandparents"}, "panel", "Choose one of the panels"),
    ],
)
def test_bad_input_is_kept_with_a_message_for_its_field(client, commissioner, draft, changes, field, message):
    sign_in(client, commissioner)
    response = _invite(client, draft, **changes)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and f'href="#id_invite-{field}"' in page and message in page
    assert response.context["invite_form"].errors[field]
    if field != "email":
        assert 'value="Asha@Example.org"' in page
    if field != "full_name":
        assert 'value="Asha Khan"' in page
    assert not Invitation.objects.exists()


def test_the_officers_panel_is_for_staff_here_only(client, commissioner, draft):
    sign_in(client, commissioner)
    response = _invite(client, draft, email="new@example.org", panel="officers")
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "Ask the authority administrator to invite them as staff first" in page
    assert 'value="new@example.org"' in page and not Invitation.objects.exists()


def test_council_staff_are_not_invited_to_a_familys_panel(client, authority, commissioner, draft, officer):
    sign_in(client, commissioner)
    page = _invite(client, draft, email=officer.email, panel="parents").content.decode()
    assert "add them to the council officers" in page
    assert not Invitation.objects.exists() and not Evaluator.objects.filter(user=officer).exists()


def test_a_pending_invitation_is_withdrawn_and_its_link_stops_working(
    client, authority, commissioner, draft, django_capture_on_commit_callbacks
):
    sign_in(client, commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, draft)
    invitation = Invitation.objects.get()
    url = reverse("procurement:panel-withdraw", args=[draft.pk])
    assert client.post(url, {"invitation": "x"}).status_code == 404
    other = build(authority, commissioner, lots=1, reference="SB-2027-02")
    assert (
        client.post(reverse("procurement:panel-withdraw", args=[other.pk]), {"invitation": invitation.pk}).status_code
        == 404
    )
    response = client.post(url, {"invitation": invitation.pk})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None
    assert 'id="panel-invitations"' not in _manage(client, draft)
    client.logout()
    assert client.get(_link(mail.outbox[-1])).status_code == 410


def test_withdrawing_an_accepted_invitation_says_so_on_the_page(
    client, commissioner, draft, django_capture_on_commit_callbacks
):
    sign_in(client, commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, draft)
    invitation = Invitation.objects.get()
    client.logout()
    client.post(_link(mail.outbox[-1]), {"full_name": "Asha Khan", "password1": PASSWORD, "password2": PASSWORD})
    sign_in(client, commissioner)
    response = client.post(reverse("procurement:panel-withdraw", args=[draft.pk]), {"invitation": invitation.pk})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode() and "already been accepted" in response.content.decode()


def test_an_invitation_accepted_after_the_award_creates_nothing(
    client, commissioner, draft, django_capture_on_commit_callbacks
):
    sign_in(client, commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, draft)
    Opportunity.objects.filter(pk=draft.pk).update(status=Opportunity.Status.AWARDED)
    client.logout()
    response = client.post(
        _link(mail.outbox[-1]), {"full_name": "Asha Khan", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 200 and "has finished" in response.content.decode()
    assert not User.objects.filter(email="asha@example.org").exists() and not Evaluator.objects.exists()
    assert Invitation.objects.get().accepted_at is None


def test_joining_twice_changes_nothing(client, authority, commissioner, draft, django_capture_on_commit_callbacks):
    sign_in(client, commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, draft)
    client.logout()
    client.post(_link(mail.outbox[-1]), {"full_name": "Asha Khan", "password1": PASSWORD, "password2": PASSWORD})
    invitation, asha = Invitation.objects.get(), User.objects.get(email="asha@example.org")
    first = Evaluator.objects.get(user=asha)
    assert panel_join(invitation=invitation, user=asha) == first
    assert Evaluator.objects.filter(user=asha).count() == 1


def test_nobody_sees_anyone_elses_evaluations(
    client, authority, commissioner, provider, parent, draft, django_capture_on_commit_callbacks
):
    member = make_user(authority, Role.PANEL_MEMBER, email="member@example.org")
    evaluator_add(opportunity=draft, user=member, panel="parents", is_moderator=False, added_by=commissioner)
    url = reverse("procurement:my-evaluations")
    assert client.get(url).status_code == 302  # to sign in
    for outsider in (provider, parent):
        sign_in(client, outsider)
        assert client.get(url).status_code == 403
        assert client.get(reverse("procurement:evaluate", args=[draft.pk])).status_code == 403
    uninvited = make_user(authority, Role.PANEL_MEMBER, email="uninvited@example.org")
    sign_in(client, uninvited)
    page = _my_evaluations(client)
    assert "Holiday and weekend short breaks" not in page and "not evaluating any procurement" in page
    assert client.get(reverse("procurement:evaluate", args=[draft.pk])).status_code == 404
    sign_in(client, member)
    assert "Holiday and weekend short breaks" in _my_evaluations(client)


def test_a_parent_on_a_panel_reaches_their_evaluations_from_their_family_home(client, authority, commissioner, draft):
    from shortbreaks.accounts.models import RoleAssignment

    mum = make_user(authority, Role.PARENT, email="mum-on-panel@example.org")
    sign_in(client, mum)
    home = client.get(reverse("families:home")).content.decode()
    assert "Your evaluations" not in home  # not on any panel yet
    RoleAssignment.objects.create(user=mum, authority=authority, role=Role.PANEL_MEMBER)
    mum = User.objects.get(pk=mum.pk)  # (roles are read once per user object)
    evaluator_add(opportunity=draft, user=mum, panel="parents", is_moderator=False, added_by=commissioner)
    home = client.get(reverse("families:home")).content.decode()
    assert 'id="your-evaluations"' in home and "Holiday and weekend short breaks" in home
    assert reverse("procurement:evaluate", args=[draft.pk]) in home
    assert reverse("procurement:my-evaluations") in home
    assert "Not open for bids yet: you can set your panel&#x27;s criteria now" in home
    # A finished evaluation is no longer offered from the home.
    Opportunity.objects.filter(pk=draft.pk).update(status=Opportunity.Status.AWARDED)
    assert "your-evaluations" not in client.get(reverse("families:home")).content.decode()
