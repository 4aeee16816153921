"""Records named by an id that arrived in a form field or a query string. An id a person (or a
probe) can type is checked before any lookup: a malformed one is a 404, never a server error."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import _get_queryset, get_object_or_404


def valid_pk(model, value):
    """The value as the model's primary key, or None if it cannot be one."""
    try:
        return model._meta.pk.to_python(value) if value not in (None, "") else None
    except (ValidationError, ValueError, TypeError, OverflowError):
        return None


def object_or_404(klass, value, **filters):
    """get_object_or_404(klass, pk=value, **filters) for a value from outside."""
    queryset = _get_queryset(klass)
    pk = valid_pk(queryset.model, value)
    if pk is None:
        raise Http404("No such record.")
    return get_object_or_404(queryset, pk=pk, **filters)


def valid_pks(model, values) -> list:
    """The values (from a list of ticked boxes) that can be the model's primary keys."""
    return [pk for pk in (valid_pk(model, v) for v in values) if pk is not None]
