"""Place names: node ids, names and aliases to node ids (:func:`find_node`).

Case-insensitive, aliases included, forgiving spaces, dashes, underscores and punctuation;
a unique prefix matches; ambiguous or unknown names get suggestions.
"""

from __future__ import annotations

import unicodedata
import weakref
from collections.abc import Iterable

from corridors.errors import UnknownEntityError, did_you_mean
from corridors.model import Atlas

__all__ = ["find_node"]


def _norm(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in t if ch.isalnum())


def _name_index(atlas: Atlas) -> dict[str, set[str]]:
    idx: dict[str, set[str]] = {}
    for n in atlas.nodes.values():
        for key in (n.id, *n.names):
            k = _norm(key)
            if k:
                idx.setdefault(k, set()).add(n.id)
    return idx


_INDEX_CACHE: weakref.WeakKeyDictionary[Atlas, dict[str, set[str]]] = weakref.WeakKeyDictionary()


def find_node(atlas: Atlas, text: str, *, prefer: Iterable[str] = ()) -> str:
    """Node id for an id, name or alias (case-insensitive; spaces, dashes, underscores and
    punctuation ignored). A unique prefix of a name also matches (``"Gwadar"`` → the node
    named ``"Gwadar Port"``) when nothing matches exactly.

    Parameters
    ----------
    atlas : Atlas
    text : str
    prefer : iterable of str
        Node ids to prefer when several match (e.g. the nodes on a network).

    Raises
    ------
    UnknownEntityError
        Unknown or ambiguous name, with suggestions.
    """
    if text in atlas.nodes:
        return text
    idx = _INDEX_CACHE.get(atlas)
    if idx is None:
        idx = _INDEX_CACHE[atlas] = _name_index(atlas)
    q = _norm(str(text))
    preferred = set(prefer)
    if not q:
        raise UnknownEntityError(f"empty place name {text!r}; hint: give a node id or name")
    cands = set(idx.get(q, ()))
    if not cands:
        cands = {nid for key, ids in idx.items() if key.startswith(q) for nid in ids}
    if len(cands) > 1 and preferred & cands:
        cands &= preferred
    if len(cands) == 1:
        return next(iter(cands))
    if len(cands) > 1:
        listing = ", ".join(f"{atlas.nodes[c].name} ({c})" for c in sorted(cands))
        raise UnknownEntityError(f"place {text!r} is ambiguous: {listing}; hint: give the node id")
    names = {
        **{n.id: n.id for n in atlas.nodes.values()},
        **{nm: n.id for n in atlas.nodes.values() for nm in n.names},
    }
    guess = did_you_mean(str(text), names)
    if guess is None:
        lowered = {_norm(k): k for k in names}
        g2 = did_you_mean(q, lowered)
        if g2:
            guess = "did you mean '" + lowered[g2.split("'")[1]] + "'?"
    raise UnknownEntityError(
        f"unknown place {text!r}; hint: "
        + (guess + " " if guess else "")
        + "see `corridors list nodes` for ids and names"
    )
