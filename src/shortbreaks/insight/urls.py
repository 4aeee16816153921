from django.urls import path

from . import views

app_name = "insight"
urlpatterns = [
    path("insight/", views.home, name="home"),
    path("insight/gaps/", views.gaps, name="gaps"),
    path("insight/gaps/<slug:need>/<str:area>/", views.gap_cell, name="gap-cell"),
]
