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
# # Quickstart
#
# Build a scenario from presets and overrides, run it, look at the tidy result and the summary, draw the charts, and export CSV and IAMC. Money is in billion US$ at 2023 prices.

# %%
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import Markdown

import model

pd.set_option("display.width", 160)

# %% [markdown]
# ## Presets and parameters
#
# Presets are named partial parameter sets with a source; compose a headline preset, then a restriction preset, then your own overrides.

# %%
pd.DataFrame([{"name": p.name, "kind": p.kind, "description": p.description} for p in model.PRESETS.values()])

# %%
spec = model.PARAMETERS["substitution_pct"]
spec.label, spec.unit, spec.min, spec.max, spec.default, spec.source

# %%
scenario = model.Scenario.build(["jpmorgan-high", "eu-llama-multimodal"], {"substitution_pct": 60, "end_year": 2045})
scenario.name, scenario.changed()

# %% [markdown]
# ## Run it

# %%
result = model.run(scenario)
Markdown(result.headline())

# %%
result.data.head(10)   # tidy: scenario, region, year, variable, unit, value

# %%
summary = result.summary()
summary[["potential_gain_usd_bn", "gain_end_year_usd_bn", "gain_end_year_pct", "cumulative_lost_usd_bn", "npv_gain_usd_bn"]].round(1)

# %%
eu = summary.loc["EU27"]
Markdown(f"The EU27's potential at full adoption is **{eu.potential_gain_usd_bn:,.0f} bn** "
         f"({eu.potential_gain_pct_gdp:.1f}% of its 2023 GDP); with the restriction it gains "
         f"**{eu.gain_end_year_usd_bn:,.0f} bn** in {scenario.params.end_year} and loses "
         f"**{eu.cumulative_lost_usd_bn:,.0f} bn** over the horizon.")

# %%
result.decomposition().round(1)   # the loss by lever; the parts add up to the total

# %% [markdown]
# ## Charts (plotly)

# %%
result.plot.group_paths()

# %%
result.plot.waterfall()

# %%
result.plot.gains_by_region()

# %%
result.plot.map()

# %% [markdown]
# ## Compare scenarios

# %%
rs = model.compare([model.Scenario.build(["jpmorgan-high"]), scenario])
rs.delta(reference=0).xs("EU27", level="region")[["gain_end_year_usd_bn", "cumulative_lost_usd_bn"]].round(1)

# %%
rs.plot.compare("ai_gain", "EU27")

# %% [markdown]
# ## Export

# %%
out = Path(tempfile.mkdtemp())
result.to_csv(out / "tidy.csv")
result.to_csv(out / "iamc.csv", format="iamc")     # writes iamc_meta.csv beside it
result.to_excel(out / "scenario.xlsx")             # data + meta + tidy sheets
(out / "scenario.json").write_text(scenario.to_json())
sorted(p.name for p in out.iterdir())

# %%
iamc = pd.read_csv(out / "iamc.csv")
assert list(iamc.columns[:5]) == ["Model", "Scenario", "Region", "Variable", "Unit"]
back = model.Scenario.from_json((out / "scenario.json").read_text())
assert model.run(back).summary().equals(summary)
iamc.head()
