"""The council awarding a call-off (the award offers its contract, so it is contracts'): the
award form on procurement's call-off page posts here; a refusal shows that page again with
what was typed and the message."""

from django.contrib import messages
from django.shortcuts import redirect, render

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role
from shortbreaks.procurement.forms.calloffs import CallOffAwardForm
from shortbreaks.procurement.selectors.frameworks import buyer_call_off, call_off_page

from ..services import call_off_award


@roles(Role.COMMISSIONER, Role.PROCUREMENT_OFFICER)
def award(request, call_off_id):
    call_off = buyer_call_off(authority=request.authority, pk=call_off_id)
    if request.method != "POST":
        return redirect("procurement:call-off", call_off.pk)
    form = CallOffAwardForm(request.POST, call_off=call_off)
    if form.is_valid():
        try:
            call_off_award(call_off=call_off, decided_by=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Call-off awarded and the provider told.")
            return redirect("procurement:call-off", call_off.pk)
    return render(request, "procurement/call_off.html", call_off_page(call_off) | {"form": form}, status=400)
