"""Properties that must hold over the whole parameter space (hypothesis)."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import model

from strategies import params

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run(values):
    return model.run(model.Scenario.build([], values))


def group_loss(r):
    m = r.restricted[:, None]
    return ((r.open_gain - r.gain) * m).sum(axis=0)


@SETTINGS
@given(params)
def test_finite_nonnegative_and_bounded(values):
    r = run(values)
    for arr in (r.gdp, r.open_gain, r.gain, r.adoption, *r.levers.values()):
        assert np.isfinite(arr).all()
    assert (r.open_gain >= 0).all() and (r.gain >= -1e-9).all()
    # the restricted group never gains more than with open access
    m = r.restricted
    assert (r.gain[m] <= r.open_gain[m] * (1 + 1e-12) + 1e-12).all()
    s = r.summary()
    assert np.isfinite(s.to_numpy(dtype=float)).all()


@SETTINGS
@given(params)
def test_decomposition_adds_up(values):
    r = run(values)
    m = r.restricted[:, None]
    group_levers = sum((v * m).sum(axis=0) for k, v in r.levers.items() if k != "leakage")
    np.testing.assert_allclose(group_levers, group_loss(r), rtol=1e-9, atol=1e-9)
    world_levers = sum(v.sum(axis=0) for v in r.levers.values())
    np.testing.assert_allclose(world_levers, (r.open_gain - r.gain).sum(axis=0), rtol=1e-9, atol=1e-9)
    d = r.decomposition()
    np.testing.assert_allclose(d["group"].sum(), group_loss(r).sum(), rtol=1e-9, atol=1e-9)


@SETTINGS
@given(params)
def test_leakage_moves_gains_without_creating_any(values):
    r = run(values)
    lam = values["leakage_pct"] / 100
    world_loss = (r.open_gain - r.gain).sum(axis=0)
    # nothing is transferred in a year where no unrestricted economy has a gain (docs/model.md, section 6;
    # time-path headlines can leave every recipient at zero in early years)
    received = r.open_gain[r.paths.recipients].sum(axis=0) > 0
    scale = max(1.0, float(np.abs(group_loss(r)).max()))  # rounding of the amounts moved
    np.testing.assert_allclose(world_loss, group_loss(r) * (1 - lam * received), rtol=1e-9, atol=1e-9 * scale)
    # unrestricted economies never lose
    assert ((r.open_gain - r.gain)[~r.restricted] <= 1e-9).all()


@SETTINGS
@given(params)
def test_no_restriction_means_no_loss(values):
    values = {**values, "restricted_share_pct": 0.0, "compliance_drag_pct": 0.0}
    r = run(values)
    np.testing.assert_allclose(r.gain, r.open_gain, rtol=0, atol=1e-12)
    values = {**values, "restricted_share_pct": 50.0, "delay_years": 0.0, "delay_indefinite": False}
    r = run(values)
    np.testing.assert_allclose(r.gain, r.open_gain, rtol=0, atol=1e-12)


@SETTINGS
@given(params, st.floats(0, 30), st.floats(0, 30))
def test_more_delay_never_lowers_loss(values, d1, d2):
    lo, hi = sorted((d1, d2))
    a = group_loss(run({**values, "delay_years": lo, "delay_indefinite": False}))
    b = group_loss(run({**values, "delay_years": hi, "delay_indefinite": False}))
    c = group_loss(run({**values, "delay_indefinite": True}))
    assert (b >= a - 1e-9 * (1 + abs(a))).all()
    assert (c >= b - 1e-9 * (1 + abs(b))).all()


@SETTINGS
@given(params, st.floats(0, 100), st.floats(0, 100))
def test_larger_share_never_lowers_loss(values, s1, s2):
    lo, hi = sorted((s1, s2))
    a = group_loss(run({**values, "restricted_share_pct": lo}))
    b = group_loss(run({**values, "restricted_share_pct": hi}))
    assert (b >= a - 1e-9 * (1 + abs(a))).all()


@SETTINGS
@given(params, st.floats(0, 100), st.floats(0, 100))
def test_less_substitution_never_lowers_loss(values, s1, s2):
    lo, hi = sorted((s1, s2))
    a = group_loss(run({**values, "substitution_pct": hi}))
    b = group_loss(run({**values, "substitution_pct": lo}))
    assert (b >= a - 1e-9 * (1 + abs(a))).all()


@SETTINGS
@given(params)
def test_potentials_add_up_to_headline(values):
    r = run(values)
    world_2023 = r.gdp[:, 0].sum()
    p = r.scenario.params
    if p.headline_mode not in ("usd", "pct_gdp", "hulten") or p.headline_anchor != "World":
        return  # time-path and anchored headlines: tests/test_growth.py checks the anchor's figures
    expected = {"usd": p.headline_usd_bn, "pct_gdp": p.headline_pct_gdp / 100 * world_2023,
                "hulten": r.tfp_gain_pct / 100 * p.gdp_tfp_multiplier * world_2023}[p.headline_mode]
    np.testing.assert_allclose(r.potential.sum(), expected, rtol=1e-12, atol=1e-9)
