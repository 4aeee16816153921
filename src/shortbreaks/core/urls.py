from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("data-sources/", views.data_sources, name="data-sources"),
]
