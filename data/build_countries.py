"""Build ``model/tables/countries.csv`` from the public files in ``../shared/reference``.

This is a maintainer's script, run by hand when a source vintage changes::

    .venv/bin/python data/build_countries.py ../shared/reference

The product never runs it and never reads ``../shared``: it reads only the
CSV this script writes. ``tests/test_data.py`` re-checks the shipped table
against the reference files, so a stale or hand-edited table fails the tests.
Every fill and every judgement is recorded per row in a ``*_source`` column
and described in ``data/README.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

GROWTH_YEARS = list(range(2024, 2031))  # IMF WEO April 2025 projections
# Codes that differ between the World Bank and the IMF WEO.
WB_TO_IMF = {"XKX": "UVK", "PSE": "WBG"}
REGION_BY_ISO3 = {
    "USA": "United States",
    "CHN": "China",
    "GBR": "United Kingdom",
    "JPN": "Japan",
    "IND": "India",
}
# IMF WEO country-group codes (October 2024 group file) used to fill missing growth.
IMF_GROUP_CODE = {"AE": "110", "EM": "200", "LIC": "200"}


def build(ref: Path) -> pd.DataFrame:
    classes = pd.read_csv(ref / "wb_class_fy2025_economies.csv")
    econ = classes[classes["Is aggregate"] == "no"].set_index("Code")
    members = pd.read_csv(ref / "memberships_eu27_oecd_euro_fy2025.csv").set_index("iso3")
    wdi = pd.read_csv(ref / "wdi_gdp_current_usd_2010_2023.csv")
    wdi = wdi[wdi["Country Code"].isin(econ.index)].dropna(subset=["Value"])
    pop = pd.read_csv(ref / "wdi_population_2010_2024.csv")
    pop23 = pop[pop.Year == 2023].set_index("Country Code")["Value"]
    weo = pd.read_csv(ref / "imf_weo_apr2025_countries.csv")
    weo_gdp = weo[weo["WEO Subject Code"] == "NGDPD"].set_index("ISO")
    weo_growth = weo[weo["WEO Subject Code"] == "NGDP_RPCH"].set_index("ISO")
    weo_pop = weo[weo["WEO Subject Code"] == "LP"].set_index("ISO")
    groups = pd.read_csv(ref / "imf_weo_oct2024_groups.csv", dtype={"WEO Country Group Code": str})
    group_growth = groups[groups["WEO Subject Code"] == "NGDP_RPCH"].set_index("WEO Country Group Code")
    aipi = pd.read_csv(ref / "imf_aipi_2023.csv").set_index("iso3")

    # Economies outside the WB list that the IMF reports (Taiwan Province of China).
    extra = [iso for iso in weo_gdp.index if iso not in econ.index and iso not in WB_TO_IMF.values()]

    rows = []
    for code in list(econ.index) + extra:
        imf = WB_TO_IMF.get(code, code)
        in_wb = code in econ.index
        name = econ.loc[code, "Economy"] if in_wb else weo_gdp.loc[imf, "Country"]
        row = {"iso3": code, "name": name}

        # GDP 2023, current US$ bn
        w = wdi[(wdi["Country Code"] == code)]
        w23 = w[w.Year == 2023]
        if len(w23):
            row["gdp_2023_usd_bn"] = w23.Value.iloc[0] / 1e9
            row["gdp_source"] = "WDI 2023"
        elif imf in weo_gdp.index and pd.notna(weo_gdp.loc[imf, "2023"]):
            row["gdp_2023_usd_bn"] = float(weo_gdp.loc[imf, "2023"])
            row["gdp_source"] = "IMF WEO Apr2025 2023"
        elif len(w):
            last = w.sort_values("Year").iloc[-1]
            row["gdp_2023_usd_bn"] = last.Value / 1e9
            row["gdp_source"] = f"WDI {int(last.Year)} carried to 2023 (judgement)"
        else:
            continue  # no GDP at all: not in the table (VGB, GIB, PRK)

        # Population 2023
        if code in pop23.index and pd.notna(pop23[code]):
            row["population_2023"] = int(pop23[code])
            row["population_source"] = "WDI 2023"
        else:
            row["population_2023"] = int(round(float(weo_pop.loc[imf, "2023"]) * 1e6))
            row["population_source"] = "IMF WEO Apr2025 2023"

        # Classifications
        row["eu27"] = int(code in members.index and members.loc[code, "eu27"] == 1)
        row["wb_region"] = econ.loc[code, "Region"] if in_wb else "East Asia & Pacific"
        inc = econ.loc[code, "Income group"] if in_wb else None
        row["wb_income_group"] = inc if isinstance(inc, str) else "Unclassified"
        if code in aipi.index:
            row["imf_group"] = aipi.loc[code, "type"]
            row["imf_group_source"] = "IMF AIPI 2023 type"
        else:
            if row["wb_income_group"] == "High income" or code == "TWN":
                row["imf_group"] = "AE"
            elif row["wb_income_group"] == "Low income":
                row["imf_group"] = "LIC"
            else:
                row["imf_group"] = "EM"
            row["imf_group_source"] = "from WB income group (judgement)"
        if row["eu27"]:
            row["region"] = "EU27"
        elif code in REGION_BY_ISO3:
            row["region"] = REGION_BY_ISO3[code]
        elif row["imf_group"] == "AE":
            row["region"] = "Other advanced economies"
        else:
            row["region"] = "Other emerging and developing economies"

        # AI Preparedness Index
        if code in aipi.index and pd.notna(aipi.loc[code, "AIPI"]):
            row["aipi"] = float(aipi.loc[code, "AIPI"])
            row["aipi_source"] = "IMF AIPI 2023"
        else:
            row["aipi"] = float("nan")  # filled below with the IMF-group mean
            row["aipi_source"] = "mean of IMF group (imputed)"

        # Real GDP growth, IMF WEO April 2025
        g = weo_growth.loc[imf] if imf in weo_growth.index else None
        have = g is not None and all(pd.notna(g[str(y)]) for y in GROWTH_YEARS)
        grp = group_growth.loc[IMF_GROUP_CODE[row["imf_group"]]]
        for y in GROWTH_YEARS:
            if have:
                row[f"growth_{y}_pct"] = float(g[str(y)])
            else:
                row[f"growth_{y}_pct"] = float(grp[str(min(y, 2029))])
        row["growth_source"] = (
            "IMF WEO Apr2025"
            if have
            else f"IMF WEO Oct2024 group {grp['Country Group Name']} (2030 = 2029)"
        )
        rows.append(row)

    df = pd.DataFrame(rows)
    means = df[df.aipi_source == "IMF AIPI 2023"].groupby("imf_group").aipi.mean()
    miss = df.aipi.isna()
    df.loc[miss, "aipi"] = df.loc[miss, "imf_group"].map(means)
    cols = (
        ["iso3", "name", "region", "eu27", "wb_income_group", "wb_region", "imf_group",
         "gdp_2023_usd_bn", "population_2023", "aipi"]
        + [f"growth_{y}_pct" for y in GROWTH_YEARS]
        + ["gdp_source", "population_source", "imf_group_source", "aipi_source", "growth_source"]
    )
    df = df[cols].sort_values("iso3").reset_index(drop=True)
    df["gdp_2023_usd_bn"] = df["gdp_2023_usd_bn"].round(6)
    df["aipi"] = df["aipi"].round(6)
    return df


def build_aggregates(ref: Path) -> pd.DataFrame:
    """WDI's own 2023 aggregates, shipped so the product can show them beside its sums."""
    wdi = pd.read_csv(ref / "wdi_gdp_current_usd_2010_2023.csv")
    sel = wdi[(wdi.Year == 2023) & wdi["Country Code"].isin(["WLD", "EUU"])]
    return pd.DataFrame(
        {
            "code": sel["Country Code"].values,
            "name": sel["Country Name"].values,
            "gdp_2023_usd_bn": (sel.Value / 1e9).round(6).values,
            "source": "World Bank WDI NY.GDP.MKTP.CD, vintage 2024-09-19",
        }
    )


if __name__ == "__main__":
    ref = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference")
    out = Path(__file__).resolve().parent.parent / "model" / "tables"
    build(ref).to_csv(out / "countries.csv", index=False)
    build_aggregates(ref).to_csv(out / "wdi_aggregates_2023.csv", index=False)
    print(f"wrote {out / 'countries.csv'} and {out / 'wdi_aggregates_2023.csv'}")
