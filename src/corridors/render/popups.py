"""Popup and tooltip HTML, built from feature properties with :mod:`.escape` only.

Every value that comes from data passes through :func:`~corridors.render.escape.esc`, and
every link through :func:`~corridors.render.escape.safe_url`.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .escape import esc, safe_url
from .style import StyleTable

__all__ = [
    "history_entries",
    "line_popup",
    "node_popup",
    "overlay_table",
    "platform_popup",
    "polygon_popup",
    "sources_html",
]

_YEAR = re.compile(r"^\s*(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")

#: Named track gauges (mm).
GAUGES = {
    1000: "metre gauge",
    1067: "Cape gauge",
    1435: "standard gauge",
    1520: "Russian broad gauge",
    1524: "Finnish/Russian broad gauge",
    1668: "Iberian gauge",
    1676: "Indian broad gauge",
}

#: Overlay tooltips show at most this many columns.
MAX_TOOLTIP_COLUMNS = 8
_MAX_CELL = 200


def _text(value: Any) -> str:
    """Readable text of a property value (lists joined, floats trimmed)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return f"{value:.6g}" if abs(value) < 1e15 else f"{value:.6e}"
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


def _label(value: str | None) -> str:
    return (value or "").replace("_", " ")


def _year(date: Any) -> int | None:
    if isinstance(date, bool):
        return None
    if isinstance(date, int):
        return date
    if isinstance(date, str):
        m = _YEAR.match(date)
        if m:
            return int(m.group(1))
    return None


def history_entries(history: Any) -> list[tuple[str, int, str]]:
    """Normalise ``status_history`` to ``[(date_text, year, status), ...]``.

    Accepts ``[["2015", "planned"], ...]`` pairs and ``[{"date": ..., "status": ...}]``
    records; entries without a readable year or status are skipped; input order is kept.
    """
    out: list[tuple[str, int, str]] = []
    if not isinstance(history, (list, tuple)):
        return out
    for entry in history:
        if isinstance(entry, Mapping):
            date, status = entry.get("date"), entry.get("status")
        elif isinstance(entry, (list, tuple)) and len(entry) >= 2:
            date, status = entry[0], entry[1]
        else:
            continue
        year = _year(date)
        if year is None or not isinstance(status, str) or not status:
            continue
        out.append((str(date), year, status))
    return out


def _km(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not math.isfinite(value):
        return None
    return f"{round(value):,} km"


def _gauge(value: Any) -> str | None:
    def one(v: Any) -> str | None:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            return None
        name = GAUGES.get(int(v))
        return f"{int(v):,} mm" + (f" ({name})" if name else "")

    if isinstance(value, (list, tuple)):
        parts = [p for p in (one(v) for v in value) if p]
        if not parts:
            return None
        distinct = len({str(v) for v in value}) > 1
        return " → ".join(parts) + (" — break of gauge" if distinct else "")
    return one(value)


def sources_html(sources: Any) -> str:
    """Ordered list of source links (``target=_blank``, ``rel="noopener noreferrer"``)."""
    if not isinstance(sources, (list, tuple)) or not sources:
        return ""
    items = []
    for src in sources:
        if isinstance(src, str):
            src = {"url": src}
        if not isinstance(src, Mapping):
            continue
        url = safe_url(src.get("url"))
        title = _text(src.get("title")) or _text(src.get("url")) or "source"
        accessed = _text(src.get("accessed"))
        extra = f' <span class="cx-muted">(accessed {esc(accessed)})</span>' if accessed else ""
        if url:
            items.append(
                f'<li><a href="{esc(url)}" target="_blank" rel="noopener noreferrer">'
                f"{esc(title)}</a>{extra}</li>"
            )
        else:
            items.append(
                f'<li>{esc(title)} <span class="cx-muted">[link omitted: not an http(s) '
                f"URL]</span>{extra}</li>"
            )
    if not items:
        return ""
    return '<div class="cx-sources"><b>Sources</b><ol>' + "".join(items) + "</ol></div>"


def _rows(rows: Iterable[tuple[str, str | None]]) -> str:
    """``<table>`` of (label, already-escaped HTML) rows, skipping empty values."""
    body = "".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in rows if v)
    return f'<table class="cx-props">{body}</table>' if body else ""


def _head(name: Any, sub: str | None = None) -> str:
    subline = f'<div class="cx-sub">{sub}</div>' if sub else ""
    return f'<h3 class="cx-title">{esc(_text(name) or "(unnamed)")}</h3>{subline}'


def line_popup(props: Mapping[str, Any], *, layer_title: str | None, style: StyleTable) -> str:
    """Popup of a segment: corridor, mode, status (with year), lengths, countries, gauge…"""
    status = props.get("status")
    history = history_entries(props.get("status_history"))
    year = props.get("status_year")
    if not isinstance(year, int) or isinstance(year, bool):
        year = None
        for _date, y, st in history:
            if st == status:
                year = y
    status_txt = None
    if isinstance(status, str) and status:
        status_txt = esc(style.status(status).label if status in style.statuses else status)
        if year is not None:
            status_txt += f" (since {esc(year)})"
    hist_txt = None
    if history:
        hist_txt = "<br>".join(
            f"{esc(d)}: {esc(style.status(s).label if s in style.statuses else _label(s))}"
            for d, _y, s in history
        )
    corridor = _text(props.get("corridor_name")) or _text(props.get("corridor"))
    if not corridor and layer_title:
        corridor = layer_title
    mode = props.get("mode")
    mode_txt = esc(_label(mode)) if isinstance(mode, str) else None
    lengths = []
    for key, what in (
        ("length_km", "computed"),
        ("published_length_km", "published"),
        ("effective_length_km", "effective"),
    ):
        km = _km(props.get(key))
        if km:
            lengths.append(f"{esc(km)} <span class='cx-muted'>({what})</span>")
    countries = props.get("countries")
    countries_txt = (
        esc(" → ".join(_text(c) for c in countries))
        if isinstance(countries, (list, tuple)) and countries
        else esc(_text(countries)) or None
    )
    precision = props.get("precision")
    precision_txt = None
    if isinstance(precision, str) and precision:
        precision_txt = esc(precision)
        if precision == "schematic":
            precision_txt += " — alignment approximate, drawn through a few known points"
    scenario = []
    if props.get("closed") is True:
        scenario.append('<span class="cx-closed">closed in this scenario</span>')
    if props.get("route") is True:
        scenario.append("part of the computed route")
    rows: list[tuple[str, str | None]] = [
        ("Corridor", esc(corridor) or None),
        ("Mode", mode_txt),
        ("Status", status_txt),
        ("Status history", hist_txt),
        ("Length", "<br>".join(lengths) or None),
        ("Countries", countries_txt),
        ("Gauge", esc(_gauge(props.get("gauge_mm")) or "") or None),
        ("Opened", esc(_text(props.get("opened_year"))) or None),
        ("Announced", esc(_text(props.get("announced_year"))) or None),
        ("Capacity", esc(_text(props.get("capacity"))) or None),
        ("Financier", esc(_text(props.get("financier"))) or None),
        ("Cost (USD bn)", esc(_text(props.get("cost_usd_bn"))) or None),
        ("Precision", precision_txt),
        ("Scenario", "; ".join(scenario) or None),
        ("Note", esc(_text(props.get("note"))) or None),
        ("Id", esc(_text(props.get("id"))) or None),
    ]
    return (
        '<div class="cx-popup">'
        + _head(props.get("name"))
        + _rows(rows)
        + sources_html(props.get("sources"))
        + "</div>"
    )


def node_popup(props: Mapping[str, Any], *, style: StyleTable) -> str:
    """Popup of a node: kind, country, aliases, precision, note, sources."""
    kind = props.get("kind")
    kind_txt = esc(style.node(kind).label if kind in style.nodes else _label(_text(kind))) or None
    aliases = props.get("aliases")
    alias_txt = None
    if isinstance(aliases, (list, tuple)) and aliases:
        alias_txt = " · ".join(f'<span dir="auto">{esc(_text(a))}</span>' for a in aliases)
    precision = _text(props.get("precision"))
    precision_txt = esc(precision) or None
    if precision == "approximate":
        precision_txt = "approximate — a representative point (see note)"
    rows: list[tuple[str, str | None]] = [
        ("Kind", kind_txt),
        ("Also known as", alias_txt),
        ("Country", esc(_text(props.get("country"))) or None),
        ("Borders", esc(_text(props.get("borders"))) or None),
        ("Position", precision_txt),
        ("Note", esc(_text(props.get("note"))) or None),
        ("Id", esc(_text(props.get("id"))) or None),
    ]
    return (
        '<div class="cx-popup">'
        + _head(props.get("name"))
        + _rows(rows)
        + sources_html(props.get("sources"))
        + "</div>"
    )


def platform_popup(props: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """Popup of a platform member polygon: platform, members and meetings."""
    members = props.get("members") or []
    member_items = []
    if isinstance(members, (list, tuple)):
        for iso in members:
            iso_t = _text(iso)
            name = names.get(iso_t)
            member_items.append(
                f"<li>{esc(iso_t)}"
                + (f" — {esc(name)}" if name and name != iso_t else "")
                + "</li>"
            )
    meetings = props.get("meetings") or []
    meeting_rows = []
    if isinstance(meetings, (list, tuple)):
        dated = [m for m in meetings if isinstance(m, Mapping)]
        dated.sort(key=lambda m: _text(m.get("date")))
        for m in dated:
            extra = []
            if m.get("attended"):
                extra.append("attended: " + _text(m.get("attended")))
            if m.get("absent"):
                extra.append("absent: " + _text(m.get("absent")))
            level = _text(m.get("level"))
            if extra:
                level = (level + " — " if level else "") + "; ".join(extra)
            meeting_rows.append(
                f"<tr><td>{esc(_text(m.get('date')))}</td><td>{esc(_text(m.get('place')))}</td>"
                f"<td>{esc(level)}</td></tr>"
            )
    platform = _text(props.get("platform"))
    out = ['<div class="cx-popup">', _head(props.get("name"), esc(_text(props.get("iso3"))))]
    if platform:
        out.append(f'<p class="cx-platform">Member of <b>{esc(platform)}</b></p>')
    if member_items:
        out.append(f"<b>Members</b><ul class='cx-members'>{''.join(member_items)}</ul>")
    if meeting_rows:
        out.append(
            "<b>Meetings</b><table class='cx-meetings'><tr><th>Date</th><th>Place</th>"
            f"<th>Level</th></tr>{''.join(meeting_rows)}</table>"
        )
    out.append(sources_html(props.get("sources")))
    out.append("</div>")
    return "".join(out)


def polygon_popup(props: Mapping[str, Any]) -> str:
    """Tooltip text of a basemap country polygon: name (ISO3)."""
    name = _text(props.get("name"))
    iso = _text(props.get("iso3"))
    if name and iso:
        return f"{esc(name)} <span class='cx-muted'>({esc(iso)})</span>"
    return esc(name or iso)


def overlay_columns(
    features: Sequence[Mapping[str, Any]], limit: int = MAX_TOOLTIP_COLUMNS
) -> list[str]:
    """The first ``limit`` property names in order of appearance (``name`` first if any)."""
    seen: dict[str, None] = {}
    for f in features:
        props = f.get("properties") or {}
        if isinstance(props, Mapping):
            for k in props:
                seen.setdefault(str(k), None)
    cols = list(seen)
    for first in ("name", "NAME", "Name"):
        if first in cols:
            cols.remove(first)
            cols.insert(0, first)
            break
    return cols[:limit]


def overlay_values(props: Mapping[str, Any], columns: Sequence[str]) -> list[str]:
    """Escaped HTML of a user-overlay feature's values in ``columns`` (compact tooltips).

    The map assembles the tooltip table from these and the escaped column names, so a
    10,000-feature overlay does not repeat the table markup 10,000 times.
    """
    out = []
    for col in columns:
        text = _text(props.get(col))
        if len(text) > _MAX_CELL:
            text = text[: _MAX_CELL - 1] + "…"
        out.append(esc(text))
    return out


def overlay_table(props: Mapping[str, Any], columns: Sequence[str]) -> str:
    """Tooltip of a user-overlay feature: a table of up to ``len(columns)`` columns."""
    rows = []
    for col in columns:
        text = _text(props.get(col))
        if len(text) > _MAX_CELL:
            text = text[: _MAX_CELL - 1] + "…"
        rows.append((col, esc(text) or "<span class='cx-muted'>—</span>"))
    return _rows(rows) or '<span class="cx-muted">(no attributes)</span>'
