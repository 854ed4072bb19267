"""Streamlit UI of the generative-AI economic-impact calculator.

UI only: widgets are generated from the parameter declarations (model.PARAMETERS), every number
comes from the model package, and every download is produced by the model's export functions.
The whole scenario lives in the page URL (``?hp=<headline preset>&rp=<restriction preset>&<key>=<value>``).
"""

from __future__ import annotations

import os
import shlex
import time
from pathlib import Path

import pandas as pd
import streamlit as st

import model
from model import PARAMETERS, PRESETS, REGIONS, Scenario, ScenarioError
from model.data import DATA_VINTAGE
from model import uncertainty
from model.figures import CHARTS, compare_figure, tornado_chart
from model.io import excel_bytes, parameter_table, write_csv
from model.narrative import headline, key_figures as key_figure_values
from model.outputs import VARIABLES
from model.parameters import KINDS
from model.report import report_html
from model.safeio import escape_markdown, load_json_bounded

ROOT = Path(__file__).resolve().parent
PLOTLY_CONFIG = {"topojsonURL": "/app/static/topojson/", "displaylogo": False}
HEADLINE_PRESETS = ["none"] + [p for p, v in PRESETS.items() if v.kind == "headline"]
RESTRICTION_PRESETS = ["none"] + [p for p, v in PRESETS.items() if v.kind == "restriction"]
DEFAULT_HP, DEFAULT_RP = "jpmorgan-high", "eu-meta-ai-delay"
CUSTOM_GROUP = "Custom list of countries"
MAX_PINNED = 4
MC_DEFAULT_DRAWS = 2000
TABS = ["Overview", "Compare", "Uncertainty", "Downloads", "Method & sources"]

st.set_page_config(page_title="Generative-AI impact calculator", layout="wide")


# ----------------------------------------------------------------------------- model calls
@st.cache_resource(max_entries=128, show_spinner=False)
def run_cached(scenario_json: str) -> model.Result:
    """One model run per distinct scenario (the JSON is the cache key)."""
    return model.run(Scenario.from_json(scenario_json))


def presets_of(hp: str, rp: str) -> list[str]:
    return [p for p in (hp, rp) if p != "none"]


# ----------------------------------------------------------------------------- state <-> widgets
def set_widgets(scenario: Scenario, hp: str, rp: str) -> None:
    """Write a scenario into the widgets' session state."""
    ss = st.session_state
    ss["hp"], ss["rp"] = hp, rp
    values = scenario.values
    for key, spec in PARAMETERS.items():
        v = values[key]
        widget = KINDS[spec.kind].widget
        if widget == "slider":
            ss[f"sl_{key}"] = v
            ss[f"ni_{key}"] = v
        elif widget == "group":
            if v in REGIONS:
                ss["grp_sel"], ss["grp_codes"] = v, ss.get("grp_codes", "")
            else:
                ss["grp_sel"], ss["grp_codes"] = CUSTOM_GROUP, v.replace(",", ", ")
        else:
            ss[f"w_{key}"] = v


def widget_values() -> dict:
    ss = st.session_state
    values = {}
    for key, spec in PARAMETERS.items():
        widget = KINDS[spec.kind].widget
        if widget == "slider":
            values[key] = ss[f"sl_{key}"]
        elif widget == "group":
            values[key] = ss["grp_sel"] if ss["grp_sel"] != CUSTOM_GROUP else ss["grp_codes"]
        else:
            values[key] = ss[f"w_{key}"]
    return values


def scenario_from_query(params) -> tuple[Scenario, str, str]:
    """Read the URL; raises ScenarioError on anything malformed or out of range."""
    hp = params.get("hp", DEFAULT_HP)
    rp = params.get("rp", DEFAULT_RP)
    if hp not in HEADLINE_PRESETS:
        raise ScenarioError(f"hp={model.parameters.quoted(hp)} is not a headline preset; choose from "
                            f"{', '.join(HEADLINE_PRESETS)}")
    if rp not in RESTRICTION_PRESETS:
        raise ScenarioError(f"rp={model.parameters.quoted(rp)} is not a restriction preset; choose from "
                            f"{', '.join(RESTRICTION_PRESETS)}")
    overrides = {}
    for key in params.keys():
        if key in ("hp", "rp"):
            continue
        if key not in PARAMETERS:
            raise ScenarioError(f"unknown parameter {model.parameters.quoted(key)} in the link")
        overrides.update([model.parameters.parse_assignment(f"{key}={params.get(key)}")])
    return Scenario.build(presets_of(hp, rp), overrides), hp, rp


def query_for(scenario: Scenario, hp: str, rp: str) -> dict:
    q = {"hp": hp, "rp": rp}
    for k, v in scenario.changed().items():
        q[k] = KINDS[PARAMETERS[k].kind].to_text(v)
    return q


def init_state() -> None:
    ss = st.session_state
    if ss.get("initialised"):
        return
    try:
        scenario, hp, rp = scenario_from_query(st.query_params)
    except ScenarioError as exc:
        ss["link_error"] = str(exc)
        scenario, hp, rp = Scenario.build(presets_of(DEFAULT_HP, DEFAULT_RP)), DEFAULT_HP, DEFAULT_RP
    set_widgets(scenario, hp, rp)
    ss["pinned"] = []
    ss["initialised"] = True


# ----------------------------------------------------------------------------- callbacks
def on_preset_change() -> None:
    ss = st.session_state
    set_widgets(Scenario.build(presets_of(ss["hp"], ss["rp"])), ss["hp"], ss["rp"])


def on_slider(key: str) -> None:
    st.session_state[f"ni_{key}"] = st.session_state[f"sl_{key}"]


def on_number(key: str) -> None:
    spec = PARAMETERS[key]
    v = st.session_state[f"ni_{key}"]
    v = min(max(v, spec.min), spec.max)
    st.session_state[f"ni_{key}"] = st.session_state[f"sl_{key}"] = int(v) if spec.kind == "int" else float(v)


def on_upload() -> None:
    ss = st.session_state
    f = ss.get("upload")
    if f is None:
        return
    try:
        data = f.getvalue()
        if len(data) > 1_000_000:
            raise ScenarioError(f"the file has {len(data):,} bytes: allowed at most 1,000,000")
        scenario = Scenario.from_dict(load_json_bounded(data, what="uploaded file"))
    except ScenarioError as exc:
        ss["upload_error"] = f"Could not load {f.name}: {exc}"
        return
    hp = next((p for p in scenario.presets if p in HEADLINE_PRESETS), "none")  # the app shows one of each kind
    rp = next((p for p in scenario.presets if p in RESTRICTION_PRESETS), "none")
    set_widgets(scenario, hp, rp)
    ss["upload_error"] = None
    ss["upload_ok"] = f"Loaded scenario '{scenario.name}' from {f.name}."


# ----------------------------------------------------------------------------- sidebar
def help_text(spec) -> str:
    unit = f" Unit: {spec.unit}." if spec.unit else ""
    judge = " (Judgement, not a published figure.)" if spec.judgement else ""
    return f"{spec.help}{unit} Source: {spec.source}{judge}"


def slider_widget(spec, disabled: bool) -> None:
    key, is_int = spec.key, spec.kind == "int"
    cast = int if is_int else float
    st.slider(f"{spec.label}" + (f" ({spec.unit})" if spec.unit else ""), cast(spec.min), cast(spec.max),
              step=cast(spec.step), key=f"sl_{key}", help=help_text(spec), on_change=on_slider, args=(key,),
              disabled=disabled)
    st.number_input(f"{spec.label}: exact value", cast(spec.min), cast(spec.max), step=cast(spec.step),
                    key=f"ni_{key}", on_change=on_number, args=(key,), label_visibility="collapsed",
                    format="%d" if is_int else None, disabled=disabled)


def toggle_widget(spec, disabled: bool) -> None:
    st.checkbox(spec.label, key=f"w_{spec.key}", help=help_text(spec), disabled=disabled)


def select_widget(spec, disabled: bool) -> None:
    st.selectbox(spec.label, spec.choices, key=f"w_{spec.key}", help=help_text(spec), disabled=disabled)


def group_widget(spec, disabled: bool) -> None:
    st.selectbox(spec.label, [*REGIONS, CUSTOM_GROUP], key="grp_sel", help=help_text(spec), disabled=disabled)
    if st.session_state["grp_sel"] == CUSTOM_GROUP:
        st.text_input("ISO3 codes, comma-separated", key="grp_codes", help="e.g. ITA, or DEU, FRA")


#: The control of each widget name a parameter kind declares (model.parameters.KINDS).
WIDGETS = {"slider": slider_widget, "toggle": toggle_widget, "select": select_widget, "group": group_widget}


def parameter_widget(spec, values: dict) -> None:
    """The control of one parameter, greyed out where it does nothing (its ``applies_when``)."""
    WIDGETS[KINDS[spec.kind].widget](spec, disabled=not spec.applies(values))


def sidebar() -> None:
    sb = st.sidebar
    sb.header("Scenario")
    sb.selectbox("Headline preset", HEADLINE_PRESETS, key="hp", on_change=on_preset_change,
                 help="Where the world potential comes from. Choosing a preset resets the parameters.")
    if st.session_state["hp"] != "none":
        p = PRESETS[st.session_state["hp"]]
        sb.caption(f"{p.description} Source: {p.source}")
    sb.selectbox("Restriction preset", RESTRICTION_PRESETS, key="rp", on_change=on_preset_change,
                 help="A real access restriction, applied on top of the headline preset.")
    if st.session_state["rp"] != "none":
        p = PRESETS[st.session_state["rp"]]
        sb.caption(f"{p.description} Source: {p.source}. Judgement: {', '.join(p.judgement)}.")
    groups: dict[str, list] = {}
    for spec in PARAMETERS.values():
        groups.setdefault(spec.group, []).append(spec)
    values = widget_values()
    for group, specs in groups.items():
        with sb.expander(group, expanded=group == "Access restrictions"):
            for spec in specs:
                parameter_widget(spec, values)


# ----------------------------------------------------------------------------- main views
def key_figures(r: model.Result) -> None:
    helps = ["Scenario gain in the end year, billion US$ at 2023 prices", None,
             "Cumulative open-access gain minus scenario gain", None]
    for col, (label, value, caption), h in zip(st.columns(4), key_figure_values(r), helps):
        col.metric(label, value, help=h)
        col.caption(caption)


def chart_block(name: str, r: model.Result) -> None:
    title, fig_fn, data_fn = CHARTS[name]
    st.plotly_chart(fig_fn(r), config=PLOTLY_CONFIG, key=f"chart_{name}")
    data = data_fn(r)
    with st.expander(f"Data: {title}"):
        st.dataframe(data, hide_index=True)
    # Built on click, not on every rerun: nothing to fetch (or go stale) while a slider is moving.
    st.download_button(f"Download {title.lower()} (CSV)", lambda: data.to_csv(index=False), file_name=f"{name}.csv",
                       mime="text/csv", key=f"dl_chart_{name}")


def overview(r: model.Result) -> None:
    st.markdown(f"#### {escape_markdown(headline(r))}")
    key_figures(r)
    st.caption(f"Scenario: **{escape_markdown(r.name)}**. Money in US$ at 2023 prices. Ranges are wide: see the "
               "Method & sources tab for what is published and what is judgement.")
    left, right = st.columns(2)
    with left:
        chart_block("group_paths", r)
    with right:
        chart_block("waterfall", r)
    chart_block("gains_by_region", r)
    left, right = st.columns([3, 2])
    with left:
        chart_block("map", r)
    with right:
        chart_block("per_capita", r)
    st.subheader("Summary by region")
    st.dataframe(r.summary().round(1))


def compare_view(r: model.Result, scenario: Scenario) -> None:
    ss = st.session_state
    c1, c2 = st.columns([1, 3])
    if c1.button("Pin this scenario", disabled=len(ss["pinned"]) >= MAX_PINNED, key="pin"):
        if scenario.to_json() not in ss["pinned"]:
            ss["pinned"] = ss["pinned"] + [scenario.to_json()]
    if c2.button("Clear pinned", key="unpin"):
        ss["pinned"] = []
    st.caption(f"Pin up to {MAX_PINNED} scenarios; the current one is always shown last.")
    jsons = ss["pinned"] + ([scenario.to_json()] if scenario.to_json() not in ss["pinned"] else [])
    results = [run_cached(j) for j in jsons]
    rs = model.ResultSet([res.renamed(f"{i + 1}. {res.name}") for i, res in enumerate(results)])
    c1, c2 = st.columns(2)
    region = c1.selectbox("Region", ["World", *REGIONS], index=1, key="cmp_region")
    variable = c2.selectbox("Variable", list(VARIABLES), index=list(VARIABLES).index("ai_gain_lost"), key="cmp_var",
                            format_func=lambda k: VARIABLES[k].label)
    st.plotly_chart(compare_figure(rs, variable, region), config=PLOTLY_CONFIG, key="chart_compare")
    delta = rs.delta(reference=0).xs(region, level="region")[
        ["potential_gain_usd_bn", "gain_end_year_usd_bn", "cumulative_gain_usd_bn", "cumulative_lost_usd_bn",
         "npv_gain_usd_bn"]]
    st.markdown(f"**Difference from scenario 1, {region}** (billion US$ at 2023 prices)")
    st.dataframe(delta.round(1))
    st.download_button("Download comparison (tidy CSV)", rs.to_csv(), file_name="comparison.csv", key="dl_cmp")


def downloads_view(r: model.Result, scenario: Scenario) -> None:
    ss = st.session_state
    detail = st.radio("Detail", ["regions", "countries"], horizontal=True, key="dl_detail")
    slug = "scenario"
    c = st.columns(4)
    c[0].download_button("Tidy CSV", write_csv([r], None, detail, "csv"), file_name=f"{slug}.csv",
                         mime="text/csv", key="dl_tidy")
    c[1].download_button("IAMC CSV", write_csv([r], None, detail, "iamc"), file_name=f"{slug}_iamc.csv",
                         mime="text/csv", key="dl_iamc")

    c[2].download_button("Excel (data + meta)", lambda: excel_bytes([r], detail), file_name=f"{slug}.xlsx", key="dl_xlsx",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    c[3].download_button("Scenario JSON", scenario.to_json(), file_name=f"{slug}.json",
                         mime="application/json", key="dl_json")
    # The report reuses the Uncertainty tab's Monte Carlo (same draws and seed): one probability per scenario.
    draws, seed = int(ss.get("mc_draws", MC_DEFAULT_DRAWS)), int(ss.get("mc_seed", 0))
    st.download_button("HTML report (opens offline)",
                       lambda: report_html(r, mc=monte_carlo_cached(scenario.to_json(), draws, seed),
                                           tornado=tornado_cached(scenario.to_json())).encode("utf-8"),
                       file_name=f"{slug}_report.html", mime="text/html", key="dl_report")
    st.caption("Every file is written by the model's own export functions: the same bytes as "
               "`python -m model run` (CSV) and `python -m model scenario` (JSON) for this scenario. "
               "The IAMC CSV's inputs, version and data vintage are in the Excel `meta` sheet.")
    st.divider()
    st.file_uploader("Load a scenario JSON", type=["json"], key="upload", on_change=on_upload)
    if ss.get("upload_error"):
        st.error(escape_markdown(ss["upload_error"]))
    elif ss.get("upload_ok"):
        st.success(escape_markdown(ss["upload_ok"]))
    st.markdown("Command-line equivalent:")
    args = ["python", "-m", "model", "run"]
    for p in scenario.presets:
        args += ["--preset", p]
    for k, v in query_for(scenario, ss["hp"], ss["rp"]).items():
        if k not in ("hp", "rp"):
            args += ["--set", f"{k}={v}"]
    st.code(shlex.join(args), language="bash")


@st.cache_resource(max_entries=16, show_spinner=False)
def monte_carlo_cached(scenario_json: str, draws: int, seed: int):
    return uncertainty.monte_carlo(Scenario.from_json(scenario_json), draws=draws, seed=seed)


@st.cache_resource(max_entries=16, show_spinner=False)
def tornado_cached(scenario_json: str):
    return uncertainty.sensitivity(Scenario.from_json(scenario_json), "tornado")


def uncertainty_view(scenario: Scenario) -> None:
    c1, c2 = st.columns(2)
    draws = c1.number_input("Monte Carlo draws", 100, 50_000, MC_DEFAULT_DRAWS, step=500, key="mc_draws",
                            help="2,000 draws answer in about a second on a 2-core machine.")
    seed = c2.number_input("Seed", 0, 10**6, 0, step=1, key="mc_seed")
    with st.spinner("Drawing scenarios..."):
        mc = monte_carlo_cached(scenario.to_json(), int(draws), int(seed))
    st.markdown(f"**{mc.probability_statement()}**")
    st.caption("Each uncertain parameter is drawn from its declared distribution around the scenario's value "
               "(see Method & sources); the restriction's own levers (delay, drag, leakage) stay as chosen. "
               "Bands: 5th-95th and 25th-75th percentiles; line: median; dashed: the central run.")
    cols = st.columns(3)
    for col, (var, region) in zip(cols, [("ai_gain", "World"), ("ai_gain", "EU27"), ("ai_gain_lost", "Restricted group")]):
        with col:
            st.plotly_chart(mc.fan_chart(var, region), config=PLOTLY_CONFIG, key=f"fan_{var}_{region}")
    with st.expander("Data: percentiles"):
        st.dataframe(mc.percentiles, hide_index=True)
    st.download_button("Download percentiles (CSV)", mc.to_csv(), file_name="uncertainty.csv", key="dl_mc")
    tor = tornado_cached(scenario.to_json())
    st.plotly_chart(tornado_chart(tor), config=PLOTLY_CONFIG, key="chart_tornado")
    st.caption("One at a time: each parameter at the low and high end of its distribution, the rest at the "
               f"scenario's values. Output: {uncertainty.SENSITIVITY_OUTPUTS['group_cumulative_lost']}. "
               "Global Sobol indices: `python -m model sensitivity --method sobol`.")
    with st.expander("Data: tornado"):
        st.dataframe(tor, hide_index=True)
    st.download_button("Download tornado (CSV)", tor.to_csv(index=False), file_name="tornado.csv", key="dl_tor")


@st.cache_data(show_spinner=False)
def method_text() -> str:
    return (ROOT / "docs" / "model.md").read_text()


def method_view() -> None:
    st.markdown(method_text())
    st.subheader("Parameters")
    st.dataframe(parameter_table(), hide_index=True)
    st.subheader("Presets")
    st.dataframe(pd.DataFrame([{"name": p.name, "kind": p.kind, "description": p.description,
                                "judgement": ", ".join(p.judgement), "source": p.source}
                               for p in PRESETS.values()]), hide_index=True)
    st.subheader("Data vintages")
    st.markdown(f"{DATA_VINTAGE}. Model version {model.__version__}. Sources and licences: `data/README.md`.")


def main() -> None:
    started = time.perf_counter()
    init_state()
    ss = st.session_state
    sidebar()
    st.title("Generative AI: who gains, and what do access restrictions cost?")
    if ss.get("link_error"):
        st.error(escape_markdown(f"The link's settings could not be used ({ss['link_error']}). "
                                 "Showing the default scenario."))
    try:
        scenario = Scenario.build(presets_of(ss["hp"], ss["rp"]), widget_values())
        scenario = Scenario.build(scenario.presets, scenario.changed())
    except ScenarioError as exc:
        st.error(escape_markdown(f"Invalid setting: {exc}"))
        st.stop()
    q = query_for(scenario, ss["hp"], ss["rp"])
    if st.query_params.to_dict() != q:
        st.query_params.from_dict(q)
        ss["link_error"] = None
    r = run_cached(scenario.to_json())
    # Stateful tabs: only the open tab's content runs, so a slider move redraws only what is seen.
    tabs = st.tabs(TABS, key="tab", on_change="rerun")
    views = [lambda: overview(r), lambda: compare_view(r, scenario), lambda: uncertainty_view(scenario),
             lambda: downloads_view(r, scenario), method_view]
    for tab, view in zip(tabs, views):
        if tab.open:
            with tab:
                view()
    # Script time of this rerun, read by benchmarks/bench_app.py (server side, without drawing).
    ss["_script_ms"] = 1000 * (time.perf_counter() - started)


if os.environ.get("GENAI_IMPACT_PROFILE"):
    import cProfile

    cProfile.run("main()", os.environ["GENAI_IMPACT_PROFILE"])
else:
    main()
