# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Published estimates, reproduced
#
# Each headline preset stands for a published estimate. Here each is reproduced by the model beside the figure from its source, with the difference. The published figures are typed in once, in the table below, with their sources; everything else is computed.

# %%
import pandas as pd
from IPython.display import Markdown

import model
from model.core import hulten_tfp_gain
from model.data import load_wdi_aggregates

wdi_world = load_wdi_aggregates().loc["WLD", "gdp_2023_usd_bn"]
def world(preset):
    return model.run(model.Scenario.build([preset])).summary().loc["World"]


# %%
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


# %%
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

# %%
exact = table[table.what.isin(["world GDP gain"]) | table.what.str.startswith("share") | table.what.str.startswith("TFP")]
assert (exact.difference.abs() <= 0.005 * exact.published.abs() + 1e-9).all()
ace = table[table.preset == "acemoglu-2024"].set_index("what").model
Markdown(f"The JP Morgan, Goldman Sachs and Acemoglu TFP figures are reproduced to within rounding. McKinsey's range is "
         f"represented by its midpoint, **{table.loc[5, 'model']:,.0f} bn**, {table.loc[5, 'difference']:+,.0f} bn from the low "
         f"end and {table.loc[6, 'difference']:+,.0f} bn from the high end. Acemoglu's GDP gain comes out at "
         f"**{ace['GDP gain over ten years, low']:.2f}%**, inside his 0.93-1.16% range, because the GDP/TFP multiplier "
         f"(1.58) is the midpoint of the 1.41-1.76 his figures imply.")

# %% [markdown]
# ## Timing
#
# The headline is the gain at full adoption; when it arrives depends on the adoption curve. Share of the potential reached by 2033 (ten years after the base year) under each preset:

# %%
rows = []
for p in ["jpmorgan-low", "goldman-sachs-2023", "mckinsey-2023", "acemoglu-2024"]:
    r = model.run(model.Scenario.build([p], {"end_year": 2033}))
    reached = r.aggregate(r.adoption * r.potential[:, None] * r.gdp / r.gdp[:, :1]).loc["World"].iloc[-1]
    scaled_potential = r.aggregate(r.potential[:, None] * r.gdp / r.gdp[:, :1]).loc["World"].iloc[-1]
    rows.append({"preset": p, "share_of_potential_reached_2033_pct": 100 * reached / scaled_potential})
pd.DataFrame(rows).round(1)
