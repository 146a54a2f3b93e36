"""Query pins of the linkage pages and API lists: the same count once more pairs and judgements exist."""

from __future__ import annotations

import pytest
from django.test import Client

from palermo.linkage.models import Candidate, LinkRecord
from palermo.linkage.services import judge_pair
from tests.conftest import verified_login
from tests.pins import pin

pytestmark = pytest.mark.django_db


def _grow(people) -> None:
    for index in range(3):
        left = LinkRecord.objects.create(source_name="more", reference=f"L{index}", country_id="AL",
                                         names=[f"Name {index}"], dob="1990-01-0" + str(index + 1))
        right = LinkRecord.objects.create(source_name="more", reference=f"R{index}", country_id="AL",
                                          names=[f"Nome {index}"], dob="1990-01-0" + str(index + 1))
        pair = Candidate.objects.create(left=left, right=right, match_probability=0.8, match_weight=2,
                                        uncertainty=0.3)
        judge_pair(acting_user=people["allowed"], candidate=pair, verdict="rejected")


@pytest.mark.parametrize(("url", "queries"), [
    ("/linkage/judgements/", 5),
    ("/api/linkage/pairs/", 5),
    ("/api/linkage/judgements/", 5),
])
def test_lists_cost_the_same_queries_whatever_their_length(people, pairs, django_assert_num_queries, url,
                                                           queries) -> None:
    judge_pair(acting_user=people["allowed"], candidate=pairs["police_ngo"], verdict="rejected")
    client = Client()
    verified_login(client, people["allowed"])
    client.get(url)
    pin(client, url, queries, django_assert_num_queries, grow=lambda: _grow(people))
