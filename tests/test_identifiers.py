"""Organisations in the open data by their org-id identifiers: a provider gives its PPON when it
registers (checked and kept in one form, as its other numbers are), the council sees it before
approving, and OCDS names each party by the best identifier it has, the rest beside it."""

import pytest
from django import forms
from django.urls import reverse

from shortbreaks.directory.forms.registration import ppon
from shortbreaks.directory.models import Organisation
from shortbreaks.directory.services.snapshots import ORGANISATION_FIELDS
from shortbreaks.procurement.ocds import _buyer_party, _supplier, _supplier_party

from .factories import make_organisation, make_user, sign_in
from .test_provider_registration import register


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("PMZV-7329-TQGH", "PMZV-7329-TQGH"),
        ("pmzv-7329-tqgh", "PMZV-7329-TQGH"),
        ("pmzv 7329 tqgh", "PMZV-7329-TQGH"),
        ("PMZV7329TQGH", "PMZV-7329-TQGH"),
        ("", ""),
    ],
)
def test_a_ppon_is_kept_in_one_form(typed, kept):
    assert ppon(typed) == kept


@pytest.mark.parametrize("typed", ["MZV-7329-TQGH", "PMZV-732-TQGH", "PMZV-7329-TQG1", "QMZV-7329-TQGH", "1123456"])
def test_badly_formed_ppons_are_refused(typed):
    with pytest.raises(forms.ValidationError):
        ppon(typed)


def test_a_bad_ppon_says_what_one_looks_like_and_what_was_typed_is_kept(client, authority):
    page = register(client, ppon="PMZV-73-TQGH").content.decode()
    assert "There is a problem" in page
    assert "Enter a PPON in the right format: P and 3 letters, 4 digits and 4 letters, like PMZV-7329-TQGH" in page
    assert 'value="PMZV-73-TQGH"' in page and not Organisation.objects.exists()


def test_a_registered_ppon_is_shown_to_the_council_and_part_of_the_details(client, authority, commissioner):
    register(client, ppon="pmzv 7329 tqgh")
    organisation = Organisation.objects.get(name="Hilltop Play")
    assert organisation.ppon == "PMZV-7329-TQGH" and "ppon" in ORGANISATION_FIELDS
    client.logout()
    sign_in(client, commissioner)
    page = client.get(reverse("directory:manage-registration", args=[organisation.pk])).content.decode()
    assert "PPON" in page and "PMZV-7329-TQGH" in page


def test_ocds_parties_carry_every_registered_identifier(authority):
    charity = make_organisation(
        authority, "Thistle Trust", ppon="PMZV-7329-TQGH", charity_number="SC012345", company_number="SC123456"
    )
    assert _supplier(charity) == {"id": "GB-PPON-PMZV-7329-TQGH", "name": "Thistle Trust"}
    assert _supplier_party(charity) == {
        "id": "GB-PPON-PMZV-7329-TQGH",
        "name": "Thistle Trust",
        "identifier": {"scheme": "GB-PPON", "id": "PMZV-7329-TQGH", "legalName": "Thistle Trust"},
        "additionalIdentifiers": [
            {"scheme": "GB-SC", "id": "SC012345", "legalName": "Thistle Trust"},
            {"scheme": "GB-COH", "id": "SC123456", "legalName": "Thistle Trust"},
        ],
    }
    ulster = make_organisation(authority, "Ulster Breaks", charity_number="NIC100001")
    assert _supplier_party(ulster)["identifier"] == {"scheme": "GB-NIC", "id": "100001", "legalName": "Ulster Breaks"}
    assert "additionalIdentifiers" not in _supplier_party(ulster)
    # None registered: our own unregistered prefix, and no identifier object to claim otherwise.
    unknown = make_organisation(authority, "Council Respite Unit", kind="in_house")
    assert _supplier_party(unknown) == {"id": f"GB-SB-{unknown.pk}", "name": "Council Respite Unit"}


def test_the_buyer_is_the_council_by_its_own_identifier(authority):
    assert _buyer_party(authority) == {"id": "GB-SB-authority-dovebridge", "name": "Dovebridge Borough Council"}
    authority.org_identifier = "GB-PPON-PDVB-1234-ABCD"
    assert _buyer_party(authority) == {
        "id": "GB-PPON-PDVB-1234-ABCD",
        "name": "Dovebridge Borough Council",
        "identifier": {"scheme": "GB-PPON", "id": "PDVB-1234-ABCD", "legalName": "Dovebridge Borough Council"},
    }


def test_a_system_administrator_sets_the_councils_identifier_in_the_admin(client, authority):
    admin = make_user(authority, email="admin@example.org")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    sign_in(client, admin)
    url = f"/admin/core/authority/{authority.pk}/change/"
    assert 'name="org_identifier"' in client.get(url).content.decode()
    fields = {
        "name": authority.name,
        "slug": authority.slug,
        "kind": authority.kind,
        "hostnames": authority.hostnames,
        "website": "",
        "contact_email": "",
        "centre_postcode": "",
    }
    refused = client.post(url, fields | {"org_identifier": "DOVEBRIDGE"})
    assert refused.status_code == 200 and "Enter an org-id identifier" in refused.content.decode()
    assert client.post(url, fields | {"org_identifier": "GB-LAE-DVB"}).status_code == 302
    authority.refresh_from_db()
    assert authority.org_identifier == "GB-LAE-DVB"
