"""Words about a result: the headline sentence and the key figures, shared by the app, the
HTML report and the CLI. Formatting avoids false precision (three significant figures)."""

from __future__ import annotations

import re


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
    if abs(x) < 0.001:  # never scientific notation
        return "less than 0.001%" if x > 0 else "-less than 0.001%"
    if abs(x) < 1:
        return f"{x:.2g}%"
    return f"{x:.1f}%" if abs(x) < 10 else f"{x:.0f}%"


def _group_loss(r) -> dict:
    """The restricted group's loss as the key figures state it: cumulative (US$, % of its open-access
    gain, % of its GDP over the horizon) and in its largest year (US$, % of that year's GDP)."""
    g = r.group_summary()
    lost = r.series("ai_gain_lost", "Restricted group").to_numpy()
    gdp = r.series("gdp_baseline", "Restricted group").to_numpy()
    i = int(lost.argmax()) if lost.max() > 0 else len(lost) - 1
    return {"cumulative": g["cumulative_lost_usd_bn"], "pct_of_open": g["cumulative_lost_pct_of_open"],
            "pct_of_gdp": 100 * lost.sum() / gdp.sum(), "peak": lost[i], "peak_year": int(r.years[i]),
            "peak_pct_gdp": 100 * lost[i] / gdp[i]}


def key_figures(r) -> list[tuple[str, str, str]]:
    """The four key figures of a :class:`~model.result.Result`, the restricted group's loss first:
    (label, value, caption) each, formatted."""
    w = r.summary().loc["World"]
    g = r.group_summary()
    loss = _group_loss(r)
    end, who = int(r.years[-1]), r.group_label
    return [
        (f"{who} loss, 2023-{end}", fmt_usd_bn(loss["cumulative"]),
         f"{fmt_pct(loss['pct_of_gdp'])} of its GDP over these years; {fmt_pct(loss['pct_of_open'])} of its "
         "open-access gain"),
        (f"{who} loss in {loss['peak_year']}", fmt_usd_bn(loss["peak"]),
         f"{fmt_pct(loss['peak_pct_gdp'])} of its GDP that year" + (", its largest yearly loss" if loss["peak"] > 0 else "")),
        (f"{who} gain in {end}", fmt_usd_bn(g["gain_end_year_usd_bn"]), f"{fmt_pct(g['gain_end_year_pct'])} of {who} GDP"),
        (f"World gain in {end}", fmt_usd_bn(w["gain_end_year_usd_bn"]), f"{fmt_pct(w['gain_end_year_pct'])} of World GDP"),
    ]


def potential_note(r) -> str:
    """Why the World's gain in the end year differs from the headline potential (stated on 2023 GDP):
    the potential is a share of GDP, so it grows with the economy, and adoption may be incomplete."""
    w = r.summary().loc["World"]
    gdp = r.series("gdp_baseline", "World").to_numpy()
    end = int(r.years[-1])
    if getattr(r.params, "headline_mode", "usd") in ("growth_path", "level_path"):
        return (f"The World gains {fmt_usd_bn(w['gain_end_year_usd_bn'])} in {end}: the headline is a path over time "
                "(a growth boost or dated GDP levels), applied to each year's GDP, which itself grows.")
    grown = w["potential_gain_usd_bn"] * gdp[-1] / gdp[0]
    reached = 100 * w["gain_open_end_year_usd_bn"] / grown if grown > 0 else 0.0
    return (f"Why {fmt_usd_bn(w['gain_end_year_usd_bn'])} in {end} and not {fmt_usd_bn(w['potential_gain_usd_bn'])}? "
            f"The potential is stated on the 2023 economy ({fmt_pct(w['potential_gain_pct_gdp'])} of 2023 world GDP). "
            f"It is a share of GDP, so it grows with the economy: world GDP is {gdp[-1] / gdp[0]:.2f} times larger "
            f"in {end}, which makes the full potential {fmt_usd_bn(grown)}; about {reached:.0f}% of it is adopted "
            f"by {end} with open access.")


def headline(r) -> str:
    """One sentence stating a result's main finding, computed from the run."""
    g = r.group_summary()
    w = r.summary().loc["World"]
    end = int(r.years[-1])
    who = f"the {r.group_label}" if r.group_label == "EU27" else r.group_label
    if g["cumulative_lost_usd_bn"] > 0:
        loss = _group_loss(r)
        first = (f"With these assumptions {who} loses {fmt_usd_bn(g['cumulative_lost_usd_bn'])} of its "
                 f"generative-AI gain over 2023-{end}, {fmt_pct(g['cumulative_lost_pct_of_open'])} of what "
                 f"it would gain with open access ({fmt_pct(loss['pct_of_gdp'])} of its GDP over these years); "
                 f"the most in one year is {fmt_usd_bn(loss['peak'])} in {loss['peak_year']} "
                 f"({fmt_pct(loss['peak_pct_gdp'])} of its GDP).")
    else:
        first = f"With these assumptions {who} loses nothing to access restrictions over 2023-{end}."
    return (f"{first}{_what_restricts(r)} The World gains {fmt_usd_bn(w['gain_end_year_usd_bn'])} in {end} "
            f"({fmt_pct(w['gain_end_year_pct'])} of GDP){_anchor_note(r)}.")


def _what_restricts(r) -> str:
    """' The restrictions: <events, dates>.' naming the dated events (at most three, then how many more)."""
    dated = [x for x in r.scenario.restrictions if x.kind != "legacy"]
    if not dated:
        return ""
    def one(x):
        when = f"{x.start_date:%b %Y}" + (f"-{x.end_date:%b %Y}" if x.end_date else " on")
        return f"{x.label} ({when})"
    names = [one(x) for x in sorted(dated, key=lambda x: x.start_date)]
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    first, last = min(x.start_date for x in dated), max((x.end_date for x in dated if x.end_date), default=None)
    period = f"{first:%b %Y}" + (f"-{last:%b %Y}" if last and all(x.end_date for x in dated) else " onwards")
    return f" Events counted ({len(names)}, {period}): " + "; ".join(names[:3]) + more + "."


def _anchor_note(r) -> str:
    """', the headline stated for <anchor>' when the headline is anchored on a region."""
    anchor = getattr(r.params, "headline_anchor", "World")
    return "" if anchor == "World" else f"; the headline is stated for {anchor} and the World follows"


# ----------------------------------------------------------------------------- plain labels
#: Plain-language column names of :meth:`~model.result.Result.summary` and other tables shown to users.
COLUMN_LABELS: dict[str, str] = {
    "region": "Region", "year": "Year", "scenario": "Scenario", "variable": "Variable", "unit": "Unit",
    "value": "Value", "lever": "Lever", "iso3": "ISO3 code", "name": "Country",
    "gdp_base_usd_bn": "GDP 2023 (US$ bn)", "population_2023": "Population 2023",
    "potential_gain_usd_bn": "Potential gain (US$ bn, 2023 base)", "potential_gain_pct_gdp": "Potential gain (% of 2023 GDP)",
    "gain_end_year_usd_bn": "Gain in end year (US$ bn)", "gain_end_year_pct": "Gain in end year (% of GDP)",
    "gain_open_end_year_usd_bn": "Gain with open access in end year (US$ bn)",
    "lost_end_year_usd_bn": "Loss in end year (US$ bn)", "cumulative_gain_usd_bn": "Cumulative gain (US$ bn)",
    "cumulative_gain_open_usd_bn": "Cumulative gain with open access (US$ bn)",
    "cumulative_lost_usd_bn": "Cumulative loss (US$ bn)", "npv_gain_usd_bn": "Present value of the gain (US$ bn)",
    "npv_lost_usd_bn": "Present value of the loss (US$ bn)",
    "gain_per_capita_end_year_usd": "Gain per person in end year (US$)",
    "ai_gain_pct_gdp": "Gain, % of GDP", "ai_gain_usd_bn": "Gain (US$ bn)",
    "group": "Restricted group", "World": "World",
    # python -m model countries / the app's table of observations by economy
    "eu27": "EU member", "usage_pct": "People using generative AI (%, Microsoft)",
    "usage_gap_years": "Usage gap to the reference economy (years)",
    "lag_years": "Adoption lag (years; negative = ahead)", "lag_source": "Lag from",
    "enterprise_ai_pct": "Enterprises using AI, 2025 (%, Eurostat)",
    "exposure_index": "Exposure index (ILO occupations)", "exposure_fallback": "Exposure from group mean",
    "aipi": "AI preparedness (IMF)",
}


def column_label(key: str) -> str:
    """A column's plain label: the output registry's label for a variable, :data:`COLUMN_LABELS`
    for the summary columns, else the name in words (underscores to spaces, 'usd' to 'US$')."""
    from .outputs import VARIABLES

    if key in VARIABLES:
        v = VARIABLES[key]
        return f"{v.label} ({v.unit.replace('billion USD_2023', 'US$ bn').replace('USD_2023', 'US$')})"
    if key in COLUMN_LABELS:
        return COLUMN_LABELS[key]
    words = str(key).replace("_usd_bn", " (US$ bn)").replace("_pct", " (%)").replace("_", " ")
    return words[:1].upper() + words[1:]


def readable(df):
    """A copy of a table for display: plain column (and index) names, variable keys as labels."""
    from .outputs import VARIABLES

    out = df.copy()
    if "variable" in out.columns:
        out["variable"] = out["variable"].map(lambda k: VARIABLES[k].label if k in VARIABLES else k)
    out.index.names = [column_label(n) if n else n for n in out.index.names]
    return out.rename(columns={c: column_label(c) for c in out.columns if isinstance(c, str)})


def preset_label(preset) -> str:
    """A preset in plain words (never its internal key): a restriction preset with one restriction by
    that restriction's label, a headline preset by its description up to the first bracket, any
    other by its description."""
    if len(preset.restrictions) == 1:
        return preset.restrictions[0].label
    text = preset.description
    if not preset.restrictions:  # cut at the first bracket or semicolon after a 20-character start
        cuts = [i for i in (text.find(" (", 20), text.find("; ", 20)) if i > 0]
        text = text[:min(cuts)] if cuts else text
    return text[:-1] if text.endswith(".") else text


def lags_note(params, attrs: dict) -> str:
    """How the adoption lags shown beside the observations were read, in plain words (the app's and
    the report's caption; ``attrs``: those of :func:`model.observations.country_observations`)."""
    if params.adoption_calibration != "observed":
        return ("This scenario sets adoption lags by region (region-lags): the usage and lags shown are not used. "
                "Negative lags: ahead of the reference economy.")
    text = (f"Adoption lags behind {params.usage_reference_iso3} read from observed usage at "
            f"{params.usage_reference_period} (usage speed {attrs.get('k_u', float('nan')):.3f}/year, weight "
            f"{params.usage_lag_weight:g})")
    if getattr(params, "usage_source", "msft-usage") == "eurostat-enterprise":
        text += (f"; EU members are placed by Eurostat enterprise AI use in 2025 (enterprise speed "
                 f"{attrs.get('k_e', float('nan')):.3f}/year) around the EU's mean lag")
    return text + (". Negative lags: ahead of the reference economy; many EU members use generative AI more than "
                   "the United States.")


def ids_in_words(text: str, events=None) -> str:
    """``text`` with each event id it names replaced by the event's label in quotes (a preset's
    source names its events by id, for the command line; a reader of the app sees the words).

    >>> ids_in_words("EU launch 19-20 Mar 2025; event meta-ai-assistant-eu-delay")
    'EU launch 19-20 Mar 2025; event "Meta AI assistant reaches the EU about 18 months after the US"'
    """
    from .events import load_events

    pool = sorted(load_events() if events is None else events, key=lambda e: -len(e.id))  # longest id first
    for e in pool:
        if e.id in text:
            text = re.sub(rf"(?<![\w-]){re.escape(e.id)}(?![\w-])", f'"{e.label}"', text)
    return text
