from django.urls import path

from . import views

app_name = "contracts"
urlpatterns = [
    path("contracts/", views.listing, name="list"),
    path("provider/contracts/", views.mine, name="mine"),
]
