"""Access-restriction events as data: the shipped timeline ``model/tables/events.csv``.

Each :class:`Event` is one dated restriction of a generative-AI product for a set of
countries (a regulator's ban, a launch delay, a product withheld until further notice),
with the model's parameters for it: the share of the hit countries' generative-AI value
tied to the product at the time, and the substitution rate (value recovered through
alternatives and circumvention), each with a low/high range, a distribution for the Monte
Carlo and a one-line rationale. The table is curated from a sourced reference timeline by
``data/build_events.py``; what was taken, what was left out of losses and why, and which
values are judgement is in ``data/README.md``.

Kinds with a mechanism (see :data:`MECHANISMS`): ``outage``, ``delay``, ``withheld``. Other
kinds (a training-data pause, an export control, a removal request, ...) stay visible in
the timeline and never count in losses.

Dates: ``end_date`` is the first day the product was available again (or at last) in the
hit countries, so an event covers ``start_date <= t < end_date``; a month-level source
date is read as the 1st of the month (``*_precision = "month"``).

This module uses numpy/pandas/pydantic only and reads nothing but the shipped table.
"""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache
from typing import Any, Iterable, Literal, Mapping

import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .data import load_countries, table_path
from .errors import ScenarioError

#: Kinds the model turns into lost value, with what each stands for.
MECHANISMS: dict[str, str] = {
    "outage": "outage: a product in use is blocked; share x (1 - substitution) of the value in use is lost "
              "from start to end, nothing before or after",
    "delay": "delay: launched elsewhere on the start date, reaches the hit countries on the end date; they run "
             "behind by end - start, the gap then closes at the catch-up speed",
    "withheld": "withheld: no end date; share x (1 - substitution) of the value in use is lost from the start "
                "date until an assumed end (the user's, by default beyond the horizon)",
}
#: Kinds kept in the timeline that have no mechanism in the model (never counted in losses).
NO_MECHANISM_KINDS: tuple[str, ...] = (
    "training_pause", "export_control", "government_device_ban", "removal_request", "fine", "investigation",
)
KINDS: tuple[str, ...] = tuple(MECHANISMS) + NO_MECHANISM_KINDS
STATUSES: tuple[str, ...] = ("ended", "in_force_verified", "end_unknown")

Kind = Literal["outage", "delay", "withheld", "training_pause", "export_control", "government_device_ban",
               "removal_request", "fine", "investigation"]

#: European Economic Area members outside the EU.
EEA_EXTRA: tuple[str, ...] = ("ISL", "LIE", "NOR")
_ALIASES = {"CH": "CHE"}
_COUNTRIES_ALLOWED = ("EU27, EEA (= EU27 + ISL, LIE, NOR), CH, or ISO3 codes of model/tables/countries.csv, "
                      "joined by '+' or ';' (e.g. EEA+CH+GBR, AUT;BEL)")

_VALUE_FIELDS = ("share_low_pct", "share_pct", "share_high_pct",
                 "substitution_low_pct", "substitution_pct", "substitution_high_pct")
_DATE_FIELDS = ("start_date", "end_date", "assumed_end_date")
_BOOL_FIELDS = ("judgement", "included")
_TUPLE_FIELDS = ("sources", "value_sources")


# --------------------------------------------------------------------------- countries

def expand_countries(spec: str, countries_df: pd.DataFrame) -> tuple[str, ...]:
    """The ISO3 codes of a hit-set spec, sorted.

    ``EU27`` is read from the ``eu27`` column of the country table; ``EEA`` is EU27 + ISL, LIE,
    NOR; ``CH`` is CHE; any other term must be an ISO3 code of the table. Terms are joined by
    ``+`` or ``;`` (``EEA+CH+GBR``, ``EU27+GBR``, ``AUT;BEL;DEU``) and their union is returned.
    Raises :class:`ScenarioError` naming the unknown term.
    """
    if not isinstance(spec, str) or not spec.strip():
        raise ScenarioError(f"countries {spec!r}: empty; allowed: {_COUNTRIES_ALLOWED}")
    known = set(countries_df["iso3"])
    eu27 = set(countries_df.loc[countries_df["eu27"].astype(int) == 1, "iso3"])
    out: set[str] = set()
    for term in spec.replace(";", "+").split("+"):
        t = term.strip().upper()
        t = _ALIASES.get(t, t)
        if t == "EU27":
            out |= eu27
        elif t == "EEA":
            out |= eu27 | set(EEA_EXTRA)
        elif t in known:
            out.add(t)
        else:
            raise ScenarioError(f"countries {spec!r}: unknown term {term.strip()!r}; allowed: {_COUNTRIES_ALLOWED}")
    missing = out - known
    if missing:  # EEA members absent from the table
        raise ScenarioError(f"countries {spec!r}: {sorted(missing)} not in model/tables/countries.csv")
    return tuple(sorted(out))


@lru_cache(maxsize=512)
def _expand_default(spec: str) -> tuple[str, ...]:
    return expand_countries(spec, load_countries())


# --------------------------------------------------------------------------- the model

def _bad(field: str, value: Any, allowed: str) -> PydanticCustomError:
    return PydanticCustomError("event_field", "{field} = {value} is not allowed: {allowed}",
                               {"field": field, "value": repr(value), "allowed": allowed})


class Event(BaseModel):
    """One dated restriction event (a row of ``model/tables/events.csv``). Percentages in %."""

    model_config = ConfigDict(frozen=True, strict=True, extra="forbid")

    id: str
    label: str
    product: str = ""
    vendor: str = ""
    product_family: str
    countries: str
    reference_jurisdiction: str = ""
    kind: Kind
    reference_kind: str = ""
    start_date: date
    start_precision: Literal["day", "month"] = "day"
    end_date: date | None = None
    end_precision: Literal["day", "month"] | None = None
    status: Literal["ended", "in_force_verified", "end_unknown"]
    status_basis: str = ""
    assumed_end_date: date | None = None
    share_pct: float | None = None
    share_low_pct: float | None = None
    share_high_pct: float | None = None
    substitution_pct: float | None = None
    substitution_low_pct: float | None = None
    substitution_high_pct: float | None = None
    distribution: Literal["triangular", "fixed"] | None = None
    common_factor: str | None = None
    judgement: bool = True
    rationale: str = ""
    value_sources: tuple[str, ...] = ()
    caused_by: str | None = None
    included: bool = True
    exclusion_reason: str | None = None
    confidence_level: Literal["high", "medium", "low"] = "medium"
    confidence: str = ""
    stated_reason: str = ""
    sources: tuple[str, ...] = ()

    @field_validator("id")
    @classmethod
    def _id_ok(cls, v: str) -> str:
        if not v or not all(c.isalnum() or c in "-_." for c in v):
            raise PydanticCustomError("event_field", "{field} = {value} is not allowed: {allowed}",
                                      {"field": "id", "value": repr(v),
                                       "allowed": "a non-empty slug of letters, digits, '-', '_' or '.'"})
        return v

    @field_validator("countries")
    @classmethod
    def _countries_ok(cls, v: str) -> str:
        try:
            _expand_default(v)
        except ScenarioError as exc:
            raise _bad("countries", v, str(exc).split(": ", 1)[-1]) from None
        return v

    @model_validator(mode="after")
    def _consistent(self) -> "Event":
        # dates
        if self.end_date is not None and self.end_date < self.start_date:
            raise _bad("end_date", self.end_date.isoformat(), f"a date on or after start_date {self.start_date}")
        if (self.end_date is None) != (self.end_precision is None):
            raise _bad("end_precision", self.end_precision, "'day' or 'month' with an end_date, empty without")
        if self.assumed_end_date is not None:
            if self.assumed_end_date < self.start_date:
                raise _bad("assumed_end_date", self.assumed_end_date.isoformat(),
                           f"a date on or after start_date {self.start_date}")
            if self.status != "end_unknown":
                raise _bad("assumed_end_date", self.assumed_end_date.isoformat(), "only for status end_unknown")
        # status and kind against the dates
        if self.status == "ended" and self.end_date is None:
            raise _bad("status", self.status, "'ended' needs an end_date")
        if self.status != "ended" and self.end_date is not None:
            raise _bad("status", self.status, "'ended' for an event with an end_date")
        if self.kind == "withheld" and self.end_date is not None:
            raise _bad("end_date", self.end_date.isoformat(),
                       "empty for kind withheld (a product that arrived later is a delay, a lifted block an outage)")
        if self.kind in ("outage", "delay") and self.end_date is None and self.status == "in_force_verified":
            raise _bad("kind", self.kind, "withheld for an event in force with no end date")
        # values
        vals = [getattr(self, f) for f in _VALUE_FIELDS]
        if any(v is not None for v in vals):
            order = ("share_pct", "share_low_pct", "share_high_pct",
                     "substitution_pct", "substitution_low_pct", "substitution_high_pct")
            for f in order:
                v = getattr(self, f)
                if v is None:
                    raise _bad(f, None, "a number from 0 to 100 (%) when any share or substitution value is given")
                if not (math.isfinite(v) and 0.0 <= v <= 100.0):
                    raise _bad(f, v, "a number from 0 to 100 (%)")
            for name in ("share", "substitution"):
                low, mid, high = (getattr(self, f"{name}_low_pct"), getattr(self, f"{name}_pct"),
                                  getattr(self, f"{name}_high_pct"))
                if not low <= mid:
                    raise _bad(f"{name}_low_pct", low, f"at most {name}_pct ({mid:g})")
                if not mid <= high:
                    raise _bad(f"{name}_high_pct", high, f"at least {name}_pct ({mid:g})")
            if self.distribution is None:
                raise _bad("distribution", None, "triangular or fixed when values are given")
            if self.distribution == "fixed" and (self.share_low_pct != self.share_high_pct
                                                 or self.substitution_low_pct != self.substitution_high_pct):
                raise _bad("distribution", "fixed", "triangular when low and high differ")
        elif self.distribution is not None:
            raise _bad("distribution", self.distribution, "empty when no values are given")
        # inclusion in losses
        if self.caused_by is not None and self.caused_by == self.id:
            raise _bad("caused_by", self.caused_by, "the id of another event")
        if self.included:
            if self.kind not in MECHANISMS:
                raise _bad("included", True, f"false for kind {self.kind} (no mechanism)")
            if self.share_pct is None:
                raise _bad("share_pct", None, "a number from 0 to 100 (%) for an event included in losses")
            if self.caused_by is not None:
                raise _bad("included", True, f"false for an event caused by {self.caused_by}")
            if self.end_date is None and self.status == "end_unknown" and self.assumed_end_date is None:
                raise _bad("included", True, "false for status end_unknown without an assumed_end_date")
            if self.confidence_level == "low":
                raise _bad("included", True, "false for LOW/UNVERIFIED confidence")
        elif not self.exclusion_reason:
            raise _bad("exclusion_reason", self.exclusion_reason, "a stated reason when included is false")
        return self

    # ----------------------------------------------------------------- derived
    @property
    def iso3(self) -> tuple[str, ...]:
        """The ISO3 codes the event hits."""
        return _expand_default(self.countries)

    @property
    def has_mechanism(self) -> bool:
        return self.kind in MECHANISMS

    @property
    def effective_end(self) -> date | None:
        """``end_date``, else ``assumed_end_date``, else None (open: the user's assumed end year)."""
        return self.end_date or self.assumed_end_date

    def mechanism_or_exclusion(self) -> str:
        """One line for listings: the mechanism of an included event, or why it is excluded."""
        if self.included:
            return MECHANISMS[self.kind]
        return f"excluded: {self.exclusion_reason}"

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict that :func:`parse_event` reads back to an equal event."""
        return self.model_dump(mode="json")


# --------------------------------------------------------------------------- parsing

def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and math.isnan(v))


def _parse_date(field: str, v: Any) -> tuple[date | None, str | None]:
    if _blank(v):
        return None, None
    if isinstance(v, date):
        return v, "day"
    if isinstance(v, str):
        t = v.strip()
        try:
            if len(t) == 7 and t[4] == "-":  # YYYY-MM: month-level, read as the 1st of the month
                return date.fromisoformat(t + "-01"), "month"
            if len(t) == 10:
                return date.fromisoformat(t), "day"
        except ValueError:
            pass
    raise _FieldError(field, v, "an ISO date YYYY-MM-DD (or YYYY-MM, read as the 1st of the month)")


def _parse_float(field: str, v: Any) -> float | None:
    if _blank(v):
        return None
    if isinstance(v, bool):
        raise _FieldError(field, v, "a number from 0 to 100 (%)")
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise _FieldError(field, v, "a number from 0 to 100 (%)") from None
    if not math.isfinite(x):
        raise _FieldError(field, v, "a number from 0 to 100 (%)")
    return x


def _parse_bool(field: str, v: Any) -> bool | None:
    if _blank(v):
        return None
    if isinstance(v, bool):
        return v
    t = str(v).strip().lower()
    if t in ("true", "1", "yes"):
        return True
    if t in ("false", "0", "no"):
        return False
    raise _FieldError(field, v, "true or false")


class _FieldError(Exception):
    def __init__(self, field: str, value: Any, allowed: str):
        super().__init__(field)
        self.field, self.value, self.allowed = field, value, allowed


def _message(where: str, eid: str, field: str, value: Any, allowed: str) -> str:
    msg = f"{where}: event {eid!r}: field {field} = {value} is not allowed: {allowed}"
    return " ".join(msg.split())  # one line


def parse_event(record: Mapping[str, Any], where: str = "events") -> Event:
    """Validate one event from strings (a CSV row) or JSON values; raise :class:`ScenarioError`.

    Blank cells are absent values. For a custom event only ``id``, ``countries``, ``kind``,
    ``start_date`` and, if it is to count in losses, ``share_pct`` and ``substitution_pct``
    are needed: ``label`` and ``product_family`` default to the id, the low/high values to
    the central one (``distribution`` ``fixed``), ``status`` to ``ended`` with an end date
    and ``in_force_verified`` without one (``status_basis`` then says it is the user's), and
    ``judgement`` and ``included`` to true. The message names the event id, the field, the
    value and what is allowed, on one line.
    """
    rec = {k: v for k, v in dict(record).items() if not _blank(v)}
    eid = str(rec.get("id", "?"))
    try:
        unknown = sorted(set(rec) - set(Event.model_fields))
        if unknown:
            raise _FieldError(unknown[0], rec[unknown[0]], "one of " + ", ".join(Event.model_fields))
        out: dict[str, Any] = {}
        for k, v in rec.items():
            if k in _DATE_FIELDS:
                d, prec = _parse_date(k, v)
                out[k] = d
                if k == "start_date" and "start_precision" not in rec:
                    out["start_precision"] = prec
                if k == "end_date" and "end_precision" not in rec:
                    out["end_precision"] = prec
            elif k in _VALUE_FIELDS:
                out[k] = _parse_float(k, v)
            elif k in _BOOL_FIELDS:
                out[k] = _parse_bool(k, v)
            elif k in _TUPLE_FIELDS:
                items = v.split(" | ") if isinstance(v, str) else list(v)
                out[k] = tuple(str(s).strip() for s in items if str(s).strip())
            else:
                out[k] = v if not isinstance(v, str) else v.strip()
        for req in ("id", "countries", "kind", "start_date"):
            if req not in out:
                raise _FieldError(req, None, "a value (required)")
        out.setdefault("label", out["id"])
        out.setdefault("product_family", out["id"])
        for name in ("share", "substitution"):
            if f"{name}_pct" in out:
                out.setdefault(f"{name}_low_pct", out[f"{name}_pct"])
                out.setdefault(f"{name}_high_pct", out[f"{name}_pct"])
        if "share_pct" in out and "distribution" not in out:
            ranged = any(out.get(f"{n}_low_pct") != out.get(f"{n}_high_pct") for n in ("share", "substitution"))
            out["distribution"] = "triangular" if ranged else "fixed"
        if "status" not in out:
            out["status"] = "ended" if out.get("end_date") else "in_force_verified"
            out.setdefault("status_basis", "stated by the user (custom event)")
        return Event(**out)
    except _FieldError as e:
        raise ScenarioError(_message(where, eid, e.field, repr(e.value), e.allowed)) from None
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        if err["type"] == "event_field":
            ctx = err["ctx"]
            raise ScenarioError(_message(where, eid, ctx["field"], ctx["value"], ctx["allowed"])) from None
        field = ".".join(str(p) for p in err["loc"]) or "?"
        allowed = err["msg"].removeprefix("Value error, ")
        raise ScenarioError(_message(where, eid, field, repr(err.get("input")), allowed)) from None


def read_events(source: Any, where: str = "events") -> tuple[Event, ...]:
    """Read and validate an events CSV (path or file object); ids unique, ``caused_by`` known."""
    try:
        df = pd.read_csv(source, dtype=str, keep_default_na=False)
    except Exception as exc:  # malformed file
        raise ScenarioError(f"{where}: not a readable CSV ({type(exc).__name__}: {exc})".replace("\n", " ")) from None
    return validate_events((r for r in df.to_dict("records")), where)


def validate_events(records: Iterable[Mapping[str, Any]], where: str = "events") -> tuple[Event, ...]:
    """Validate a sequence of event records as one set (unique ids, known ``caused_by``)."""
    events = tuple(parse_event(r, where) for r in records)
    seen: set[str] = set()
    for e in events:
        if e.id in seen:
            raise ScenarioError(_message(where, e.id, "id", repr(e.id), "an id not used by another event"))
        seen.add(e.id)
    for e in events:
        if e.caused_by is not None and e.caused_by not in seen:
            raise ScenarioError(_message(where, e.id, "caused_by", repr(e.caused_by), "the id of another event"))
    return events


@lru_cache(maxsize=1)
def load_events() -> tuple[Event, ...]:
    """The shipped events (``model/tables/events.csv``), validated; cached."""
    with table_path("events.csv").open("r", encoding="utf-8") as fh:
        return read_events(fh, "model/tables/events.csv")


def event_by_id(event_id: str, events: Iterable[Event] | None = None) -> Event:
    """The event with this id, or :class:`ScenarioError` listing the known ids."""
    pool = tuple(load_events() if events is None else events)
    for e in pool:
        if e.id == event_id:
            return e
    raise ScenarioError(f"event {event_id!r}: unknown id; allowed: " + ", ".join(e.id for e in pool))


def events_touching(group_iso3: set[str], events: Iterable[Event] | None = None) -> list[Event]:
    """Every event (included or not) that hits at least one of the countries, by start date."""
    group = {g.upper() for g in group_iso3}
    pool = load_events() if events is None else events
    return sorted((e for e in pool if group.intersection(e.iso3)), key=lambda e: (e.start_date, e.id))


def events_frame(events: Iterable[Event] | None = None) -> pd.DataFrame:
    """A listing of events: dates, kind, status, mechanism or exclusion reason, confidence."""
    pool = list(load_events() if events is None else events)
    rows = [{
        "id": e.id,
        "label": e.label,
        "kind": e.kind,
        "countries": e.countries,
        "start": e.start_date.isoformat(),
        "end": e.end_date.isoformat() if e.end_date else "",
        "assumed_end": e.assumed_end_date.isoformat() if e.assumed_end_date else "",
        "status": e.status,
        "included": e.included,
        "share_pct": e.share_pct,
        "substitution_pct": e.substitution_pct,
        "mechanism_or_exclusion": e.mechanism_or_exclusion(),
        "confidence": e.confidence_level,
        "confidence_note": e.confidence,
    } for e in pool]
    cols = ["id", "label", "kind", "countries", "start", "end", "assumed_end", "status", "included",
            "share_pct", "substitution_pct", "mechanism_or_exclusion", "confidence", "confidence_note"]
    return pd.DataFrame(rows, columns=cols)


# --------------------------------------------------------------------------- stacking

def check_share_stacking(events: Iterable[Event], countries: pd.DataFrame | None = None,
                         value: str = "share_pct") -> None:
    """Reject included events whose shares exceed 100 % in one country at one date.

    An event restricts its countries from ``start_date`` to the day before its end
    (``end_date``, else ``assumed_end_date``, else open). Within one ``product_family`` the
    shares do not add: the family counts once, at its largest active share. ``value`` picks
    the central (``share_pct``) or the high (``share_high_pct``) value. Raises
    :class:`ScenarioError` with a one-line message naming the country, the date and events.
    """
    if value not in ("share_pct", "share_low_pct", "share_high_pct"):
        raise ValueError(f"value {value!r}: allowed share_pct, share_low_pct, share_high_pct")
    pool = [e for e in events if e.included and e.has_mechanism and getattr(e, value) is not None]
    by_country: dict[str, list[Event]] = {}
    for e in pool:
        codes = e.iso3 if countries is None else expand_countries(e.countries, countries)
        for iso in codes:
            by_country.setdefault(iso, []).append(e)
    worst: tuple | None = None
    for iso in sorted(by_country):
        evs = by_country[iso]
        for t in sorted({e.start_date for e in evs}):
            active = [e for e in evs if e.start_date <= t and (e.effective_end is None or t < e.effective_end)]
            fam: dict[str, Event] = {}
            for e in active:
                if e.product_family not in fam or getattr(e, value) > getattr(fam[e.product_family], value):
                    fam[e.product_family] = e
            total = sum(getattr(e, value) for e in fam.values())
            if total > 100.0 + 1e-9 and (worst is None or (t, iso) < (worst[0], worst[1])):
                worst = (t, iso, total, sorted(fam.values(), key=lambda e: e.id))
    if worst is not None:
        t, iso, total, parts = worst
        listed = ", ".join(f"{e.id} {getattr(e, value):g} %" for e in parts)
        raise ScenarioError(
            f"event shares over 100 %: on {t.isoformat()} in {iso} the restricted products hold {total:g} % of "
            f"generative-AI value ({listed}); allowed: at most 100 % per country and date "
            f"(events of one product_family count once, at their largest share)")
