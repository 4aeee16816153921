"""Insight pages. The analysis, the home page and statement drafts are for commissioners only:
figures and, on drilling down, sessions and family references (never a child's name or record:
see docs/privacy.md). Published statements are public, as the law intends: they hold only
aggregate figures."""

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify

from shortbreaks.core.access import public, roles
from shortbreaks.core.downloads import open_stored
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.paging import paginate
from shortbreaks.core.roles import Role
from shortbreaks.core.spreadsheets import CSV_TYPE, XLSX_TYPE, download
from shortbreaks.core.years import requested_year
from shortbreaks.directory.selectors.taxonomy import break_kind_terms

from .exports import TABLES, as_csv, as_xlsx, three_sixty_giving
from .forms import SectionChangeForm, SectionForm, SectionRemoveForm, StatementPublishForm
from .models import Statement
from .presenting import context_for
from .selectors.gaps import AGE_BANDS, ELSEWHERE, PERIODS, Filters, cell_records, gap_analysis
from .selectors.home import home_figures
from .selectors.narrative import statement_sections
from .services import (
    BUILDERS,
    statement_publish,
    statement_section_add,
    statement_section_remove,
    statement_section_update,
)


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
    today = timezone.localdate()
    form = StatementPublishForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            statement = statement_publish(
                authority=request.authority,
                kind=form.cleaned_data["kind"],
                review_by=form.cleaned_data["review_by"],
                summary_of_changes=form.cleaned_data["summary"],
                published_by=request.user,
                today=today,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{statement} is published. The PDF follows in a minute.")
            return redirect("insight:statement", statement.pk)
    return render(
        request,
        "insight/statements.html",
        {
            "form": form,
            "sections": statement_sections(authority=request.authority).count(),
            "statements": Statement.objects.filter(authority=request.authority),
        },
        status=400 if form.errors else 200,
    )


def _narrative_page(request, *, add_form=None, failed=None, status=200):
    """The council's sections, each in its own form (the one that failed keeps what was typed),
    and a form to add one."""
    rows = []
    for section in statement_sections(authority=request.authority):
        if isinstance(failed, SectionChangeForm) and failed.row_id == str(section.pk):
            form = failed
        else:
            form = SectionChangeForm(
                auto_id=f"%s-{section.pk}",
                authority=request.authority,
                initial={
                    "section": section.pk,
                    "heading": section.heading,
                    "body": section.body,
                    "place": section.place,
                    "position": section.position,
                },
            )
        rows.append((section, form))
    add_form = add_form or SectionForm()
    return render(
        request,
        "insight/narrative.html",
        {"rows": rows, "add_form": add_form, "form": failed or (add_form if add_form.errors else None)},
        status=status,
    )


@roles(Role.COMMISSIONER)
def narrative(request):
    """The market position statement's own words: written here, published with the figures."""
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            section = statement_section_add(authority=request.authority, added_by=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"‘{section.heading}’ is added. It goes into the next version you publish.")
            return redirect("insight:narrative")
    return _narrative_page(request, add_form=form, status=400 if form.errors else 200)


@roles(Role.COMMISSIONER)
def narrative_change(request):
    if request.method != "POST":
        return redirect("insight:narrative")
    form = SectionChangeForm(request.POST, authority=request.authority)
    if form.is_valid():
        words = {name: form.cleaned_data[name] for name in ("heading", "body", "place", "position")}
        try:
            section = statement_section_update(section=form.cleaned_data["section"], updated_by=request.user, **words)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"‘{section.heading}’ is saved. It goes into the next version you publish.")
            return redirect("insight:narrative")
    return _narrative_page(request, failed=form, status=400)


@roles(Role.COMMISSIONER)
def narrative_remove(request):
    if request.method != "POST":
        return redirect("insight:narrative")
    form = SectionRemoveForm(request.POST, authority=request.authority)
    if form.is_valid():
        section = form.cleaned_data["section"]
        try:
            statement_section_remove(section=section, removed_by=request.user)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"‘{section.heading}’ is removed. Published versions keep it.")
            return redirect("insight:narrative")
    return _narrative_page(request, failed=form, status=400)


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
    return FileResponse(open_stored(document), as_attachment=True, filename=name, content_type="application/pdf")


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
    """Public, as open data: the council's grants (no personal data). With none there is no
    package to give (360Giving's holds at least one grant)."""
    package = three_sixty_giving(request.authority)
    if package is None:
        return JsonResponse({"error": "No grants are published yet."}, status=404)
    return JsonResponse(package, json_dumps_params={"indent": 2})


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
