import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shortbreaks.core.errors import ChangedMeanwhile, NotAllowed, ServiceError
from shortbreaks.core.models import AuditEvent
from shortbreaks.core.roles import Role
from shortbreaks.families.models import Child, Eligibility, EligibilityApplication, Family
from shortbreaks.families.services.eligibility import (
    application_decide,
    application_request_review,
    application_submit,
    eligibility_check_code,
    eligibility_housekeeping,
)

from .factories import PDF, make_child, make_family, make_user, sign_in

SUBSTANTIAL = {"substantial": True}


@pytest.fixture
def child(authority, parent):
    return make_child(make_family(authority, reference="F-1", carer_user=parent), "Sam", born=dt.date(2017, 5, 1))


def test_every_criterion_is_checked_against_the_record(policy, child, parent):
    application = application_submit(child=child, declarations={}, evidence=[], submitted_by=parent)
    outcomes = {c["code"]: c["outcome"] for c in application.checks}
    assert outcomes == {"age": "met", "lives_here": "met", "disability": "met", "substantial": "not_met"}
    assert application.status == "submitted"


def test_all_met_with_an_ehc_plan_is_approved_at_once_with_a_code(
    policy, child, parent, mailoutbox, django_capture_on_commit_callbacks
):
    Child.objects.filter(pk=child.pk).update(has_ehc_plan=True)
    with django_capture_on_commit_callbacks(execute=True):
        application = application_submit(
            child=Child.objects.get(pk=child.pk), declarations=SUBSTANTIAL, evidence=[], submitted_by=parent
        )
    assert application.status == "approved" and application.decided_by is None
    eligibility = Eligibility.objects.get(child=child)
    assert len(eligibility.code) == 9 and eligibility.code[4] == "-"
    assert eligibility.valid_from == timezone.localdate()
    assert (eligibility.expires_on - eligibility.valid_from).days in (365, 366)  # the policy's 12 months
    assert eligibility.code in mailoutbox[-1].body


def test_officer_decides_with_reasons_and_a_review_goes_to_someone_else(
    policy, child, parent, officer, authority, mailoutbox, django_capture_on_commit_callbacks
):
    application = application_submit(child=child, declarations=SUBSTANTIAL, evidence=[], submitted_by=parent)
    with pytest.raises(NotAllowed, match="reasons"):
        application_decide(application=application, decided_by=officer, approve=False, reasons=" ")
    with django_capture_on_commit_callbacks(execute=True):
        application_decide(
            application=application,
            decided_by=officer,
            approve=False,
            reasons="Sam's needs are met by universal activities.",
        )
    assert "universal activities" in mailoutbox[-1].body and "ask for a review" in mailoutbox[-1].body
    with pytest.raises(ChangedMeanwhile):
        application_decide(application=application, decided_by=officer, approve=True, reasons="Changed my mind")

    application_request_review(application=application, requested_by=parent, reason="Sam cannot join in without 1:1.")
    with pytest.raises(NotAllowed, match="different officer"):
        application_decide(application=application, decided_by=officer, approve=True, reasons="On review")
    second = make_user(authority, Role.OFFICER)
    application_decide(application=application, decided_by=second, approve=True, reasons="1:1 support is needed.")
    application.refresh_from_db()
    assert application.status == "approved" and application.reviewed
    with pytest.raises(NotAllowed):
        application_request_review(application=application, requested_by=parent, reason="again")
    actions = set(AuditEvent.objects.filter(target_id=str(child.pk)).values_list("action", flat=True))
    assert {
        "eligibility.applied",
        "eligibility.refused",
        "eligibility.review_requested",
        "eligibility.approved",
    } <= actions


def test_one_open_application_at_a_time(policy, child, parent):
    application_submit(child=child, declarations={}, evidence=[], submitted_by=parent)
    with pytest.raises(NotAllowed, match="already an application"):
        application_submit(child=child, declarations={}, evidence=[], submitted_by=parent)


def test_the_family_is_told_its_application_arrived_and_then_what_was_decided(
    policy, child, parent, officer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = application_submit(child=child, declarations={}, evidence=[], submitted_by=parent)
    to_family = [m for m in mailoutbox if m.to == [parent.email]]
    assert [m.subject for m in to_family] == ["We have your short breaks application for Sam"]
    assert "An officer at the council will decide it" in to_family[0].body
    with django_capture_on_commit_callbacks(execute=True):
        application_decide(application=application, decided_by=officer, approve=False, reasons="Not yet assessed.")
    assert mailoutbox[-1].to == [parent.email] and "Why: Not yet assessed." in mailoutbox[-1].body


@pytest.mark.usefixtures("storage_backend")  # on both file stores (tests/storage.py)
def test_evidence_is_checked_and_nothing_is_kept_when_it_is_refused(policy, child, parent):
    with pytest.raises(ServiceError, match="must be a PDF"):
        application_submit(
            child=child,
            declarations={},
            submitted_by=parent,
            evidence=[SimpleUploadedFile("letter.pdf", b"<html>not really</html>")],
        )
    assert not EligibilityApplication.objects.exists()


def test_codes_can_be_checked_by_providers(policy, child, parent, officer, authority, provider):
    application = application_submit(child=child, declarations=SUBSTANTIAL, evidence=[], submitted_by=parent)
    application_decide(application=application, decided_by=officer, approve=True, reasons="Meets the criteria.")
    code = Eligibility.objects.get(child=child).code
    assert (
        eligibility_check_code(authority=authority, code=code.lower().replace("-", " "), checked_by=provider).child
        == child
    )
    assert eligibility_check_code(authority=authority, code="ZZZZ-ZZZZ", checked_by=provider) is None
    assert AuditEvent.objects.filter(action="eligibility.code_checked").count() == 2


def test_renewal_reminders_once_then_expiry(
    policy, child, parent, officer, mailoutbox, django_capture_on_commit_callbacks
):
    application = application_submit(child=child, declarations=SUBSTANTIAL, evidence=[], submitted_by=parent)
    application_decide(application=application, decided_by=officer, approve=True, reasons="Meets the criteria.")
    eligibility = Eligibility.objects.get(child=child)
    assert eligibility_housekeeping(today=eligibility.expires_on - dt.timedelta(days=60)) == (0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        assert eligibility_housekeeping(today=eligibility.expires_on - dt.timedelta(days=20)) == (1, 0)
    assert "Renew Sam's short breaks" in mailoutbox[-1].subject
    assert eligibility_housekeeping(today=eligibility.expires_on - dt.timedelta(days=10)) == (0, 0)
    assert eligibility_housekeeping(today=eligibility.expires_on + dt.timedelta(days=1)) == (0, 1)
    eligibility.refresh_from_db()
    assert eligibility.status == "expired"


# Pages.


@pytest.mark.usefixtures("storage_backend")  # on both file stores (tests/storage.py)
def test_parent_adds_a_child_and_applies_online(client, authority, policy, commissioner):
    parent = make_user(authority, Role.PARENT, email="new.parent@example.org")
    sign_in(client, parent)
    response = client.post(
        "/family/children/new/",
        {
            "home_postcode": "de22 1ab",
            "preferred_contact": "email",
            "first_name": "Ava",
            "last_name": "Khan",
            "date_of_birth_0": "2",
            "date_of_birth_1": "3",
            "date_of_birth_2": "2016",
            "needs": ["autism", "communication"],
            "sex": "female",
            "ethnicity": "asian",
        },
    )
    assert response.status_code == 302
    family = Family.objects.get(carers__user=parent)
    assert family.home_postcode == "DE22 1AB"
    child = family.children.get()
    response = client.post(
        f"/family/children/{child.pk}/apply/",
        {"declare_substantial": "on", "evidence": SimpleUploadedFile("letter.pdf", PDF)},
    )
    assert response.status_code == 302
    application = EligibilityApplication.objects.get(child=child)
    assert application.status == "submitted" and application.evidence.count() == 1
    assert "Waiting for a decision" in client.get("/family/").content.decode()


def test_bad_child_details_are_explained(client, authority, policy):
    sign_in(client, make_user(authority, Role.PARENT))
    html = client.post(
        "/family/children/new/",
        {"home_postcode": "nowhere", "first_name": "", "date_of_birth_0": "2", "date_of_birth_1": "x"},
    ).content.decode()
    for message in (
        "There is a problem",
        "Enter a real postcode, like DE1 3AB",
        "Select how we should contact you",
        "Enter your child&#x27;s first name",
        "Date of birth must include a year",
        "Select at least one need",
        "Select your child&#x27;s sex",
    ):
        assert message in html
    assert not Child.objects.exists()


@pytest.mark.usefixtures("storage_backend")  # on both file stores (tests/storage.py)
def test_evidence_is_for_officers_only(client, authority, policy, child, parent, officer, provider):
    application = application_submit(
        child=child, declarations={}, submitted_by=parent, evidence=[SimpleUploadedFile("letter.pdf", PDF)]
    )
    url = f"/caseload/applications/{application.pk}/evidence/{application.evidence.get().pk}/"
    for outsider in (parent, provider, make_user(authority, Role.COMMISSIONER)):
        sign_in(client, outsider)
        assert client.get(url).status_code == 403
    sign_in(client, officer)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"


def test_officer_decides_through_the_page(client, policy, child, parent, officer):
    application = application_submit(child=child, declarations=SUBSTANTIAL, evidence=[], submitted_by=parent)
    sign_in(client, officer)
    assert "Sam" in client.get("/caseload/applications/").content.decode()
    html = client.post(f"/caseload/applications/{application.pk}/", {"decision": "approve"}).content.decode()
    assert "Give the reasons for the decision" in html
    response = client.post(
        f"/caseload/applications/{application.pk}/", {"decision": "approve", "reasons": "Meets every criterion."}
    )
    assert response.status_code == 302
    code = Eligibility.objects.get(child=child).code
    sign_in(client, parent)
    assert code in client.get("/family/").content.decode()


def test_provider_checks_a_code_and_sees_only_what_they_need(client, policy, child, parent, officer, provider):
    application = application_submit(child=child, declarations=SUBSTANTIAL, evidence=[], submitted_by=parent)
    application_decide(application=application, decided_by=officer, approve=True, reasons="Meets the criteria.")
    code = Eligibility.objects.get(child=child).code
    sign_in(client, provider)
    html = client.post("/eligibility/check/", {"code": code}).content.decode()
    assert "Valid" in html and "Sam, born 2017" in html and "Shah" not in html and "Autism" not in html
    assert "not valid" in client.post("/eligibility/check/", {"code": "0000-0000"}).content.decode()


def test_criteria_are_published_for_everyone(client, policy):
    html = client.get("/eligibility/").content.decode()
    assert "Who can get targeted short breaks" in html and "substantial and long-term effect" in html
