from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("data-sources/", views.data_sources, name="data-sources"),
    path("accessibility/", views.footer_page, {"kind": "accessibility"}, name="accessibility"),
    path("cookies/", views.footer_page, {"kind": "cookies"}, name="cookies"),
    path(
        "open-data/publication-policy/",
        views.footer_page,
        {"kind": "publication_policy"},
        name="publication-policy",
    ),
    path("council/footer-pages/", views.footer_pages, name="footer-pages"),
    path("council/footer-pages/<slug:kind>/", views.footer_page_edit, name="footer-page-edit"),
]
