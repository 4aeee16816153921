"""Every CSV and XLSX file the platform produces is written here, so that none can carry a live
formula. A text cell starting with a character a spreadsheet reads as the start of a formula
(=, +, -, @, a tab or a carriage return) is written with a leading apostrophe, which shows it
as the text it is (OWASP's advice for CSV injection); numbers and dates are left as they are.
Downloads are named with RFC 6266's `filename*` where the name is not plain ASCII."""

import csv
import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe(value):
    """A cell's value as it may go into a spreadsheet."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(headers: list[str], rows: Iterable[Iterable]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe(h) for h in headers])
    writer.writerows([safe(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read it as UTF-8


def _xlsx_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones: local time as written
    return safe(value)


def xlsx_bytes(title: str, headers: list[str], rows: Iterable[Iterable]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Sheet"
    sheet.append([safe(h) for h in headers])
    for row in rows:
        sheet.append([_xlsx_value(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download(content: bytes, *, filename: str, content_type: str, private: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        response["Cache-Control"] = "private, no-store"
    return response


def csv_download(filename: str, headers: list[str], rows: Iterable[Iterable], *, private: bool = False) -> HttpResponse:
    return download(csv_bytes(headers, rows), filename=filename, content_type=CSV_TYPE, private=private)
