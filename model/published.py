"""Published figures beside the headline presets' values: the comparison table of docs/published.md.

Each row of :data:`FIGURES` is one figure from a source (the research notes, ``research/economics.md``, list
them with their sources), the output that measures the same thing (labour productivity with
labour productivity, GDP with GDP: with hours unchanged a labour-productivity level gain is a
GDP level gain, our judgement), whether the preset *claims* it (then it must lie within the
stated tolerance, checked by ``tests/test_growth.py``) and, when it does not, the reason.
:func:`comparison` computes the preset's value and the difference for every row.
Regenerate the docs table with ``.venv/bin/python -m model.published > docs/published.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

EXACT = 1e-6  # the anchor's own stated figures: reproduced to floating-point rounding


@dataclass(frozen=True)
class Figure:
    preset: str
    figure: str
    region: str
    measure: str  # an output variable, "potential_usd_bn", "tfp_pct" or "mean_growth_pp:<first>-<last>"
    year: int | None
    published: float
    unit: str
    source: str
    claimed: bool
    tolerance: float  # absolute, in the figure's unit (claimed rows)
    note: str  # why this tolerance, or why the figure is not reproduced


GS = "Briggs & Kodnani (Goldman Sachs, 26 Mar 2023)"
GST = "Goldman Sachs (Oct 2023), 'AI may start to boost US GDP in 2027'"
OECD = "Filippucci et al., OECD AI Papers No. 29 (Nov 2024)"
PWBM = "Penn Wharton Budget Model (Sept 2025)"

FIGURES: tuple[Figure, ...] = (
    Figure("jpmorgan-low", "world GDP gain at full adoption", "World", "potential_usd_bn", None, 7000, "billion USD",
           "J.P. Morgan Research: $7-10 trillion", True, EXACT, "the stated headline"),
    Figure("jpmorgan-high", "world GDP gain at full adoption", "World", "potential_usd_bn", None, 10000, "billion USD",
           "J.P. Morgan Research: $7-10 trillion", True, EXACT, "the stated headline"),
    Figure("goldman-sachs-2023", "US labour-productivity growth boost, first year (2027)", "United States",
           "ai_growth_boost_pp", 2027, 1.5, "pp a year", GS + ": 'just under 1.5pp' a year", True, EXACT,
           "the anchor's stated boost"),
    Figure("goldman-sachs-2023", "US labour-productivity growth boost, tenth year (2036)", "United States",
           "ai_growth_boost_pp", 2036, 1.5, "pp a year", GS, True, EXACT, "the anchor's stated boost"),
    Figure("goldman-sachs-2023", "US labour-productivity level after ten years (2036)", "United States",
           "ai_gain_pct_gdp", 2036, 15.0, "% of baseline", "GS (2 Apr 2024): 'cumulatively ~15%'", False, 0.0,
           "GS's ~15% adds ten 1.5 pp boosts; compounding them gives 16.05% (economics.md: 16.1%, calc)"),
    Figure("goldman-sachs-2023", "world GDP level a decade after adoption (2036)", "World", "ai_gain_pct_gdp", 2036,
           7.0, "% of baseline", GS + ": global GDP +7%", False, 0.0,
           "not reproduced: anchored on the US path, the IMF-exposure allocation gives the world about two thirds of "
           "the US uplift; GS's 7% assumes slower, partial adoption outside the US"),
    Figure("goldman-sachs-2023-timing", "US GDP growth boost 2027", "United States", "ai_growth_boost_pp", 2027, 0.1,
           "pp a year", GST, True, EXACT, "the anchor's stated boost"),
    Figure("goldman-sachs-2023-timing", "US GDP growth boost 2034", "United States", "ai_growth_boost_pp", 2034, 0.4,
           "pp a year", GST, True, EXACT, "the anchor's stated boost"),
    Figure("goldman-sachs-2023-timing", "euro-area GDP growth boost 2028", "Euro area", "ai_growth_boost_pp", 2028, 0.1,
           "pp a year", GST, True, 0.05, "follows from the US path (one-year lag, allocation weights): half of GS's "
           "0.1 pp rounding"),
    Figure("goldman-sachs-2023-timing", "euro-area GDP growth boost 2034", "Euro area", "ai_growth_boost_pp", 2034, 0.3,
           "pp a year", GST, True, 0.05, "follows from the US path: half of GS's 0.1 pp rounding"),
    Figure("goldman-sachs-2023-timing", "Japan GDP growth boost 2033", "Japan", "ai_growth_boost_pp", 2033, 0.3,
           "pp a year", GST, False, 0.0, "not targeted: Japan follows the US path through its region lag (judgement)"),
    Figure("goldman-sachs-2023-timing", "China GDP growth boost 2034", "China", "ai_growth_boost_pp", 2034, 0.2,
           "pp a year", GST, False, 0.0, "not targeted: China follows the US path through its region lag (judgement)"),
    Figure("mckinsey-2023", "annual value at full adoption (range $2.6-4.4T)", "World", "potential_usd_bn", None, 3500,
           "billion USD", "McKinsey Global Institute (June 2023)", True, 900,
           "the preset takes the midpoint; the tolerance is the range's half-width"),
    Figure("mckinsey-2023", "labour-productivity growth boost through 2040 (range 0.1-0.6)", "World",
           "mean_growth_pp:2024-2040", None, 0.35, "pp a year", "McKinsey Global Institute (June 2023)", False, 0.0,
           "not reproduced: the value pool adopted around McKinsey's 2045 midpoint adds little growth by 2040; "
           "McKinsey's 0.1-0.6 pp also counts redeployed worker time (midpoint of the range shown)"),
    Figure("acemoglu-2024", "TFP gain over ten years", "United States", "tfp_pct", None, 0.66, "%",
           "Acemoglu (2024), NBER WP 32487", True, 0.005, "rounding of the published 0.66%"),
    Figure("acemoglu-2024", "US GDP level after ten years (2034; range 0.93-1.16)", "United States", "ai_gain_pct_gdp",
           2034, 1.045, "% of baseline", "Acemoglu (2024)", True, 0.115,
           "within his range: the tolerance is its half-width (adoption is 99% complete by 2034)"),
    Figure("oecd-2024-low", "US labour-productivity growth boost", "United States", "ai_growth_boost_pp", 2024, 0.4,
           "pp a year", OECD, True, EXACT, "the anchor's stated boost"),
    Figure("oecd-2024-low", "US labour-productivity level after ten years (2033)", "United States", "ai_gain_pct_gdp",
           2033, 4.1, "% of baseline", OECD + " (level: economics.md, calc)", True, 0.05, "rounding of the 4.1%"),
    Figure("oecd-2024-low", "US TFP growth boost", "United States", "ai_growth_boost_pp", 2024, 0.25, "pp a year", OECD,
           False, 0.0, "not comparable: the model's output is GDP (labour productivity); TFP is about 1/1.6 of it"),
    Figure("oecd-2024-high", "US labour-productivity growth boost", "United States", "ai_growth_boost_pp", 2024, 0.9,
           "pp a year", OECD, True, EXACT, "the anchor's stated boost"),
    Figure("oecd-2024-high", "US labour-productivity level after ten years (2033)", "United States", "ai_gain_pct_gdp",
           2033, 9.4, "% of baseline", OECD + " (level: economics.md, calc)", True, 0.05, "rounding of the 9.4%"),
    Figure("oecd-2024-high", "US TFP growth boost", "United States", "ai_growth_boost_pp", 2024, 0.6, "pp a year", OECD,
           False, 0.0, "not comparable: the model's output is GDP (labour productivity); TFP is about 1/1.5 of it"),
    Figure("pwbm-2025", "US GDP level 2035", "United States", "ai_gain_pct_gdp", 2035, 1.5, "% of baseline", PWBM, True,
           EXACT, "the anchor's stated point"),
    Figure("pwbm-2025", "US GDP level 2055", "United States", "ai_gain_pct_gdp", 2055, 3.0, "% of baseline", PWBM, True,
           EXACT, "the anchor's stated point"),
    Figure("pwbm-2025", "US GDP level 2075", "United States", "ai_gain_pct_gdp", 2075, 3.7, "% of baseline", PWBM, True,
           EXACT, "the anchor's stated point"),
    Figure("pwbm-2025", "US productivity-growth boost at its 2032 peak", "United States", "ai_growth_boost_pp", 2032, 0.2,
           "pp a year", PWBM, False, 0.0, "not reproduced: the path is interpolated monotonically from 0 in 2023 "
           "through the dated levels, which front-loads the boost; PWBM's hump needs their annual path"),
    Figure("implement-eu-2024", "EU GDP level after ten years (2034)", "EU27", "ai_gain_pct_gdp", 2034, 8.0,
           "% of baseline", "Implement Consulting Group for Google (1 Oct 2024)", True, EXACT,
           "the anchor's stated point"),
    Figure("baily-brynjolfsson-korinek-2023", "US productivity level after ten years (2033)", "United States",
           "ai_gain_pct_gdp", 2033, 18.0, "% of baseline", "Baily, Brynjolfsson & Korinek (Brookings, May 2023)", True,
           EXACT, "the anchor's stated point"),
    Figure("baily-brynjolfsson-korinek-2023", "extra growth, 'level+growth' variant (2034)", "United States",
           "ai_growth_boost_pp", 2034, 1.0, "pp a year", "Baily, Brynjolfsson & Korinek (Brookings, May 2023)", False,
           0.0, "not modelled: the preset is their 'level' scenario; the level holds after 2033"),
)


@lru_cache(maxsize=32)
def _run(preset: str):
    import model

    return model.run(model.Scenario.build([preset]))


def value(f: Figure) -> float:
    """The preset's value of one figure (computed from a run of the preset alone)."""
    r = _run(f.preset)
    if f.measure == "potential_usd_bn":
        return float(r.summary().loc[f.region, "potential_gain_usd_bn"])
    if f.measure == "tfp_pct":
        return float(r.tfp_gain_pct)
    if f.measure.startswith("mean_growth_pp:"):
        a, b = (int(x) for x in f.measure.split(":")[1].split("-"))
        s = r.series("ai_growth_boost_pp", f.region)
        return float(s.loc[a:b].mean())
    return float(r.series(f.measure, f.region).loc[f.year])


def comparison() -> pd.DataFrame:
    """Every figure with the preset's value, the difference and whether a claimed figure is within tolerance."""
    rows = []
    for f in FIGURES:
        v = value(f)
        rows.append({"preset": f.preset, "figure": f.figure, "region": f.region, "published": f.published,
                     "model": v, "difference": v - f.published, "unit": f.unit, "claimed": f.claimed,
                     "tolerance": f.tolerance if f.claimed else np.nan,
                     "within": bool(abs(v - f.published) <= f.tolerance + 1e-12) if f.claimed else None,
                     "note": f.note, "source": f.source})
    return pd.DataFrame(rows)


def markdown() -> str:
    """docs/published.md: the comparison table, computed."""
    df = comparison()
    lines = ["# Published figures and the presets that reproduce them", "",
             "Generated by `python -m model.published > docs/published.md` from `model/published.py` (checked by",
             "`tests/test_growth.py`). Each row: a figure from its source (see the research notes, `research/economics.md`), the",
             "preset's value computed by the model, the difference, and whether the preset claims the figure (then",
             "the difference is within the stated tolerance) or why it does not reproduce it. Published-path presets",
             "pin `adoption_calibration = \"region-lags\"` and `exposure_source = \"imf-groups\"`.", "",
             "| preset | figure | region | published | model | difference | unit | claimed (tolerance) | note |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in df.itertuples():
        claim = f"yes (±{r.tolerance:g})" if r.claimed else "no"
        lines.append(f"| `{r.preset}` | {r.figure} | {r.region} | {r.published:g} | {r.model:.4g} | "
                     f"{r.difference:+.3g} | {r.unit} | {claim} | {r.note} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
