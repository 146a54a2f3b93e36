"""The indicator lists of the reference data as the scoring module reads them. The active version of a list is
the one loaded last (``active_lists``)."""

from __future__ import annotations

from palermo.reference.indicator_files import active_lists
from palermo.reference.models import IndicatorDimension, IndicatorList
from palermo.screening.legal_texts import Text
from palermo.screening.scoring import DimensionSpec, IndicatorSpec, ListSpec

__all__ = ["active_lists", "is_active", "spec_of"]


def is_active(indicator_list: IndicatorList) -> bool:
    return not IndicatorList.objects.filter(code=indicator_list.code, pk__gt=indicator_list.pk).exists()


def spec_of(indicator_list: IndicatorList) -> ListSpec:
    dimensions = [DimensionSpec(d.code, d.stage, Text(d.name_en, d.name_fr)) for d in IndicatorDimension.objects.all()]
    indicators = [IndicatorSpec(i.dimension_id, i.code, i.strength, Text(i.text_en, i.text_fr))
                  for i in indicator_list.indicators.order_by("dimension__order", "pk")]
    return ListSpec(
        code=indicator_list.code, version=indicator_list.version, population=indicator_list.population,
        exploitation=indicator_list.exploitation, verified=indicator_list.verified, source=indicator_list.source,
        dimension_rule=indicator_list.dimension_rule, case_rule=indicator_list.case_rule, dimensions=dimensions,
        indicators=indicators,
    )
