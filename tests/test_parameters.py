"""Parameters at their bounds, presets, and bad input rejected with a clear message."""

import json

import numpy as np
import pytest

import model
from model import PARAMETERS, PRESETS, Scenario, ScenarioError
from model.parameters import parse_assignment

NUMERIC = [s for s in PARAMETERS.values() if s.kind in ("float", "int")]


@pytest.mark.parametrize("spec", NUMERIC, ids=[s.key for s in NUMERIC])
@pytest.mark.parametrize("bound", ["min", "max"])
def test_every_parameter_at_its_bounds_runs(spec, bound):
    for presets in ([], ["jpmorgan-high", "eu-llama-multimodal"]):
        s = Scenario.build(presets, {spec.key: getattr(spec, bound)})
        r = model.run(s)
        assert np.isfinite(r.summary().to_numpy(dtype=float)).all()
        assert np.isfinite(r.data.value).all()


@pytest.mark.parametrize("spec", [s for s in PARAMETERS.values() if s.kind in ("bool", "choice")],
                         ids=lambda s: s.key)
def test_every_choice_runs(spec):
    options = [True, False] if spec.kind == "bool" else spec.choices
    for v in options:
        assert np.isfinite(model.run(Scenario.build([], {spec.key: v})).data.value).all()


def test_every_parameter_is_fully_declared():
    for s in PARAMETERS.values():
        assert s.label and s.help and s.source and s.group
        if s.kind in ("float", "int"):
            assert s.min <= s.default <= s.max and s.step > 0 and s.unit
        if s.dist:
            assert s.dist_low <= s.dist_high and s.dist_note and s.dist_scale in ("absolute", "factor", "offset")
            if s.dist_scale == "absolute":
                assert s.min <= s.dist_low <= s.dist_high <= s.max


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_runs_and_is_sourced(name):
    p = PRESETS[name]
    assert p.description and p.source and p.kind in ("headline", "restriction")
    assert set(p.values) <= set(PARAMETERS)
    assert set(p.judgement) <= set(p.values) | {k for r in p.restrictions for k in r.model_dump()}
    r = model.run(Scenario.build([name]))
    assert np.isfinite(r.data.value).all()


@pytest.mark.parametrize("headline", [p for p in PRESETS if PRESETS[p].kind == "headline"])
@pytest.mark.parametrize("restriction", [p for p in PRESETS if PRESETS[p].kind == "restriction"])
def test_presets_compose_and_restrictions_cost_something(headline, restriction):
    r = model.run(Scenario.build([headline, restriction]))
    g = r.group_summary()
    assert g["cumulative_lost_usd_bn"] > 0
    assert g["cumulative_gain_usd_bn"] < g["cumulative_gain_open_usd_bn"]


def test_presets_compose_in_order_and_overrides_win():
    s = Scenario.build(["jpmorgan-high", "eu-meta-ai-delay"], {"substitution_pct": 12})
    assert s.params.headline_usd_bn == 10000 and s.restrictions[0].substitution_pct == 12
    assert s.presets == ("jpmorgan-high", "eu-meta-ai-delay")
    assert s.changed() == {"substitution_pct": 12.0}


def test_two_headline_presets_are_an_error_naming_both():
    with pytest.raises(ScenarioError, match="jpmorgan-low and jpmorgan-high"):
        Scenario.build(["jpmorgan-low", "jpmorgan-high"])


def test_restriction_presets_unite_and_their_losses_add_up():
    """Two restriction presets keep both restrictions (nothing dropped) and, with no drag or
    leakage, the loss is the sum of each run alone."""
    both = Scenario.build(["jpmorgan-high", "eu-llama-multimodal", "eu-meta-ai-delay"])
    assert [r.label for r in both.restrictions] == [r.label for p in ("eu-llama-multimodal", "eu-meta-ai-delay")
                                                    for r in PRESETS[p].restrictions]
    loss = lambda s: model.run(s).group_summary()["cumulative_lost_usd_bn"]  # noqa: E731
    one = loss(Scenario.build(["jpmorgan-high", "eu-llama-multimodal"]))
    two = loss(Scenario.build(["jpmorgan-high", "eu-meta-ai-delay"]))
    assert one > 0 and two > 0
    assert loss(both) == pytest.approx(one + two, rel=1e-9)
    # order does not matter
    assert loss(Scenario.build(["jpmorgan-high", "eu-meta-ai-delay", "eu-llama-multimodal"])) == \
        pytest.approx(loss(both), rel=1e-9)
    per = model.run(both).restriction_losses()
    assert per.net.sum() == pytest.approx(loss(both), rel=1e-12)


def test_old_flat_scenario_files_still_run():
    """A scenario file from before restrictions became a list (flat keys) reads as one restriction."""
    old = {"name": "old", "presets": ["jpmorgan-high", "eu-llama-multimodal"],
           "parameters": {"headline_mode": "usd", "headline_usd_bn": 10000.0, "restricted_group": "EU27",
                          "restricted_share_pct": 5.0, "substitution_pct": 60.0, "delay_years": 0.0,
                          "delay_indefinite": True}}
    s = Scenario.from_json(json.dumps(old))
    assert len(s.restrictions) == 1 and s.restrictions[0].substitution_pct == 60.0
    assert s.restrictions[0].delay_indefinite is True
    assert s.restrictions[0].kind == "legacy"
    new = Scenario.build(["jpmorgan-high"], {"restricted_share_pct": 5.0, "substitution_pct": 60,
                                             "delay_indefinite": True})
    assert model.run(s).summary().equals(model.run(new).summary())


def test_a_scenario_file_applies_its_presets_before_its_parameters():
    s = Scenario.from_json(json.dumps({"presets": ["jpmorgan-high"], "parameters": {}}))
    assert s.params.headline_usd_bn == 10000.0
    s = Scenario.from_json(json.dumps({"presets": ["jpmorgan-high"], "parameters": {"headline_usd_bn": 8000}}))
    assert s.params.headline_usd_bn == 8000.0


def test_scenario_json_round_trip_gives_identical_run():
    s = Scenario.build(["jpmorgan-high", "italy-chatgpt-ban"], {"leakage_pct": 25, "end_year": 2050})
    back = Scenario.from_json(s.to_json())
    assert back.values == s.values and back.presets == s.presets and back.name == s.name
    pd_a, pd_b = model.run(s).to_frame("countries"), model.run(back).to_frame("countries")
    assert pd_a.equals(pd_b)


@pytest.mark.parametrize("values, fragment", [
    ({"headline_usd_bn": -1}, "headline_usd_bn=-1 is out of range: allowed a number from 0 to 30000"),
    ({"end_year": 2100}, "end_year=2100 is out of range"),
    ({"end_year": 2030.5}, "end_year=2030.5 is invalid"),
    ({"substitution_pct": "lots"}, "substitution_pct='lots' is invalid"),
    ({"substitution_pct": float("nan")}, "substitution_pct=nan is invalid"),
    ({"headline_mode": "vibes"}, "headline_mode='vibes' is invalid: allowed one of usd, pct_gdp, hulten"),
    ({"delay_indefinite": "maybe"}, "delay_indefinite='maybe' is invalid: allowed true or false"),
    ({"delay_indefinite": "off"}, "delay_indefinite='off' is invalid: allowed true or false"),
    ({"end_year": "2050"}, "end_year='2050' is invalid"),
    ({"end_year": 10**5000}, "end_year=<integer of about"),
    ({"delay_years": True}, "delay_years=True is invalid"),
    ({"restricted_group": "Atlantis"}, "restricted_group='Atlantis' is invalid"),
    ({"restricted_group": "DEU,XXX"}, "XXX unknown"),
    ({"no_such_key": 1}, "unknown parameter 'no_such_key'"),
])
def test_bad_values_are_rejected_with_key_value_and_range(values, fragment):
    with pytest.raises(ScenarioError) as e:
        Scenario.build([], values)
    assert fragment in str(e.value)
    assert "\n" not in str(e.value)


def test_unknown_preset():
    with pytest.raises(ScenarioError, match="unknown preset 'nope'; choose from: jpmorgan-low"):
        Scenario.build(["nope"])


@pytest.mark.parametrize("text, fragment", [
    ("{", "not valid JSON"),
    ("[1, 2]", "must be a JSON object"),
    (json.dumps({"parameters": {"end_year": "soon"}}), "end_year='soon' is invalid"),
    (json.dumps({"parameters": {}, "colour": "red"}), "unknown scenario field 'colour'"),
    (json.dumps({"presets": ["nope"], "parameters": {}}), "unknown preset 'nope'"),
    (json.dumps({"presets": "jpmorgan-low", "parameters": {}}), "must be a list"),
    (json.dumps({"parameters": [1]}), "must be a mapping"),
])
def test_bad_scenario_files(text, fragment):
    with pytest.raises(ScenarioError, match=fragment):
        Scenario.from_json(text)


def test_parse_assignment_types():
    assert parse_assignment("end_year=2050") == ("end_year", 2050)
    assert parse_assignment("delay_indefinite=true") == ("delay_indefinite", True)
    assert parse_assignment("headline_usd_bn = 8000") == ("headline_usd_bn", 8000.0)
    for bad in ["end_year", "end_year=20.5", "delay_years=inf", "delay_indefinite=2", "end_year=٢٠٥٠",
                "end_year=２０５０", "end_year=2_050", "headline_usd_bn=1e999", "headline_usd_bn=nan"]:
        with pytest.raises(ScenarioError):
            parse_assignment(bad)


def test_group_names_are_normalised():
    assert Scenario.build([], {"restricted_group": "eu27"}).params.restricted_group == "EU27"
    assert Scenario.build([], {"restricted_group": "fra, deu,FRA"}).params.restricted_group == "DEU,FRA"


def test_validation_changes_nothing():
    s = Scenario.build(["jpmorgan-high"])
    before = s.values
    with pytest.raises(ScenarioError):
        s.with_values(end_year=1999)
    assert s.values == before
