"""The corridor palette (``geodata/corridors.toml`` ``colour``) stays distinguishable.

Every two corridors the atlas draws together (all those with segments: they are all shown
at start) must differ by CIEDE2000 >= 10 in normal vision and under simulated deuteranopia
and protanopia (Machado et al. 2009, severity 1, applied in linear sRGB; colour-science),
and each must stand out from the basemap's land, sea and platform fill.
"""

from __future__ import annotations

import itertools
import os

import numpy as np
import pytest

from corridors.io.geodata import load_atlas
from corridors.render import StyleTable
from corridors.render.style import mix_colour

try:
    import colour
except ImportError:  # pragma: no cover - the test extras install it
    if os.environ.get("CI"):
        raise
    pytest.skip("colour-science is not installed (pip install '.[test]')", allow_module_level=True)

MIN_DELTA_E = 10.0
MIN_DELTA_E_BASEMAP = 20.0
VISIONS = ("normal", "Deuteranomaly", "Protanomaly")


def _rgb(hex_colour: str) -> np.ndarray:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return np.array([int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)])


def lab(hex_colour: str, vision: str) -> np.ndarray:
    """CIELAB (D65) of an sRGB colour as seen with ``vision``."""
    linear = colour.models.eotf_sRGB(_rgb(hex_colour))
    if vision != "normal":
        linear = np.clip(colour.blindness.matrix_cvd_Machado2009(vision, 1.0) @ linear, 0, 1)
    return colour.XYZ_to_Lab(colour.sRGB_to_XYZ(colour.models.eotf_inverse_sRGB(linear)))


def delta_e(a: str, b: str, vision: str) -> float:
    return float(colour.delta_E(lab(a, vision), lab(b, vision), method="CIE 2000"))


def _drawn_colours() -> dict[str, str]:
    atlas = load_atlas()
    return {c.id: c.colour for c in atlas.corridors.values() if c.segments and c.colour}


def test_simulation_separates_what_deuteranopes_confuse():
    # the check can fail: red and green collapse under deuteranopia, not in normal vision
    assert delta_e("#d62728", "#2ca02c", "normal") > 40
    assert delta_e("#d62728", "#2ca02c", "Deuteranomaly") < 10


def test_corridors_drawn_together_differ_under_cvd():
    colours = _drawn_colours()
    assert len(colours) >= 10
    worst = min(
        (delta_e(colours[a], colours[b], v), a, b, v)
        for a, b in itertools.combinations(sorted(colours), 2)
        for v in VISIONS
    )
    assert worst[0] >= MIN_DELTA_E, f"{worst[1]} vs {worst[2]} under {worst[3]}: {worst[0]:.1f}"


def test_corridors_stand_out_from_the_basemap():
    style = StyleTable()
    platform_tint = mix_colour(style.basemap_fill, style.platform_colour, 0.16)
    grounds = (style.basemap_fill, style.sea_colour, platform_tint)
    for cid, c in sorted(_drawn_colours().items()):
        for ground in grounds:
            for v in VISIONS:
                d = delta_e(c, ground, v)
                assert d >= MIN_DELTA_E_BASEMAP, f"{cid} {c} on {ground} ({v}): {d:.1f}"
