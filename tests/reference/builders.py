"""More reference rows of every related kind, for query-count pins that must not grow with the data."""

from __future__ import annotations

from itertools import count

from palermo.reference.models import (
    ExploitationForm,
    Indicator,
    IndicatorDimension,
    IndicatorList,
    InstrumentStatus,
    LegalInstrument,
)

SERIAL = count()


def add_reference_rows() -> None:
    """One more instrument with statuses in two countries, a form of exploitation under it, and an indicator
    list with indicators in two dimensions."""
    n = next(SERIAL)
    instrument = LegalInstrument.objects.create(code=f"test-{n}", short_name=f"T{n}", name_en="Test", name_fr="Test",
                                                body="Test")
    for code in ("RO", "RS"):
        InstrumentStatus.objects.create(instrument=instrument, country_id=code, status="signed")
    ExploitationForm.objects.create(code=f"test-{n}", name_en="Test", name_fr="Test", instrument=instrument,
                                    article="1")
    indicators = IndicatorList.objects.create(code=f"test-{n}", version="2026", name_en="Test", name_fr="Test",
                                              population="adult", exploitation="labour", dimension_rule={},
                                              case_rule={})
    for dimension in IndicatorDimension.objects.all()[:2]:
        Indicator.objects.create(indicator_list=indicators, dimension=dimension, code=f"i-{dimension.code}",
                                 text_en="x", text_fr="x", strength="strong")
