"""IATI 2.03 codes and programme vocabularies used by the portfolio: plain data, no Django.

Codes follow the IATI codelists (shipped in ``palermo/iati/data/codelists``) one to one; the DAC sector and
SDG selection follows ``derived/thb-see-codes.json`` (a research selection, not an official list).
"""

from __future__ import annotations

# OECD DAC CRS 5-digit purpose codes relevant to trafficking in human beings (vocabulary 1).
DAC_SECTORS: dict[str, str] = {
    "15190": "Facilitation of orderly, safe, regular and responsible migration and mobility",
    "15180": "Ending violence against women and girls",
    "15130": "Legal and judicial development",
    "15160": "Human rights",
    "16070": "Labour rights",
    "15131": "Justice, law and order policy, planning and administration",
    "15132": "Police",
    "15134": "Judicial affairs",
    "15136": "Immigration",
    "15170": "Women's rights organisations and movements, and government institutions",
    "15210": "Security system management and reform",
    "16010": "Social Protection",
    "16015": "Social services (incl youth development and women+ children)",
    "11330": "Vocational training",
    "16020": "Employment creation",
    "15110": "Public sector policy and administrative management",
    "15150": "Democratic participation and civil society",
    "15153": "Media and free flow of information",
}

# SDG targets tagged on actions (IATI TagVocabulary 3).
SDG_TARGETS: dict[str, str] = {
    "5.2": "Eliminate all forms of violence against all women and girls, including trafficking",
    "8.7": "End forced labour, modern slavery, human trafficking and child labour",
    "16.2": "End abuse, exploitation, trafficking and all forms of violence against children",
    "10.7": "Facilitate orderly, safe, regular and responsible migration",
    "16.3": "Promote the rule of law and ensure equal access to justice",
    "16.a": "Strengthen national institutions to prevent violence and combat crime",
    "17.17": "Encourage effective public, public-private and civil society partnerships",
}

# CRS channel codes of the international organisations of the programme (CRSChannelCode.xml).
# ICMPD has no code in the CRS channel codelist: it stays blank.
CRS_CHANNEL_CODES: dict[str, str] = {
    "UNODC": "41128",
    "IOM": "47066",
    "OSCE": "47131",
    "CoE": "47138",
}

# IATI DocumentCategory (activity level, A).
DOCUMENT_CATEGORIES: dict[str, str] = {
    "A01": "Pre- and post-project impact appraisal",
    "A02": "Objectives / Purpose of activity",
    "A03": "Intended ultimate beneficiaries",
    "A04": "Conditions",
    "A05": "Budget",
    "A06": "Summary information about contract",
    "A07": "Review of project performance and evaluation",
    "A08": "Results, outcomes and outputs",
    "A09": "Memorandum of understanding",
    "A10": "Tender",
    "A11": "Contract",
    "A12": "Activity web page",
}

AGE_BANDS = ("0-17", "18-24", "25-39", "40+")
SEXES = ("female", "male", "other")
