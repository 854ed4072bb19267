"""The model beside the observations: observed generative-AI usage and the usage paths the
calibration implies, for chosen economies and regions (plain-dict plotly figures)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .figures import OKABE_ITO, _figure

DEFAULT_SELECTION = ("USA", "EU27", "DEU", "FRA", "ITA", "POL", "CHN", "IND")


def usage_data(params, selection=DEFAULT_SELECTION, years=np.linspace(2024.0, 2027.0, 13)) -> pd.DataFrame:
    """Observed usage (the Microsoft periods) and the modelled usage path of each chosen economy or region.

    The modelled path of economy :math:`i`: :math:`\\operatorname{logit} u_i(t) = \\operatorname{logit}
    u_{\\mathrm{ref}}(t_p) + k_u (t - t_p - g_i)` with :math:`g_i` its usage gap in years (weight 1), so it
    passes through the observation at the reference period :math:`t_p`; the other periods are the
    out-of-sample check. A region: the population-weighted mean of its economies (observed points:
    of the economies observed in that period). Tidy: ``code, name, kind (observed|modelled), t, usage_pct``.
    """
    from .calibration import logit
    from .data import REGIONS, load_countries
    from .observations import country_observations, load_usage_msft

    c = load_countries().set_index("iso3")
    obs = country_observations(params).set_index("iso3")
    k, ref = obs.attrs["k_u"], params.usage_reference_iso3
    usage = load_usage_msft()
    ref_obs = usage[(usage.iso3 == ref) & (usage.period == params.usage_reference_period)].iloc[0]
    t_p, base = ref_obs.period_mid_year, logit(ref_obs.usage_pct / 100)
    path = 100 / (1 + np.exp(-(base + k * (years[None, :] - t_p - obs.usage_gap_years.to_numpy()[:, None]))))
    path = pd.DataFrame(path, index=obs.index, columns=years)
    rows = []
    for code in selection:
        members = list(c.index[c.region == code]) if code in REGIONS else [code]
        if not members or members[0] not in c.index:
            continue
        w = c.population_2023.loc[members]
        name = code if code in REGIONS else c.name.loc[code]
        modelled = (path.loc[members].mul(w, axis=0).sum() / w.sum()).to_numpy()
        rows += [{"code": code, "name": name, "kind": "modelled", "t": t, "usage_pct": u} for t, u in zip(years, modelled)]
        seen = usage[usage.iso3.isin(members)]
        for (period, t), g in seen.groupby(["period", "period_mid_year"]):
            ww = w.loc[g.iso3].to_numpy()
            rows.append({"code": code, "name": name, "kind": "observed", "t": t,
                         "usage_pct": float((g.usage_pct.to_numpy() * ww).sum() / ww.sum())})
    return pd.DataFrame(rows, columns=["code", "name", "kind", "t", "usage_pct"])


def usage_chart(params, selection=DEFAULT_SELECTION, data: pd.DataFrame | None = None):
    """Observed usage (markers) beside the modelled usage paths (lines) of the chosen economies
    (``data``: :func:`usage_data` already computed for them)."""
    d = usage_data(params, selection) if data is None else data
    traces = []
    for i, (code, g) in enumerate(d.groupby("code", sort=False)):
        colour = OKABE_ITO[i % len(OKABE_ITO)]
        m, o = g[g.kind == "modelled"], g[g.kind == "observed"]
        name = g.name.iloc[0]
        traces.append(dict(type="scatter", mode="lines", x=m.t.tolist(), y=m.usage_pct.tolist(), name=name,
                           legendgroup=code, line=dict(color=colour, width=2),
                           hovertemplate=f"{name} (model) %{{x:.2f}}: %{{y:.1f}}%<extra></extra>"))
        traces.append(dict(type="scatter", mode="markers", x=o.t.tolist(), y=o.usage_pct.tolist(), name=name,
                           legendgroup=code, showlegend=False, marker=dict(color=colour, size=9, symbol="circle-open",
                                                                          line=dict(width=2)),
                           hovertemplate=f"{name} (observed) %{{x:.2f}}: %{{y:.1f}}%<extra></extra>"))
    title = (f"Generative-AI usage: observed (circles, Microsoft) and modelled (lines), calibrated at "
             f"{params.usage_reference_period}"
             + (" (EU members placed by Eurostat enterprise AI use)"
                if getattr(params, "usage_source", "msft-usage") == "eurostat-enterprise" else ""))
    return _figure(traces, dict(title=dict(text=title), xaxis=dict(title=dict(text="year"), tickformat="d", dtick=1),
                                yaxis=dict(title=dict(text="% of the working-age population"), rangemode="tozero")))
