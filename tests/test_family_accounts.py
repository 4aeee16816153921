"""A family's accounts: a second parent or carer invited by a parent (or linked by an
officer), a young person invited to an account of their own, the young person's own page, and
what parents stop seeing once a young person with their own account turns 18."""

import re

import pytest
from django.urls import reverse

from shortbreaks.accounts.models import AccountPolicy, Invitation, User
from shortbreaks.core.roles import Role
from shortbreaks.families.models import Carer

from .clock import born_aged
from .factories import PASSWORD, make_child, make_family, make_user, sign_in


def link_in(mail) -> str:
    """The path of the invitation link in an email."""
    return re.search(r"https?://[^/\s]+(/accounts/invitations/\S+/)", mail.body).group(1)


def accept_as_new(client, path, full_name="Robin Shah"):
    page = client.get(path)
    assert page.status_code == 200
    return client.post(path, {"full_name": full_name, "password1": PASSWORD, "password2": PASSWORD})


@pytest.fixture
def family(authority, parent):
    return make_family(authority, reference="F-OWN", carer_user=parent)


@pytest.fixture
def teenager(family):
    return make_child(family, "Alex", born=born_aged(14))


class TestASecondCarer:
    def test_invited_by_a_parent_and_accepted_through_the_emailed_link(
        self, client, authority, parent, family, mailoutbox, django_capture_on_commit_callbacks
    ):
        sign_in(client, parent)
        home = client.get(reverse("families:home")).content.decode()
        assert "Invite another parent or carer" in home
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("families:carer-invite"),
                {"full_name": "Robin Shah", "email": "Robin@Example.org", "relationship": "Father"},
            )
        assert response.status_code == 302
        [mail] = mailoutbox
        assert mail.to == ["robin@example.org"] and "join your family's short breaks account" in mail.subject
        home = client.get(reverse("families:home")).content.decode()
        assert "robin@example.org" in home and "Withdraw" in home

        client.logout()
        with django_capture_on_commit_callbacks(execute=True):
            accepted = accept_as_new(client, link_in(mail))
        assert accepted.status_code == 302
        robin = User.objects.get(email="robin@example.org")
        carer = Carer.objects.get(family=family, user=robin)
        assert (carer.full_name, carer.relationship, carer.email) == ("Robin Shah", "Father", "robin@example.org")
        assert Role.PARENT in robin.roles_in(authority)
        # The new carer lands on the family's page and sees the family's children.
        make_child(family, "Sam")
        assert client.get(reverse("accounts:home")).url == reverse("families:home")
        assert "Sam" in client.get(reverse("families:home")).content.decode()

    def test_accepting_twice_makes_one_carer(self, authority, parent, family):
        from shortbreaks.accounts.services.invitations import invitation_accept
        from shortbreaks.families.services.accounts import carer_invite, carer_join

        invitation = carer_invite(
            family=family, full_name="Robin", email="robin@example.org", relationship="Father", invited_by=parent
        )
        robin = invitation_accept(invitation=invitation, full_name="Robin", password=PASSWORD)
        carer_join(invitation=invitation, user=robin)
        assert Carer.objects.filter(family=family, user=robin).count() == 1

    def test_a_carer_imported_without_an_account_is_linked_not_repeated(
        self, client, authority, officer, family, mailoutbox, django_capture_on_commit_callbacks
    ):
        Carer.objects.create(family=family, full_name="Robin Shah", email="Robin@example.org", relationship="Father")
        child = make_child(family, "Sam")
        sign_in(client, officer)
        page = client.get(reverse("families:child", args=[child.pk])).content.decode()
        assert "Link a parent or carer" in page
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("families:officer-carer-invite", args=[child.pk]),
                {"full_name": "Robin Shah", "email": "robin@example.org", "relationship": "Stepfather"},
            )
        assert "robin@example.org" in client.get(reverse("families:child", args=[child.pk])).content.decode()
        client.logout()
        with django_capture_on_commit_callbacks(execute=True):
            accept_as_new(client, link_in(mailoutbox[-1]))
        robin = User.objects.get(email="robin@example.org")
        [carer] = family.carers.filter(full_name="Robin Shah")
        assert carer.user == robin and carer.relationship == "Stepfather"
        assert "linked by an officer" in family_history(family)

    def test_what_was_typed_is_kept_when_the_form_is_wrong(self, client, parent, family, mailoutbox):
        sign_in(client, parent)
        page = client.post(
            reverse("families:carer-invite"), {"full_name": "Robin Shah", "email": "robin@", "relationship": ""}
        )
        html = page.content.decode()
        assert page.status_code == 200 and "There is a problem" in html
        assert "Enter an email address in the right format" in html
        assert "Enter their relationship to the children" in html
        assert 'value="Robin Shah"' in html and 'value="robin@"' in html
        page = client.post(reverse("families:carer-invite"), {"full_name": "", "email": "", "relationship": "Aunt"})
        html = page.content.decode()
        assert "Enter the parent or carer&#x27;s full name" in html and 'value="Aunt"' in html
        assert "Enter the parent or carer&#x27;s email address" in html
        assert mailoutbox == []

    def test_someone_already_on_the_account_is_not_invited_again(self, client, parent, family, mailoutbox):
        sign_in(client, parent)
        page = client.post(
            reverse("families:carer-invite"),
            {"full_name": "Me", "email": parent.email.upper(), "relationship": "Mother"},
        )
        assert "already a parent or carer on this family" in page.content.decode() and mailoutbox == []

    def test_withdrawn_invitation_no_longer_works(
        self, client, parent, family, mailoutbox, django_capture_on_commit_callbacks
    ):
        sign_in(client, parent)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("families:carer-invite"),
                {"full_name": "Robin", "email": "robin@example.org", "relationship": "Father"},
            )
        invitation = Invitation.objects.get(email="robin@example.org")
        client.post(reverse("families:invitation-withdraw"), {"invitation": str(invitation.pk)})
        invitation.refresh_from_db()
        assert invitation.withdrawn_at is not None
        client.logout()
        assert client.get(link_in(mailoutbox[0])).status_code == 410

    def test_another_familys_parent_cannot_invite_or_withdraw_for_it(self, client, authority, parent, family, teenager):
        from shortbreaks.families.services.accounts import carer_invite

        invitation = carer_invite(
            family=family, full_name="Robin", email="robin@example.org", relationship="Father", invited_by=parent
        )
        stranger = make_user(authority, Role.PARENT, email="stranger@example.org")
        make_family(authority, reference="F-THEIRS", carer_user=stranger)
        sign_in(client, stranger)
        assert client.get(reverse("families:young-person-invite", args=[teenager.pk])).status_code == 404
        assert (
            client.post(
                reverse("families:young-person-invite", args=[teenager.pk]), {"email": "alex@example.org"}
            ).status_code
            == 404
        )
        assert (
            client.post(reverse("families:invitation-withdraw"), {"invitation": str(invitation.pk)}).status_code == 404
        )
        assert client.post(reverse("families:invitation-withdraw"), {"invitation": "x"}).status_code == 404
        invitation.refresh_from_db()
        assert invitation.withdrawn_at is None
        # Their own invite page invites to their own family only.
        page = client.get(reverse("families:carer-invite")).content.decode()
        assert "F-OWN" not in page
        # And the officer's pages are not theirs.
        assert client.get(reverse("families:officer-carer-invite", args=[teenager.pk])).status_code == 403
        assert client.get(reverse("families:officer-young-person-invite", args=[teenager.pk])).status_code == 403


def family_history(family) -> str:
    from shortbreaks.core.models import AuditEvent

    return " ".join(AuditEvent.objects.filter(target_id=str(family.pk)).values_list("summary", flat=True))


class TestAYoungPersonsOwnAccount:
    def test_a_child_under_the_age_is_refused_with_the_age(self, client, parent, family, mailoutbox):
        young = make_child(family, "Sam", born=born_aged(12))
        sign_in(client, parent)
        assert f"/family/children/{young.pk}/own-account/" not in client.get(reverse("families:home")).content.decode()
        page = client.post(reverse("families:young-person-invite", args=[young.pk]), {"email": "sam@example.org"})
        html = page.content.decode()
        assert page.status_code == 200 and "There is a problem" in html
        assert "Young people can have their own account from age 13. Sam is 12" in html
        assert 'value="sam@example.org"' in html
        assert mailoutbox == [] and not Invitation.objects.exists()

    def test_the_age_is_the_authoritys(self, client, authority, parent, family, mailoutbox):
        AccountPolicy.objects.filter(authority=authority).update(young_person_from_age=16)
        teen = make_child(family, "Alex", born=born_aged(14))
        sign_in(client, parent)
        page = client.post(reverse("families:young-person-invite", args=[teen.pk]), {"email": "alex@example.org"})
        assert "from age 16. Alex is 14" in page.content.decode() and mailoutbox == []

    def test_the_young_persons_email_is_asked_for_in_words(self, client, parent, teenager):
        sign_in(client, parent)
        page = client.post(reverse("families:young-person-invite", args=[teenager.pk]), {"email": ""})
        assert "Enter the young person&#x27;s email address" in page.content.decode()
        page = client.post(reverse("families:young-person-invite", args=[teenager.pk]), {"email": parent.email})
        assert "Enter Alex&#x27;s own email address" in page.content.decode()

    def test_accepted_by_the_young_person_who_sees_only_their_own_record(
        self, client, authority, parent, family, teenager, mailoutbox, django_capture_on_commit_callbacks
    ):
        sibling = make_child(family, "Sam")
        sign_in(client, parent)
        home = client.get(reverse("families:home")).content.decode()
        assert "Invite Alex to have their own account" in home
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("families:young-person-invite", args=[teenager.pk]), {"email": "alex@example.org"}
            )
        assert response.status_code == 302
        [mail] = mailoutbox
        assert mail.to == ["alex@example.org"]
        assert "We have invited Alex" in client.get(reverse("families:home")).content.decode()

        client.logout()
        with django_capture_on_commit_callbacks(execute=True):
            assert accept_as_new(client, link_in(mail), full_name="Alex Shah").status_code == 302
        alex = User.objects.get(email="alex@example.org")
        teenager.refresh_from_db()
        assert teenager.user == alex and alex.roles_in(authority) == {Role.YOUNG_PERSON}
        landing = client.get(reverse("accounts:home"))
        assert landing.status_code == 302 and landing.url == reverse("families:me")
        page = client.get(reverse("families:me")).content.decode()
        assert "Alex" in page and "Sam" not in page and str(sibling.pk) not in page
        assert client.get(f"/family/children/{sibling.pk}/statement/").status_code == 404
        assert "Alex has their own account" in parent_home(client, parent)

    def test_an_officer_invites_a_young_person(
        self, client, officer, teenager, mailoutbox, django_capture_on_commit_callbacks
    ):
        sign_in(client, officer)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("families:officer-young-person-invite", args=[teenager.pk]), {"email": "alex@example.org"}
            )
        assert response.status_code == 302 and mailoutbox[0].to == ["alex@example.org"]
        invitation = Invitation.objects.get()
        assert invitation.purpose == Invitation.Purpose.YOUNG_PERSON and invitation.subject_id == str(teenager.pk)
        assert invitation.roles == [Role.YOUNG_PERSON]
        client.post(
            reverse("families:officer-invitation-withdraw", args=[teenager.pk]), {"invitation": str(invitation.pk)}
        )
        invitation.refresh_from_db()
        assert invitation.withdrawn_at is not None

    def test_a_record_with_an_account_is_not_given_to_someone_else(self, authority, parent, teenager):
        from shortbreaks.accounts.services.invitations import invitation_accept
        from shortbreaks.core.errors import ServiceError
        from shortbreaks.families.services.accounts import young_person_invite

        invitation = young_person_invite(child=teenager, email="alex@example.org", invited_by=parent)
        teenager.user = make_user(authority, Role.YOUNG_PERSON, email="first@example.org")
        teenager.save()
        with pytest.raises(ServiceError, match="already has its own account"):
            invitation_accept(invitation=invitation, full_name="Alex", password=PASSWORD)
        # Nothing was accepted: no account, no role.
        assert not User.objects.filter(email="alex@example.org").exists()
        invitation.refresh_from_db()
        assert invitation.accepted_at is None


def parent_home(client, parent) -> str:
    client.logout()
    sign_in(client, parent)
    return client.get(reverse("families:home")).content.decode()


class TestTheYoungPersonsPage:
    def test_written_for_them_with_their_bookings_feedback_and_panels(
        self, client, authority, commissioner, organisation, family, teenager
    ):
        import datetime as dt

        from django.utils import timezone

        from shortbreaks.procurement.models import Evaluator

        from .factories import booked, build, make_service, make_session, session_on

        sibling = make_child(family, "Sam")
        alex = make_user(authority, Role.YOUNG_PERSON, email="alex@example.org")
        teenager.user = alex
        teenager.save()
        club = make_service(organisation, name="Climbing Club")
        booked(make_session(club, days_ahead=7), teenager, status="confirmed")
        booked(
            session_on(make_service(organisation, name="Pottery"), timezone.localdate() - dt.timedelta(days=20)),
            teenager,
        )
        booked(make_session(make_service(organisation, name="Drama Group")), sibling, status="confirmed")
        opportunity = build(authority, commissioner, reference="YP-1")
        Evaluator.objects.create(authority=authority, opportunity=opportunity, user=alex, panel="young_people")

        sign_in(client, alex)
        page = client.get(reverse("families:me")).content.decode()
        assert "Your short breaks" in page and "Hello Alex" in page
        assert "Things you have booked" in page and "Climbing Club" in page
        assert "Things you have been to" in page and "Pottery" in page
        assert "Drama Group" not in page and "Sam" not in page
        assert "Tell us what you thought" in page and reverse("contracts:feedback") in page
        assert "Panels you are on" in page and reverse("procurement:evaluate", args=[opportunity.pk]) in page
        assert "Your parents or carers can see your short breaks until you are 18" in page

    def test_a_young_person_not_yet_linked_is_told_so(self, client, authority):
        sign_in(client, make_user(authority, Role.YOUNG_PERSON))
        page = client.get(reverse("families:me")).content.decode()
        assert "We have not linked your record to your account yet" in page
        assert "Things you have booked" not in page

    def test_only_young_people_have_one(self, client, parent):
        sign_in(client, parent)
        assert client.get(reverse("families:me")).status_code == 403


class TestGrowingUp:
    @pytest.fixture
    def adult(self, authority, family):
        alex = make_child(family, "Alex", born=born_aged(18))
        alex.user = make_user(authority, Role.YOUNG_PERSON, email="alex@example.org")
        alex.save()
        return alex

    def test_a_parent_no_longer_sees_an_18_year_old_with_their_own_account(
        self, client, authority, parent, organisation, family, adult
    ):
        from shortbreaks.families.selectors.access import children_of_carer, children_visible_to

        from .factories import booked, make_service, make_session

        sam = make_child(family, "Sam")
        session = make_session(make_service(organisation))
        booked(session, adult, status="confirmed")
        booked(session, sam, status="confirmed")
        assert list(children_of_carer(user=parent, authority=authority)) == [sam]
        assert list(children_visible_to(user=parent, authority=authority)) == [sam]
        sign_in(client, parent)
        home = client.get(reverse("families:home")).content.decode()
        assert "Sam" in home and f"grown-up-{adult.pk}" in home and "you no longer see them here" in home
        assert f"/family/children/{adult.pk}/" not in home
        for path in (f"/family/children/{adult.pk}/statement/", f"/family/children/{adult.pk}/allocation/"):
            assert client.get(path).status_code == 404
        assert client.get(reverse("families:young-person-invite", args=[adult.pk])).status_code == 404
        # The booking API lists the children by the same rule.
        assert [b["child_id"] for b in client.get("/api/bookings/").json()] == [str(sam.pk)]
        assert "Alex" not in client.get(reverse("bookings:mine")).content.decode()
        # The young person still sees their own record, and the officer every record.
        from shortbreaks.families.selectors.access import children_visible_to as visible

        assert list(visible(user=adult.user, authority=authority)) == [adult]
        officer = make_user(authority, Role.OFFICER)
        assert set(visible(user=officer, authority=authority)) == {adult, sam}

    def test_until_their_birthday_and_without_an_account_parents_still_see_them(
        self, client, authority, parent, family, clock
    ):
        import datetime as dt

        from django.utils import timezone

        from shortbreaks.families.selectors.access import children_of_carer

        today = timezone.localdate()
        birthday = today.replace(year=today.year - 18) + dt.timedelta(days=1)
        alex = make_child(family, "Alex", born=birthday)
        alex.user = make_user(authority, Role.YOUNG_PERSON)
        alex.save()
        jo = make_child(family, "Jo", born=born_aged(19))  # no account of their own
        assert set(children_of_carer(user=parent, authority=authority)) == {alex, jo}
        clock.move_to(timezone.now() + dt.timedelta(days=1))
        assert set(children_of_carer(user=parent, authority=authority)) == {jo}

    def test_an_authority_that_sets_no_age_keeps_every_record_with_the_parents(
        self, client, authority, parent, family, adult
    ):
        AccountPolicy.objects.filter(authority=authority).update(parents_see_until_age=None)
        sign_in(client, parent)
        home = client.get(reverse("families:home")).content.decode()
        assert "Alex" in home and "you no longer see them here" not in home
        assert client.get(f"/family/children/{adult.pk}/statement/").status_code == 200
        sign_in(client, adult.user)
        assert (
            "Your parents or carers can see your short breaks too"
            in client.get(reverse("families:me")).content.decode()
        )


class TestTheEligibilityPage:
    def test_someone_signed_out_is_asked_to_create_an_account(self, client, policy):
        page = client.get(reverse("families:criteria")).content.decode()
        assert "Create an account to apply" in page and reverse("accounts:sign-up") in page

    def test_a_parent_is_shown_where_to_apply(self, client, parent, policy, family):
        sign_in(client, parent)
        page = client.get(reverse("families:criteria")).content.decode()
        assert "Create an account to apply" not in page and reverse("families:child-new") in page
        sam = make_child(family, "Sam")
        page = client.get(reverse("families:criteria")).content.decode()
        assert "Apply for Sam" in page and reverse("families:apply", args=[sam.pk]) in page
        from .factories import make_eligible

        make_eligible(sam)
        assert "Apply for Sam" not in client.get(reverse("families:criteria")).content.decode()
