from django.urls import path

from .views import contracts, decommissioning, family, feedback

app_name = "contracts"
urlpatterns = [
    path("contracts/", contracts.listing, name="list"),
    path("contracts/budget/", contracts.budget, name="budget"),
    path("contracts/awards/confirm/", contracts.confirm_award, name="award-confirm"),
    path("contracts/<uuid:contract_id>/", contracts.detail, name="detail"),
    path("contracts/<uuid:contract_id>/terms/", contracts.terms, name="terms"),
    path("contracts/<uuid:contract_id>/services/", contracts.services, name="services"),
    path("contracts/<uuid:contract_id>/kpis/new/", contracts.kpi, name="kpi"),
    path("contracts/<uuid:contract_id>/milestones/new/", contracts.milestone, name="milestone"),
    path("contracts/<uuid:contract_id>/milestones/pay/", contracts.milestone_payment, name="milestone-pay"),
    path("contracts/<uuid:contract_id>/payments/new/", contracts.payment, name="payment"),
    path("contracts/<uuid:contract_id>/variations/new/", contracts.variation, name="variation"),
    path("contracts/<uuid:contract_id>/variations/decide/", contracts.variation_decision, name="variation-decide"),
    path("contracts/<uuid:contract_id>/returns/decide/", contracts.return_decision, name="return-decide"),
    path("contracts/<uuid:contract_id>/visits/new/", contracts.visit, name="visit"),
    path("contracts/<uuid:contract_id>/visits/actions/new/", contracts.visit_action, name="visit-action"),
    path("contracts/<uuid:contract_id>/visits/finalise/", contracts.visit_final, name="visit-finalise"),
    path("contracts/direct/<uuid:opportunity_id>/", contracts.direct, name="direct"),
    path("provider/contracts/", contracts.mine, name="mine"),
    path("provider/contracts/answer/", contracts.answer, name="answer"),
    path("provider/contracts/<uuid:contract_id>/", contracts.provider_detail, name="provider-contract"),
    path(
        "provider/contracts/<uuid:contract_id>/corrections/",
        contracts.visit_corrections,
        name="provider-corrections",
    ),
    path(
        "provider/contracts/<uuid:contract_id>/actions/done/", contracts.plan_action_done, name="provider-action-done"
    ),
    path("provider/returns/<uuid:return_id>/", contracts.return_form, name="return"),
    path("provider/feedback/", feedback.provider_list, name="provider-feedback"),
    path("frameworks/", family.frameworks, name="frameworks"),
    path("feedback/", feedback.give, name="feedback"),
    path("feedback/for-children/", feedback.give_child, name="feedback-child"),
    path("feedback/reviews/", feedback.reviews, name="reviews"),
    path("safeguarding/", feedback.safeguarding, name="safeguarding"),
    path("decommissioning/", decommissioning.plans, name="plans"),
    path("decommissioning/<uuid:plan_id>/", decommissioning.plan, name="plan"),
    path("decommissioning/<uuid:plan_id>/alternatives/", decommissioning.alternative, name="plan-alternative"),
    path("decommissioning/<uuid:plan_id>/complete/", decommissioning.complete, name="plan-complete"),
]
