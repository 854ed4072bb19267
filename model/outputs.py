"""The output-variable registry: one row per output, declared in ``outputs.toml``.

Exports, chart labels, the Monte Carlo, fan charts and sensitivity outputs read
:data:`VARIABLES`; :func:`compute` turns sums of country paths into every variable, so a
variable's aggregation rule (a sum, or a ratio of sums) is written once.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Callable, Literal, Mapping

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

#: The levers of the loss decomposition (key -> plain-language label), in display order; their
#: equations are :func:`model.core.restriction_loss_levers` and :func:`model.core.leakage_transfer`.
LEVERS: dict[str, str] = {
    "restricted_products": "Restricted products (share x delay)",
    "substitution": "Substitution and circumvention",
    "compliance_drag": "Compliance drag",
    "leakage": "Leakage to other economies",
}
#: The country-level quantities a variable can sum: ``population`` (a country attribute) or any
#: path of :class:`model.engine.Paths` (``gdp``, ``open_gain``, ``gain``, ``lost``, ...); the
#: engine's tests check that every name used here exists there.
_PATH_NAME = r"[a-z][a-z0-9_]*"


class OutputVariable(BaseModel):
    """One output variable (a row of ``outputs.toml``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    label: str
    unit: str
    iamc: str
    description: str
    aggregation: Literal["sum", "ratio", "growth"]
    path: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    scale: float = 1.0
    effect: Literal["gain", "loss", "level"]
    monte_carlo: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> "OutputVariable":
        import re

        names = (self.path,) if self.aggregation == "sum" else (self.numerator, self.denominator)
        if not all(isinstance(n, str) and re.fullmatch(_PATH_NAME, n) for n in names):
            raise ValueError("a sum needs `path`, a ratio `numerator` and `denominator`: names of country paths")
        if self.aggregation == "ratio" and self.monte_carlo:
            raise ValueError("the Monte Carlo tracks sum and growth variables only")
        if self.monte_carlo and "population" in names:
            raise ValueError("the Monte Carlo sums country paths, not the population")
        return self

    @property
    def paths(self) -> tuple[str, ...]:
        """The country-level quantities this variable sums."""
        return (self.path,) if self.aggregation == "sum" else (self.numerator, self.denominator)

    def value(self, sums: Mapping[str, np.ndarray]) -> np.ndarray:
        """The variable from aggregated sums of its paths, over years on the last axis.

        A ratio of sums (0 where the denominator is 0), or for ``growth`` the growth contribution
        of that ratio as a level uplift, :func:`model.core.growth_from_level` (regions: the growth
        of their sums, never a sum or mean of countries' growth)."""
        if self.aggregation == "sum":
            return sums[self.path]
        num, den = np.broadcast_arrays(sums[self.numerator], sums[self.denominator])
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(den != 0, num / np.where(den != 0, den, 1.0), 0.0)
        if self.aggregation == "growth":  # the growth of the sums: b = (1 + u(t)) / (1 + u(t-1)) - 1
            from .core import growth_from_level

            return self.scale * growth_from_level(ratio)
        return self.scale * ratio

    @property
    def title(self) -> str:
        """'Label (unit)' for axes and table headers."""
        unit = {"billion USD_2023": "billion US$, 2023 prices", "USD_2023": "US$, 2023 prices"}.get(self.unit, self.unit)
        return f"{self.label} ({unit})"


def _load(path: Path) -> dict[str, OutputVariable]:
    out: dict[str, OutputVariable] = {}
    for row in tomllib.loads(path.read_text(encoding="utf-8"))["variable"]:
        try:
            v = OutputVariable(**row)
        except ValidationError as exc:
            raise RuntimeError(f"{path.name}: variable {row.get('key', '?')!r}: {exc.errors()[0]['msg']}") from None
        if v.key in out:
            raise RuntimeError(f"{path.name}: duplicate variable {v.key!r}")
        out[v.key] = v
    return out


#: Every output variable, in export order.
VARIABLES: dict[str, OutputVariable] = _load(Path(__file__).with_name("outputs.toml"))
#: The variables whose percentiles the Monte Carlo tracks.
MC_VARIABLES: tuple[str, ...] = tuple(k for k, v in VARIABLES.items() if v.monte_carlo)


def compute(sums: Callable[[str], np.ndarray], keys=None) -> dict[str, np.ndarray]:
    """Every variable (or ``keys``) from a function giving the aggregated sum of a path."""
    cache: dict[str, np.ndarray] = {}

    def get(name: str) -> np.ndarray:
        if name not in cache:
            cache[name] = sums(name)
        return cache[name]

    out = {}
    for k in (keys or VARIABLES):
        v = VARIABLES[k]
        out[k] = v.value({p: get(p) for p in v.paths})
    return out


def label(key: str) -> str:
    """The plain-language label of a variable."""
    return VARIABLES[key].label


#: Outputs available to the sensitivity analyses (:func:`model.uncertainty.sensitivity`): key -> description.
SENSITIVITY_OUTPUTS = {
    "group_cumulative_lost": "restricted group's cumulative loss, billion USD_2023",
    "world_cumulative_gain": "World cumulative gain, billion USD_2023",
    "group_cumulative_gain": "restricted group's cumulative gain, billion USD_2023",
}
