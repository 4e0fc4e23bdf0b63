from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("fireledger.core.urls")),
    path("places/", include("fireledger.places.urls")),
    path("hazards/", include("fireledger.hazards.urls")),
    path("inspections/", include("fireledger.inspections.urls")),
    path("campaigns/", include("fireledger.campaigns.urls")),
    path("", include("fireledger.public.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
