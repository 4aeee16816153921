from django.urls import path

from .views import parent, provider

app_name = "bookings"
urlpatterns = [
    path("services/<uuid:service_id>/book/", parent.book, name="book"),
    path("bookings/", parent.my_bookings, name="mine"),
    path("bookings/<uuid:booking_id>/cancel/", parent.cancel, name="cancel"),
    path("bookings/<uuid:booking_id>/calendar.ics", parent.calendar, name="calendar"),
    path("bookings/offers/<uuid:entry_id>/", parent.answer_offer, name="offer"),
    path("provider/sessions/", provider.sessions, name="sessions"),
    path("provider/services/<uuid:service_id>/sessions/", provider.add_sessions, name="add-sessions"),
    path("provider/sessions/<uuid:session_id>/", provider.register, name="register"),
]
