"""Dates and times as people in England type them: "1 September 2027", "1 Sep 2027",
"01/09/2027", "2027-09-01" (what a browser's date picker sends), with a time such as "2pm",
"2:30pm" or "14:30". Django uses these for every form field that names no formats of its own;
core/form_fields.py tidies "Sept", commas and "2 pm" before they are tried. Only input formats
are set here: how dates are shown stays Django's (and the `govuk` filters')."""

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%d/%m/%y"]

TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%I%p", "%I:%M%p", "%I:%M:%S%p"]

DATETIME_INPUT_FORMATS = [
    f"{day}{sep}{time}" for day in DATE_INPUT_FORMATS for sep in (" ", "T") for time in TIME_INPUT_FORMATS
]
