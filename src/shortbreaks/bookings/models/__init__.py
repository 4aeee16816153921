from .bookings import Booking, BookingGroup, WaitingListEntry
from .sessions import BookingPolicy, Scheme, Session

__all__ = ["Booking", "BookingGroup", "BookingPolicy", "Scheme", "Session", "WaitingListEntry"]
