"""Safeguarding alerts: raised when a child, or a parent for them, says they did not feel safe.
They name the child and hold the family's contacts (children's health and disability data is
special category), so only this council's officers and safeguarding officers see them: never a
provider, a commissioner or a family. What the council does is recorded step by step."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role

from ..forms.feedback import StepForm
from ..models import SafeguardingStep
from ..selectors.feedback import alert_page, alerts_for
from ..services.feedback import safeguarding_step_add


@roles(Role.OFFICER, Role.SAFEGUARDING_OFFICER)
def safeguarding(request):
    """Every alert of this council, open ones first. Council officers and safeguarding officers
    of this council only."""
    return render(
        request,
        "contracts/safeguarding.html",
        {"alerts": alerts_for(authority=request.authority), "kinds": dict(SafeguardingStep.Kind.choices)},
    )


@roles(Role.OFFICER, Role.SAFEGUARDING_OFFICER)
def alert(request, alert_id):
    """One alert: the child (with a link to their record for officers, who may open it), the
    family's contacts, the break and its provider, the steps so far and a form for the next.
    Council officers and safeguarding officers of this council only; another council's alert
    is a 404."""
    item = get_object_or_404(alert_page(authority=request.authority), pk=alert_id)
    steps = list(item.steps.all())
    closing = next((step for step in steps if step.kind == SafeguardingStep.CLOSING), None)
    form = StepForm(request.POST or None) if closing is None else None
    if request.method == "POST" and form is None:
        form = StepForm(request.POST)
        form.add_error(None, "This alert is closed: it takes no more steps.")
    elif request.method == "POST" and form.is_valid():
        try:
            step = safeguarding_step_add(
                alert=item,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
                taken_by=request.user,
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                "Alert closed with its outcome."
                if step.kind == SafeguardingStep.CLOSING
                else f"Step recorded: {step.get_kind_display().lower()}.",
            )
            return redirect("contracts:safeguarding-alert", item.pk)
    feedback = item.feedback
    child = feedback.child
    return render(
        request,
        "contracts/safeguarding_alert.html",
        {
            "alert": item,
            "feedback": feedback,
            "child": child,
            "carers": list(child.family.carers.all()) if child else [],
            # The child's record is the families app's, for council officers only.
            "child_record": child is not None and Role.OFFICER in request.user.roles_in(request.authority),
            "steps": steps,
            "closing": closing,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )
