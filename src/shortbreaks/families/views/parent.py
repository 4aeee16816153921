"""A family's own pages. Parents and carers see only their own families; a young person with
an account sees only their own record (selectors/access.py)."""

import csv

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from shortbreaks.accounts.roles import Role
from shortbreaks.core.access import roles

from ..models import Allocation
from ..selectors.access import children_visible_to


def _own_child(request, child_id):
    return get_object_or_404(children_visible_to(user=request.user, authority=request.authority)
                             .select_related("family"), pk=child_id)


@roles(Role.PARENT, Role.YOUNG_PERSON)
def family_home(request):
    children = (children_visible_to(user=request.user, authority=request.authority)
                .select_related("family", "budget").prefetch_related("needs"))
    for child in children:
        child.current = child.allocations.filter(status=Allocation.Status.ACTIVE).first()
    return render(request, "families/parent/home.html", {"children": children})


@roles(Role.PARENT, Role.YOUNG_PERSON)
def allocation_explained(request, child_id):
    child = _own_child(request, child_id)
    allocation = get_object_or_404(child.allocations.select_related("rule"), status=Allocation.Status.ACTIVE)
    return render(request, "families/parent/allocation.html", {
        "child": child, "allocation": allocation, "bands": allocation.rule.spec["bands"],
    })


@roles(Role.PARENT, Role.YOUNG_PERSON)
def statement(request, child_id):
    child = _own_child(request, child_id)
    account = getattr(child, "budget", None)
    entries = list(account.entries.order_by("created_at")) if account else []
    if request.GET.get("format") == "csv":
        return statement_csv(child, entries)
    return render(request, "families/parent/statement.html", {"child": child, "account": account, "entries": entries})


def statement_csv(child, entries) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="budget-statement-{child.first_name.lower()}.csv"'
    writer = csv.writer(response)
    writer.writerow(["Date", "What", "Description", "Reference", "Available change", "Committed change",
                     "Spent change"])
    for entry in entries:
        writer.writerow([entry.created_at.date().isoformat(), entry.get_kind_display(), entry.description,
                         entry.reference, entry.delta_available, entry.delta_committed, entry.delta_spent])
    return response
