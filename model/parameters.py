"""Parameter declarations, kinds, validation, presets and the :class:`Scenario` object.

Every parameter is declared once in ``parameters.toml`` and every preset in ``presets.toml``;
both files are validated when this module is imported (pydantic), so a bad declaration fails at
import with the file, the key and the problem. What a parameter *kind* means (how to parse a
string, describe the allowed values, type-check a JSON value, which widget shows it) is written
once, in :data:`KINDS`; the CLI, the app, the docs and the tests read it from there.

A scenario holds the scenario-wide parameters (:class:`Parameters`) and a tuple of access
restrictions (:class:`Restriction`), each with the restriction-scope parameters.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, model_validator

from . import __version__
from .data import DATA_VINTAGE, IMF_GROUPS, REGIONS, load_countries
from .errors import DeclarationError, ScenarioError
from .safeio import check_name, shorten

_HERE = Path(__file__).parent
#: The dimensions a parameter may be declared over, with their members in order.
DIMENSIONS: dict[str, tuple[str, ...]] = {"region": REGIONS, "imf_group": IMF_GROUPS}
#: Longest value quoted in an error message.
MAX_QUOTED = 80


def quoted(value: Any, limit: int = MAX_QUOTED) -> str:
    """``repr(value)`` on one printable line, cut to ``limit`` characters, for error messages."""
    return shorten(value, limit)


# ----------------------------------------------------------------------------- declarations
_DIST_KINDS = ("uniform", "triangular", "truncnorm")


class ParameterSpec(BaseModel):
    """One declared parameter (a row of ``parameters.toml``, or one member of a dimension)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    label: str
    group: str
    unit: str = ""
    kind: str
    default: Any
    help: str = ""
    source: str
    min: float | None = None
    max: float | None = None
    step: float | None = None
    choices: tuple[str, ...] = ()
    judgement: bool = False
    scope: Literal["scenario", "restriction"] = "scenario"
    applies_when: dict[str, list[Any]] = Field(default_factory=dict)
    dimension: str | None = None
    member: str | None = None
    dimension_name: str | None = None
    dist: str | None = None
    dist_low: float | None = None
    dist_mode: float | None = None
    dist_high: float | None = None
    dist_sd: float | None = None
    dist_note: str = ""
    dist_scale: Literal["absolute", "factor", "offset"] = "absolute"

    @model_validator(mode="after")
    def _consistent(self) -> "ParameterSpec":
        if not re.fullmatch(r"[a-z][a-z0-9_]*", self.key):
            raise ValueError("key must be lower_snake_case")
        if self.kind not in KINDS:
            raise ValueError(f"kind {self.kind!r} is not one of {', '.join(KINDS)}")
        KINDS[self.kind].check_declaration(self)
        if self.dist is not None:
            if self.dist not in _DIST_KINDS:
                raise ValueError(f"dist {self.dist!r} is not one of {', '.join(_DIST_KINDS)}")
            if self.kind not in ("float", "int"):
                raise ValueError("only numeric parameters can have a distribution")
            if self.dist_low is None or self.dist_high is None or self.dist_low > self.dist_high:
                raise ValueError("a distribution needs dist_low <= dist_high")
        return self

    def allowed(self) -> str:
        """Human description of the allowed values, for error messages and docs."""
        return KINDS[self.kind].describe(self)

    def range_text(self) -> str:
        """The allowed range in a table cell ('0 – 100', 'usd, pct_gdp', 'true / false')."""
        return KINDS[self.kind].range_text(self)

    def applies(self, values: Mapping[str, Any]) -> bool:
        """Whether the parameter matters given the other values (its ``applies_when``)."""
        return all(values.get(k) in allowed for k, allowed in self.applies_when.items())


class _PresetDecl(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["headline", "restriction"]
    description: str
    source: str
    judgement: tuple[str, ...] = ()
    values: dict[str, Any] = Field(default_factory=dict)
    restrictions: tuple[dict[str, Any], ...] = ()
    events: tuple[str, ...] = ()
    hypothetical: bool = False


@dataclass(frozen=True)
class Preset:
    """A named partial set of parameter values (and, for restriction presets, restrictions)."""

    name: str
    kind: str
    description: str
    source: str
    values: Mapping[str, Any]
    judgement: tuple[str, ...] = ()
    restrictions: tuple["Restriction", ...] = ()
    events: tuple[str, ...] = ()
    hypothetical: bool = False


# ----------------------------------------------------------------------------- kinds
_ASCII_INT = re.compile(r"[+-]?[0-9]{1,30}")
_ASCII_FLOAT = re.compile(r"[+-]?(?:[0-9]{1,30}(?:\.[0-9]{0,30})?|\.[0-9]{1,30})(?:[eE][+-]?[0-9]{1,3})?")


class Kind:
    """What one parameter kind means; one instance per kind in :data:`KINDS`.

    ``widget`` names the control the app renders (the app maps the name to a Streamlit call).
    """

    name = ""
    widget = ""

    def check_declaration(self, spec: ParameterSpec) -> None:
        """Raise ValueError when a declaration of this kind is inconsistent."""

    def describe(self, spec: ParameterSpec) -> str:
        """The allowed values in words, for one-line error messages."""
        raise NotImplementedError

    def range_text(self, spec: ParameterSpec) -> str:
        """The allowed values, short, for tables (docs, ``params``)."""
        return self.describe(spec)

    def parse(self, spec: ParameterSpec, text: str) -> Any:
        """A value from a string (CLI ``--set``, URL), strictly."""
        raise NotImplementedError

    def check(self, spec: ParameterSpec, value: Any) -> Any:
        """A JSON/Python value, type-checked strictly (no string-to-number coercion)."""
        return value

    def field(self, spec: ParameterSpec):
        """The pydantic field of this parameter."""
        raise NotImplementedError

    def to_text(self, value: Any) -> str:
        """The string form :meth:`parse` reads back (URLs, the command-line equivalent)."""
        return str(value)

    def _bad(self, spec: ParameterSpec, value: Any) -> ScenarioError:
        return ScenarioError(f"{spec.key}={quoted(value)} is invalid: allowed {spec.allowed()}")


class _Number(Kind):
    widget = "slider"
    integer = False

    def check_declaration(self, spec):
        if spec.min is None or spec.max is None or not spec.min <= spec.default <= spec.max:
            raise ValueError(f"a {self.name} needs min <= default <= max")

    def describe(self, spec):
        unit = f" ({spec.unit})" if spec.unit else ""
        what = "an integer" if self.integer else "a number"
        return f"{what} from {spec.min:g} to {spec.max:g}{unit}"

    def range_text(self, spec):
        return f"{spec.min:g} – {spec.max:g}"

    def parse(self, spec, text):
        raw = text.strip(" \t")
        if not (_ASCII_INT if self.integer else _ASCII_FLOAT).fullmatch(raw):
            if self.integer and _ASCII_FLOAT.fullmatch(raw) and float(raw).is_integer():
                return self.check(spec, int(float(raw)))
            raise self._bad(spec, text)
        return self.check(spec, int(raw) if self.integer else float(raw))

    def check(self, spec, value):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._bad(spec, value)
        if isinstance(value, float) and not math.isfinite(value):
            raise self._bad(spec, value)
        if isinstance(value, int) and abs(value) > 10**15:
            raise ScenarioError(f"{spec.key}={quoted(value)} is out of range: allowed {spec.allowed()}")
        if self.integer and isinstance(value, float) and not value.is_integer():
            raise self._bad(spec, value)
        if not spec.min <= value <= spec.max:
            raise ScenarioError(f"{spec.key}={quoted(value)} is out of range: allowed {spec.allowed()}")
        return int(value) if self.integer else float(value)

    def field(self, spec):
        if self.integer:
            return (int, Field(spec.default, ge=spec.min, le=spec.max, strict=True))
        return (float, Field(float(spec.default), ge=spec.min, le=spec.max, allow_inf_nan=False))


class _FloatKind(_Number):
    name = "float"


class _IntKind(_Number):
    name = "int"
    integer = True


class _BoolKind(Kind):
    name = "bool"
    widget = "toggle"

    def check_declaration(self, spec):
        if not isinstance(spec.default, bool):
            raise ValueError("a bool needs a true/false default")

    def describe(self, spec):
        return "true or false"

    def range_text(self, spec):
        return "true / false"

    def parse(self, spec, text):
        low = text.strip().lower()
        if low in ("true", "yes", "on", "1"):
            return True
        if low in ("false", "no", "off", "0"):
            return False
        raise self._bad(spec, text)

    def check(self, spec, value):
        if not isinstance(value, bool):
            raise self._bad(spec, value)
        return value

    def field(self, spec):
        return (bool, Field(spec.default, strict=True))

    def to_text(self, value):
        return "true" if value else "false"


class _ChoiceKind(Kind):
    name = "choice"
    widget = "select"

    def check_declaration(self, spec):
        if not spec.choices or spec.default not in spec.choices:
            raise ValueError("a choice needs choices that include the default")

    def describe(self, spec):
        return "one of " + ", ".join(spec.choices)

    def range_text(self, spec):
        return ", ".join(spec.choices)

    def parse(self, spec, text):
        return self.check(spec, text.strip())

    def check(self, spec, value):
        if not isinstance(value, str) or value not in spec.choices:
            raise self._bad(spec, value)
        return value

    def field(self, spec):
        return (Literal[spec.choices], Field(spec.default))  # type: ignore[valid-type]


class _GroupKind(Kind):
    """A group of countries: a region name or comma-separated ISO3 codes (canonical form)."""

    name = "group"
    widget = "group"

    def describe(self, spec):
        return "a region (" + ", ".join(REGIONS) + ") or comma-separated ISO3 codes"

    def range_text(self, spec):
        return "a region or ISO3 list"

    def parse(self, spec, text):
        return self.check(spec, text)

    def check(self, spec, value):
        return normalise_group(value, spec)

    def field(self, spec):
        return (str, Field(spec.default, strict=True))


#: Every parameter kind: parse, describe, check, pydantic field, widget.
KINDS: dict[str, Kind] = {k.name: k for k in (_FloatKind(), _IntKind(), _BoolKind(), _ChoiceKind(), _GroupKind())}


def normalise_group(value: Any, spec: ParameterSpec | None = None) -> str:
    """Canonical form of a country group: a region name, or sorted unique ISO3 codes."""
    key = spec.key if spec is not None else "restricted_group"
    allowed = KINDS["group"].describe(spec) if spec is not None else "a region or comma-separated ISO3 codes"
    if not isinstance(value, str) or len(value) > 2000:
        raise ScenarioError(f"{key}={quoted(value)} is invalid: allowed {allowed}")
    v = value.strip()
    for r in REGIONS:
        if v.lower() == r.lower():
            return r
    codes = [c.strip().upper() for c in v.split(",") if c.strip()]
    known = set(load_countries().iso3)
    bad = [c for c in codes if c not in known]
    if not codes or bad:
        shown = ", ".join(bad)[:MAX_QUOTED] if bad else quoted(value)
        raise ScenarioError(f"{key}={quoted(value)} is invalid ({shown} unknown): allowed {allowed}")
    return ",".join(sorted(set(codes)))


# ----------------------------------------------------------------------------- loading
def _expand(item: dict[str, Any]) -> list[dict[str, Any]]:
    """One declaration -> parameter rows (a dimensioned declaration gives one row per member)."""
    if "dimension" not in item:
        return [item]
    item = dict(item)
    dim, members = item.pop("dimension"), item.pop("members", {})
    name, member_label = item.pop("name"), item.pop("member_label", "{member}")
    if dim not in DIMENSIONS:
        raise ValueError(f"dimension {dim!r} is not one of {', '.join(DIMENSIONS)}")
    if list(members) != list(DIMENSIONS[dim]):
        raise ValueError(f"members of {name!r} must be exactly {', '.join(DIMENSIONS[dim])}, in that order")
    item.pop("source", None)
    rows = []
    for member, own in members.items():
        row = {**item, **own, "dimension": dim, "member": member, "dimension_name": name,
               "label": member_label.format(member=member)}
        rows.append(row)
    return rows


def _load_specs(path: Path) -> dict[str, ParameterSpec]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))["parameter"]
    except (tomllib.TOMLDecodeError, KeyError) as exc:
        raise DeclarationError(f"{path.name}: {exc}") from None
    specs: dict[str, ParameterSpec] = {}
    for item in raw:
        where = item.get("key") or item.get("name") or "?"
        try:
            rows = _expand(item)
            for row in rows:
                if "choices" in row:
                    row["choices"] = tuple(row["choices"])
                spec = ParameterSpec(**row)
                if spec.key in specs:
                    raise ValueError(f"duplicate key {spec.key!r}")
                specs[spec.key] = spec
        except (ValidationError, ValueError, TypeError) as exc:
            msg = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
            raise DeclarationError(f"{path.name}: parameter {where!r}: {msg}") from None
    for spec in specs.values():
        for k, allowed in spec.applies_when.items():
            if k not in specs:
                raise DeclarationError(f"{path.name}: parameter {spec.key!r}: applies_when names unknown {k!r}")
            for v in allowed:
                try:
                    KINDS[specs[k].kind].check(specs[k], v)
                except ScenarioError as exc:
                    raise DeclarationError(f"{path.name}: parameter {spec.key!r}: applies_when: {exc}") from None
    return specs


#: Every parameter, in declaration order, keyed by its key.
PARAMETERS: dict[str, ParameterSpec] = _load_specs(_HERE / "parameters.toml")
#: The scenario-wide parameters and the fields of each restriction.
SCENARIO_KEYS: tuple[str, ...] = tuple(k for k, s in PARAMETERS.items() if s.scope == "scenario")
RESTRICTION_KEYS: tuple[str, ...] = tuple(k for k, s in PARAMETERS.items() if s.scope == "restriction")
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(s.group for s in PARAMETERS.values()))
#: Dimensioned parameters: name -> member keys in the dimension's order.
DIMENSIONED: dict[str, tuple[str, ...]] = {}
for _s in PARAMETERS.values():
    if _s.dimension_name:
        DIMENSIONED.setdefault(_s.dimension_name, ())
        DIMENSIONED[_s.dimension_name] += (_s.key,)


def _model(name: str, keys: Sequence[str], doc: str, extra: Mapping[str, Any] | None = None) -> type[BaseModel]:
    return create_model(name, __config__=ConfigDict(frozen=True, extra="forbid"), __doc__=doc, __module__=__name__,
                        **{k: KINDS[PARAMETERS[k].kind].field(PARAMETERS[k]) for k in keys}, **(extra or {}))


#: The pydantic model of a complete, validated set of scenario-wide parameters.
Parameters: type[BaseModel] = _model(
    "Parameters", SCENARIO_KEYS, "A complete, validated set of scenario-wide parameters (frozen; from parameters.toml).")
#: How a restriction takes away value: ``legacy`` (the flat levers: a delay from the base year or
#: "until further notice", on relative adoption; what scenarios before dated events meant) or a
#: dated event kind (see :func:`model.core.event_exposure`).
RESTRICTION_KINDS = ("legacy", "outage", "delay", "withheld")
#: One access restriction: a label, the countries it hits (``None``: the scenario's restricted
#: group), its kind and dates, the event it comes from, and the restriction-scope parameters.
Restriction: type[BaseModel] = _model(
    "Restriction", RESTRICTION_KEYS,
    "One access restriction (frozen): label, group (None = the scenario's restricted group), kind, dates "
    "(start_date, end_date: the event covers start <= t < end; no end: until the horizon), event_id and "
    "product family, and its levers.",
    {"label": (str, Field("restriction", max_length=200)), "group": (str | None, Field(None)),
     "kind": (Literal[RESTRICTION_KINDS], Field("legacy")),  # type: ignore[valid-type]
     "event_id": (str | None, Field(None, max_length=120)), "family": (str | None, Field(None, max_length=120)),
     "start_date": (date | None, Field(None)), "end_date": (date | None, Field(None)),
     "share_range_pct": (tuple[float, float] | None, Field(None)),
     "substitution_range_pct": (tuple[float, float] | None, Field(None)),
     "common_factor": (str | None, Field(None, max_length=120))})


def dimension_values(p: Any, name: str) -> list[Any]:
    """The values of a dimensioned parameter, in its dimension's member order."""
    return [getattr(p, k) for k in DIMENSIONED[name]]


# ----------------------------------------------------------------------------- validation
def check_value(key: str, value: Any) -> Any:
    """Type-check one parameter value strictly (the JSON/Python boundary)."""
    if key not in PARAMETERS:
        raise ScenarioError(f"unknown parameter {quoted(key)}; list them with `python -m model params`")
    spec = PARAMETERS[key]
    return KINDS[spec.kind].check(spec, value)


def validate_parameters(values: Mapping[str, Any]) -> BaseModel:
    """Validate a (partial) mapping of scenario-wide values and return complete ``Parameters``.

    Missing keys take their declared default. Raises :class:`ScenarioError` with a one-line
    message naming the key, the value and the allowed range or choices. Restriction-scope keys
    are not accepted here (see :func:`validate_restriction`).
    """
    if not isinstance(values, Mapping):
        raise ScenarioError(f"parameters must be a mapping of key to value, got {type(values).__name__}")
    vals = {}
    for k, v in values.items():
        v = check_value(k, v)
        if PARAMETERS[k].scope != "scenario":
            raise ScenarioError(f"{k} is a field of each restriction, not a scenario parameter")
        vals[k] = v
    params = Parameters(**vals)
    check_level_path(params)
    return params


def check_level_path(params: Any) -> None:
    """The dated points of a level-path headline must be in strictly increasing years (one-line error)."""
    if getattr(params, "headline_mode", None) != "level_path":
        return
    prev = None
    for k in range(1, int(params.level_points) + 1):
        year = getattr(params, f"level_year_{k}")
        if prev is not None and not year > prev[1]:
            raise ScenarioError(f"level_year_{k}={year:g} is not after level_year_{prev[0]}={prev[1]:g}: the "
                                "dated points of a level path must be in increasing years")
        prev = (k, year)


def validate_restriction(values: Mapping[str, Any]) -> BaseModel:
    """Validate one restriction (a mapping of its fields; missing ones take their defaults)."""
    if not isinstance(values, Mapping):
        raise ScenarioError(f"a restriction must be an object of its fields, got {type(values).__name__}")
    vals: dict[str, Any] = {}
    for k, v in values.items():
        if k == "label":
            if not isinstance(v, str) or len(v) > 200 or any(ord(c) < 32 or ord(c) == 127 for c in v):
                raise ScenarioError(f"restriction label={quoted(v)} is invalid: allowed text of at most 200 "
                                    "characters without control characters")
            vals[k] = v
        elif k == "group":
            vals[k] = None if v is None else normalise_group(v, PARAMETERS["restricted_group"])
        elif k == "kind":
            if v not in RESTRICTION_KINDS:
                raise ScenarioError(f"restriction kind={quoted(v)} is invalid: allowed {', '.join(RESTRICTION_KINDS)}")
            vals[k] = v
        elif k in ("share_range_pct", "substitution_range_pct"):
            if v is not None:
                if (not isinstance(v, (list, tuple)) or len(v) != 2
                        or not all(isinstance(x, (int, float)) and not isinstance(x, bool) and 0 <= x <= 100 for x in v)
                        or v[0] > v[1]):
                    raise ScenarioError(f"restriction {k}={quoted(v)} is invalid: allowed [low, high] in percent, "
                                        "0 <= low <= high <= 100")
                v = (float(v[0]), float(v[1]))
            vals[k] = v
        elif k in ("event_id", "family", "common_factor"):
            if v is not None and not (isinstance(v, str) and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,119}", v)):
                raise ScenarioError(f"restriction {k}={quoted(v)} is invalid: allowed letters, digits, '.', '_', '-'")
            vals[k] = v
        elif k in ("start_date", "end_date"):
            vals[k] = _parse_date(k, v)
        else:
            if k not in PARAMETERS or PARAMETERS[k].scope != "restriction":
                raise ScenarioError(f"unknown restriction field {quoted(k)}; allowed: label, group, "
                                    + ", ".join(RESTRICTION_KEYS))
            vals[k] = check_value(k, v)
    r = Restriction(**vals)
    where = f"restriction {quoted(r.event_id or r.label, 60)}"
    for name, central in (("share_range_pct", r.restricted_share_pct), ("substitution_range_pct", r.substitution_pct)):
        rng = getattr(r, name)
        if rng is not None and not rng[0] <= central <= rng[1]:  # a --set outside the event's range: no range
            r = r.model_copy(update={name: None})
    if r.kind != "legacy":
        if r.start_date is None:
            raise ScenarioError(f"{where}: start_date is missing: allowed a date YYYY-MM-DD for kind {r.kind}")
        if r.end_date is not None and r.end_date < r.start_date:
            raise ScenarioError(f"{where}: end_date={r.end_date.isoformat()} is before start_date="
                                f"{r.start_date.isoformat()}: allowed an end on or after the start")
        if r.kind == "delay" and r.end_date is None:
            raise ScenarioError(f"{where}: a delay needs end_date (the day the product arrives); allowed: a date, "
                                "or kind withheld for a product held back until further notice")
        if r.start_date.year < 2000 or (r.end_date and r.end_date.year > 2200):
            raise ScenarioError(f"{where}: dates must lie between 2000 and 2200")
    return r


def _parse_date(field_name: str, v: Any) -> date | None:
    if v is None or isinstance(v, date):
        return v
    if isinstance(v, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", v):
        try:
            return date.fromisoformat(v)
        except ValueError:
            pass
    raise ScenarioError(f"restriction {field_name}={quoted(v)} is invalid: allowed a date YYYY-MM-DD")


def restriction_from_event(event) -> BaseModel:
    """The restriction of one included event of :mod:`model.events` (its countries, kind, dates
    -- the assumed end where the source has none -- share and substitution)."""
    if not event.included:
        raise ScenarioError(f"event {event.id} is excluded from losses ({event.exclusion_reason}); "
                            "allowed: an included event (see `python -m model events`)")
    return validate_restriction({
        "label": event.label[:200], "group": ",".join(event.iso3), "kind": event.kind, "event_id": event.id,
        "family": event.product_family, "start_date": event.start_date, "end_date": event.effective_end,
        "restricted_share_pct": event.share_pct, "substitution_pct": event.substitution_pct,
        "share_range_pct": (event.share_low_pct, event.share_high_pct)
        if event.share_low_pct is not None and event.share_high_pct is not None else None,
        "substitution_range_pct": (event.substitution_low_pct, event.substitution_high_pct)
        if event.substitution_low_pct is not None and event.substitution_high_pct is not None else None,
        "common_factor": event.common_factor or event.product_family})


def event_restrictions(ids: Sequence[str]) -> list[BaseModel]:
    """Restrictions for shipped event ids (a one-line ScenarioError for an unknown or excluded id)."""
    from .events import event_by_id

    return [restriction_from_event(event_by_id(i)) for i in ids]


def check_stacking(restrictions: Sequence[BaseModel], group: str) -> None:
    """Shares of the products restricted at one time in one country may not exceed 100 %.

    A legacy restriction runs from the base year on; a dated one over ``[start, end)``.
    Restrictions of one product family count once, at their largest share. Checked at every
    start date, where the sum can rise.
    """
    from datetime import date as _date

    countries = load_countries()
    by_iso: dict[str, list] = {}
    for r in restrictions:
        mask_group = r.group or group
        codes = (countries.iso3[countries.region == mask_group] if mask_group in REGIONS
                 else mask_group.split(","))
        for c in codes:
            by_iso.setdefault(c, []).append(r)
    for iso, rs in sorted(by_iso.items()):
        if len(rs) < 2:
            continue
        starts = sorted({r.start_date or _date(2023, 1, 1) for r in rs})
        for t in starts:
            fam: dict[str, float] = {}
            for i, r in enumerate(rs):
                st, en = r.start_date or _date(2023, 1, 1), r.end_date
                if st <= t and (en is None or t < en):
                    key = r.family or f"#{i}"
                    fam[key] = max(fam.get(key, 0.0), r.restricted_share_pct)
            if sum(fam.values()) > 100.0 + 1e-9:
                raise ScenarioError(
                    f"restricted shares over 100 %: on {t.isoformat()} in {iso} the restricted products hold "
                    f"{sum(fam.values()):g} % of generative-AI value; allowed: at most 100 % per country and date "
                    "(restrictions of one product family count once)")


def _load_presets(path: Path) -> dict[str, Preset]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))["preset"]
    except (tomllib.TOMLDecodeError, KeyError) as exc:
        raise DeclarationError(f"{path.name}: {exc}") from None
    out = {}
    for name, item in raw.items():
        try:
            decl = _PresetDecl(**item)
            for k, v in decl.values.items():
                check_value(k, v)
                if PARAMETERS[k].scope != "scenario":
                    raise ValueError(f"{k} belongs in `restrictions`, not `values`")
            for k in decl.judgement:
                if k not in PARAMETERS:
                    raise ValueError(f"judgement names unknown parameter {k!r}")
            if decl.kind == "headline" and (decl.restrictions or decl.events):
                raise ValueError("a headline preset cannot declare restrictions or events")
            restrictions = tuple(event_restrictions(decl.events)) + tuple(
                validate_restriction(r) for r in decl.restrictions)
        except (ValidationError, ValueError) as exc:
            msg = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
            raise DeclarationError(f"{path.name}: preset {name!r}: {msg}") from None
        out[name] = Preset(name=name, kind=decl.kind, description=decl.description, source=decl.source,
                           values=dict(decl.values), judgement=decl.judgement, restrictions=restrictions,
                           events=decl.events, hypothetical=decl.hypothetical)
    return out


#: Every preset, keyed by name.
PRESETS: dict[str, Preset] = _load_presets(_HERE / "presets.toml")
#: The restriction a scenario holds when no restriction preset is applied (defaults: no loss).
DEFAULT_RESTRICTION = Restriction()


def preset(name: str) -> Preset:
    """Look up a preset by name, with a one-line error listing the valid names."""
    if not isinstance(name, str) or name not in PRESETS:
        raise ScenarioError(f"unknown preset {quoted(name)}; choose from: {', '.join(PRESETS)}")
    return PRESETS[name]


def parse_assignment(text: str) -> tuple[str, Any]:
    """Parse ``KEY=VALUE`` from the CLI or a URL, typed strictly by the parameter's declared kind."""
    if not isinstance(text, str) or "=" not in text:
        raise ScenarioError(f"--set {quoted(text)} is malformed: expected KEY=VALUE")
    key, raw = text.split("=", 1)
    key = key.strip()
    if "." in key:  # EVENT_ID.field: one event's restriction field
        eid, field_name = key.rsplit(".", 1)
        if field_name not in RESTRICTION_KEYS or not eid:
            raise ScenarioError(f"--set {quoted(text)}: expected EVENT_ID.FIELD=VALUE with FIELD one of "
                                + ", ".join(RESTRICTION_KEYS))
        spec = PARAMETERS[field_name]
        return key, KINDS[spec.kind].parse(spec, raw)
    if key not in PARAMETERS:
        raise ScenarioError(f"unknown parameter {quoted(key)}; list them with `python -m model params`")
    spec = PARAMETERS[key]
    return key, KINDS[spec.kind].parse(spec, raw)


# ----------------------------------------------------------------------------- scenario
_SCENARIO_FIELDS = ("model", "model_version", "data_vintage", "name", "presets", "parameters", "restrictions")


@dataclass(frozen=True)
class Scenario:
    """A fully resolved, validated scenario.

    ``params`` holds the scenario-wide parameters, ``restrictions`` the access restrictions (a
    tuple of :class:`Restriction`; at least one). Build one with :meth:`build` (presets, then
    overrides), or read one back from the JSON written by :meth:`to_json`. Two scenarios with
    equal ``params`` and ``restrictions`` give identical runs.

    Examples
    --------
    >>> s = Scenario.build(["jpmorgan-high", "eu-llama-multimodal"], {"substitution_pct": 60})
    >>> s.params.headline_usd_bn, s.restrictions[0].kind, s.restrictions[0].substitution_pct
    (10000.0, 'withheld', 60.0)
    """

    params: BaseModel
    restrictions: tuple[BaseModel, ...] = (DEFAULT_RESTRICTION,)
    presets: tuple[str, ...] = ()
    name: str = "default"
    overrides: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, presets: Sequence[str] = (), overrides: Mapping[str, Any] | None = None,
              name: str | None = None, base: "Scenario | None" = None,
              events: Sequence[Any] = ()) -> "Scenario":
        """Compose a scenario: ``base`` (or the defaults), each preset in order, the ``events``
        (shipped event ids, or :class:`model.events.Event` objects for custom events), then
        overrides.

        At most one headline preset; restriction presets and events add their restrictions (the
        first replaces the default restriction; an event already present is not added twice).
        An override ``KEY`` of a restriction field applies to every restriction;
        ``EVENT_ID.KEY`` to that event's restriction only.
        """
        if isinstance(presets, str):
            presets = [presets]
        presets = tuple(presets)
        all_presets = tuple(base.presets if base is not None else ()) + presets
        headlines = [p for p in all_presets if preset(p).kind == "headline"]
        if len(headlines) > 1:
            raise ScenarioError(f"two headline presets, {headlines[0]} and {headlines[1]}: choose one")
        values: dict[str, Any] = base.params.model_dump() if base is not None else {}
        restrictions = list(base.restrictions) if base is not None else [DEFAULT_RESTRICTION]
        from_presets = base is not None and any(PRESETS[p].kind == "restriction" for p in base.presets)
        def add(new: Sequence[BaseModel]) -> None:
            nonlocal restrictions, from_presets
            have = {r.event_id for r in restrictions if r.event_id} if from_presets else set()
            new = [r for r in new if not (r.event_id and r.event_id in have)]
            restrictions = (restrictions if from_presets else []) + list(new)
            from_presets = True

        for name_ in presets:
            pr = preset(name_)
            values.update(pr.values)
            if pr.restrictions:
                add(pr.restrictions)
        if events:
            from .events import Event

            add([restriction_from_event(e) if isinstance(e, Event) else event_restrictions([e])[0] for e in events])
        overrides = dict(overrides or {})
        per_event = {k: v for k, v in overrides.items() if isinstance(k, str) and "." in k}
        flat = {k: v for k, v in overrides.items() if k not in per_event}
        bad = next((k for k in flat if k not in PARAMETERS), None)
        if bad is not None:
            raise ScenarioError(f"unknown parameter {quoted(bad)}; list them with `python -m model params`")
        values.update({k: check_value(k, v) for k, v in flat.items() if PARAMETERS[k].scope == "scenario"})
        restr_over = {k: v for k, v in flat.items() if PARAMETERS[k].scope == "restriction"}
        if restr_over:
            restrictions = [validate_restriction({**r.model_dump(), **restr_over}) for r in restrictions]
        for key, v in per_event.items():
            eid, field_name = key.rsplit(".", 1)
            if field_name not in RESTRICTION_KEYS:
                raise ScenarioError(f"{quoted(key)}: {quoted(field_name)} is not a restriction field; allowed "
                                    + ", ".join(RESTRICTION_KEYS))
            hits = [i for i, r in enumerate(restrictions) if r.event_id == eid]
            if not hits:
                raise ScenarioError(f"{quoted(key)}: no event {quoted(eid)} in this scenario; allowed: "
                                    + (", ".join(r.event_id for r in restrictions if r.event_id) or "none"))
            for i in hits:
                restrictions[i] = validate_restriction({**restrictions[i].model_dump(), field_name: v})
        params = validate_parameters(values)
        try:
            check_stacking(restrictions, params.restricted_group)
        except ScenarioError as e:
            if "restricted_share_pct" not in restr_over or len(restrictions) < 2:
                raise
            # a flat share applies to every restriction: say so, and how to set one event's share
            raise ScenarioError(f"{e}; restricted_share_pct={restr_over['restricted_share_pct']:g} applies to each "
                                f"of the {len(restrictions)} restrictions: set one event's share with "
                                "EVENT_ID.restricted_share_pct") from None
        if name is not None:
            name = check_name(name, "name")
        if name is None:
            if base is not None and not presets and not overrides:
                name = base.name
            else:
                name = " + ".join(all_presets) if all_presets else "default"
                if overrides or (base is not None and base.overrides):
                    name += " (modified)"
        all_overrides = {**(base.overrides if base is not None else {}), **overrides}
        return cls(params=params, restrictions=tuple(restrictions), presets=all_presets, name=name,
                   overrides=all_overrides)

    @property
    def values(self) -> dict[str, Any]:
        """Scenario-wide values and the first restriction's fields, as one flat dict (declaration order).

        The flat view the app's controls, the URL and the Monte Carlo read; a restriction field
        changed through it applies to every restriction.
        """
        flat = {**self.params.model_dump(), **self.restrictions[0].model_dump(include=set(RESTRICTION_KEYS))}
        return {k: flat[k] for k in PARAMETERS}

    def changed(self) -> dict[str, Any]:
        """Flat values that differ from what the presets alone give."""
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
            "parameters": self.params.model_dump(),
            "restrictions": [r.model_dump(mode="json") for r in self.restrictions],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The scenario as JSON; :meth:`from_json` reads it back to the identical run."""
        return json.dumps(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(cls, d: Any) -> "Scenario":
        """Read a scenario dict back; raises :class:`ScenarioError` on anything malformed.

        Files written before restrictions became a list (the restriction fields flat in
        ``parameters``) are read as a scenario with one restriction.
        """
        if not isinstance(d, Mapping):
            raise ScenarioError("scenario must be a JSON object with a 'parameters' object")
        extra = [k for k in d if k not in _SCENARIO_FIELDS]
        if extra:
            raise ScenarioError(f"unknown scenario field {quoted(extra[0])}; allowed: {', '.join(_SCENARIO_FIELDS)}")
        params = d.get("parameters", {})
        presets = d.get("presets", [])
        if not isinstance(presets, list) or not all(isinstance(p, str) for p in presets):
            raise ScenarioError("scenario field 'presets' must be a list of preset names")
        name = check_name(d.get("name", "scenario"), "scenario field 'name'")
        if not isinstance(params, Mapping):
            raise ScenarioError("scenario field 'parameters' must be a mapping of parameter names to values")
        flat_restr = {k: v for k, v in params.items() if k in RESTRICTION_KEYS}
        scen = {k: v for k, v in params.items() if k not in RESTRICTION_KEYS}
        # Presets first, then the file's values, exactly as on the command line.
        built = cls.build(presets)
        values = {**built.params.model_dump(), **{k: check_value(k, v) for k, v in scen.items()}}
        validated = validate_parameters(values)
        if "restrictions" in d:
            if flat_restr:
                raise ScenarioError(f"{next(iter(flat_restr))} belongs in 'restrictions', not 'parameters'")
            rl = d["restrictions"]
            if not isinstance(rl, list) or not rl or len(rl) > 100:
                raise ScenarioError("scenario field 'restrictions' must be a list of 1 to 100 restriction objects")
            restrictions = tuple(validate_restriction(r) for r in rl)
        elif flat_restr:  # a file from before restrictions were a list: its flat levers, one legacy restriction
            restrictions = (validate_restriction({"label": "restriction (scenario file)", **flat_restr}),)
        else:
            restrictions = built.restrictions
        check_stacking(restrictions, validated.restricted_group)
        s = cls(params=validated, restrictions=restrictions, presets=tuple(presets), name=name)
        return cls(params=validated, restrictions=restrictions, presets=tuple(presets), name=name,
                   overrides=s.changed())

    @classmethod
    def from_json(cls, text: str) -> "Scenario":
        """Read the JSON written by :meth:`to_json` (the identical run)."""
        try:
            d = json.loads(text)
        except (json.JSONDecodeError, TypeError, RecursionError, ValueError) as exc:
            raise ScenarioError(f"scenario file is not valid JSON: {str(exc)[:MAX_QUOTED]}") from None
        return cls.from_dict(d)

    def with_values(self, **overrides: Any) -> "Scenario":
        """A copy with some values changed (validated)."""
        return Scenario.build((), overrides, name=None, base=self)

    def renamed(self, name: str) -> "Scenario":
        """The same scenario under another name (checked like any name)."""
        name = check_name(name, "name", max_len=300)
        return Scenario(params=self.params, restrictions=self.restrictions, presets=self.presets, name=name,
                        overrides=self.overrides)


def unused_keys(scenario: Scenario) -> set[str]:
    """Keys that do not matter in this scenario (their ``applies_when`` fails for every restriction;
    the legacy delay levers when no restriction is of kind legacy)."""
    out = set()
    if not any(r.kind == "legacy" for r in scenario.restrictions):
        out |= {"delay_years", "delay_indefinite"}
    for k, spec in PARAMETERS.items():
        if not spec.applies_when:
            continue
        if spec.scope == "restriction":
            ok = any(spec.applies({**scenario.params.model_dump(), **r.model_dump()}) for r in scenario.restrictions)
        else:
            ok = spec.applies(scenario.values)
        if not ok:
            out.add(k)
    return out


def relevant(spec: ParameterSpec, scenario: Scenario) -> bool:
    """Whether a parameter affects this scenario (its declared ``applies_when``)."""
    return spec.key not in unused_keys(scenario)

