"""The one engine: what the single run, the Monte Carlo and the decomposition must agree on.

Each test here was written to fail under a specific wrong change that the earlier suite let
through: a zeroed headline in the batch path, wrong region labels in the decomposition, and a
Monte Carlo mean off by a factor.
"""

import numpy as np
import pandas as pd
import pytest

import model
from model import uncertainty as U
from model.engine import batch_inputs, country_arrays, evaluate

RESTRICTED = model.Scenario.build(["jpmorgan-high", "eu-meta-ai-delay"], {"leakage_pct": 20, "compliance_drag_pct": 1})


def test_batch_of_draws_keeps_the_headline():
    """Every draw's country potentials add up to that draw's headline (the batch path included)."""
    dists = U.distributions(RESTRICTED)
    draws = U.sample(dists, 50, np.random.default_rng(1))
    params, restrictions = batch_inputs(RESTRICTED, draws)
    paths = evaluate(params, restrictions, country_arrays(), np.arange(2023, 2041))
    np.testing.assert_allclose(paths.potential.sum(axis=1), draws["headline_usd_bn"], rtol=1e-12)
    assert (paths.open_gain[:, :, -1].sum(axis=1) > 0.5 * draws["headline_usd_bn"]).all()
    out = U.evaluate_draws(RESTRICTED, draws)
    np.testing.assert_allclose(out["ai_gain_open"][:, 0, :], paths.open_gain.sum(axis=1), rtol=1e-12)


@pytest.mark.parametrize("group, label", [("EU27", "EU27"), ("DEU,FRA", "DEU, FRA"), ("ITA", "ITA")])
def test_decomposition_rows_are_the_group_and_the_world(group, label):
    s = RESTRICTED.with_values(restricted_group=group)
    r = model.run(s)
    tidy = r.decomposition(cumulative=False)
    assert list(tidy.region.unique()) == [label, "World"]
    in_group = r.restricted
    assert in_group.sum() == (27 if group == "EU27" else len(group.split(",")))
    for key, lever_label in model.outputs.LEVERS.items():
        arr = r.levers[key]
        g = tidy[(tidy.region == label) & (tidy.lever == lever_label)].value.to_numpy()
        w = tidy[(tidy.region == "World") & (tidy.lever == lever_label)].value.to_numpy()
        expected_group = np.zeros(len(r.years)) if key == "leakage" else arr[in_group].sum(axis=0)
        np.testing.assert_allclose(g, expected_group, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(w, arr.sum(axis=0), rtol=1e-12, atol=1e-12)
    # the group's row in the tidy results is its own countries' sum, under the same label
    row = "Restricted group: " + label if group not in model.REGIONS else label
    lost = r.series("ai_gain_lost", row).to_numpy()
    np.testing.assert_allclose(lost, (r.open_gain - r.gain)[in_group].sum(axis=0), rtol=1e-12, atol=1e-9)
    assert r.decomposition()["group"].sum() == pytest.approx(lost.sum(), rel=1e-9)


def test_monte_carlo_mean_is_the_mean_of_its_draws():
    """The MC mean equals the plain mean of the same draws evaluated one by one (same seeds)."""
    mc = U.monte_carlo(RESTRICTED, draws=300, seed=4, chunk_size=100)
    dists = U.distributions(RESTRICTED)
    vals = [U.evaluate_draws(RESTRICTED, U.sample(dists, 100, np.random.default_rng([4, i]))) for i in range(3)]
    for var in U.MC_VARIABLES:
        expected = np.concatenate([v[var] for v in vals]).mean(axis=0)  # (R, T)
        got = mc.mean[mc.mean.variable == var].pivot(index="region", columns="year", values="value")
        labels = list(U.aggregation_for("EU27").labels)
        np.testing.assert_allclose(got.loc[labels].to_numpy(), expected, rtol=1e-10, atol=1e-9)
    first = U.sample(dists, 100, np.random.default_rng([4, 0]))
    one = U.evaluate_draws(RESTRICTED, {k: v[:1] for k, v in first.items()})
    np.testing.assert_allclose(vals[0]["ai_gain"][0], one["ai_gain"][0], rtol=1e-12)
    plain = {k: float(v[0]) for k, v in first.items() if k in model.PARAMETERS}
    assert set(first) - set(plain) == {"event_share[meta]", "event_substitution[meta]"}
    central_events = U.evaluate_draws(RESTRICTED, {**{k: np.array([v]) for k, v in plain.items()},
                                                   "event_share[meta]": np.array([np.nan]),
                                                   "event_substitution[meta]": np.array([np.nan])})
    spot = model.run(RESTRICTED.with_values(**plain))
    np.testing.assert_allclose(central_events["ai_gain"][0, 0], spot.series("ai_gain").to_numpy(), rtol=1e-10)


def test_group_label_in_monte_carlo_rows():
    s = model.Scenario.build(["jpmorgan-high", "italy-chatgpt-ban"])
    mc = U.monte_carlo(s, draws=200, seed=0, chunk_size=100)
    assert mc.group_region == "Restricted group: ITA"
    assert set(mc.percentiles.region) == {"World", *model.REGIONS, "Restricted group: ITA"}
    central = mc.central.series("ai_gain_lost", "Restricted group").sum()
    assert central == pytest.approx(mc.central.group_summary()["cumulative_lost_usd_bn"], rel=1e-12)
    band = mc.band("ai_gain_lost", "Restricted group")
    assert band.equals(mc.band("ai_gain_lost", "Restricted group: ITA"))


def test_single_run_paths_have_one_draw_and_documented_shapes():
    r = model.run(RESTRICTED)
    p = r.paths
    n, t = len(r.iso3), len(r.years)
    assert p.draws == 1 and p.open_gain.shape == (1, n, t) and p.potential.shape == (1, n)
    assert p.loss.shape == (1, len(p.index), t) and p.leakage_factor.shape == (1, t)
    assert set(p.levers) == {"restricted_products", "substitution", "compliance_drag"}
    np.testing.assert_allclose(sum(p.levers.values()), p.loss, rtol=1e-12, atol=1e-12)
    sums = p.summed(np.ones((1, n)), ["open_gain", "gain", "lost"])
    np.testing.assert_allclose(sums["gain"][0, 0], r.gain.sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(sums["lost"][0, 0], (r.open_gain - r.gain).sum(axis=0), rtol=1e-9, atol=1e-9)
    pd.testing.assert_series_equal(r.series("ai_gain"), r.series("ai_gain", "World"))


def test_every_registry_path_is_a_country_path():
    from model.outputs import VARIABLES

    p = model.run(RESTRICTED).paths
    n, t = len(country_arrays().iso3), 18
    for v in VARIABLES.values():
        for name in v.paths:
            if name != "population":
                assert p.path(name).shape[-2:] == (n, t), (v.key, name)
    with pytest.raises(KeyError):
        p.path("summed")
