from django.contrib import admin
from django.urls import include, path

from palermo.accounts.views import set_language

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("accounts/", include("palermo.accounts.urls")),
    path("audit/", include("palermo.audit.urls")),
    path("api/", include("palermo.api.urls")),
    path("cases/", include("palermo.cases.urls")),
    path("steering/", include("palermo.steering.urls")),
    path("partners/", include("palermo.partners.urls")),
    path("programme/", include("palermo.programme.urls")),
    path("diagnostics/", include("palermo.diagnostics.urls")),
    path("jobs/", include("palermo.jobs.urls")),
    path("screening/", include("palermo.screening.urls")),
    path("referral/", include("palermo.referral.urls")),
    path("assistance/", include("palermo.assistance.urls")),
    path("capacity/", include("palermo.capacity.urls")),
    path("networks/", include("palermo.networks.urls")),
    path("protection/", include("palermo.protection.urls")),
    path("justice/", include("palermo.justice.urls")),
    path("awareness/", include("palermo.awareness.urls")),
    path("linkage/", include("palermo.linkage.urls")),
    path("", include("palermo.web.urls")),
]

handler404 = "palermo.web.views.page_not_found"
handler500 = "palermo.web.views.server_error"
