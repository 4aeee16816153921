import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from shortbreaks.bookings.rush import forget_full
from shortbreaks.core.middleware import forget_authorities
from shortbreaks.core.models import Authority
from shortbreaks.core.roles import Role
from shortbreaks.directory import reference
from shortbreaks.directory.models import (
    ProviderEvent,
    Taxonomy,
    TaxonomyTerm,
)

from .clock import NOW
from .factories import make_bidders, make_borough, make_organisation, make_user
from .storage import s3_endpoint, storage_backend  # noqa: F401 - both file stores, for upload tests


@pytest.fixture(autouse=True)
def clock():
    """Every test runs on the suite's fixed clock (tests/clock.py); move it with clock.move_to()."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _one_recipient_per_message():
    """Every email any test sends goes to one person (no outside organisation or family ever
    sees who else was written to), says why they got it, and links only to absolute addresses.
    Checked after every test in the suite."""
    yield
    import re

    from django.core import mail

    outbox = getattr(mail, "outbox", [])
    shared = [m for m in outbox if len(m.recipients()) != 1]
    assert not shared, "emails with more than one recipient: " + "; ".join(
        f"{m.subject!r} to {m.recipients()}" for m in shared
    )
    unexplained = [m.subject for m in outbox if "Why you got this email:" not in m.body]
    assert not unexplained, f"emails that do not say why the person got them: {unexplained}"
    relative = [m.subject for m in outbox if re.search(r"(?<![\w/.:])/(?:[a-z-]+/)+[\w/-]*", m.body)]
    assert not relative, f"emails with a link that is not absolute: {relative}"


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_authority_cache():
    forget_authorities()
    forget_full()
    yield
    forget_authorities()
    forget_full()


@pytest.fixture
def taxonomies(db):
    """Reference vocabularies (re-installed: transactional tests flush the tables)."""
    reference.install(Taxonomy, TaxonomyTerm)
    return {t.code: t for t in TaxonomyTerm.objects.all()}


@pytest.fixture
def authority(db, taxonomies):
    return Authority.objects.create(
        slug="dovebridge", name="Dovebridge Borough Council", hostnames="testserver,localhost,127.0.0.1"
    )


@pytest.fixture
def other_authority(db, taxonomies):
    return Authority.objects.create(slug="kestrel", name="Kestrel County Council", hostnames="kestrel.test")


@pytest.fixture
def organisation(authority):
    return make_organisation(authority)


@pytest.fixture
def other_organisation(authority):
    return make_organisation(authority, name="Kingfisher Care Ltd", kind="private")


@pytest.fixture
def commissioner(authority):
    return make_user(authority, Role.COMMISSIONER, email="commissioner@example.org")


@pytest.fixture
def provider(authority, organisation):
    return make_user(authority, Role.PROVIDER, organisation=organisation, email="provider@example.org")


@pytest.fixture
def other_provider(authority, other_organisation):
    return make_user(authority, Role.PROVIDER, organisation=other_organisation, email="provider-b@example.org")


@pytest.fixture
def parent(authority):
    return make_user(authority, Role.PARENT, email="parent@example.org")


@pytest.fixture
def officer(authority):
    return make_user(authority, Role.OFFICER, email="officer@example.org")


@pytest.fixture
def rule(authority, commissioner):
    """The default allocation rule, in force."""
    from shortbreaks.families.default_rule import DEFAULT_SPEC
    from shortbreaks.families.services.allocation import rule_draft_create, rule_publish

    draft = rule_draft_create(
        authority=authority,
        created_by=commissioner,
        name="Short breaks allocation",
        spec=DEFAULT_SPEC,
        annual_budget=Decimal("250000"),
    )
    return rule_publish(rule=draft, published_by=commissioner)


@pytest.fixture
def event(authority, commissioner):
    starts = timezone.now() + dt.timedelta(days=10)
    return ProviderEvent.objects.create(
        authority=authority,
        title="Provider day",
        description="Come and hear about holiday schemes.",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        venue="Council House",
        places=2,
        registration_closes_at=starts - dt.timedelta(days=1),
        created_by=commissioner,
    )


@pytest.fixture
def policy(authority, commissioner):
    from shortbreaks.families.eligibility import default_criteria
    from shortbreaks.families.services.eligibility import policy_publish

    return policy_publish(
        authority=authority,
        summary="Targeted short breaks are for disabled children who need extra support.",
        criteria=default_criteria(["DE1", "DE22"]),
        automatic="all_met_with_ehcp",
        published_by=commissioner,
    )


@pytest.fixture
def bidders(authority):
    return make_bidders(authority)


@pytest.fixture
def borough(authority, parent):
    """DE22: three autistic children (one aged 17), one session of 4 places in a holiday, one
    of 2 places in term; DE1: one child with a learning disability and no supply."""
    return make_borough(authority, parent)
