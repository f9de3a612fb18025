"""The disputed-areas layer of the atlas (hatched outlines, off when the map opens)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from corridors.geo.disputed import DEFAULT_WORLDVIEW, disputed_for, parse_worldview
from corridors.maps.features import feature_collection
from corridors.maps.tree import GROUP_BASEMAP
from corridors.model import Atlas

if TYPE_CHECKING:  # pragma: no cover
    from corridors.render import LayerSpec

__all__ = ["DISPUTED_COLOUR", "DISPUTED_KEY", "disputed_layer"]

#: Layer key and colour (hatch and outline) of the disputed areas.
DISPUTED_KEY = "disputed:areas"
DISPUTED_COLOUR = "#7b3294"


def disputed_layer(
    atlas: Atlas, *, worldview: str = DEFAULT_WORLDVIEW, order: int = 0
) -> LayerSpec | None:
    """The disputed areas as a ``disputed`` layer, each saying whose it is under ``worldview``.

    Returns ``None`` when the geodata has no ``disputed.geojson``.
    """
    from corridors.render import LayerSpec

    wv = parse_worldview(worldview)
    layer = disputed_for(atlas)
    if layer is None:
        return None
    names = atlas.countries.names if atlas.countries is not None else {}
    feats = layer.features(wv)
    for f in feats:
        p = f["properties"]
        for k in ("admin", "country"):
            iso = p.get(k)
            p[k + "_name"] = names.get(iso, iso) if iso else None
    return LayerSpec(
        key=DISPUTED_KEY,
        role="disputed",
        title=f"Disputed areas (Natural Earth; worldview {wv})",
        group=(GROUP_BASEMAP,),
        kind="polygons",
        features=feature_collection(feats),
        colour=DISPUTED_COLOUR,
        visible=False,
        order=order,
    )
