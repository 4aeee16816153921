from shortbreaks.accounts.models import User
from shortbreaks.bookings.models import BookingPolicy
from shortbreaks.contracts.models import MonitoringPolicy
from shortbreaks.core.models import AuditEvent, Authority, SitePage
from shortbreaks.demo.directory import load_demo
from shortbreaks.directory.models import (
    CommissioningIntention,
    EventRegistration,
    ListingChange,
    OpportunitySubscription,
    Organisation,
    ProviderEvent,
    ProviderSupport,
    Service,
    StrategyDocument,
)
from shortbreaks.procurement.models import ProcurementPolicy

BREAK_KINDS = {"day", "evening", "overnight", "weekend", "school-holiday", "at-home", "community"}


def published_services():
    return sorted(Service.objects.filter(is_published=True).values_list("name", "minimum_age", "maximum_age"))


def wipe():
    for model in (
        ListingChange,
        EventRegistration,
        ProviderEvent,
        CommissioningIntention,
        StrategyDocument,
        OpportunitySubscription,
        ProviderSupport,
        AuditEvent,
        Service,
        User,
        Organisation,
        BookingPolicy,  # each app's policy, made with the authority
        ProcurementPolicy,
        MonitoringPolicy,
        SitePage,  # its footer pages, made with it too
        Authority,
    ):
        model.objects.all().delete()


def test_demo_is_varied_and_deterministic(taxonomies):
    load_demo(seed=7, scale=1)
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert Organisation.objects.filter(registration=Organisation.Registration.APPROVED).count() == 60
    assert Organisation.objects.filter(registration=Organisation.Registration.PENDING).count() == 1
    assert kinds == {"voluntary", "private", "in_house", "health", "social_enterprise"}
    services = Service.objects.filter(is_published=True)
    assert services.count() > 100
    assert set(services.values_list("break_kinds__code", flat=True)) == BREAK_KINDS
    assert len(set(services.values_list("needs__code", flat=True))) == 10
    first_run = published_services()
    wipe()
    load_demo(seed=7, scale=1)
    assert published_services() == first_run


import pytest  # noqa: E402


@pytest.mark.django_db(transaction=True)
def test_the_demo_command_loads_every_capability_as_in_real_use(taxonomies):
    """Real transactions (no test wrapper), so a service's durable transaction nested in the
    loader's would fail here as it would for someone running the quick start."""
    from django.core.management import call_command

    from shortbreaks.assistants.models import Assistant
    from shortbreaks.bookings.models import RequestRound, Scheme, Session
    from shortbreaks.procurement.models import Membership, Opportunity, Submission

    call_command("load_demo", "--children", "20", stdout=__import__("io").StringIO())
    assert Session.objects.filter(transport_seats__gt=0).exists() and Scheme.objects.count() == 2
    assert RequestRound.objects.filter(status="collecting").count() == 1
    assert Assistant.objects.filter(status="vetted").count() == 4
    assert set(Opportunity.objects.values_list("route", "status")) == {
        ("open", "open"),
        ("dynamic_list", "open"),
        ("framework", "draft"),
        ("block", "awarded"),
    }
    assert Submission.objects.filter(status="submitted").count() == 4
    assert Membership.objects.filter(status="admitted").count() == 1

    from shortbreaks.contracts.models import ContractReturn, DecommissioningPlan, Feedback, Payment, QualityVisit

    assert ContractReturn.objects.filter(status="approved").count() >= 2
    assert ContractReturn.objects.filter(status="submitted", places_booked__gt=0).count() == 1
    assert Payment.objects.filter(kind="return").exists() and QualityVisit.objects.count() == 1
    assert Feedback.objects.filter(review="published").count() == 1
    assert DecommissioningPlan.objects.get().affected.exists()
    from django.test import Client

    from .ocds_schemas import package_validator

    package = Client().get("/api/ocds/releases").json()
    package_validator().validate(package)
    assert {"contract", "implementation"} <= {tag for r in package["releases"] for tag in r["tag"]}

    # The demo's staff sign in with the password and the code demo_code prints, with no email.
    import io

    from shortbreaks.demo.directory import DEMO_PASSWORD

    out = io.StringIO()
    call_command("demo_code", "commissioner@dovebridge.example", stdout=out)
    client = Client()
    client.post("/accounts/sign-in/", {"username": "commissioner@dovebridge.example", "password": DEMO_PASSWORD})
    response = client.post("/accounts/two-factor/", {"code": out.getvalue().strip(), "next": "/insight/"})
    assert response.status_code == 302 and response.url == "/insight/"
