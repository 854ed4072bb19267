"""The shipped restriction-events table (model/tables/events.csv) and its validation (model/events.py)."""

import ast
import importlib.util
from datetime import date

import pandas as pd
import pytest

from conftest import ROOT
from model.data import load_countries, table_path
from model.events import (
    KINDS,
    MECHANISMS,
    Event,
    ScenarioError,
    check_share_stacking,
    event_by_id,
    events_frame,
    events_touching,
    expand_countries,
    load_events,
    parse_event,
    read_events,
    validate_events,
)

REFERENCE_FILE = "genai_access_restrictions_2023_2026.csv"


def _build_module():
    spec = importlib.util.spec_from_file_location("build_events", ROOT / "data" / "build_events.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _ref_date(text: str):
    text = text.strip()
    if not text:
        return None
    return date.fromisoformat(text + "-01" if len(text) == 7 else text)


def _custom(**kw):
    base = dict(id="e1", countries="ITA", kind="outage", start_date="2023-03-01", end_date="2023-06-01",
                share_pct=50, substitution_pct=0, product_family="f1")
    base.update(kw)
    return parse_event(base, "test")


# ----------------------------------------------------------------------------- the build

def test_shipped_table_is_what_the_build_script_makes(reference):
    mod = _build_module()
    built = mod.render(mod.build(reference))
    shipped = table_path("events.csv").read_text(encoding="utf-8")
    assert built == shipped, "model/tables/events.csv is stale or hand-edited: run data/build_events.py"


def test_curation_covers_exactly_the_reference_rows(reference):
    mod = _build_module()
    ref = pd.read_csv(reference / REFERENCE_FILE, dtype=str, keep_default_na=False)
    assert set(mod.CURATION) == set(ref.id)


def test_all_reference_events_kept_with_their_dates(reference):
    ref = pd.read_csv(reference / REFERENCE_FILE, dtype=str, keep_default_na=False)
    assert len(ref) == 34
    events = {e.id: e for e in load_events()}
    assert set(events) == set(ref.id)
    for r in ref.itertuples():
        e = events[r.id]
        assert e.start_date == _ref_date(r.date_start), r.id
        assert e.end_date == _ref_date(r.date_end), r.id
        assert e.start_precision == ("month" if len(r.date_start) == 7 else "day")
        assert e.product == r.product and e.vendor == r.vendor and e.reference_kind == r.kind
        assert e.reference_jurisdiction == r.jurisdiction
        assert " | ".join(e.sources) == r.source_urls
        if r.id != "us-bis-ai-diffusion-rule-2025":  # the one jurisdiction written in prose
            assert e.countries == r.jurisdiction, r.id


# ----------------------------------------------------------------------------- inclusion rules

def test_every_event_has_a_mechanism_or_a_stated_exclusion_reason():
    events = load_events()
    assert len(events) == 34
    for e in events:
        assert e.kind in KINDS
        if e.included:
            assert e.kind in MECHANISMS, e.id
            assert e.share_pct is not None and e.substitution_pct is not None, e.id
            assert e.caused_by is None and e.confidence_level != "low", e.id
            assert not (e.status == "end_unknown" and e.assumed_end_date is None), e.id
            assert e.judgement and e.rationale.startswith("Judgement"), e.id
            assert e.distribution == "triangular" and e.common_factor, e.id
        else:
            assert e.exclusion_reason and e.exclusion_reason.strip(), e.id
        # the listing says one or the other
        assert e.mechanism_or_exclusion().startswith(e.kind if e.included else "excluded: ")


def test_exclusion_rules_applied_to_the_shipped_rows():
    for e in load_events():
        if e.kind not in MECHANISMS:
            assert not e.included and "no mechanism" in e.exclusion_reason, e.id
        if e.caused_by:
            assert not e.included and f"caused_by {e.caused_by}" in e.exclusion_reason
            event_by_id(e.caused_by)  # points at a real row
        if e.confidence_level == "low":
            assert not e.included and "LOW/UNVERIFIED" in e.exclusion_reason, e.id
        if e.status == "end_unknown" and e.assumed_end_date is None and e.kind in MECHANISMS:
            assert not e.included and "end_unknown" in e.exclusion_reason, e.id
    # the reference's own warning: LOW/UNVERIFIED rows stay out of any default scenario
    for rid in ("openai-operator-eu-delay-2025", "chatgpt-memory-eu-delay-2024", "ms-copilot-vision-windows-eu-2025"):
        assert not event_by_id(rid).included
    # Meta's training pause is counted once, through the Meta AI delay
    assert not event_by_id("meta-ai-training-pause-eu-2024").included
    assert event_by_id("meta-ai-assistant-eu-delay").included


def test_status_matches_the_dates():
    for e in load_events():
        assert (e.status == "ended") == (e.end_date is not None), e.id
        if e.kind == "withheld":
            assert e.end_date is None
        assert e.status_basis, e.id


def test_ranges_are_ordered_and_in_percent():
    n = 0
    for e in load_events():
        if e.share_pct is None:
            continue
        n += 1
        assert 0 <= e.share_low_pct <= e.share_pct <= e.share_high_pct <= 100, e.id
        assert 0 <= e.substitution_low_pct <= e.substitution_pct <= e.substitution_high_pct <= 100, e.id
        assert e.share_low_pct < e.share_high_pct and e.substitution_low_pct < e.substitution_high_pct, e.id
    assert n == sum(e.included for e in load_events())


# ----------------------------------------------------------------------------- preset events

def test_the_restriction_presets_real_events_are_present():
    llama32 = event_by_id("meta-multimodal-llama-eu-withheld-2024")
    llama4 = event_by_id("meta-llama4-eu-exclusion-2025")
    assert (llama32.start_date, llama32.end_date, llama32.kind) == (date(2024, 9, 25), None, "withheld")
    assert (llama4.start_date, llama4.end_date, llama4.kind) == (date(2025, 4, 5), None, "withheld")
    assert llama32.product_family == llama4.product_family
    assert llama32.status == llama4.status == "in_force_verified"

    apple = event_by_id("apple-intelligence-eu-iphone-delay")
    assert (apple.start_date, apple.end_date, apple.kind) == (date(2024, 10, 28), date(2025, 3, 31), "delay")

    meta = event_by_id("meta-ai-assistant-eu-delay")
    assert (meta.start_date, meta.end_date, meta.kind) == (date(2023, 9, 27), date(2025, 3, 20), "delay")

    italy = event_by_id("ita-garante-chatgpt-ban-2023")
    assert (italy.start_date, italy.end_date, italy.kind) == (date(2023, 3, 30), date(2023, 4, 28), "outage")
    assert italy.iso3 == ("ITA",)

    for e in (llama32, llama4, apple, meta, italy):
        assert e.included and e.countries in ("EU27", "ITA")
        assert set(e.iso3) <= set(load_countries().iso3)


def test_unknown_event_id_is_rejected():
    with pytest.raises(ScenarioError, match="unknown id"):
        event_by_id("no-such-event")


# ----------------------------------------------------------------------------- countries

def test_country_sets_expand_from_the_country_table():
    c = load_countries()
    eu27 = set(c.loc[c.eu27 == 1, "iso3"])
    assert set(expand_countries("EU27", c)) == eu27 and len(eu27) == 27
    eea = expand_countries("EEA", c)
    assert set(eea) == eu27 | {"ISL", "LIE", "NOR"} and len(eea) == 30
    assert set(expand_countries("EEA+CH", c)) == set(eea) | {"CHE"}
    assert set(expand_countries("EEA+CH+GBR", c)) == set(eea) | {"CHE", "GBR"}
    assert set(expand_countries("EU27+GBR", c)) == eu27 | {"GBR"}
    assert expand_countries("AUT;BEL;DEU", c) == ("AUT", "BEL", "DEU")
    assert expand_countries("ITA", c) == ("ITA",)
    with pytest.raises(ScenarioError, match="XYZ"):
        expand_countries("EU27;XYZ", c)
    with pytest.raises(ScenarioError):
        expand_countries("", c)


def test_events_touching_a_group():
    eu = {e.id for e in events_touching({"DEU"})}
    assert "meta-ai-assistant-eu-delay" in eu and "google-ai-overviews-eu8-delay" in eu
    assert "google-ai-overviews-fra-delay" not in eu and "chn-chatgpt-blocked" not in eu
    ita = events_touching({"ITA"})
    assert "ita-garante-chatgpt-ban-2023" in {e.id for e in ita}
    assert [e.start_date for e in ita] == sorted(e.start_date for e in ita)
    chn = {e.id for e in events_touching({"CHN"})}
    assert {"chn-chatgpt-blocked", "us-bis-advanced-chip-controls-2022"} <= chn
    c = load_countries()
    eu27 = set(c.loc[c.eu27 == 1, "iso3"])
    in_eu = {e.id for e in events_touching(eu27)}
    # the reference's 27 EU/EEA/member-state rows, plus the US diffusion rule (it named EU Tier-2 states)
    assert len(in_eu) == 28 and "us-bis-ai-diffusion-rule-2025" in in_eu
    outside = {"chn-chatgpt-blocked", "openai-api-block-china-2024", "us-bis-advanced-chip-controls-2022",
               "aus-deepseek-government-devices-2025", "twn-deepseek-public-sector-2025", "idn-mys-grok-block-2026"}
    assert not in_eu & outside


def test_events_frame_lists_status_mechanism_and_confidence():
    df = events_frame()
    assert len(df) == 34 and df.id.is_unique
    for col in ("id", "label", "kind", "start", "end", "status", "included", "mechanism_or_exclusion", "confidence"):
        assert col in df.columns
    excl = df[~df.included]
    assert excl.mechanism_or_exclusion.str.startswith("excluded: ").all()
    assert df[df.included].mechanism_or_exclusion.str.split(":").str[0].isin(list(MECHANISMS)).all()


# ----------------------------------------------------------------------------- share stacking

def test_shipped_included_events_do_not_stack_over_100():
    events = load_events()
    check_share_stacking(events)
    check_share_stacking(events, value="share_high_pct")


def test_shares_over_100_in_one_country_are_rejected():
    a = _custom(id="a", share_pct=60, product_family="fa")
    b = _custom(id="b", share_pct=50, product_family="fb", start_date="2023-04-01", end_date="2023-05-01")
    with pytest.raises(ScenarioError) as err:
        check_share_stacking([a, b])
    msg = str(err.value)
    assert "\n" not in msg and "ITA" in msg and "110 %" in msg and "2023-04-01" in msg
    # not at the same time, or not in the same country: fine
    check_share_stacking([a, _custom(id="b", share_pct=50, product_family="fb", start_date="2023-06-01",
                                     end_date="2023-07-01")])
    check_share_stacking([a, _custom(id="b", share_pct=50, product_family="fb", countries="FRA")])
    # an open-ended withheld event stacks with everything after its start
    w = _custom(id="w", kind="withheld", end_date="", share_pct=50, product_family="fw", start_date="2023-01-01")
    with pytest.raises(ScenarioError, match="ITA"):
        check_share_stacking([a, w])
    # excluded events do not count
    w_out = _custom(id="w", kind="withheld", end_date="", share_pct=50, product_family="fw",
                    start_date="2023-01-01", included=False, exclusion_reason="test")
    check_share_stacking([a, w_out])


def test_shares_of_one_product_family_do_not_stack():
    v1 = _custom(id="v1", share_pct=60, product_family="model")
    v2 = _custom(id="v2", share_pct=50, product_family="model", start_date="2023-04-01")
    check_share_stacking([v1, v2])  # 60, not 110
    other = _custom(id="o", share_pct=45, product_family="other", start_date="2023-04-15", end_date="2023-04-20")
    with pytest.raises(ScenarioError, match="105 %"):
        check_share_stacking([v1, v2, other])  # max(60, 50) + 45
    check_share_stacking([v1, v2, _custom(id="o", share_pct=40, product_family="other")])  # 100 exactly


# ----------------------------------------------------------------------------- bad rows

@pytest.mark.parametrize("field, value, expect", [
    ("end_date", "2023-03-01", "end_date"),        # before the start (2023-03-30)
    ("share_pct", "120", "share_pct"),
    ("countries", "EU27;XYZ", "countries"),
    ("substitution_low_pct", "90", "substitution_low_pct"),  # above the central 65
    ("kind", "ban", "kind"),
    ("start_date", "30/03/2023", "start_date"),
    ("status", "in_force_verified", "status"),     # but it has an end date
])
def test_bad_event_rows_are_rejected_naming_the_field(tmp_path, field, value, expect):
    df = pd.read_csv(table_path("events.csv"), dtype=str, keep_default_na=False)
    i = df.index[df.id == "ita-garante-chatgpt-ban-2023"][0]
    df.loc[i, field] = value
    path = tmp_path / "events.csv"
    df.to_csv(path, index=False)
    with pytest.raises(ValueError) as err:
        read_events(path, "events.csv")
    msg = str(err.value)
    assert isinstance(err.value, ScenarioError)
    assert "\n" not in msg
    assert "'ita-garante-chatgpt-ban-2023'" in msg and f"field {expect} " in msg and value in msg
    assert "is not allowed:" in msg


def test_a_clean_copy_of_the_table_reads_back(tmp_path):
    df = pd.read_csv(table_path("events.csv"), dtype=str, keep_default_na=False)
    path = tmp_path / "events.csv"
    df.to_csv(path, index=False)
    assert read_events(path) == load_events()


def test_inclusion_needs_an_end_or_an_assumed_end():
    kw = dict(kind="outage", end_date="", status="end_unknown")
    with pytest.raises(ScenarioError, match="field included"):
        _custom(**kw)
    e = _custom(**kw, assumed_end_date="2024-01-01")
    assert e.included and e.effective_end == date(2024, 1, 1)
    with pytest.raises(ScenarioError, match="field assumed_end_date"):
        _custom(**kw, assumed_end_date="2022-01-01")
    with pytest.raises(ScenarioError, match="field included"):
        _custom(kind="training_pause", share_pct="", substitution_pct="")
    with pytest.raises(ScenarioError, match="field exclusion_reason"):
        _custom(included=False)
    with pytest.raises(ScenarioError, match="field included"):
        _custom(confidence_level="low")
    with pytest.raises(ScenarioError, match="field end_date"):
        _custom(kind="withheld", end_date="2023-06-01")


def test_duplicate_ids_and_unknown_caused_by_are_rejected():
    row = load_events()[1].to_record()
    with pytest.raises(ScenarioError, match="field id"):
        validate_events([row, row])
    with pytest.raises(ScenarioError, match="field caused_by"):
        validate_events([{**row, "caused_by": "nowhere", "included": False, "exclusion_reason": "x"}])


def test_events_round_trip_through_json_records():
    for e in load_events():
        assert parse_event(e.to_record()) == e
    custom = _custom(kind="withheld", start_date="2027-01", end_date="")
    assert custom.start_precision == "month" and custom.start_date == date(2027, 1, 1)


def test_event_is_frozen_and_strict():
    e = load_events()[0]
    with pytest.raises(Exception):
        e.share_pct = 5.0  # frozen
    with pytest.raises(Exception):
        Event.model_validate({**e.model_dump(), "start_date": "2023-01-01"})  # strict: no str -> date


# ----------------------------------------------------------------------------- module hygiene

def test_events_module_reads_only_shipped_data_and_imports_only_the_allowed_libraries():
    src = (ROOT / "model" / "events.py").read_text()
    assert "shared" not in src.replace("share", "")
    tree = ast.parse(src)
    top = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            top |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            top.add(node.module.split(".")[0])
    assert top <= {"__future__", "math", "datetime", "functools", "typing", "numpy", "pandas", "pydantic",
                   "pydantic_core"}, top
