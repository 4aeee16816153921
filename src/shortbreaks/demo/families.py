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
EMERGENCY_CONTACTS = [
    "Grandma Pat (grandmother)",
    "Uncle Dev (uncle)",
    "Aunt Sara (aunt)",
    "Grandad Joe (grandfather)",
    "Mel Hart (family friend)",
    "Aunty Rukhsana (aunt)",
]
SCHOOLS = ["Dovebridge Special School", "Mickleford Primary", "Chaddow Academy", "Oakwood School", "Home educated"]
COMMUNICATION = [
    "",
    "Uses Makaton and a few words",
    "Uses an iPad with symbols",
    "Speaks in short sentences; needs time to answer",
]
MEDICAL = ["", "", "Epilepsy: rescue medication (buccal midazolam)", "Gastrostomy feeds", "Asthma inhaler"]
Kind = LedgerEntry.Kind
ROWS = (Family, Carer, Child, Child.needs.through, Assessment, Allocation, BudgetAccount, LedgerEntry, Eligibility)
# The demo parent's family (parent@): Jay, 15, who has his own account (young.person@), and his
# sister Anaya, 9. Both are eligible and assessed, with a budget, and each has needs that some
# of the demo's sessions support (sessions.py picks those), so the parent can book for one or
# both; they live near the demo's personal assistants.
DEMO_POSTCODE = "DE22 3AB"
DEMO_CHILDREN = [  # first name, sex, age in years and days, needs, level of the answers
    ("Jay", "male", (15, 40), ["autism"], 2),
    ("Anaya", "female", (9, 120), ["learning-disability"], 1),
]


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
        self.today, self.rule, self.policy, self.officer = today, rule, policy, officer
        self.rows = {model: [] for model in ROWS}
        made = self._demo_family()
        next_report = self.children_wanted // 10
        while made < self.children_wanted:
            surname = rng.choice(words.LAST_NAMES)
            family = self._family(
                home_postcode=f"{rng.choice(DISTRICTS)} {rng.randint(1, 9)}{rng.choice(UNIT)}{rng.choice(UNIT)}"
            )
            self.rows[Carer].append(
                Carer(
                    family=family,
                    full_name=f"{rng.choice(words.ADULT_NAMES)} {surname}",
                    relationship=rng.choice(["Mother", "Father", "Grandparent", "Foster carer"]),
                    email=f"family{len(self.rows[Family])}@example.org",
                )
            )
            names: set[str] = set()
            for _ in range(rng.choices([1, 2, 3], weights=[75, 20, 5])[0]):
                if made >= self.children_wanted:
                    break
                sex = rng.choices(list(Child.Sex), weights=[38, 57, 5])[0]
                pool = {"female": words.GIRLS_NAMES, "male": words.BOYS_NAMES}.get(
                    sex, words.GIRLS_NAMES + words.BOYS_NAMES
                )
                first_name = rng.choice([n for n in pool if n not in names])  # no two alike in a family
                names.add(first_name)
                child = self._child(
                    family=family,
                    first_name=first_name,
                    last_name=surname,
                    sex=sex,
                    date_of_birth=today - dt.timedelta(days=rng.randint(2 * 365, 19 * 365)),
                    needs=rng.sample(self.needs, k=rng.randint(1, 3)),
                )
                # Most children on the caseload are eligible, and only an eligible child is
                # assessed for an allocation: the others can book open-access breaks.
                if rng.random() < 0.8:
                    self._eligible_and_assessed(
                        child, _answers(rng), assessed_on=today - dt.timedelta(days=rng.randint(10, 330))
                    )
                made += 1
            if made >= next_report:
                self.progress(f"caseload: {made} of {self.children_wanted} children")
                next_report += max(1, self.children_wanted // 10)
        rows = self.rows
        families, children, accounts, entries = rows[Family], rows[Child], rows[BudgetAccount], rows[LedgerEntry]
        for model in ROWS:
            model.objects.bulk_create(rows[model], batch_size=2000)
        self._waiting_applications(policy, today)
        self.progress(
            f"caseload: {len(children)} children in {len(families)} families, "
            f"{len(accounts)} budget accounts, {len(entries)} ledger entries"
        )

    def _family(self, **fields) -> Family:
        family = Family(
            authority=self.authority,
            reference=f"F-{len(self.rows[Family]) + 1:06d}",
            preferred_contact=self.rng.choice(list(Family.Contact)),
            consent_to_share=self.rng.random() < 0.8,
            **fields,
        )
        self.rows[Family].append(family)
        return family

    def _child(self, *, family: Family, needs, **fields) -> Child:
        rng = self.rng
        # Emergency contacts from the child's place in the list, not the random stream (so
        # every other figure of the demo stays as it was); Ofcom's drama numbers; two in three
        # families agree to share them with providers.
        number = len(self.rows[Child])
        contact = EMERGENCY_CONTACTS[number % len(EMERGENCY_CONTACTS)]
        child = Child(
            authority=self.authority,
            family=family,
            emergency_contacts=f"{contact} 07700 900{number % 1000:03d}",
            share_emergency_contacts=number % 3 != 2,
            has_ehc_plan=rng.random() < 0.6,
            school=rng.choice(SCHOOLS),
            communication_needs=rng.choice(COMMUNICATION),
            medical_needs=rng.choice(MEDICAL),
            ethnicity=rng.choices(list(Child.Ethnicity), weights=[12, 6, 5, 70, 3, 4])[0],
            **fields,
        )
        self.rows[Child].append(child)
        self.rows[Child.needs.through] += [Child.needs.through(child_id=child.id, taxonomyterm_id=t.id) for t in needs]
        return child

    def _demo_family(self) -> int:
        """The demo parent's own family, always first (F-000001); how many children it has."""
        parent = User.objects.filter(username="parent@dovebridge.example").first()
        if parent is None:
            return 0
        young_person = User.objects.filter(username="young.person@dovebridge.example").first()
        surname = parent.full_name.split()[-1]
        family = self._family(home_postcode=DEMO_POSTCODE)
        self.rows[Carer].append(
            Carer(family=family, user=parent, full_name=parent.full_name, relationship="Mother", email=parent.email)
        )
        needs = {t.code: t for t in self.needs}
        made = 0
        for first_name, sex, (years, days), codes, level in DEMO_CHILDREN[: self.children_wanted]:
            born = dt.date(self.today.year - years, self.today.month, 1) - dt.timedelta(days=days)
            child = self._child(
                family=family,
                first_name=first_name,
                last_name=surname,
                sex=sex,
                date_of_birth=born,
                needs=[needs[c] for c in codes if c in needs],
                user=young_person if first_name == "Jay" else None,
            )
            child.has_ehc_plan = True
            answers = {
                q["code"]: q["answers"][min(level, len(q["answers"]) - 1)]["code"] for q in DEFAULT_SPEC["questions"]
            }
            # Their ledger holds the allocation alone: their bookings (history.py, sessions.py)
            # post what they commit and spend, as real bookings do.
            self._eligible_and_assessed(child, answers, assessed_on=self.today - dt.timedelta(days=200), spent=False)
            made += 1
        return made

    def _eligible_and_assessed(self, child: Child, answers: dict, *, assessed_on: dt.date, spent: bool = True) -> None:
        """Eligibility first, then the assessment under the rule, its allocation and, when it
        gives money, a budget account: the records of a child agree with each other."""
        valid_from = assessed_on - dt.timedelta(days=self.rng.randint(0, 30))
        self.rows[Eligibility].append(
            Eligibility(
                authority=self.authority,
                child=child,
                policy=self.policy,
                tier="targeted",
                valid_from=valid_from,
                expires_on=valid_from + dt.timedelta(days=365),
            )
        )
        assessment = Assessment(
            authority=self.authority,
            child=child,
            rule=self.rule,
            answers=answers,
            assessed_on=assessed_on,
            assessor=self.officer,
        )
        self.rows[Assessment].append(assessment)
        outcome = evaluate(DEFAULT_SPEC, answers)
        allocation = Allocation(
            authority=self.authority,
            child=child,
            assessment=assessment,
            rule=self.rule,
            total_points=outcome.total_points,
            band_code=outcome.band["code"],
            band_name=outcome.band["name"],
            tier=outcome.band["tier"],
            annual_amount=outcome.annual_amount,
            annual_hours=outcome.band["annual_hours"],
            period_start=assessed_on,
            period_end=assessed_on + dt.timedelta(days=365),
            explanation=[
                {"question": line.question, "answer": line.answer, "points": line.points} for line in outcome.lines
            ],
            granted_by=self.officer,
        )
        self.rows[Allocation].append(allocation)
        if outcome.annual_amount > 0:
            account, history = self._account(child, allocation, self.officer, spent=spent)
            self.rows[BudgetAccount].append(account)
            self.rows[LedgerEntry] += history

    def _waiting_applications(self, policy: EligibilityPolicy, today: dt.date) -> None:
        """A few new families whose applications wait for the demo officer."""
        rng = self.rng
        for n in range(3):
            family = Family.objects.create(
                authority=self.authority, reference=f"F-9{n:05d}", home_postcode=f"{rng.choice(DISTRICTS)} 1AB"
            )
            surname = rng.choice(words.LAST_NAMES)
            Carer.objects.create(
                family=family, full_name=f"{rng.choice(words.ADULT_NAMES)} {surname}", email=f"applicant{n}@example.org"
            )
            sex = rng.choice(["female", "male"])
            child = Child.objects.create(
                authority=self.authority,
                family=family,
                first_name=rng.choice(words.GIRLS_NAMES if sex == "female" else words.BOYS_NAMES),
                last_name=surname,
                sex=sex,
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

    def _account(
        self, child: Child, allocation: Allocation, officer, *, spent: bool = True
    ) -> tuple[BudgetAccount, list[LedgerEntry]]:
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
        if spent and rng.random() < 0.35:
            post(
                Kind.DIRECT_PAYMENT,
                allocation.annual_amount * Decimal(rng.choice(["0.25", "0.5"])),
                "Direct payment for a personal assistant",
            )
        for _ in range(rng.randint(0, 4) if spent else 0):
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
