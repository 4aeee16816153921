from django.urls import path

from .views import freshness, manage, market, people, provider, public, registration

app_name = "directory"
urlpatterns = [
    path("", public.home, name="home"),
    path("services/", public.search, name="search"),
    path("services/<uuid:service_id>/", public.service_detail, name="service"),
    path("commissioning/", market.market, name="market"),
    path("commissioning/intentions/<uuid:intention_id>/", market.intention_detail, name="intention"),
    path("commissioning/documents/<uuid:document_id>/", market.document_download, name="document"),
    path("events/", market.events, name="events"),
    path("events/<uuid:event_id>/", market.event_detail, name="event"),
    path("events/<uuid:event_id>/register/", market.event_register_view, name="event-register"),
    path("providers/register/", registration.register, name="register"),
    path("provider/", provider.provider_home, name="provider-home"),
    path("provider/people/", people.people, name="provider-people"),
    path("provider/organisation/", provider.organisation_edit, name="provider-organisation"),
    path("provider/services/new/", provider.service_edit, name="provider-service-new"),
    path("provider/services/<uuid:service_id>/", provider.service_edit, name="provider-service-edit"),
    path("provider/services/<uuid:service_id>/check/", freshness.provider_service_check, name="provider-service-check"),
    path("provider/changes/<uuid:change_id>/withdraw/", provider.change_withdraw, name="provider-change-withdraw"),
    path("provider/subscriptions/", provider.subscription_edit, name="provider-subscription"),
    path(
        "provider/subscriptions/<int:subscription_id>/remove/",
        provider.subscription_remove,
        name="provider-subscription-remove",
    ),
    path("manage/", manage.manage_home, name="manage-home"),
    path("manage/changes/<uuid:change_id>/", manage.change_review, name="change-review"),
    path("manage/organisations/", manage.organisations, name="manage-organisations"),
    path(
        "manage/registrations/<uuid:organisation_id>/",
        registration.registration_review,
        name="manage-registration",
    ),
    path("manage/organisations/<uuid:organisation_id>/", manage.organisation_detail, name="manage-organisation"),
    path("manage/services/<uuid:service_id>/check/", freshness.council_service_check, name="manage-service-check"),
    path("manage/services/<uuid:service_id>/history/", manage.service_history, name="manage-service-history"),
    path("manage/intentions/new/", manage.intention_edit, name="manage-intention-new"),
    path("manage/intentions/<uuid:intention_id>/", manage.intention_edit, name="manage-intention"),
    path("manage/documents/new/", manage.document_upload, name="manage-document-new"),
    path("manage/events/new/", manage.event_new, name="manage-event-new"),
    path("manage/events/<uuid:event_id>/", manage.event_attendees, name="manage-event"),
    path("manage/events/<uuid:event_id>/edit/", manage.event_edit, name="manage-event-edit"),
    path("manage/events/<uuid:event_id>/cancel/", manage.event_cancel_view, name="manage-event-cancel"),
]
