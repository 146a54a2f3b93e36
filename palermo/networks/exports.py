"""Writing a network out, without Django: GraphML, GEXF 1.3, FtM JSON lines. Nodes and edges come as plain dicts
(``id``, ``label``, ``type``, ``country``, ``community``, ``roles``; ``source``, ``target``, ``type``, ``weight``,
``date``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any
from xml.etree import ElementTree as ET

NODE_KEYS = (("label", "string"), ("type", "string"), ("country", "string"), ("community", "int"),
             ("roles", "string"))
EDGE_KEYS = (("type", "string"), ("weight", "double"), ("date", "string"))


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def graphml(nodes: Sequence[dict[str, Any]], edges: Iterable[dict[str, Any]]) -> bytes:
    root = ET.Element("graphml", xmlns="http://graphml.graphdrawing.org/xmlns")
    for name, kind in NODE_KEYS:
        ET.SubElement(root, "key", {"id": f"n_{name}", "for": "node", "attr.name": name, "attr.type": kind})
    for name, kind in EDGE_KEYS:
        ET.SubElement(root, "key", {"id": f"e_{name}", "for": "edge", "attr.name": name, "attr.type": kind})
    graph = ET.SubElement(root, "graph", id="G", edgedefault="directed")
    for node in nodes:
        element = ET.SubElement(graph, "node", id=f"n{node['id']}")
        for name, _kind in NODE_KEYS:
            if node.get(name) not in (None, "", []):
                ET.SubElement(element, "data", key=f"n_{name}").text = _text(node[name])
    for number, edge in enumerate(edges):
        element = ET.SubElement(graph, "edge", id=f"e{number}", source=f"n{edge['source']}",
                                target=f"n{edge['target']}")
        for name, _kind in EDGE_KEYS:
            if edge.get(name) not in (None, ""):
                ET.SubElement(element, "data", key=f"e_{name}").text = _text(edge[name])
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def gexf(nodes: Sequence[dict[str, Any]], edges: Iterable[dict[str, Any]], *, title: str = "") -> bytes:
    root = ET.Element("gexf", {"xmlns": "http://gexf.net/1.3", "version": "1.3"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "description").text = title
    graph = ET.SubElement(root, "graph", defaultedgetype="directed", mode="static")
    attributes = ET.SubElement(graph, "attributes", {"class": "node"})
    for index, (name, kind) in enumerate(NODE_KEYS[1:]):
        ET.SubElement(attributes, "attribute", id=str(index), title=name,
                      type="integer" if kind == "int" else "string")
    edge_attributes = ET.SubElement(graph, "attributes", {"class": "edge"})
    ET.SubElement(edge_attributes, "attribute", id="0", title="type", type="string")
    ET.SubElement(edge_attributes, "attribute", id="1", title="date", type="string")
    node_list = ET.SubElement(graph, "nodes")
    for node in nodes:
        element = ET.SubElement(node_list, "node", id=f"n{node['id']}", label=_text(node.get("label")))
        values = ET.SubElement(element, "attvalues")
        for index, (name, _kind) in enumerate(NODE_KEYS[1:]):
            if node.get(name) not in (None, "", []):
                ET.SubElement(values, "attvalue", {"for": str(index), "value": _text(node[name])})
    edge_list = ET.SubElement(graph, "edges")
    for number, edge in enumerate(edges):
        element = ET.SubElement(edge_list, "edge", id=f"e{number}", source=f"n{edge['source']}",
                                target=f"n{edge['target']}", weight=_text(edge.get("weight") or 1))
        values = ET.SubElement(element, "attvalues")
        ET.SubElement(values, "attvalue", {"for": "0", "value": _text(edge.get("type"))})
        if edge.get("date"):
            ET.SubElement(values, "attvalue", {"for": "1", "value": _text(edge["date"])})
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def ftm_lines(entities: Iterable[tuple[str, str, dict[str, list[str]]]]) -> Iterable[bytes]:
    """One FtM entity per line (``{"id", "schema", "properties"}``), as ``palermo networks import`` reads them."""
    for ftm_id, schema, properties in entities:
        yield (json.dumps({"id": ftm_id, "schema": schema, "properties": properties}, ensure_ascii=False)
               + "\n").encode("utf-8")
