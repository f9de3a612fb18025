"""The plain-data contract between the data model and the render layer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["KINDS", "ROLES", "ROLE_KINDS", "LayerSpec", "role_from_key"]

#: Allowed values of :attr:`LayerSpec.kind`.
KINDS: tuple[str, ...] = ("lines", "points", "polygons")

#: Allowed values of :attr:`LayerSpec.role`: how a layer is drawn (one ``prepare_<role>``
#: function of :mod:`corridors.render.prepare` each).
ROLES: tuple[str, ...] = (
    "basemap",
    "platform",
    "overlay",
    "corridor",
    "projects",
    "nodes",
    "disputed",
)

#: The geometry kind each role draws (overlays draw any kind).
ROLE_KINDS: dict[str, tuple[str, ...]] = {
    "basemap": ("polygons",),
    "platform": ("polygons",),
    "overlay": KINDS,
    "corridor": ("lines",),
    "projects": ("points", "lines"),
    "nodes": ("points",),
    "disputed": ("polygons",),
}


def role_from_key(key: str, kind: str, features: dict[str, Any]) -> str:
    """The role a layer takes when its :class:`LayerSpec` does not say: from the key prefix.

    ``overlay:`` keys are overlays; ``polygons`` are the basemap (``basemap:``), platform
    members (``platform:``, or features with ``platform``/``members`` properties) or else
    overlays; other ``lines`` layers are corridors and other ``points`` layers are nodes.
    """
    prefix = key.split(":", 1)[0] if ":" in key else ""
    if prefix == "overlay":
        return "overlay"
    if kind == "polygons":
        if prefix == "basemap":
            return "basemap"
        if prefix == "platform" or any(
            isinstance(f, dict)
            and isinstance(f.get("properties"), dict)
            and ("platform" in f["properties"] or "members" in f["properties"])
            for f in features["features"]
        ):
            return "platform"
        return "overlay"
    return "corridor" if kind == "lines" else "nodes"


@dataclass(frozen=True)
class LayerSpec:
    """One map layer as plain data.

    Parameters
    ----------
    key : str
        Stable unique id, e.g. ``"corridor:n-cpec-plus"``, ``"nodes:seaport"``,
        ``"basemap:countries"``, ``"platform:aze-3plus3"``, ``"overlay:ports"``.
    title : str
        Display name in the layer tree.
    group : tuple of str
        Path in the layer tree, e.g. ``("CPEC+",)``; ``()`` is the top level.
    kind : {"lines", "points", "polygons"}
        Geometry family of the features.
    features : dict
        GeoJSON FeatureCollection, ``[lon, lat]`` positions.
    colour : str or None
        ``#rrggbb`` layer colour; ``None`` takes it from the style table.
    visible : bool
        Shown when the map opens.
    order : int
        Tree and draw order within its group (ties broken by title, then input order).
    source_sha256 : str or None
        SHA-256 of the file every feature geometry was read from, unchanged, with each
        feature named by an ``iso3`` or ``id`` property (the country basemap and platform
        members). When given, display geometry is cached on disk with the other values
        derived from that file (:mod:`corridors.io.cache`); leave it ``None`` otherwise.
    role : {"basemap", "platform", "overlay", "corridor", "projects", "nodes", "disputed"}, optional
        How the layer is drawn (:data:`ROLES`). Left out (``""``), it is taken from the key
        prefix by :func:`role_from_key`, and the field holds the result.
    """

    key: str
    title: str
    group: tuple[str, ...]
    kind: str
    features: dict[str, Any]
    colour: str | None = None
    visible: bool = True
    order: int = 0
    source_sha256: str | None = None
    role: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not self.key.strip():
            raise ValueError(f"LayerSpec.key must be a non-empty string, got {self.key!r}")
        if self.kind not in KINDS:
            raise ValueError(
                f"LayerSpec {self.key!r}: kind {self.kind!r} is not one of {', '.join(KINDS)}"
            )
        if isinstance(self.group, str):
            raise ValueError(
                f"LayerSpec {self.key!r}: group must be a tuple of str such as "
                f"({self.group!r},), not a str"
            )
        object.__setattr__(self, "group", tuple(str(g) for g in self.group))
        fc = self.features
        if not isinstance(fc, dict) or fc.get("type") != "FeatureCollection":
            raise ValueError(
                f"LayerSpec {self.key!r}: features must be a GeoJSON FeatureCollection dict"
            )
        if not isinstance(fc.get("features"), list):
            raise ValueError(f"LayerSpec {self.key!r}: features['features'] must be a list")
        if not self.role:
            object.__setattr__(self, "role", role_from_key(self.key, self.kind, fc))
        elif self.role not in ROLES:
            raise ValueError(
                f"LayerSpec {self.key!r}: role {self.role!r} is not one of {', '.join(ROLES)}"
            )
        if self.kind not in ROLE_KINDS[self.role]:
            raise ValueError(
                f"LayerSpec {self.key!r}: a {self.role} layer draws "
                f"{' or '.join(ROLE_KINDS[self.role])}, not {self.kind}"
            )
