"""Observed generative-AI usage, enterprise AI adoption and occupational exposure, by country.

Loaders for the curated observation tables shipped in ``model/tables/`` (built by the
maintainer's script ``data/build_observations.py``; sources, licences, mappings and fills in
``data/README.md``):

* :func:`load_usage_msft`: Microsoft AI diffusion, share of the working-age population using
  generative AI, 146 economies x 3 periods (H1 2025, H2 2025, Q1 2026);
* :func:`load_usage_msft_unmatched`: Microsoft economies with no row in ``countries.csv``;
* :func:`load_eurostat_genai_individuals`: Eurostat, individuals using generative-AI tools, 2025;
* :func:`load_eurostat_enterprise_ai`: Eurostat, enterprises using AI, 2021-2025;
* :func:`load_exposure_ilo`: a generative-AI exposure index for every economy of
  ``countries.csv`` (ILO WP 140 occupation scores weighted by ILOSTAT employment).

Every loader checks the columns and values of its table and raises :class:`ValueError`
naming the file and the problem. The frames are cached: do not modify them.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from .data import load_countries, table_path

#: Microsoft reporting periods and their mid-points, decimal years.
MSFT_PERIODS: dict[str, float] = {"H1 2025": 2025.25, "H2 2025": 2025.75, "Q1 2026": 2026.125}


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(table_path(name), keep_default_na=False, na_values=[""])


def _fail(name: str, problem: str):
    raise ValueError(f"model/tables/{name}: {problem}")


def _check_columns(df: pd.DataFrame, name: str, columns: list[str]) -> pd.DataFrame:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        _fail(name, f"missing columns {missing} (has {list(df.columns)})")
    return df[columns]


def _check_iso3(df: pd.DataFrame, name: str) -> None:
    iso = df["iso3"]
    bad = iso[~iso.astype(str).str.fullmatch(r"[A-Z]{3}")]
    if len(bad):
        _fail(name, f"iso3 values that are not three upper-case letters: {sorted(map(str, bad.unique()))[:5]}")


def _check_numeric(df: pd.DataFrame, name: str, col: str, lo: float, hi: float,
                   lo_open: bool = False) -> None:
    values = pd.to_numeric(df[col], errors="coerce")
    if values.isna().any():
        _fail(name, f"column {col} has missing or non-numeric values")
    x = values.to_numpy(dtype=float)
    ok = (x > lo if lo_open else x >= lo) & (x <= hi) & np.isfinite(x)
    if not ok.all():
        _fail(name, f"column {col} has values outside {'(' if lo_open else '['}{lo}, {hi}]: "
                    f"{sorted(x[~ok])[:5]}")


def _check_unique(df: pd.DataFrame, name: str, keys: list[str]) -> None:
    dup = df.duplicated(keys, keep=False)
    if dup.any():
        _fail(name, f"duplicate rows for {keys}: {df.loc[dup, keys].head(3).values.tolist()}")


@lru_cache(maxsize=1)
def load_usage_msft() -> pd.DataFrame:
    """Microsoft AI diffusion by economy and period (``usage_msft.csv``).

    Columns: ``iso3``; ``period`` (``H1 2025``, ``H2 2025``, ``Q1 2026``); ``period_mid_year``
    (decimal year, the middle of the period); ``usage_pct`` (% of the working-age population,
    15-64, that used a generative-AI product in the period; modelled from Microsoft telemetry,
    Misra et al. 2025); ``source``. One row per economy and period.
    """
    name = "usage_msft.csv"
    df = _check_columns(_read(name), name, ["iso3", "period", "period_mid_year", "usage_pct", "source"])
    _check_iso3(df, name)
    unknown = set(df["period"]) - set(MSFT_PERIODS)
    if unknown:
        _fail(name, f"unknown periods {sorted(unknown)}")
    mids = df["period"].map(MSFT_PERIODS)
    if not np.allclose(pd.to_numeric(df["period_mid_year"], errors="coerce"), mids, rtol=0, atol=1e-9):
        _fail(name, "period_mid_year does not match the period")
    _check_numeric(df, name, "usage_pct", 0.0, 100.0, lo_open=True)
    if (df["usage_pct"] >= 100).any():
        _fail(name, "usage_pct of 100 (logit undefined)")
    _check_unique(df, name, ["iso3", "period"])
    return df


@lru_cache(maxsize=1)
def load_usage_msft_unmatched() -> pd.DataFrame:
    """Microsoft economies that have no row in ``countries.csv`` (``usage_msft_unmatched.csv``).

    Columns: ``name`` (as spelled by Microsoft), ``reason``.
    """
    name = "usage_msft_unmatched.csv"
    df = _check_columns(_read(name), name, ["name", "reason"])
    if df.isna().any().any() or (df.astype(str).apply(lambda s: s.str.strip()) == "").any().any():
        _fail(name, "empty name or reason")
    return df


@lru_cache(maxsize=1)
def load_eurostat_genai_individuals() -> pd.DataFrame:
    """Eurostat: individuals (16-74) who used generative-AI tools in the last 3 months, 2025.

    ``eurostat_genai_individuals.csv``, columns ``iso3, year, value_pct, indicator, source``;
    the 27 member states plus NOR, CHE, BIH, MKD, SRB, TUR (Eurostat, isoc_ai_iaiu).
    """
    return _yearly_pct("eurostat_genai_individuals.csv", ["iso3", "year", "value_pct", "indicator", "source"])


@lru_cache(maxsize=1)
def load_eurostat_enterprise_ai() -> pd.DataFrame:
    """Eurostat: enterprises (10+ persons employed) using at least one AI technology, %.

    ``eurostat_enterprise_ai.csv``, columns ``iso3, year, value_pct, source``; the 27 member
    states, 2021 and 2023-2025 (Eurostat, isoc_eb_ai, E_AI_TANY). 2021 uses an earlier AI
    definition (series break): use 2023-2025 for trends.
    """
    return _yearly_pct("eurostat_enterprise_ai.csv", ["iso3", "year", "value_pct", "source"])


def _yearly_pct(name: str, columns: list[str]) -> pd.DataFrame:
    """A table of one percentage per economy and year, checked (columns, ISO3, ranges, uniqueness)."""
    df = _check_columns(_read(name), name, columns)
    _check_iso3(df, name)
    _check_numeric(df, name, "year", 2020, 2100)
    _check_numeric(df, name, "value_pct", 0.0, 100.0)
    _check_unique(df, name, ["iso3", "year"])
    return df


@lru_cache(maxsize=1)
def load_exposure_ilo() -> pd.DataFrame:
    """Generative-AI exposure index per economy (``exposure_ilo.csv``), one row per economy.

    Columns: ``iso3``; ``exposure_index`` (0-1: the employment-weighted mean of the ILO 2025
    exposure scores of the ISCO-08 major groups 1-9, Gmyrek et al. 2025, ILO WP 140, with
    ILOSTAT employment by major group; only relative values matter); ``employment_year``
    (ILOSTAT reference year, empty on fallback rows); ``fallback`` (1 where the economy has no
    ISCO-08 employment data and takes the GDP-weighted mean index of its IMF group);
    ``fallback_rule``; ``source``.
    """
    name = "exposure_ilo.csv"
    df = _check_columns(_read(name), name,
                        ["iso3", "exposure_index", "employment_year", "fallback", "fallback_rule", "source"])
    _check_iso3(df, name)
    _check_unique(df, name, ["iso3"])
    _check_numeric(df, name, "exposure_index", 0.0, 1.0, lo_open=True)
    if not df["fallback"].isin([0, 1]).all():
        _fail(name, "fallback must be 0 or 1")
    year_missing = df["employment_year"].isna()
    if not (year_missing == (df["fallback"] == 1)).all():
        _fail(name, "employment_year must be empty exactly on fallback rows")
    if df["fallback_rule"].isna().any():
        _fail(name, "empty fallback_rule")
    missing = sorted(set(load_countries()["iso3"]) - set(df["iso3"]))
    if missing:
        _fail(name, f"no row for economies of countries.csv: {missing[:5]}")
    return df.assign(employment_year=df["employment_year"].astype("Int64"))


def country_observations(params) -> pd.DataFrame:
    """Every economy's observed usage, the adoption lag derived from it and its exposure, for the
    scenario's reference economy, period and weight (what ``python -m model countries`` lists).

    Columns: ``iso3, name, region, eu27, usage_pct`` (observed at the reference period, NaN where
    filled), ``usage_gap_years`` (weight 1), ``lag_years`` (times ``usage_lag_weight``; negative:
    ahead of the reference economy), ``lag_source`` (observed / filled), ``exposure_index`` (ILO
    occupations), ``exposure_fallback`` and ``aipi``.
    """
    from .data import load_countries

    c = load_countries()
    lags = _lags_at_weight_one(params.usage_reference_iso3, params.usage_reference_period,
                               getattr(params, "usage_source", "msft-usage"))
    exp = load_exposure_ilo().set_index("iso3")
    out = pd.DataFrame({"iso3": c.iso3, "name": c.name, "region": c.region, "eu27": c.eu27.astype(bool),
                        "usage_pct": lags.usage_pct.to_numpy(), "usage_gap_years": lags.lag_years.to_numpy(),
                        "lag_years": params.usage_lag_weight * lags.lag_years.to_numpy(),
                        "lag_source": lags.source.to_numpy(), "enterprise_ai_pct": lags.enterprise_pct.to_numpy(),
                        "exposure_index": c.iso3.map(exp.exposure_index).to_numpy(),
                        "exposure_fallback": c.iso3.map(exp.fallback).astype(bool).to_numpy(), "aipi": c.aipi})
    out.attrs.update(lags.attrs)
    return out


@lru_cache(maxsize=32)
def _lags_at_weight_one(reference_iso3: str, reference_period: str, usage_source: str) -> pd.DataFrame:
    return observed_lag_table(load_countries(), reference_iso3, reference_period, usage_source)


#: The usage data that set the lags (the parameter ``usage_source``).
USAGE_SOURCES: dict[str, str] = {
    "msft-usage": "Microsoft AI diffusion: share of the working-age population using generative AI",
    "eurostat-enterprise": "for EU members, Eurostat enterprise AI adoption (2025) spreads the members around the "
                           "EU's GDP-weighted mean lag from Microsoft usage; other economies as msft-usage",
}
#: Years of the Eurostat enterprise series the enterprise speed is fitted on (2021 is before a
#: change of the AI definition, a series break) and the year that places the members.
ENTERPRISE_FIT_YEARS: tuple[int, ...] = (2023, 2024, 2025)
ENTERPRISE_YEAR = 2025


def observed_lag_table(countries_df: pd.DataFrame, reference_iso3: str = "USA", reference_period: str = "H2 2025",
                       usage_source: str = "msft-usage") -> pd.DataFrame:
    """Every economy's lag behind the reference economy at weight 1, from the chosen usage data.

    ``msft-usage``: :func:`model.calibration.observed_lags` on the Microsoft usage table.
    ``eurostat-enterprise``: the same, then the EU members of ``countries_df`` (column ``eu27``)
    re-spread by their 2025 enterprise AI adoption around the EU's GDP-weighted mean lag
    (:func:`model.calibration.enterprise_lags`, speed fitted on 2023-2025 with
    :func:`model.calibration.fit_usage_speed`). Columns as ``observed_lags`` plus
    ``enterprise_pct`` (Eurostat, 2025, % of enterprises; NaN outside the EU); ``lag_source``
    ``enterprise`` for re-spread members; ``attrs`` adds ``usage_source`` and ``k_e`` (1/year).
    """
    from .calibration import enterprise_lags, fit_usage_speed, observed_lags

    if usage_source not in USAGE_SOURCES:
        raise ValueError(f"usage_source {usage_source!r}: allowed {', '.join(USAGE_SOURCES)}")
    lags = observed_lags(countries_df, load_usage_msft(), reference_iso3=reference_iso3,
                         reference_period=reference_period, weight=1.0)
    ent = load_eurostat_enterprise_ai()
    wide = ent[ent.year.isin(ENTERPRISE_FIT_YEARS)].pivot(index="iso3", columns="year", values="value_pct") / 100
    share = countries_df["iso3"].map(wide[ENTERPRISE_YEAR]).to_numpy(dtype=float)
    eu = countries_df["eu27"].astype(bool).to_numpy() if "eu27" in countries_df else np.zeros(len(share), bool)
    members = eu & ~np.isnan(share)
    out = lags.assign(enterprise_pct=np.where(eu, share * 100, np.nan))
    out.attrs.update(lags.attrs, usage_source=usage_source, k_e=float("nan"))
    if usage_source == "eurostat-enterprise" and members.any():
        k_e = fit_usage_speed(wide.columns.to_numpy(dtype=float), wide.to_numpy())
        out["lag_years"] = enterprise_lags(lags.lag_years.to_numpy(), countries_df["gdp_2023_usd_bn"].to_numpy(),
                                           members, np.where(members, share, np.nan), k_e)
        out["source"] = np.where(members, "enterprise", lags.source.to_numpy())
        out.attrs["k_e"] = float(k_e)
    return out


#: Published relative splits the allocation can be set beside (research notes, economics.md):
#: (comparison, numerator, denominator, published ratio, source).
PUBLISHED_SPLITS = (
    ("EU27 vs United States", "EU27", "United States", (0.68, 0.79),
     "PwC (2017) 'Sizing the prize', all AI, 2030: Northern Europe 9.9 %, Southern Europe 11.5 % vs North America 14.5 %"),
    ("China vs United States", "China", "United States", (1.80, 1.80),
     "PwC (2017): China 26.1 % vs North America 14.5 % (all AI; consumption gains included)"),
    ("Emerging vs advanced (IMF groups)", "EM", "AE", (0.67, 0.67),
     "IMF SDN/2024/001: about 40 % vs 60 % of employment exposed"),
    ("Low-income vs advanced (IMF groups)", "LIC", "AE", (0.43, 0.43),
     "IMF SDN/2024/001: about 26 % vs 60 % of employment exposed"),
)


def allocation_vs_published(result) -> pd.DataFrame:
    """The model's potential as % of 2023 GDP of one group relative to another, beside published
    splits (PwC 2017 regions, IMF exposure groups). Different quantities (PwC: all AI, 2030 GDP
    uplift; IMF: share of jobs exposed) compared as relative intensities; shown, not tuned."""
    from .data import load_countries

    c = load_countries().set_index("iso3")
    s = result.summary("countries")

    def intensity(group: str) -> float:
        codes = c.index[c.imf_group == group] if group in ("AE", "EM", "LIC") else None
        if codes is None:
            return float(s.loc[group, "potential_gain_pct_gdp"])
        rows = s.loc[list(codes)]
        return float(rows.potential_gain_usd_bn.sum() / rows.gdp_base_usd_bn.sum() * 100)

    out = []
    for label, num, den, (lo, hi), source in PUBLISHED_SPLITS:
        model_ratio = intensity(num) / intensity(den)
        published = f"{lo:.2f}" if lo == hi else f"{lo:.2f}-{hi:.2f}"
        out.append({"comparison": label, "published": published, "model": round(model_ratio, 2),
                    "within": lo - 0.005 <= model_ratio <= hi + 0.005, "source": source})
    return pd.DataFrame(out)
