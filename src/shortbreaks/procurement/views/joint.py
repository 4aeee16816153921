"""Regional commissioning pages, for commissioners and procurement officers of the authorities
in an arrangement (the lead and the participants): the agreement, the joint monitoring picture
(figures per authority and provider only) and calling off for their own authority."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.forms import parse_datetime

from ..frameworks import call_off_create
from ..joint import joint_arrangements, joint_monitoring
from ..models import CallOff, Lot
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
    if request.method == "POST":
        lot = get_object_or_404(Lot, pk=request.POST.get("lot"), opportunity=framework)
        try:
            call_off = call_off_create(framework=framework, lot=lot, authority=request.authority,
                                       title=request.POST.get("title", "")[:200].strip(),
                                       description=request.POST.get("description", "")[:4000],
                                       method=request.POST.get("method", ""),
                                       justification=request.POST.get("justification", "")[:4000],
                                       deadline=parse_datetime(request.POST.get("deadline", "")), created_by=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect("procurement:joint", arrangement.pk)
        messages.success(request, "Call-off created for your council.")
        return redirect("procurement:call-off", call_off.pk)
    return render(request, "procurement/joint_detail.html", {
        "arrangement": arrangement, "framework": framework, "monitoring": joint_monitoring(arrangement),
        "lead": arrangement.authority_id == request.authority.pk,
        "mine": CallOff.objects.filter(framework=framework, authority=request.authority).select_related("lot"),
    })
