"""The market position statement's own words: the council's sections in the order they come,
and as plain values for a statement's content (where publishing freezes them)."""

from django.db.models import Case, IntegerField, QuerySet, Value, When

from ..models import StatementSection

PLACES = list(StatementSection.Place.values)  # the order the places come in the statement


def statement_sections(*, authority) -> QuerySet[StatementSection]:
    return (
        StatementSection.objects.filter(authority=authority)
        .annotate(
            place_order=Case(
                *(When(place=place, then=Value(index)) for index, place in enumerate(PLACES)),
                output_field=IntegerField(),
            )
        )
        .order_by("place_order", "position", "pk")
    )


def narrative(*, authority) -> list[dict]:
    """What a statement's content holds of the sections: words only (plain text), no ids."""
    return [{"place": s.place, "heading": s.heading, "body": s.body} for s in statement_sections(authority=authority)]
