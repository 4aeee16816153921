# django-axes names this view in settings (AXES_LOCKOUT_CALLABLE).
from .signing_in import locked_out  # noqa: F401
