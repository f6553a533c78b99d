"""GeoReport v2 serialisation: XML (mandatory) and JSON derived from it (the "Spark convention").

Lists become top-level JSON arrays and their wrapper elements disappear; empty elements become
`null`; booleans are lower-case `true`/`false` in XML; every identifier is a string.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

# List element -> the name of each item in XML.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
    "service_request_updates": "request_update",
}
XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"


# What XML 1.0 cannot hold at all (not even escaped): control characters but tab, newline and
# carriage return, lone surrogates, U+FFFE and U+FFFF. One in a complaint's text would make the
# whole document unreadable to every client, so it is dropped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML.sub("", str(value))


def _fill(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(element, key, child)
    elif isinstance(value, list):
        for item in value:
            _fill(element, ITEM_NAMES[name], item)
    else:
        text = _text(value)
        if text is not None:
            element.text = text


def to_xml(root: str, body: Any) -> str:
    """`body` is a list (for list roots) or a dict (service_definition, discovery)."""
    element = ET.Element(root)
    if isinstance(body, list):
        for item in body:
            _fill(element, ITEM_NAMES[root], item)
    else:
        for key, value in body.items():
            _fill(element, key, value)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="unicode")


def render(fmt: str, root: str, body: Any, status: int = 200) -> HttpResponse:
    if fmt == "json":
        import json

        return HttpResponse(
            json.dumps(body, ensure_ascii=False), content_type=JSON_TYPE, status=status
        )
    return HttpResponse(to_xml(root, body), content_type=XML_TYPE, status=status)


def error(fmt: str, status: int, description: str, code: int | None = None) -> HttpResponse:
    """An Open311 error: `<errors><error><code/><description/></error></errors>` or its array."""
    body = [{"code": code or status, "description": description}]
    return render(fmt if fmt == "json" else "xml", "errors", body, status=status)
