"""Hostile and malformed XML is refused before anything reads it; plain logic, no database."""

from __future__ import annotations

import pytest

from palermo.iati import safexml
from palermo.iati.problems import IatiRefused

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<iati-activities version="2.03">&lol9;</iati-activities>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities [<!ENTITY passwd SYSTEM "file:///etc/passwd">]>
<iati-activities version="2.03"><iati-activity>&passwd;</iati-activity></iati-activities>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities SYSTEM "http://example.org/evil.dtd">
<iati-activities version="2.03"/>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD], ids=["laughs", "entity", "dtd"])
def test_a_document_type_declaration_is_refused_at_its_line(data: bytes) -> None:
    with pytest.raises(IatiRefused) as refused:
        safexml.parse(data)
    problem = refused.value.problems[0]
    assert problem.line == 2
    assert "document type declaration" in problem.reason
    assert "root:" not in str(refused.value)  # nothing of /etc/passwd leaks into the message


def test_malformed_xml_is_refused_with_the_line_of_the_error() -> None:
    with pytest.raises(IatiRefused) as refused:
        safexml.parse(b"<iati-activities>\n<iati-activity>\n</iati-activities>")
    assert refused.value.problems[0].line == 3
    assert refused.value.problems[0].reason.startswith("malformed XML: Opening and ending tag mismatch")


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(IatiRefused, match="the file is empty"):
        safexml.parse(b"  \n")


def test_a_plain_document_parses_with_line_numbers() -> None:
    tree = safexml.parse(b"<?xml version='1.0'?>\n<iati-activities version='2.03'>\n<iati-activity/></iati-activities>")
    assert tree.getroot()[0].sourceline == 3
