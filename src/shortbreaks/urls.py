from django.contrib import admin
from django.urls import include, path

from shortbreaks.bookings.api.bookings import api as bookings_api
from shortbreaks.directory.api.oruk import api as oruk_api
from shortbreaks.procurement.api.ocds import api as ocds_api

urlpatterns = [
    path("", include("shortbreaks.core.urls")),
    path("", include("shortbreaks.directory.urls")),
    path("", include("shortbreaks.families.urls")),
    path("", include("shortbreaks.bookings.urls")),
    path("", include("shortbreaks.assistants.urls")),
    path("", include("shortbreaks.procurement.urls")),
    path("", include("shortbreaks.contracts.urls")),
    path("", include("shortbreaks.insight.urls")),
    path("accounts/", include("shortbreaks.accounts.urls")),
    path("api/oruk/", oruk_api.urls),
    path("api/bookings/", bookings_api.urls),
    path("api/ocds/", ocds_api.urls),
    path("admin/", admin.site.urls),
]
