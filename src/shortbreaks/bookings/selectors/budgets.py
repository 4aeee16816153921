"""What is left on each child's budget after a booking, in the figures the family's budget page
shows (the account's balances: left to spend, of what it was given: left, booked and spent), for
the booking's confirmation page and email."""

from shortbreaks.core.templatetags.govuk import money
from shortbreaks.families.models import BudgetAccount


def left_to_book(children) -> list[str]:
    """'£182.50 of Amy's £400.00 is left to book.' for each child with a budget. One query."""
    accounts = BudgetAccount.objects.filter(child__in=[c.pk for c in children]).select_related("child")
    return [
        f"{money(a.available)} of {a.child.first_name}'s {money(a.available + a.committed + a.spent)} is left to book."
        for a in sorted(accounts, key=lambda a: a.child.first_name)
    ]
