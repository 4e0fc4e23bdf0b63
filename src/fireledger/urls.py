from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("fireledger.core.urls")),
    path("places/", include("fireledger.places.urls")),
    path("hazards/", include("fireledger.hazards.urls")),
    path("inspections/", include("fireledger.inspections.urls")),
    path("campaigns/", include("fireledger.campaigns.urls")),
    path("stats/", include("fireledger.reports.urls")),  # /reports/ is the citizen reports
    path("documents/", include("fireledger.documents.urls")),
    path("exports/", include("fireledger.exports.urls")),
    path("risk/", include("fireledger.risk.urls")),
    path("duties/", include("fireledger.duties.urls")),
    path("", include("fireledger.public.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
