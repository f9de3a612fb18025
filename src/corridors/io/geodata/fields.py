"""Readers of single fields (ids, strings, vocabularies, numbers, dates, sources…).

Each reader takes the record's mapping, the key and the record's :class:`Context`, reports
what is wrong at ``ctx.at(key)`` and returns the clean value or ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, TypeGuard

from corridors.errors import MISSING
from corridors.html import safe_colour
from corridors.io.geodata.context import Context
from corridors.io.read import suggest_allowed
from corridors.model import Source, StatusChange, date_span, parse_partial_date
from corridors.vocab import ID_PATTERN, SOURCE_CLASSES, is_iso3, is_valid_id

__all__ = [
    "choice",
    "colour",
    "date",
    "flag",
    "ident",
    "is_http_url",
    "iso3",
    "number",
    "sources",
    "status_history",
    "str_list",
    "text",
]


def is_http_url(value: object) -> TypeGuard[str]:
    """True for an ``http://`` or ``https://`` URL (the only links corridors accepts)."""
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


def text(d: Mapping[str, Any], key: str, ctx: Context, *, required: bool = True) -> str | None:
    """A non-empty string field."""
    if key not in d or d[key] is None:
        if required:
            ctx.at(key).error(
                key,
                MISSING,
                f"missing '{key}'",
                f"add a non-empty '{key}' string",
                code="missing-field",
            )
        return None
    v = d[key]
    if not isinstance(v, str) or not v.strip():
        ctx.at(key).error(key, v, f"'{key}' must be a non-empty string", code="field-type")
        return None
    return v


def ident(d: Mapping[str, Any], ctx: Context, key: str = "id") -> str | None:
    """The record's id (problems about it carry no entity: the id is what is wrong)."""
    at = ctx.at(key).about(None)
    v = d.get(key)
    if v is None:
        at.error(
            key, MISSING, f"missing '{key}'", f"add an id matching {ID_PATTERN}", code="missing-id"
        )
        return None
    if not is_valid_id(v):
        hint = f"ids match {ID_PATTERN} (lower-case ASCII letters, digits, '-' and '_')"
        if isinstance(v, str) and v.strip():
            guess = v.strip().lower().replace(" ", "-")
            if is_valid_id(guess):
                hint += f"; did you mean '{guess}'?"
        at.error(key, v, "invalid id", hint, code="bad-id")
        return None
    return v


def choice(
    d: Mapping[str, Any],
    key: str,
    allowed: Sequence[str],
    ctx: Context,
    *,
    required: bool = True,
) -> str | None:
    """A value from a controlled vocabulary (code ``bad-<key>``)."""
    v = d.get(key)
    if v is None:
        if required:
            ctx.at(key).error(
                key,
                MISSING,
                f"missing '{key}'",
                "allowed: " + ", ".join(allowed),
                code="missing-field",
            )
        return None
    if v not in allowed:
        ctx.at(key).error(
            key, v, f"unknown {key} {v!r}", suggest_allowed(v, allowed), code=f"bad-{key}"
        )
        return None
    return str(v)


def number(
    d: Mapping[str, Any],
    key: str,
    ctx: Context,
    *,
    positive: bool = True,
    integer: bool = False,
) -> float | int | None:
    """An optional finite number (``int`` when ``integer``), > 0 when ``positive``."""
    if key not in d or d[key] is None:
        return None
    v = d[key]
    at = ctx.at(key)
    if isinstance(v, bool) or not isinstance(v, int | float):
        at.error(
            key, v, f"'{key}' must be a number", "write a number without quotes", code="field-type"
        )
        return None
    if not math.isfinite(v):
        at.error(key, v, f"'{key}' must be finite", code="bad-number")
        return None
    if integer and not float(v).is_integer():
        at.error(key, v, f"'{key}' must be a whole number", code="field-type")
        return None
    if positive and v <= 0:
        at.error(
            key,
            v,
            f"'{key}' must be positive",
            "lengths, costs and gauges are > 0; omit the field when unknown",
            code="bad-number",
        )
        return None
    return int(v) if integer else float(v)


def date(d: Mapping[str, Any], key: str, ctx: Context, *, required: bool = False) -> str | None:
    """A partial date ``YYYY[-MM[-DD]]`` (a TOML date is accepted and written back as text)."""
    v = d.get(key)
    at = ctx.at(key)
    if v is None:
        if required:
            at.error(
                key,
                MISSING,
                f"missing '{key}'",
                "write 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'",
                code="missing-field",
            )
        return None
    if not isinstance(v, str):
        v_str = v.isoformat() if hasattr(v, "isoformat") else None
        if v_str is None:
            at.error(
                key,
                v,
                f"'{key}' must be a date string",
                "write 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' in quotes",
                code="bad-date",
            )
            return None
        v = v_str
    try:
        date_span(v)
    except ValueError as exc:
        at.error(key, v, str(exc), "write 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'", code="bad-date")
        return None
    return v


def str_list(d: Mapping[str, Any], key: str, ctx: Context) -> tuple[str, ...]:
    """An optional list of strings (``()`` when absent or wrong)."""
    v = d.get(key, [])
    if v is None:
        return ()
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        ctx.at(key).error(key, v, f"'{key}' must be a list of strings", code="field-type")
        return ()
    return tuple(v)


def iso3(d: Mapping[str, Any], key: str, ctx: Context) -> str | None:
    """A required ISO 3166-1 alpha-3 code."""
    v = d.get(key)
    if not is_iso3(v):
        ctx.at(key).error(
            key,
            v if v is not None else MISSING,
            f"'{key}' must be an ISO 3166-1 alpha-3 code",
            "e.g. 'PAK', 'AZE'",
            code="bad-iso3",
        )
        return None
    return v


def colour(d: Mapping[str, Any], key: str, ctx: Context) -> str | None:
    """An optional ``#rgb``/``#rrggbb`` colour, returned as lower-case ``#rrggbb``."""
    v = d.get(key)
    if v is None:
        return None
    clean = safe_colour(v, "") if isinstance(v, str) and v == v.strip() else ""
    if not clean:
        ctx.at(key).error(
            key,
            v,
            f"'{key}' must be a hex colour '#rrggbb'",
            "write six hex digits after '#', e.g. '#1b7837'",
            code="bad-colour",
        )
        return None
    return clean


def flag(d: Mapping[str, Any], key: str, ctx: Context) -> bool:
    """An optional ``true``/``false`` field (``False`` when absent or wrong)."""
    v = d.get(key, False)
    if not isinstance(v, bool):
        ctx.at(key).error(
            key,
            v,
            f"'{key}' must be true or false",
            "write true or false without quotes",
            code="field-type",
        )
        return False
    return v


def sources(d: Mapping[str, Any], ctx: Context, key: str = "sources") -> tuple[Source, ...]:
    """The record's citations, best class first (stable: equal classes keep their order).

    A non-empty list of ``{url, title, accessed, class, published?}`` (http(s) urls;
    ``class`` one of :data:`~corridors.vocab.SOURCE_CLASSES`, optional here; the bundled
    geodata gives every source one). Warns when every source of the record is of class
    ``other`` (``only-other-source``).
    """
    v = d.get(key)
    at = ctx.at(key)
    if not v:
        at.error(
            key,
            v if v is not None else MISSING,
            "feature has no source",
            "add sources = [{url = 'https://…', title = '…', accessed = 'YYYY-MM-DD', "
            "class = 'news'}]",
            code="no-source",
        )
        return ()
    if not isinstance(v, list):
        at.error(key, v, "'sources' must be a list", code="field-type")
        return ()
    out: list[Source] = []
    for j, s in enumerate(v):
        sc = at.at(j)
        if not isinstance(s, Mapping):
            sc.error(key, s, "a source must be an object with 'url'", code="field-type")
            continue
        url = s.get("url")
        if not is_http_url(url):
            sc.at("url").error(
                "url",
                url if url is not None else MISSING,
                "source url must be an http(s) URL",
                "cite a web page: https://…",
                code="bad-source-url",
            )
            continue
        title = s.get("title", "")
        if not isinstance(title, str):
            sc.at("title").error("title", title, "'title' must be a string", code="field-type")
            title = ""
        accessed = date(s, "accessed", sc)
        published = date(s, "published", sc)
        klass = choice(s, "class", SOURCE_CLASSES, sc, required=False)
        out.append(
            Source(url=url, title=title, accessed=accessed, source_class=klass, published=published)
        )
    if out and all(src.source_class == "other" for src in out):
        at.warning(
            key,
            [src.url for src in out],
            "every source of this record is of class 'other' (blog, mirror, aggregator)",
            "cite an official, multilateral, research, news or reference page as well",
            code="only-other-source",
        )
    return tuple(sorted(out, key=lambda src: src.rank))


def status_history(
    p: Mapping[str, Any], status: str | None, ctx: Context, allowed: Sequence[str]
) -> tuple[StatusChange, ...]:
    """A ``status_history``: ``{date, status, note?, url?}`` entries in date order whose
    last status equals ``status`` (statuses from ``allowed``)."""
    raw = p.get("status_history", [])
    if raw in (None, []):
        return ()
    hctx = ctx.at("status_history")
    if not isinstance(raw, list):
        hctx.error("status_history", raw, "'status_history' must be a list", code="field-type")
        return ()
    out: list[StatusChange] = []
    for j, h in enumerate(raw):
        ectx = hctx.at(j)
        if not isinstance(h, Mapping):
            ectx.error("status_history", h, "entry must be an object", code="field-type")
            return ()
        d = date(h, "date", ectx, required=True)
        s = choice(h, "status", allowed, ectx)
        url = h.get("url")
        if url is not None and not is_http_url(url):
            ectx.at("url").error("url", url, "url must be http(s)", code="bad-source-url")
            url = None
        if d is None or s is None:
            return ()
        note = h.get("note") if isinstance(h.get("note"), str) else None
        out.append(StatusChange(date=d, status=s, note=note, url=url))
    keys = [parse_partial_date(h.date) for h in out]
    norm = [(y, m or 0, dd or 0) for y, m, dd in keys]
    if norm != sorted(norm):
        hctx.error(
            "status_history",
            [h.date for h in out],
            "status history is not in date order",
            "sort the entries by date",
            code="history-order",
        )
    if status is not None and out and out[-1].status != status:
        hctx.error(
            "status",
            status,
            f"current status '{status}' differs from the last history entry '{out[-1].status}'",
            "append a dated entry for the current status",
            code="history-mismatch",
        )
    return tuple(out)
