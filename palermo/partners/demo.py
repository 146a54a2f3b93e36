"""Demo organisations: for each programme country its coordinator's office, the French
embassy and an NGO; the international organisations; France's own institutions."""

from __future__ import annotations

from palermo.partners.models import Organisation
from palermo.reference.models import Country

INTERNATIONAL = [
    ("United Nations Office on Drugs and Crime", "UNODC"),
    ("International Organization for Migration", "IOM"),
    ("Organization for Security and Co-operation in Europe", "OSCE"),
    ("Council of Europe", "CoE"),
    ("International Centre for Migration Policy Development", "ICMPD"),
]
FRANCE = [
    ("Ministry for Europe and Foreign Affairs", "MEAE", Organisation.Kind.DONOR),
    (
        "Permanent Representation of France to the United Nations in Vienna",
        "RP Vienne ONU",
        Organisation.Kind.PERMANENT_REPRESENTATION,
    ),
    ("Permanent Representation of France to the OSCE", "RP OSCE", Organisation.Kind.PERMANENT_REPRESENTATION),
]


def load(log: list[str]) -> None:
    countries = list(Country.objects.programme())
    for country in countries:
        code = country.code
        for name, short, kind in (
            (
                f"Office of the National Anti-Trafficking Coordinator ({country.name_en})",
                f"NC-{code}",
                Organisation.Kind.NATIONAL_COORDINATOR,
            ),
            (f"Embassy of France in {country.name_en}", f"AMB-{code}", Organisation.Kind.EMBASSY),
            (f"Safe Haven {country.name_en} (demo NGO)", f"NGO-{code}", Organisation.Kind.NGO),
            (
                f"Victims' Voice {country.name_en} (demo association)",
                f"VA-{code}",
                Organisation.Kind.VICTIMS_ASSOCIATION,
            ),
        ):
            Organisation.objects.update_or_create(
                name=name, country=country, defaults={"short_name": short, "kind": kind}
            )
    for name, short in INTERNATIONAL:
        Organisation.objects.update_or_create(
            name=name,
            country=None,
            defaults={"short_name": short, "kind": Organisation.Kind.INTERNATIONAL_ORGANISATION},
        )
    france = Country.objects.get(code="FR")
    for name, short, kind in FRANCE:
        Organisation.objects.update_or_create(name=name, country=france, defaults={"short_name": short, "kind": kind})
    log.append(f"organisations: {Organisation.objects.count()}")
