"""Demo school holidays for Dovebridge: last, this and next academic year, in the usual shape
of an English council's calendar (the same calendar the demo's sessions keep to); and the
market position statement's own sections, as a commissioner would write them."""

from django.utils import timezone

from shortbreaks.accounts.models import User
from shortbreaks.insight.models import SchoolHoliday, StatementSection

from .dates import school_holidays


def load_holidays(*, authority) -> int:
    holidays = [
        SchoolHoliday(authority=authority, name=name, starts_on=start, ends_on=end)
        for name, start, end in school_holidays(timezone.localdate())
    ]
    SchoolHoliday.objects.bulk_create(holidays)
    return len(holidays)


Place = StatementSection.Place

# (where it goes, heading, text): what Dovebridge says to its market beside the figures.
STATEMENT_SECTIONS = [
    (
        Place.START,
        "Our vision",
        "We want every disabled child and young person in Dovebridge to have breaks they enjoy, close to "
        "home, with friends, doing the things other children do; and every family to get the rest it needs "
        "to keep going.\n\n"
        "That means more breaks in the community and fewer families waiting for specialist places. It means "
        "breaks that fit around school, in the evenings, at weekends and in the holidays, and that young "
        "people help to choose and design.",
    ),
    (
        Place.SUPPLY,
        "What we want from providers",
        "The figures above show where children are waiting. We most want to hear from providers who can "
        "offer:\n"
        "- overnight breaks for children with complex health needs, with staff trained in their care\n"
        "- holiday and weekend provision for young people aged 14 and over with autism\n"
        "- clubs in the wards where there are fewest places today\n\n"
        "We welcome small and local organisations, and consortia of them. Tell us early if a place you run "
        "is at risk: we would rather work it out together than lose it.",
    ),
    (
        Place.MONEY,
        "What the money means",
        "Our budget for short breaks is fixed for the year. We will spend more of it through frameworks and "
        "block places where families use them most, and pay promptly: within 30 days of an invoice, and "
        "sooner for small organisations.\n\n"
        "We expect prices to reflect the National Living Wage and fair pay for support workers. Where costs "
        "rise, talk to us before a contract's review date.",
    ),
    (
        Place.END,
        "How we will work with you",
        "We hold a providers' forum every term and publish the dates on this site. Our opportunities are "
        "advertised here first, with at least four weeks to respond, and we will always tell you why a bid "
        "did not succeed.\n\n"
        "Parents and young people sit on our evaluation panels and help us judge quality. We review this "
        "statement every year; if something in it is wrong or missing, email the commissioning team.",
    ),
]


def load_statement_sections(*, authority) -> int:
    """Written directly (the whole demo loads in one transaction, so not through the services)."""
    commissioner = User.objects.get(username="commissioner@dovebridge.example")
    sections = [
        StatementSection(
            authority=authority, place=place, position=1, heading=heading, body=body, updated_by=commissioner
        )
        for place, heading, body in STATEMENT_SECTIONS
    ]
    StatementSection.objects.bulk_create(sections)
    return len(sections)
