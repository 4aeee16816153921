from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from .two_factor import needs_two_factor

# What someone signed in but not yet past the second step may still reach.
# An invitation is reachable too: a member of staff whose app was reset accepts the new
# invitation after their password, and sets up the new app straight from it.
_OPEN_PREFIXES = ("/accounts/two-factor/", "/accounts/sign-out/", "/accounts/invitations/", "/static/")


class StaffTwoFactorMiddleware:
    """Staff who have signed in with a password, but not yet with a one-time code, are sent to
    the second step before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if needs_two_factor(user) and not user.is_verified() and not request.path.startswith(_OPEN_PREFIXES):
            return redirect(f"{reverse('accounts:two-factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
