from . import urls_code, urls_disclosures, urls_reports

app_name = "public"
urlpatterns = [*urls_code.urlpatterns, *urls_reports.urlpatterns, *urls_disclosures.urlpatterns]
