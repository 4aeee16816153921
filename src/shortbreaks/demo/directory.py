"""The demo borough: a fictional council with dozens of providers of every kind, services of
every kind of break and need, locations on real postcode sectors, schedules and costs.
Deterministic for a seed; --scale multiplies the volume for benchmarks."""

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from shortbreaks.accounts.models import RoleAssignment, User
from shortbreaks.core.models import Authority
from shortbreaks.core.postcodes import _centroids
from shortbreaks.core.roles import Role
from shortbreaks.directory.models import (
    CommissioningIntention,
    EventRegistration,
    ListingChange,
    Location,
    OpportunitySubscription,
    Organisation,
    ProviderEvent,
    ProviderSupport,
    StrategyDocument,
    Taxonomy,
    TaxonomyTerm,
)
from shortbreaks.directory.services.snapshots import service_snapshot

from . import words
from .services import make_services

AUTHORITY_SLUG = "dovebridge"
DEMO_PASSWORD = "shortbreaks-demo"
DISTRICTS = [
    "DE1",
    "DE3",
    "DE21",
    "DE22",
    "DE23",
    "DE24",
    "DE55",
    "DE56",
    "DE65",
    "DE7",
    "DE72",
    "DE73",
    "DE74",
    "DE11",
]
ORGS_PER_SCALE = 60
KIND_MIX = ["voluntary"] * 28 + ["private"] * 18 + ["in_house"] * 6 + ["health"] * 3 + ["social_enterprise"] * 5
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 76>>stream\n"
    b"BT /F1 18 Tf 60 760 Td (Dovebridge short breaks market position 2026) Tj ET\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


PPON_LETTERS = "ABCDEFGHJKLMNPQRSTVWXYZ"


def _demo_ppon(n: int) -> str:
    """A made-up PPON in the real format (P, 3 letters, 4 digits, 4 letters)."""
    letter = [PPON_LETTERS[(n * 7 + k * 11) % len(PPON_LETTERS)] for k in range(7)]
    return f"P{''.join(letter[:3])}-{(n * 7919 + 1000) % 10000:04d}-{''.join(letter[3:])}"


def _registered_numbers(organisations: list[Organisation]) -> None:
    """So the open data shows every identifier scheme: the demo provider's charity with a PPON
    and a company number, some companies and social enterprises with a PPON, a Scottish and a
    Northern Irish charity among the English ones; health and
    in-house providers keep none (the GB-SB fallback). Worked out from the position, not the
    random generator, so the rest of the demo is as before."""
    voluntary = [org for org in organisations if org.kind == "voluntary"]
    if voluntary:  # the demo provider's: a charitable company, registered to bid for contracts
        voluntary[0].company_number = "07345129"
        voluntary[0].ppon = "PKFN-3916-GWRT"
    if len(voluntary) >= 3:
        voluntary[1].charity_number = f"SC0{40000 + len(voluntary):05d}"
        voluntary[2].charity_number = f"NIC1{len(voluntary):05d}"
    trading = [org for org in organisations if org.kind in ("private", "social_enterprise")]
    for n, org in enumerate(trading):
        if n % 3 == 0:
            org.ppon = _demo_ppon(n)


class DemoLoader:
    def __init__(self, *, seed: int, scale: int, progress: Callable[[str], None]):
        self.rng = random.Random(seed)
        self.scale = scale
        self.progress = progress
        self.now = timezone.now()
        sectors, _ = _centroids()
        self.sectors = {d: sorted(s for s in sectors if s.split(" ")[0] == d) for d in DISTRICTS}
        self.needs = list(TaxonomyTerm.objects.filter(taxonomy__code=Taxonomy.NEEDS))
        self.kinds = {t.code: t for t in TaxonomyTerm.objects.filter(taxonomy__code=Taxonomy.BREAK_KINDS)}
        self.districts = DISTRICTS

    def postcode(self) -> tuple[str, float, float]:
        district = self.rng.choice(DISTRICTS)
        sector = self.rng.choice(self.sectors[district])
        sectors, _ = _centroids()
        lat, lon = sectors[sector]
        unit = self.rng.choice("ABDEFGHJLNPQRSTUWXYZ") + self.rng.choice("ABDEFGHJLNPQRSTUWXYZ")
        # Spread places around the sector centre, as real addresses are.
        return f"{sector}{unit}", lat + self.rng.uniform(-0.004, 0.004), lon + self.rng.uniform(-0.006, 0.006)

    @transaction.atomic
    def run(self) -> Authority:
        authority = Authority.objects.create(
            slug=AUTHORITY_SLUG,
            name="Dovebridge Borough Council",
            hostnames="127.0.0.1,localhost",
            website="https://www.dovebridge.example",
            contact_email="shortbreaks@dovebridge.example",
            # Its code on the English local authority list (GB-LAE), as a real council's would be.
            org_identifier="GB-LAE-DVB",
            centre_postcode="DE1 3AH",
        )
        self.authority = authority
        self.users()
        organisations = self.organisations()
        self.services(organisations)
        self.publications(organisations)
        self.pending_changes(organisations)
        self.pending_registration()
        return authority

    def users(self) -> None:
        def person(email: str, name: str, role: Role | None, organisation=None, **extra) -> User:
            user = User.objects.create_user(
                username=email, email=email, password=DEMO_PASSWORD, full_name=name, **extra
            )
            if role:
                # Each organisation's manager administers its people.
                RoleAssignment.objects.create(
                    user=user,
                    authority=self.authority,
                    role=role,
                    organisation=organisation,
                    administers=organisation is not None,
                )
            return user

        self.commissioner = person("commissioner@dovebridge.example", "Cara Okafor", Role.COMMISSIONER)
        person("procurement@dovebridge.example", "Piotr Nowak", Role.PROCUREMENT_OFFICER)
        person("officer@dovebridge.example", "Olivia Grant", Role.OFFICER)
        person("parent@dovebridge.example", "Priya Shah", Role.PARENT)
        person("young.person@dovebridge.example", "Jay Shah", Role.YOUNG_PERSON)
        person("panel@dovebridge.example", "Mina Clarke", Role.PANEL_MEMBER)
        person("pa@dovebridge.example", "Alex Moore", Role.PERSONAL_ASSISTANT)
        person("staff.admin@dovebridge.example", "Sam Adeyemi", Role.ADMINISTRATOR)
        person("safeguarding@dovebridge.example", "Grace Mensah", Role.SAFEGUARDING_OFFICER)
        person("admin@dovebridge.example", "System Administrator", None, is_staff=True, is_superuser=True)
        self.person = person

    def organisations(self) -> list[Organisation]:
        count = ORGS_PER_SCALE * self.scale
        organisations, locations = [], []
        used_names: set[str] = set()
        for index in range(count):
            kind = KIND_MIX[index % len(KIND_MIX)]
            while True:
                stem = self.rng.choice(words.ORG_STEMS)
                place = self.rng.choice(words.PLACES) if self.rng.random() < 0.5 else ""
                name = " ".join(p for p in (stem, place, self.rng.choice(words.ORG_SUFFIX[kind])) if p)
                if name not in used_names or len(used_names) > 5000:
                    break
            if name in used_names:
                name = f"{name} {index}"
            used_names.add(name)
            slug = "".join(c for c in name.lower() if c.isalnum())[:24]
            org = Organisation(
                authority=self.authority,
                name=name,
                kind=kind,
                registration=Organisation.Registration.APPROVED,
                is_published=True,
                description=f"{name} provides short breaks for disabled children and young people across Dovebridge.",
                email=f"hello@{slug}.example",
                phone=f"01332 {self.rng.randint(100000, 999999)}",
                website=f"https://www.{slug}.example",
                charity_number=str(self.rng.randint(1000000, 1199999)) if kind == "voluntary" else "",
                company_number=f"{self.rng.randint(1000000, 15999999):08d}"
                if kind in ("private", "social_enterprise")
                else "",
                is_small=kind in ("voluntary", "social_enterprise") and self.rng.random() < 0.7,
            )
            organisations.append(org)
            for _ in range(self.rng.choice([1, 1, 2])):
                postcode, lat, lon = self.postcode()
                locations.append(
                    Location(
                        authority=self.authority,
                        organisation=org,
                        name=f"{self.rng.choice(words.PLACES)} {self.rng.choice(words.VENUES)}",
                        address_1=f"{self.rng.randint(1, 180)} {self.rng.choice(words.STREETS)}",
                        city="Dovebridge",
                        postcode=postcode,
                        latitude=lat,
                        longitude=lon,
                        accessibility=self.rng.choice(words.ACCESS[:4]),
                    )
                )
            # The organisation's address is one of its venues'.
            org.address_line, org.town, org.postcode = locations[-1].address_1, "Dovebridge", locations[-1].postcode
            if (index + 1) % max(1, count // 10) == 0:
                self.progress(f"organisations: {index + 1} of {count}")
        _registered_numbers(organisations)
        Organisation.objects.bulk_create(organisations, batch_size=500)
        Location.objects.bulk_create(locations, batch_size=500)
        self.locations_by_org: dict = {}
        for loc in locations:
            self.locations_by_org.setdefault(loc.organisation_id, []).append(loc)
        # The first organisations' managers can sign in as providers.
        for n, org in enumerate(organisations[:3], start=1):
            email = "provider@dovebridge.example" if n == 1 else f"provider{n}@dovebridge.example"
            self.person(
                email,
                f"{self.rng.choice(words.ADULT_NAMES)} {self.rng.choice(words.LAST_NAMES)}",
                Role.PROVIDER,
                organisation=org,
            )
        return organisations

    def services(self, organisations: list[Organisation]) -> None:
        make_services(self, organisations)

    def publications(self, organisations: list[Organisation]) -> None:
        kinds = self.kinds
        needs = {t.code: t for t in self.needs}
        intentions = [
            (
                "Overnight short breaks for autistic young people",
                "We want more overnight breaks for autistic young people aged 11 to 18 whose behaviour can challenge.",
                ["overnight"],
                ["autism", "behaviour-that-challenges"],
                Decimal("320000"),
                180,
            ),
            (
                "School holiday schemes, 2027 to 2031",
                "A framework of holiday playschemes across the borough, with transport and places for siblings.",
                ["school-holiday"],
                ["learning-disability", "physical-disability", "autism"],
                Decimal("450000"),
                150,
            ),
            (
                "Personal assistants for families with direct payments",
                "Support to recruit, train and employ personal assistants, and a vetted list families can choose from.",
                ["at-home", "community"],
                [],
                Decimal("120000"),
                120,
            ),
        ]
        for title, summary, kind_codes, need_codes, value, days in intentions:
            intention = CommissioningIntention.objects.create(
                authority=self.authority,
                title=title,
                summary=summary,
                status="published",
                body=(
                    f"{summary}\n\nOur needs analysis shows families waiting longest for this kind of break. "
                    "We will hold a provider event before we go out to tender, and we welcome small and "
                    "new providers: we can offer training places and help with tendering."
                ),
                estimated_value=value,
                expected_start=(self.now + dt.timedelta(days=days)).date(),
                published_at=self.now - dt.timedelta(days=self.rng.randint(3, 40)),
                created_by=self.commissioner,
            )
            intention.break_kinds.set([kinds[k] for k in kind_codes])
            intention.needs.set([needs[n] for n in need_codes])
        CommissioningIntention.objects.create(
            authority=self.authority,
            title="Short breaks for children with complex health needs (draft)",
            summary="Working draft: overnight and day breaks with nursing support.",
            body="Draft for discussion.",
            created_by=self.commissioner,
        )
        StrategyDocument.objects.create(
            authority=self.authority,
            title="Short breaks market position statement 2026 (summary)",
            description="What families need, what we have, and where the gaps are.",
            file=ContentFile(DEMO_PDF, name="market-position-2026.pdf"),
            content_type="application/pdf",
            size=len(DEMO_PDF),
            original_filename="market-position-2026.pdf",
            uploaded_by=self.commissioner,
        )
        start = (self.now + dt.timedelta(days=21)).replace(hour=10, minute=0, second=0, microsecond=0)
        day = ProviderEvent.objects.create(
            authority=self.authority,
            title="Provider day: school holiday schemes 2027",
            description=(
                "Hear what families told us about holiday schemes, how the framework will work, "
                "and how small providers can take part."
            ),
            starts_at=start,
            ends_at=start + dt.timedelta(hours=3),
            venue="Dovebridge Council House, Corporation Street",
            postcode="DE1 2FS",
            places=40,
            registration_closes_at=start - dt.timedelta(days=2),
            created_by=self.commissioner,
        )
        ProviderEvent.objects.create(
            authority=self.authority,
            title="Briefing: overnight short breaks for autistic young people",
            description="A briefing ahead of the tender, with time for questions.",
            starts_at=start + dt.timedelta(days=14),
            ends_at=start + dt.timedelta(days=14, hours=2),
            venue="Mickleford Family Hub",
            postcode="DE22 1AB",
            places=25,
            registration_closes_at=start + dt.timedelta(days=12),
            created_by=self.commissioner,
        )
        for org in organisations[3:9]:
            EventRegistration.objects.create(
                event=day,
                organisation=org,
                attendee_name=f"{self.rng.choice(words.ADULT_NAMES)} {self.rng.choice(words.LAST_NAMES)}",
                attendee_email=org.email,
            )
        for org in organisations[:6]:
            sub = OpportunitySubscription.objects.create(authority=self.authority, organisation=org, email=org.email)
            sub.break_kinds.set([kinds["school-holiday"]] if org.kind == "voluntary" else [])
        for org in [o for o in organisations if o.is_small][:5]:
            ProviderSupport.objects.create(
                authority=self.authority,
                organisation=org,
                kind="training",
                description="Places on safeguarding disabled children training",
                quantity=self.rng.randint(2, 6),
                given_on=(self.now - dt.timedelta(days=self.rng.randint(10, 200))).date(),
                recorded_by=self.commissioner,
            )
        self.progress("publications, events and support: done")

    def pending_changes(self, organisations: list[Organisation]) -> None:
        """A change from a provider waiting for the commissioner, so the approval page has work."""
        org = organisations[2]
        service = org.services.order_by("name").first()
        provider = User.objects.get(username="provider3@dovebridge.example")
        if service is None:
            return
        original = service_snapshot(service)
        proposed = dict(
            original,
            description=original["description"] + " We now also run a sibling group on the same day.",
            capacity=(original["capacity"] or 10) + 4,
        )
        ListingChange.objects.create(
            authority=self.authority,
            subject="service",
            organisation=org,
            service=service,
            proposed=proposed,
            original=original,
            submitted_by=provider,
        )

    def pending_registration(self) -> None:
        """An organisation that registered itself and waits for the commissioner's decision."""
        organisation = Organisation.objects.create(
            authority=self.authority,
            name="Little Acorns Play CIC",
            kind=Organisation.Kind.SOCIAL_ENTERPRISE,
            registration=Organisation.Registration.PENDING,
            is_published=False,
            description="Inclusive outdoor play sessions for disabled children aged 4 to 11, in Dovebridge's parks.",
            email="hello@littleacorns.example",
            company_number="12345678",
            ppon="PLKA-2047-HCNR",
            address_line="The Pavilion, Markeaton Park",
            town="Dovebridge",
            postcode="DE22 3BG",
            contact_name="Hana Novak",
            is_small=True,
        )
        founder = self.person(
            "waiting.provider@dovebridge.example", "Hana Novak", Role.PROVIDER, organisation=organisation
        )
        organisation.registered_by = founder
        organisation.save(update_fields=["registered_by"])


def load_demo(*, seed: int = 2026, scale: int = 1, progress: Callable[[str], None] = lambda _: None) -> Authority:
    return DemoLoader(seed=seed, scale=scale, progress=progress).run()


def demo_loaded() -> bool:
    return Authority.objects.filter(slug=AUTHORITY_SLUG).exists()
