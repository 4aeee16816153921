from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "shortbreaks.bookings"
    label = "bookings"
    verbose_name = "Booking short breaks"

    def ready(self):
        from shortbreaks.core.panels import register_panel
        from shortbreaks.families.selectors.statement import register_break_days

        from . import panels, receivers  # noqa: F401 (receivers connect on import)
        from .selectors import break_days

        # The budget statement dates a booking's entries by the day of its session.
        register_break_days("booking", break_days.booking_days)

        register_panel(
            "families.young-person", template="bookings/_young_person.html", context=panels.young_person_bookings
        )
        register_panel(
            "directory.service-booking", template="bookings/_service_booking.html", context=panels.service_booking
        )
