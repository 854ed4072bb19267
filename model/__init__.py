"""Generative-AI economic-impact scenario calculator.

The importable core: numpy, pandas and pydantic (plotly only for figures, loaded on first use);
no Streamlit, no network. The flow: declarations (:mod:`model.parameters`, :mod:`model.outputs`)
-> :class:`Scenario` -> equations (:mod:`model.core`) composed by :mod:`model.engine` ->
:class:`Result` (tidy views) -> :mod:`model.io`, :mod:`model.narrative`, :mod:`model.figures`.

Quick use::

    import model
    s = model.Scenario.build(["jpmorgan-high", "eu-llama-multimodal"])
    r = model.run(s)
    r.summary()            # one row per region and World
    r.data                 # tidy: scenario, region, year, variable, unit, value
"""

__version__ = "0.1.0"

from .data import REGIONS, load_countries  # noqa: E402
from .parameters import (  # noqa: E402
    PARAMETERS,
    PRESETS,
    Scenario,
    ScenarioError,
    validate_parameters,
)
from .api import compare, run  # noqa: E402
from .result import Result, ResultSet  # noqa: E402

__all__ = [
    "__version__",
    "PARAMETERS",
    "PRESETS",
    "REGIONS",
    "Result",
    "ResultSet",
    "Scenario",
    "ScenarioError",
    "compare",
    "load_countries",
    "run",
    "validate_parameters",
]
