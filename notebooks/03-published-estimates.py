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
# Each headline preset stands for a published estimate, stated the way its source states it: a world level in US$
# (JP Morgan, McKinsey), a growth boost over a window (Goldman Sachs, OECD), dated levels (Penn Wharton, Implement
# for Google, Baily-Brynjolfsson-Korinek) or a task-based calibration (Acemoglu), anchored on the economy the source
# is about; the World then follows. The published figures are typed in once, with their sources and tolerances, in
# `model/published.py`; everything below is computed.

# %%
import pandas as pd
from IPython.display import Markdown

import model
from model.growth_figures import growth_boost
from model.published import comparison

table = comparison()
table[["preset", "figure", "region", "published", "model", "difference", "unit", "claimed", "tolerance"]].round(4)

# %% [markdown]
# Every figure a preset claims lies within its tolerance (the anchor's own figures to floating-point rounding):

# %%
claimed = table[table.claimed]
assert claimed.within.all()
not_reproduced = table[~table.claimed]
Markdown(f"**{len(claimed)}** claimed figures reproduced, **{int(claimed.within.sum())}** within tolerance; "
         f"**{len(not_reproduced)}** figures shown but not reproduced, with the reason:\n\n"
         + "\n".join(f"- `{r.preset}`, {r.figure}: published {r.published:g}, model {r.model:.3g} ({r.note})"
                      for r in not_reproduced.itertuples()))

# %% [markdown]
# ## Growth contributions: Goldman Sachs' dated boosts
#
# The `goldman-sachs-2023-timing` preset states the US path (+0.1 pp in 2027 rising to +0.4 pp by 2034); the euro
# area follows a year later through its lag and allocation weight.

# %%
gs = model.run(model.Scenario.build(["goldman-sachs-2023-timing"]))
boosts = pd.DataFrame({reg: gs.series("ai_growth_boost_pp", reg) for reg in ["United States", "Euro area", "World"]})
ea = boosts.loc[2034, "Euro area"]
growth_boost(gs, ["United States", "Euro area", "World"])

# %%
Markdown(f"Euro area in 2034: **{ea:.2f} pp** against Goldman Sachs' +0.3 pp.")

# %% [markdown]
# ## Timing
#
# Share of the potential reached by 2033 (ten years after the base year) under each preset:

# %%
rows = []
for p in ["jpmorgan-low", "goldman-sachs-2023", "mckinsey-2023", "acemoglu-2024", "pwbm-2025"]:
    r = model.run(model.Scenario.build([p], {"end_year": 2033}))
    reached = r.aggregate(r.adoption * r.potential[:, None] * r.gdp / r.gdp[:, :1]).loc["World"].iloc[-1]
    scaled_potential = r.aggregate(r.potential[:, None] * r.gdp / r.gdp[:, :1]).loc["World"].iloc[-1]
    rows.append({"preset": p, "share_of_potential_reached_2033_pct": 100 * reached / scaled_potential})
pd.DataFrame(rows).round(1)
