"""Render Django form fields as GOV.UK Design System components, errors included."""

from datetime import datetime
from decimal import Decimal

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from shortbreaks.core.date_input import PARTS, DateInputWidget, error_parts

register = template.Library()


def _error(field: BoundField) -> str:
    if not field.errors:
        return ""
    return format_html(
        '<p id="{}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {}</p>',
        field.auto_id,
        " ".join(field.errors),
    )


def _hint(field: BoundField) -> str:
    if not field.help_text:
        return ""
    return format_html('<div id="{}-hint" class="govuk-hint">{}</div>', field.auto_id, field.help_text)


def _described_by(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


def _choice_group(field: BoundField, kind: str, small: bool) -> str:
    """Checkboxes or radios inside a fieldset, the legend being the field's label. Built from
    the choices and the value directly: BoundField.subwidgets is slow for long lists."""
    value = field.value()
    chosen = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value if value is not None else "")}
    input_type = "checkbox" if kind == "checkboxes" else "radio"
    name = escape(field.html_name)
    items = []
    for index, (choice_value, choice_label) in enumerate(field.field.choices):
        item_id = escape(f"{field.auto_id}-{index}" if index else field.auto_id)
        checked = " checked" if str(choice_value) in chosen else ""
        items.append(
            f'<div class="govuk-{kind}__item"><input class="govuk-{kind}__input" id="{item_id}" name="{name}" '
            f'type="{input_type}" value="{escape(choice_value)}"{checked}><label class="govuk-label '
            f'govuk-{kind}__label" for="{item_id}">{escape(choice_label)}</label></div>'
        )
    described = _described_by(field)
    size = f" govuk-{kind}--small" if small else ""
    return format_html(
        '<div class="govuk-form-group{}"><fieldset class="govuk-fieldset"{}>'
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{}</legend>{}{}'
        '<div class="govuk-{}{}" data-module="govuk-{}">{}</div></fieldset></div>',
        " govuk-form-group--error" if field.errors else "",
        format_html(' aria-describedby="{}"', described) if described else "",
        field.label,
        mark_safe(_hint(field)),
        mark_safe(_error(field)),
        kind,
        size,
        kind,
        mark_safe("".join(items)),
    )


def _single_checkbox(field: BoundField) -> str:
    checked = " checked" if field.value() else ""
    return format_html(
        '<div class="govuk-form-group{}">{}{}'
        '<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">'
        '<div class="govuk-checkboxes__item">'
        '<input class="govuk-checkboxes__input" id="{}" name="{}" type="checkbox" value="on"{}>'
        '<label class="govuk-label govuk-checkboxes__label" for="{}">{}</label></div></div></div>',
        " govuk-form-group--error" if field.errors else "",
        mark_safe(_hint(field)),
        mark_safe(_error(field)),
        field.auto_id,
        field.html_name,
        mark_safe(checked),
        field.auto_id,
        field.label,
    )


def _date_input(field: BoundField) -> str:
    """The GOV.UK date input: a fieldset of day, month and year, red only where it is wrong."""
    value = field.value()
    if not isinstance(value, list | tuple):
        value = field.field.widget.decompress(value)
    wrong = error_parts(field.errors) if field.errors else ()
    items = format_html_join(
        "",
        '<div class="govuk-date-input__item"><div class="govuk-form-group">'
        '<label class="govuk-label govuk-date-input__label" for="{}">{}</label>'
        '<input class="govuk-input govuk-date-input__input govuk-input--width-{}{}" id="{}" name="{}_{}" '
        'type="text" inputmode="numeric" spellcheck="false" value="{}"></div></div>',
        (
            (
                f"{field.auto_id}_{index}",
                part.capitalize(),
                4 if part == "year" else 2,
                " govuk-input--error" if part in wrong else "",
                f"{field.auto_id}_{index}",
                field.html_name,
                index,
                "" if value[index] is None else value[index],
            )
            for index, part in enumerate(PARTS)
        ),
    )
    described = _described_by(field)
    return format_html(
        '<div class="govuk-form-group{}"><fieldset class="govuk-fieldset" role="group"{}>'
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{}</legend>{}{}'
        '<div class="govuk-date-input" id="{}">{}</div></fieldset></div>',
        " govuk-form-group--error" if field.errors else "",
        format_html(' aria-describedby="{}"', described) if described else "",
        field.label,
        mark_safe(_hint(field)),
        mark_safe(_error(field)),
        field.auto_id,
        items,
    )


@register.filter
def error_anchor(field: BoundField) -> str:
    """Where the error summary's link for a field goes: the field itself, or for a date input
    the first box that is wrong."""
    if isinstance(field.field.widget, DateInputWidget):
        wrong = error_parts(field.errors) if field.errors else PARTS
        return f"{field.auto_id}_{PARTS.index(wrong[0])}"
    return field.auto_id


@register.simple_tag
def govuk_field(field: BoundField, width: str = "", small: bool = True, label_size: str = "s"):
    widget = field.field.widget
    if isinstance(widget, DateInputWidget):
        return _date_input(field)
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return _choice_group(field, "checkboxes", small)
    if isinstance(widget, forms.RadioSelect):
        return _choice_group(field, "radios", small)
    if isinstance(widget, forms.CheckboxInput):
        return _single_checkbox(field)

    error_class = ""
    if isinstance(widget, forms.Textarea):
        css = "govuk-textarea"
    elif isinstance(widget, forms.Select):
        css = "govuk-select"
    elif isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        css = "govuk-file-upload"
    else:
        css = "govuk-input"
        if width:
            css += f" govuk-input--width-{width}"
    if field.errors:
        error_class = f" {css.split()[0]}--error"
    attrs = {"class": css + error_class}
    described = _described_by(field)
    if described:
        attrs["aria-describedby"] = described
    rendered = field.as_widget(attrs=attrs)
    return format_html(
        '<div class="govuk-form-group{}"><label class="govuk-label govuk-label--{}" for="{}">{}</label>{}{}{}</div>',
        " govuk-form-group--error" if field.errors else "",
        label_size,
        field.id_for_label,
        field.label,
        mark_safe(_hint(field)),
        mark_safe(_error(field)),
        rendered,
    )


@register.simple_tag
def summary_rows(rows):
    """rows: iterable of (key, value) pairs for a govuk-summary-list."""
    return format_html_join(
        "",
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{}</dt>'
        '<dd class="govuk-summary-list__value">{}</dd></div>',
        rows,
    )


@register.filter
def money(value):
    """£1,234.50; a negative amount is "-£12.00", as people write it."""
    if value is None or value == "":
        return ""
    value = Decimal(str(value))
    return f"-£{-value:,.2f}" if value < 0 else f"£{value:,.2f}"


@register.filter
def hours(value):
    """Hours as people write them: "2,400", "187.5" (never "187.00")."""
    if value is None or value == "":
        return ""
    value = Decimal(str(value)).quantize(Decimal("0.1"))
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.1f}"


_DAY_NAMES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}


@register.filter
def day_names(byday: str) -> str:
    names = [_DAY_NAMES.get(code, code) for code in (byday or "").split(",") if code]
    if len(names) > 1:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return names[0] if names else ""


@register.filter
def clock(value) -> str:
    """9:30am, 3pm, midday, midnight: the GOV.UK style for times."""
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)  # a moment is said in the council's time, never UTC's
    if value.minute == 0 and value.hour in (0, 12):
        return "midnight" if value.hour == 0 else "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}:{value.minute:02d}{suffix}" if value.minute else f"{hour}{suffix}"


@register.filter
def day_and_time(value) -> str:
    """1 September 2027 at 2:30pm (or at midday), in the council's time: the GOV.UK style."""
    local = timezone.localtime(value)
    return f"{local.day} {local:%B %Y} at {clock(local)}"


@register.filter
def time_range(starts, ends) -> str:
    """When a session runs, the one way pages and emails say it: "3:30pm to 6pm", "10am to
    3pm"; an overnight one, ending at or before the time it starts, "5pm to 10am the next day".
    In a template: {{ session.starts_at|time_range:session.ends_at }}."""
    if starts is None or ends is None:
        return clock(starts or ends)
    said = f"{clock(starts)} to {clock(ends)}"
    return f"{said} the next day" if ends <= starts else said
