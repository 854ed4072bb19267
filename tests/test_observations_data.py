"""Observed usage, enterprise adoption and exposure tables (issue 10), and the usage calibration.

The shipped tables in ``model/tables/`` are rebuilt from the reference files and compared
byte for byte; their contents are checked against the sources; the calibration functions
are checked on synthetic data with known answers.
"""

from __future__ import annotations

import importlib.util
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import observations
from model.calibration import (fill_missing_lags, fit_usage_speed, logit, observed_lags,
                               usage_lags)
from model.data import load_countries, table_path

from conftest import ROOT

TABLES = ["usage_msft.csv", "usage_msft_unmatched.csv", "eurostat_genai_individuals.csv",
          "eurostat_enterprise_ai.csv", "exposure_ilo.csv"]


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("build_observations", ROOT / "data" / "build_observations.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def fresh(build, reference):
    return build.build_all(reference)


# --- the shipped tables against the reference files ---------------------------------------

@pytest.mark.parametrize("name", TABLES)
def test_shipped_table_equals_fresh_build(build, fresh, name):
    shipped = (ROOT / "model" / "tables" / name).read_text(encoding="utf-8")
    assert build.to_csv_text(fresh[name]) == shipped, f"{name} is stale: rerun data/build_observations.py"


def test_every_msft_economy_mapped_or_listed(reference):
    raw = pd.read_csv(reference / "msft_ai_diffusion_2025h1_2026q1.csv")
    assert len(raw) == 147
    usage = observations.load_usage_msft()
    unmatched = observations.load_usage_msft_unmatched()
    countries = set(load_countries().iso3)
    assert set(usage.iso3) <= countries
    n_mapped = usage.iso3.nunique()
    assert n_mapped + len(unmatched) == 147
    assert set(unmatched.name) <= set(raw.Economy)
    assert (unmatched.reason.str.len() > 20).all()
    # every economy has the three periods
    assert (usage.groupby("iso3").size() == 3).all()


def test_usage_values_equal_reference_percentages(build, reference):
    raw = pd.read_csv(reference / "msft_ai_diffusion_2025h1_2026q1.csv")
    mapping = build.name_to_iso3(raw.Economy, load_countries())
    usage = observations.load_usage_msft().set_index(["iso3", "period"])["usage_pct"]
    n = 0
    for _, row in raw.iterrows():
        if row.Economy not in mapping:
            continue
        for period in ("H1 2025", "H2 2025", "Q1 2026"):
            expected = float(row[f"{period} AI Diffusion"].rstrip("%"))
            assert usage[(mapping[row.Economy], period)] == pytest.approx(expected, abs=1e-9)
            n += 1
    assert n == len(usage)
    # spot checks from the source note (H2 2025) and name mappings that need a rule
    for iso, v in [("ARE", 64.0), ("SGP", 60.9), ("USA", 28.3), ("DEU", 28.6), ("CHN", 16.3),
                   ("KOR", 30.7), ("COG", 7.8), ("COD", 7.8), ("CIV", 11.7), ("TUR", 14.6)]:
        assert usage[(iso, "H2 2025")] == v


def test_eurostat_tables_agree_with_reference(reference):
    ind = observations.load_eurostat_genai_individuals().set_index("iso3")["value_pct"]
    ent = observations.load_eurostat_enterprise_ai().set_index(["iso3", "year"])["value_pct"]
    eu = set(load_countries().query("eu27 == 1").iso3)
    assert eu <= set(ind.index)
    assert set(ind.index) - eu == {"NOR", "CHE", "BIH", "MKD", "SRB", "TUR"}
    assert {i for i, _ in ent.index} == eu
    assert ind["GRC"] == 44.09 and ind["DNK"] == 48.44 and ind["ROU"] == 17.76
    assert ent[("GRC", 2025)] == pytest.approx(
        pd.read_csv(reference / "eurostat_isoc_eb_ai_enterprise_ai_use_eu27_2021_2025.csv")
        .query("country == 'Greece' and year == 2025").value.item())
    assert ent[("DNK", 2021)] == 23.89 and ent[("ROU", 2025)] < ent[("DNK", 2025)]
    raw = pd.read_csv(reference / "eurostat_isoc_eb_ai_enterprise_ai_use_eu27_2021_2025.csv")
    assert len(ent) == len(raw) and sorted(ent.values) == sorted(raw.value.values)


# --- exposure index ---------------------------------------------------------------------------

def test_exposure_finite_positive_for_every_economy():
    x = observations.load_exposure_ilo().set_index("iso3")
    c = load_countries()
    assert set(x.index) == set(c.iso3) and len(x) == len(c)
    v = x.exposure_index.to_numpy(dtype=float)
    assert np.isfinite(v).all() and (v > 0).all() and (v < 1).all()


def test_exposure_fallback_exactly_where_ilostat_has_no_data(reference):
    x = observations.load_exposure_ilo().set_index("iso3")
    emp = pd.read_csv(reference / "ilostat_emp_by_isco08_major_group.csv", keep_default_na=False)
    has = set(emp.iso3)
    expect = pd.Series([int(i not in has) for i in x.index], index=x.index)
    pd.testing.assert_series_equal(x.fallback, expect, check_names=False, check_dtype=False)
    assert {"CHN", "CAN", "TWN", "SAU"} <= set(x.index[x.fallback == 1])


def test_exposure_recomputed_from_reference(reference):
    """Independent recomputation from the occupation file and ILOSTAT (no build code)."""
    occ = pd.read_csv(reference / "ilo_genai_exposure_isco08_2025.csv", dtype={"isco08_4d": str})
    score = occ.groupby(occ.isco08_4d.str[0]).mean_score_2025.mean()
    emp = pd.read_csv(reference / "ilostat_emp_by_isco08_major_group.csv", dtype={"isco08_major": str},
                      keep_default_na=False)
    emp = emp[emp.isco08_major.isin(score.index)]
    idx = (emp.employment_thousands * emp.isco08_major.map(score)).groupby(emp.iso3).sum() / \
        emp.groupby("iso3").employment_thousands.sum()
    x = observations.load_exposure_ilo().set_index("iso3")
    own = x[x.fallback == 0]
    # the shipped index uses the 4-d.p. group scores: agreement to 1e-4
    assert (abs(own.exposure_index - idx.loc[own.index]) < 1e-4).all()
    assert (own.employment_year == emp.groupby("iso3").year.first().loc[own.index]).all()
    # fallback = GDP-weighted mean of the IMF group among economies with data
    c = load_countries().set_index("iso3")
    for grp in ("AE", "EM", "LIC"):
        members = c.index[c.imf_group == grp]
        with_data = [i for i in members if x.loc[i, "fallback"] == 0]
        mean = np.average(x.loc[with_data, "exposure_index"], weights=c.loc[with_data, "gdp_2023_usd_bn"])
        fb = [i for i in members if x.loc[i, "fallback"] == 1]
        assert fb and np.allclose(x.loc[fb, "exposure_index"], mean, atol=1e-6)
    # a higher-skill employment mix gives a higher index (clerical and professional > elementary)
    assert x.loc["DEU", "exposure_index"] > x.loc["IND", "exposure_index"]


def test_loader_rejects_broken_table(tmp_path, monkeypatch):
    good = pd.read_csv(table_path("exposure_ilo.csv"), keep_default_na=False)
    bad = good.copy()
    bad.loc[0, "exposure_index"] = -0.1
    bad.to_csv(tmp_path / "exposure_ilo.csv", index=False)
    monkeypatch.setattr(observations, "table_path", lambda name: tmp_path / name)
    with pytest.raises(ValueError, match="exposure_ilo.csv.*exposure_index"):
        observations.load_exposure_ilo.__wrapped__()
    good.drop(columns="fallback").to_csv(tmp_path / "exposure_ilo.csv", index=False)
    with pytest.raises(ValueError, match="exposure_ilo.csv.*missing columns"):
        observations.load_exposure_ilo.__wrapped__()
    u = pd.read_csv(table_path("usage_msft.csv"))
    u.loc[0, "period"] = "H3 2025"
    u.to_csv(tmp_path / "usage_msft.csv", index=False)
    with pytest.raises(ValueError, match="usage_msft.csv.*unknown periods"):
        observations.load_usage_msft.__wrapped__()


# --- calibration ----------------------------------------------------------------------------

def test_logit():
    assert logit(0.5) == 0.0
    assert logit(0.283) == pytest.approx(math.log(0.283 / 0.717))
    np.testing.assert_allclose(logit(np.array([1e-12, 1 - 1e-9])), [math.log(1e-12), math.log((1 - 1e-9) / 1e-9)],
                               rtol=1e-6)
    for bad in (0.0, 1.0, -0.1, 28.3):
        with pytest.raises(ValueError):
            logit(bad)


@settings(max_examples=60, deadline=None)
@given(k=st.floats(0.05, 3.0), seed=st.integers(0, 2**31 - 1))
def test_fit_usage_speed_recovers_known_k(k, seed):
    rng = np.random.default_rng(seed)
    t = np.array([2025.25, 2025.75, 2026.125])
    m = rng.uniform(2024.0, 2030.0, size=40)  # economy-specific midpoints (fixed effects)
    u = 1.0 / (1.0 + np.exp(-k * (t[None, :] - m[:, None])))
    assert fit_usage_speed(t, u) == pytest.approx(k, rel=1e-9)
    # missing cells are skipped; an economy seen once adds nothing
    u2 = u.copy()
    u2[::3, 1] = np.nan
    u2[1, :2] = np.nan
    assert fit_usage_speed(t, u2) == pytest.approx(k, rel=1e-9)


def test_fit_usage_speed_is_within_not_pooled():
    # Cross-section slope is negative (later-observed economies are lower), within slope is 0.5.
    t = np.array([[2025.0, 2026.0], [2027.0, 2028.0]])
    y = np.array([[0.0, 0.5], [-3.0, -2.5]])
    u = 1 / (1 + np.exp(-y))
    assert fit_usage_speed(t, u) == pytest.approx(0.5)
    with pytest.raises(ValueError):
        fit_usage_speed([2025.0], [[0.3]])


def test_usage_lags_formula():
    lag = usage_lags(logit(0.3), logit(np.array([0.3, 0.1, 0.6])), k_u=0.5, weight=0.8)
    np.testing.assert_allclose(lag, 0.8 * (logit(0.3) - logit(np.array([0.3, 0.1, 0.6]))) / 0.5)
    assert lag[0] == 0 and lag[1] > 0 and lag[2] < 0
    with pytest.raises(ValueError):
        usage_lags(0.0, [0.0], k_u=0.0)


@settings(max_examples=200, deadline=None)
@given(u=st.lists(st.floats(0.001, 0.999), min_size=2, max_size=30),
       ref=st.floats(0.001, 0.999), k=st.floats(0.01, 5.0), w=st.floats(0.0, 2.0))
def test_higher_usage_never_later_lag(u, ref, k, w):
    u = np.array(u)
    lag = usage_lags(logit(ref), logit(u), k, w)
    order = np.argsort(u, kind="stable")
    assert (np.diff(lag[order]) <= 1e-12).all()


def test_higher_usage_never_later_lag_on_shipped_data():
    lags = observed_lags(load_countries(), observations.load_usage_msft())
    obs = lags[lags.source == "observed"].sort_values("usage_pct")
    assert len(obs) == 146
    assert (np.diff(obs.lag_years.to_numpy()) <= 1e-12).all()
    assert lags.set_index("iso3").loc["USA", "lag_years"] == 0.0
    assert lags.attrs["k_u"] > 0
    # economies with higher usage than the US at H2 2025 are ahead (negative lag)
    us = obs.set_index("iso3").loc["USA", "usage_pct"]
    assert ((obs.usage_pct > us) == (obs.lag_years < 0)).all()


def test_fill_missing_lags_uses_group_median():
    lags = np.array([1.0, 2.0, 10.0, np.nan, 5.0, 7.0, np.nan, np.nan])
    has = np.array([1, 1, 1, 0, 1, 1, 0, 0], dtype=bool)
    fine = np.array(["a", "a", "a", "a", "b", "b", "b", "c"], dtype=object)
    broad = np.array(["X", "X", "X", "X", "X", "X", "X", "Y"], dtype=object)
    filled, flag = fill_missing_lags(lags, has, [fine, broad])
    assert filled[3] == 2.0  # median of group a (1, 2, 10), not its mean
    assert filled[6] == 6.0  # median of group b (5, 7)
    assert filled[7] == 5.0  # c and Y empty: median of all observed (1, 2, 5, 7, 10)
    np.testing.assert_array_equal(flag, ~has)
    np.testing.assert_array_equal(filled[has], lags[has])
    # a single label array works too, and the broad level is used when the fine cell is empty
    filled1, _ = fill_missing_lags(lags, has, fine)
    assert filled1[3] == 2.0 and filled1[7] == 5.0
    filled2, _ = fill_missing_lags(lags, has, [np.array(list("pppppppq"), dtype=object), broad])
    assert filled2[7] == 5.0 and filled2[3] == np.median([1, 2, 10, 5, 7])


def test_observed_lags_fills_by_region_and_income():
    c = load_countries()
    lags = observed_lags(c, observations.load_usage_msft(), weight=0.5).set_index("iso3")
    full = observed_lags(c, observations.load_usage_msft(), weight=1.0).set_index("iso3")
    assert set(lags.source) == {"observed", "filled"} and len(lags) == len(c)
    assert np.isfinite(lags.lag_years).all()
    obs = lags.source == "observed"
    np.testing.assert_allclose(lags.lag_years[obs], 0.5 * full.lag_years[obs])
    # Luxembourg has no Microsoft value: median of observed Europe & Central Asia high-income economies
    ci = c.set_index("iso3")
    cell = ci.index[(ci.wb_region == "Europe & Central Asia") & (ci.wb_income_group == "High income")]
    ref = full.loc[cell]
    assert full.loc["LUX", "source"] == "filled"
    assert full.loc["LUX", "lag_years"] == pytest.approx(np.median(ref.lag_years[ref.source == "observed"]))
