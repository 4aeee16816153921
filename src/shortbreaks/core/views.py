from django.shortcuts import render

from shortbreaks.directory.selectors.taxonomy import break_kind_terms, needs_terms

from .access import public


@public
def home(request):
    return render(
        request,
        "core/home.html",
        {
            "needs": needs_terms(),
            "break_kinds": break_kind_terms(),
        },
    )


@public
def data_sources(request):
    return render(request, "core/data_sources.html")
