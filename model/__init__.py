"""Generative-AI economic-impact scenario calculator.

The importable core: numpy and pandas only (plotly for figures); no Streamlit, no network.

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
from .run import compare, run  # noqa: E402
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
