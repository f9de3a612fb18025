"""Scenarios: the value object and builder, the TOML reader and the resolver.

Modules: :mod:`~corridors.scenario.model` (:class:`Scenario`, the fluent builder),
:mod:`~corridors.scenario.closures` (:class:`Closure` and its classification),
:mod:`~corridors.scenario.checks` (the checks of a scenario's fields),
:mod:`~corridors.scenario.costs` (:class:`CostModel` and its defaults),
:mod:`~corridors.scenario.toml` (:func:`load_scenario`, includes) with
:mod:`~corridors.scenario.toml_values` (its key tables and value checks),
:mod:`~corridors.scenario.bundled` (the example scenarios), :mod:`~corridors.scenario.resolve`
(:func:`resolve_scenario`), :mod:`~corridors.scenario.additions` (user nodes and segments)
and :mod:`~corridors.scenario.problems` (the scenario problem builder).
"""

from corridors.scenario.bundled import bundled_scenario, bundled_scenario_names, scenario_from_arg
from corridors.scenario.costs import DEFAULT_SPEED_KMH, CostModel
from corridors.scenario.model import DEFAULT_MODES, Closure, Scenario
from corridors.scenario.resolve import ResolvedScenario, resolve_scenario
from corridors.scenario.toml import load_scenario

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
