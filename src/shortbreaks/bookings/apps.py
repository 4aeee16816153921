from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "shortbreaks.bookings"
    label = "bookings"
    verbose_name = "Booking short breaks"
