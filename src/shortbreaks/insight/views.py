"""Insight pages, for commissioners only: figures and, on drilling down, sessions and family
references (never a child's name or record: see docs/privacy.md)."""

import datetime as dt

from django.http import Http404
from django.shortcuts import render

from shortbreaks.accounts.roles import Role
from shortbreaks.core.access import roles
from shortbreaks.directory.selectors.taxonomy import break_kind_terms

from .selectors.gaps import AGE_BANDS, ELSEWHERE, PERIODS, Filters, cell_records, gap_analysis
from .selectors.home import home_figures


def _filters(request) -> Filters:
    today = dt.date.today()
    default_year = today.year if today.month >= 4 else today.year - 1
    year = request.GET.get("year", "")
    kinds = set(break_kind_terms().values_list("code", flat=True))
    return Filters(year=int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else default_year,
                   kind=request.GET.get("kind") if request.GET.get("kind") in kinds else "",
                   period=request.GET.get("period") if request.GET.get("period") in PERIODS else "",
                   age=request.GET.get("age") if request.GET.get("age") in AGE_BANDS else "")


@roles(Role.COMMISSIONER)
def gaps(request):
    filters = _filters(request)
    analysis = gap_analysis(authority=request.authority, filters=filters)
    return render(request, "insight/gaps.html", {
        "analysis": analysis, "filters": filters, "kinds": break_kind_terms(), "periods": PERIODS,
        "ages": AGE_BANDS, "query": request.GET.urlencode()})


@roles(Role.COMMISSIONER)
def gap_cell(request, need, area):
    filters = _filters(request)
    analysis = gap_analysis(authority=request.authority, filters=filters)
    if need not in analysis.needs:
        raise Http404
    return render(request, "insight/gap_cell.html", {
        "cell": analysis.cell(need, area), "need_name": analysis.needs[need], "area": area, "filters": filters,
        "elsewhere": area == ELSEWHERE, "query": request.GET.urlencode(),
        **cell_records(authority=request.authority, filters=filters, need=need, area=area)})


@roles(Role.COMMISSIONER)
def home(request):
    return render(request, "insight/home.html", home_figures(authority=request.authority, today=dt.date.today()))
