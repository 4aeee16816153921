"""Demo procurement: an open two-lot tender with a parents' panel, bids from two demo providers
(sealed until its deadline), a dynamic list with one provider admitted, and a draft framework."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from shortbreaks.accounts.models import RoleAssignment, User
from shortbreaks.core.models import Authority
from shortbreaks.procurement.services import (
    application_decide,
    evaluator_add,
    lot_add,
    opportunity_create,
    opportunity_publish,
    panel_question_add,
    panel_share_set,
    question_add,
    submission_save,
    submission_submit,
)


def _provider(authority, email):
    user = User.objects.get(username=email)
    assignment = RoleAssignment.objects.filter(user=user, authority=authority).select_related("organisation").first()
    return user, assignment.organisation


def load_procurement(*, authority: Authority, seed: int, progress=lambda _: None) -> None:
    commissioner = User.objects.get(username="commissioner@dovebridge.example")
    panel = User.objects.get(username="panel@dovebridge.example")
    now = timezone.now()
    tender = opportunity_create(
        authority=authority,
        created_by=commissioner,
        reference="DBC-SB-2027-01",
        route="open",
        title="Short breaks in the school holidays, 2027 to 2031",
        description="Day and overnight short breaks in the school holidays for disabled children aged 5 to 18, in two "
        "areas of the borough. Families helped shape what we ask for.",
        clarification_deadline=now + dt.timedelta(days=14),
        submission_deadline=now + dt.timedelta(days=21),
        contract_start=(now + dt.timedelta(days=120)).date(),
        term_months=48,
    )
    for title, value in (("North Dovebridge", "240000"), ("South Dovebridge", "210000")):
        lot_add(
            opportunity=tender,
            title=title,
            description=f"Holiday short breaks in {title}.",
            value=Decimal(value),
            added_by=commissioner,
        )
    for text in (
        "Do you hold public liability insurance of at least £5 million?",
        "Do you have a safeguarding policy reviewed in the last year?",
    ):
        question_add(
            opportunity=tender,
            kind="selection",
            text=text,
            guidance="",
            weight=0,
            panel="officers",
            added_by=commissioner,
        )
    question_add(
        opportunity=tender,
        kind="award",
        text="How will you keep every child safe, including children who need one-to-one or two-to-one support?",
        guidance="10: a clear plan for each level of need.",
        weight=40,
        panel="officers",
        added_by=commissioner,
    )
    question_add(
        opportunity=tender,
        kind="award",
        text="How will you recruit, train and keep your staff?",
        guidance="",
        weight=30,
        panel="officers",
        added_by=commissioner,
    )
    tender = panel_share_set(opportunity=tender, panel="parents", share=30, set_by=commissioner)
    panel_evaluator = evaluator_add(
        opportunity=tender, user=panel, panel="parents", is_moderator=False, added_by=commissioner
    )
    panel_question_add(
        evaluator=panel_evaluator,
        text="How will my child have fun, make friends and try new things?",
        guidance="Children choose what they do, and staff know them.",
        weight=30,
    )
    # An officer scores with the commissioner, who moderates (never the only officer evaluating).
    officer = User.objects.get(username="officer@dovebridge.example")
    evaluator_add(opportunity=tender, user=officer, panel="officers", is_moderator=False, added_by=commissioner)
    evaluator_add(opportunity=tender, user=commissioner, panel="officers", is_moderator=True, added_by=commissioner)
    tender = opportunity_publish(opportunity=tender, published_by=commissioner)
    for email, price in (("provider@dovebridge.example", "228000"), ("provider2@dovebridge.example", "199500")):
        user, organisation = _provider(authority, email)
        lot = tender.lots.get(number=1)
        draft = submission_save(
            opportunity=tender,
            lot=lot,
            organisation=organisation,
            price=Decimal(price),
            saved_by=user,
            answers={
                str(q.pk): f"{organisation.name}'s answer: we will do this by ..." for q in tender.questions.all()
            },
        )
        submission_submit(submission=draft, submitted_by=user)

    dynamic = opportunity_create(
        authority=authority,
        created_by=commissioner,
        reference="DBC-DL-01",
        route="dynamic_list",
        price_formula="none",
        title="Approved providers of community short breaks",
        description="Providers meeting the criteria can join at any time and be booked by families and the council.",
    )
    lot_add(
        opportunity=dynamic,
        title="Community short breaks",
        description="",
        value=Decimal("150000"),
        added_by=commissioner,
        max_providers=50,
    )
    question_add(
        opportunity=dynamic,
        kind="selection",
        text="Are you registered with Ofsted or the CQC where the law requires it?",
        guidance="",
        weight=0,
        panel="officers",
        added_by=commissioner,
    )
    dynamic = opportunity_publish(opportunity=dynamic, published_by=commissioner)
    user, organisation = _provider(authority, "provider3@dovebridge.example")
    application = submission_save(
        opportunity=dynamic,
        lot=dynamic.lots.get(),
        organisation=organisation,
        price=None,
        saved_by=user,
        answers={str(q.pk): "Yes, registered" for q in dynamic.questions.all()},
    )
    application_decide(
        submission=submission_submit(submission=application, submitted_by=user),
        decided_by=commissioner,
        admit=True,
        reasons="",
    )

    framework = opportunity_create(
        authority=authority,
        created_by=commissioner,
        reference="DBC-FW-2027",
        route="framework",
        title="Overnight short breaks framework",
        description="Overnight breaks, called off by the council and by families with budgets.",
        term_months=48,
    )
    lot_add(
        opportunity=framework,
        title="Overnight short breaks",
        description="",
        value=Decimal("600000"),
        added_by=commissioner,
        max_providers=4,
    )
    progress("procurement: an open tender with bids, a dynamic list, a draft framework")
