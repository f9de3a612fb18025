"""Popup contents, built from feature properties as plain-text *models*.

A popup model is small JSON-able data: table rows of plain text and source links. The map's
JavaScript turns it into DOM nodes with ``textContent`` and ``setAttribute`` only, so data
text never becomes markup; links are checked here by
:func:`~corridors.render.escape.safe_url`. Shipping models instead of HTML strings keeps the
page lean (no markup repeated per feature) and the escaping in one place.

Model (``dict``)::

    {"r": [[label, value], ...],          # rows; label: index into ROW_LABELS
     "s": [[url, title, accessed, class, published], ...]}  # sources; trailing "" dropped

A row value is a string, :data:`LAYER_TITLE` (the titles of the layers that draw the
feature: the page gets them in its place, :func:`with_layer_titles`), or a list of lines; a
line is a string or ``[text, muted_suffix]``. A third row item ``1`` marks the row as an
alert (closed in a scenario). A source ``url`` is ``""`` when
the given URL is not a safe http(s) URL (the title is then shown with a note), and
``title`` is ``""`` when it is the URL itself.

:func:`popup_html` renders a model the way the JavaScript does, as escaped HTML (via
:func:`~corridors.render.escape.esc`); :func:`line_popup`, :func:`node_popup` and
:func:`platform_popup` return that HTML for a feature.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from corridors.render.escape import esc, safe_url
from corridors.render.style import StyleTable

__all__ = [
    "APPROXIMATE_TEXT",
    "LAYER_TITLE",
    "ROW_LABELS",
    "SCHEMATIC_TEXT",
    "history_entries",
    "line_popup",
    "line_popup_model",
    "node_popup",
    "node_popup_model",
    "overlay_table",
    "overlay_texts",
    "platform_popup",
    "platform_popup_model",
    "polygon_popup",
    "popup_html",
    "sources_html",
    "sources_model",
    "with_layer_titles",
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

#: Row labels of popup models, by index (sent to the map once, in its configuration).
ROW_LABELS: tuple[str, ...] = (
    "Corridor",
    "Mode",
    "Status",
    "Status history",
    "Length",
    "Countries",
    "Gauge",
    "Opened",
    "Announced",
    "Capacity",
    "Financier",
    "Cost (USD bn)",
    "Precision",
    "Scenario",
    "Note",
    "Id",
    "Kind",
    "Also known as",
    "Country",
    "Borders",
    "Position",
    "Platform",
    "Members",
    "Meetings",
    "Corridors",
    "Services",
)
_LABEL = {label: i for i, label in enumerate(ROW_LABELS)}

#: Row value meaning "the title(s) of the layer(s) that draw this feature".
LAYER_TITLE = 0

#: Note shown after a source whose URL is not a safe http(s) URL.
LINK_OMITTED = "[link omitted: not an http(s) URL]"

#: The "Position" row of a node given as ``precision = "approximate"``.
APPROXIMATE_TEXT = "approximate — a representative point (see note)"
#: The "Precision" row of a segment given as ``precision = "schematic"``.
SCHEMATIC_TEXT = "schematic — alignment approximate, drawn through a few known points"

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

    if value == "unknown":
        return "unknown (no source states it; a possible break of gauge)"
    if isinstance(value, (list, tuple)):
        parts = [p for p in (one(v) for v in value) if p]
        if not parts:
            return None
        distinct = len({str(v) for v in value}) > 1
        return " → ".join(parts) + (" — break of gauge" if distinct else "")
    return one(value)


Line = str | list[str]
Value = str | int | list[Line]


def sources_model(sources: Any) -> list[list[str]]:
    """Source entries ``[url, title, accessed, class, published]`` of a popup model."""
    if not isinstance(sources, (list, tuple)):
        return []
    out = []
    for src in sources:
        if isinstance(src, str):
            src = {"url": src}
        if not isinstance(src, Mapping):
            continue
        url = safe_url(src.get("url")) or ""
        title = _text(src.get("title")) or _text(src.get("url")) or "source"
        if url and title == url:
            title = ""
        entry = [url, title, *(_text(src.get(k)) for k in ("accessed", "class", "published"))]
        while entry and not entry[-1]:
            entry.pop()
        out.append(entry)
    return out


def _model(rows: Iterable[tuple[Any, ...]], sources: Any) -> dict[str, Any]:
    """Model from ``(label, value[, alert])`` rows (empty values left out) and sources."""
    out_rows: list[list[Any]] = []
    for row in rows:
        label, value = row[0], row[1]
        if value is None or value == "" or value == []:
            continue
        out_rows.append([_LABEL[label], value, *row[2:]])
    model: dict[str, Any] = {}
    if out_rows:
        model["r"] = out_rows
    src = sources_model(sources)
    if src:
        model["s"] = src
    return model


def line_popup_model(
    props: Mapping[str, Any], *, layer_title: str | None, style: StyleTable
) -> dict[str, Any]:
    """Popup model of a segment: corridor, mode, status (with year), lengths, countries…

    The corridor row is :data:`LAYER_TITLE` when the feature's corridor is the layer's
    title, so a segment drawn by several corridors has one model listing all of them.
    """
    status = props.get("status")
    history = history_entries(props.get("status_history"))
    # "since": the start of the last run of the current status in the history (an entry
    # that only confirms the status does not restart it); else ``status_year``
    year = None
    for _date, y, st in reversed(sorted(history, key=lambda h: h[1])):
        if st != status:
            break
        year = y
    if year is None:
        given = props.get("status_year")
        year = given if isinstance(given, int) and not isinstance(given, bool) else None
    status_txt = None
    if isinstance(status, str) and status:
        status_txt = style.status(status).label if status in style.statuses else status
        if year is not None:
            status_txt += f" (since {year})"
    hist = [
        f"{d}: {style.status(s).label if s in style.statuses else _label(s)}"
        for d, _y, s in history
    ]
    corridor: Value | None = _text(props.get("corridor_name")) or _text(props.get("corridor"))
    if not corridor and layer_title:
        corridor = layer_title
    if layer_title and corridor == layer_title:
        corridor = LAYER_TITLE
    mode = props.get("mode")
    lengths: list[Line] = []
    for key, what in (
        ("length_km", "computed"),
        ("published_length_km", "published"),
        ("effective_length_km", "effective"),
    ):
        km = _km(props.get(key))
        if km:
            lengths.append([km, f"({what})"])
    countries = props.get("countries")
    countries_txt = (
        " → ".join(_text(c) for c in countries)
        if isinstance(countries, (list, tuple)) and countries
        else _text(countries)
    )
    precision = props.get("precision")
    precision_txt = None
    if isinstance(precision, str) and precision:
        precision_txt = precision
        if precision == "schematic":
            precision_txt = SCHEMATIC_TEXT
    closed = props.get("closed") is True
    scenario = "; ".join(
        text
        for text, on in (
            ("closed in this scenario", closed),
            ("part of the computed route", props.get("route") is True),
        )
        if on
    )
    rows: list[tuple[Any, ...]] = [
        ("Corridor", corridor),
        ("Mode", _label(mode) if isinstance(mode, str) else None),
        ("Status", status_txt),
        ("Status history", hist),
        ("Length", lengths),
        ("Countries", countries_txt),
        ("Gauge", _gauge(props.get("gauge_mm"))),
        ("Opened", _text(props.get("opened_year"))),
        ("Announced", _text(props.get("announced_year"))),
        ("Capacity", _text(props.get("capacity"))),
        ("Financier", _text(props.get("financier"))),
        ("Cost (USD bn)", _text(props.get("cost_usd_bn"))),
        ("Precision", precision_txt),
        ("Services", [_text(x) for x in props.get("service_labels") or [] if _text(x)]),
        ("Scenario", scenario, 1) if closed else ("Scenario", scenario),
        _note_row(props),
        ("Id", _text(props.get("id"))),
    ]
    return _model(rows, props.get("sources"))


def _note_row(props: Mapping[str, Any]) -> tuple[Any, ...]:
    """The note: a list of strings is shown one per line (computed routes' circuity and
    warnings), as an alert when ``implausible`` is true."""
    note = props.get("note")
    value: Any = (
        [t for t in (_text(x) for x in note) if t]
        if isinstance(note, (list, tuple))
        else _text(note)
    )
    return ("Note", value, 1) if props.get("implausible") is True else ("Note", value)


def node_popup_model(props: Mapping[str, Any], *, style: StyleTable) -> dict[str, Any]:
    """Popup model of a node: kind, aliases, country, precision, note, sources."""
    kind = props.get("kind")
    kind_txt = style.node(kind).label if kind in style.nodes else _label(_text(kind))
    aliases = props.get("aliases")
    alias_lines = (
        [t for t in (_text(a) for a in aliases) if t] if isinstance(aliases, (list, tuple)) else []
    )
    precision = _text(props.get("precision"))
    if precision == "approximate":
        precision = APPROXIMATE_TEXT
    rows: list[tuple[Any, ...]] = [
        ("Kind", kind_txt),
        ("Also known as", alias_lines),
        ("Country", _text(props.get("country"))),
        ("Borders", _text(props.get("borders"))),
        ("Position", precision),
        ("Note", _text(props.get("note"))),
        ("Id", _text(props.get("id"))),
    ]
    return _model(rows, props.get("sources"))


def platform_popup_model(props: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """Popup model of a platform member: platform, members and meetings (by date).

    The member itself is the popup's title (its name) and subtitle (its ISO3 code), so all
    members of a platform share one model.
    """
    members = props.get("members") or []
    member_lines = []
    if isinstance(members, (list, tuple)):
        for iso in members:
            iso_t = _text(iso)
            name = names.get(iso_t)
            member_lines.append(iso_t + (f" — {name}" if name and name != iso_t else ""))
    meetings = props.get("meetings") or []
    meeting_lines = []
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
            parts = [_text(m.get("date")), _text(m.get("place")), level]
            meeting_lines.append(" · ".join(p for p in parts if p))
    rows: list[tuple[Any, ...]] = [
        ("Platform", _text(props.get("platform"))),
        ("Members", member_lines),
        ("Meetings", meeting_lines),
    ]
    return _model(rows, props.get("sources"))


def _line_html(line: Any) -> str:
    if isinstance(line, (list, tuple)):
        text, muted = [*line, "", ""][:2]
        return (
            f'<span dir="auto">{esc(text)}</span> <span class="cx-muted">{esc(muted)}</span>'
            if muted
            else f'<span dir="auto">{esc(text)}</span>'
        )
    return f'<span dir="auto">{esc(line)}</span>'


def sources_html(sources: Any) -> str:
    """Ordered list of source links (``target=_blank``, ``rel="noopener noreferrer"``)."""
    return _sources_html(sources_model(sources))


def _sources_html(entries: Sequence[Sequence[str]]) -> str:
    items = []
    for entry in entries:
        url, title, accessed, klass, published = [*entry, "", "", "", "", ""][:5]
        text = title or url or "source"
        meta = ", ".join(m for m in (klass, published and "published " + published) if m)
        meta += (", " if meta and accessed else "") + (accessed and "accessed " + accessed)
        extra = f' <span class="cx-muted">({esc(meta)})</span>' if meta else ""
        if url:
            items.append(
                f'<li><a href="{esc(url)}" target="_blank" rel="noopener noreferrer">'
                f"{esc(text)}</a>{extra}</li>"
            )
        else:
            items.append(
                f'<li>{esc(text)} <span class="cx-muted">{LINK_OMITTED}</span>{extra}</li>'
            )
    if not items:
        return ""
    return '<div class="cx-sources"><b>Sources</b><ol>' + "".join(items) + "</ol></div>"


def with_layer_titles(model: Mapping[str, Any], titles: Sequence[str]) -> dict[str, Any]:
    """The model with its :data:`LAYER_TITLE` row replaced by the layers' titles.

    One title gives a ``Corridor`` row, several a ``Corridors`` row (one line each); none
    drops the row.

    Examples
    --------
    >>> with_layer_titles({"r": [[0, 0], [15, "btk"]]}, ["Middle Corridor", "TRACECA"])
    {'r': [[24, ['Middle Corridor', 'TRACECA']], [15, 'btk']]}
    """
    rows: list[list[Any]] = []
    for row in model.get("r", ()):
        if isinstance(row[1], int) and not isinstance(row[1], bool):
            if len(titles) > 1:
                rows.append([_LABEL["Corridors"], list(titles), *row[2:]])
            elif titles:
                rows.append([row[0], titles[0], *row[2:]])
        else:
            rows.append(list(row))
    out = {k: v for k, v in model.items() if k != "r"}
    return {"r": rows, **out} if rows else out


def popup_html(
    model: Mapping[str, Any],
    *,
    title: Any,
    sub: str | None = None,
    layer_titles: Sequence[str] = (),
) -> str:
    """HTML of a popup model, as the map's JavaScript (``popupNode``) builds it.

    Parameters
    ----------
    model : mapping
        A popup model (see the module docstring).
    title : object
        Popup title (the feature's name); ``"(unnamed)"`` when empty.
    sub : str, optional
        Subtitle line.
    layer_titles : sequence of str
        Titles of the layers drawing the feature (replace :data:`LAYER_TITLE`).

    Returns
    -------
    str
        Escaped HTML.
    """
    name = esc(_text(title) or "(unnamed)")
    out = [f'<div class="cx-popup"><h3 class="cx-title" dir="auto">{name}</h3>']
    if sub:
        out.append(f'<div class="cx-sub">{esc(sub)}</div>')
    body = []
    for row in model.get("r", ()):
        label, value = ROW_LABELS[row[0]], row[1]
        if isinstance(value, int) and not isinstance(value, bool):  # LAYER_TITLE
            if not layer_titles:
                continue
            value = list(layer_titles)
            label += "s" if len(layer_titles) > 1 else ""
        cls = ' class="cx-closed"' if len(row) > 2 and row[2] else ""
        lines = value if isinstance(value, list) else [value]
        cell = "<br>".join(_line_html(x) for x in lines)
        body.append(f"<tr><th>{esc(label)}</th><td{cls}>{cell}</td></tr>")
    if body:
        out.append(f'<table class="cx-props">{"".join(body)}</table>')
    out.append(_sources_html(model.get("s", ())))
    out.append("</div>")
    return "".join(out)


def line_popup(props: Mapping[str, Any], *, layer_title: str | None, style: StyleTable) -> str:
    """Popup HTML of a segment (see :func:`line_popup_model`)."""
    model = line_popup_model(props, layer_title=layer_title, style=style)
    return popup_html(model, title=_title(props), layer_titles=[layer_title] if layer_title else [])


def node_popup(props: Mapping[str, Any], *, style: StyleTable) -> str:
    """Popup HTML of a node (see :func:`node_popup_model`)."""
    return popup_html(node_popup_model(props, style=style), title=_title(props))


def _title(props: Mapping[str, Any]) -> str:
    """A feature's popup title as the map gives it (``featureName``): name, else id."""
    return _text(props.get("name")) or _text(props.get("id"))


def platform_popup(props: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """Popup HTML of a platform member polygon (see :func:`platform_popup_model`)."""
    return popup_html(
        platform_popup_model(props, names),
        title=props.get("name"),
        sub=_text(props.get("iso3")) or None,
    )


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


def overlay_texts(props: Mapping[str, Any], columns: Sequence[str]) -> list[str]:
    """Plain text of a user-overlay feature's values in ``columns`` (cut at 200 characters).

    The map builds the tooltip table from these and the column names with ``textContent``.
    """
    out = []
    for col in columns:
        text = _text(props.get(col))
        if len(text) > _MAX_CELL:
            text = text[: _MAX_CELL - 1] + "…"
        out.append(text)
    return out


def overlay_values(props: Mapping[str, Any], columns: Sequence[str]) -> list[str]:
    """Escaped HTML of a user-overlay feature's values in ``columns``."""
    return [esc(t) for t in overlay_texts(props, columns)]


def overlay_table(props: Mapping[str, Any], columns: Sequence[str]) -> str:
    """Tooltip HTML of a user-overlay feature, as the map builds it from :func:`overlay_texts`.

    A table of up to ``len(columns)`` columns (empty values shown as a muted dash).
    """
    dash = '<span class="cx-muted">—</span>'
    body = "".join(
        f"<tr><th>{esc(col)}</th><td>{esc(text) or dash}</td></tr>"
        for col, text in zip(columns, overlay_texts(props, columns), strict=True)
    )
    if not body:
        return '<span class="cx-muted">(no attributes)</span>'
    return f'<table class="cx-props">{body}</table>'
