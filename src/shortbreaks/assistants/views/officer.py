"""Vetting personal assistants, for council officers: the DBS details, training and references
a PA gives. Officers of other councils see none of it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role

from ..models import Assistant
from ..selectors import checks_due
from ..services import vet


@roles(Role.OFFICER)
def assistants(request):
    listed = (
        Assistant.objects.filter(authority=request.authority)
        .prefetch_related("training")
        .order_by("status", "display_name")
    )
    today = timezone.localdate()
    rows = [(a, checks_due(a, today)) for a in listed]
    return render(request, "assistants/officer_list.html", {"rows": rows})


@roles(Role.OFFICER)
def assistant(request, assistant_id):
    assistant = get_object_or_404(
        Assistant.objects.select_related("user"), pk=assistant_id, authority=request.authority
    )
    if request.method == "POST":
        received = list(assistant.references.filter(pk__in=[r for r in request.POST.getlist("received") if r]))
        try:
            vet(
                assistant=assistant,
                officer=request.user,
                approve=request.POST.get("decision") == "approve",
                reason=request.POST.get("reason", "")[:500],
                references_received=received,
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Decision recorded and the PA told.")
        return redirect("assistants:vet", assistant.pk)
    return render(
        request,
        "assistants/officer_detail.html",
        {
            "assistant": assistant,
            "due": checks_due(assistant, timezone.localdate()),
            "skills": assistant.skills.all(),
            "availability": assistant.availability.all(),
        },
    )
