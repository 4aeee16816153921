from django.shortcuts import render

from .access import public


@public
def data_sources(request):
    return render(request, "core/data_sources.html")
