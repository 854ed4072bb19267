"""Countries add up to their regions, and regions to the World, every year and variable."""

import numpy as np
import pytest

import model
from model.outputs import VARIABLES

MONEY_VARS = [k for k, v in VARIABLES.items() if v.unit == "billion USD_2023"]


@pytest.mark.parametrize("presets", [[], ["jpmorgan-high", "eu-llama-multimodal"],
                                     ["acemoglu-2024", "italy-chatgpt-ban"],
                                     ["mckinsey-2023", "eu-meta-ai-delay"]])
def test_countries_sum_to_regions_and_world(presets):
    s = model.Scenario.build(presets, {"leakage_pct": 30, "compliance_drag_pct": 2})
    r = model.run(s)
    df = r.to_frame("countries")
    countries = model.load_countries().set_index("iso3").region
    df = df[df.variable.isin(MONEY_VARS)]
    wide = df.pivot_table(index=["variable", "year"], columns="region", values="value")
    for region in model.REGIONS:
        members = countries.index[countries == region]
        np.testing.assert_allclose(wide[list(members)].sum(axis=1), wide[region], rtol=1e-10, atol=1e-8)
    np.testing.assert_allclose(wide[list(model.REGIONS)].sum(axis=1), wide["World"], rtol=1e-10, atol=1e-8)
    np.testing.assert_allclose(wide[list(countries.index)].sum(axis=1), wide["World"], rtol=1e-10, atol=1e-8)


def test_percent_and_per_capita_are_ratios_of_sums():
    r = model.run(model.Scenario.build(["jpmorgan-low", "eu-meta-ai-delay"]))
    w = r.to_wide()
    name = r.name
    gain = w.loc[(name, "EU27", "ai_gain", "billion USD_2023")]
    gdp = w.loc[(name, "EU27", "gdp_baseline", "billion USD_2023")]
    pct = w.loc[(name, "EU27", "ai_gain_pct_gdp", "%")]
    np.testing.assert_allclose(pct, 100 * gain / gdp)
    pop = r.summary().loc["EU27", "population_2023"]
    pc = w.loc[(name, "EU27", "ai_gain_per_capita", "USD_2023")]
    np.testing.assert_allclose(pc, gain * 1e9 / pop)


def test_summary_matches_tidy_data():
    r = model.run(model.Scenario.build(["jpmorgan-high", "eu-llama-multimodal"]))
    s = r.summary()
    d = r.data
    eu_lost = d[(d.region == "EU27") & (d.variable == "ai_gain_lost")].value.sum()
    assert s.loc["EU27", "cumulative_lost_usd_bn"] == pytest.approx(eu_lost)
    end = d[(d.region == "World") & (d.variable == "ai_gain") & (d.year == 2040)].value.item()
    assert s.loc["World", "gain_end_year_usd_bn"] == pytest.approx(end)
    years = np.arange(2023, 2041)
    gains = d[(d.region == "World") & (d.variable == "ai_gain")].sort_values("year").value.to_numpy()
    assert s.loc["World", "npv_gain_usd_bn"] == pytest.approx((gains / 1.035 ** (years - 2023)).sum())


def test_result_set_makes_names_unique_without_changing_inputs():
    r = model.run(model.Scenario.build(["jpmorgan-low"]))
    rs = model.ResultSet([r, r])
    assert rs.names == ["jpmorgan-low", "jpmorgan-low #2"] and r.name == "jpmorgan-low"
    assert set(rs.data.scenario) == set(rs.names)
