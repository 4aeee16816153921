"""The booking API at /api/bookings/: parents book, for their own children, through their
signed-in session (with the CSRF token, as the site's own pages do). Parents only; everyone
else gets a 403 and anonymous callers a 401. Which children are "their own" is decided in one
place, families.selectors.access.children_of_carer, for reads and writes alike."""

from decimal import Decimal
from uuid import UUID

import orjson
from django.http import HttpRequest
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import BaseRenderer
from ninja.security import SessionAuth

from shortbreaks.core.access import Access
from shortbreaks.core.errors import Busy, NotAllowed
from shortbreaks.core.roles import Role
from shortbreaks.families.selectors.access import children_of_carer

from ..models import Booking, Session
from ..services.booking import BookingRefused, booking_create

ACCESS = Access(roles=frozenset({Role.PARENT}))


class NotPermitted(Exception):
    pass


class ORJSONRenderer(BaseRenderer):
    """The API's answers through orjson (ids, dates and decimals included): the rush's
    answers cost less to write. The gate (rush.py) writes its "full" the same way."""

    media_type = "application/json"

    def render(self, request, data, *, response_status):
        return orjson.dumps(data, default=_plain)


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


class ParentSession(SessionAuth):
    """The signed-in session (with its CSRF check), and the parent role, before anything else:
    someone without the role gets a 403 whatever they send."""

    def _get_key(self, request):
        # Someone not signed in is told to sign in (401), before any CSRF check (403).
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None and not ACCESS.allows(request):
            raise NotPermitted()
        return user


api = NinjaAPI(
    title="Short breaks bookings",
    version="1.0",
    urls_namespace="bookings-api",
    docs_url=None,
    auth=ParentSession(),
    renderer=ORJSONRenderer(),
    description="Book short breaks for your own children. Sign in first; send the CSRF token.",
)
api.access = ACCESS


@api.exception_handler(NotPermitted)
def not_permitted(request, exc):
    return api.create_response(request, {"error": "Only parents and carers can book."}, status=403)


class BookingIn(Schema):
    session_ids: list[UUID] = Field(..., min_length=1, max_length=20)
    child_ids: list[UUID] = Field(..., min_length=1, max_length=10)
    with_transport: bool = False
    idempotency_key: str = Field(..., min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_:\-]+$")


class BookingOut(Schema):
    id: UUID
    session_id: UUID
    child_id: UUID
    status: str
    price: float


class GroupOut(Schema):
    group_id: UUID
    bookings: list[BookingOut]


class Problem(Schema):
    error: str
    problems: list[str] | None = None


@api.exception_handler(AuthenticationError)
def not_signed_in(request, exc):
    return api.create_response(request, {"error": "Sign in first."}, status=401)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    # django-ninja's own refusals (a failed CSRF check above all) in this API's error shape.
    message = "Send the CSRF token from your signed-in session." if "CSRF" in str(exc) else str(exc)
    return api.create_response(request, {"error": message}, status=exc.status_code)


@api.exception_handler(NinjaValidationError)
def invalid_request(request, exc: NinjaValidationError):
    details = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', [])[1:])}: {e.get('msg', '')}" for e in exc.errors)
    return api.create_response(request, {"error": details or "Invalid request"}, status=400)


def _as_out(group) -> dict:
    return {
        "group_id": group.pk,
        "bookings": [
            {
                "id": b.pk,
                "session_id": b.session_id,
                "child_id": b.child_id,
                "status": b.status,
                "price": float(b.price),
            }
            # A new booking carries what it made; a retried one reads it back.
            for b in getattr(group, "made", None) or group.bookings.all()
        ],
    }


@api.post(
    "/",
    response={201: GroupOut, 400: Problem, 401: Problem, 403: Problem, 409: Problem, 503: Problem},
    summary="Book sessions for your children, all or none",
)
def create_booking(request: HttpRequest, payload: BookingIn):
    sessions = list(
        Session.objects.filter(pk__in=payload.session_ids, authority=request.authority).select_related("service")
    )
    for session in sessions:
        session.authority = request.authority  # as filtered: no need to read it again
    if len(sessions) != len(set(payload.session_ids)):
        return 409, {"error": "Nothing was booked: a session was not found."}
    try:
        group = booking_create(
            sessions=sessions,
            children=payload.child_ids,  # read by booking_create, from this parent's own children
            booked_by=request.user,
            idempotency_key=payload.idempotency_key,
            with_transport=payload.with_transport,
        )
    except BookingRefused as refused:
        return 409, {"error": "Nothing was booked.", "problems": refused.problems}
    except Busy as busy:
        return 503, {"error": busy.message}
    except NotAllowed as error:
        return 409, {"error": error.message}
    return 201, _as_out(group)


@api.get("/", response={200: list[BookingOut], 401: Problem, 403: Problem}, summary="Your children's bookings")
def my_bookings(request: HttpRequest):
    """Every booking of the children this person is a carer of now, whoever made it: a carer who
    leaves a family stops seeing where its children go."""
    children = children_of_carer(user=request.user, authority=request.authority)
    bookings = Booking.objects.filter(authority=request.authority, child__in=children).order_by("created_at")
    return 200, [
        {"id": b.pk, "session_id": b.session_id, "child_id": b.child_id, "status": b.status, "price": float(b.price)}
        for b in bookings
    ]
