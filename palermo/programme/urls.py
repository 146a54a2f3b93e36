from django.urls import path

from palermo.programme.views import actions, complementarity, editing, greta

app_name = "programme"
urlpatterns = [
    path("actions/", actions.action_list, name="action_list"),
    path("actions/new/", actions.action_edit, name="action_create"),
    path("actions/<int:pk>/", actions.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", actions.action_edit, name="action_edit"),
    path("actions/<int:action_pk>/results/new/", editing.result_edit, name="result_create"),
    path("results/<int:pk>/edit/", editing.result_edit, name="result_edit"),
    path("results/<int:pk>/delete/", editing.result_delete, name="result_delete"),
    path("results/<int:result_pk>/indicators/new/", editing.indicator_edit, name="indicator_create"),
    path("indicators/<int:pk>/edit/", editing.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/delete/", editing.indicator_delete, name="indicator_delete"),
    path("indicators/<int:indicator_pk>/periods/new/", editing.period_edit, name="period_create"),
    path("periods/<int:pk>/edit/", editing.period_edit, name="period_edit"),
    path("periods/<int:pk>/delete/", editing.period_delete, name="period_delete"),
    path("transactions/<int:pk>/edit/", editing.transaction_edit, name="transaction_edit"),
    path("transactions/<int:pk>/delete/", editing.transaction_delete, name="transaction_delete"),
    path("budgets/<int:pk>/edit/", editing.budget_edit, name="budget_edit"),
    path("budgets/<int:pk>/delete/", editing.budget_delete, name="budget_delete"),
    path("actions/<int:action_pk>/documents/new/", editing.document_add, name="document_create"),
    path("documents/<int:pk>/delete/", editing.document_delete, name="document_delete"),
    path("documents/<int:pk>/file/", editing.document_file, name="document_file"),
    path("greta/", greta.greta_list, name="greta_list"),
    path("greta/upload/", greta.greta_upload, name="greta_upload"),
    path("greta/<int:pk>/", greta.greta_detail, name="greta_detail"),
    path("complementarity/", complementarity.matrix, name="matrix"),
    path("complementarity/overlaps/", complementarity.overlaps, name="overlaps"),
    path("complementarity/gaps/", complementarity.gaps, name="gaps"),
    path("complementarity/timeline/", complementarity.timeline, name="timeline"),
]
