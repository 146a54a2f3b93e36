"""The published figures of real criminal and trafficking networks, reproduced by ``palermo networks import`` and
``palermo networks analyse --format json`` (data sets of ``data/networks/``, see its INDEX.md; skipped with one line
when absent)."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from tests.conftest import shared_data

pytestmark = pytest.mark.django_db


def imported(relative: str, name: str, country: str, *extra: str) -> dict[str, Any]:
    path = shared_data(f"networks/{relative}")
    call_command("networks", "import", str(path), "--format", "csv", "--source", name, "--country", country,
                 "--no-progress", *extra, stdout=StringIO())
    out = StringIO()
    call_command("networks", "analyse", "--network", name, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_montagna_meetings_101_nodes_256_edges_5_components() -> None:
    figures = imported("montagna/Montagna_meetings_edgelist.csv", "montagna meetings", "IT")
    assert (figures["nodes"], figures["edges"], figures["components"], figures["largest_component"]) == (
        101, 256, 5, 92)


def test_montagna_phone_calls_100_nodes_124_edges_5_components() -> None:
    figures = imported("montagna/Montagna_phonecalls_edgelist.csv", "montagna calls", "IT")
    assert (figures["nodes"], figures["edges"], figures["components"], figures["largest_component"]) == (
        100, 124, 5, 89)
    # Cavallaro et al. (2020): removing the top 5 % by betweenness cuts the largest component by up to 70 %.
    removal = figures["top_5_percent_removal"]
    assert removal["removed"] == 5
    assert removal["largest_component_before"] == 89
    assert 0.5 < removal["largest_component_loss"] <= 0.7


def test_caviar_110_nodes_295_arcs_3546_communications() -> None:
    figures = imported("caviar/morselli_caviar.csv", "caviar", "CA", "--kind", "matrix")
    assert (figures["nodes"], figures["arcs"], figures["total_weight"], figures["edges"]) == (110, 295, 3546, 205)
    assert figures["components"] == 1


def test_mexican_trafficking_network_density_0401_centralisation_4432() -> None:
    figures = imported("human_trafficking_mexico/Data.txt", "mexico", "MX")
    assert (figures["nodes"], figures["edges"], figures["components"]) == (34, 225, 1)
    assert round(figures["density"], 3) == 0.401
    assert round(figures["degree_centralisation"] * 100, 2) == 44.32


def test_italian_gangs_67_nodes_228_arcs() -> None:
    figures = imported("italian_gangs/ITALIAN_GANGS.csv", "gangs", "IT", "--kind", "matrix")
    assert (figures["nodes"], figures["arcs"], figures["edges"], figures["components"]) == (67, 228, 114, 2)


def test_analysis_is_cached_per_version() -> None:
    from palermo.networks.models import Analysis, Network

    imported("human_trafficking_mexico/Data.txt", "mexico", "MX")
    network = Network.objects.get(name="mexico")
    assert list(Analysis.objects.filter(network=network).values_list("version", flat=True)) == [network.version]
    out = StringIO()
    call_command("networks", "analyse", "--network", "mexico", "--format", "json", stdout=out)
    assert Analysis.objects.filter(network=network).count() == 1
