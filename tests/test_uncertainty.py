"""Monte Carlo, tornado and Sobol."""

import numpy as np
import pandas as pd
import pytest

import model
from model import uncertainty as U
from conftest import cli

SCENARIO = model.Scenario.build(["jpmorgan-high", "eu-meta-ai-delay"])


@pytest.fixture(scope="module")
def mc():
    return U.monte_carlo(SCENARIO, draws=3000, seed=7, chunk_size=700)


def test_percentiles_are_ordered_and_bracket_the_central_run(mc):
    c = mc.central
    for var in U.MC_VARIABLES:
        for region in ["World", "EU27"]:
            b = mc.band(var, region)[["P5", "P25", "P50", "P75", "P95"]].to_numpy()
            assert (np.diff(b, axis=1) >= -1e-9).all(), (var, region)
            y = c.series(var, region).to_numpy()[1:]  # 2023 is zero everywhere
            tol = 1e-9 + np.abs(b).max() / 2048  # the histograms' resolution (bins span/8192 of a padded range)
            assert (b[1:, 0] <= y + tol).all() and (y <= b[1:, 4] + tol).all(), (var, region)


def test_histogram_percentiles_match_exact_percentiles():
    dists = U.distributions(SCENARIO)
    vals = U.evaluate_draws(SCENARIO, U.sample(dists, 4000, np.random.default_rng([5, 0])))
    mc = U.monte_carlo(SCENARIO, draws=4000, seed=5, chunk_size=4000)
    exact = np.percentile(vals["ai_gain"][:, 0, :], [5, 50, 95], axis=0)
    got = mc.band("ai_gain", "World")[["P5", "P50", "P95"]].to_numpy().T
    span = vals["ai_gain"][:, 0, :].max(axis=0) - vals["ai_gain"][:, 0, :].min(axis=0)
    # bins are span/2048 wide; percentile conventions differ by up to an order-statistic gap
    assert (np.abs(got - exact) <= span / 500 + 1e-9).all()


def test_collapsed_distributions_equal_the_deterministic_run():
    dists = U.collapsed(U.distributions(SCENARIO))
    mc = U.monte_carlo(SCENARIO, draws=200, seed=1, chunk_size=64, dists=dists)
    r = model.run(SCENARIO)
    for var, arr in [("ai_gain", r.gain), ("ai_gain_open", r.open_gain), ("ai_gain_lost", r.open_gain - r.gain)]:
        ref = r.aggregate(arr)
        for region in ["World", *model.REGIONS]:
            b = mc.band(var, region)
            for q in ["P5", "P50", "P95"]:
                np.testing.assert_allclose(b[q].to_numpy(), ref.loc[region].to_numpy(), rtol=1e-9, atol=1e-9)


def test_batch_equals_single_runs():
    s = model.Scenario.build(["acemoglu-2024", "italy-chatgpt-ban"], {"leakage_pct": 30, "compliance_drag_pct": 2})
    dists = [d for d in U.distributions(s) if d.key in model.PARAMETERS]  # events' factors: below
    draws = U.sample(dists, 6, np.random.default_rng(0))
    out = U.evaluate_draws(s, draws)
    for i in range(6):
        r = model.run(s.with_values(**{k: float(v[i]) for k, v in draws.items()}))
        np.testing.assert_allclose(out["ai_gain"][i], r.aggregate(r.gain).to_numpy(), rtol=1e-10, atol=1e-8)
        assert out["group_cumulative_lost"][i] == pytest.approx(r.group_summary()["cumulative_lost_usd_bn"])


def test_same_seed_same_result_and_other_seed_differs():
    a = U.monte_carlo(SCENARIO, draws=500, seed=3, chunk_size=200)
    b = U.monte_carlo(SCENARIO, draws=500, seed=3, chunk_size=200)
    c = U.monte_carlo(SCENARIO, draws=500, seed=4, chunk_size=200)
    pd.testing.assert_frame_equal(a.percentiles, b.percentiles)
    assert not a.percentiles.equals(c.percentiles)


def test_dask_local_cluster_gives_identical_results():
    pytest.importorskip("dask.distributed")
    local = U.monte_carlo(SCENARIO, draws=1200, seed=11, chunk_size=300)
    dask = U.monte_carlo(SCENARIO, draws=1200, seed=11, chunk_size=300, scheduler="local")
    pd.testing.assert_frame_equal(local.percentiles, dask.percentiles)
    np.testing.assert_array_equal(local.exceedance, dask.exceedance)


def test_probability_statement(mc):
    p = mc.probability()
    assert 0 < p < 1
    assert mc.probability_statement().startswith("P(EU27 cumulative loss 2023-2040 > $")
    more = U.monte_carlo(SCENARIO, draws=1000, seed=7, chunk_size=500, thresholds=[0.0, 1e9])
    assert more.probability(0.0) == pytest.approx(1.0)
    assert more.probability(1e9) == 0.0


def test_distributions_are_centred_on_the_scenario():
    d = {x.key: x for x in U.distributions(SCENARIO)}
    assert "headline_usd_bn" in d and "headline_pct_gdp" not in d  # only what affects the scenario
    assert d["headline_usd_bn"].low == pytest.approx(7000) and d["headline_usd_bn"].high == pytest.approx(13000)
    assert "delay_years" not in d  # a lever of the event, not an uncertain parameter
    assert "restricted_share_pct" not in d  # the event's own range is drawn instead
    assert {"event_share[meta]", "event_substitution[meta]"} <= set(d)
    for x in d.values():
        if x.key.startswith("event_"):  # a quantile of each event's own range; NaN centre = the central value
            assert (x.low, x.high) == (0.0, 1.0) and np.isnan(x.centre)
            continue
        assert x.low <= x.centre <= x.high
        u = np.linspace(0.001, 0.999, 200)
        v = x.ppf(u)
        assert (np.diff(v) >= 0).all() and v.min() >= x.low - 1e-9 and v.max() <= x.high + 1e-9


# ------------------------------------------------------------------ sensitivity on known functions
def ishigami(draws, a=7.0, b=0.1):
    x1, x2, x3 = draws["x1"], draws["x2"], draws["x3"]
    return np.sin(x1) + a * np.sin(x2) ** 2 + b * x3 ** 4 * np.sin(x1)


def test_sobol_recovers_ishigami_indices():
    dists = [U.Distribution(k, "uniform", -np.pi, np.pi, 0.0) for k in ("x1", "x2", "x3")]
    df = U.sobol(ishigami, dists, n=4096, seed=1).set_index("parameter")
    # analytical values (Ishigami & Homma 1990; a=7, b=0.1)
    expected_s1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
    expected_st = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}
    for k in expected_s1:
        assert df.loc[k, "S1"] == pytest.approx(expected_s1[k], abs=0.04)
        assert df.loc[k, "ST"] == pytest.approx(expected_st[k], abs=0.04)
        assert df.loc[k, "S1_conf"] > 0


def test_sobol_on_a_linear_model():
    # y = 1*x1 + 2*x2 + 3*x3, x uniform on [0, 1]: S1 = ST = c_i^2 / sum c^2
    dists = [U.Distribution(k, "uniform", 0.0, 1.0, 0.5) for k in ("x1", "x2", "x3")]
    df = U.sobol(lambda d: d["x1"] + 2 * d["x2"] + 3 * d["x3"], dists, n=2048, seed=2).set_index("parameter")
    for k, c in zip(("x1", "x2", "x3"), (1, 2, 3)):
        assert df.loc[k, "S1"] == pytest.approx(c * c / 14, abs=0.03)
        assert df.loc[k, "ST"] == pytest.approx(c * c / 14, abs=0.03)


def test_tornado_matches_a_hand_computed_case():
    # y = 10*a - 2*b + c*c with central (1, 1, 1) and ranges a [0, 2], b [0, 10], c [-3, 3]
    f = lambda d: 10 * d["a"] - 2 * d["b"] + d["c"] ** 2
    df = U.tornado(f, {"a": 1, "b": 1, "c": 1}, {"a": (0, 2), "b": (0, 10), "c": (-3, 3)})
    # by hand: a -> -1 / 19 (swing 20); b -> 11 / -9 (swing 20); c -> 17 / 17 (swing 0)
    assert list(df.parameter) == ["a", "b", "c"]
    row = df.set_index("parameter")
    assert (row.loc["a", "output_at_low"], row.loc["a", "output_at_high"]) == (-1, 19)
    assert (row.loc["b", "output_at_low"], row.loc["b", "output_at_high"]) == (11, -9)
    assert row.loc["c", "swing"] == 0 and row.loc["a", "central"] == 9


def test_model_tornado_orders_by_swing_and_agrees_with_single_runs():
    df = U.sensitivity(SCENARIO, "tornado")
    assert (np.diff(df.swing) <= 1e-12).all()
    top = df.iloc[0]
    r = model.run(SCENARIO.with_values(**{top.parameter: top.high_value}))
    assert top.output_at_high == pytest.approx(r.group_summary()["cumulative_lost_usd_bn"])


# ------------------------------------------------------------------ CLI
def test_cli_uncertainty_and_sensitivity(tmp_path):
    out = tmp_path / "u.csv"
    proc = cli("uncertainty", "--preset", "jpmorgan-high", "--preset", "eu-meta-ai-delay", "--draws", "2000",
               "--out", str(out), "--no-progress", check=True)
    assert "P(EU27 cumulative loss" in proc.stderr
    df = pd.read_csv(out)
    assert set(df.percentile) == {"P5", "P25", "P50", "P75", "P95"}
    assert {"World", "EU27"} <= set(df.region)
    out2 = tmp_path / "s.csv"
    cli("sensitivity", "--preset", "jpmorgan-high", "--preset", "eu-llama-multimodal", "--method", "sobol",
        "--samples", "128", "--out", str(out2), check=True)
    s = pd.read_csv(out2)
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(s.columns)
    t = pd.read_csv(io_text(cli("sensitivity", "--preset", "eu-meta-ai-delay", check=True).stdout))
    assert t.swing.is_monotonic_decreasing


def io_text(text):
    import io

    return io.StringIO(text)


@pytest.mark.parametrize("args", [["uncertainty", "--draws", "0"], ["uncertainty", "--draws", "many"],
                                  ["uncertainty", "--fix", "nonsense"], ["sensitivity", "--method", "magic"],
                                  ["uncertainty", "--preset", "nope"], ["sensitivity", "--output", "vibes"]])
def test_cli_bad_input(args, tmp_path):
    out = tmp_path / "x.csv"
    proc = cli(*args, "--out", str(out))
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1 and not out.exists()


def test_cumulative_loss_percentiles_split_the_draws_as_they_say():
    """The group's cumulative-loss percentiles (from the merged histogram) leave 95 %, 50 % and 5 % of
    the same draws above them, to the histogram's resolution."""
    from model import uncertainty as U

    s = model.Scenario.build(["jpmorgan-high", "eu-meta-ai-delay"])
    mc = U.monte_carlo(s, draws=3000, seed=1, chunk_size=700)
    lo, med, hi = mc.cumulative_loss_interval()
    assert mc.cumulative_loss_range[0] <= lo < med < hi <= mc.cumulative_loss_range[1]
    again = U.monte_carlo(s, draws=3000, seed=1, chunk_size=700, thresholds=[lo, med, hi])
    np.testing.assert_allclose(again.exceedance[1:], [0.95, 0.50, 0.05], atol=0.006)
    assert again.cumulative_loss_percentiles == mc.cumulative_loss_percentiles
    with pytest.raises(KeyError):
        mc.cumulative_loss_interval(low=10)
