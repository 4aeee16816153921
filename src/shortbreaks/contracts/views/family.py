"""Parents (role parent) call off from the council's frameworks with their own children's
budgets, and see those call-offs. Nobody else's children or call-offs are shown."""

from django.contrib import messages
from django.shortcuts import redirect, render

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.forms import parse_pounds
from shortbreaks.core.roles import Role
from shortbreaks.families.selectors.access import children_of_carer

from ..models import Contract
from ..services.family import family_call_off, family_frameworks


@roles(Role.PARENT)
def frameworks(request):
    children = children_of_carer(user=request.user, authority=request.authority).select_related("budget")
    lots = list(family_frameworks(request.authority))
    if request.method == "POST":
        post = request.POST
        try:
            lot = next((lot for lot in lots if str(lot.pk) == post.get("lot")), None)
            child = next((c for c in children if str(c.pk) == post.get("child")), None)
            if lot is None or child is None:
                raise ServiceError("Choose the service and your child.")
            organisation = next(
                (
                    m.organisation
                    for m in lot.memberships.all()
                    if str(m.organisation_id) == post.get("organisation") and m.status == "admitted"
                ),
                None,
            )
            if organisation is None:
                raise ServiceError("Choose a provider on this part of the framework.")
            family_call_off(
                lot=lot,
                organisation=organisation,
                child=child,
                title=post.get("title", "")[:200],
                price=parse_pounds(post.get("price", ""), required=True),
                requested_by=request.user,
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, "Done: the money is set aside from your child's budget and the provider is asked to accept."
            )
        return redirect("contracts:frameworks")
    return render(
        request,
        "contracts/frameworks.html",
        {
            "lots": lots,
            "children": children,
            "mine": Contract.objects.filter(authority=request.authority, call_off__child__in=children).select_related(
                "organisation", "call_off__child"
            ),
        },
    )
