"""A self-contained HTML report of one scenario: plotly.js, the map and the data are embedded.

The file opens offline: plotly.js is inlined once, and the world map's topojson is handed to
plotly.js through ``window.PlotlyGeoAssets`` so nothing is fetched.
"""

from __future__ import annotations

import html
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
from plotly.offline import get_plotlyjs

from . import __version__
from .data import DATA_VINTAGE, asset_text
from .figures import CHARTS, TOPOJSON_NAME, fan_chart, tornado_chart, world_map
from .parameters import PARAMETERS, PRESETS, Scenario
from .narrative import headline, key_figures, lags_note


CSS = """
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; margin: 2rem auto; max-width: 1150px;
       color: #222; line-height: 1.45; padding: 0 1rem; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
.headline { font-size: 1.25rem; font-weight: 600; margin: 1rem 0; }
.figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 1rem; }
.figure { border: 1px solid #ddd; border-radius: 6px; padding: .7rem; }
.figure .v { font-size: 1.5rem; font-weight: 600; } .figure .l, .figure .s { color: #555; font-size: .9rem; }
table { border-collapse: collapse; font-size: .85rem; width: 100%; }
th, td { border-bottom: 1px solid #e5e5e5; padding: .25rem .4rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.chart { margin: 1rem 0; } .muted { color: #666; font-size: .85rem; }
.changed { font-weight: 600; } tr.eu td { font-weight: 600; } table.sortable th { cursor: pointer; }
"""


def _table(df: pd.DataFrame, num_fmt: str = "{:,.1f}") -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in [df.index.name or "", *df.columns])
    rows = []
    for idx, row in df.iterrows():
        cells = [f"<td>{html.escape(str(idx))}</td>"]
        for v in row:
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                cells.append(f'<td class="num">{num_fmt.format(v)}</td>')
            else:
                cells.append(f"<td>{html.escape(str(v))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _figure_html(fig, div_id: str) -> str:
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id,
                       config={"displaylogo": False, "responsive": True})


def _key_figures(r) -> str:
    items = key_figures(r)
    return '<div class="figures">' + "".join(
        f'<div class="figure"><div class="l">{html.escape(a)}</div><div class="v">{html.escape(b)}</div>'
        f'<div class="s">{html.escape(c)}</div></div>' for a, b, c in items) + "</div>"


def _assumptions(s: Scenario) -> str:
    changed = s.changed()
    rows = []
    values = s.values
    for k, spec in PARAMETERS.items():
        v = values[k]
        mark = ' class="changed"' if k in changed else ""
        judge = " (judgement)" if spec.judgement else ""
        rows.append(f"<tr><td{mark}>{html.escape(spec.label)}<br><code>{k}</code></td>"
                    f"<td{mark}>{html.escape(str(v))}</td><td>{html.escape(spec.unit)}</td>"
                    f"<td>{html.escape(str(spec.default))}</td><td>{html.escape(spec.source + judge)}</td></tr>")
    head = "<tr><th>parameter</th><th>value</th><th>unit</th><th>default</th><th>source</th></tr>"
    presets = "".join(
        f"<li><b>{html.escape(p)}</b>: {html.escape(PRESETS[p].description)} <span class='muted'>Source: "
        f"{html.escape(PRESETS[p].source)}"
        + (f". Judgement: {html.escape(', '.join(PRESETS[p].judgement))}" if PRESETS[p].judgement else "")
        + "</span></li>" for p in s.presets)
    restr = "".join(
        f"<li>{html.escape(r.label)}: {html.escape(r.group or s.params.restricted_group)}, share "
        f"{r.restricted_share_pct:g}%, substitution {r.substitution_pct:g}%, "
        + ("until further notice" if r.delay_indefinite else f"delay {r.delay_years:g} years") + "</li>"
        for r in s.restrictions)
    return (f"<p>Presets, applied in order: </p><ul>{presets or '<li>none (parameter defaults)</li>'}</ul>"
            f"<p>Access restrictions:</p><ul>{restr}</ul>"
            f"<p class='muted'>Values in bold differ from what the presets give.</p>"
            f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>")


SORT_JS = """
document.querySelectorAll('table.sortable th').forEach(function (th, col) {
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0], rows = Array.from(body.rows);
    var asc = th.dataset.asc !== '1'; th.dataset.asc = asc ? '1' : '0';
    rows.sort(function (a, b) {
      var x = a.cells[col].dataset.v, y = b.cells[col].dataset.v, nx = parseFloat(x), ny = parseFloat(y);
      if (x === '' || y === '') { return (x === '') - (y === ''); }  // no value: last either way
      var c = (isNaN(nx) || isNaN(ny)) ? String(x).localeCompare(String(y)) : nx - ny;
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""


def _sortable_table(df: pd.DataFrame, highlight) -> str:
    """Every row of ``df`` as an HTML table that sorts by a click on a header (inline script, no
    network); rows where ``highlight`` is true are bold. Cells carry their raw value for sorting."""
    from .narrative import column_label

    head = "".join(f"<th title='click to sort'>{html.escape(column_label(c))} &#8597;</th>" for c in df.columns)
    rows = []
    for (_, row), bold in zip(df.iterrows(), highlight):
        cells = []
        for v in row:
            if isinstance(v, (bool, np.bool_)):
                cells.append(f"<td data-v='{int(v)}'>{'yes' if v else ''}</td>")
            elif isinstance(v, (int, float, np.number)):
                shown = "" if pd.isna(v) else f"{v:,.2f}"
                cells.append(f"<td class='num' data-v='{'' if pd.isna(v) else repr(float(v))}'>{shown}</td>")
            else:
                cells.append(f"<td data-v='{html.escape(str(v), quote=True)}'>{html.escape(str(v))}</td>")
        rows.append(("<tr class='eu'>" if bold else "<tr>") + "".join(cells) + "</tr>")
    return (f"<table class='sortable'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _observed(result) -> str:
    """The model beside the observations: usage paths against the observed points, the map's
    observed layers, the allocation beside published splits and every economy's lag and exposure."""
    from .observations import allocation_vs_published, country_observations
    from .observed_figures import usage_chart

    p = result.params
    obs = country_observations(p)
    table = obs.sort_values(["eu27", "lag_years"], ascending=[False, True], kind="stable")
    published = allocation_vs_published(result).set_index("comparison")
    published["within"] = np.where(published["within"], "yes", "no")
    published = published.rename(columns={"published": "published ratio", "model": "model ratio",
                                          "within": "model within published"})
    figures = [(usage_chart(p), "chart-usage"), (world_map(result, layer="usage"), "chart-map-usage"),
               (world_map(result, layer="exposure"), "chart-map-exposure")]
    return (f"<h2>The model beside the observations</h2><p class='muted'>{html.escape(lags_note(p, obs.attrs))} "
            "Usage in 2025 "
            "already reflects the 2023-25 restrictions, so the open-access path calibrated on it is slightly "
            "slow for the restricted economies and the losses are, if anything, understated.</p>"
            + "".join(f"<div class='chart'>{_figure_html(f, i)}</div>" for f, i in figures)
            + "<h3>The allocation beside published splits</h3><p class='muted'>Relative intensities (potential as "
              "% of GDP of one group over another) beside published figures that measure related but different "
              "things; shown, not tuned.</p>" + _table(published, "{:,.2f}")
            + "<h3>Usage, adoption lag and exposure by economy</h3><p class='muted'>EU members in bold and listed "
              "first; click a header to sort. Microsoft usage and Eurostat enterprise use measure different "
              "things and disagree for some members (e.g. Greece): both are shown, neither is adjusted.</p>"
            + _sortable_table(table, table.eu27.to_numpy()))


def report_html(result, draws: int = 1000, seed: int = 0, command: str | None = None, mc=None,
                tornado=None) -> str:
    """The report as one HTML string (self-contained; renders with no network).

    ``draws`` > 0 adds the Monte Carlo fan chart of the restricted group's loss and a tornado chart.
    Pass ``mc`` (a :class:`~model.uncertainty.MonteCarloResult` of the same scenario) and
    ``tornado`` to reuse runs already made (the app reuses its Uncertainty tab's), so one scenario
    never shows two different probabilities.
    """
    s = result.scenario
    sections = []
    for name in ("loss_by_year", "group_paths", "waterfall", "gains_by_region", "map", "per_capita"):
        title, fig_fn, _ = CHARTS[name]
        sections.append(f'<div class="chart">{_figure_html(fig_fn(result), f"chart-{name}")}</div>')
    uncertainty = ""
    if mc is not None or draws > 0:
        from . import uncertainty as U

        mc = mc if mc is not None else U.monte_carlo(s, draws=draws, seed=seed)
        tor = tornado if tornado is not None else U.sensitivity(s, "tornado")
        uncertainty = (f"<h2>Uncertainty</h2><p><b>{html.escape(mc.probability_statement())}</b></p>"
                       f"<div class='chart'>{_figure_html(fan_chart(mc, 'ai_gain_lost', 'Restricted group'), 'chart-fan')}</div>"
                       f"<div class='chart'>{_figure_html(fan_chart(mc, 'ai_gain', 'World'), 'chart-fan-world')}</div>"
                       f"<div class='chart'>{_figure_html(tornado_chart(tor), 'chart-tornado')}</div>")
    summary = result.summary()[["gdp_base_usd_bn", "potential_gain_usd_bn", "gain_end_year_usd_bn", "gain_end_year_pct",
                                "cumulative_gain_usd_bn", "cumulative_lost_usd_bn", "npv_gain_usd_bn"]]
    topojson = asset_text(f"{TOPOJSON_NAME}.json")
    created = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cmd = f"<p class='muted'>Reproduce: <code>{html.escape(command)}</code></p>" if command else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Generative-AI impact: {html.escape(s.name)}</title>
<style>{CSS}</style>
<script>window.PlotlyGeoAssets = {{topojson: {{"{TOPOJSON_NAME}": {topojson}}}}};</script>
<script>{get_plotlyjs()}</script>
</head><body>
<h1>Generative AI: who gains, and what do access restrictions cost?</h1>
<p class="muted">Scenario <b>{html.escape(s.name)}</b> · genai-impact {__version__} · data: {html.escape(DATA_VINTAGE)} · created {created}</p>
<p class="headline">{html.escape(headline(result))}</p>
{_key_figures(result)}
<p class="muted">Money in US$ at 2023 prices. This is a scenario, not a forecast: the headline, allocation and
adoption are assumptions, listed with their sources below; where a value is a judgement it says so.</p>
<h2>Charts</h2>
{''.join(sections)}
{uncertainty}
{_observed(result)}
<h2>Summary by region</h2>
{_table(summary)}
<p class="muted">billion US$ (2023 prices) except *_pct (% of GDP); cumulative over 2023-{int(result.years[-1])};
NPV at {s.params.discount_rate_pct:g}% to 2023.</p>
<h2>Assumptions and sources</h2>
{_assumptions(s)}
<h2>Method</h2>
<p>Countries' 2023 GDP (World Bank WDI) grows with IMF WEO real growth; the world potential is split across
countries by AI exposure (IMF SDN/2024/001) and the IMF AI Preparedness Index, normalised to the headline; each
country reaches its potential along a logistic adoption curve with regional lags; restrictions on a group remove a
share of its AI value for a delay, net of substitution, with an optional compliance drag and leakage to other
economies. The open-access counterfactual is computed in every run and the loss is decomposed by lever. Full
equations: <code>docs/model.md</code> in the project.</p>
{cmd}
<script>{SORT_JS}</script>
<script type="application/json" id="scenario">{html.escape(s.to_json(indent=None))}</script>
</body></html>
"""


def write_report(result, path: str | Path, draws: int = 1000, seed: int = 0, command: str | None = None) -> None:
    """Write :func:`report_html` to ``path`` (atomically)."""
    from .safeio import atomic_write

    atomic_write(path, report_html(result, draws=draws, seed=seed, command=command).encode("utf-8"))


def scenario_from_report(text: str) -> Scenario:
    """Read the scenario embedded in a report back (the identical run)."""
    start = text.index('<script type="application/json" id="scenario">') + len('<script type="application/json" id="scenario">')
    end = text.index("</script>", start)
    return Scenario.from_json(html.unescape(text[start:end]))
