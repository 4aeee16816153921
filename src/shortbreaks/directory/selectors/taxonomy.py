from django.db.models import QuerySet

from ..models import Taxonomy, TaxonomyTerm


def terms_of(taxonomy_code: str) -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.filter(taxonomy__code=taxonomy_code).order_by("position", "name")


def needs_terms() -> QuerySet[TaxonomyTerm]:
    return terms_of(Taxonomy.NEEDS)


def break_kind_terms() -> QuerySet[TaxonomyTerm]:
    return terms_of(Taxonomy.BREAK_KINDS)
