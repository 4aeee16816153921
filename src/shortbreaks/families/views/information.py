"""A family's copy of everything the council holds about it: a carer asks, an officer releases
it, the family's carers download it. Who may see what: a carer sees and downloads only their
own family's requests; officers of the authority see and release every family's."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role

from ..forms.requests import AccessAskForm, AccessReleaseForm
from ..models import AccessRequest, Family
from ..services.access_requests import access_request_make, access_request_release
from ..services.subject_requests import family_export


def _own_families(request):
    return Family.objects.filter(authority=request.authority, carers__user=request.user).distinct()


@roles(Role.PARENT)
def ask(request):
    """A carer asks for their family's information (and sees what they asked before)."""
    families = _own_families(request)
    form = AccessAskForm(request.POST or None, families=families)
    if request.method == "POST" and form.is_valid():
        try:
            made = access_request_make(family=form.cleaned_data["family"], asked_by=request.user)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"We have your request. We will email you by {made.due_on:%-d %B %Y}.")
            return redirect("families:access-ask")
    asked = list(AccessRequest.objects.filter(family__in=families).select_related("family"))
    # A family with a request still open sees when it asked and by when we reply, not the button.
    open_for = {r.family_id: r for r in asked if r.status == AccessRequest.Status.ASKED}
    return render(
        request,
        "families/parent/information.html",
        {
            "form": form,
            "families": families,
            "asking": [(family, open_for.get(family.pk)) for family in families],
            "requests": asked,
        },
        status=400 if form.errors else 200,
    )


@roles(Role.PARENT)
def download(request, request_id):
    """The released copy, for any carer of the family; nobody else (not even an officer here:
    officers download through the caseload's own export)."""
    access_request = get_object_or_404(
        AccessRequest, pk=request_id, family__in=_own_families(request), status=AccessRequest.Status.RELEASED
    )
    name, content = family_export(family=access_request.family, exported_by=request.user)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@roles(Role.OFFICER)
def release(request, family_id):
    """An officer checks the family's download, then releases it to them."""
    family = get_object_or_404(Family, pk=family_id, authority=request.authority)
    waiting = family.access_requests.filter(status=AccessRequest.Status.ASKED).select_related("asked_by")
    form = AccessReleaseForm(request.POST or None, requests=waiting)
    if request.method == "POST" and form.is_valid():
        try:
            access_request_release(request=form.cleaned_data["access_request"], released_by=request.user)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Released to family {family.reference}. We have emailed them.")
            return redirect("families:access-release", family.pk)
    return render(
        request,
        "families/officer/information.html",
        {
            "family": family,
            "form": form,
            "waiting": waiting,
            "answered": family.access_requests.exclude(status=AccessRequest.Status.ASKED).select_related("released_by"),
        },
        status=400 if form.errors else 200,
    )


@roles(Role.OFFICER)
def waiting_requests(request):
    """Every family's request not yet answered, soonest due first."""
    return render(
        request,
        "families/officer/information_list.html",
        {
            "waiting": AccessRequest.objects.filter(authority=request.authority, status=AccessRequest.Status.ASKED)
            .select_related("family")
            .order_by("due_on")
        },
    )
