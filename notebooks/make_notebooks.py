"""Write the example notebooks (without outputs). Run: .venv/bin/python notebooks/make_notebooks.py"""

from pathlib import Path

import nbformat as nbf

HERE = Path(__file__).parent


def nb(cells):
    book = nbf.v4.new_notebook()
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    book.cells = [nbf.v4.new_markdown_cell(c[3:]) if c.startswith("md:") else nbf.v4.new_code_cell(c.strip())
                  for c in cells]
    return book


QUICKSTART = [
    "md:# Quickstart\n\nBuild a scenario from presets and overrides, run it, look at the tidy result and the summary, "
    "draw the charts, and export CSV and IAMC. Money is in billion US$ at 2023 prices.",
    """
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import Markdown

import model

pd.set_option("display.width", 160)
""",
    "md:## Presets and parameters\n\nPresets are named partial parameter sets with a source; compose a headline "
    "preset, then a restriction preset, then your own overrides.",
    """
pd.DataFrame([{"name": p.name, "kind": p.kind, "description": p.description} for p in model.PRESETS.values()])
""",
    """
spec = model.PARAMETERS["substitution_pct"]
spec.label, spec.unit, spec.min, spec.max, spec.default, spec.source
""",
    """
scenario = model.Scenario.build(["jpmorgan-high", "eu-llama-multimodal"], {"substitution_pct": 60, "end_year": 2045})
scenario.name, scenario.changed()
""",
    "md:## Run it",
    """
result = model.run(scenario)
Markdown(result.headline())
""",
    """
result.data.head(10)   # tidy: scenario, region, year, variable, unit, value
""",
    """
summary = result.summary()
summary[["potential_gain_usd_bn", "gain_end_year_usd_bn", "gain_end_year_pct", "cumulative_lost_usd_bn", "npv_gain_usd_bn"]].round(1)
""",
    """
eu = summary.loc["EU27"]
Markdown(f"The EU27's potential at full adoption is **{eu.potential_gain_usd_bn:,.0f} bn** "
         f"({eu.potential_gain_pct_gdp:.1f}% of its 2023 GDP); with the restriction it gains "
         f"**{eu.gain_end_year_usd_bn:,.0f} bn** in {scenario.params.end_year} and loses "
         f"**{eu.cumulative_lost_usd_bn:,.0f} bn** over the horizon.")
""",
    """
result.decomposition().round(1)   # the loss by lever; the parts add up to the total
""",
    "md:## Charts (plotly)",
    "result.plot.group_paths()",
    "result.plot.waterfall()",
    "result.plot.gains_by_region()",
    "result.plot.map()",
    "md:## Compare scenarios",
    """
rs = model.compare([model.Scenario.build(["jpmorgan-high"]), scenario])
rs.delta(reference=0).xs("EU27", level="region")[["gain_end_year_usd_bn", "cumulative_lost_usd_bn"]].round(1)
""",
    "rs.plot.compare(\"ai_gain\", \"EU27\")",
    "md:## Export",
    """
out = Path(tempfile.mkdtemp())
result.to_csv(out / "tidy.csv")
result.to_csv(out / "iamc.csv", format="iamc")     # writes iamc_meta.csv beside it
result.to_excel(out / "scenario.xlsx")             # data + meta + tidy sheets
(out / "scenario.json").write_text(scenario.to_json())
sorted(p.name for p in out.iterdir())
""",
    """
iamc = pd.read_csv(out / "iamc.csv")
assert list(iamc.columns[:5]) == ["Model", "Scenario", "Region", "Variable", "Unit"]
back = model.Scenario.from_json((out / "scenario.json").read_text())
assert model.run(back).summary().equals(summary)
iamc.head()
""",
]

EU = [
    "md:# What do access restrictions cost the EU27?\n\nFor each headline preset (JP Morgan low and high, Goldman "
    "Sachs, McKinsey, Acemoglu) and each EU restriction preset, the EU27's loss in US$ and % of GDP, cumulative and "
    "by year; the loss by lever; how it depends on substitution and delay; and a break-even. Every number in the "
    "prose below is computed here.",
    """
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from IPython.display import Markdown

import model

HEADLINES = ["jpmorgan-low", "jpmorgan-high", "goldman-sachs-2023", "mckinsey-2023", "acemoglu-2024"]
RESTRICTIONS = ["eu-llama-multimodal", "eu-apple-intelligence-delay", "eu-meta-ai-delay"]
""",
    "md:## Loss by headline and restriction preset",
    """
rows = []
for h in HEADLINES:
    for rp in RESTRICTIONS:
        r = model.run(model.Scenario.build([h, rp]))
        g = r.group_summary()
        gdp_cum = r.aggregate(r.gdp).loc["EU27"].sum()
        rows.append({"headline": h, "restriction": rp,
                     "cumulative_lost_usd_bn": g["cumulative_lost_usd_bn"],
                     "cumulative_lost_pct_of_gdp": 100 * g["cumulative_lost_usd_bn"] / gdp_cum,
                     "lost_2040_usd_bn": g["lost_end_year_usd_bn"],
                     "lost_2040_pct_gdp": g["lost_end_year_pct_gdp"],
                     "lost_pct_of_open_gain": g["cumulative_lost_pct_of_open"]})
table = pd.DataFrame(rows)
table.pivot(index="headline", columns="restriction", values="cumulative_lost_usd_bn").round(1)
""",
    """
table.pivot(index="headline", columns="restriction", values="cumulative_lost_pct_of_gdp").round(4)
""",
    """
worst = table.loc[table.cumulative_lost_usd_bn.idxmax()]
best = table.loc[table.cumulative_lost_usd_bn.idxmin()]
Markdown(f"Across these 15 combinations the EU27's cumulative loss over 2023-2040 ranges from "
         f"**{best.cumulative_lost_usd_bn:,.1f} bn** ({best.headline} with {best.restriction}) to "
         f"**{worst.cumulative_lost_usd_bn:,.1f} bn** ({worst.headline} with {worst.restriction}), i.e. "
         f"{best.cumulative_lost_pct_of_gdp:.4f}% to {worst.cumulative_lost_pct_of_gdp:.3f}% of the EU27's GDP over "
         f"the period.")
""",
    """
share = table.pivot(index="headline", columns="restriction", values="lost_pct_of_open_gain")
spread = (share.max() - share.min())
Markdown("As a share of the EU27's open-access gain the loss depends mostly on the restriction, little on the "
         "headline: " + "; ".join(f"{rp}: {share[rp].min():.2f}% to {share[rp].max():.2f}%" for rp in share.columns)
         + " across the five headline presets.")
""",
    "md:## By year",
    """
by_year = {}
for rp in RESTRICTIONS:
    r = model.run(model.Scenario.build(["jpmorgan-high", rp]))
    by_year[rp] = r.aggregate(r.open_gain - r.gain).loc["EU27"]
by_year = pd.DataFrame(by_year)
fig = go.Figure([go.Scatter(x=by_year.index, y=by_year[c], name=c, line=dict(dash=d))
                 for c, d in zip(by_year.columns, ["solid", "dash", "dot"])])
fig.update_layout(title="EU27 loss by year under JP Morgan high (billion US$ 2023)", template="plotly_white")
fig
""",
    """
peak_year = int(by_year["eu-meta-ai-delay"].idxmax())
Markdown(f"A delay's loss is temporary: under the Meta AI preset the EU27's yearly loss peaks in **{peak_year}** "
         f"at **{by_year['eu-meta-ai-delay'].max():,.1f} bn** and then shrinks, while the Llama carve-out's loss keeps "
         f"growing with adoption, to **{by_year['eu-llama-multimodal'].iloc[-1]:,.1f} bn** in 2040.")
""",
    "md:## Decomposition by lever\n\nAdd a 1% compliance drag and 20% leakage to the Llama carve-out to see every lever.",
    """
r = model.run(model.Scenario.build(["jpmorgan-high", "eu-llama-multimodal"], {"compliance_drag_pct": 1, "leakage_pct": 20}))
d = r.decomposition()
assert np.isclose(d["group"].sum(), r.group_summary()["cumulative_lost_usd_bn"])
d.round(1)
""",
    "r.plot.waterfall()",
    """
Markdown(f"The levers add up exactly: restricted products {d.iloc[0, 0]:,.1f} bn, substitution "
         f"{d.iloc[1, 0]:,.1f} bn, compliance drag {d.iloc[2, 0]:,.1f} bn, total {d['group'].sum():,.1f} bn for the EU27; "
         f"leakage moves {-d.iloc[3, 1]:,.1f} bn of it to other economies, so the World loses {d['World'].sum():,.1f} bn.")
""",
    "md:## Substitution x delay\n\nThe EU27's cumulative loss (JP Morgan high, 5% of AI value restricted) on a grid.",
    """
subs = np.arange(0, 101, 10)
delays = np.array([0.25, 0.5, 1, 1.5, 2, 3, 5, 8])
base = model.Scenario.build(["jpmorgan-high", "eu-meta-ai-delay"], {"restricted_share_pct": 5})
grid = pd.DataFrame([[model.run(base.with_values(substitution_pct=float(s), delay_years=float(dl))).group_summary()["cumulative_lost_usd_bn"]
                      for s in subs] for dl in delays], index=delays, columns=subs)
grid.index.name, grid.columns.name = "delay_years", "substitution_pct"
grid.round(0)
""",
    """
fig = go.Figure(go.Heatmap(z=grid.values, x=grid.columns, y=grid.index, colorscale="Cividis", reversescale=True,
                           colorbar=dict(title="bn US$")))
fig.update_layout(title="EU27 cumulative loss 2023-2040", xaxis_title="substitution (%)", yaxis_title="delay (years)")
fig
""",
    "md:## Break-even\n\nHow good must substitutes be for a permanent carve-out of 5% of the EU27's AI value to cost no "
    "more than an 18-month delay with no substitute at all? Loss falls as substitution rises, so bisect.",
    """
def loss(**kw):
    return model.run(model.Scenario.build(["jpmorgan-high"], {"restricted_share_pct": 5, **kw})).group_summary()["cumulative_lost_usd_bn"]

target = loss(delay_years=1.5, substitution_pct=0.0)
lo, hi = 0.0, 100.0
for _ in range(50):
    mid = (lo + hi) / 2
    if loss(delay_indefinite=True, substitution_pct=mid) > target:
        lo = mid
    else:
        hi = mid
break_even = hi
assert abs(loss(delay_indefinite=True, substitution_pct=break_even) - target) < 1e-3 * max(target, 1)
Markdown(f"An 18-month delay with no substitute costs the EU27 **{target:,.1f} bn** over 2023-2040. A permanent "
         f"carve-out costs no more than that once substitution recovers at least **{break_even:.1f}%** of the "
         f"restricted value (the Llama preset assumes {model.PRESETS['eu-llama-multimodal'].values['substitution_pct']:.0f}%, "
         f"a judgement).")
""",
]

PUBLISHED = [
    "md:# Published estimates, reproduced\n\nEach headline preset stands for a published estimate. Here each is "
    "reproduced by the model beside the figure from its source, with the difference. The published figures are "
    "typed in once, in the table below, with their sources; everything else is computed.",
    """
import pandas as pd
from IPython.display import Markdown

import model
from model.core import hulten_tfp_gain
from model.data import load_wdi_aggregates

wdi_world = load_wdi_aggregates().loc["WLD", "gdp_2023_usd_bn"]
def world(preset):
    return model.run(model.Scenario.build([preset])).summary().loc["World"]
""",
    """
PUBLISHED = [  # preset, what, published value, unit, source
    ("jpmorgan-low", "world GDP gain", 7000, "billion USD", "J.P. Morgan Research: $7-10 trillion"),
    ("jpmorgan-low", "share of 2023 world GDP (WDI)", 6.6, "%", "our arithmetic on JPM and WDI ($105.44T)"),
    ("jpmorgan-high", "world GDP gain", 10000, "billion USD", "J.P. Morgan Research: $7-10 trillion"),
    ("jpmorgan-high", "share of 2023 world GDP (WDI)", 9.5, "%", "our arithmetic; JPM: 'as much as 10%'"),
    ("goldman-sachs-2023", "world GDP gain", 7.0, "% of world GDP", "Briggs & Kodnani (2023): +7% over ten years"),
    ("mckinsey-2023", "annual value, low", 2600, "billion USD", "McKinsey Global Institute (2023): $2.6-4.4T"),
    ("mckinsey-2023", "annual value, high", 4400, "billion USD", "McKinsey Global Institute (2023): $2.6-4.4T"),
    ("acemoglu-2024", "TFP gain over ten years", 0.66, "%", "Acemoglu (2024), NBER WP 32487"),
    ("acemoglu-2024", "GDP gain over ten years, low", 0.93, "%", "Acemoglu (2024)"),
    ("acemoglu-2024", "GDP gain over ten years, high", 1.16, "%", "Acemoglu (2024)"),
]
""",
    """
def model_value(preset, what):
    w = world(preset)
    if what == "world GDP gain":
        return w.potential_gain_usd_bn if preset.startswith("jpmorgan") else w.potential_gain_pct_gdp
    if what.startswith("share of 2023 world GDP"):
        return round(100 * w.potential_gain_usd_bn / wdi_world, 1)
    if what.startswith("annual value"):
        return w.potential_gain_usd_bn
    p = model.Scenario.build([preset]).params
    tfp = 100 * hulten_tfp_gain(p.exposed_task_share_pct / 100, p.automated_share_pct / 100,
                                p.labour_cost_saving_pct / 100, p.labour_share_pct / 100)
    return tfp if what.startswith("TFP") else w.potential_gain_pct_gdp

table = pd.DataFrame(PUBLISHED, columns=["preset", "what", "published", "unit", "source"])
table["model"] = [model_value(p, w) for p, w in zip(table.preset, table.what)]
table["difference"] = table.model - table.published
table.round(3)
""",
    """
exact = table[table.what.isin(["world GDP gain"]) | table.what.str.startswith("share") | table.what.str.startswith("TFP")]
assert (exact.difference.abs() <= 0.005 * exact.published.abs() + 1e-9).all()
ace = table[table.preset == "acemoglu-2024"].set_index("what").model
Markdown(f"The JP Morgan, Goldman Sachs and Acemoglu TFP figures are reproduced to within rounding. McKinsey's range is "
         f"represented by its midpoint, **{table.loc[5, 'model']:,.0f} bn**, {table.loc[5, 'difference']:+,.0f} bn from the low "
         f"end and {table.loc[6, 'difference']:+,.0f} bn from the high end. Acemoglu's GDP gain comes out at "
         f"**{ace['GDP gain over ten years, low']:.2f}%**, inside his 0.93-1.16% range, because the GDP/TFP multiplier "
         f"(1.58) is the midpoint of the 1.41-1.76 his figures imply.")
""",
    "md:## Timing\n\nThe headline is the gain at full adoption; when it arrives depends on the adoption curve. "
    "Share of the potential reached by 2033 (ten years after the base year) under each preset:",
    """
rows = []
for p in ["jpmorgan-low", "goldman-sachs-2023", "mckinsey-2023", "acemoglu-2024"]:
    r = model.run(model.Scenario.build([p], {"end_year": 2033}))
    reached = r.aggregate(r.adoption * r.potential[:, None] * r.gdp / r.gdp[:, :1]).loc["World"].iloc[-1]
    scaled_potential = r.aggregate(r.potential[:, None] * r.gdp / r.gdp[:, :1]).loc["World"].iloc[-1]
    rows.append({"preset": p, "share_of_potential_reached_2033_pct": 100 * reached / scaled_potential})
pd.DataFrame(rows).round(1)
""",
]

for name, cells in [("01-quickstart", QUICKSTART), ("02-eu-access-restrictions", EU), ("03-published-estimates", PUBLISHED)]:
    nbf.write(nb(cells), HERE / f"{name}.ipynb")
    print("wrote", name)
