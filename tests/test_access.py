"""Every view declares who may see it, and the declarations hold."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import URLPattern, URLResolver, get_resolver

from shortbreaks.accounts.models import RoleAssignment
from shortbreaks.core.roles import Role

from .factories import make_user, sign_in

# Views that are not ours to declare: Django's admin (staff accounts only, by Django), the
# Open Referral UK API (public by standard), the bookings API (parents only) and the OCDS API
# (public, published notices only): the last two declared on their NinjaAPI objects and checked
# by tests/test_access_matrix.py.
UNDECLARED_NAMESPACES = {"admin", "oruk", "bookings-api", "ocds"}


def walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace, pattern.callback


def test_every_view_declares_who_may_see_it():
    undeclared = [
        route
        for route, namespace, view in walk(get_resolver().url_patterns)
        if namespace not in UNDECLARED_NAMESPACES and not hasattr(view, "access")
    ]
    assert undeclared == []


PROTECTED = {
    "/provider/": {Role.PROVIDER},
    "/provider/organisation/": {Role.PROVIDER},
    "/provider/services/new/": {Role.PROVIDER},
    "/provider/subscriptions/": {Role.PROVIDER},
    "/manage/": {Role.COMMISSIONER},
    "/manage/organisations/": {Role.COMMISSIONER},
    "/manage/intentions/new/": {Role.COMMISSIONER},
    "/manage/documents/new/": {Role.COMMISSIONER},
    "/manage/events/new/": {Role.COMMISSIONER},
    "/family/": {Role.PARENT, Role.YOUNG_PERSON},
    "/me/": {Role.YOUNG_PERSON},
    "/caseload/": {Role.OFFICER},
    "/caseload/applications/": {Role.OFFICER},
    "/family/children/new/": {Role.PARENT},
    "/eligibility/check/": {Role.PROVIDER},
    "/allocation-rules/": {Role.COMMISSIONER},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("path", list(PROTECTED))
def test_role_pages_admit_only_their_roles(client, authority, organisation, path, role):
    user = make_user(authority, role, organisation=organisation if role == Role.PROVIDER else None)
    sign_in(client, user)
    expected = 200 if role in PROTECTED[path] else 403
    assert client.get(path).status_code == expected


@pytest.mark.parametrize("path", list(PROTECTED))
def test_anonymous_people_are_sent_to_sign_in(client, authority, path):
    response = client.get(path)
    assert response.status_code == 302 and response.url.startswith("/accounts/sign-in/")


def test_roles_do_not_carry_across_authorities(client, authority, other_authority):
    sign_in(client, make_user(other_authority, Role.COMMISSIONER))
    assert client.get("/manage/").status_code == 403
    assert client.get("/manage/", HTTP_HOST="kestrel.test").status_code == 200


def test_public_pages_carry_a_strict_content_security_policy(client, authority):
    response = client.get("/services/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert b"<script>" not in response.content  # no inline script anywhere


def test_a_role_is_held_once(authority):
    user = make_user(authority, Role.COMMISSIONER)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, authority=authority, role=Role.COMMISSIONER)
