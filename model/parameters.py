"""Parameter declarations, validation, presets and the :class:`Scenario` object.

Every parameter is declared once in ``parameters.toml`` (key, label, group, unit, kind,
default, min, max, step, help, source, distribution). This module turns that declaration
into a frozen pydantic model, so that validation, the CLI, the app's widgets and the docs
all come from the same data. Presets are declared in ``presets.toml``.
"""

from __future__ import annotations

import json
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from . import __version__
from .data import REGIONS, DATA_VINTAGE, load_countries

_HERE = Path(__file__).parent


class ScenarioError(ValueError):
    """Bad input: an unknown key or preset, a value out of range, a malformed file.

    The message is one line that names the offending field, the value and what is
    allowed. Nothing is computed or written when it is raised.
    """


@dataclass(frozen=True)
class ParameterSpec:
    """One declared parameter (a row of ``parameters.toml``)."""

    key: str
    label: str
    group: str
    unit: str
    kind: Literal["float", "int", "bool", "choice", "group"]
    default: Any
    help: str
    source: str
    min: float | None = None
    max: float | None = None
    step: float | None = None
    choices: tuple[str, ...] = ()
    judgement: bool = False
    dist: str | None = None
    dist_low: float | None = None
    dist_mode: float | None = None
    dist_high: float | None = None
    dist_sd: float | None = None
    dist_note: str = ""
    dist_scale: str = "absolute"

    def allowed(self) -> str:
        """Human description of the allowed values, for error messages and docs."""
        if self.kind in ("float", "int"):
            unit = f" ({self.unit})" if self.unit else ""
            what = "an integer" if self.kind == "int" else "a number"
            return f"{what} from {_fmt(self.min)} to {_fmt(self.max)}{unit}"
        if self.kind == "bool":
            return "true or false"
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        return "a region (" + ", ".join(REGIONS) + ") or comma-separated ISO3 codes"


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:g}"


@dataclass(frozen=True)
class Preset:
    """A named partial set of parameter values with its source."""

    name: str
    kind: str
    description: str
    source: str
    values: Mapping[str, Any]
    judgement: tuple[str, ...] = ()


def _load_specs() -> dict[str, ParameterSpec]:
    raw = tomllib.loads((_HERE / "parameters.toml").read_text())["parameter"]
    specs = {}
    for item in raw:
        item = dict(item)
        if "choices" in item:
            item["choices"] = tuple(item["choices"])
        specs[item["key"]] = ParameterSpec(**item)
    return specs


def _load_presets() -> dict[str, Preset]:
    raw = tomllib.loads((_HERE / "presets.toml").read_text())["preset"]
    return {
        name: Preset(name=name, kind=p["kind"], description=p["description"], source=p["source"],
                     values=dict(p["values"]), judgement=tuple(p.get("judgement", ())))
        for name, p in raw.items()
    }


#: Every parameter, in declaration order, keyed by its key.
PARAMETERS: dict[str, ParameterSpec] = _load_specs()
#: Every preset, keyed by name.
PRESETS: dict[str, Preset] = _load_presets()
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(s.group for s in PARAMETERS.values()))


def _field(spec: ParameterSpec):
    if spec.kind == "float":
        return (float, Field(spec.default, ge=spec.min, le=spec.max, allow_inf_nan=False))
    if spec.kind == "int":
        return (int, Field(spec.default, ge=spec.min, le=spec.max))
    if spec.kind == "bool":
        return (bool, Field(spec.default))
    if spec.kind == "choice":
        return (Literal[spec.choices], Field(spec.default))  # type: ignore[valid-type]
    return (str, Field(spec.default))


#: The pydantic model of a complete, validated parameter set (frozen, no extra keys).
Parameters: type[BaseModel] = create_model(
    "Parameters",
    __config__=ConfigDict(frozen=True, extra="forbid"),
    __doc__="A complete, validated parameter set (frozen; generated from parameters.toml).",
    **{k: _field(s) for k, s in PARAMETERS.items()},
)


def normalise_group(value: str) -> str:
    """Canonical form of a restricted group: a region name, or sorted unique ISO3 codes."""
    if not isinstance(value, str):
        raise ScenarioError(
            f"restricted_group={value!r} is invalid: allowed {PARAMETERS['restricted_group'].allowed()}")
    v = value.strip()
    for r in REGIONS:
        if v.lower() == r.lower():
            return r
    codes = [c.strip().upper() for c in v.split(",") if c.strip()]
    known = set(load_countries().iso3)
    bad = [c for c in codes if c not in known]
    if not codes or bad:
        shown = ", ".join(bad) if bad else repr(value)
        raise ScenarioError(
            f"restricted_group={value!r} is invalid ({shown} unknown): allowed "
            f"{PARAMETERS['restricted_group'].allowed()}")
    return ",".join(sorted(set(codes)))


def validate_parameters(values: Mapping[str, Any]) -> BaseModel:
    """Validate a (partial) mapping of parameter values and return a complete ``Parameters``.

    Missing keys take their declared default. Raises :class:`ScenarioError` with a one-line
    message naming the key, the value and the allowed range or choices.
    """
    if not isinstance(values, Mapping):
        raise ScenarioError(f"parameters must be a mapping of key to value, got {type(values).__name__}")
    for k in values:
        if k not in PARAMETERS:
            raise ScenarioError(f"unknown parameter {k!r}; list them with `python -m model params`")
    vals = dict(values)
    for k, v in vals.items():
        spec = PARAMETERS[k]
        # Reject booleans posing as numbers and numbers posing as booleans: these are typos.
        if spec.kind in ("float", "int") and isinstance(v, bool):
            raise ScenarioError(f"{k}={v!r} is invalid: allowed {spec.allowed()}")
        if spec.kind == "bool" and isinstance(v, (int, float)) and not isinstance(v, bool):
            raise ScenarioError(f"{k}={v!r} is invalid: allowed {spec.allowed()}")
        if spec.kind == "int" and isinstance(v, float) and v.is_integer():
            vals[k] = int(v)
    if "restricted_group" in vals:
        vals["restricted_group"] = normalise_group(vals["restricted_group"])
    try:
        return Parameters(**vals)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = str(err["loc"][0]) if err["loc"] else "?"
        spec = PARAMETERS.get(key)
        value = vals.get(key, err.get("input"))
        if spec is None:
            raise ScenarioError(f"{key}: {err['msg']}") from None
        problem = "out of range" if isinstance(value, (int, float)) and not isinstance(value, bool) \
            and err["type"] in ("greater_than_equal", "less_than_equal") else "invalid"
        raise ScenarioError(f"{key}={value!r} is {problem}: allowed {spec.allowed()}") from None


def preset(name: str) -> Preset:
    """Look up a preset by name, with a one-line error listing the valid names."""
    try:
        return PRESETS[name]
    except KeyError:
        raise ScenarioError(f"unknown preset {name!r}; choose from: {', '.join(PRESETS)}") from None


@dataclass(frozen=True)
class Scenario:
    """A fully resolved, validated scenario: a name, the presets it came from, and all values.

    Build one with :meth:`Scenario.build` (presets, then overrides), or read one back from
    the JSON written by :meth:`to_json`. Two scenarios with equal ``params`` give identical runs.

    Examples
    --------
    >>> s = Scenario.build(["jpmorgan-high", "eu-llama-multimodal"], {"substitution_pct": 60})
    >>> s.params.headline_usd_bn, s.params.delay_indefinite, s.params.substitution_pct
    (10000.0, True, 60.0)
    """

    params: BaseModel
    presets: tuple[str, ...] = ()
    name: str = "default"
    overrides: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, presets: Sequence[str] = (), overrides: Mapping[str, Any] | None = None,
              name: str | None = None, base: "Scenario | None" = None) -> "Scenario":
        """Compose a scenario: ``base`` (or the defaults), then each preset in order, then overrides."""
        if isinstance(presets, str):
            presets = [presets]
        values: dict[str, Any] = dict(base.values) if base is not None else {}
        for p in presets:
            values.update(preset(p).values)
        overrides = dict(overrides or {})
        for k in overrides:
            if k not in PARAMETERS:
                raise ScenarioError(f"unknown parameter {k!r}; list them with `python -m model params`")
        values.update(overrides)
        params = validate_parameters(values)
        all_presets = tuple(base.presets if base is not None else ()) + tuple(presets)
        if name is None:
            if base is not None and not presets and not overrides:
                name = base.name
            else:
                name = " + ".join(all_presets) if all_presets else "default"
                if overrides or (base is not None and base.overrides):
                    name += " (modified)"
        all_overrides = {**(base.overrides if base is not None else {}), **overrides}
        return cls(params=params, presets=all_presets, name=name, overrides=all_overrides)

    @property
    def values(self) -> dict[str, Any]:
        """All parameter values as a plain dict, in declaration order."""
        return self.params.model_dump()

    def changed(self) -> dict[str, Any]:
        """Parameter values that differ from what the presets alone give."""
        ref = Scenario.build(self.presets).values
        return {k: v for k, v in self.values.items() if ref[k] != v}

    def to_dict(self) -> dict[str, Any]:
        """The scenario as a plain dict (what :meth:`to_json` writes)."""
        return {
            "model": "genai-impact",
            "model_version": __version__,
            "data_vintage": DATA_VINTAGE,
            "name": self.name,
            "presets": list(self.presets),
            "parameters": self.values,
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The scenario as JSON; :meth:`from_json` reads it back to the identical run."""
        return json.dumps(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(cls, d: Any) -> "Scenario":
        """Read a scenario dict back; raises :class:`ScenarioError` on anything malformed."""
        if not isinstance(d, Mapping):
            raise ScenarioError("scenario must be a JSON object with a 'parameters' object")
        allowed = {"model", "model_version", "data_vintage", "name", "presets", "parameters"}
        extra = set(d) - allowed
        if extra:
            raise ScenarioError(f"unknown scenario field {sorted(extra)[0]!r}; allowed: {', '.join(sorted(allowed))}")
        params = d.get("parameters", {})
        presets = d.get("presets", [])
        if not isinstance(presets, list) or not all(isinstance(p, str) for p in presets):
            raise ScenarioError("scenario field 'presets' must be a list of preset names")
        for p in presets:
            preset(p)
        name = d.get("name", "scenario")
        if not isinstance(name, str):
            raise ScenarioError("scenario field 'name' must be a string")
        validated = validate_parameters(params)
        ref = Scenario.build(presets).values
        overrides = {k: v for k, v in validated.model_dump().items() if ref[k] != v}
        return cls(params=validated, presets=tuple(presets), name=name, overrides=overrides)

    @classmethod
    def from_json(cls, text: str) -> "Scenario":
        """Read the JSON written by :meth:`to_json` (the identical run)."""
        try:
            d = json.loads(text)
        except (json.JSONDecodeError, TypeError) as exc:
            raise ScenarioError(f"scenario file is not valid JSON: {exc}") from None
        return cls.from_dict(d)

    def with_values(self, **overrides: Any) -> "Scenario":
        """A copy with some values changed (validated)."""
        return Scenario.build((), overrides, name=None, base=self)


def parse_assignment(text: str) -> tuple[str, Any]:
    """Parse ``KEY=VALUE`` from the CLI, typed by the parameter's declared kind."""
    if "=" not in text:
        raise ScenarioError(f"--set {text!r} is malformed: expected KEY=VALUE")
    key, raw = (s.strip() for s in text.split("=", 1))
    spec = PARAMETERS.get(key)
    if spec is None:
        raise ScenarioError(f"unknown parameter {key!r}; list them with `python -m model params`")
    if spec.kind in ("float", "int"):
        try:
            num = float(raw)
        except ValueError:
            raise ScenarioError(f"{key}={raw!r} is invalid: allowed {spec.allowed()}") from None
        if not math.isfinite(num):
            raise ScenarioError(f"{key}={raw!r} is invalid: allowed {spec.allowed()}")
        if spec.kind == "int":
            if not num.is_integer():
                raise ScenarioError(f"{key}={raw!r} is invalid: allowed {spec.allowed()}")
            return key, int(num)
        return key, num
    if spec.kind == "bool":
        low = raw.lower()
        if low in ("true", "1", "yes", "on"):
            return key, True
        if low in ("false", "0", "no", "off"):
            return key, False
        raise ScenarioError(f"{key}={raw!r} is invalid: allowed {spec.allowed()}")
    return key, raw

