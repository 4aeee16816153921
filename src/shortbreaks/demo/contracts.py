"""Demo contracts: a block contract awarded last year, running for four months, with weekly
sessions families came to, KPIs, returns approved and paid (one waiting), a set-up payment, a
quality visit in draft, the year's budget, feedback (a published review with the provider's
reply), the named safeguarding officer and a decommissioning plan in progress."""

import datetime as dt
import random
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from shortbreaks.accounts.models import RoleAssignment, User
from shortbreaks.bookings.models import Booking, BookingGroup, Session
from shortbreaks.contracts.models import BudgetLine, Contract, ContractReturn, MonitoringPolicy
from shortbreaks.contracts.services.decommissioning import plan_create
from shortbreaks.contracts.services.feedback import feedback_give, feedback_moderate, feedback_reply
from shortbreaks.contracts.services.monitoring import (
    kpi_set,
    payment_record,
    period_place_hours,
    return_decide,
    return_submit,
    returns_schedule,
)
from shortbreaks.contracts.services.quality import visit_record
from shortbreaks.core.models import Authority
from shortbreaks.core.years import year_of
from shortbreaks.families.models import Child
from shortbreaks.procurement.models import (
    Answer,
    Award,
    ConflictDeclaration,
    Evaluator,
    Lot,
    Opportunity,
    Question,
    Score,
    Submission,
)
from shortbreaks.procurement.scoring import lot_results

from .dates import school_holidays, weekly_dates
from .fitting import Busy, demo_children, session_for, session_services


def load_contracts(*, authority: Authority, seed: int, progress=lambda _: None) -> None:
    rng = random.Random(seed + 6)
    commissioner = User.objects.get(username="commissioner@dovebridge.example")
    officer = User.objects.get(username="officer@dovebridge.example")
    parent = User.objects.get(username="parent@dovebridge.example")
    provider_user = User.objects.get(username="provider@dovebridge.example")
    organisation = RoleAssignment.objects.get(authority=authority, user=provider_user).organisation
    today = timezone.localdate()
    start = (today - relativedelta(months=4)).replace(day=1)
    # Clubs the demo parent's children are of the ages for first: she gives feedback on one.
    ours = demo_children(authority)
    services = sorted(
        session_services(authority, organisation=organisation),
        key=lambda s: not any(s.minimum_age <= c.age_on(today) <= s.maximum_age for c in ours),
    )[:2]
    with transaction.atomic():
        contract = _awarded_block_contract(authority, organisation, commissioner, officer, start)
        contract.services.set(services)
        _history(authority, services, officer, start, today, rng)
        MonitoringPolicy.objects.filter(authority=authority).update(
            # The named grown-up a child is told will read a concern is the README's safeguarding officer.
            safeguarding_officer_name="Grace Mensah",
            safeguarding_officer_email="safeguarding@dovebridge.example",
        )
        year = year_of(today)
        for kind, amount in (("procured", "1450000"), ("direct_payments", "620000"), ("grants", "85000")):
            BudgetLine.objects.create(authority=authority, year=year, kind=kind, amount=Decimal(amount))
    for measure, target in (("attendance", "85"), ("incidents", "1"), ("sessions", "4")):
        kpi_set(contract=contract, measure=measure, target=Decimal(target), set_by=commissioner)
    payment_record(
        contract=contract,
        kind="set_up",
        amount=Decimal("6000"),
        description="Set-up: a second minibus",
        approved_by=commissioner,
    )
    returns_schedule(today=today)
    returns = list(ContractReturn.objects.filter(contract=contract).order_by("period_start"))
    for n, ret in enumerate(returns):
        return_submit(
            contract_return=ret,
            submitted_by=provider_user,
            # In place-hours, the unit of the guarantee: what the bookings say, as the form offers.
            hours_delivered=period_place_hours(contract, ret.period_start, ret.period_end),
            incidents=rng.choice([0, 0, 1, 2]),
            complaints=0,
            amount_claimed=Decimal("10500"),
        )
        if n < len(returns) - 1:  # the latest waits for the commissioner
            return_decide(contract_return=ret, decided_by=commissioner, approve=True)
    visit_record(
        contract=contract,
        visited_on=today - dt.timedelta(days=3),
        visited_by=officer,
        scores={
            "Keeping children safe": 4,
            "Staffing, training and continuity": 3,
            "Activities, choice and fun": 4,
            "Premises, equipment and transport": 2,
            "Listening to children and families": 3,
        },
        evidence={"Premises, equipment and transport": "The changing bed in the hall is broken."},
    )
    if services:
        # About sessions her children went to, as the feedback form offers them: the first is
        # about Jay, her son (the comment says so), the other about Anaya if she went too.
        about = [_went(authority, ours[:1], services[0]), _went(authority, ours[1:] or ours, services[0])]
        review = feedback_give(
            service=services[0],
            given_by=parent,
            **about[0],
            enjoyed="great",
            felt_safe="yes",
            outcomes={"had_fun": True, "made_friends": True, "carer_had_break": True},
            comment="Staff really know our son, and he talks about his friends all week.",
            may_publish=True,
        )
        feedback_moderate(feedback=review, publish=True, moderated_by=commissioner)
        feedback_reply(feedback=review, reply="Thank you. He is a joy to have at the club.", replied_by=provider_user)
        feedback_give(
            service=services[0],
            given_by=parent,
            **about[1],
            enjoyed="okay",
            felt_safe="yes",
            outcomes={"learned_something": True, "carer_less_stressed": True},
            comment="Pick-up was late twice this month.",
        )
        _a_safeguarding_concern(parent)
        plan_create(
            service=services[-1],
            change="reduce",
            communications="Letters to each family, then a call.",
            reasons=f"Fewer families now come to {services[-1].name} than the contract pays for.",
            families_told_by=today + dt.timedelta(days=14),
            last_day=today + dt.timedelta(days=60),
            created_by=commissioner,
        )
    progress(
        "contracts: a block contract with returns and payments, a quality visit, budgets, feedback, "
        "a decommissioning plan"
    )


# The block tender's questions, what the bid said, and the agreed scores (a selection question
# is pass, 10, or fail, 0): (kind, number, weight, text, answer, agreed score).
BLOCK_QUESTIONS = (
    ("selection", 1, 0, "Do you hold public liability insurance of at least £5 million?", "Yes, £10 million.", 10),
    (
        "award",
        1,
        60,
        "How will children enjoy their clubs and make friends?",
        "Children choose the activities each term, with the same staff each week.",
        8,
    ),
    (
        "award",
        2,
        40,
        "How will you keep every child safe?",
        "A named lead, two staff trained in first aid at every session, and a plan for each child.",
        7,
    ),
)


def _a_safeguarding_concern(parent) -> None:
    """An alert for the safeguarding officer to open, act on and close: the demo parent tells us
    Anaya did not feel safe at one of her past breaks."""
    booking = (
        Booking.objects.filter(
            status=Booking.Status.ATTENDED, child__family__carers__user=parent, child__first_name="Anaya"
        )
        .select_related("child", "session__service")
        .order_by("-session__date")
        .first()
    )
    if booking is None:
        return
    feedback_give(
        service=booking.session.service,
        given_by=parent,
        child=booking.child,
        session=booking.session,
        enjoyed="okay",
        felt_safe="no",
        comment="Anaya came home upset. She said an older child pushed her at pick-up and nobody from the staff saw.",
    )


def _awarded_block_contract(authority, organisation, commissioner, officer, start: dt.date) -> Contract:
    """Last year's competition, recorded as it ended: opened, scored (an officer scoring, the
    commissioner moderating), awarded with the results' own total, and accepted."""
    now = timezone.now()
    past = now - dt.timedelta(days=200)
    tender = Opportunity.objects.create(
        authority=authority,
        reference="DBC-BLK-2026",
        route="block",
        status="awarded",
        created_by=commissioner,
        title="After-school and Saturday clubs (block contract)",
        description="Guaranteed places at after-school and Saturday clubs for disabled children.",
        clarification_deadline=past - dt.timedelta(days=20),
        submission_deadline=past - dt.timedelta(days=10),
        published_at=past - dt.timedelta(days=40),
        opened_at=past - dt.timedelta(days=9),
        award_date=past.date(),
        contract_start=start,
        term_months=36,
    )
    lot = Lot.objects.create(
        authority=authority,
        opportunity=tender,
        number=1,
        title="Clubs across the borough",
        value=Decimal("378000"),
        guaranteed_hours=2400,
    )
    bid = Submission.objects.create(
        authority=authority,
        opportunity=tender,
        lot=lot,
        organisation=organisation,
        status="submitted",
        price=Decimal("378000"),
        submitted_at=past - dt.timedelta(days=12),
    )
    scorer, moderator = (
        Evaluator.objects.create(
            authority=authority, opportunity=tender, user=user, panel="officers", is_moderator=moderating
        )
        for user, moderating in ((officer, False), (commissioner, True))
    )
    for evaluator in (scorer, moderator):
        ConflictDeclaration.objects.create(authority=authority, evaluator=evaluator, lot=lot, has_conflict=False)
    for kind, number, weight, text, answer, score in BLOCK_QUESTIONS:
        question = Question.objects.create(
            authority=authority, opportunity=tender, kind=kind, number=number, text=text, weight=weight
        )
        Answer.objects.create(submission=bid, question=question, text=answer)
        Score.objects.create(
            authority=authority,
            evaluator=scorer,
            submission=bid,
            question=question,
            score=score,
            justification="Met what the question asked for.",
        )
        Score.objects.create(
            authority=authority,
            evaluator=moderator,
            submission=bid,
            question=question,
            score=score,
            justification="Agreed with the evaluator's score and reason.",
            moderated=True,
        )
    (winner,) = lot_results(lot)  # the award's total is the results table's
    award = Award.objects.create(
        authority=authority,
        lot=lot,
        submission=bid,
        total=winner.total,
        status="confirmed",
        standstill_ends_on=past.date() + dt.timedelta(days=12),
        decided_by=commissioner,
    )
    # Decided on the award date, not today (decided_at is set on creation), so the contract
    # signed a fortnight later is signed after its award, as in the open data.
    Award.objects.filter(pk=award.pk).update(decided_at=past)
    award.decided_at = past
    contract = Contract.objects.create(
        authority=authority,
        reference="DBC-BLK-2026-L1",
        title=f"{tender.title}, lot 1",
        kind=Contract.Kind.BLOCK,
        organisation=organisation,
        opportunity=tender,
        lot=lot,
        award=award,
        value=Decimal("378000"),
        guaranteed_hours=2400,
        starts_on=start,
        ends_on=start + relativedelta(months=36) - dt.timedelta(days=1),
        status=Contract.Status.ACTIVE,
        answered_at=past + dt.timedelta(days=14),
        answered_by=commissioner,
        extensions_left_months=24,
        break_clause="Either side, with six months' notice",
    )
    # Offered the day after the award (offered_at too is set on creation), accepted 13 days on.
    Contract.objects.filter(pk=contract.pk).update(offered_at=past + dt.timedelta(days=1))
    contract.offered_at = past + dt.timedelta(days=1)
    return contract


def _went(authority, children, service) -> dict:
    """The newest session of the service one of the children attended, for feedback on it."""
    booking = (
        Booking.objects.filter(
            authority=authority, child__in=children, session__service=service, status=Booking.Status.ATTENDED
        )
        .select_related("session", "child")
        .order_by("-session__date")
        .first()
    )
    return {"child": booking.child, "session": booking.session} if booking else {}


def _history(authority, services, booked_by, start: dt.date, today: dt.date, rng) -> None:
    """Weekly sessions since the contract began, on each service's schedule, with children of
    the caseload of the right ages attending (free: the contract pays for the places), the
    demo parent's among them, so the feedback she gave is on a club her children go to."""
    ours = demo_children(authority)  # the demo parent's children went too, when of the ages
    others = Child.objects.filter(authority=authority).exclude(pk__in=[c.pk for c in ours])
    children = list(others.order_by("last_name", "first_name", "family__reference"))
    if not services or not children:
        return
    holidays = school_holidays(today)
    # Nobody is booked at two sessions at once, the history's included; and a day the history
    # has the club running already is not run twice.
    busy = Busy.of_bookings(Booking.objects.filter(authority=authority, session__date__gte=start))
    for service in services:
        ran = set(Session.objects.filter(service=service, date__gte=start).values_list("date", flat=True))
        for day in weekly_dates(service.schedule, service.kind, holidays, start, today - dt.timedelta(days=1)):
            if day in ran:
                continue
            session = session_for(service, day, support_staff=2, price=Decimal("0"), tier="universal")
            session.save()
            group = BookingGroup.objects.create(
                authority=authority, booked_by=booked_by, idempotency_key=f"demo-{session.pk}"
            )
            fitting = [c for c in children if session.minimum_age <= c.age_on(day) <= session.maximum_age][:24]
            came = [
                c
                for c in ours
                if session.minimum_age <= c.age_on(day) <= session.maximum_age and busy.take(c.pk, session)
            ]
            others, wanted = [], min(rng.randint(7, 11), session.places - len(came))
            for child in rng.sample(fitting, len(fitting)):
                if len(others) < wanted and busy.take(child.pk, session):
                    others.append(child)
            Booking.objects.bulk_create(
                [
                    Booking(authority=authority, group=group, session=session, child=c, price=0, status="attended")
                    for c in came
                ]
                + [
                    Booking(
                        authority=authority,
                        group=group,
                        session=session,
                        child=child,
                        price=Decimal("0"),
                        status=rng.choices(["attended", "no_show", "cancelled"], weights=[85, 8, 7])[0],
                    )
                    for child in others
                ]
            )
