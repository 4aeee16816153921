from .bookings import Booking, BookingGroup, WaitingListEntry
from .rounds import FamilyRequest, PlaceRequest, RequestRound
from .sessions import BookingPolicy, Scheme, Session

__all__ = [
    "Booking",
    "BookingGroup",
    "BookingPolicy",
    "FamilyRequest",
    "PlaceRequest",
    "RequestRound",
    "Scheme",
    "Session",
    "WaitingListEntry",
]
