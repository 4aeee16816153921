"""What the public site links to: the short breaks statements from every page's footer, and
each tender's own open contracting data (OCDS releases for its ocid) from its public page."""

from urllib.parse import quote

from django.conf import settings
from django.urls import reverse

from shortbreaks.core.roles import Role
from shortbreaks.procurement.services import opportunity_publish

from .factories import build, make_user, sign_in
from .ocds_schemas import package_validator


def test_every_page_links_to_the_statements(client, authority):
    home = client.get("/").content.decode()
    assert 'href="/statements/">Short breaks statements</a>' in home
    assert "Short breaks statements" in client.get("/statements/").content.decode()


def test_a_tender_has_its_own_open_data(client, authority, commissioner):
    ours = build(authority, commissioner, reference="SB-2027/01")
    other = build(authority, commissioner, reference="SB-2027-02")
    for opportunity in (ours, other):
        opportunity_publish(opportunity=opportunity, published_by=commissioner)
    ours.refresh_from_db()
    url = f"/api/ocds/releases?ocid={quote(ours.ocid)}"
    package = client.get(url).json()
    package_validator().validate(package)
    assert {r["ocid"] for r in package["releases"]} == {ours.ocid}
    assert [r["tag"] for r in package["releases"]] == [["tender"]]
    assert package["releases"][0]["tender"]["id"] == "SB-2027/01"
    assert len(client.get("/api/ocds/releases").json()["releases"]) == 2  # everything, as before


def test_an_unknown_or_foreign_ocid_is_not_found(client, authority, other_authority, commissioner):
    opportunity_publish(opportunity=build(authority, commissioner), published_by=commissioner)
    theirs = make_user(other_authority, Role.COMMISSIONER, email="commissioner@elsewhere.example.org")
    foreign = build(other_authority, theirs, reference="SB-2027-01")  # same reference, another council
    opportunity_publish(opportunity=foreign, published_by=theirs)
    prefix = settings.OCDS_PREFIX
    for ocid in (foreign.ocid, "nonsense", f"{prefix}-{authority.pk}-SB-NONE", f"{prefix}-{authority.pk}-"):
        response = client.get("/api/ocds/releases", {"ocid": ocid})
        assert response.status_code == 404 and response.json() == {"error": "No contracting process has that ocid."}


def test_a_tenders_page_links_to_its_open_data(client, authority, commissioner):
    opportunity = build(authority, commissioner, reference="SB-2027/03")
    opportunity_publish(opportunity=opportunity, published_by=commissioner)
    opportunity.refresh_from_db()
    page = client.get(reverse("procurement:detail", args=[opportunity.pk])).content.decode()
    assert f'href="/api/ocds/releases?ocid={quote(opportunity.ocid)}"' in page


def test_a_familys_menu_keeps_to_their_own_pages(client, authority):
    nav_link = '<a class="govuk-service-navigation__link" href="/commissioning/">Commissioning</a>'
    assert nav_link in client.get("/").content.decode()  # providers and the public find it in the menu
    sign_in(client, make_user(authority, Role.PARENT))
    page = client.get("/").content.decode()
    assert nav_link not in page and "Commissioning and market information</a>" in page  # the footer keeps it
