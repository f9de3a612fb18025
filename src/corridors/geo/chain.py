"""Chain segments end to end in travel order (orienting each one to meet the previous)."""

from __future__ import annotations

from collections.abc import Sequence

from corridors.model import Segment

__all__ = ["chain_coords", "orient_chain"]


def orient_chain(segments: Sequence[Segment]) -> list[tuple[Segment, bool]]:
    """Orient a chain of segments so each starts where the previous one ends.

    Returns
    -------
    list of (Segment, reversed)
        ``reversed`` is True when the segment is travelled ``to`` → ``from``.

    Raises
    ------
    ValueError
        When two consecutive segments share no end node.
    """
    if not segments:
        return []
    if len(segments) == 1:
        return [(segments[0], False)]
    first, second = segments[0], segments[1]
    ends2 = {second.from_node, second.to_node}
    if first.to_node in ends2:
        out = [(first, False)]
        at = first.to_node
    elif first.from_node in ends2:
        out = [(first, True)]
        at = first.from_node
    else:
        raise ValueError(f"segments '{first.id}' and '{second.id}' do not meet")
    for seg in segments[1:]:
        if seg.from_node == at:
            out.append((seg, False))
            at = seg.to_node
        elif seg.to_node == at:
            out.append((seg, True))
            at = seg.from_node
        else:
            raise ValueError(f"segment '{seg.id}' does not start or end at '{at}'")
    return out


def chain_coords(segments: Sequence[Segment]) -> list[tuple[float, float]]:
    """Concatenated ``(lon, lat)`` coordinates of a chain in travel order."""
    coords: list[tuple[float, float]] = []
    for seg, rev in orient_chain(segments):
        part = list(reversed(seg.coords)) if rev else list(seg.coords)
        coords.extend(part if not coords else part[1:])
    return coords
