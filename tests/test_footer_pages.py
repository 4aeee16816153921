"""The privacy notice, accessibility statement, cookies page and open data publication policy:
every page links to them, each authority has its own (made with it, with sensible text), and
only its administrators change them."""

import pytest

from shortbreaks.core.audit import Audit
from shortbreaks.core.models import AuditEvent, SitePage
from shortbreaks.core.roles import Role
from shortbreaks.core.site_pages import as_html

from .factories import make_user, sign_in


@pytest.fixture
def administrator(authority):
    return make_user(authority, Role.ADMINISTRATOR)


def test_a_new_authority_has_each_page_in_its_own_name(authority, other_authority):
    for place in (authority, other_authority):
        kinds = set(SitePage.objects.filter(authority=place).values_list("kind", flat=True))
        assert kinds == {"privacy", "accessibility", "cookies", "publication_policy"}
        assert place.name in SitePage.objects.get(authority=place, kind="accessibility").body


def test_every_page_links_to_the_three_and_each_one_reads(client, authority):
    home = client.get("/").content.decode()
    for href in ("/accounts/privacy/", "/accessibility/", "/cookies/"):
        assert f'href="{href}"' in home
        page = client.get(href)
        assert page.status_code == 200
    assert "Equality and Human Rights Commission" in client.get("/accessibility/").content.decode()
    cookies = client.get("/cookies/").content.decode()
    assert "sessionid" in cookies and "8 hours" in cookies
    privacy = client.get("/accounts/privacy/").content.decode()
    assert "data controller" in privacy and "25th birthday" in privacy  # council's text, then the policy's
    # A family can ask for its copy in the service; the ICO and the EASS are real links.
    assert '<a href="/family/information/" class="govuk-link">ask for a copy of everything we hold' in privacy
    assert 'href="https://ico.org.uk/make-a-complaint/"' in privacy
    accessibility = client.get("/accessibility/").content.decode()
    assert 'href="https://www.equalityadvisoryservice.com/"' in accessibility


def test_an_administrator_changes_a_page_and_everyone_sees_it(client, authority, administrator):
    sign_in(client, administrator)
    form = client.get("/council/footer-pages/accessibility/").content.decode()
    assert "Equality and Human Rights Commission" in form
    response = client.post(
        "/council/footer-pages/accessibility/", {"body": "## Our promise\n\nCall us on 01332 000000."}
    )
    assert response.status_code == 302
    client.logout()
    html = client.get("/accessibility/").content.decode()
    assert '<h2 class="govuk-heading-m">Our promise</h2>' in html and "01332 000000" in html
    event = AuditEvent.objects.get(action=Audit.SITE_PAGE_UPDATED)
    assert event.actor == administrator


def test_an_empty_page_is_refused_and_what_was_typed_stays(client, authority, administrator):
    sign_in(client, administrator)
    response = client.post("/council/footer-pages/cookies/", {"body": "   "})
    html = response.content.decode()
    assert response.status_code == 400 and "Enter the page&#x27;s text" in html and "govuk-error-summary" in html
    assert "sessionid" in SitePage.objects.get(authority=authority, kind="cookies").body


@pytest.mark.parametrize("role", [Role.PARENT, Role.COMMISSIONER, Role.OFFICER])
def test_only_administrators_change_the_pages(client, authority, role):
    sign_in(client, make_user(authority, role))
    assert client.get("/council/footer-pages/").status_code == 403
    assert client.post("/council/footer-pages/privacy/", {"body": "Nothing"}).status_code == 403
    assert "Nothing" not in SitePage.objects.get(authority=authority, kind="privacy").body


def test_an_administrator_of_another_authority_changes_only_their_own(client, authority, other_authority):
    sign_in(client, make_user(other_authority, Role.ADMINISTRATOR))
    # The request's host picks the authority; this one is not theirs, so they hold no role here.
    assert client.post("/council/footer-pages/privacy/", {"body": "Nothing"}).status_code == 403


def test_the_text_cannot_carry_html_or_script_links():
    html = as_html('<script>alert(1)</script>\n\n[click](javascript:alert(1)) <b>bold</b>')
    assert "<script>" not in html and "<b>" not in html and "&lt;script&gt;" in html
    assert "href" not in html  # the javascript: link stays text


def test_a_page_still_in_the_old_starting_words_gains_the_links(authority):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("shortbreaks.core.migrations.0004_site_pages_links")
    old = (
        "## Your rights\n\nYou can ask for a copy of what we hold about you, ask us to correct it, or ask us to "
        "erase it where the law allows. If you are unhappy with how we use your information, you can complain "
        "to the Information Commissioner's Office (ico.org.uk, 0303 123 1113)."
    )
    SitePage.objects.filter(authority=authority, kind="privacy").update(body=old)
    SitePage.objects.filter(authority=authority, kind="cookies").update(body="Our own words.")
    migration.link_the_starting_words(apps, None)
    body = SitePage.objects.get(authority=authority, kind="privacy").body
    assert "](/family/information/)" in body and "](https://ico.org.uk/make-a-complaint/) on 0303 123 1113." in body
    assert SitePage.objects.get(authority=authority, kind="cookies").body == "Our own words."


def test_the_open_data_publication_policy_is_the_councils_and_linked_where_open_data_is(
    client, authority, administrator
):
    """The page the OCDS data's publicationPolicy names: public, in the footer and on the data
    sources page, in the council's words, which its administrators change like the others."""
    home = client.get("/").content.decode()
    assert 'href="/open-data/publication-policy/"' in home
    assert 'href="/open-data/publication-policy/"' in client.get("/data-sources/").content.decode()
    page = client.get("/open-data/publication-policy/").content.decode()
    assert "Open data publication policy" in page and "Open Government Licence v3.0" in page
    assert 'href="/api/ocds/releases"' in page and authority.name in page
    sign_in(client, administrator)
    assert "/council/footer-pages/publication_policy/" in client.get("/council/footer-pages/").content.decode()
    client.post("/council/footer-pages/publication_policy/", {"body": "We publish weekly."})
    client.logout()
    assert "We publish weekly." in client.get("/open-data/publication-policy/").content.decode()


def test_authorities_made_before_the_policy_page_get_it_from_the_migration(authority, other_authority):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("shortbreaks.core.migrations.0006_publication_policy_page")
    SitePage.objects.filter(authority=authority, kind="publication_policy").delete()
    SitePage.objects.filter(authority=other_authority, kind="publication_policy").update(body="Our own words.")
    migration.policy_for_existing_authorities(apps, None)
    assert authority.name in SitePage.objects.get(authority=authority, kind="publication_policy").body
    assert SitePage.objects.get(authority=other_authority, kind="publication_policy").body == "Our own words."
