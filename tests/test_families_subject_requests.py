"""A family's data: exported whole on request, or erased where the law allows, keeping the
ledger and the audit trail."""

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum

from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.models import AuditEvent
from shortbreaks.families.models import Child, EvidenceDocument, LedgerEntry
from shortbreaks.families.services.allocation import allocation_from_assessment
from shortbreaks.families.services.budget import ledger_post
from shortbreaks.families.services.eligibility import application_submit
from shortbreaks.families.services.subject_requests import family_erase

from .factories import MIDDLE, PDF, make_child, make_family, sign_in


@pytest.fixture
def family(authority, parent, officer, rule, policy):
    family = make_family(authority, reference="F-77", carer_user=parent)
    child = make_child(family, "Sam", medical_needs="Epilepsy", communication_needs="Makaton")
    application_submit(
        child=child,
        declarations={"substantial": True},
        submitted_by=parent,
        evidence=[SimpleUploadedFile("letter.pdf", PDF)],
    )
    allocation_from_assessment(child=child, answers=MIDDLE, assessed_on=dt.date(2026, 4, 1), assessor=officer)
    ledger_post(
        account=child.budget,
        kind=LedgerEntry.Kind.DIRECT_PAYMENT,
        amount=Decimal("100"),
        description="PA hours",
        actor=officer,
    )
    make_child(make_family(authority, reference="F-88"), "Zoe")
    return family


@pytest.mark.usefixtures("storage_backend")  # on both file stores (tests/storage.py)
def test_officer_exports_everything_about_the_family_and_nothing_else(client, family, officer):
    sign_in(client, officer)
    response = client.get(f"/caseload/families/{family.pk}/export/")
    assert response["Content-Type"] == "application/zip" and response["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    assert [c["first_name"] for c in data["children"]] == ["Sam"]
    assert data["children"][0]["medical_needs"] == "Epilepsy" and data["children"][0]["needs"] == ["Autism"]
    assert len(data["ledger"]) == 2 and data["allocations"][0]["band_name"] == "Band 3"
    assert any(name.startswith("evidence/") for name in archive.namelist())
    assert "Zoe" not in archive.read("data.json").decode()


def test_only_officers_can_export_or_erase(client, family, parent, commissioner):
    for person in (parent, commissioner):
        sign_in(client, person)
        assert client.get(f"/caseload/families/{family.pk}/export/").status_code == 403
        assert (
            client.post(f"/caseload/families/{family.pk}/erase/", {"reason": "x", "confirm": "on"}).status_code == 403
        )


@pytest.mark.usefixtures("storage_backend")  # on both file stores (tests/storage.py)
def test_erasure_keeps_the_money_and_the_history(client, family, officer, parent, django_capture_on_commit_callbacks):
    child = family.children.get()
    type(child).objects.filter(pk=child.pk).update(
        emergency_contacts="Priya (aunt) 07700 900 982", share_emergency_contacts=True
    )
    balances = (child.budget.available, child.budget.committed, child.budget.spent)
    entries = LedgerEntry.objects.count()
    file_name = EvidenceDocument.objects.get().file.name
    history = AuditEvent.objects.count()
    sign_in(client, officer)
    refused = client.post(f"/caseload/families/{family.pk}/erase/", {"reason": "Their request"})
    assert "Confirm that you understand this cannot be undone" in refused.content.decode()
    assert default_storage.exists(file_name)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/caseload/families/{family.pk}/erase/", {"reason": "Their request of 1 Nov", "confirm": "on"}
        )
    assert response.status_code == 302
    assert not default_storage.exists(file_name)

    child.refresh_from_db()
    assert (child.first_name, child.medical_needs, child.communication_needs) == ("Erased", "", "")
    assert (child.emergency_contacts, child.share_emergency_contacts) == ("", False)
    assert child.date_of_birth == dt.date(2017, 1, 1) and not child.needs.exists()
    assert child.assessments.get().answers == {} and child.allocations.get().explanation == []
    assert not EvidenceDocument.objects.exists()
    family.refresh_from_db()
    assert family.home_postcode == "DE22" and family.carers.get().full_name == "Erased"
    parent.refresh_from_db()
    assert not parent.is_active and not parent.has_usable_password() and "erased" in parent.email
    # What the council must keep.
    child.budget.refresh_from_db()
    assert (child.budget.available, child.budget.committed, child.budget.spent) == balances
    assert LedgerEntry.objects.count() == entries
    sums = LedgerEntry.objects.aggregate(a=Sum("delta_available"))
    assert sums["a"] == child.budget.available
    assert AuditEvent.objects.count() == history + 1 and AuditEvent.objects.filter(action="family.erased").exists()


def test_erasure_waits_for_booked_breaks_to_settle(family, officer):
    child = family.children.get()
    ledger_post(
        account=child.budget,
        kind=LedgerEntry.Kind.BOOKING_COMMITTED,
        amount=Decimal("30"),
        description="Booked",
        actor=officer,
    )
    with pytest.raises(NotAllowed, match="booked and not yet delivered"):
        family_erase(family=family, erased_by=officer, reason="Their request")
    assert Child.objects.get(pk=child.pk).first_name == "Sam"
