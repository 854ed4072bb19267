"""The curated tables in data/ against WDI figures and the reference files they come from."""

import pandas as pd
import pytest

from model.data import REGIONS, load_countries, load_wdi_aggregates


def test_world_and_eu_totals():
    c = load_countries()
    world = c.gdp_2023_usd_bn.sum()
    assert abs(world / 105435.04 - 1) < 0.005  # WDI World 2023, $105.44T
    eu = c.loc[c.eu27 == 1, "gdp_2023_usd_bn"].sum()
    assert abs(eu / 18349.0 - 1) < 0.001  # WDI European Union 2023, $18.35T
    assert (c.eu27 == 1).sum() == 27
    assert (c.region == "EU27").sum() == 27


def test_table_shape_and_completeness():
    c = load_countries()
    assert c.iso3.is_unique
    assert set(c.region) == set(REGIONS)
    num = ["gdp_2023_usd_bn", "population_2023", "aipi"] + [f"growth_{y}_pct" for y in range(2024, 2031)]
    assert c[num].notna().all().all()
    assert (c.gdp_2023_usd_bn > 0).all() and (c.population_2023 > 0).all()
    assert c.aipi.between(0, 1).all()
    assert set(c.imf_group) == {"AE", "EM", "LIC"}
    for iso, region in [("USA", "United States"), ("CHN", "China"), ("GBR", "United Kingdom"),
                        ("JPN", "Japan"), ("IND", "India"), ("DEU", "EU27"), ("CAN", "Other advanced economies"),
                        ("BRA", "Other emerging and developing economies")]:
        assert c.set_index("iso3").loc[iso, "region"] == region


def test_data_agrees_with_reference(reference):
    c = load_countries().set_index("iso3")
    wdi = pd.read_csv(reference / "wdi_gdp_current_usd_2010_2023.csv")
    w23 = wdi[wdi.Year == 2023].set_index("Country Code").Value / 1e9
    from_wdi = c[c.gdp_source == "WDI 2023"]
    assert len(from_wdi) >= 180
    pd.testing.assert_series_equal(from_wdi.gdp_2023_usd_bn, w23.loc[from_wdi.index], check_names=False, rtol=0, atol=1e-6)

    weo = pd.read_csv(reference / "imf_weo_apr2025_countries.csv")
    ngdpd = weo[weo["WEO Subject Code"] == "NGDPD"].set_index("ISO")["2023"]
    from_imf = c[c.gdp_source == "IMF WEO Apr2025 2023"]
    imf_codes = [{"XKX": "UVK", "PSE": "WBG"}.get(i, i) for i in from_imf.index]
    assert (abs(from_imf.gdp_2023_usd_bn.values - ngdpd.loc[imf_codes].values) < 1e-9).all()
    # every gap in WDI 2023 is filled and labelled
    assert set(c.gdp_source) <= {"WDI 2023", "IMF WEO Apr2025 2023"} | {
        s for s in c.gdp_source if s.endswith("carried to 2023 (judgement)")}

    growth = weo[weo["WEO Subject Code"] == "NGDP_RPCH"].set_index("ISO")
    g = c[c.growth_source == "IMF WEO Apr2025"]
    codes = [{"XKX": "UVK", "PSE": "WBG"}.get(i, i) for i in g.index]
    for y in range(2024, 2031):
        assert (abs(g[f"growth_{y}_pct"].values - growth.loc[codes, str(y)].values) < 1e-9).all()

    pop = pd.read_csv(reference / "wdi_population_2010_2024.csv")
    p23 = pop[pop.Year == 2023].set_index("Country Code").Value
    pw = c[c.population_source == "WDI 2023"]
    assert (pw.population_2023 == p23.loc[pw.index].astype(int)).all()

    aipi = pd.read_csv(reference / "imf_aipi_2023.csv").set_index("iso3")
    a = c[c.aipi_source == "IMF AIPI 2023"]
    assert len(a) == 165
    assert (abs(a.aipi - aipi.loc[a.index, "AIPI"]) < 1e-6).all()
    assert (a.imf_group == aipi.loc[a.index, "type"]).all()

    mem = pd.read_csv(reference / "memberships_eu27_oecd_euro_fy2025.csv")
    assert set(c.index[c.eu27 == 1]) == set(mem.iso3[mem.eu27 == 1])

    classes = pd.read_csv(reference / "wb_class_fy2025_economies.csv").set_index("Code")
    inwb = c.index.intersection(classes.index)
    assert (c.loc[inwb, "wb_income_group"] == classes.loc[inwb, "Income group"].fillna("Unclassified")).all()


def test_shipped_table_is_what_the_build_script_makes(reference):
    import importlib.util
    from conftest import ROOT

    spec = importlib.util.spec_from_file_location("build_countries", ROOT / "data" / "build_countries.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    built = mod.build(reference)
    shipped = load_countries()
    pd.testing.assert_frame_equal(built.reset_index(drop=True), shipped, check_dtype=False, rtol=1e-9)


def test_wdi_aggregates():
    agg = load_wdi_aggregates()
    assert agg.loc["WLD", "gdp_2023_usd_bn"] == pytest.approx(105435.04, abs=0.01)
    assert agg.loc["EUU", "gdp_2023_usd_bn"] == pytest.approx(18349.4, abs=0.1)
