from django.urls import path

from .views import family, officer, own, register

app_name = "assistants"
urlpatterns = [
    path("personal-assistants/register/", register.register, name="register"),
    path("assistant/", own.home, name="home"),
    path("assistant/profile/", own.profile, name="profile"),
    path("assistant/training/", own.training, name="training"),
    path("assistant/training/<uuid:training_id>/", own.training, name="training-renew"),
    path("assistant/references/", own.reference, name="reference"),
    path("assistant/bookings/<uuid:pa_booking_id>/", own.booking, name="booking"),
    path("caseload/assistants/", officer.assistants, name="vetting"),
    path("caseload/assistants/<uuid:assistant_id>/", officer.assistant, name="vet"),
    path("assistants/", family.find, name="find"),
    path("assistants/<uuid:assistant_id>/", family.detail, name="detail"),
    path("bookings/assistants/", family.family_bookings, name="family-bookings"),
    path("bookings/assistants/<uuid:pa_booking_id>/", family.family_booking, name="family-booking"),
    path(
        "bookings/assistants/<uuid:pa_booking_id>/cancel/", family.family_booking_cancel, name="family-booking-cancel"
    ),
]
