"""Vetting personal assistants, for council officers: the DBS details, training and references
a PA gives. Officers of other councils see none of it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role

from ..forms import VetForm
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
    """One PA of this council, for its officers only: their checks, training and referees, and
    the vetting decision while they wait for it. If the decision cannot be recorded the page
    comes back with what was ticked and typed and the reason."""
    assistant = get_object_or_404(
        Assistant.objects.select_related("user"), pk=assistant_id, authority=request.authority
    )
    form = VetForm(request.POST if request.method == "POST" else None, assistant=assistant)
    if request.method == "POST" and form.is_valid():
        try:
            vet(
                assistant=assistant,
                officer=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
                references_received=list(form.cleaned_data["received"]),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Decision recorded and the PA told.")
            return redirect("assistants:vet", assistant.pk)
    return render(
        request,
        "assistants/officer_detail.html",
        {
            "assistant": assistant,
            "form": form,
            "due": checks_due(assistant, timezone.localdate()),
            "skills": assistant.skills.all(),
            "availability": assistant.availability.all(),
        },
        status=400 if form.errors else 200,
    )
