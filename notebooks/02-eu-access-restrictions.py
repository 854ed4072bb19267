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
# # What do access restrictions cost the EU27?
#
# For each headline preset (JP Morgan low and high, Goldman Sachs, McKinsey, Acemoglu) and each EU restriction preset, the EU27's loss in US$ and % of GDP, cumulative and by year; the loss by lever; how it depends on substitution and delay; and a break-even. Every number in the prose below is computed here.

# %%
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from IPython.display import Markdown

import model

HEADLINES = ["jpmorgan-low", "jpmorgan-high", "goldman-sachs-2023", "mckinsey-2023", "acemoglu-2024"]
RESTRICTIONS = ["eu-llama-multimodal", "eu-apple-intelligence-delay", "eu-meta-ai-delay"]

# %% [markdown]
# ## Loss by headline and restriction preset

# %%
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

# %%
table.pivot(index="headline", columns="restriction", values="cumulative_lost_pct_of_gdp").round(4)

# %%
worst = table.loc[table.cumulative_lost_usd_bn.idxmax()]
best = table.loc[table.cumulative_lost_usd_bn.idxmin()]
Markdown(f"Across these 15 combinations the EU27's cumulative loss over 2023-2040 ranges from "
         f"**{best.cumulative_lost_usd_bn:,.1f} bn** ({best.headline} with {best.restriction}) to "
         f"**{worst.cumulative_lost_usd_bn:,.1f} bn** ({worst.headline} with {worst.restriction}), i.e. "
         f"{best.cumulative_lost_pct_of_gdp:.4f}% to {worst.cumulative_lost_pct_of_gdp:.3f}% of the EU27's GDP over "
         f"the period.")

# %%
share = table.pivot(index="headline", columns="restriction", values="lost_pct_of_open_gain")
spread = (share.max() - share.min())
Markdown("As a share of the EU27's open-access gain the loss depends mostly on the restriction, little on the "
         "headline: " + "; ".join(f"{rp}: {share[rp].min():.2f}% to {share[rp].max():.2f}%" for rp in share.columns)
         + " across the five headline presets.")

# %% [markdown]
# ## By year

# %%
by_year = {}
for rp in RESTRICTIONS:
    r = model.run(model.Scenario.build(["jpmorgan-high", rp]))
    by_year[rp] = r.aggregate(r.open_gain - r.gain).loc["EU27"]
by_year = pd.DataFrame(by_year)
fig = go.Figure([go.Scatter(x=by_year.index, y=by_year[c], name=c, line=dict(dash=d))
                 for c, d in zip(by_year.columns, ["solid", "dash", "dot"])])
fig.update_layout(title="EU27 loss by year under JP Morgan high (billion US$ 2023)", template="plotly_white")
fig

# %%
peak_year = int(by_year["eu-meta-ai-delay"].idxmax())
Markdown(f"A delay's loss is temporary: under the Meta AI preset the EU27's yearly loss peaks in **{peak_year}** "
         f"at **{by_year['eu-meta-ai-delay'].max():,.1f} bn** and then shrinks, while the Llama carve-out's loss keeps "
         f"growing with adoption, to **{by_year['eu-llama-multimodal'].iloc[-1]:,.1f} bn** in 2040.")

# %% [markdown]
# ## Decomposition by lever
#
# Add a 1% compliance drag and 20% leakage to the Llama carve-out to see every lever.

# %%
r = model.run(model.Scenario.build(["jpmorgan-high", "eu-llama-multimodal"], {"compliance_drag_pct": 1, "leakage_pct": 20}))
d = r.decomposition()
assert np.isclose(d["group"].sum(), r.group_summary()["cumulative_lost_usd_bn"])
d.round(1)

# %%
r.plot.waterfall()

# %%
Markdown(f"The levers add up exactly: restricted products {d.iloc[0, 0]:,.1f} bn, substitution "
         f"{d.iloc[1, 0]:,.1f} bn, compliance drag {d.iloc[2, 0]:,.1f} bn, total {d['group'].sum():,.1f} bn for the EU27; "
         f"leakage moves {-d.iloc[3, 1]:,.1f} bn of it to other economies, so the World loses {d['World'].sum():,.1f} bn.")

# %% [markdown]
# ## Substitution x delay
#
# The EU27's cumulative loss (JP Morgan high, 5% of AI value restricted) on a grid.

# %%
subs = np.arange(0, 101, 10)
delays = np.array([0.25, 0.5, 1, 1.5, 2, 3, 5, 8])
base = model.Scenario.build(["jpmorgan-high", "eu-meta-ai-delay"], {"restricted_share_pct": 5})
grid = pd.DataFrame([[model.run(base.with_values(substitution_pct=float(s), delay_years=float(dl))).group_summary()["cumulative_lost_usd_bn"]
                      for s in subs] for dl in delays], index=delays, columns=subs)
grid.index.name, grid.columns.name = "delay_years", "substitution_pct"
grid.round(0)

# %%
fig = go.Figure(go.Heatmap(z=grid.values, x=grid.columns, y=grid.index, colorscale="Cividis", reversescale=True,
                           colorbar=dict(title="bn US$")))
fig.update_layout(title="EU27 cumulative loss 2023-2040", xaxis_title="substitution (%)", yaxis_title="delay (years)")
fig


# %% [markdown]
# ## Break-even
#
# How good must substitutes be for a permanent carve-out of 5% of the EU27's AI value to cost no more than an 18-month delay with no substitute at all? Loss falls as substitution rises, so bisect.

# %%
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
         f"restricted value (the Llama preset assumes {model.PRESETS['eu-llama-multimodal'].restrictions[0].substitution_pct:.0f}%, "
         f"a judgement).")


# %% [markdown]
# ## The EU's actual record, event by event
#
# The restriction presets are now bundles of dated events (`model/tables/events.csv`). The EU's record 2023-2026 adds up every EU, EEA or member-state event with verified dates and a mechanism; each event's share and substitution are sourced or labelled judgement (`python -m model events --group EU27`).

# %%
record = model.run(model.Scenario.build(["jpmorgan-high", "eu-record-2023-2026"]))
by_event = record.event_losses(cumulative=True).sort_values("net", ascending=False)
record_total = record.group_summary()["cumulative_lost_usd_bn"]
assert abs(by_event.net.sum() - record_total) < 1e-9 * max(1.0, record_total)  # no drag: the events add up
by_event[["event", "restricted_products", "substitution", "net", "net_pct_gdp_2023"]].round(3)

# %%
top = by_event.iloc[0]
Markdown(f"Under JP Morgan's high headline the EU's 2023-2026 record costs the EU27 **{record_total:,.1f} bn** over "
         f"2023-2040 ({record.group_summary()['cumulative_lost_pct_of_open']:.2f}% of its open-access gain); the "
         f"largest single item is *{top.event}* (**{top.net:,.1f} bn**), because products withheld with no end date "
         f"keep costing for the whole horizon while ended delays stop.")

# %% [markdown]
# ## What the observed data change
#
# By default adoption lags come from observed generative-AI usage (Microsoft, 146 economies) and exposure from the ILO occupation scores weighted by each country's employment (`observed` / `ilo-occupations`); the earlier defaults were one lag per region and three IMF exposure groups (`region-lags` / `imf-groups`). How much do the EU27's gain and its loss from the restriction presets change?

# %%
legacy = {"adoption_calibration": "region-lags", "exposure_source": "imf-groups"}
rows = []
for rp in ["eu-record-2023-2026", "eu-llama-multimodal", "eu-meta-ai-delay", "eu-apple-intelligence-delay"]:
    new = model.run(model.Scenario.build(["jpmorgan-high", rp]))
    old = model.run(model.Scenario.build(["jpmorgan-high", rp], legacy))
    g_new, g_old = new.group_summary(), old.group_summary()
    rows.append({"restriction preset": rp,
                 "EU27 gain 2040, observed (bn)": g_new["gain_end_year_usd_bn"],
                 "EU27 gain 2040, region lags (bn)": g_old["gain_end_year_usd_bn"],
                 "loss, observed (bn)": g_new["cumulative_lost_usd_bn"],
                 "loss, region lags (bn)": g_old["cumulative_lost_usd_bn"],
                 "loss change (%)": 100 * (g_new["cumulative_lost_usd_bn"] / g_old["cumulative_lost_usd_bn"] - 1)})
change = pd.DataFrame(rows).set_index("restriction preset")
change.round(2)

# %%
new_c = model.run(model.Scenario.build(["jpmorgan-high"])).summary("countries")
old_c = model.run(model.Scenario.build(["jpmorgan-high"], legacy)).summary("countries")
eu_codes = model.load_countries().query("eu27 == 1").iso3
shift = (new_c.loc[eu_codes, "gain_end_year_pct"] - old_c.loc[eu_codes, "gain_end_year_pct"]).sort_values()
Markdown(f"With the observed data the EU27's gain in 2040 is **{change.iloc[0, 0]:,.0f} bn** against "
         f"**{change.iloc[0, 1]:,.0f} bn** with region lags, and its loss from the 2023-2026 record changes by "
         f"**{change.iloc[0, 4]:+.0f}%**. Among member states the gain as % of GDP in 2040 rises most for "
         f"**{shift.index[-1]}** ({shift.iloc[-1]:+.2f} points) and falls most for **{shift.index[0]}** "
         f"({shift.iloc[0]:+.2f} points): firm and individual use, and the occupational structure, differ far more "
         f"within the EU than one EU-wide lag allows. 2025 usage already reflects the restrictions, so the losses "
         f"computed on the observed path are, if anything, understated.")

# %% [markdown]
# ### The model beside the observations
#
# Observed usage (circles, three Microsoft periods) against the modelled usage paths (lines): the calibration passes each path through the H2 2025 observation; H1 2025 and Q1 2026 are out of sample.

# %%
from model.observations import allocation_vs_published, country_observations
from model.observed_figures import usage_chart, usage_data

p = model.Scenario.build(["jpmorgan-high"]).params
pts = usage_data(p, ("USA", "EU27", "DEU", "FRA", "ITA", "POL", "GRC"))
go.Figure(usage_chart(p, data=pts))

# %%
obs = country_observations(p).set_index("iso3")
eu_obs = obs[obs.eu27].sort_values("lag_years")
Markdown(f"Of the 27 members, **{int((eu_obs.lag_years < 0).sum())}** are ahead of the United States in usage "
         f"(negative lag); the earliest is **{eu_obs.name.iloc[0]}** ({eu_obs.lag_years.iloc[0]:+.2f} years) and the "
         f"latest **{eu_obs.name.iloc[-1]}** ({eu_obs.lag_years.iloc[-1]:+.2f} years). Greece: "
         f"{obs.loc['GRC', 'usage_pct']:.1f}% of people use generative AI (Microsoft, H2 2025) but "
         f"{obs.loc['GRC', 'enterprise_ai_pct']:.1f}% of enterprises use AI (Eurostat, 2025): the sources measure "
         f"different things and are both shown, not averaged.")

# %%
eu_obs[["name", "usage_pct", "enterprise_ai_pct", "lag_years", "lag_source", "exposure_index"]].round(2)

# %%
allocation_vs_published(model.run(model.Scenario.build(["jpmorgan-high"])))

# %% [markdown]
# ### Enterprise adoption instead of people's usage for EU members
#
# Microsoft's usage share and Eurostat's share of enterprises using AI rank the member states differently. With `usage_source = "eurostat-enterprise"` the members keep the EU's GDP-weighted mean lag from usage but are placed around it by enterprise use in 2025 (the enterprise series has no US value; a judgement, see `docs/model.md` 4b). Which members move, and does the EU's loss change?

# %%
ent = {"usage_source": "eurostat-enterprise"}
base_c = new_c
ent_c = model.run(model.Scenario.build(["jpmorgan-high"], ent)).summary("countries")
moved = (ent_c.loc[eu_codes, "cumulative_gain_usd_bn"] - base_c.loc[eu_codes, "cumulative_gain_usd_bn"]).sort_values()
rec_ent = model.run(model.Scenario.build(["jpmorgan-high", "eu-record-2023-2026"], ent)).group_summary()
rec_msft = model.run(model.Scenario.build(["jpmorgan-high", "eu-record-2023-2026"])).group_summary()
Markdown(f"Placed by enterprise use, **{moved.index[-1]}** gains most ({moved.iloc[-1]:+,.0f} bn cumulative "
         f"2023-2040) and **{moved.index[0]}** loses most ({moved.iloc[0]:+,.0f} bn); the EU27's cumulative gain "
         f"moves by {ent_c.loc['EU27', 'cumulative_gain_usd_bn'] - base_c.loc['EU27', 'cumulative_gain_usd_bn']:+,.0f} bn "
         f"and its loss from the 2023-2026 record is **{rec_ent['cumulative_lost_usd_bn']:,.1f} bn** against "
         f"**{rec_msft['cumulative_lost_usd_bn']:,.1f} bn** with usage "
         f"({100 * (rec_ent['cumulative_lost_usd_bn'] / rec_msft['cumulative_lost_usd_bn'] - 1):+.1f}%). By design "
         f"the EU's mean lag is the same under both; what the sources disagree on is who leads within the EU.")
