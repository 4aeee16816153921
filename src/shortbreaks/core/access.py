"""Every view declares who may see it. The declaration is attached to the view, so a test can
walk the URL configuration and prove that no view was left undeclared.

    @public              anyone, signed in or not
    @signed_in           any signed-in person
    @roles(Role.X, ...)  people holding one of these roles in the request's authority
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from shortbreaks.core.roles import Role


@dataclass(frozen=True)
class Access:
    public: bool = False
    roles: frozenset[str] = frozenset()  # empty with public=False: any signed-in person

    def describe(self) -> str:
        if self.public:
            return "anyone"
        if not self.roles:
            return "any signed-in person"
        return ", ".join(sorted(Role(r).label for r in self.roles))

    def allows(self, request) -> bool:
        if self.public:
            return True
        user = request.user
        if not user.is_authenticated:
            return False
        if not self.roles:
            return True
        return bool(self.roles & user.roles_in(request.authority))


def _declare(access: Access):
    def decorator(view):
        if access.public:
            view.access = access
            return view

        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not access.allows(request):
                raise PermissionDenied("You do not have a role that can see this page.")
            return view(request, *args, **kwargs)

        guarded.access = access
        return guarded

    return decorator


public = _declare(Access(public=True))
signed_in = _declare(Access())


def roles(*allowed: Role):
    return _declare(Access(roles=frozenset(allowed)))


def has_role(request, *wanted: Role) -> bool:
    return bool(set(wanted) & request.user.roles_in(request.authority))
