"""Demo grants: the council's small grants to local charities this year, £58,500 of its £85,000
grants budget: sibling days and a holiday playscheme, each accepted and running, and an evening
youth club offered last week and not yet answered. They are what /open-data/360giving.json
publishes."""

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from shortbreaks.contracts.models import Contract
from shortbreaks.core.models import Authority
from shortbreaks.core.years import year_of
from shortbreaks.directory.models import Organisation

# (title, value, what the grant pays for, offered how many days ago, answered how many days
# later or None, starting how many months from this month, for how many months).
GRANTS = (
    (
        "Saturday sibling days",
        "12000",
        "Twelve Saturdays of days out for the brothers and sisters of disabled children, with a "
        "short report each term on how many came and what they said.",
        150,
        9,
        -4,
        12,
    ),
    (
        "Holiday playscheme for disabled children",
        "28500",
        "Inclusive playscheme days through the school holidays, with one-to-one support for the "
        "children who need it and transport for those who cannot get there otherwise.",
        75,
        7,
        -2,
        10,
    ),
    (
        "Evening youth club for disabled teenagers",
        "18000",
        "A weekly evening club for disabled young people aged 13 to 19, run with them: they choose "
        "the activities each half term.",
        6,
        None,
        1,
        12,
    ),
)


def load_grants(*, authority: Authority, progress=lambda _: None) -> None:
    """Recorded as they happened: offered, then accepted (or still waiting), each last changed
    when it was answered (or offered)."""
    now = timezone.now()
    this_month = timezone.localdate().replace(day=1)
    year = year_of(this_month)
    charities = Organisation.objects.filter(
        authority=authority, kind=Organisation.Kind.VOLUNTARY, registration=Organisation.Registration.APPROVED
    ).exclude(charity_number="")
    for number, (recipient, (title, value, conditions, offered, answered, starts, months)) in enumerate(
        zip(charities.order_by("name"), GRANTS, strict=False), start=1
    ):
        starts_on = this_month + relativedelta(months=starts)
        offered_at = now - dt.timedelta(days=offered)
        answered_at = offered_at + dt.timedelta(days=answered) if answered is not None else None
        contract = Contract.objects.create(
            authority=authority,
            reference=f"DBC-GR-{year}-{number:02d}",
            title=title,
            kind=Contract.Kind.GRANT,
            organisation=recipient,
            value=Decimal(value),
            conditions=conditions,
            starts_on=starts_on,
            ends_on=starts_on + relativedelta(months=months) - dt.timedelta(days=1),
            status=Contract.Status.ACTIVE if answered_at else Contract.Status.OFFERED,
            answered_at=answered_at,
        )
        # offered_at and updated_at are set on saving: these are when it really happened.
        Contract.objects.filter(pk=contract.pk).update(offered_at=offered_at, updated_at=answered_at or offered_at)
    progress("grants: two running and one offered, to local charities")
