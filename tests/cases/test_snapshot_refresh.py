"""Dashboards see imported cases at once: an import's commit refreshes the diagnostics snapshot."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from django.conf import settings
from django.core.management import call_command

from tests.cases.conftest import sample_rows

pytestmark = pytest.mark.django_db


def snapshot_rows() -> int:
    return pq.read_metadata(settings.DIAGNOSTICS_SNAPSHOT).num_rows


def test_a_command_line_import_refreshes_the_snapshot_on_commit(
    htcds_csv, organisation_factory, django_capture_on_commit_callbacks
) -> None:
    organisation = organisation_factory("NGO-RS", country="RS")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import", "cases", str(htcds_csv(sample_rows(7, country="RS"))), "--format", "htcds",
                     "--source", "first", "--organisation", str(organisation.pk), "--no-progress")
    assert snapshot_rows() == 7
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import", "cases", str(htcds_csv(sample_rows(3, country="RS", seed=2), "more.csv")),
                     "--format", "htcds", "--source", "second", "--organisation", str(organisation.pk),
                     "--no-progress")
    assert snapshot_rows() == 10


def test_a_refused_import_leaves_the_snapshot_alone(htcds_csv, organisation_factory,
                                                    django_capture_on_commit_callbacks) -> None:
    organisation = organisation_factory("NGO-RS", country="RS")
    rows = sample_rows(4, country="RS")
    rows[1]["plm_ExploitationCountry"] = "QQ"
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Exception, match="problem"):
        call_command("import", "cases", str(htcds_csv(rows)), "--format", "htcds", "--source", "bad",
                     "--organisation", str(organisation.pk), "--no-progress")
    assert callbacks == []
    assert not settings.DIAGNOSTICS_SNAPSHOT.exists()
