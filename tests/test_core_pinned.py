"""Hand-computed values of the equations and the engine (the gaps mutation testing found:
the invariant tests let wrong levels through)."""

import numpy as np
import pytest

import model
from model import core
from model.engine import batch_inputs, run_paths

LEGACY = {"adoption_calibration": "region-lags", "exposure_source": "imf-groups"}


def test_baseline_gdp_by_hand():
    out = core.baseline_gdp(np.array([100.0]), np.array([[1.0, 2.0]]), [2024, 2025], np.arange(2023, 2027), 3.0)
    np.testing.assert_allclose(out[0], [100.0, 101.0, 103.02, 106.1106], rtol=1e-12)


def test_logistic_adoption_by_hand():
    t = np.array([2023.0, 2031.0, 2200.0])
    a = core.logistic_adoption(t, np.array([2031.0]), 0.5, 0.8)[0]
    fb = 1 / (1 + np.exp(0.5 * 8))
    assert a[0] == 0.0
    assert a[1] == pytest.approx(0.8 * (0.5 - fb) / (1 - fb), rel=1e-12)
    assert a[2] == pytest.approx(0.8, rel=1e-12)
    abar = core.absolute_adoption(t, np.array([2031.0]), 0.5, 0.8)[0]
    np.testing.assert_allclose(abar - abar[0], a, rtol=1e-12, atol=1e-15)


def test_levers_by_hand():
    levers, per = core.restriction_loss_levers(np.array(100.0), [np.array(10.0)], [0.5], 0.2)
    assert levers["restricted_products"] == pytest.approx(9.0)
    assert levers["substitution"] == pytest.approx(-4.5)
    assert levers["compliance_drag"] == pytest.approx(19.5)
    assert sum(levers.values()) == pytest.approx(100 - 0.8 * 95)  # G^o - (1 - c)(G^o - x)
    two, _ = core.restriction_loss_levers(np.array(100.0), [np.array(10.0), np.array(4.0)], [0.5, 0.25], 0.0)
    assert two["restricted_products"] == pytest.approx(14.0) and two["substitution"] == pytest.approx(-6.0)


def test_allocation_follows_exposure_and_preparedness_and_falls_back_to_gdp():
    gdp, x, q = np.array([1.0, 1.0]), np.array([0.6, 0.3]), np.array([0.5, 0.5])
    np.testing.assert_allclose(core.allocation_shares(gdp, x, q, 1.0, 1.0), [2 / 3, 1 / 3])
    np.testing.assert_allclose(core.allocation_shares(gdp, x, np.array([0.8, 0.2]), 0.0, 1.0), [0.8, 0.2])
    np.testing.assert_allclose(core.allocation_shares(np.array([3.0, 1.0]), np.zeros(2), q, 1.0, 1.0), [0.75, 0.25])


def test_leakage_transfer_moves_exactly_the_leaked_share():
    open_gain = np.array([[1.0, 2.0], [3.0, 1.0], [0.0, 1.0]])
    t = core.leakage_transfer(np.array([4.0, 2.0]), open_gain, np.array([False, True, True]), 0.25)
    np.testing.assert_allclose(t.sum(axis=0), [1.0, 0.5])
    np.testing.assert_allclose(t[1], [1.0, 0.25])
    assert (t[0] == 0).all()


def test_full_restriction_takes_the_whole_gain_and_substitution_halves_it():
    s = model.Scenario.build(["jpmorgan-high"], {**LEGACY, "restricted_share_pct": 100, "substitution_pct": 0,
                                                 "delay_indefinite": True})
    r = model.run(s)
    m = r.restricted
    np.testing.assert_allclose(r.gain[m], 0.0, atol=1e-9)
    half = model.run(s.with_values(substitution_pct=50))
    np.testing.assert_allclose(half.gain[m], r.open_gain[m] / 2, rtol=1e-12)


def test_a_restriction_on_countries_outside_the_group():
    s = model.Scenario.build(["jpmorgan-high"], LEGACY)
    d = s.to_dict()
    d["restrictions"] = [{"label": "US products withheld", "group": "USA", "kind": "withheld",
                          "start_date": "2024-01-01", "restricted_share_pct": 20.0, "substitution_pct": 0.0}]
    r = model.run(model.Scenario.from_dict(d))
    usa = list(r.iso3).index("USA")
    assert r.paths.hit[usa] and not r.paths.recipients[usa] and not r.restricted[usa]
    assert (r.open_gain[usa] - r.gain[usa])[2:].min() > 0
    assert r.series("ai_gain_lost", "EU27").abs().max() == 0  # the EU27 reports nothing: not hit


def test_low_income_extra_lag_moves_only_low_income_countries():
    base = model.Scenario.build(["jpmorgan-high"], {**LEGACY, "lag_low_income_extra_years": 0.0})
    a, b = model.run(base), model.run(base.with_values(lag_low_income_extra_years=5.0))
    lic = model.load_countries().imf_group.to_numpy() == "LIC"
    assert (b.adoption[lic][:, 1:] < a.adoption[lic][:, 1:]).all()
    np.testing.assert_array_equal(b.adoption[~lic], a.adoption[~lic])


def test_a_custom_country_table_runs_and_is_used():
    s = model.Scenario.build(["jpmorgan-high", "eu-meta-ai-delay"])
    df = model.load_countries().copy()
    p1, _ = run_paths(s, df)
    p0, _ = run_paths(s)
    np.testing.assert_allclose(p1.gain, p0.gain, rtol=1e-12)
    deu = df.index[df.iso3 == "DEU"][0]
    df.loc[deu, "gdp_2023_usd_bn"] *= 2
    p2, _ = run_paths(s, df)
    assert p2.gdp[deu, 0] == pytest.approx(2 * p0.gdp[deu, 0])
    assert p2.potential[0, deu] > p0.potential[0, deu]


def test_batch_inputs_factor_and_offset_move_each_restriction_from_its_own_value():
    s = model.Scenario.build(["jpmorgan-high"], LEGACY)
    d = s.to_dict()
    d["restrictions"] = [{"label": "a", "restricted_share_pct": 4.0, "substitution_pct": 40.0},
                         {"label": "b", "restricted_share_pct": 10.0, "substitution_pct": 60.0}]
    s2 = model.Scenario.from_dict(d)
    _, rs = batch_inputs(s2, {"restricted_share_pct": np.array([8.0, 2.0]), "substitution_pct": np.array([50.0])})
    np.testing.assert_allclose(rs[1].restricted_share_pct, [20.0, 5.0])  # factor: 10 x (8/4), 10 x (2/4)
    np.testing.assert_allclose(rs[1].substitution_pct, [50.0])  # absolute: replaced
    with pytest.raises(ValueError, match="different lengths"):
        from model.engine import batch_size

        batch_size(*batch_inputs(s2, {"headline_usd_bn": np.ones(3), "adoption_speed": np.ones(2)}))


def test_summed_gdp_and_lost_alone():
    r = model.run(model.Scenario.build(["jpmorgan-high", "eu-meta-ai-delay"], {"leakage_pct": 30}))
    m = np.ones((1, len(r.iso3)))
    np.testing.assert_allclose(r.paths.summed(m, ["gdp"])["gdp"][0], m @ r.gdp)
    np.testing.assert_allclose(r.paths.summed(m, ["lost"])["lost"][0, 0], (r.open_gain - r.gain).sum(axis=0),
                               atol=1e-9)
    with pytest.raises(ValueError, match="unknown headline mode"):
        core.headline_potential("vibes", None, 1.0)
