"""The 9am rush's short path: most of a rush is parents being told a session is full, so that
answer is given from memory, before the request reaches the rest of the stack.

Each app process remembers, for at most FULL_FOR seconds, the sessions it has just seen full
from their bookings alone (not counting places held for waiting-list offers, so the answer is
right for every child, the one holding an offer too). `FullSessionGate` answers a booking API
request for sessions all remembered full with the API's own 409, after checking what the full
path would check first:

- a signed-in session (read from the database, so signing out ends it at once) with the CSRF
  token, from someone who was a parent in this authority, needing no second step, when they
  signed in (the role snapshot below; it is only ever used to say "full");
- a well-formed request (anything else goes on, to get the API's 400);
- an idempotency key not used before: a retry of a booking that succeeded goes on, and gets
  its booking back.

The session is read as the session middleware reads it, but not checked against the person's
password as a full sign-in check would be: a session another device's password change ended
may still be told "full" until it next goes the full way. A remembered "full" can only be
wrong by refusing for a second or two after a place came back
(a cancellation with nobody waiting, or more places added); it can never book anything, so it
cannot oversell. Every booking, and every request the gate does not answer, goes through the
API and `services/booking.py`, where the locked part decides. Who may see it: the same as the
booking API (parents, for their own children); the answer holds no child's data."""

import re
import time
import uuid

import orjson
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session as DjangoSession
from django.http import HttpResponse
from django.utils import timezone
from ninja.utils import check_csrf

from shortbreaks.accounts.two_factor import needs_two_factor
from shortbreaks.core.idempotency import KEY_PATTERN
from shortbreaks.core.middleware import resolve_authority
from shortbreaks.core.roles import Role

from .models import BookingGroup
from .selectors.plain_sql import fetch, name, value

FULL_FOR = 1.0  # seconds a process trusts what it saw
API_PATH = "/api/bookings/"
PARENT_IN = "_parent_in"  # the session's role snapshot: authorities where its person is a parent
KEY = re.compile(KEY_PATTERN)

_full: dict = {}  # session id -> (seen at, authority id, what the parent is told)


def remember_full(session, words: str) -> None:
    now = time.monotonic()
    if len(_full) > 1000:  # a long-lived process forgets what is long past
        for session_id in [k for k, (seen_at, _, _) in _full.items() if now - seen_at > FULL_FOR]:
            del _full[session_id]
    _full[session.pk] = (now, session.authority_id, str(words))


def _words(session_id, authority_id, now: float) -> str | None:
    seen = _full.get(session_id)
    if seen is None or now - seen[0] > FULL_FOR or seen[1] != authority_id:
        return None
    return seen[2]


def forget_full(session_id=None) -> None:
    """A place may have come back (a cancellation, more places): ask the database again."""
    if session_id is None:
        _full.clear()
    else:
        _full.pop(session_id, None)


def remembered_full(sessions) -> list[tuple]:
    """(session, what the parent is told) for each of these sessions seen full within the
    second; the booking service refuses these before reading anything else."""
    now = time.monotonic()
    found = [(session, _words(session.pk, session.authority_id, now)) for session in sessions]
    return [(session, words) for session, words in found if words is not None]


def _known_full(session_ids: list, authority_id) -> list[str] | None:
    """What the parent is told for each session, if every one of them is remembered full."""
    now = time.monotonic()
    words = [_words(session_id, authority_id, now) for session_id in session_ids]
    return None if None in words else words


def snapshot_parent_roles(request, user) -> None:
    """At sign-in: where this person is a parent (nowhere, if they need a second step)."""
    if request is None or not hasattr(request, "session"):
        return
    parent_in = [] if needs_two_factor(user) else sorted(a for a, role in user.all_roles() if role == Role.PARENT)
    request.session[PARENT_IN] = parent_in


def _payload(body: bytes) -> tuple[list, str] | None:
    """The session ids and idempotency key of a well-formed booking request, else None."""
    try:
        data = orjson.loads(body)
        sessions, children, key = data["session_ids"], data["child_ids"], data["idempotency_key"]
        if not (1 <= len(sessions) <= 20 and 1 <= len(children) <= 10 and isinstance(key, str) and KEY.match(key)):
            return None
        if not isinstance(data.get("with_transport", False), bool):
            return None
        for child in children:
            uuid.UUID(child)
        return [uuid.UUID(s) for s in sessions], key
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        return None


# The two reads, as plain statements on the tables the models define (selectors/plain_sql.py).
_S, _G = DjangoSession._meta, BookingGroup._meta
_SESSION_SQL = (
    f"SELECT {name(_S, 'session_data')} FROM {name(_S)} "
    f"WHERE {name(_S, 'session_key')} = %s AND {name(_S, 'expire_date')} > %s"
)
_KEY_SQL = f"SELECT 1 FROM {name(_G)} WHERE {name(_G, 'booked_by')} = %s AND {name(_G, 'idempotency_key')} = %s"
_USER_ID = BookingGroup._meta.get_field("booked_by").target_field


def _signed_in(request) -> dict:
    """The request's session data, read from the database as the session middleware would
    (an expired or signed-out session is no session), without loading it into request.session."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return dict(request.session.items())
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return {}
    rows = fetch(_SESSION_SQL, [session_key, value(_S.get_field("expire_date"), timezone.now())])
    return SessionStore().decode(rows[0][0]) if rows else {}


def key_used(user_id, key: str) -> bool:
    """Whether this person has booked with this key already (one short statement)."""
    return bool(fetch(_KEY_SQL, [_USER_ID.to_python(user_id), key]))


def refusal(request) -> HttpResponse | None:
    """The booking API's "full" answer for this request, if the gate can give it."""
    if not _full or request.method != "POST" or request.path != API_PATH:
        return None
    parsed = _payload(request.body)
    if parsed is None:
        return None
    session_ids, key = parsed
    authority = resolve_authority(request.get_host())
    if authority is None or (words := _known_full(session_ids, authority.pk)) is None:
        return None
    session = _signed_in(request)
    user_id = session.get(SESSION_KEY)
    if user_id is None or authority.pk not in session.get(PARENT_IN, ()):
        return None
    if check_csrf(request) is not None:
        return None
    if key_used(user_id, key):
        return None  # a retry of a booking made: the API returns it
    body = {"error": "Nothing was booked.", "problems": words}
    return HttpResponse(orjson.dumps(body), status=409, content_type="application/json; charset=utf-8")


class FullSessionGate:
    """Right after the session middleware: answers from memory what `refusal` can."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return refusal(request) or self.get_response(request)
