"""The demo caseload for Dovebridge: families and children with varied needs, assessments under
the default rule, allocations, budget accounts and ledger histories. Bulk-inserted so that tens
of thousands of children load in seconds (bench/allocation_whatif.py uses it)."""

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shortbreaks.accounts.models import User
from shortbreaks.core.models import Authority
from shortbreaks.demo import words
from shortbreaks.directory.models import Taxonomy, TaxonomyTerm
from shortbreaks.families.default_rule import DEFAULT_SPEC
from shortbreaks.families.eligibility import check_criteria, default_criteria
from shortbreaks.families.models import (
    Allocation,
    AllocationRule,
    Assessment,
    BudgetAccount,
    Carer,
    Child,
    Eligibility,
    EligibilityApplication,
    EligibilityPolicy,
    Family,
    LedgerEntry,
)
from shortbreaks.families.rules import evaluate
from shortbreaks.families.services.budget import EFFECTS

CHILDREN_PER_SCALE = 300
DISTRICTS = ["DE1", "DE3", "DE21", "DE22", "DE23", "DE24", "DE55", "DE56", "DE65", "DE7", "DE72", "DE73"]
UNIT = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a postcode's unit may use
Kind = LedgerEntry.Kind


def _answers(rng: random.Random) -> dict[str, str]:
    """Most children have moderate needs; some very high, some low (a realistic spread)."""
    severity = rng.choices([0, 1, 2, 3], weights=[30, 35, 25, 10])[0]
    answers = {}
    for question in DEFAULT_SPEC["questions"]:
        options = question["answers"]
        index = min(len(options) - 1, max(0, severity + rng.choice([-1, 0, 0, 1])))
        answers[question["code"]] = options[index]["code"]
    return answers


class CaseloadLoader:
    def __init__(self, *, authority: Authority, seed: int, children: int, progress: Callable[[str], None]):
        self.authority = authority
        self.rng = random.Random(seed + 1)
        self.children_wanted = children
        self.progress = progress
        self.needs = list(TaxonomyTerm.objects.filter(taxonomy__code=Taxonomy.NEEDS))

    @transaction.atomic
    def run(self) -> None:
        rng, authority = self.rng, self.authority
        commissioner = User.objects.get(username="commissioner@dovebridge.example")
        officer = User.objects.get(username="officer@dovebridge.example")
        rule = AllocationRule.objects.create(
            authority=authority,
            version=1,
            name="Dovebridge short breaks allocation",
            spec=DEFAULT_SPEC,
            # About £2,000 a child on the caseload.
            annual_budget=Decimal(2000) * self.children_wanted,
            status=AllocationRule.Status.PUBLISHED,
            created_by=commissioner,
            published_by=commissioner,
            published_at=timezone.now(),
        )
        policy = EligibilityPolicy.objects.create(
            authority=authority,
            version=1,
            status=EligibilityPolicy.Status.PUBLISHED,
            published_at=timezone.now(),
            summary=(
                "Targeted short breaks are for disabled children and young people who need more support than "
                "other children their age to enjoy activities, and whose families need a break."
            ),
            criteria=default_criteria(DISTRICTS),
            automatic=EligibilityPolicy.Automatic.ALL_MET_WITH_EHCP,
        )
        today = timezone.localdate()
        families, carers, children, need_links = [], [], [], []
        eligibilities = []
        assessments, allocations, accounts, entries = [], [], [], []
        demo_parent = User.objects.filter(username="parent@dovebridge.example").first()
        young_person = User.objects.filter(username="young.person@dovebridge.example").first()
        made, next_report = 0, self.children_wanted // 10
        while made < self.children_wanted:
            surname = rng.choice(words.LAST_NAMES)
            if not families and demo_parent is not None:
                surname = demo_parent.full_name.split()[-1]  # the demo parent's own family
            family = Family(
                authority=authority,
                reference=f"F-{len(families) + 1:06d}",
                home_postcode=f"{rng.choice(DISTRICTS)} {rng.randint(1, 9)}{rng.choice(UNIT)}{rng.choice(UNIT)}",
                preferred_contact=rng.choice(list(Family.Contact)),
                consent_to_share=rng.random() < 0.8,
            )
            families.append(family)
            carer_user = demo_parent if len(families) == 1 else None
            carers.append(
                Carer(
                    family=family,
                    user=carer_user,
                    full_name=carer_user.full_name if carer_user else f"{rng.choice(words.FIRST_NAMES)} {surname}",
                    relationship=rng.choice(["Mother", "Father", "Grandparent", "Foster carer"]),
                    email=carer_user.email if carer_user else f"family{len(families)}@example.org",
                )
            )
            for _ in range(rng.choices([1, 2, 3], weights=[75, 20, 5])[0]):
                if made >= self.children_wanted:
                    break
                born = today - dt.timedelta(days=rng.randint(2 * 365, 19 * 365))
                child = Child(
                    authority=authority,
                    family=family,
                    first_name=rng.choice(words.FIRST_NAMES),
                    last_name=surname,
                    date_of_birth=born,
                    has_ehc_plan=rng.random() < 0.6,
                    school=rng.choice(
                        [
                            "Dovebridge Special School",
                            "Mickleford Primary",
                            "Chaddow Academy",
                            "Oakwood School",
                            "Home educated",
                        ]
                    ),
                    communication_needs=rng.choice(
                        [
                            "",
                            "Uses Makaton and a few words",
                            "Uses an iPad with symbols",
                            "Speaks in short sentences; needs time to answer",
                        ]
                    ),
                    medical_needs=rng.choice(
                        [
                            "",
                            "",
                            "Epilepsy: rescue medication (buccal midazolam)",
                            "Gastrostomy feeds",
                            "Asthma inhaler",
                        ]
                    ),
                    sex=rng.choices(list(Child.Sex), weights=[38, 57, 5])[0],
                    ethnicity=rng.choices(list(Child.Ethnicity), weights=[12, 6, 5, 70, 3, 4])[0],
                )
                if carer_user is not None and not any(c.family is family for c in children):
                    # The demo parent's eldest is Jay, 15, who has his own account (young.person@).
                    child.first_name = "Jay"
                    child.date_of_birth = dt.date(today.year - 15, today.month, 1) - dt.timedelta(days=40)
                    child.user = young_person
                children.append(child)
                need_links += [
                    Child.needs.through(child_id=child.id, taxonomyterm_id=t.id)
                    for t in rng.sample(self.needs, k=rng.randint(1, 3))
                ]
                answers = _answers(rng)
                if child.user is not None:
                    # Jay's needs are moderate, so his page shows a real allocation beside his outings.
                    answers = {
                        q["code"]: q["answers"][min(2, len(q["answers"]) - 1)]["code"]
                        for q in DEFAULT_SPEC["questions"]
                    }
                assessed_on = today - dt.timedelta(days=rng.randint(10, 330))
                assessment = Assessment(
                    authority=authority,
                    child=child,
                    rule=rule,
                    answers=answers,
                    assessed_on=assessed_on,
                    assessor=officer,
                )
                assessments.append(assessment)
                outcome = evaluate(DEFAULT_SPEC, answers)
                allocation = Allocation(
                    authority=authority,
                    child=child,
                    assessment=assessment,
                    rule=rule,
                    total_points=outcome.total_points,
                    band_code=outcome.band["code"],
                    band_name=outcome.band["name"],
                    tier=outcome.band["tier"],
                    annual_amount=outcome.annual_amount,
                    annual_hours=outcome.band["annual_hours"],
                    period_start=assessed_on,
                    period_end=assessed_on + dt.timedelta(days=365),
                    explanation=[
                        {"question": line.question, "answer": line.answer, "points": line.points}
                        for line in outcome.lines
                    ],
                    granted_by=officer,
                )
                allocations.append(allocation)
                if rng.random() < 0.8:
                    valid_from = today - dt.timedelta(days=rng.randint(0, 360))
                    eligibilities.append(
                        Eligibility(
                            authority=authority,
                            child=child,
                            policy=policy,
                            tier="targeted",
                            valid_from=valid_from,
                            expires_on=valid_from + dt.timedelta(days=365),
                        )
                    )
                if outcome.annual_amount > 0:
                    account, history = self._account(child, allocation, officer)
                    accounts.append(account)
                    entries += history
                made += 1
            if made >= next_report:
                self.progress(f"caseload: {made} of {self.children_wanted} children")
                next_report += max(1, self.children_wanted // 10)
        for model, rows in (
            (Family, families),
            (Carer, carers),
            (Child, children),
            (Child.needs.through, need_links),
            (Assessment, assessments),
            (Allocation, allocations),
            (BudgetAccount, accounts),
            (LedgerEntry, entries),
            (Eligibility, eligibilities),
        ):
            model.objects.bulk_create(rows, batch_size=2000)
        self._waiting_applications(policy, today)
        self.progress(
            f"caseload: {len(children)} children in {len(families)} families, "
            f"{len(accounts)} budget accounts, {len(entries)} ledger entries"
        )

    def _waiting_applications(self, policy: EligibilityPolicy, today: dt.date) -> None:
        """A few new families whose applications wait for the demo officer."""
        rng = self.rng
        for n in range(3):
            family = Family.objects.create(
                authority=self.authority, reference=f"F-9{n:05d}", home_postcode=f"{rng.choice(DISTRICTS)} 1AB"
            )
            Carer.objects.create(
                family=family,
                full_name=f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}",
                email=f"applicant{n}@example.org",
            )
            child = Child.objects.create(
                authority=self.authority,
                family=family,
                first_name=rng.choice(words.FIRST_NAMES),
                last_name=rng.choice(words.LAST_NAMES),
                date_of_birth=today - dt.timedelta(days=rng.randint(4 * 365, 15 * 365)),
            )
            child.needs.set(rng.sample(self.needs, k=2))
            declarations = {"substantial": True}
            EligibilityApplication.objects.create(
                authority=self.authority,
                child=child,
                policy=policy,
                declarations=declarations,
                checks=check_criteria(policy.criteria, child=child, family=family, declarations=declarations, on=today),
            )

    def _account(self, child: Child, allocation: Allocation, officer) -> tuple[BudgetAccount, list[LedgerEntry]]:
        """An account whose balances are exactly the sums of its entries."""
        rng = self.rng
        account = BudgetAccount(authority=self.authority, child=child)
        history = []
        balances = {"available": Decimal("0"), "committed": Decimal("0"), "spent": Decimal("0")}

        def post(kind, amount, description):
            amount = Decimal(amount).quantize(Decimal("0.01"))
            if amount <= 0:
                return
            da, dc, ds = (amount * x for x in EFFECTS[kind])
            if balances["available"] + da < 0 or balances["committed"] + dc < 0:
                return
            balances["available"] += da
            balances["committed"] += dc
            balances["spent"] += ds
            history.append(
                LedgerEntry(
                    authority=self.authority,
                    account=account,
                    kind=kind,
                    amount=amount,
                    delta_available=da,
                    delta_committed=dc,
                    delta_spent=ds,
                    description=description,
                    created_by=officer,
                )
            )

        post(Kind.ALLOCATION_GRANTED, allocation.annual_amount, f"{allocation.band_name}: annual allocation")
        if rng.random() < 0.35:
            post(
                Kind.DIRECT_PAYMENT,
                allocation.annual_amount * Decimal(rng.choice(["0.25", "0.5"])),
                "Direct payment for a personal assistant",
            )
        for _ in range(rng.randint(0, 4)):
            cost = Decimal(rng.choice([25, 35, 45, 60, 180]))
            post(Kind.BOOKING_COMMITTED, cost, "Booking: holiday playscheme")
            if rng.random() < 0.7:
                post(Kind.DELIVERED_PAID, cost, "Delivered: holiday playscheme")
            elif rng.random() < 0.5:
                post(Kind.BOOKING_RELEASED, cost, "Cancelled in time: holiday playscheme")
        account.available, account.committed, account.spent = (
            balances["available"],
            balances["committed"],
            balances["spent"],
        )
        return account, history


def load_caseload(
    *,
    authority: Authority,
    seed: int,
    scale: int,
    children: int | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> None:
    CaseloadLoader(
        authority=authority, seed=seed, children=children or CHILDREN_PER_SCALE * scale, progress=progress
    ).run()
