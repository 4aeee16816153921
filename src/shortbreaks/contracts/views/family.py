"""Parents (role parent) call off from the council's frameworks with their own children's
budgets, and see those call-offs. Nobody else's children or call-offs are shown."""

from django.contrib import messages
from django.shortcuts import redirect, render

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.idempotency import new_key
from shortbreaks.core.roles import Role
from shortbreaks.families.selectors.access import children_of_carer
from shortbreaks.procurement.selectors.frameworks import family_frameworks

from ..forms.family import CallOffForm
from ..models import Contract
from ..services.family import family_call_off


@roles(Role.PARENT)
def frameworks(request):
    children = children_of_carer(user=request.user, authority=request.authority).select_related("budget")
    lots = family_frameworks(request.authority)
    form = None
    if request.method == "POST":
        form = CallOffForm(request.POST, lots=lots, children=children)
        if form.is_valid():
            data = form.cleaned_data
            try:
                family_call_off(
                    lot=data["lot"],
                    organisation=data["organisation"],
                    child=data["child"],
                    title=data["title"],
                    price=data["price"],
                    requested_by=request.user,
                    idempotency_key=data["idempotency_key"],
                )
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    "Done: the money is set aside from your child's budget and the provider is asked to accept.",
                )
                return redirect("contracts:frameworks")
    return render(
        request,
        "contracts/frameworks.html",
        {
            "lots": list(lots),
            "children": children,
            "mine": Contract.objects.filter(authority=request.authority, call_off__child__in=children).select_related(
                "organisation", "call_off__child"
            ),
            "failed": form,
            "failed_row": form.row_id if form is not None else "",
            "page_key": new_key(),  # each lot's form adds its row number
        },
        status=400 if form is not None else 200,
    )
