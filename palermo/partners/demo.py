"""Demo organisations: for each programme country its coordinator's office, the French
embassy and an NGO; the international organisations; France's own institutions."""

from __future__ import annotations

from datetime import date

from django.conf import settings

from palermo.partners.models import IatiOrganisationType, Organisation, Partnership, Person
from palermo.reference.models import Country

# (name, short name, CRS channel code from CRSChannelCode.xml). ICMPD has no CRS channel code.
# IATI ids of multilaterals take the form XM-DAC-<channel code> (unverified on the IATI Registry).
INTERNATIONAL = [
    ("United Nations Office on Drugs and Crime", "UNODC", "41128"),
    ("International Organization for Migration", "IOM", "47066"),
    ("Organization for Security and Co-operation in Europe", "OSCE", "47131"),
    ("Council of Europe", "CoE", "47138"),
    ("International Centre for Migration Policy Development", "ICMPD", ""),
    # ODIHR is an institution of the OSCE: CRSChannelCode.xml gives it no code of its own.
    ("OSCE Office for Democratic Institutions and Human Rights", "ODIHR", ""),
    # Named by the programme text; no CRS channel code or IATI identifier of their own is known (none invented).
    ("EU Anti-Trafficking Coordinator (European Commission)", "EU ATC", ""),
    ("UN Voluntary Trust Fund for Victims of Trafficking in Persons, Especially Women and Children (UNODC)",
     "UNVTF", ""),
    ("Group of Experts on Action against Trafficking in Human Beings (Council of Europe)", "GRETA", ""),
]
KIND_TO_IATI_TYPE = {
    Organisation.Kind.NATIONAL_COORDINATOR: IatiOrganisationType.GOVERNMENT,
    Organisation.Kind.EMBASSY: IatiOrganisationType.GOVERNMENT,
    Organisation.Kind.DONOR: IatiOrganisationType.GOVERNMENT,
    Organisation.Kind.PERMANENT_REPRESENTATION: IatiOrganisationType.GOVERNMENT,
    Organisation.Kind.NGO: IatiOrganisationType.PARTNER_COUNTRY_NGO,
    Organisation.Kind.VICTIMS_ASSOCIATION: IatiOrganisationType.PARTNER_COUNTRY_NGO,
    Organisation.Kind.INTERNATIONAL_ORGANISATION: IatiOrganisationType.MULTILATERAL,
    Organisation.Kind.POLICE: IatiOrganisationType.GOVERNMENT,
}
# MEAE's IATI organisation identifier: the programme's reporting identifier (setting PALERMO_IATI_REPORTING_ORG_REF,
# XM-DAC-4 by default: France in the OECD DAC donor list), to be confirmed on the IATI Registry.
FRANCE = [
    ("Ministry for Europe and Foreign Affairs", "MEAE", Organisation.Kind.DONOR),
    ("Permanent Representation of France to the United Nations in Vienna", "RP Vienne ONU",
     Organisation.Kind.PERMANENT_REPRESENTATION),
    ("Permanent Representation of France to the OSCE", "RP OSCE", Organisation.Kind.PERMANENT_REPRESENTATION),
    # France's national coordinator and its police office against trafficking, under their official (French) names.
    ("Mission interministérielle pour la protection des femmes contre les violences et la lutte contre la traite "
     "des êtres humains", "MIPROF", Organisation.Kind.NATIONAL_COORDINATOR),
    ("Office central pour la répression de la traite des êtres humains", "OCRTEH", Organisation.Kind.POLICE),
]


def load(log: list[str]) -> None:
    countries = list(Country.objects.programme())
    for country in countries:
        code = country.code
        for name, short, kind in (
            (f"Office of the National Anti-Trafficking Coordinator ({country.name_en})", f"NC-{code}",
             Organisation.Kind.NATIONAL_COORDINATOR),
            (f"Embassy of France in {country.name_en}", f"AMB-{code}", Organisation.Kind.EMBASSY),
            (f"Safe Haven {country.name_en} (demo NGO)", f"NGO-{code}", Organisation.Kind.NGO),
            (f"Victims' Voice {country.name_en} (demo association)", f"VA-{code}",
             Organisation.Kind.VICTIMS_ASSOCIATION),
        ):
            Organisation.objects.update_or_create(
                name=name, country=country,
                defaults={"short_name": short, "kind": kind, "iati_type": KIND_TO_IATI_TYPE[kind]},
            )
    for name, short, channel in INTERNATIONAL:
        Organisation.objects.update_or_create(
            name=name, country=None,
            defaults={"short_name": short, "kind": Organisation.Kind.INTERNATIONAL_ORGANISATION,
                      "crs_channel_code": channel, "iati_identifier": f"XM-DAC-{channel}" if channel else "",
                      "iati_type": IatiOrganisationType.MULTILATERAL},
        )
    france = Country.objects.get(code="FR")
    for name, short, kind in FRANCE:
        Organisation.objects.update_or_create(
            name=name, country=france,
            defaults={"short_name": short, "kind": kind, "iati_type": KIND_TO_IATI_TYPE[kind],
                      "iati_identifier": settings.PALERMO_IATI_REPORTING_ORG_REF if short == "MEAE" else ""},
        )
    _load_people_and_partnerships(countries)
    log.append(f"organisations: {Organisation.objects.count()}, people: {Person.objects.count()}, "
               f"partnerships: {Partnership.objects.count()}")


def _load_people_and_partnerships(countries: list[Country]) -> None:
    by_short = {o.short_name: o for o in Organisation.objects.exclude(short_name="")}
    for country in countries:
        code = country.code
        for short, function in ((f"NC-{code}", "National anti-trafficking coordinator"),
                                (f"AMB-{code}", "Attaché for internal security (demo)")):
            Person.objects.update_or_create(
                organisation=by_short[short], name=f"Demo contact {short}",
                defaults={"function": function, "email": f"{short.lower()}@example.org", "phone": ""},
            )
        for index, (first, second, kind, title) in enumerate((
            (f"AMB-{code}", f"NC-{code}", Partnership.Kind.MEMORANDUM,
             f"Memorandum on anti-trafficking cooperation, {country.name_en} (demo)"),
            (f"NC-{code}", f"NGO-{code}", Partnership.Kind.AGREEMENT,
             f"Referral agreement with Safe Haven {country.name_en} (demo)"),
            (f"AMB-{code}", f"VA-{code}", Partnership.Kind.OTHER,
             f"Consultation of survivors with Victims' Voice {country.name_en} (demo)"),
        )):
            start = date(2015 + (len(code) + ord(code[0]) + index) % 8, 3, 1)
            Partnership.objects.update_or_create(
                first_party=by_short[first], second_party=by_short[second], title=title,
                defaults={"kind": kind, "signed_on": start, "start_date": start,
                          "end_date": date(start.year + 5, 2, 28),
                          "status": Partnership.Status.EXPIRED if start.year + 5 < 2025
                          else Partnership.Status.IN_FORCE},
            )
