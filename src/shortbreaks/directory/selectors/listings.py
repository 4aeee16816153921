from django.db.models import QuerySet
from django.http import Http404

from shortbreaks.core.lookups import valid_pk
from shortbreaks.core.models import Authority

from ..models import ListingChange, Organisation


def organisations_for(*, user, authority: Authority) -> QuerySet[Organisation]:
    return Organisation.objects.filter(authority=authority, pk__in=user.organisation_ids_in(authority))


def provider_organisation(request) -> Organisation:
    """The organisation a provider is acting for: the one named by ?org=, else their first."""
    organisations = organisations_for(user=request.user, authority=request.authority).order_by("name")
    wanted = request.GET.get("org") or request.POST.get("org")
    if wanted:
        pk = valid_pk(Organisation, wanted)
        organisation = organisations.filter(pk=pk).first() if pk else None
    else:
        organisation = organisations.first()
    if organisation is None:
        raise Http404("No organisation")
    return organisation


def pending_changes(*, authority: Authority) -> QuerySet[ListingChange]:
    return (
        ListingChange.objects.filter(authority=authority, status=ListingChange.Status.PENDING)
        .select_related("organisation", "service", "submitted_by")
        .order_by("submitted_at")
    )


def change_history(*, authority: Authority, service=None, organisation=None) -> QuerySet[ListingChange]:
    changes = ListingChange.objects.filter(authority=authority).select_related("submitted_by", "decided_by")
    if service is not None:
        return changes.filter(service=service)
    return changes.filter(organisation=organisation, subject=ListingChange.Subject.ORGANISATION)
