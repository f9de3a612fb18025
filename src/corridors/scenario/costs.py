"""Scenario costs: the :class:`CostModel`, its documented defaults and border keys.

Cost defaults are assumptions, not measurements (no CAREC CPMM figures were at hand):

* speeds, km/h: rail 40, road 50, sea 28 (~15 knots), ferry 20 (air 700; pipeline and power
  line are not routed unless asked for) — average commercial speeds including stops;
* ``transfer_h`` = 12 h per change of mode, and per change of vessel at a port;
* ``border_dwell_h`` = 12 h per *land* border crossing, overridable per border
  (``[cost.border_dwell_h_by_border] "AFG-PAK" = 48``); ADB CAREC's Corridor Performance
  Measurement and Monitoring (CPMM) publishes measured crossing times per border: use them
  there. Maritime country changes carry no border dwell (port handling is ``transfer_h``);
* ``break_of_gauge_h`` = 6 h per change of rail gauge (1,676 mm Pakistan; 1,520 mm Central
  Asia, Caucasus, Russia; 1,435 mm Iran, Türkiye, China), e.g. at Zahedan or Akhalkalaki.

Plausibility parameters (judgement calls, not measurements):

* ``circuity_warn`` = 2.0: a route longer than twice the great-circle distance between its
  ends is reported as implausible (a scenario may set ``circuity_warn``). Real freight
  routes in the region run at 1.1-1.6 times the great circle (mountain roads up to ~1.8);
  beyond 2 the network usually lacks a link rather than the geography forcing a detour;
* ``gap_km`` = 600 km: how far apart two places may be for the missing link between them
  to be named ("no open link between X and Y within N km").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from corridors.io.numbers import NumberError, parse_number, safe_value
from corridors.scenario.problems import BUILDER, scenario_error, scenario_problem

__all__ = [
    "BORDER_RE",
    "DEFAULT_BORDER_DWELL_H",
    "DEFAULT_BREAK_OF_GAUGE_H",
    "DEFAULT_CIRCUITY_WARN",
    "DEFAULT_GAP_KM",
    "DEFAULT_SPEED_KMH",
    "DEFAULT_TRANSFER_H",
    "CostModel",
    "border_key",
    "check_hours",
]

#: Default average commercial speeds, km/h, including stops (assumptions, see docs).
DEFAULT_SPEED_KMH: dict[str, float] = {
    "rail": 40.0,
    "road": 50.0,
    "sea": 28.0,  # ~15 knots
    "ferry": 20.0,
    "air": 700.0,
    "pipeline": 10.0,
    "power_line": 1000.0,
}
#: Default hours per mode change or port transshipment (assumption).
DEFAULT_TRANSFER_H = 12.0
#: Default hours per land border crossing (assumption; override per border).
DEFAULT_BORDER_DWELL_H = 12.0
#: Default hours per break of gauge (bogie exchange or transshipment; assumption).
DEFAULT_BREAK_OF_GAUGE_H = 6.0
#: Default circuity (route km / great-circle km) above which a route is implausible.
DEFAULT_CIRCUITY_WARN = 2.0
#: Default radius, km, within which a missing link between two places is named.
DEFAULT_GAP_KM = 600.0
#: A border written ``AAA-BBB`` (or ``AAA|BBB``, ``AAA/BBB``), ISO3 codes.
BORDER_RE = re.compile(r"^([A-Z]{3})\s*[-|/]\s*([A-Z]{3})$")


@dataclass(frozen=True)
class CostModel:
    """Cost parameters of a scenario.

    Attributes
    ----------
    speed_kmh : tuple of (mode, float)
        Average speed per mode, km/h (> 0).
    transfer_h : float
        Hours per change of mode, and per change of vessel at a port (>= 0).
    border_dwell_h : float
        Hours per land border crossing (>= 0).
    border_dwell_h_by_border : tuple of (str, float)
        Overrides per border, keyed ``"AAA-BBB"`` (ISO3 codes sorted).
    break_of_gauge_h : float
        Hours per change of rail gauge (>= 0).
    """

    speed_kmh: tuple[tuple[str, float], ...] = tuple(DEFAULT_SPEED_KMH.items())
    transfer_h: float = DEFAULT_TRANSFER_H
    border_dwell_h: float = DEFAULT_BORDER_DWELL_H
    border_dwell_h_by_border: tuple[tuple[str, float], ...] = ()
    break_of_gauge_h: float = DEFAULT_BREAK_OF_GAUGE_H

    def speed(self, mode: str) -> float:
        """Speed of ``mode`` in km/h."""
        return dict(self.speed_kmh).get(mode, DEFAULT_SPEED_KMH.get(mode, 30.0))

    def dwell_h(self, a: str, b: str) -> float:
        """Hours to cross the land border between ISO3 ``a`` and ``b``."""
        key = border_key(a, b)
        return dict(self.border_dwell_h_by_border).get(key, self.border_dwell_h)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (TOML ``[cost]`` layout)."""
        return {
            "speed_kmh": dict(self.speed_kmh),
            "transfer_h": self.transfer_h,
            "border_dwell_h": self.border_dwell_h,
            "border_dwell_h_by_border": dict(self.border_dwell_h_by_border),
            "break_of_gauge_h": self.break_of_gauge_h,
        }


#: Allowed speeds (km/h): above a walking pace (no near-zero speed turns into infinite
#: hours), at most an airliner's cruise with margin.
SPEED_KMH_RANGE = (0.1, 2000.0)
#: Allowed times (hours) for transfers, dwells and gauge breaks: up to one year.
HOURS_RANGE = (0.0, 8760.0)


def border_key(a: str, b: str) -> str:
    """Canonical ``"AAA-BBB"`` key of a border (codes sorted)."""
    x, y = sorted((a, b))
    return f"{x}-{y}"


def check_hours(value: Any, what: str, *, allow_zero: bool = True) -> float:
    """Check a builder's hours (or, with ``allow_zero=False``, a speed in km/h).

    Raises
    ------
    ScenarioError
        ``field-type`` for a non-number, ``bad-number`` (naming the allowed range) for a
        non-finite, huge or out-of-range value.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise scenario_error(
            [
                scenario_problem(
                    BUILDER,
                    what,
                    value,
                    f"{what} must be a finite number",
                    "write a number without quotes",
                    code="field-type",
                )
            ]
        )
    lo, hi = HOURS_RANGE if allow_zero else SPEED_KMH_RANGE
    try:
        return parse_number(value, field=what, lo=lo, hi=hi, unit="hours" if allow_zero else "km/h")
    except NumberError as exc:
        raise scenario_error(
            [
                scenario_problem(
                    BUILDER, what, safe_value(value), exc.reason, exc.hint, code="bad-number"
                )
            ]
        ) from None
