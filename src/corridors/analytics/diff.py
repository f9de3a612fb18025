"""Diff: what opened or closed between two scenarios and how reference routes change.

With a cost table, each reference pair also gets its cost changes (hours, US$/t, kg CO2e/t,
generalized US$/t): the P50 in A and B, the change, and the probability that B is better
from paired Monte Carlo draws (:mod:`corridors.analytics.cost_diff`), as the plain list
:attr:`ScenarioDiff.costs` (``cost_changes`` in the JSON).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from corridors.analytics.common import (
    hub_pairs,
    markdown_table,
    round1,
    scenario_network,
    table_records,
    try_route,
)
from corridors.analytics.cost_diff import BETTER, QUANTITIES, cost_change
from corridors.html import esc
from corridors.model import Atlas
from corridors.network.graph import Network
from corridors.network.route import Route
from corridors.network.routing import find_node
from corridors.scenario.model import Scenario
from corridors.textsafe import md_text

__all__ = ["ScenarioDiff", "diff"]


@dataclass
class ScenarioDiff:
    """Differences between scenario ``a`` and scenario ``b``.

    Attributes
    ----------
    a, b : str
        Scenario names.
    opened : list of str
        Segments open (at least partly) in ``b`` but not in ``a``.
    closed : list of str
        Segments open in ``a`` but not in ``b``.
    routes : DataFrame
        Per reference pair: km, hours, P50 US$/t and kg CO2e/t (when a cost table priced
        every leg; :mod:`corridors.network.costing`), countries and chokepoints in each
        scenario, deltas and a ``change`` label (same, changed, lost, gained, none).
    costs : list of dict
        Per reference pair routed in both scenarios and costed: ``{origin, destination,
        draws, seed, same_route, hours, usd_per_t, co2e_kg_per_t, generalized_usd_per_t}``,
        each quantity ``{p50_a, p50_b, p50_change, p50_change_pct, change_p10, change_p90,
        prob_b_better, prob_b_worse}`` (:func:`corridors.analytics.cost_diff.cost_change`).
    """

    a: str
    b: str
    opened: list[str]
    closed: list[str]
    routes: pd.DataFrame
    costs: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "a": self.a,
            "b": self.b,
            "opened": self.opened,
            "closed": self.closed,
            "routes": table_records(self.routes),
            "cost_changes": self.costs,
        }

    def to_json(self) -> str:
        """JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def to_markdown(self) -> str:
        """Markdown text."""
        a, b = md_text(self.a), md_text(self.b)
        lines = [f"# {a} → {b}", ""]
        lines.append(f"- opened in {b}: {md_text(', '.join(self.opened)) or 'none'}")
        lines.append(f"- closed or left out in {b}: {md_text(', '.join(self.closed)) or 'none'}")
        lines += ["", "## Reference routes", "", markdown_table(self.routes, index=False), ""]
        if self.costs:
            lines += [
                "## Cost changes (P50 in A → B, and the probability that B is better)",
                "",
                f"Paired Monte Carlo draws ({self.costs[0]['draws']}, seed "
                f"{self.costs[0]['seed']}): the share of draws in which {b} is strictly "
                "better; 0 % both ways when the route is the same.",
                "",
                markdown_table(self.costs_table(), index=False),
                "",
            ]
        return "\n".join(lines)

    def table(
        self, names: Mapping[str, str] | None = None, labels: tuple[str, str] | None = None
    ) -> dict[str, Any]:
        """The per-pair table as people read it: headers with units, text cells.

        Parameters
        ----------
        names : mapping, optional
            Node id → name (default: the ids).
        labels : (str, str), optional
            Column headers of the two scenarios (default: their names).

        Returns
        -------
        dict
            ``{"groups": [(title, span)], "headers": [str], "rows": [{"cells": [str],
            "change": str, "origin": id, "destination": id}]}``: numbers with thousands
            separators and signed deltas, ``—`` for a value a scenario has no route (or no
            cost) for, country sequences as ``PAK → IRN``; never ``NaN``, ``None`` or a
            list.
        """
        names = names or {}
        groups = [("Pair", 2)] + [(f"{title} ({unit})", 3) for title, unit, *_ in _MEASURES]
        groups.append(("Countries crossed", 2))
        la, lb = labels or (self.a, self.b)
        headers = ["Route", "Change"]
        for _title, _unit, *_ in _MEASURES:
            headers += [la, lb, "Δ"]
        headers += [la, lb]
        rows = []
        for rec in self.routes.to_dict(orient="records"):
            o, d = str(rec["origin"]), str(rec["destination"])
            cells = [f"{names.get(o, o)} → {names.get(d, d)}", str(rec["change"])]
            for _title, _unit, a, b, delta, fmt in _MEASURES:
                cells += [_num(rec[a], fmt), _num(rec[b], fmt), _num(rec[delta], fmt, sign=True)]
            cells += [_seq(rec["countries_a"]), _seq(rec["countries_b"])]
            rows.append(
                {"cells": cells, "change": str(rec["change"]), "origin": o, "destination": d}
            )
        return {"groups": groups, "headers": headers, "rows": rows}

    def costs_table(self) -> pd.DataFrame:
        """:attr:`costs` as one row per pair: for each quantity ``A → B (change)`` and the
        probability that B is better, as text."""
        rows = []
        for c in self.costs:
            row: dict[str, Any] = {"origin": c["origin"], "destination": c["destination"]}
            for q in QUANTITIES:
                x = c.get(q)
                if x is None:
                    row[q] = row[f"P(B {BETTER[q]})"] = ""
                    continue
                row[q] = f"{x['p50_a']:,.1f} → {x['p50_b']:,.1f} ({x['p50_change']:+,.1f})"
                row[f"P(B {BETTER[q]})"] = f"{x['prob_b_better']:.0%}"
            rows.append(row)
        return pd.DataFrame(rows)

    def to_html(self) -> str:
        """A standalone HTML page: what opened and closed, and the styled per-pair table
        (:meth:`table`); every value escaped."""
        e = esc
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{e(self.a)} → {e(self.b)}</title><style>{_TABLE_CSS}</style></head><body>"
            f"<h1>{e(self.a)} → {e(self.b)}</h1>"
            f"<p>opened in {e(self.b)}: {e(', '.join(self.opened) or 'none')}</p>"
            f"<p>closed or left out in {e(self.b)}: {e(', '.join(self.closed) or 'none')}</p>"
            f"{self.table_html()}</body></html>\n"
        )

    def table_html(self, names: Mapping[str, str] | None = None) -> str:
        """The per-pair table (:meth:`table`) as an escaped ``<table class="cx-diff">``."""
        e = esc
        t = self.table(names)
        head = "".join(
            f'<th colspan="{span}" scope="colgroup">{e(title)}</th>' for title, span in t["groups"]
        )
        sub = "".join(f'<th scope="col">{e(h)}</th>' for h in t["headers"])
        body = []
        for row in t["rows"]:
            cells = row["cells"]
            tds = [f'<th scope="row">{e(cells[0])}</th>']
            text_cols = (1, len(cells) - 2, len(cells) - 1)
            tds += [
                f'<td class="{"cx-text" if i in text_cols else "cx-num"}">{e(c)}</td>'
                for i, c in enumerate(cells[1:], start=1)
            ]
            body.append(f'<tr class="cx-change-{e(row["change"])}">{"".join(tds)}</tr>')
        return (
            '<table class="cx-diff"><thead>'
            f"<tr>{head}</tr><tr>{sub}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        )

    def _repr_html_(self) -> str:
        e = esc
        return (
            f"<details open><summary><b>Diff</b> {e(self.a)} → {e(self.b)}</summary>"
            f"<p>opened: {e(', '.join(self.opened) or 'none')}<br>"
            f"closed: {e(', '.join(self.closed) or 'none')}</p>"
            f"{self.table_html()}</details>"
        )


#: The measures of the per-pair table: title, unit, columns (a, b, delta), number format.
_MEASURES: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("Length", "km", "km_a", "km_b", "delta_km", ",.0f"),
    ("Time", "h", "hours_a", "hours_b", "delta_h", ",.1f"),
    ("Cost, P50", "US$/t", "usd_p50_a", "usd_p50_b", "delta_usd", ",.0f"),
    ("Emissions, P50", "kg CO2e/t", "co2e_p50_a", "co2e_p50_b", "delta_co2e", ",.0f"),
)

_TABLE_CSS = (
    "body{font:14px/1.4 system-ui,sans-serif;margin:1em;color:#222}"
    ".cx-diff{border-collapse:collapse;font-size:13px}"
    ".cx-diff th,.cx-diff td{border-bottom:1px solid #ddd;padding:3px 8px;text-align:left}"
    ".cx-diff td.cx-num{text-align:right;font-variant-numeric:tabular-nums}"
    ".cx-diff thead th{background:#f3f3f3}"
    ".cx-change-changed{background:#fff7d6}.cx-change-lost{background:#fde0dd}"
    ".cx-change-gained{background:#e5f5e0}"
)


def _num(v: Any, fmt: str, *, sign: bool = False) -> str:
    """A number as text (``—`` for none or NaN); deltas signed, with a real minus."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    x = float(v)
    text = format(abs(x) if sign else x, fmt)
    if sign:
        if float(text.replace(",", "")) == 0:
            return "0"
        return ("+" if x > 0 else "\u2212") + text
    return text.replace("-", "\u2212")


def _seq(v: Any) -> str:
    """A country sequence as ``PAK → IRN`` (``—`` for none)."""
    if not isinstance(v, list | tuple) or not v:
        return "—"
    return " → ".join(str(x) for x in v)


def diff(
    atlas: Atlas,
    a: Scenario | str | None,
    b: Scenario | str | None,
    reference_pairs: Sequence[tuple[str, str]] | None = None,
) -> ScenarioDiff:
    """Compare two scenarios: segments opened/closed and reference routes.

    Parameters
    ----------
    atlas : Atlas
    a, b : Scenario, str or None
    reference_pairs : sequence of (origin, destination), optional
        Node ids or names; default: the hub pairs.

    Returns
    -------
    ScenarioDiff
    """
    na, nb = scenario_network(atlas, a), scenario_network(atlas, b)
    open_a = set(na.open_segments())
    open_b = set(nb.open_segments())
    order = list(dict.fromkeys([*na.atlas.segments, *nb.atlas.segments]))
    opened = [s for s in order if s in open_b and s not in open_a]
    closed = [s for s in order if s in open_a and s not in open_b]
    pairs = (
        [(find_node(na.atlas, o), find_node(na.atlas, d)) for o, d in reference_pairs]
        if reference_pairs is not None
        else hub_pairs(na.atlas)
    )
    rows = []
    costs: list[dict[str, Any]] = []
    for o, d in pairs:
        ra, _ = try_route(na, o, d, explain=False) if _on(na, o, d) else (None, None)
        rb, _ = try_route(nb, o, d, explain=False) if _on(nb, o, d) else (None, None)
        cc = cost_change(ra, rb) if ra is not None and rb is not None else None
        if cc is not None:
            costs.append({"origin": o, "destination": d, **cc})
        if ra is None and rb is None:
            change = "none"
        elif ra is None:
            change = "gained"
        elif rb is None:
            change = "lost"
        elif (
            abs(ra.hours - rb.hours) < 1e-9
            and abs(ra.length_km - rb.length_km) < 1e-9
            and ra.countries == rb.countries
            and ra.chokepoints == rb.chokepoints
        ):
            change = "same"
        else:
            change = "changed"
        rows.append(
            {
                "origin": o,
                "destination": d,
                "change": change,
                "km_a": round1(ra.length_km) if ra else None,
                "km_b": round1(rb.length_km) if rb else None,
                "delta_km": round1(rb.length_km - ra.length_km) if ra and rb else None,
                "hours_a": round1(ra.hours) if ra else None,
                "hours_b": round1(rb.hours) if rb else None,
                "delta_h": round1(rb.hours - ra.hours) if ra and rb else None,
                "usd_p50_a": _p50(ra, "usd_per_t"),
                "usd_p50_b": _p50(rb, "usd_per_t"),
                "delta_usd": _delta(_p50(ra, "usd_per_t"), _p50(rb, "usd_per_t")),
                "co2e_p50_a": _p50(ra, "co2e_kg_per_t"),
                "co2e_p50_b": _p50(rb, "co2e_kg_per_t"),
                "delta_co2e": _delta(_p50(ra, "co2e_kg_per_t"), _p50(rb, "co2e_kg_per_t")),
                "countries_a": list(ra.countries) if ra else None,
                "countries_b": list(rb.countries) if rb else None,
                "chokepoints_a": list(ra.chokepoints) if ra else None,
                "chokepoints_b": list(rb.chokepoints) if rb else None,
            }
        )
    cols = [
        "origin",
        "destination",
        "change",
        "km_a",
        "km_b",
        "delta_km",
        "hours_a",
        "hours_b",
        "delta_h",
        "usd_p50_a",
        "usd_p50_b",
        "delta_usd",
        "co2e_p50_a",
        "co2e_p50_b",
        "delta_co2e",
        "countries_a",
        "countries_b",
        "chokepoints_a",
        "chokepoints_b",
    ]
    return ScenarioDiff(
        na.scenario.name,
        nb.scenario.name,
        opened,
        closed,
        pd.DataFrame(rows, columns=cols),
        costs,
    )


def _p50(r: Route | None, what: str) -> float | None:
    """P50 of a route's ``usd_per_t`` or ``co2e_kg_per_t``; ``None`` without costs, or
    when a leg had no figure for it (a partial total would not compare)."""
    c = r.costs if r is not None else None
    if c is None or any(m.startswith(what + ":") for m in c.missing):
        return None
    return round1(getattr(c, what).p50)


def _delta(a: float | None, b: float | None) -> float | None:
    return round1(b - a) if a is not None and b is not None else None


def _on(net: Network, o: str, d: str) -> bool:
    return o in net.atlas.nodes and d in net.atlas.nodes
