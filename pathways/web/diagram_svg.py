"""A pathway diagram as ``pathways export --to svg --pathway IRI`` draws it, made safe to
serve, with the analytics findings marked on it.

Graphviz copies node labels and tooltips from the data into the SVG; Graphviz itself
escapes them as text, and :func:`sanitised_svg` then keeps only an allowlist of SVG
drawing elements and presentation attributes (no ``script``, ``foreignObject``, event
handler, ``style``, link or ``href``: Graphviz's tooltip wrappers ``<a xlink:title>``
become plain groups). The explorer serves it as an image (``<img>``), where a browser
runs no script anyway, with a Content-Security-Policy of its own; the pathway page
inlines it, each credential with its metrics as a tooltip and a link to its row of the
metrics table (the only links in it, made here).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping

from pathways.export.pictures import diagram, dot_text, render_svg
from pathways.rdf.store import KnowledgeGraph

__all__ = ["FLAG_COLOURS", "SVG_HEADERS", "pathway_svg", "sanitised_svg"]

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

#: Outline colour of a credential with each finding, in the order one wins over another.
FLAG_COLOURS: dict[str, str] = {
    "dead-end": "#b00020",
    "level-inversion": "#e65100",
    "articulation": "#6a1b9a",
}

#: Headers of the served SVG: it may draw, never run or fetch anything.
SVG_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "Content-Disposition": 'inline; filename="pathway.svg"',
}

_ELEMENTS = frozenset(
    {"svg", "g", "title", "polygon", "polyline", "path", "ellipse", "circle", "rect", "line"}
    | {"text", "tspan"}
)
_ATTRIBUTES = frozenset(
    {"id", "class", "transform", "viewBox", "width", "height", "x", "y", "x1", "y1", "x2"}
    | {"y2", "cx", "cy", "r", "rx", "ry", "points", "d", "fill", "stroke", "stroke-width"}
    | {"stroke-dasharray", "fill-opacity", "stroke-opacity", "text-anchor", "font-family"}
    | {"font-size", "font-weight", "font-style", "preserveAspectRatio"}
)
_SHAPES = frozenset({"polygon", "path", "ellipse", "rect", "circle"})


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _allowed(attribute: str, value: str) -> bool:
    lowered = value.lower()
    if attribute.startswith("{") or _local(attribute) not in _ATTRIBUTES:
        return False
    return "url(" not in lowered and "javascript:" not in lowered


def _clean(element: ET.Element) -> None:
    for child in list(element):
        name = _local(child.tag) if isinstance(child.tag, str) else ""
        if name == "a":  # Graphviz's tooltip wrapper: keep what it draws, not the link
            child.tag = f"{{{SVG_NS}}}g"
            name = "g"
        if name not in _ELEMENTS:
            element.remove(child)
            continue
        for attribute in list(child.attrib):
            if not _allowed(attribute, child.attrib[attribute]):
                del child.attrib[attribute]
        _clean(child)


def sanitised_svg(
    svg: bytes,
    flags: Mapping[str, str] | None = None,
    notes: Mapping[str, tuple[str, str]] | None = None,
) -> bytes:
    """Graphviz's SVG with only drawing elements and attributes left; the node groups
    whose ``<title>`` is a key of ``flags`` get that finding's outline and class, and
    those of ``notes`` (id -> tooltip, anchor) that tooltip as their title and a link
    to ``#anchor`` (links this function makes, never one from the data).

    >>> dirty = (b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"><script>x()</script>'
    ...          b'<g class="node"><title>n0</title><a href="javascript:x()">'
    ...          b'<text>&lt;b&gt;</text></a></g></svg>')
    >>> print(sanitised_svg(dirty).decode().replace("><", ">\\n<"))
    <svg xmlns="http://www.w3.org/2000/svg">
    <g class="node">
    <title>n0</title>
    <g>
    <text>&lt;b&gt;</text>
    </g>
    </g>
    </svg>
    """
    root = ET.fromstring(svg)  # expat loads no external DTD and defines no entity here
    for attribute in list(root.attrib):
        if not _allowed(attribute, root.attrib[attribute]):
            del root.attrib[attribute]
    _clean(root)
    for group in list(root.iter(f"{{{SVG_NS}}}g")):
        title = group.find(f"{{{SVG_NS}}}title")
        if title is None or "node" not in group.get("class", ""):
            continue
        ident = title.text or ""
        flag = (flags or {}).get(ident)
        if flag is not None:
            group.set("class", f"node {flag}")
            for shape in group.iter():
                if _local(str(shape.tag)) in _SHAPES:
                    shape.set("stroke", FLAG_COLOURS[flag])
                    shape.set("stroke-width", "3")
        if ident in (notes or {}):
            tooltip, anchor = (notes or {})[ident]
            title.text = tooltip  # a browser shows it on hover (inline SVG)
            link = ET.Element(f"{{{SVG_NS}}}a", {"href": f"#{anchor}"})
            for child in [c for c in group if c is not title]:
                group.remove(child)
                link.append(child)
            group.append(link)
    ET.register_namespace("", SVG_NS)
    return ET.tostring(root, encoding="unicode").encode("utf-8")


def pathway_svg(
    kg: KnowledgeGraph,
    pathway: str,
    findings: Mapping[str, str],
    notes: Mapping[str, tuple[str, str]] | None = None,
) -> bytes:
    """The diagram of ``pathway`` (as ``export --to svg --pathway``), sanitised, each
    credential of ``findings`` (IRI -> a key of :data:`FLAG_COLOURS`) outlined, each of
    ``notes`` (IRI -> tooltip, anchor) with that tooltip and a link to the anchor.

    Raises :class:`~pathways.errors.UsageError` when Graphviz is missing or fails."""
    picture = diagram(kg, pathway)
    ids = picture.ids
    flags = {ids[n]: flag for n, flag in findings.items() if n in ids}
    by_id = {ids[n]: note for n, note in (notes or {}).items() if n in ids}
    return sanitised_svg(render_svg(dot_text(picture)), flags, by_id)
