"""Published arithmetic, reproduced the way pvlib reproduces the NREL worked example."""

import pytest

import model
from model import core
from model.data import load_wdi_aggregates


@pytest.mark.parametrize("preset, share_pct", [("jpmorgan-low", 6.7), ("jpmorgan-high", 9.5)])
def test_jpmorgan_share_of_world_gdp(preset, share_pct):
    # JP Morgan's $7-10T is "7-10 %" of a ~$105T world; on the model's 2023 world (the sum of its
    # 215 economies, 0.3 % below WDI's own aggregate) the model computes 6.7 % and 9.5 %.
    assert load_wdi_aggregates().loc["WLD", "gdp_2023_usd_bn"] == pytest.approx(105435.04, abs=0.01)
    w = model.run(model.Scenario.build([preset])).summary().loc["World"]
    assert w["gdp_base_usd_bn"] == pytest.approx(105098.17, abs=0.01)
    assert round(w["potential_gain_pct_gdp"], 1) == share_pct


@pytest.mark.parametrize("preset, expected", [("jpmorgan-low", 7000.0), ("jpmorgan-high", 10000.0)])
def test_jpmorgan_world_potential_is_exact(preset, expected):
    r = model.run(model.Scenario.build([preset]))
    assert r.potential.sum() == pytest.approx(expected, rel=1e-12)
    assert r.summary().loc["World", "potential_gain_usd_bn"] == pytest.approx(expected, rel=1e-12)
    # and the regions add up to the same headline
    assert r.summary().loc[list(model.REGIONS), "potential_gain_usd_bn"].sum() == pytest.approx(expected, rel=1e-12)


def test_acemoglu_hulten_tfp():
    # Acemoglu (2024): ~20 % exposed x 23 % profitably automated x 27 % labour-cost saving
    # x 53.5 % labour share = 0.66 % TFP over ten years.
    tfp = core.hulten_tfp_gain(0.199, 0.23, 0.27, 0.535)
    assert 100 * tfp == pytest.approx(0.66, abs=0.005)


def test_acemoglu_preset_gives_about_one_percent_of_us_gdp():
    # Acemoglu's GDP +0.93-1.16 % over ten years is for the US: the preset anchors the Hulten
    # potential on the US; after ten years (2034, adoption 99 % complete) the US level is in his range.
    r = model.run(model.Scenario.build(["acemoglu-2024"]))
    assert r.tfp_gain_pct == pytest.approx(0.66, abs=0.005)
    us = r.summary().loc["United States", "potential_gain_pct_gdp"]
    assert us == pytest.approx(0.6611 * 1.58, rel=1e-3)
    assert 0.93 <= r.series("ai_gain_pct_gdp", "United States").loc[2034] <= 1.16


def test_goldman_sachs_preset_is_one_and_a_half_points_of_us_growth():
    # +1.5 pp a year of US labour-productivity growth for ten years from 2027 (exactly, tolerance:
    # floating point), i.e. a level 1.015^10 - 1 = 16.05 % higher after ten years.
    r = model.run(model.Scenario.build(["goldman-sachs-2023"]))
    b = r.series("ai_growth_boost_pp", "United States")
    assert b.loc[2027:2036].to_numpy() == pytest.approx([1.5] * 10, abs=1e-9)
    assert r.series("ai_gain_pct_gdp", "United States").loc[2036] == pytest.approx(100 * (1.015**10 - 1), abs=1e-9)


def test_mckinsey_preset_is_midpoint_of_range():
    r = model.run(model.Scenario.build(["mckinsey-2023"]))
    assert r.summary().loc["World", "potential_gain_usd_bn"] == pytest.approx((2600 + 4400) / 2)
