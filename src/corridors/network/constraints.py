"""What a route must avoid: countries, land borders and sea passages, as closures.

``route(..., avoid=["IRN", "AFG-PAK", "hormuz"])`` closes each item on a copy of the
scenario exactly as a scenario's ``close = [...]`` would (the same normalisers:
:func:`corridors.scenario.closures.classify_closure` for borders and countries,
:func:`corridors.network.sea.normalise_passage` for passages), so "avoid" and "closed" mean
the same thing everywhere. Unknown items get a did-you-mean; a country may also be given
by its English name (``"Iran"``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from corridors.errors import RouteNotFound, UnknownEntityError, did_you_mean
from corridors.network.graph import Network, build_network
from corridors.network.sea import PASSAGES, normalise_passage
from corridors.scenario.costs import BORDER_RE, border_key
from corridors.scenario.model import Closure
from corridors.vocab import CHOKEPOINT_KIND

__all__ = [
    "avoid_closures",
    "avoiding_network",
    "check_places_not_avoided",
    "closure_phrase",
    "str_ref",
]

_LETTERS3 = re.compile(r"^[A-Za-z]{3}$")


def _countries(net: Network) -> dict[str, str]:
    """ISO3 → name of the countries known to the atlas (polygons and node countries)."""
    names: dict[str, str] = {}
    if net.atlas.countries is not None:
        names.update(net.atlas.countries.names)
    for n in net.atlas.nodes.values():
        names.setdefault(n.country, n.country)
    return names


def _parse(net: Network, text: str) -> Closure:
    countries = _countries(net)
    t = text.strip()
    m = BORDER_RE.fullmatch(t.upper())
    if m:
        bad = [c for c in m.groups() if c not in countries]
        if not bad:
            return Closure("border", border_key(m.group(1), m.group(2)))
        raise UnknownEntityError(
            f"unknown country {bad[0]!r} in --avoid {text!r}; hint: "
            + (did_you_mean(bad[0], countries) or "a border is two ISO3 codes, e.g. 'AFG-PAK'")
        )
    if _LETTERS3.fullmatch(t) and t.upper() in countries:
        return Closure("country", t.upper())
    key = normalise_passage(t)
    if key is not None:
        return Closure("passage", key)
    by_name = {name.casefold(): iso for iso, name in countries.items()}
    if t.casefold() in by_name:
        return Closure("country", by_name[t.casefold()])
    pool: dict[str, tuple[str, str]] = {}  # casefolded spelling -> (item, its name)
    for iso, name in countries.items():
        pool.setdefault(iso.casefold(), (iso, name))
        pool.setdefault(name.casefold(), (iso, name))
    for k, p in PASSAGES.items():
        pool.setdefault(k, (k, p.name))
        pool.setdefault(p.name.casefold(), (k, p.name))
    hits = difflib.get_close_matches(t.casefold(), sorted(pool), n=2, cutoff=0.6)
    items = dict.fromkeys(pool[h] for h in hits)
    guess = (
        "did you mean "
        + " or ".join(f"'{i}'" + (f" ({nm})" if nm != i else "") for i, nm in items)
        + "?"
        if items
        else None
    )
    raise UnknownEntityError(
        f"cannot avoid {text!r}: not a known ISO3 country, border ('AFG-PAK') or sea passage; "
        "hint: " + (guess + " " if guess else "") + "passages: " + ", ".join(PASSAGES)
    )


def avoid_closures(net: Network, items: Sequence[str]) -> tuple[Closure, ...]:
    """The closures meaning "avoid ``items``" (duplicates dropped, order kept).

    Raises
    ------
    UnknownEntityError
        An item that is neither a country, a border nor a passage (with a suggestion).

    Examples
    --------
    >>> from corridors.network.routing import default_atlas
    >>> net = build_network(default_atlas(), None)
    >>> [str(c) for c in avoid_closures(net, ["irn", "PAK-AFG", "Bab-el-Mandeb"])]
    ['country IRN', 'border AFG-PAK', 'passage bab_el_mandeb']
    """
    return tuple(dict.fromkeys(_parse(net, t) for t in items))


def str_ref(c: Closure) -> str:
    """The closure as an ``avoid`` item (``"IRN"``, ``"AFG-PAK"``, ``"hormuz"``)."""
    return c.ref


def avoiding_network(net: Network, closures: Sequence[Closure]) -> Network:
    """``net``'s scenario with ``closures`` added, built on the same atlas (cached)."""
    scen = net.scenario
    for c in closures:
        if c.kind == "country":
            scen = scen.close_country(c.ref)
        elif c.kind == "border":
            scen = scen.close_border(c.ref)
        else:
            scen = scen.close_passage(c.ref)
    return build_network(net.base_atlas, scen)


def closure_phrase(c: Closure) -> str:
    """What every path does when ``c`` cannot be avoided: ``"crosses IRN"``…"""
    if c.kind == "country":
        return f"crosses {c.ref}"
    if c.kind == "border":
        return f"crosses the {c.ref} border"
    return f"passes the {PASSAGES[c.ref].name}"


def _avoided_by(net: Network, c: Closure, node: str) -> bool:
    n = net.atlas.nodes[node]
    if c.kind == "country":
        return n.country == c.ref and n.kind != CHOKEPOINT_KIND
    if c.kind == "border":
        return (
            n.kind == "border_crossing"
            and len(n.borders) == 2
            and (border_key(*n.borders) == c.ref)
        )
    return node in PASSAGES[c.ref].nodes


def check_places_not_avoided(
    net: Network,
    closures: Sequence[Closure],
    origin: str,
    destination: str,
    vias: Sequence[str],
) -> None:
    """Raise :class:`RouteNotFound` when a place to route from, to or via is avoided."""
    roles = [("origin", origin), *(("via place", v) for v in vias), ("destination", destination)]
    for role, node in roles:
        for c in closures:
            if _avoided_by(net, c, node):
                n = net.atlas.nodes[node]
                what = {"country": f"is in {c.ref}", "border": f"is on the {c.ref} border"}.get(
                    c.kind, f"is the {c.ref} passage"
                )
                raise RouteNotFound(
                    f"cannot avoid {c.ref}: the {role} {n.name} ({node}) {what}; hint: drop "
                    f"--avoid {c.ref} or route from/to a place outside it"
                )
