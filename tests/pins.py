"""Query-count pins, Zulip style: a page or an API list answers in an exact number of queries, and in the
same number once more rows exist, so that a query per row (an N+1) fails the pin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def pin(
    client: Any,
    url: str,
    queries: int,
    assert_num_queries: Callable[[int], Any],
    *,
    grow: Callable[[], object] | None = None,
    status: int = 200,
) -> Any:
    """GET ``url`` in exactly ``queries`` queries; again after ``grow()`` added rows of every kind it shows."""
    with assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == status, url
    if grow is not None:
        grow()
        with assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == status, url
    return response
