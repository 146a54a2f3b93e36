from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from palermo.api.views import MeView
from palermo.assistance import api as assistance_api
from palermo.awareness import api as awareness_api
from palermo.capacity import api as capacity_api
from palermo.cases import api as cases_api
from palermo.diagnostics import api as diagnostics_api
from palermo.jobs import api as jobs_api
from palermo.justice import api as justice_api
from palermo.justice.api import JusticeFiguresView
from palermo.linkage import api as linkage_api
from palermo.networks import api as networks_api
from palermo.partners import api as partners_api
from palermo.programme import api as programme_api
from palermo.protection.api import ProtectionDashboardView
from palermo.reference import api as reference_api
from palermo.referral import api as referral_api
from palermo.screening import api as screening_api
from palermo.screening.api import QualifyView
from palermo.steering import api as steering_api

app_name = "api"

router = DefaultRouter()
reference_api.register(router)
cases_api.register(router)
partners_api.register(router)
programme_api.register(router)
diagnostics_api.register(router)
steering_api.register(router)
jobs_api.register(router)
screening_api.register(router)
referral_api.register(router)
assistance_api.register(router)
justice_api.register(router)
capacity_api.register(router)
awareness_api.register(router)
networks_api.register(router)
linkage_api.register(router)

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("qualify/", QualifyView.as_view(), name="qualify"),
    path("protection/", ProtectionDashboardView.as_view(), name="protection"),
    path("justice/figures/", JusticeFiguresView.as_view(), name="justice-figures"),
    path("awareness/risk-profiles/", awareness_api.RiskProfilesView.as_view(), name="awareness-risk-profiles"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
