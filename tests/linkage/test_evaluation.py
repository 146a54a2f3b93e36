"""Precision, recall and F1, pairwise and by cluster (pure), and the labelled sets resolved with Splink."""

import json

import pytest
from django.core.management import call_command

from palermo.linkage.evaluation import scores
from tests.conftest import shared_data


def test_scores_count_pairs_from_the_contingency_table() -> None:
    truth = {1: "a", 2: "a", 3: "a", 4: "b", 5: "c"}
    predicted = {1: "x", 2: "x", 3: "y", 4: "y", 5: "z"}
    result = scores(predicted, truth)
    # true links: 1-2, 1-3, 2-3; predicted: 1-2, 3-4; right: 1-2
    assert result["pairwise"] == {"precision": 0.5, "recall": 0.3333, "f1": 0.4, "true_positive": 1,
                                  "predicted_links": 2, "true_links": 3}
    # only cluster z = {5} is exactly a true entity
    assert result["cluster"]["exact_clusters"] == 1
    assert result["cluster"]["precision"] == 0.3333 and result["cluster"]["recall"] == 0.3333


def _evaluate(capsys: pytest.CaptureFixture[str], *files: str, truth: str) -> dict:
    call_command("linkage", "evaluate", *[str(shared_data(f"linkage/splink_datasets/{f}")) for f in files],
                 "--truth", truth)
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


@pytest.mark.django_db
def test_febrl3_deduplicated_with_f1_above_095(capsys: pytest.CaptureFixture[str]) -> None:
    result = _evaluate(capsys, "febrl/dataset3.csv", truth="rec_id")
    assert result["records"] == 5000
    assert result["pairwise"]["f1"] >= 0.95
    assert result["cluster"]["f1"] >= 0.95


@pytest.mark.django_db
def test_febrl4_linked_with_f1_above_095(capsys: pytest.CaptureFixture[str]) -> None:
    result = _evaluate(capsys, "febrl/dataset4a.csv", "febrl/dataset4b.csv", truth="rec_id")
    assert result["records"] == 10000
    assert result["pairwise"]["f1"] >= 0.95
    assert result["cluster"]["f1"] >= 0.95


@pytest.mark.django_db
def test_a_missing_truth_column_is_named(tmp_path) -> None:
    from django.core.management.base import CommandError

    path = tmp_path / "people.csv"
    path.write_text("unique_id,first_name,surname,dob\n1,Ana,Petrova,1990-01-02\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no truth column 'cluster'"):
        call_command("linkage", "evaluate", str(path), "--truth", "cluster")
