"""Read the data of a generated page the way the map does: one helper for every test.

:func:`read_payload` finds the page's payload (the argument of ``app.load("…")``),
decodes it with :func:`corridors.render.payload.decode_payload` (the Python twin of the
map's ``decodePayload``) and, unless ``geometry=False``, turns each feature's compact
geometry into GeoJSON with :func:`corridors.render.codec.decode_geometry` (the twin of
``decodeGeometry``), through the page's topology. There is no other decoder here.
"""

from __future__ import annotations

import json
import re
from typing import Any

from corridors.render.codec import decode_geometry
from corridors.render.payload import decode_payload

__all__ = ["page_config", "payload_text", "read_payload"]


def payload_text(html: str) -> str:
    """The base64 payload text of a page."""
    m = re.search(r'\.load\("([A-Za-z0-9+/=]*)"\);\n', html)
    assert m, "no payload in the page"
    return m.group(1)


def read_payload(html: str, *, geometry: bool = True) -> dict[str, Any]:
    """The page's payload ``{"topology", "layers"}``, geometries decoded to GeoJSON."""
    payload = decode_payload(payload_text(html))
    if geometry:
        for layer in payload["layers"]:
            for f in layer["features"]:
                f[0] = decode_geometry(f[0], payload["topology"])
    return payload


def page_config(html: str) -> dict:
    """The configuration handed to ``Corridors.create``."""
    m = re.search(r"Corridors\.create\(\w+, (\{.*?\})\);\n", html)
    assert m, "no Corridors.create call"
    return json.loads(m.group(1))
