"""Analyses over an atlas and a scenario: report, criticality, centrality, diff and doctor.

Every analysis takes ``(atlas, scenario, …)``: :func:`report`, :func:`criticality`,
:func:`centrality`, :func:`doctor` (dead ends, islands, implausible hub pairs) and
:func:`diff` (``(atlas, a, b)``). Map layers of a scenario are
built in :mod:`corridors.maps.scenario`, file export is :mod:`corridors.io.export`.
"""

from corridors.analytics.centrality import Centrality, centrality
from corridors.analytics.common import hub_pairs, markdown_table
from corridors.analytics.criticality import criticality
from corridors.analytics.diff import ScenarioDiff, diff
from corridors.analytics.doctor import DoctorReport, doctor
from corridors.analytics.report import ScenarioReport, report

__all__ = [
    "Centrality",
    "DoctorReport",
    "ScenarioDiff",
    "ScenarioReport",
    "centrality",
    "criticality",
    "diff",
    "doctor",
    "hub_pairs",
    "markdown_table",
    "report",
]
