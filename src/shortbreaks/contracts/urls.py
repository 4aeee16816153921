from django.urls import path

from .views import contracts, decommissioning, family, feedback

app_name = "contracts"
urlpatterns = [
    path("contracts/", contracts.listing, name="list"),
    path("contracts/budget/", contracts.budget, name="budget"),
    path("contracts/<uuid:contract_id>/", contracts.detail, name="detail"),
    path("contracts/direct/<uuid:opportunity_id>/", contracts.direct, name="direct"),
    path("provider/contracts/", contracts.mine, name="mine"),
    path("provider/contracts/<uuid:contract_id>/", contracts.provider_detail, name="provider-contract"),
    path("provider/returns/<uuid:return_id>/", contracts.return_form, name="return"),
    path("provider/feedback/", feedback.provider_list, name="provider-feedback"),
    path("frameworks/", family.frameworks, name="frameworks"),
    path("feedback/", feedback.give, name="feedback"),
    path("feedback/for-children/", feedback.give_child, name="feedback-child"),
    path("feedback/reviews/", feedback.reviews, name="reviews"),
    path("safeguarding/", feedback.safeguarding, name="safeguarding"),
    path("decommissioning/", decommissioning.plans, name="plans"),
    path("decommissioning/<uuid:plan_id>/", decommissioning.plan, name="plan"),
]
