"""The engine's faster paths compute the same numbers as the plain ones (bit for bit where the
operations are the same; the catch-up quadrature to rounding). Behaviour only, never timings."""

import numpy as np
import pytest

import model
from model import core, engine
from model import uncertainty as U
from model.engine import batch_inputs, country_arrays, evaluate

LEGACY = {"adoption_calibration": "region-lags", "exposure_source": "imf-groups", "restricted_share_pct": 3.0,
          "substitution_pct": 70.0, "delay_years": 1.5}
SCENARIOS = {
    "legacy": model.Scenario.build(["jpmorgan-high"], LEGACY),
    "meta": model.Scenario.build(["jpmorgan-high", "eu-meta-ai-delay"], {"compliance_drag_pct": 1.0}),
    "two-events": model.Scenario.build(["jpmorgan-high", "eu-record-2023-2026"], {"leakage_pct": 20}),
}
YEARS = np.arange(2023, 2041)


def batch(name, n, seed):
    s = SCENARIOS[name]
    return batch_inputs(s, U.sample(U.distributions(s), n, np.random.default_rng(seed)))


def assert_same_paths(a, b):
    for f in ("adoption", "open_gain", "potential", "loss", "leakage_factor", "tfp_gain_pct"):
        np.testing.assert_array_equal(getattr(a, f), getattr(b, f), err_msg=f)
    for k in a.levers:
        np.testing.assert_array_equal(a.levers[k], b.levers[k], err_msg=k)
    for pa, pb in zip(a.by_restriction, b.by_restriction):
        for k in pa:
            np.testing.assert_array_equal(pa[k], pb[k], err_msg=k)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_a_reused_workspace_gives_the_same_paths(name):
    ws: dict = {}
    first = evaluate(*batch(name, 40, 1), country_arrays(), YEARS, workspace=ws)
    kept = {k: v for k, v in ws.items()}
    second = evaluate(*batch(name, 40, 2), country_arrays(), YEARS, workspace=ws)
    assert all(ws[k] is v for k, v in kept.items())  # the arrays were reused, not reallocated
    assert_same_paths(second, evaluate(*batch(name, 40, 2), country_arrays(), YEARS))
    assert first.open_gain is second.open_gain  # documented: valid until the next call with the workspace


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_countries_sharing_a_midpoint_share_a_curve(name, monkeypatch):
    params, restrictions = batch(name, 64, 3)
    shared = evaluate(params, restrictions, country_arrays(), YEARS)
    monkeypatch.setattr(engine, "SHARE_FROM", 10**12)  # never share
    assert_same_paths(shared, evaluate(params, restrictions, country_arrays(), YEARS))


def test_shared_columns_are_exact_bit_for_bit():
    rng = np.random.default_rng(0)
    x = rng.random((50, 4))[:, [0, 1, 0, 2, 3, 1, 0, 2, 2, 3] * 30]  # 4 distinct columns among 300
    first, inverse = engine._shared_columns(x)
    assert len(first) == 4
    np.testing.assert_array_equal(x[:, first][:, inverse], x)
    y = x.copy()
    y[7, 10] = np.nextafter(y[7, 10], 2.0)  # equal to column 0 in the first draw, not in every draw
    first, inverse = engine._shared_columns(y)
    assert len(first) == 5
    np.testing.assert_array_equal(y[:, first][:, inverse], y)
    z = x.copy()
    z[:, 4] = -0.0
    z[:, 5] = 0.0  # equal values, different bits: kept apart
    first, inverse = engine._shared_columns(z)
    assert inverse[4] != inverse[5]
    np.testing.assert_array_equal(z[:, first][:, inverse].view(np.int64), z.view(np.int64))
    assert engine._shared_columns(rng.random((50, 300))) is None  # all distinct
    assert engine._shared_columns(x[:1, :10]) is None  # too small to be worth it


def test_logistic_adoption_writes_into_out():
    t = np.arange(2023.0, 2041.0)
    mid = np.random.default_rng(2).uniform(2025, 2040, (6, 9))
    k, L = np.full((6, 1, 1), 0.5), np.full((6, 1, 1), 0.9)
    out = np.full((6, 9, 18), np.nan)
    got = core.logistic_adoption(t, mid, k, L, out=out)
    assert got is out
    ref = np.exp(-k * (t - 2023)) * np.exp(k * (mid[..., None] - 2023))  # the plain broadcast product
    fb = 1 / (1 + np.exp(k * (mid[..., None] - 2023)))
    np.testing.assert_array_equal(got, np.maximum(L / (1 - fb) / (1 + ref) - L / (1 - fb) * fb, 0.0))


def reference_event_exposure(kind, start, end, years, midpoint, speed, ceiling, kappa, base_year=2023):
    """The vectorised implementation this release replaced (every year, every node at once)."""
    y0 = np.asarray(years, dtype=float)
    end_v = np.inf if end is None else float(end)
    a, b = np.clip(y0, start, end_v), np.clip(y0 + 1.0, start, end_v)
    covered = core.absolute_adoption_integral(a, b, midpoint, speed, ceiling, base_year)
    if kind != "delay" or not np.isfinite(end_v):
        return covered
    d = end_v - start
    lo, hi = np.maximum(y0, end_v), np.maximum(y0 + 1.0, end_v)
    kappa = np.asarray(kappa, dtype=float)
    if not np.any(kappa):
        return covered + (core.absolute_adoption_integral(lo, hi, midpoint, speed, ceiling, base_year)
                          - core.absolute_adoption_integral(lo - d, hi - d, midpoint, speed, ceiling, base_year))
    cols = np.flatnonzero(hi > lo)
    half = (hi[cols] - lo[cols]) / 2.0
    x, w = np.polynomial.legendre.leggauss(8)
    tau = (lo[cols] + half)[:, None] + half[:, None] * x[None, :] - base_year
    m = np.asarray(midpoint)[..., None, None] - base_year
    k, ceil = np.asarray(speed)[..., None], np.asarray(ceiling)[..., None]
    ekm = np.exp(k * m)
    scale = ceil / (1.0 - 1.0 / (1.0 + ekm))
    z1 = np.exp(-k * tau) * ekm
    gap = 1.0 / (1.0 + z1) - 1.0 / (1.0 + z1 * np.exp(k * d))
    weights = np.exp(-(kappa[..., None] if kappa.ndim else kappa) * (tau + base_year - end_v)) * w
    out = covered.copy()
    out[..., cols] += scale[..., 0] * np.einsum("...tn,...tn->...t", gap, np.broadcast_to(weights, gap.shape)) * half
    return out


@pytest.mark.parametrize("kind, start, end", [("delay", 2023.74, 2025.21), ("delay", 2030.5, 2031.25),
                                              ("outage", 2023.24, 2023.32), ("withheld", 2024.7, None),
                                              ("delay", 2041.5, 2042.0), ("delay", 2023.0, 2024.5)])
@pytest.mark.parametrize("kappa", [0.0, 2.0, "drawn"])
def test_event_exposure_matches_the_all_at_once_quadrature(kind, start, end, kappa):
    rng = np.random.default_rng(4)
    d, m = 7, 11
    mid = rng.uniform(2024, 2040, (d, m))
    k, L = rng.uniform(0.3, 0.9, (d, 1, 1)), rng.uniform(0.5, 1.0, (d, 1, 1))
    kap = rng.uniform(0.0, 6.0, (d, 1, 1)) if kappa == "drawn" else kappa
    want = reference_event_exposure(kind, start, end, YEARS, mid, k, L, kap)
    out = np.full((d, m, len(YEARS)), np.nan)
    got = core.event_exposure(kind, start, end, YEARS, mid, k, L, kap, out=out)
    assert got is out
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=0)
    np.testing.assert_array_equal(got == 0, want == 0)  # nothing outside the years an event touches


@pytest.mark.parametrize("n", [1, 2, 3])
def test_levers_written_into_out_arrays_are_the_same(n):
    rng = np.random.default_rng(n)
    shape = (5, 4, 18)
    open_gain = rng.random(shape)
    gaps = [rng.random(shape) * 0.1 for _ in range(n)]
    subs = [rng.random((5, 1, 1)) for _ in range(n)]
    drag = rng.random((5, 1, 1)) * 0.05 * (rng.random((4, 1)) > 0.5) * np.linspace(0, 1, 18)
    plain, plain_per = core.restriction_loss_levers(open_gain, gaps, subs, drag)
    out = {k: np.full(shape, np.nan) for k in plain}
    got, per = core.restriction_loss_levers(open_gain, gaps, subs, drag, out=out)
    for k in plain:
        np.testing.assert_array_equal(got[k], plain[k])
        assert got[k] is out[k]
    for p, q in zip(per, plain_per):
        for k in p:
            np.testing.assert_array_equal(p[k], q[k])
    # the equations, written out
    half = 1 - drag / 2
    x = sum(g * (1 - s) for g, s in zip(gaps, subs))
    np.testing.assert_allclose(got["restricted_products"], sum(g * half for g in gaps), rtol=1e-15)
    np.testing.assert_allclose(got["substitution"], -sum(g * half * s for g, s in zip(gaps, subs)), rtol=1e-15)
    np.testing.assert_allclose(got["compliance_drag"], drag * (open_gain - x / 2), rtol=1e-14, atol=1e-18)


def test_restriction_gap_in_place():
    rng = np.random.default_rng(5)
    v, a, ad, s = rng.random((3, 4, 5)), rng.random((3, 4, 5)), rng.random((3, 4, 5)), rng.random((3, 1, 1))
    want = v * s * (a - ad)
    np.testing.assert_array_equal(core.restriction_gap(v, a, ad.copy(), s), want)
    buf = ad.copy()
    assert core.restriction_gap(v, a, buf, s, out=buf) is buf
    np.testing.assert_array_equal(buf, want)
    assert core.restriction_gap(2.0, 0.5, 0.25, 0.1) == pytest.approx(0.05)


def test_growth_from_level_by_hand():
    u = np.random.default_rng(6).random((3, 4, 7)) * 0.1
    prev = np.concatenate([np.zeros_like(u[..., :1]), u[..., :-1]], axis=-1)
    np.testing.assert_array_equal(core.growth_from_level(u), (1 + u) / (1 + prev) - 1)
    np.testing.assert_array_equal(core.growth_from_level(u, axis=1),
                                  np.moveaxis(core.growth_from_level(np.moveaxis(u, 1, -1)), -1, 1))
    assert core.growth_from_level(np.zeros((2, 0))).shape == (2, 0)


def test_masks_are_computed_once_and_read_only():
    a = country_arrays()
    m = a.mask("AUT,DEU")
    assert m is a.mask("AUT,DEU") and m.sum() == 2 and not m.flags.writeable
    with pytest.raises(ValueError):
        m[0] = True
    np.testing.assert_array_equal(a.mask("EU27"), a.region == "EU27")


def test_single_runs_are_unchanged_by_the_batch_paths():
    """One run and the same draw inside a batch of 300 (sharing, workspace) agree bit for bit."""
    s = SCENARIOS["legacy"]
    draws = U.sample(U.distributions(s), 300, np.random.default_rng(8))
    params, restrictions = batch_inputs(s, draws)
    many = evaluate(params, restrictions, country_arrays(), YEARS, workspace={})
    one = evaluate(*batch_inputs(s, {k: v[17:18] for k, v in draws.items()}), country_arrays(), YEARS)
    np.testing.assert_array_equal(many.open_gain[17], one.open_gain[0])
    np.testing.assert_array_equal(many.loss[17], one.loss[0])
