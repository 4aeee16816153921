"""Demo procurement: an open two-lot tender with a parents' panel, a clarification answered and
its deadline moved after it was published (tender amendments in the open data), bids from two
demo providers (sealed until its deadline), a dynamic list with one provider admitted, and a
draft framework announced ahead of its tender."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from govuk_bank_holidays.bank_holidays import BankHolidays

from shortbreaks.accounts.models import RoleAssignment, User
from shortbreaks.core.models import Authority
from shortbreaks.procurement.services import (
    application_decide,
    clarification_answer,
    clarification_ask,
    evaluator_add,
    lot_add,
    opportunity_announce,
    opportunity_create,
    opportunity_publish,
    opportunity_update,
    panel_question_add,
    panel_share_set,
    question_add,
    submission_save,
    submission_submit,
)

# The two bidders' answers to the open tender, by question, as evaluators read them: blind, so
# no answer names its bidder, and each reads differently.
TENDER_ANSWERS = {
    "Do you hold public liability insurance of at least £5 million?": (
        "Yes. We hold public liability insurance of £10 million, renewed each April with the same insurer.",
        "Yes, £5 million of public liability cover and £5 million of employer's liability, both current.",
    ),
    "Do you have a safeguarding policy reviewed in the last year?": (
        "Yes. Our trustees reviewed the policy in March and it follows the safeguarding partnership's procedures.",
        "Yes, reviewed last September after a case review, with a named designated safeguarding lead at each site.",
    ),
    "How will you keep every child safe, including children who need one-to-one or two-to-one support?": (
        "Before a child's first session we visit the family at home and write a support plan with them, setting the"
        " staffing each activity needs. Children with one-to-one or two-to-one support keep the same workers each"
        " week, and a senior worker checks ratios at every handover. Staff are trained in positive behaviour support"
        " and two on every shift hold paediatric first aid and medication training.",
        "Each session has a shift lead who is not counted in the ratios and who checks each child's plan at the"
        " start of the day. Children needing two-to-one support are matched with a consistent pair of workers, with"
        " a third trained as cover. We record incidents on the day, review them weekly and share what we learn with"
        " families. Our buildings are risk-assessed each term, including the quiet rooms.",
    ),
    "How will you recruit, train and keep your staff?": (
        "We recruit locally through colleges and parent networks, with enhanced DBS checks and two references"
        " before anyone starts. New staff shadow for four sessions, then complete a twelve-week induction covering"
        " autism, communication aids and moving and handling. We pay above the Real Living Wage and our turnover"
        " last year was 14%.",
        "Most of our workers are sessional, so we offer guaranteed minimum hours to keep a settled team. Training"
        " includes Makaton, epilepsy awareness and personal care, refreshed every year, and each worker has"
        " supervision every six weeks. Half our team leaders started as sessional workers with us.",
    ),
    "How will my child have fun, make friends and try new things?": (
        "Children help plan each holiday's programme: climbing, cooking, music and trips to the coast. Groups are"
        " kept small so friendships can form, and we tell families what their child enjoyed each day.",
        "Each child has a 'try something new' goal chosen with them, like swimming or riding a bike. We keep"
        " friendship groups together from week to week and photos go home to families through the term.",
    ),
}


def _provider(authority, email):
    user = User.objects.get(username=email)
    assignment = RoleAssignment.objects.filter(user=user, authority=authority).select_related("organisation").first()
    return user, assignment.organisation


def _noon_on_a_working_day(*, days: int) -> dt.datetime:
    """A deadline as a commissioner sets one: noon on the first working day at least `days` from
    today (never Christmas Day at the minute the demo was loaded)."""
    holidays = BankHolidays(use_cached_holidays=True)
    day = holidays.get_next_work_day(
        division=BankHolidays.ENGLAND_AND_WALES, date=timezone.localdate() + dt.timedelta(days=days - 1)
    )
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


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
        clarification_deadline=_noon_on_a_working_day(days=14),
        submission_deadline=_noon_on_a_working_day(days=21),
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
    # A provider asks, the council answers for everyone, and gives bidders another week.
    asker, asking = _provider(authority, "provider2@dovebridge.example")
    clarification_answer(
        clarification=clarification_ask(
            opportunity=tender,
            organisation=asking,
            question="Can one provider bid for both lots?",
            asked_by=asker,
        ),
        answer="Yes. Bid for each lot separately; each lot is evaluated on its own.",
        answered_by=commissioner,
    )
    tender = opportunity_update(
        opportunity=tender, updated_by=commissioner, submission_deadline=_noon_on_a_working_day(days=28)
    )
    for bidder, (email, price) in enumerate(
        (("provider@dovebridge.example", "228000"), ("provider2@dovebridge.example", "199500"))
    ):
        user, organisation = _provider(authority, email)
        lot = tender.lots.get(number=1)
        draft = submission_save(
            opportunity=tender,
            lot=lot,
            organisation=organisation,
            price=Decimal(price),
            saved_by=user,
            answers={str(q.pk): TENDER_ANSWERS[q.text][bidder] for q in tender.questions.all()},
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
    # Announced to the market ahead of its tender: a planning release in the open data.
    opportunity_announce(opportunity=framework, announced_by=commissioner)
    progress("procurement: an open tender with bids, a dynamic list, a draft framework announced")
