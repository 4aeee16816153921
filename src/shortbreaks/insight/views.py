"""Insight pages. The analysis, the home page and statement drafts are for commissioners only:
figures and, on drilling down, sessions and family references (never a child's name or record:
see docs/privacy.md). Published statements are public, as the law intends: they hold only
aggregate figures."""

import datetime as dt

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify

from shortbreaks.core.access import public, roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.forms import parse_date
from shortbreaks.core.paging import paginate
from shortbreaks.core.roles import Role
from shortbreaks.core.spreadsheets import CSV_TYPE, XLSX_TYPE, download
from shortbreaks.core.years import requested_year
from shortbreaks.directory.selectors.taxonomy import break_kind_terms

from .exports import TABLES, as_csv, as_xlsx, three_sixty_giving
from .models import Statement
from .presenting import context_for
from .selectors.gaps import AGE_BANDS, ELSEWHERE, PERIODS, Filters, cell_records, gap_analysis
from .selectors.home import home_figures
from .services import BUILDERS, statement_publish


def _filters(request) -> Filters:
    kinds = set(break_kind_terms().values_list("code", flat=True))
    return Filters(
        year=requested_year(request.GET.get("year", ""), timezone.localdate()),
        kind=request.GET.get("kind") if request.GET.get("kind") in kinds else "",
        period=request.GET.get("period") if request.GET.get("period") in PERIODS else "",
        age=request.GET.get("age") if request.GET.get("age") in AGE_BANDS else "",
    )


GAP_ROWS_PER_PAGE = 25


@roles(Role.COMMISSIONER)
def gaps(request):
    filters = _filters(request)
    analysis = gap_analysis(authority=request.authority, filters=filters)
    return render(
        request,
        "insight/gaps.html",
        {
            "analysis": analysis,
            "filters": filters,
            "kinds": break_kind_terms(),
            "periods": PERIODS,
            "ages": AGE_BANDS,
            "query": request.GET.urlencode(),
            **paginate(request, analysis.rows, per_page=GAP_ROWS_PER_PAGE),  # the gap table only
        },
    )


@roles(Role.COMMISSIONER)
def gap_cell(request, need, area):
    filters = _filters(request)
    analysis = gap_analysis(authority=request.authority, filters=filters)
    if need not in analysis.needs:
        raise Http404
    return render(
        request,
        "insight/gap_cell.html",
        {
            "cell": analysis.cell(need, area),
            "need_name": analysis.needs[need],
            "area": area,
            "filters": filters,
            "elsewhere": area == ELSEWHERE,
            "query": request.GET.urlencode(),
            **cell_records(authority=request.authority, filters=filters, need=need, area=area),
        },
    )


@roles(Role.COMMISSIONER)
def home(request):
    return render(request, "insight/home.html", home_figures(authority=request.authority, today=timezone.localdate()))


@roles(Role.COMMISSIONER)
def statements(request):
    if request.method == "POST":
        try:
            statement = statement_publish(
                authority=request.authority,
                kind=request.POST.get("kind", ""),
                review_by=parse_date(request.POST.get("review_by", ""), "the review date"),
                summary_of_changes=request.POST.get("summary", ""),
                published_by=request.user,
            )
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect("insight:statements")
        messages.success(request, f"{statement} is published. The PDF follows in a minute.")
        return redirect("insight:statement", statement.pk)
    return render(
        request,
        "insight/statements.html",
        {
            "kinds": Statement.Kind.choices,
            "suggested_review": timezone.localdate() + dt.timedelta(days=365),
            "statements": Statement.objects.filter(authority=request.authority),
        },
    )


@roles(Role.COMMISSIONER)
def statement_preview(request, kind):
    if kind not in BUILDERS:
        raise Http404
    return render(
        request,
        "insight/statement_page.html",
        context_for(kind, BUILDERS[kind](authority=request.authority, today=timezone.localdate())),
    )


@public
def published(request):
    statements = list(Statement.objects.filter(authority=request.authority))
    latest = {}
    for statement in statements:  # newest version first within each kind
        latest.setdefault(statement.kind, statement)
    return render(request, "insight/published.html", {"latest": list(latest.values()), "statements": statements})


@public
def statement(request, statement_id, easy_read=False):
    statement = get_object_or_404(Statement, pk=statement_id, authority=request.authority)
    if easy_read and statement.kind != Statement.Kind.SERVICES:
        raise Http404
    return render(
        request,
        "insight/statement_page.html",
        context_for(statement.kind, statement.content, statement=statement, easy_read=easy_read),
    )


@public
def statement_easy(request, statement_id):
    return statement(request, statement_id, easy_read=True)


@public
def statement_pdf(request, statement_id):
    statement = get_object_or_404(Statement, pk=statement_id, authority=request.authority)
    document = statement.easy_read_pdf if request.GET.get("easy") else statement.pdf
    if not document:
        raise Http404("The PDF is being prepared.")
    name = f"{statement.get_kind_display()} v{statement.version}{' easy read' if request.GET.get('easy') else ''}.pdf"
    return FileResponse(document.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")


@roles(Role.COMMISSIONER, Role.PROCUREMENT_OFFICER)
def export(request, table, fmt):
    """Figures only (no child or family appears in any of these tables)."""
    if table not in TABLES or fmt not in ("csv", "xlsx"):
        raise Http404
    built = TABLES[table](request.authority, _filters(request))
    body, content_type = (as_csv(built), CSV_TYPE) if fmt == "csv" else (as_xlsx(built), XLSX_TYPE)
    return download(body, filename=f"{slugify(built.title)}.{fmt}", content_type=content_type)


@public
def grants_360giving(request):
    """Public, as open data: the council's grants (no personal data)."""
    return JsonResponse(three_sixty_giving(request.authority), json_dumps_params={"indent": 2})


@roles(Role.COMMISSIONER)
def analysis(request):
    """Figures only: groups of children are counts, never people."""
    from .charts import bar_chart
    from .selectors import analysis as figures

    filters = _filters(request)
    start, end = filters.span
    today = timezone.localdate()
    series = figures.monthly_bookings(request.authority, 24, today)
    return render(
        request,
        "insight/analysis.html",
        {
            "filters": filters,
            "series": series,
            "forecast": figures.forecast(series),
            "trend_chart": bar_chart([f"{m:%b %Y}" for m, _ in series], {"Bookings": [n for _, n in series]})
            if any(n for _, n in series)
            else None,
            "years": figures.yearly_bookings(request.authority, 4, today),
            "by_kind": figures.unit_costs(request.authority, start, end, "kind"),
            "by_provider": figures.unit_costs(request.authority, start, end, "provider"),
            "satisfaction": figures.satisfaction(request.authority, start, end),
            "equality": figures.equality_of_access(request.authority, start, end),
        },
    )
