"""The calibrated cost table: sourced parameters with a typical value and a low–high range.

Each :class:`CostParameter` is one published figure (a moving speed, a border dwell, a fee,
an emission intensity, a capacity…) read from ``geodata/costs.toml`` by
:mod:`corridors.io.geodata.costs`. A :class:`CostTable` holds them in file order and answers
look-ups by id, by mode, by border and by node. :mod:`corridors.network.costing` costs
every route with it, and :mod:`corridors.network.weights` routes on its expected costs
(``route --by usd|co2|generalized``); routing by hours keeps the scenario cost model
(:mod:`corridors.scenario.costs`).

Examples
--------
>>> from corridors.model import Source
>>> src = (Source("https://example.org/cpmm", "CPMM road", "2026"),)
>>> speed = CostParameter("speed.road", 42.0, 41.6, 43.6, "km/h", 2022,
...                       AppliesTo(mode="road"), sources=src)
>>> dwell = CostParameter("border_dwell.torkham", 50.0, 4.2, 50.0, "h", 2020,
...                       AppliesTo(mode="road", border="AFG-PAK", node="torkham"), sources=src)
>>> table = CostTable((speed, dwell))
>>> table.value("speed.road"), table.range("speed.road")
(42.0, (41.6, 43.6))
>>> table.for_border("AFG-PAK", mode="road").id
'border_dwell.torkham'
>>> table.for_border("PAK-AFG", mode="rail") is None
True
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from corridors.model import Source
from corridors.textsafe import md_text

__all__ = [
    "PARAMETER_ID_PATTERN",
    "UNITS",
    "UNIT_LIMITS",
    "AppliesTo",
    "CostParameter",
    "CostTable",
    "is_parameter_id",
    "markdown_table",
]

#: Units a cost parameter may carry (a closed vocabulary).
UNITS: tuple[str, ...] = (
    "km/h",
    "h",
    "usd",
    "usd_per_t_km",
    "usd_per_t",
    "g_co2e_per_t_km",
    "mt_per_year",
    "teu_per_year",
    "t",
    "pct_per_day",
    "g_co2e_per_teu_km",
    "h_per_1000_km",
)
#: Largest plausible value per unit: anything above is a typo (a wrong unit or extra zeros).
UNIT_LIMITS: dict[str, float] = {
    "km/h": 1200.0,  # faster than a freighter aircraft
    "h": 24.0 * 365,  # a year of dwell
    "usd": 1.0e7,
    "usd_per_t_km": 10.0,
    "usd_per_t": 1.0e5,
    "g_co2e_per_t_km": 5000.0,
    "mt_per_year": 5000.0,
    "teu_per_year": 1.0e8,
    "t": 100.0,  # a consignment heavier than a loaded 40 ft box and a half
    "pct_per_day": 100.0,
    "g_co2e_per_teu_km": 20000.0,
    "h_per_1000_km": 1000.0,  # under 1 km/h door to door
}
#: Ids: dot-separated words, e.g. ``speed.road`` or ``border_dwell.torkham``.
PARAMETER_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$"
_ID_RE = re.compile(PARAMETER_ID_PATTERN)


def is_parameter_id(value: object) -> bool:
    """True for a parameter id such as ``speed.road`` (ASCII, :data:`PARAMETER_ID_PATTERN`).

    >>> is_parameter_id("speed.road"), is_parameter_id("Speed.Road"), is_parameter_id("a..b")
    (True, False, False)
    """
    return isinstance(value, str) and value.isascii() and _ID_RE.fullmatch(value) is not None


@dataclass(frozen=True)
class AppliesTo:
    """What a parameter applies to; every field given must match (``None`` = any).

    Attributes
    ----------
    mode : str or None
        A segment mode (``road``, ``rail``…).
    modes : tuple of str
        A mode pair for transfers (``("rail", "ferry")``), empty otherwise.
    node, segment, corridor : str or None
        An atlas id.
    node_kind : str or None
        A node kind (``seaport``, ``border_crossing``…).
    border : str or None
        A border key ``"AAA-BBB"`` (ISO3 codes in alphabetical order).
    scope : str or None
        ``"all"`` for a model-wide figure that belongs to no mode or place (the
        consignment basis, the value of time).
    """

    mode: str | None = None
    modes: tuple[str, ...] = ()
    node: str | None = None
    node_kind: str | None = None
    border: str | None = None
    segment: str | None = None
    corridor: str | None = None
    scope: str | None = None

    @property
    def is_generic(self) -> bool:
        """True when only a mode (or nothing) is given: a default for every place."""
        return not (
            self.modes
            or self.node
            or self.node_kind
            or self.border
            or self.segment
            or self.corridor
        )

    def describe(self) -> str:
        """A short text such as ``mode=road, border=AFG-PAK`` (for tables and messages)."""
        parts = [
            f"{k}={v}"
            for k, v in (
                ("mode", self.mode),
                ("modes", "+".join(self.modes) if self.modes else None),
                ("node", self.node),
                ("node_kind", self.node_kind),
                ("border", self.border),
                ("segment", self.segment),
                ("corridor", self.corridor),
                ("scope", self.scope),
            )
            if v
        ]
        return ", ".join(parts) if parts else "any"


@dataclass(frozen=True)
class CostParameter:
    """One calibrated value: typical, low–high range, unit, year and sources.

    Raises
    ------
    ValueError
        For an unknown unit, a non-finite or negative number, ``low > high``, a typical
        value outside ``[low, high]`` or no source (the parser reports these as located
        problems first; this guards objects built in code).
    """

    id: str
    typical: float
    low: float
    high: float
    unit: str
    year: int
    applies_to: AppliesTo = field(default_factory=AppliesTo)
    claimed: bool = False
    note: str = ""
    sources: tuple[Source, ...] = ()

    def __post_init__(self) -> None:
        if not is_parameter_id(self.id):
            raise ValueError(f"invalid parameter id {self.id!r}")
        if self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit!r}")
        for name in ("typical", "low", "high"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                raise ValueError(f"{name} must be a finite number, got {v!r}")
            if v < 0:
                raise ValueError(f"{name} must be >= 0, got {v!r}")
            object.__setattr__(self, name, float(v))
        if self.low > self.high:
            raise ValueError(f"low {self.low} > high {self.high}")
        if not self.low <= self.typical <= self.high:
            raise ValueError(f"typical {self.typical} outside [{self.low}, {self.high}]")
        if not self.sources:
            raise ValueError(f"parameter {self.id!r} has no source")
        object.__setattr__(self, "sources", tuple(self.sources))

    @property
    def kind(self) -> str:
        """The id's first word (``speed``, ``border_dwell``, ``co2``, ``capacity``…)."""
        return self.id.split(".", 1)[0]


@dataclass(frozen=True)
class CostTable:
    """The parameters of ``costs.toml`` in file order, with look-ups.

    Raises
    ------
    ValueError
        When two parameters share an id.
    """

    parameters: tuple[CostParameter, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", tuple(self.parameters))
        seen: set[str] = set()
        for p in self.parameters:
            if p.id in seen:
                raise ValueError(f"duplicate parameter id {p.id!r}")
            seen.add(p.id)

    def __iter__(self) -> Iterator[CostParameter]:
        return iter(self.parameters)

    def __len__(self) -> int:
        return len(self.parameters)

    def __contains__(self, ident: object) -> bool:
        return any(p.id == ident for p in self.parameters)

    @property
    def ids(self) -> tuple[str, ...]:
        """Parameter ids in file order."""
        return tuple(p.id for p in self.parameters)

    def get(self, ident: str) -> CostParameter:
        """The parameter ``ident``.

        Raises
        ------
        KeyError
            Naming the closest ids when ``ident`` is unknown.
        """
        for p in self.parameters:
            if p.id == ident:
                return p
        from difflib import get_close_matches

        close = get_close_matches(ident, self.ids, n=3)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise KeyError(f"no cost parameter {ident!r}{hint}")

    def value(self, ident: str) -> float:
        """The typical value of ``ident``."""
        return self.get(ident).typical

    def range(self, ident: str) -> tuple[float, float]:
        """``(low, high)`` of ``ident``."""
        p = self.get(ident)
        return p.low, p.high

    def of_kind(self, kind: str) -> tuple[CostParameter, ...]:
        """Parameters whose id starts with ``kind.`` (e.g. ``"co2"``), in file order."""
        return tuple(p for p in self.parameters if p.kind == kind)

    def for_mode(self, kind: str, mode: str) -> CostParameter | None:
        """The generic parameter of ``kind`` for ``mode`` (no place given), or ``None``."""
        for p in self.of_kind(kind):
            if p.applies_to.is_generic and p.applies_to.mode == mode:
                return p
        return None

    def for_border(
        self, border: str, mode: str | None = None, kind: str = "border_dwell"
    ) -> CostParameter | None:
        """The ``kind`` parameter of a border (``"AFG-PAK"``, either order), or ``None``.

        The first parameter naming the border (and ``mode``, when given and the parameter
        has one) wins; the generic value of the mode is *not* substituted, so ``None``
        tells the caller no measurement exists for this border.
        """
        a, _, b = border.partition("-")
        key = "-".join(sorted((a.strip(), b.strip())))
        for p in self.of_kind(kind):
            at = p.applies_to
            if at.border == key and (mode is None or at.mode in (None, mode)):
                return p
        return None

    def for_node(self, node: str, kind: str, mode: str | None = None) -> CostParameter | None:
        """The first ``kind`` parameter naming ``node`` (and ``mode`` when given), or ``None``."""
        for p in self.of_kind(kind):
            at = p.applies_to
            if at.node == node and (mode is None or at.mode in (None, mode)):
                return p
        return None


def _fmt(v: float) -> str:
    """A number as written in the table: no trailing ``.0``, thousands separated."""
    return f"{v:,.0f}" if v == int(v) and abs(v) >= 1000 else f"{v:g}"


def markdown_table(table: CostTable) -> str:
    """The README table of defaults: one row per parameter, in file order.

    Ids, targets and units are code spans (their vocabularies exclude backticks); source
    titles go through :func:`corridors.textsafe.md_text`.

    Examples
    --------
    >>> p = CostParameter("speed.road", 42.0, 41.6, 43.6, "km/h", 2022, AppliesTo(mode="road"),
    ...                   sources=(Source("https://x.org", "CPMM"),))
    >>> print(markdown_table(CostTable((p,))))
    | parameter | applies to | typical | range | unit | year | source |
    |---|---|---|---|---|---|---|
    | `speed.road` | `mode=road` | 42 | 41.6–43.6 | `km/h` | 2022 | [CPMM](<https://x.org>) |
    """
    rows = [
        "| parameter | applies to | typical | range | unit | year | source |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in table:
        src = p.sources[0]
        cite = f"[{md_text(src.title or src.url)}](<{src.url}>)"
        if len(p.sources) > 1:
            cite += f" +{len(p.sources) - 1}"
        typical = _fmt(p.typical) + (" (claimed)" if p.claimed else "")
        span = "–" if p.low != p.high else ""
        rng = f"{_fmt(p.low)}{span}{_fmt(p.high)}" if span else "single figure"
        rows.append(
            f"| `{p.id}` | `{p.applies_to.describe()}` | {typical} | {rng} | "
            f"`{p.unit}` | {p.year} | {cite} |"
        )
    return "\n".join(rows)
