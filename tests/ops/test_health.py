"""``/healthz`` and ``/readyz``: alive, ready, or 503 naming what is not."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from palermo.cases.models import Case
from palermo.jobs.models import WorkerHeartbeat
from palermo.ops import health

OUTSIDER = {"REMOTE_ADDR": "203.0.113.9"}
BUILT_IN = ["database", "migrations", "diagnostics-snapshot", "disk"]


@pytest.fixture(autouse=True)
def roomy_disk(settings: Any) -> None:
    settings.READY_MIN_FREE_MB = 1


@pytest.fixture
def worker_alive(db: Any) -> None:
    WorkerHeartbeat.objects.create(worker_id="w1", host="node-a", pid=321, last_seen=timezone.now())


@pytest.fixture
def extra_check() -> Iterator[None]:
    yield
    health.remove_check("search-index")


def test_healthz_says_alive_without_touching_the_database(client: Any) -> None:
    response = client.get("/healthz")  # no django_db mark: a query would raise
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_readyz_is_ready_when_every_check_passes(client: Any, worker_alive: None) -> None:
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200
    assert (body["status"], body["failed"]) == ("ready", [])
    assert list(body["checks"]) == [*BUILT_IN, "worker"]
    assert all(check["ok"] for check in body["checks"].values())
    assert re.fullmatch(r"worker pid 321 on node-a seen \d+ s ago", body["checks"]["worker"]["detail"])


@pytest.mark.django_db
def test_readyz_answers_503_naming_the_worker_when_none_runs(client: Any) -> None:
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["worker"]
    assert response.json()["checks"]["worker"]["reason"] == "no worker has ever run (start `palermo worker`)"


def test_a_pending_migration_makes_readyz_answer_503_naming_it(client: Any, worker_alive: None) -> None:
    latest = MigrationRecorder.Migration.objects.filter(app="cases").order_by("-applied", "-id").first()
    assert latest is not None
    latest.delete()  # as after deploying code with a new migration, before `palermo migrate`
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "not ready"
    assert body["failed"] == ["migrations"]
    assert body["checks"]["migrations"] == {
        "ok": False, "ms": body["checks"]["migrations"]["ms"], "reason": f"1 not applied: cases.{latest.name}"
    }


def test_a_failing_registered_check_is_named_and_explained_to_monitoring_only(
    client: Any, extra_check: None, worker_alive: None
) -> None:
    health.add_check("search-index", lambda: "no heartbeat for 300 s")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["search-index"]
    assert response.json()["checks"]["search-index"]["reason"] == "no heartbeat for 300 s"
    response = client.get("/readyz", **OUTSIDER)
    assert response.status_code == 503
    assert response.json()["failed"] == ["search-index"]
    assert "reason" not in response.json()["checks"]["search-index"]


def test_a_check_that_raises_or_answers_false_fails_and_one_that_answers_true_passes(
    client: Any, extra_check: None, worker_alive: None
) -> None:
    def broken() -> None:
        raise ConnectionError("queue unreachable")

    health.add_check("search-index", broken)
    body = client.get("/readyz").json()
    assert body["checks"]["search-index"]["reason"] == "ConnectionError: queue unreachable"
    health.add_check("search-index", lambda: False)
    assert client.get("/readyz").json()["checks"]["search-index"]["reason"] == "failed"
    health.add_check("search-index", lambda: True)
    assert client.get("/readyz").status_code == 200
    health.add_check("search-index", lambda: (False, "index 3 days behind"))
    assert client.get("/readyz").json()["checks"]["search-index"]["reason"] == "index 3 days behind"


def test_a_check_name_is_a_plain_word() -> None:
    with pytest.raises(ValueError, match="a check name is lower case letters"):
        health.add_check("Worker heartbeat", lambda: None)


def test_too_little_free_disk_fails_readiness(client: Any, settings: Any, worker_alive: None) -> None:
    settings.READY_MIN_FREE_MB = 10**12
    body = client.get("/readyz").json()
    assert body["failed"] == ["disk"]
    assert f"MB free, below {10**12} MB" in body["checks"]["disk"]["reason"]


def test_the_snapshot_may_be_missing_or_old_only_while_the_cases_have_not_changed(
    client: Any, settings: Any, organisation_factory: Any, worker_alive: None
) -> None:
    case = Case.objects.create(case_code="OPS-1", organisation=organisation_factory("ops"), owner_country_id="MD")
    body = client.get("/readyz").json()
    assert body["failed"] == ["diagnostics-snapshot"]
    assert body["checks"]["diagnostics-snapshot"]["reason"] == "missing, and there are cases"

    snapshot = settings.DIAGNOSTICS_SNAPSHOT
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    snapshot.write_bytes(b"PAR1")
    assert client.get("/readyz").status_code == 200  # fresh

    two_hours_ago = time.time() - 2 * 3600
    os.utime(snapshot, (two_hours_ago, two_hours_ago))
    body = client.get("/readyz").json()
    assert body["checks"]["diagnostics-snapshot"]["reason"] == "written 120 minutes ago, and cases changed since"

    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now() - timedelta(hours=3))
    assert client.get("/readyz").status_code == 200  # old, but nothing changed since
