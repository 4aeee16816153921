from django.urls import path

from . import views

app_name = "insight"
urlpatterns = [
    path("insight/", views.home, name="home"),
    path("insight/gaps/", views.gaps, name="gaps"),
    path("insight/analysis/", views.analysis, name="analysis"),
    path("insight/gaps/<slug:need>/<str:area>/", views.gap_cell, name="gap-cell"),
    path("insight/statements/", views.statements, name="statements"),
    path("insight/statements/narrative/", views.narrative, name="narrative"),
    path("insight/statements/narrative/change/", views.narrative_change, name="narrative-change"),
    path("insight/statements/narrative/remove/", views.narrative_remove, name="narrative-remove"),
    path("insight/statements/preview/<slug:kind>/", views.statement_preview, name="statement-preview"),
    path("insight/export/<slug:table>.<slug:fmt>", views.export, name="export"),
    path("open-data/360giving.json", views.grants_360giving, name="360giving"),
    path("statements/", views.published, name="published"),
    path("statements/<int:statement_id>/", views.statement, name="statement"),
    path("statements/<int:statement_id>/easy-read/", views.statement_easy, name="statement-easy"),
    path("statements/<int:statement_id>/pdf/", views.statement_pdf, name="statement-pdf"),
]
