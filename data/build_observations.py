"""Build the observed-data tables of ``model/tables/`` from the public files in ``../shared/reference``.

This is a maintainer's script, run by hand when a source vintage changes::

    .venv/bin/python data/build_observations.py [path/to/shared/reference]

(default ``../shared/reference``, relative to the project root). It writes

* ``usage_msft.csv``: Microsoft AI diffusion (share of the working-age population using
  generative AI), H1 2025, H2 2025 and Q1 2026, by ISO3 code;
* ``usage_msft_unmatched.csv``: the Microsoft economies with no row in ``countries.csv``,
  each with the reason;
* ``eurostat_genai_individuals.csv``: individuals (16-74) using generative-AI tools, 2025;
* ``eurostat_enterprise_ai.csv``: enterprises (10+ persons) using AI, 2021-2025;
* ``exposure_ilo.csv``: a country generative-AI exposure index, the employment-weighted mean of
  the ILO 2025 major-group exposure scores (Gmyrek et al. 2025, ILO WP 140) with ILOSTAT
  employment by ISCO-08 major group, for every economy of ``countries.csv``.

The product never runs this script and never reads ``../shared``: it reads only the CSVs
written here (through :mod:`model.observations`). ``tests/test_observations_data.py`` rebuilds
every table from the reference files and checks that the shipped files are identical byte for
byte, so a stale or hand-edited table fails the tests. The sources, mappings, fills and
judgements are described in ``data/README.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
TABLES = ROOT / "model" / "tables"

MSFT_FILE = "msft_ai_diffusion_2025h1_2026q1.csv"
EUROSTAT_INDIVIDUALS_FILE = "eurostat_isoc_ai_iaiu_genai_use_individuals_2025.csv"
EUROSTAT_ENTERPRISE_FILE = "eurostat_isoc_eb_ai_enterprise_ai_use_eu27_2021_2025.csv"
ILO_GROUP_FILE = "ilo_genai_exposure_by_isco08_major_group.csv"
ILO_OCCUPATION_FILE = "ilo_genai_exposure_isco08_2025.csv"
ILOSTAT_FILE = "ilostat_emp_by_isco08_major_group.csv"

#: Microsoft period label -> middle of the period as a decimal year.
PERIOD_MID_YEAR = {"H1 2025": 2025.25, "H2 2025": 2025.75, "Q1 2026": 2026.125}

#: Economy names that differ from the World Bank names of ``countries.csv`` (Microsoft and
#: Eurostat spellings) -> ISO3. "Congo" is the Republic of the Congo because the same file
#: lists "Congo (DRC)" separately (Microsoft/Bing naming).
NAME_TO_ISO3 = {
    "South Korea": "KOR",
    "Taiwan": "TWN",
    "Slovakia": "SVK",
    "Bosnia And Herzegovina": "BIH",
    "Egypt": "EGY",
    "Cote D'Ivoire": "CIV",
    "Gambia": "GMB",
    "Iran": "IRN",
    "Venezuela": "VEN",
    "Kyrgyzstan": "KGZ",
    "Russia": "RUS",
    "Congo": "COG",
    "Congo (DRC)": "COD",
    "Syria": "SYR",
    "Laos": "LAO",
}
#: Names that are deliberately not mapped, with the reason (written to the unmatched table).
UNMATCHED_REASON = {
    "French Guiana": (
        "French overseas department (ISO 3166 GUF); part of France in the World Bank list, "
        "so not a separate economy in countries.csv; not merged into France's value"
    ),
}
#: Eurostat aggregates in the individuals file: dropped (not economies).
EUROSTAT_AGGREGATES = {"Euro area", "European Union - 27 countries (from 2020)"}

MSFT_SOURCE = (
    "Microsoft AI Economy Institute, AI Diffusion Report (Q1 2026 update), AI user share of "
    "the working-age population; github.com/microsoft/ai-diffusion-report, MIT"
)
EUROSTAT_INDIVIDUALS_INDICATOR = (
    "Use of generative AI tools in the last 3 months, % of all individuals aged 16-74"
)
EUROSTAT_INDIVIDUALS_SOURCE = "Eurostat, isoc_ai_iaiu (last update 2025-12-16), CC BY 4.0"
EUROSTAT_ENTERPRISE_SOURCE = (
    "Eurostat, isoc_eb_ai E_AI_TANY, % of enterprises with 10+ persons employed using at least "
    "one AI technology, CC BY 4.0"
)
EUROSTAT_ENTERPRISE_SOURCE_2021 = EUROSTAT_ENTERPRISE_SOURCE + " (2021: earlier AI definition, series break)"
EXPOSURE_SOURCE = (
    "Derived: ILO 2025 generative-AI exposure scores by ISCO-08 major group (Gmyrek et al. 2025, "
    "ILO Working Paper 140) weighted by ILOSTAT EMP_TEMP_SEX_OCU_NB employment (ILOSTAT, ILO, "
    "CC BY 4.0)"
)
SCORED_GROUPS = [str(g) for g in range(1, 10)]  # ISCO-08 major groups with an ILO score (not 0, not X)


def _countries() -> pd.DataFrame:
    return pd.read_csv(TABLES / "countries.csv", keep_default_na=False, na_values=[""])


def name_to_iso3(names, countries: pd.DataFrame) -> dict[str, str]:
    """ISO3 code of each name that is in ``countries.csv`` (by exact name or the mapping above)."""
    by_name = dict(zip(countries["name"], countries["iso3"]))
    known = set(countries["iso3"])
    out = {}
    for name in names:
        code = NAME_TO_ISO3.get(name, by_name.get(name))
        if code is not None and code in known:
            out[name] = code
    return out


def _pct(s: pd.Series) -> pd.Series:
    return s.str.rstrip("%").astype(float)


def build_usage_msft(ref: Path, countries: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    raw = pd.read_csv(ref / MSFT_FILE, encoding="utf-8")
    if len(raw) != 147 or raw["Economy"].duplicated().any():
        raise ValueError(f"{MSFT_FILE}: expected 147 distinct economies, got {raw['Economy'].nunique()}")
    mapping = name_to_iso3(raw["Economy"], countries)
    unmatched = [n for n in raw["Economy"] if n not in mapping]
    unexplained = [n for n in unmatched if n not in UNMATCHED_REASON]
    if unexplained:
        raise ValueError(f"{MSFT_FILE}: names neither mapped nor explained: {unexplained}")
    codes = pd.Series(mapping)
    if codes.duplicated().any():
        raise ValueError(f"{MSFT_FILE}: two names map to one code: {codes[codes.duplicated(keep=False)]}")
    rows = []
    for period, mid in PERIOD_MID_YEAR.items():
        col = f"{period} AI Diffusion"
        vals = _pct(raw[col])
        for name, v in zip(raw["Economy"], vals):
            if name in mapping:
                rows.append({"iso3": mapping[name], "period": period, "period_mid_year": mid,
                             "usage_pct": round(float(v), 4), "source": MSFT_SOURCE})
    usage = pd.DataFrame(rows).sort_values(["iso3", "period_mid_year"]).reset_index(drop=True)
    um = pd.DataFrame({"name": unmatched, "reason": [UNMATCHED_REASON[n] for n in unmatched]})
    return usage, um.sort_values("name").reset_index(drop=True)


def build_eurostat_individuals(ref: Path, countries: pd.DataFrame) -> pd.DataFrame:
    raw = pd.read_csv(ref / EUROSTAT_INDIVIDUALS_FILE)
    raw = raw[~raw["country"].isin(EUROSTAT_AGGREGATES)]
    mapping = name_to_iso3(raw["country"], countries)
    missing = sorted(set(raw["country"]) - set(mapping))
    if missing:
        raise ValueError(f"{EUROSTAT_INDIVIDUALS_FILE}: unmapped names {missing}")
    out = pd.DataFrame({
        "iso3": raw["country"].map(mapping),
        "year": raw["year"].astype(int),
        "value_pct": raw["value"].astype(float).round(4),
        "indicator": EUROSTAT_INDIVIDUALS_INDICATOR,
        "source": EUROSTAT_INDIVIDUALS_SOURCE,
    })
    return out.sort_values(["iso3", "year"]).reset_index(drop=True)


def build_eurostat_enterprise(ref: Path, countries: pd.DataFrame) -> pd.DataFrame:
    raw = pd.read_csv(ref / EUROSTAT_ENTERPRISE_FILE)
    mapping = name_to_iso3(raw["country"], countries)
    missing = sorted(set(raw["country"]) - set(mapping))
    if missing:
        raise ValueError(f"{EUROSTAT_ENTERPRISE_FILE}: unmapped names {missing}")
    year = raw["year"].astype(int)
    out = pd.DataFrame({
        "iso3": raw["country"].map(mapping),
        "year": year,
        "value_pct": raw["value"].astype(float).round(4),
        "source": np.where(year == 2021, EUROSTAT_ENTERPRISE_SOURCE_2021, EUROSTAT_ENTERPRISE_SOURCE),
    })
    return out.sort_values(["iso3", "year"]).reset_index(drop=True)


def major_group_scores(ref: Path) -> pd.Series:
    """ILO 2025 exposure score per ISCO-08 major group ('1'..'9'), checked against the occupations.

    The score of a group is the unweighted mean of its 4-digit occupations' ``mean_score_2025``
    (as in the reference major-group file, rounded to 4 d.p.); recomputed here from the
    occupation file and checked to agree.
    """
    groups = pd.read_csv(ref / ILO_GROUP_FILE)
    scores = pd.Series(groups["mean_score_2025_unweighted"].values,
                       index=groups["major_group"].astype(str), dtype=float)
    occ = pd.read_csv(ref / ILO_OCCUPATION_FILE, dtype={"isco08_4d": str})
    recomputed = occ.groupby(occ["major_group"].astype(str))["mean_score_2025"].mean()
    if list(scores.index) != SCORED_GROUPS or (abs(recomputed.loc[scores.index] - scores) > 5e-5).any():
        raise ValueError(f"{ILO_GROUP_FILE} does not agree with {ILO_OCCUPATION_FILE}")
    return scores


def exposure_from_employment(employment: pd.DataFrame, scores: pd.Series) -> pd.DataFrame:
    """Employment-weighted mean exposure per economy, over the scored major groups present.

    ``employment`` has columns iso3, year, isco08_major (str), employment_thousands.
    Armed forces (0) and not classified (X) have no score and are left out; the weights are
    renormalised over the scored groups the economy publishes.
    """
    e = employment[employment["isco08_major"].isin(scores.index)].copy()
    e["weighted"] = e["employment_thousands"] * e["isco08_major"].map(scores)
    g = e.groupby("iso3").agg(weighted=("weighted", "sum"), emp=("employment_thousands", "sum"),
                              year=("year", "max"), n_groups=("isco08_major", "nunique"))
    g["exposure_index"] = g["weighted"] / g["emp"]
    return g


def build_exposure(ref: Path, countries: pd.DataFrame) -> pd.DataFrame:
    scores = major_group_scores(ref)
    emp = pd.read_csv(ref / ILOSTAT_FILE, dtype={"isco08_major": str},
                      keep_default_na=False, na_values=[""])
    if (emp.groupby("iso3")["year"].nunique() != 1).any():
        raise ValueError(f"{ILOSTAT_FILE}: more than one year for an economy")
    g = exposure_from_employment(emp, scores)
    c = countries.set_index("iso3")
    has = c.index.isin(g.index)
    # Fallback: GDP-weighted mean index of the IMF group among economies with data.
    with_data = c[has].assign(x=g["exposure_index"])
    group_mean = with_data.groupby("imf_group").apply(
        lambda d: float(np.average(d["x"], weights=d["gdp_2023_usd_bn"])), include_groups=False)
    n_data = with_data.groupby("imf_group").size()
    rows = []
    for iso3, row in c.iterrows():
        if iso3 in g.index:
            n = int(g.loc[iso3, "n_groups"])
            rows.append({"iso3": iso3, "exposure_index": float(g.loc[iso3, "exposure_index"]),
                         "employment_year": int(g.loc[iso3, "year"]), "fallback": 0,
                         "fallback_rule": "none" if n == 9 else
                         f"ILOSTAT publishes {n} of the 9 scored major groups; renormalised over them",
                         "source": EXPOSURE_SOURCE})
        else:
            grp = row["imf_group"]
            rows.append({"iso3": iso3, "exposure_index": group_mean[grp], "employment_year": pd.NA,
                         "fallback": 1,
                         "fallback_rule": (f"no ILOSTAT ISCO-08 employment: GDP-weighted mean index of "
                                           f"IMF group {grp} ({int(n_data[grp])} economies with data)"),
                         "source": EXPOSURE_SOURCE})
    out = pd.DataFrame(rows)
    out["exposure_index"] = out["exposure_index"].round(6)
    out["employment_year"] = out["employment_year"].astype("Int64")
    return out.sort_values("iso3").reset_index(drop=True)


def build_all(ref: Path) -> dict[str, pd.DataFrame]:
    """Every table this script writes, by file name."""
    ref = Path(ref)
    countries = _countries()
    usage, unmatched = build_usage_msft(ref, countries)
    return {
        "usage_msft.csv": usage,
        "usage_msft_unmatched.csv": unmatched,
        "eurostat_genai_individuals.csv": build_eurostat_individuals(ref, countries),
        "eurostat_enterprise_ai.csv": build_eurostat_enterprise(ref, countries),
        "exposure_ilo.csv": build_exposure(ref, countries),
    }


def to_csv_text(df: pd.DataFrame) -> str:
    """The exact text written for a table (deterministic: fixed row order, LF line ends)."""
    return df.to_csv(index=False, lineterminator="\n")


def write_all(ref: Path, out: Path = TABLES) -> list[Path]:
    paths = []
    for name, df in build_all(ref).items():
        path = Path(out) / name
        path.write_text(to_csv_text(df), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    ref = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "reference"
    for p in write_all(ref):
        print(f"wrote {p}")
