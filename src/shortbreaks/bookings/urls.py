from django.urls import path

from .views import changes, parent, provider, schemes

app_name = "bookings"
urlpatterns = [
    path("services/<uuid:service_id>/book/", parent.book, name="book"),
    path("bookings/", parent.my_bookings, name="mine"),
    path("bookings/<uuid:booking_id>/cancel/", changes.cancel, name="cancel"),
    path("bookings/<uuid:booking_id>/calendar.ics", parent.calendar, name="calendar"),
    path("bookings/offers/<uuid:entry_id>/", changes.answer_offer, name="offer"),
    path("bookings/waiting/<uuid:entry_id>/leave/", changes.leave_waiting_list, name="leave-waiting-list"),
    path("bookings/schemes/<uuid:scheme_id>/ask/", parent.ask, name="ask"),
    path("schemes/", schemes.schemes, name="schemes"),
    path("schemes/<uuid:scheme_id>/", schemes.scheme, name="scheme"),
    path("schemes/rounds/<uuid:round_id>/", schemes.round_detail, name="round"),
    path("provider/schemes/<uuid:scheme_id>/", provider.scheme_bookings, name="scheme-bookings"),
    path("provider/sessions/", provider.sessions, name="sessions"),
    path("provider/services/<uuid:service_id>/sessions/", provider.add_sessions, name="add-sessions"),
    path("provider/sessions/<uuid:session_id>/", provider.register, name="register"),
]
