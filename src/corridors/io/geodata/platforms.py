"""Parser of ``[[platform]]`` tables (with their ``[[platform.meeting]]`` entries)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from corridors.errors import MISSING, did_you_mean
from corridors.geo.countries import CountryIndex
from corridors.io.geodata import fields
from corridors.io.geodata.context import Context, IdRegistry, Parsed
from corridors.model import Meeting, Node, Platform
from corridors.vocab import is_iso3

__all__ = ["MEETING_KEYS", "PLATFORM_KEYS", "check_featured", "parse_platform"]

#: Keys of a ``[[platform]]`` table.
PLATFORM_KEYS = (
    "id",
    "name",
    "members",
    "purpose",
    "proposed",
    "proposed_by",
    "status",
    "meeting",
    "sources",
    "featured",
)
#: Keys of a ``[[platform.meeting]]`` table.
MEETING_KEYS = ("date", "place", "node", "level", "attended", "absent", "sources")


def parse_platform(
    item: Mapping[str, Any],
    ctx: Context,
    ids: IdRegistry,
    nodes: Mapping[str, Node],
    countries: CountryIndex | None,
) -> Parsed[Platform]:
    """A :class:`~corridors.model.Platform` from a ``[[platform]]`` table at ``ctx``.

    Members must be countries of the borders layer (ISO3 codes when there is none).
    """
    ctx = ctx.collecting()
    ident = fields.ident(item, ctx)
    c = ctx.about(ident)
    name = fields.text(item, "name", c)
    members = fields.str_list(item, "members", c)
    members_ok = True
    for m in members:
        if countries is not None and m not in countries:
            c.at("members").error(
                "members",
                m,
                f"unknown member country '{m}'",
                did_you_mean(m, countries.codes) or "use ISO3 codes of countries.geojson",
                code="unknown-country",
            )
        elif countries is None and not is_iso3(m):
            c.at("members").error("members", m, "member must be an ISO3 code", code="bad-iso3")
            members_ok = False
    proposed = fields.date(item, "proposed", c)
    meetings = _meetings(item, c, nodes, members)
    srcs = fields.sources(item, c)
    featured = fields.flag(item, "featured", c)
    if ident is None or not ids.register(f"platform:{ident}", ctx):
        return Parsed(None, ctx.problems)
    if name is None or not srcs or not members:
        if not members:
            c.at("members").error(
                "members", MISSING, "platform has no members", code="missing-field"
            )
        return Parsed(None, ctx.problems)
    if not members_ok:
        return Parsed(None, ctx.problems)
    platform = Platform(
        id=ident,
        name=name,
        members=members,
        purpose=str(item.get("purpose", "")),
        proposed=proposed,
        proposed_by=item.get("proposed_by"),
        status=item.get("status"),
        meetings=meetings,
        sources=srcs,
        featured=featured,
    )
    return Parsed(platform, ctx.problems)


def _meetings(
    item: Mapping[str, Any], c: Context, nodes: Mapping[str, Node], members: tuple[str, ...]
) -> tuple[Meeting, ...]:
    raw = item.get("meeting", [])
    if not isinstance(raw, list):
        c.at("meeting").error(
            "meeting", raw, "write meetings as [[platform.meeting]] tables", code="field-type"
        )
        raw = []
    out: list[Meeting] = []
    for j, mt in enumerate(raw):
        mc = c.at("meeting").at(j)
        if not isinstance(mt, dict):
            continue
        for k in mt:
            if k not in MEETING_KEYS:
                mc.at(k).error(
                    k,
                    MISSING,
                    f"unknown key '{k}'",
                    did_you_mean(k, MEETING_KEYS),
                    code="unknown-key",
                )
        d = fields.date(mt, "date", mc, required=True)
        place = fields.text(mt, "place", mc)
        node = mt.get("node")
        if node is not None and node not in nodes:
            mc.at("node").error(
                "node",
                node,
                f"unknown node '{node}'",
                did_you_mean(node, nodes),
                code="unknown-node",
            )
            node = None
        att = fields.str_list(mt, "attended", mc)
        ab = fields.str_list(mt, "absent", mc)
        for country in (*att, *ab):
            if members and country not in members:
                mc.error(
                    "attended/absent",
                    country,
                    f"'{country}' is not a member of the platform",
                    did_you_mean(country, members),
                    code="unknown-country",
                )
        srcs = fields.sources(mt, mc)
        if d and place and srcs:
            out.append(
                Meeting(
                    date=d,
                    place=place,
                    level=str(mt.get("level", "")),
                    node=node,
                    attended=att,
                    absent=ab,
                    sources=srcs,
                )
            )
    return tuple(out)


def check_featured(located: Sequence[tuple[Context, Platform]]) -> str | None:
    """The id of the one platform marked ``featured = true`` (``None`` when none is).

    ``located`` pairs each platform with the context of its table; a second featured
    platform is reported at its ``featured`` key.
    """
    featured = [(c, p) for c, p in located if p.featured]
    for c, p in featured[1:]:
        c.at("featured").about(p.id).error(
            "featured",
            True,
            f"platforms '{featured[0][1].id}' and '{p.id}' are both featured",
            "mark one platform featured = true (the one the map shows first)",
            code="featured-twice",
        )
    return featured[0][1].id if featured else None
