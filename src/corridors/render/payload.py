"""The page's data: every prepared layer, as one gzip-compressed, base64 JSON text.

The payload is ``{"topology": arcs or null, "layers": [layer, …]}``: each layer as
:meth:`~corridors.render.prepare.Prepared.as_page` gives it, features as ``[compact
geometry, properties]`` (:mod:`corridors.render.codec`, :mod:`corridors.render.prepare`).
Two passes shape it:

* the basemap's and the platforms' polygons are written as one topology
  (:func:`~corridors.render.codec.encode_topology`): a border that neighbouring
  countries share is written once, as an arc (``topology`` holds the arcs);
* a segment drawn by several corridors shows one popup naming all of them: its
  ``Corridor`` row (:data:`~corridors.render.popups.LAYER_TITLE`) becomes the titles of
  the layers that draw the same popup (:func:`~corridors.render.popups.with_layer_titles`).

Nothing else is shared or shortened: popup models travel in full and gzip removes the
repetition. The JSON is compressed with a fixed gzip header (``mtime=0``), so the same
layers give the same bytes; the map decodes it with the browser's
``DecompressionStream('gzip')`` (``decodePayload`` in ``assets/js/decode.js``), and
:func:`decode_payload` is its Python twin.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Sequence
from typing import Any

from corridors.render import cached
from corridors.render import geometry as geo
from corridors.render.codec import TYPE_CODES
from corridors.render.popups import LAYER_TITLE, with_layer_titles
from corridors.render.prepare import Prepared

__all__ = ["GZIP_LEVEL", "decode_payload", "encode_payload", "page_payload"]

#: zlib compression level of the payload (9: the smallest page; the build is not slowed
#: noticeably at these sizes).
GZIP_LEVEL = 9


def _text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _topology(prepared: Sequence[Prepared]) -> list[Any] | None:
    """Write the basemap's and the platforms' polygons as one topology; return its arcs.

    A platform member is the basemap's polygon, so equal geometries are encoded once and
    stay equal. ``None`` (geometries unchanged) when no border is shared.
    """
    nd = geo.BASEMAP_DECIMALS
    polygonal = (TYPE_CODES["Polygon"], TYPE_CODES["MultiPolygon"])
    targets: list[tuple[list[Any], str]] = []
    unique: dict[str, list[Any]] = {}
    sources: set[str | None] = set()
    for p in prepared:
        if p.role not in ("basemap", "platform"):
            continue
        sources.add(p.spec.source_sha256)
        for f in p.features:
            if f[0][0] in polygonal and f[0][1] == nd:
                key = json.dumps(f[0], separators=(",", ":"))
                unique.setdefault(key, f[0])
                targets.append((f, key))
    if not unique:
        return None
    topology, compact = cached.topology(sources, unique, nd)
    if not topology[1]:
        return None
    by_key = dict(zip(unique, compact, strict=True))
    for f, key in targets:
        f[0] = by_key[key]
    return topology


def _is_layer_title(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value == LAYER_TITLE


def _layer_titles(prepared: Sequence[Prepared]) -> None:
    """Name, in each popup that says "this layer", every layer drawing that same popup."""
    titles: dict[str, list[str]] = {}
    users: list[tuple[dict[str, Any], str]] = []
    for p in prepared:
        for f in p.features:
            model = f[1].get("p")
            if not model or not any(_is_layer_title(row[1]) for row in model.get("r", ())):
                continue
            key = _text(model)
            seen = titles.setdefault(key, [])
            if p.spec.title and p.spec.title not in seen:
                seen.append(p.spec.title)
            users.append((f[1], key))
    for props, key in users:
        props["p"] = with_layer_titles(props["p"], titles[key])


def page_payload(prepared: Sequence[Prepared]) -> dict[str, Any]:
    """The payload of prepared layers (in tree order); rewrites their features in place."""
    topology = _topology(prepared)
    _layer_titles(prepared)
    return {"topology": topology, "layers": [p.as_page() for p in prepared]}


def encode_payload(payload: Any) -> str:
    """Compact JSON of ``payload``, gzip-compressed (deterministic), in base64.

    Examples
    --------
    >>> text = encode_payload({"layers": []})
    >>> text[:4], decode_payload(text)
    ('H4sI', {'layers': []})
    >>> encode_payload({"layers": []}) == text
    True
    """
    data = _text(payload).encode("utf-8")
    return base64.b64encode(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)).decode()


def decode_payload(text: str) -> Any:
    """The payload of :func:`encode_payload`'s text (the Python twin of the map's decode)."""
    return json.loads(gzip.decompress(base64.b64decode(text, validate=True)).decode("utf-8"))
