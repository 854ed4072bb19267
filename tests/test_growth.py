"""Headlines as time paths (growth boosts, dated levels), anchored headlines, the growth-contribution
output, and the presets that reproduce their sources' published figures (model/published.py)."""

import numpy as np
import pytest

import model
from model import core
from model.cli import main
from model.published import FIGURES, comparison

PIN = {"adoption_calibration": "region-lags", "exposure_source": "imf-groups"}


def run(presets=(), **over):
    return model.run(model.Scenario.build(list(presets), over))


# Each claimed figure within its tolerance; the tolerance and its reason are declared with the figure in
# model/published.py (EXACT = 1e-6 for the anchor's own stated figures, floating-point rounding; half
# the published rounding for figures that follow through the allocation, e.g. GS's euro-area 0.1 pp;
# a range's half-width where the source gives a range).
@pytest.mark.parametrize("row", [r for r in comparison().to_dict("records") if r["claimed"]],
                         ids=lambda r: f"{r['preset']}: {r['figure']}")
def test_claimed_published_figure_is_reproduced(row):
    assert row["note"], "every tolerance has its reason"
    assert abs(row["model"] - row["published"]) <= row["tolerance"] + 1e-12, row


def test_every_new_preset_has_figures_source_and_judgement():
    names = {f.preset for f in FIGURES}
    for p in ["goldman-sachs-2023", "goldman-sachs-2023-timing", "mckinsey-2023", "acemoglu-2024", "oecd-2024-low",
              "oecd-2024-high", "pwbm-2025", "implement-eu-2024", "baily-brynjolfsson-korinek-2023"]:
        pr = model.PRESETS[p]
        assert p in names and pr.source and pr.judgement
        assert pr.values["adoption_calibration"] == "region-lags" and pr.values["exposure_source"] == "imf-groups"
    unclaimed = [r for r in comparison().to_dict("records") if not r["claimed"]]
    assert unclaimed and all(r["note"] for r in unclaimed)


def test_docs_published_table_is_current():
    from pathlib import Path

    from model.published import markdown

    assert (Path(__file__).resolve().parents[1] / "docs" / "published.md").read_text() == markdown()


@pytest.mark.parametrize("preset", ["goldman-sachs-2023-timing", "pwbm-2025", "acemoglu-2024", "jpmorgan-high"])
def test_growth_boost_integrates_back_to_the_level_path(preset):
    r = run([preset], report_euro_area=True)
    for reg in ["World", "United States", "EU27", "Euro area", "India"]:
        b = r.series("ai_growth_boost_pp", reg).to_numpy() / 100
        u = r.series("ai_gain_pct_gdp", reg).to_numpy() / 100
        assert np.allclose(np.cumprod(1 + b) - 1, u, atol=1e-12)
    # countries too, and the inverse functions of core
    u = r.gain / r.gdp
    assert np.allclose(core.level_from_growth(core.growth_from_level(u)), u, atol=1e-12)


def test_region_growth_is_the_growth_of_sums_not_a_mean():
    r = run(["goldman-sachs-2023-timing"])
    w = r.aggregate(r.gain).loc["World"].to_numpy() / r.aggregate(r.gdp).loc["World"].to_numpy()
    assert np.allclose(r.series("ai_growth_boost_pp", "World").to_numpy(), 100 * core.growth_from_level(w))


@pytest.mark.parametrize("anchor", ["United States", "EU27", "Euro area", "World", "China"])
@pytest.mark.parametrize("calibration", ["region-lags", "observed"])
def test_anchor_gets_exactly_its_stated_figures(anchor, calibration):
    over = dict(headline_mode="level_path", headline_anchor=anchor, level_points=3, level_year_1=2030.0,
                level_pct_1=2.0, level_year_2=2038.0, level_pct_2=5.0, level_year_3=2090.0, level_pct_3=6.0,
                adoption_calibration=calibration)
    r = run(**over)
    s = r.series("ai_gain_pct_gdp", anchor)
    assert s.loc[2030] == pytest.approx(2.0, abs=1e-9) and s.loc[2038] == pytest.approx(5.0, abs=1e-9)
    assert s.loc[2023] == pytest.approx(0.0, abs=1e-12)
    g = run(**{**over, "headline_mode": "growth_path", "growth_boost_pp": 0.7, "growth_start_year": 2026})
    b = g.series("ai_growth_boost_pp", anchor)
    assert np.allclose(b.loc[2026:2035], 0.7, atol=1e-9) and np.allclose(b.loc[2036:], 0.0, atol=1e-9)


@pytest.mark.parametrize("mode", ["usd", "pct_gdp", "hulten"])
def test_level_headline_anchored_gives_the_anchor_its_potential(mode):
    r = run(headline_mode=mode, headline_anchor="EU27", headline_usd_bn=2000.0, headline_pct_gdp=8.0, **PIN)
    eu = r.summary().loc["EU27"]
    if mode == "usd":
        assert eu.potential_gain_usd_bn == pytest.approx(2000.0, rel=1e-12)
    elif mode == "pct_gdp":
        assert eu.potential_gain_pct_gdp == pytest.approx(8.0, rel=1e-12)
    # the world is an output: the anchor's potential over the anchor's allocation share
    assert r.summary().loc["World", "potential_gain_usd_bn"] > eu.potential_gain_usd_bn


def test_world_anchor_keeps_level_modes_unchanged():
    a = run(["jpmorgan-high"])
    b = run(["jpmorgan-high"], headline_anchor="World")
    assert np.array_equal(a.gain, b.gain)


def test_growth_and_level_inputs_describing_the_same_path_agree():
    # +1.2 pp a year over 2026-2030 is the level path 1.012^k - 1 at 2026..2030: as dated points
    # (2025: 0, 2030: 1.012^5 - 1) PCHIP is not the same path, so state it at every year it changes.
    g = run(headline_mode="growth_path", headline_anchor="United States", growth_boost_pp=1.2, growth_ramp="flat",
            growth_start_year=2027, growth_window_years=3, **PIN)
    pts = {"level_year_1": 2026.0, "level_pct_1": 0.0}
    for k, y in enumerate([2027, 2028, 2029], 2):
        pts[f"level_year_{k}"], pts[f"level_pct_{k}"] = float(y), 100 * (1.012 ** (y - 2026) - 1)
    lv = run(headline_mode="level_path", headline_anchor="United States", level_points=4, **pts, **PIN)
    # PCHIP through flat-then-rising points is monotone but not log-linear between them: the anchor's
    # yearly values agree exactly; every country's value in every year too, since region lags are whole
    # years except the UK's half year, which reads the path between years (log-linear for both).
    for reg in ["United States", "EU27", "World"]:
        assert np.allclose(g.series("ai_gain_pct_gdp", reg), lv.series("ai_gain_pct_gdp", reg), atol=1e-9)
    assert np.allclose(g.gain, lv.gain, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("args", [
    ["--set", "headline_mode=level_path", "--set", "level_year_2=2030"],  # unordered years (2035 then 2030)
    ["--set", "level_year_1=-2035"],  # negative year
    ["--set", "level_pct_1=nan"],  # non-finite value
    ["--set", "level_pct_2=inf"],
    ["--set", "growth_boost_pp=nan"],
    ["--set", "growth_start_year=2020"],  # window starting before the base year
    ["--set", "growth_start_year=2023"],  # the base year's growth cannot be boosted
])
def test_bad_paths_exit_2_with_one_line(args, capsys):
    code = main(["run", "--preset", "pwbm-2025", *args])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() and len(err.strip().splitlines()) == 1


def test_goldman_timing_run_shows_us_and_euro_area_growth(capsys):
    assert main(["run", "--preset", "goldman-sachs-2023-timing"]) == 0
    out = capsys.readouterr().out
    rows = [line.split(",") for line in out.splitlines() if ",ai_growth_boost_pp," in line]
    got = {(r[1], int(r[2])): float(r[-1]) for r in rows}
    assert got[("United States", 2027)] == pytest.approx(0.1, abs=1e-6)
    assert got[("United States", 2034)] == pytest.approx(0.4, abs=1e-6)
    assert got[("Euro area", 2028)] == pytest.approx(0.1, abs=0.05)
    assert got[("Euro area", 2034)] == pytest.approx(0.3, abs=0.05)


def test_growth_variable_in_iamc_and_chart(tmp_path):
    from model.growth_figures import growth_boost

    r = run(["goldman-sachs-2023-timing"])
    out = tmp_path / "r.csv"
    r.to_csv(out, format="iamc")
    assert "AI Gain|Growth Contribution|Scenario" in out.read_text()
    fig = growth_boost(r)
    assert [t.name for t in fig.data][:2] == ["World", "United States"]


def test_monte_carlo_draws_the_growth_boost():
    from model import uncertainty

    mc = uncertainty.monte_carlo(model.Scenario.build(["goldman-sachs-2023"]), draws=64, seed=0, chunk_size=64)
    band = mc.band("ai_gain", "United States")
    assert band is not None


def test_a_subnormal_level_counts_as_zero_not_inf():
    """Found by hypothesis: a level of 2.2e-313 % overflowed PCHIP's slope formula into inf/NaN gains."""
    from model.core import headline_level_path

    years = np.arange(2023, 2031)
    tiny = headline_level_path([(2024.0, 2.2250738585e-313), (2025.0, 1.0)], years)
    zero = headline_level_path([(2024.0, 0.0), (2025.0, 1.0)], years)
    np.testing.assert_array_equal(tiny, zero)
    assert np.isfinite(tiny).all()
