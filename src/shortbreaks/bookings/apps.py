from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "shortbreaks.bookings"
    label = "bookings"
    verbose_name = "Booking short breaks"

    def ready(self):
        from shortbreaks.core.panels import register_panel

        from . import panels, receivers  # noqa: F401 (receivers connect on import)

        register_panel(
            "families.young-person", template="bookings/_young_person.html", context=panels.young_person_bookings
        )
        register_panel(
            "directory.service-booking", template="bookings/_service_booking.html", context=panels.service_booking
        )
