"""Regional commissioning pages, for commissioners and procurement officers of the authorities
in an arrangement (the lead and the participants): the agreement, the joint monitoring picture
(figures per authority and provider only, contracts' panel on the page) and calling off for
their own authority."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from shortbreaks.core.access import roles

from ..forms.calloffs import CallOffForm
from ..models import CallOff
from ..selectors.joint import joint_arrangements
from .calloffs import create_from_form
from .staff import BUYERS


@roles(*BUYERS)
def listing(request):
    return render(request, "procurement/joint_list.html", {"arrangements": joint_arrangements(request.authority)})


@roles(*BUYERS)
def detail(request, arrangement_id):
    arrangement = joint_arrangements(request.authority).filter(pk=arrangement_id).first()
    if arrangement is None:
        raise Http404
    framework = arrangement.framework
    form = None
    if request.method == "POST":
        form = CallOffForm(request.POST, framework=framework)
        call_off = create_from_form(request, form, framework)
        if call_off is not None:
            messages.success(request, "Call-off created for your council.")
            return redirect("procurement:call-off", call_off.pk)
    return render(
        request,
        "procurement/joint_detail.html",
        {
            "arrangement": arrangement,
            "framework": framework,
            "lead": arrangement.authority_id == request.authority.pk,
            "mine": CallOff.objects.filter(framework=framework, authority=request.authority).select_related("lot"),
            "call_off_form": form,
            "failed": form,  # the error summary at the top, and "Error:" in the title
        },
        status=400 if form is not None else 200,
    )
