"""Words about a result: the headline sentence and the key figures, shared by the app, the
HTML report and the CLI. Formatting avoids false precision (three significant figures)."""

from __future__ import annotations


def fmt_usd_bn(x: float) -> str:
    """Money in billion US$ with three significant figures, e.g. '$412 bn', '$1.23 trillion', '-$73.2 bn', '$0 bn'."""
    if abs(x) < 0.005:  # rounding noise prints as zero, never '-$1e-13 bn'
        return "$0 bn"
    if x < 0:
        return "-" + fmt_usd_bn(-x)
    if x >= 1000:
        return f"${x / 1000:,.3g} trillion"
    if x >= 1:
        return f"${x:,.3g} bn".replace("e+02", "00")
    return f"${x:.2g} bn"


def fmt_pct(x: float) -> str:
    """A percentage without false precision: '0.42%', '6.6%', '12%'."""
    if x == 0 or abs(x) < 5e-13:
        return "0%"
    if abs(x) < 1:
        return f"{x:.2g}%"
    return f"{x:.1f}%" if abs(x) < 10 else f"{x:.0f}%"


def key_figures(r) -> list[tuple[str, str, str]]:
    """The four key figures of a :class:`~model.result.Result`: (label, value, caption) each, formatted."""
    w = r.summary().loc["World"]
    g = r.group_summary()
    end, who = int(r.years[-1]), r.group_label
    return [
        (f"World gain in {end}", fmt_usd_bn(w["gain_end_year_usd_bn"]), f"{fmt_pct(w['gain_end_year_pct'])} of World GDP"),
        (f"{who} gain in {end}", fmt_usd_bn(g["gain_end_year_usd_bn"]), f"{fmt_pct(g['gain_end_year_pct'])} of {who} GDP"),
        (f"{who} loss from restrictions, 2023-{end}", fmt_usd_bn(g["cumulative_lost_usd_bn"]),
         f"{fmt_pct(g['cumulative_lost_pct_of_open'])} of its open-access gain"),
        (f"{who} loss in {end}", fmt_usd_bn(g["lost_end_year_usd_bn"]),
         f"{fmt_pct(g['lost_end_year_pct_gdp'])} of {who} GDP"),
    ]


def headline(r) -> str:
    """One sentence stating a result's main finding, computed from the run."""
    g = r.group_summary()
    w = r.summary().loc["World"]
    end = int(r.years[-1])
    who = f"the {r.group_label}" if r.group_label == "EU27" else r.group_label
    if g["cumulative_lost_usd_bn"] > 0:
        first = (f"With these assumptions {who} loses {fmt_usd_bn(g['cumulative_lost_usd_bn'])} of its "
                 f"generative-AI gain over 2023-{end}, {fmt_pct(g['cumulative_lost_pct_of_open'])} of what "
                 f"it would gain with open access.")
    else:
        first = f"With these assumptions {who} loses nothing to access restrictions over 2023-{end}."
    return (f"{first} The World gains {fmt_usd_bn(w['gain_end_year_usd_bn'])} in {end} "
            f"({fmt_pct(w['gain_end_year_pct'])} of GDP).")
