"""Scenarios: the value object and builder, the TOML reader and the resolver."""

from corridors.scenario.core import (
    DEFAULT_MODES,
    DEFAULT_SPEED_KMH,
    Closure,
    CostModel,
    ResolvedScenario,
    Scenario,
    bundled_scenario,
    bundled_scenario_names,
    load_scenario,
    resolve_scenario,
    scenario_from_arg,
)

__all__ = [
    "DEFAULT_MODES",
    "DEFAULT_SPEED_KMH",
    "Closure",
    "CostModel",
    "ResolvedScenario",
    "Scenario",
    "bundled_scenario",
    "bundled_scenario_names",
    "load_scenario",
    "resolve_scenario",
    "scenario_from_arg",
]
