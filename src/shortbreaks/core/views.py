from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from .access import public, roles
from .forms import SitePageForm
from .models import SitePage
from .roles import Role
from .site_pages import as_html, site_page, site_page_update


@public
def data_sources(request):
    return render(request, "core/data_sources.html")


@public
def footer_page(request, kind):
    """The accessibility statement, the cookies page and the open data publication policy (the
    privacy notice is accounts'), as the council wrote them. Anyone may read them."""
    page = site_page(request.authority, kind)
    if page is None:
        raise Http404("No such page")
    return render(request, "core/site_page.html", {"page": page, "html": as_html(page.body)})


@roles(Role.ADMINISTRATOR)
def footer_pages(request):
    """The authority's administrators change what its footer pages say."""
    pages = SitePage.objects.filter(authority=request.authority).select_related("updated_by").order_by("kind")
    return render(request, "core/site_pages_manage.html", {"pages": pages})


@roles(Role.ADMINISTRATOR)
def footer_page_edit(request, kind):
    page = site_page(request.authority, kind)
    if page is None:
        raise Http404("No such page")
    form = SitePageForm(request.POST or None, initial={"body": page.body})
    if request.method == "POST" and form.is_valid():
        site_page_update(
            authority=request.authority, kind=kind, body=form.cleaned_data["body"], updated_by=request.user
        )
        messages.success(request, f"{page.get_kind_display()} saved. Everyone sees the new text now.")
        return redirect("core:footer-pages")
    preview = as_html(form.data.get("body", "")) if form.is_bound else as_html(page.body)
    return render(
        request,
        "core/site_page_edit.html",
        {"page": page, "form": form, "preview": preview},
        status=400 if form.errors else 200,
    )
