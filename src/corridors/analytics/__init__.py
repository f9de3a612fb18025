"""Analyses over an atlas and a scenario: report, criticality, centrality and diff."""

from corridors.analytics.core import (
    Centrality,
    ScenarioDiff,
    ScenarioReport,
    centrality,
    criticality,
    diff,
    hub_pairs,
    report,
)

__all__ = [
    "Centrality",
    "ScenarioDiff",
    "ScenarioReport",
    "centrality",
    "criticality",
    "diff",
    "hub_pairs",
    "report",
]
