"""The example scenarios shipped with corridors, and scenarios from a CLI-style argument."""

from __future__ import annotations

import os
from pathlib import Path

from corridors.errors import UnknownEntityError, did_you_mean
from corridors.model import Atlas
from corridors.scenario.model import Scenario
from corridors.scenario.toml import load_scenario

__all__ = ["bundled_scenario", "bundled_scenario_names", "scenario_from_arg"]


# --------------------------------------------------------------------------- bundled
def _scenario_dir() -> Path:
    from corridors.io.geodata import bundled_geodata_dir

    return bundled_geodata_dir() / "scenarios"


def bundled_scenario_names() -> tuple[str, ...]:
    """Names of the example scenarios shipped with corridors (file stems)."""
    d = _scenario_dir()
    if not d.is_dir():
        return ()
    return tuple(sorted(p.stem for p in d.glob("*.toml") if not p.stem.startswith("_")))


def bundled_scenario(name: str, *, atlas: Atlas | None = None) -> Scenario:
    """Load a bundled example scenario by name (``today``, ``full-vision``…).

    Raises
    ------
    UnknownEntityError
        With a did-you-mean suggestion.
    """
    key = name.strip().lower().replace("_", "-").replace(" ", "-").removesuffix(".toml")
    names = bundled_scenario_names()
    if key not in names:
        hint = did_you_mean(key, names)
        raise UnknownEntityError(
            f"unknown scenario {name!r}; "
            + (f"hint: {hint} " if hint else "hint: ")
            + "bundled scenarios: "
            + ", ".join(names)
        )
    return load_scenario(_scenario_dir() / f"{key}.toml", atlas=atlas)


def scenario_from_arg(
    value: Scenario | str | os.PathLike[str] | None, *, atlas: Atlas | None = None
) -> Scenario:
    """A scenario from a Scenario, a path, a bundled name, or ``None`` (full vision)."""
    if value is None:
        return Scenario.full_vision()
    if isinstance(value, Scenario):
        return value
    text = os.fspath(value)
    p = Path(text).expanduser()
    if p.suffix.lower() == ".toml" or os.sep in text or p.exists():
        return load_scenario(p, atlas=atlas)
    return bundled_scenario(text, atlas=atlas)
