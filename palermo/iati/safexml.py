"""Parse XML from outside without letting it reach the network, the file system or the memory.

Two passes: expat through defusedxml refuses any DOCTYPE (so no entity is ever declared, let alone
expanded, and no external entity or DTD is fetched); then lxml, with entities, network and huge
trees turned off, builds the tree with line numbers for the XSD validation and the messages.
"""

from __future__ import annotations

from xml.etree.ElementTree import ParseError

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden, NotSupportedError
from defusedxml.ElementTree import DefusedXMLParser
from lxml import etree

from palermo.iati.problems import IatiRefused, Problem, line_of

MAX_BYTES = 64 * 1024 * 1024


def _scan_with_expat(data: bytes) -> None:
    parser = DefusedXMLParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    try:
        parser.feed(data)
        parser.close()
    except DTDForbidden as error:
        line = parser.parser.CurrentLineNumber
        raise IatiRefused(
            [
                Problem(
                    line,
                    "<!DOCTYPE>",
                    (
                        f"a document type declaration ({error.name}) is not accepted: IATI files need none, and DTDs "
                        "can declare entities that expand without bound or read local files"
                    ),
                )
            ]
        ) from error
    except EntitiesForbidden as error:
        line = parser.parser.CurrentLineNumber
        raise IatiRefused(
            [Problem(line, "<!ENTITY>", f"the entity declaration {error.name!r} is not accepted")]
        ) from error
    except ExternalReferenceForbidden as error:
        line = parser.parser.CurrentLineNumber
        raise IatiRefused([Problem(line, "", f"the external reference {error.sysid!r} is not accepted")]) from error
    except NotSupportedError as error:
        raise IatiRefused([Problem(None, "", f"unsupported XML construct: {error}")]) from error
    except ParseError:
        return  # lxml reports syntax errors with a better message


def secure_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_blank_text=False,
    )


def parse(data: bytes) -> etree._ElementTree:
    """The parsed tree, or ``IatiRefused`` naming the line and the reason."""
    if len(data) > MAX_BYTES:
        raise IatiRefused([Problem(None, "", f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB")])
    if not data.strip():
        raise IatiRefused([Problem(None, "", "the file is empty")])
    _scan_with_expat(data)
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser=secure_parser()))
    except etree.XMLSyntaxError as error:
        raise IatiRefused([Problem(error.lineno, "", f"malformed XML: {error.msg}")]) from error
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise IatiRefused([Problem(1, "<!DOCTYPE>", "a document type declaration is not accepted")])
    for node in tree.iter(etree.Entity):
        raise IatiRefused(
            [Problem(line_of(node), tree.getpath(node.getparent()), "entity references are not accepted")]
        )
    return tree
