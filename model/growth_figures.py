"""Charts of the AI gain's contribution to GDP growth (``ai_growth_boost_pp``), plotly figure dicts.

Kept apart from :mod:`model.figures` (same ``_figure`` dict style): pure functions of a
:class:`~model.result.Result`, returning ``plotly.graph_objects.Figure``.
"""

from __future__ import annotations

from typing import Sequence

from .outputs import VARIABLES

VARIABLE = "ai_growth_boost_pp"


def _figure(data: list[dict], title: str, ytitle: str) -> "object":
    import plotly.graph_objects as go

    return go.Figure({"data": data, "layout": {
        "title": {"text": title}, "template": "plotly_white", "hovermode": "x unified",
        "xaxis": {"title": {"text": "Year"}}, "yaxis": {"title": {"text": ytitle}},
        "legend": {"orientation": "h", "y": -0.2}}})


def growth_boost(result, regions: Sequence[str] | None = None):
    """Lines of the growth contribution (pp a year) for the World and the given regions (default: the
    World, the headline's anchor and the restricted group)."""
    p = result.params
    if regions is None:
        regions = list(dict.fromkeys(["World", getattr(p, "headline_anchor", "World"), "Restricted group"]))
    data = []
    for reg in regions:
        s = result.series(VARIABLE, reg)
        name = result.group_label if reg == "Restricted group" else reg
        data.append({"type": "scatter", "mode": "lines", "name": name, "x": list(map(int, s.index)),
                     "y": [float(v) for v in s.values],
                     "hovertemplate": "%{y:.2f} pp<extra>" + name + "</extra>"})
    return _figure(data, f"{VARIABLES[VARIABLE].label}: {result.name}", "percentage points a year")
