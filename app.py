"""Streamlit UI of the generative-AI economic-impact calculator.

UI only: widgets are generated from the parameter declarations (model.PARAMETERS), every number
comes from the model package, and every download is produced by the model's export functions.
The whole scenario lives in the page URL (``?hp=<headline preset>&rp=<restriction preset>&<key>=<value>``).

What reruns (the page's parts are fragments, so a control reruns only what it changes):

* the whole page (first visit, a preset, a choice or toggle, the restricted group, a control whose
  value decides which others apply, events, an upload): the sidebar's header and the title, the
  main area (fragment ``main``), the presets and controls (each slider with its exact-value box a
  fragment ``pair_<key>``), the link (fragment ``link``), then the Overview's uncertainty range (a
  Monte Carlo, drawn under the key figures but computed last);
* a slider or its box: that slider and box, the link and the URL, then the main area, whose range
  again comes last (the ~40 other controls are not redrawn);
* a tab, a chart option, a data table opened, "Pin": the main area; the Uncertainty tab's draws and
  seed: that tab.
"""

from __future__ import annotations

import os
import re
import shlex
import time
from pathlib import Path

import pandas as pd
import streamlit as st

import model
from model import PARAMETERS, PRESETS, REGIONS, Scenario, ScenarioError
from model.data import DATA_VINTAGE
from model import uncertainty
from model import vega
from model.figures import CHARTS, compare_figure, tornado_chart
from model.io import excel_bytes, parameter_table, write_csv
from model.narrative import (headline, ids_in_words, key_figures as key_figure_values, potential_note, preset_label,
                             readable)
from model.outputs import VARIABLES
from model.parameters import KINDS
from model.report import report_html
from model.safeio import escape_markdown, load_json_bounded

ROOT = Path(__file__).resolve().parent
# Chart titles are drawn by the page (markdown headings that wrap on a phone), not by plotly, so the
# plotly toolbar never covers a title.
PLOTLY_CONFIG = {"topojsonURL": "/app/static/topojson/", "displaylogo": False}
HEADLINE_PRESETS = ["none"] + [p for p, v in PRESETS.items() if v.kind == "headline"]
RESTRICTION_PRESETS = ["none"] + [p for p, v in PRESETS.items() if v.kind == "restriction"]
DEFAULT_HP, DEFAULT_RP = "jpmorgan-high", "eu-meta-ai-delay"
CUSTOM_GROUP = "Custom list of countries"
MAX_PINNED = 4
MC_DEFAULT_DRAWS = 2000
TABS = ["Overview", "Restriction events", "Countries & observed data", "Compare", "Uncertainty", "Downloads",
        "Method & sources"]
#: After a slider move, the script waits this long once the headline and key figures are sent, before
#: it builds and sends the charts: the browser draws the new figures in a frame of their own. Without
#: the pause it applies the figures and the charts' redraw (~200-300 ms of plotly on this 2-core
#: machine) in one task, and the new figures show only after it (in-page timing, benchmarks/
#: bench_browser.py: key figures drawn 255 ms after the key press, median of 8; with the pause
#: 134 ms). Not counted in the script time (``_script_ms``): the thread sleeps, the CPU is free.
FIGURES_FIRST_PAUSE_S = 0.04
#: Columns of the custom-event editor (model.events.parse_event reads them).
CUSTOM_EVENT_COLUMNS = ["id", "countries", "kind", "start_date", "end_date", "share_pct", "substitution_pct"]

#: True while main() runs (a whole-page run); False in a fragment-only run. The script's module is
#: executed afresh in each whole-page run and its fragments keep that run's globals, so main resets
#: it when it ends, however it ends.
FULL_RUN = False
#: Parameters whose value decides whether other controls apply (``applies_when``): moving one
#: reruns the whole page, so the controls it greys out are redrawn.
GATING_KEYS = frozenset(k for spec in PARAMETERS.values() for k in spec.applies_when)
#: The sidebar's groups of controls, in declaration order.
GROUPS: dict[str, list] = {}
for _spec in PARAMETERS.values():
    GROUPS.setdefault(_spec.group, []).append(_spec)
# "auto": the sidebar starts collapsed on a narrow (phone) screen, open on a wide one.
st.set_page_config(page_title="Generative-AI impact calculator", layout="wide", initial_sidebar_state="auto")


def preset_name(key: str) -> str:
    """A preset as the user sees it: plain words from its description, never the internal key."""
    return "None" if key == "none" else preset_label(PRESETS[key])


# ----------------------------------------------------------------------------- model calls
# Every cache is bounded in entries and age, so a long-running server's memory stays flat.
@st.cache_resource(max_entries=64, ttl=3600, show_spinner=False)
def run_cached(scenario_json: str) -> model.Result:
    """One model run per distinct scenario (the JSON is the cache key)."""
    return model.run(Scenario.from_json(scenario_json))


class _ReadsRecorder:
    """Stands in for a scenario's parameters and records every attribute read through it."""

    __slots__ = ("_params", "read")

    def __init__(self, params):
        self._params, self.read = params, {}

    def __getattr__(self, name: str):
        value = getattr(self._params, name)
        self.read[name] = value
        return value


_NOTHING = object()


@st.cache_resource(show_spinner=False)
def _reads_memo() -> dict:
    """Results of :func:`by_params_read` (shared by the sessions, at most 16, oldest dropped first)."""
    import collections
    import threading

    return {"lock": threading.Lock(), "entries": collections.OrderedDict()}


def by_params_read(fn, params, *args):
    """``fn(params, *args)``, reused while every parameter ``fn`` read last time is unchanged.

    A slider rarely touches what, say, the observed-usage table reads (its reference economy and
    period), so the table is not rebuilt on every move. Which parameters matter is not declared here:
    the call records the attributes it reads (through :class:`_ReadsRecorder`), so the reuse follows
    the model's code as it is. The result is shared: callers must not modify it.
    """
    memo = _reads_memo()
    name = (getattr(fn, "__module__", ""), getattr(fn, "__qualname__", repr(fn)), args)
    with memo["lock"]:
        for (entry_name, reads), value in reversed(memo["entries"].items()):
            if entry_name == name and all(getattr(params, k, _NOTHING) == v for k, v in reads):
                return value
    recorder = _ReadsRecorder(params)
    value = fn(recorder, *args)
    with memo["lock"]:
        memo["entries"][(name, tuple(recorder.read.items()))] = value
        while len(memo["entries"]) > 16:
            memo["entries"].popitem(last=False)
    return value


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
                ss["grp_sel"] = v
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
            codes = ss.get("grp_codes", "").strip()
            # "Custom list of countries" with nothing typed yet keeps the last group that ran.
            values[key] = ss["grp_sel"] if ss["grp_sel"] != CUSTOM_GROUP else codes or ss.get("last_group", "EU27")
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
        if key in ("hp", "rp", "ev"):
            continue
        if key not in PARAMETERS:
            raise ScenarioError(f"unknown parameter {model.parameters.quoted(key)} in the link")
        overrides.update([model.parameters.parse_assignment(f"{key}={params.get(key)}")])
    scenario = Scenario.build(presets_of(hp, rp), overrides)
    if "ev" in params:  # the events counted, when they differ from the restriction preset's
        ids = [i for i in str(params.get("ev")).split(",") if i][:100]
        scenario = Scenario.build(presets_of(hp, "none"), overrides, events=ids)
        st.session_state["ev_sel"] = ids
    return scenario, hp, rp


def preset_events(rp: str) -> list[str]:
    """The shipped events a restriction preset counts."""
    return [] if rp == "none" else list(PRESETS[rp].events)


def events_chosen() -> bool:
    """Whether the events counted differ from the restriction preset's (chosen one by one, or custom)."""
    ss = st.session_state
    sel = ss.get("ev_sel")
    return bool(ss.get("ev_custom")) or (sel is not None and sorted(sel) != sorted(preset_events(ss["rp"])))


def query_for(scenario: Scenario, hp: str, rp: str) -> dict:
    q = {"hp": hp, "rp": rp}
    for k, v in scenario.changed().items():
        q[k] = KINDS[PARAMETERS[k].kind].to_text(v)
    if events_chosen():
        q["ev"] = ",".join(st.session_state.get("ev_sel") or [])  # custom events travel in the scenario file
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
def widget_snapshot() -> dict:
    """Every scenario widget's value in session state (key -> value)."""
    ss = st.session_state
    return {k: ss[k] for k in ss if isinstance(k, str) and k.startswith(("sl_", "ni_", "w_", "grp_sel"))}


def set_widgets_guarded(scenario: Scenario, hp: str, rp: str) -> None:
    """:func:`set_widgets` from a callback, remembering what it replaced.

    A click that reaches the server before the browser has this rerun's new values carries the
    browser's old widget values, which Streamlit would take over the ones just set (a fast "Pin"
    after a preset change pinned the old values under the new name). :func:`undo_stale_widgets`
    puts the new values back when such a stale value arrives.
    """
    ss = st.session_state
    before = widget_snapshot()
    set_widgets(scenario, hp, rp)
    after = widget_snapshot()
    ss["_applied"] = {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}
    ss["_applied_fresh"] = True  # this run wrote them: nothing from the browser to check yet


def undo_stale_widgets(fresh: bool) -> None:
    """Replace widget values the browser sent from before the last preset change or upload.

    A value equal to the one replaced is stale and set back to the applied one; a value equal to the
    applied one is confirmed; any other value is the user's own change. Both end the watch on it.
    ``fresh``: this run's callback applied them (nothing from the browser to check yet); read with
    :func:`applied_fresh` before any element is sent (an element send is where Streamlit can
    interrupt a run).
    """
    ss = st.session_state
    if fresh or not ss.get("_applied"):
        return
    pending = {}
    for k, (old, new) in ss["_applied"].items():
        now = ss.get(k)
        if now == old and now != new:
            ss[k] = new
            pending[k] = (old, new)
    ss["_applied"] = pending


def applied_fresh() -> bool:
    """Whether this run's callback applied a preset or an upload (see set_widgets_guarded)."""
    return bool(st.session_state.pop("_applied_fresh", False))


def fragment_run_start() -> None:
    """First thing in a fragment that reads the controls: in a fragment-only run (a click or a slider
    move), put back stale values the browser sent (main does it in a whole-page run). Idempotent."""
    if not FULL_RUN:
        undo_stale_widgets(applied_fresh())


def sync_url(q: dict) -> None:
    """The page URL holds the scenario (a link that could not be used is replaced, and its message ends)."""
    if st.query_params.to_dict() != q:
        st.query_params.from_dict(q)
        st.session_state["link_error"] = None


def pair_key(key: str) -> str:
    """The fragment key of a parameter's slider and exact-value box."""
    return f"pair_{key}"


def rerun_page() -> None:
    """From a callback: rerun the whole page. A control inside a fragment would otherwise rerun only
    its fragment; choices, toggles, the group, events and uploads change what the whole page shows."""
    st.rerun()


def rerun_after_move(key: str) -> None:
    """From a slider's (or its box's) callback: rerun the slider and its box, the link and the main
    area, not the ~40 other controls; a control that greys others out reruns the whole page."""
    st.session_state["_t0"] = time.perf_counter()  # the rerun's script time starts here
    if key in GATING_KEYS:
        st.rerun()
    try:
        st.rerun([pair_key(key), "link", "main"])
    except st.errors.StreamlitAPIException:  # a fragment not drawn yet: the whole page
        st.rerun()


def on_preset_change() -> None:
    ss = st.session_state
    ss["ev_sel"] = preset_events(ss["rp"])
    ss["ev_custom"] = []
    set_widgets_guarded(Scenario.build(presets_of(ss["hp"], ss["rp"])), ss["hp"], ss["rp"])


def on_slider(key: str) -> None:
    st.session_state[f"ni_{key}"] = st.session_state[f"sl_{key}"]
    rerun_after_move(key)


def on_number(key: str) -> None:
    spec = PARAMETERS[key]
    v = st.session_state[f"ni_{key}"]
    v = min(max(v, spec.min), spec.max)
    st.session_state[f"ni_{key}"] = st.session_state[f"sl_{key}"] = int(v) if spec.kind == "int" else float(v)
    rerun_after_move(key)


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
    set_widgets_guarded(scenario, hp, rp)
    ss["upload_error"] = None
    ss["upload_ok"] = f"Loaded scenario '{scenario.name}' from {f.name}."
    rerun_page()  # the sidebar shows the loaded values


# ----------------------------------------------------------------------------- sidebar
def help_text(spec) -> str:
    unit = f" Unit: {spec.unit}." if spec.unit else ""
    judge = " (Judgement, not a published figure.)" if spec.judgement else ""
    every = (" Applies to every restriction in the scenario: with a preset of several events, each calibrated "
             "on its own, the control shows the first event's value and a change sets all of them."
             if spec.scope == "restriction" else "")
    return f"{spec.help}{unit} Source: {spec.source}{judge}{every}"


def slider_widget(spec, disabled: bool) -> None:
    """A slider and its exact-value box, in a fragment of their own: moving one redraws the two, not
    the other controls (see :func:`rerun_after_move`)."""
    def pair() -> None:
        fragment_run_start()
        slider_pair(spec, disabled)

    pair.__qualname__ = f"pair.{spec.key}"  # one fragment definition per parameter
    st.fragment(pair, key=pair_key(spec.key))()


def slider_pair(spec, disabled: bool) -> None:
    key, is_int = spec.key, spec.kind == "int"
    cast = int if is_int else float
    # The value (already in session state) is passed too: without it Streamlit scans the whole session
    # state for each slider to tell a single value from a range (half the sidebar's time).
    st.slider(f"{spec.label}" + (f" ({spec.unit})" if spec.unit else ""), cast(spec.min), cast(spec.max),
              value=st.session_state.get(f"sl_{key}"), step=cast(spec.step), key=f"sl_{key}", help=help_text(spec),
              on_change=on_slider, args=(key,), disabled=disabled)
    st.number_input(f"{spec.label}: exact value", cast(spec.min), cast(spec.max), step=cast(spec.step),
                    key=f"ni_{key}", on_change=on_number, args=(key,), label_visibility="collapsed",
                    format="%d" if is_int else None, disabled=disabled)


def toggle_widget(spec, disabled: bool) -> None:
    st.checkbox(spec.label, key=f"w_{spec.key}", help=help_text(spec), disabled=disabled, on_change=rerun_page)


def select_widget(spec, disabled: bool) -> None:
    st.selectbox(spec.label, spec.choices, key=f"w_{spec.key}", help=help_text(spec), disabled=disabled,
                 format_func=lambda c: str(c).replace("_", " "), on_change=rerun_page)


def group_widget(spec, disabled: bool) -> None:
    st.selectbox(spec.label, [*REGIONS, CUSTOM_GROUP], key="grp_sel", help=help_text(spec), disabled=disabled,
                 on_change=rerun_page)
    if st.session_state["grp_sel"] == CUSTOM_GROUP:
        st.text_input("ISO3 codes, comma-separated", key="grp_codes", help="e.g. ITA, or DEU, FRA",
                      placeholder="e.g. DEU, FRA", disabled=disabled, on_change=rerun_page)
        if not st.session_state.get("grp_codes", "").strip():
            st.caption(escape_markdown(f"Type ISO3 codes and press Enter; until then the results are for "
                                       f"{st.session_state.get('last_group', 'EU27')}."))


#: The control of each widget name a parameter kind declares (model.parameters.KINDS).
WIDGETS = {"slider": slider_widget, "toggle": toggle_widget, "select": select_widget, "group": group_widget}


def parameter_widget(spec, values: dict, unused: set | None = None) -> None:
    """The control of one parameter, greyed out where it does nothing in the scenario."""
    off = spec.key in unused if unused is not None else not spec.applies(values)
    WIDGETS[KINDS[spec.kind].widget](spec, disabled=off)


def sidebar(scenario: Scenario | None = None) -> None:
    """The presets and the controls (the header "Scenario" is sent first, by main)."""
    sb = st.sidebar
    sb.selectbox("Headline preset", HEADLINE_PRESETS, key="hp", on_change=on_preset_change, format_func=preset_name,
                 help="Where the world potential comes from. Choosing a preset resets the parameters.")
    if st.session_state["hp"] != "none":
        p = PRESETS[st.session_state["hp"]]
        sb.caption(escape_markdown(f"{p.description} Source: {ids_in_words(p.source)}"))
    sb.selectbox("Restriction preset", RESTRICTION_PRESETS, key="rp", on_change=on_preset_change,
                 format_func=preset_name,
                 help="Real access restrictions, applied on top of the headline preset.")
    if st.session_state["rp"] != "none":
        p = PRESETS[st.session_state["rp"]]
        judged = ", ".join(PARAMETERS[k].label if k in PARAMETERS else k for k in p.judgement)
        sb.caption(escape_markdown(f"{p.description} Source: {ids_in_words(p.source)}."
                                   + (f" Judgement: {judged}." if judged else "")))
    values = widget_values()
    # Which controls are greyed out; a slider move cannot change it (see GATING_KEYS), so a slider's
    # fragment rerun keeps the full run's.
    unused = model.parameters.unused_keys(scenario) if scenario is not None else None
    for group, specs in GROUPS.items():
        with sb.expander(group, expanded=group == "Access restrictions"):
            for spec in specs:
                parameter_widget(spec, values, unused)
    if PLOTLY_WARM_UP:  # last in the sidebar: an empty element
        sb.html(PLOTLY_WARM_UP, unsafe_allow_javascript=True)


#: Streamlit's plotly.js chunk (hashed name) in the installed package: the charts of every tab but the
#: Overview need it. ``tests/test_app.py`` checks that the pinned Streamlit has exactly one.
PLOTLY_CHUNKS = sorted(p.name for p in (Path(st.__file__).parent / "static" / "static" / "js").glob("PlotlyChart.*.js")
                       if re.fullmatch(r"PlotlyChart\.[\w-]+\.js", p.name))
#: Loads plotly.js once the Overview's charts have drawn and the browser is idle: the Overview draws
#: with Vega-Lite (model/vega.py), so that plotly.js (4.7 MB, ~0.7 s to evaluate) is off the first
#: screen's path, and the other tabs' charts (the Uncertainty tab's fan charts) still open without
#: waiting for it. The same URL as Streamlit's own import, so the module loads once. Fixed text (a
#: file name of the installed package); nothing from the user.
PLOTLY_WARM_UP = "" if len(PLOTLY_CHUNKS) != 1 else """<script>
(() => {
  if (window.__plotlyWarmUp) return;
  window.__plotlyWarmUp = true;
  const url = new URL("static/js/%s", document.baseURI).href;
  const start = performance.now();
  const drawn = () => document.querySelectorAll(".vega-embed .marks").length >= 4;
  const idle = window.requestIdleCallback || ((f) => setTimeout(f, 200));  // Safari has none
  const tick = () => {
    if (drawn() || performance.now() - start > 10000)
      idle(() => import(url).catch(() => {}), {timeout: 3000});
    else setTimeout(tick, 250);
  };
  tick();
})();
</script>""" % PLOTLY_CHUNKS[0]


def share_link(q: dict) -> None:
    """The link to this scenario, in a code box with a copy button (nothing fetched), inside a
    popover: the code box's browser code (1.5 MB) loads when the popover first opens, not with the
    page, where it delayed the Overview's charts by ~0.3 s (benchmarks/bench_browser.py)."""
    base = str(st.context.url or "").split("?")[0] or "http://localhost:8501/"
    from urllib.parse import urlencode

    with st.popover("Copy the link to this scenario", icon=":material/link:", width="stretch"):
        st.caption("The page's address holds the same link. Copy it with the button at the link's right.")
        st.code(f"{base}?{urlencode(q)}", language=None, wrap_lines=True)


@st.fragment(key="link")
def link_box() -> None:
    """The page URL and the sidebar's link, for the scenario the controls describe (drawn in the
    sidebar; a fragment, so a slider move updates it without redrawing the other controls)."""
    ss = st.session_state
    fragment_run_start()
    try:
        scenario = scenario_from_widgets()
    except ScenarioError:  # main shows the message and the last valid scenario
        scenario = Scenario.from_json(ss["last_valid"])
    q = query_for(scenario, ss["hp"], ss["rp"])
    sync_url(q)
    share_link(q)


# ----------------------------------------------------------------------------- main views
def key_figures(r: model.Result) -> list[tuple[str, str, str]]:
    """The four key figures, the restricted group's loss first, as plain markdown (not st.metric): the
    browser draws them with the headline, before it has loaded the chart and metric components."""
    helps = ["Open-access gain minus the scenario's gain, summed over the years, billion US$ at 2023 prices",
             "The year the restrictions cost most", "Scenario gain in the end year, billion US$ at 2023 prices",
             "Scenario gain in the end year, billion US$ at 2023 prices"]
    figures = key_figure_values(r)
    for i, (col, (label, value, caption), h) in enumerate(zip(st.columns(4), figures, helps)):
        with col.container(key=f"key_figure_{i}"):
            st.markdown(escape_markdown(label), help=h)
            st.markdown(f"### {escape_markdown(value)}")
            st.caption(escape_markdown(caption))
    return figures


_ON_PHONE: bool | None = None  # read once per whole-page run (the session's browser does not change)


def on_phone() -> bool:
    """Whether the browser says it is a phone (its User-Agent); used only for the chart toolbar."""
    global _ON_PHONE
    if _ON_PHONE is None:
        try:
            _ON_PHONE = "Mobi" in (st.context.headers.get("User-Agent") or "")
        except Exception:  # no request headers (AppTest)
            _ON_PHONE = False
    return _ON_PHONE


def page_titled(fig) -> tuple[str, list[str], object]:
    """A figure's title and notes, taken out of it to be drawn by the page: (title, notes, figure)."""
    title = fig.layout.title.text
    notes = [a.text for a in fig.layout.annotations or ()]
    if notes:
        fig.layout.annotations = ()
    fig.layout.title = None
    fig.layout.margin.t = 20
    return title, notes, fig


def titled_chart(fig, key: str, prepared: tuple | None = None) -> None:
    """A figure with its title as a page heading and its notes as a caption: nothing is drawn under
    the plotly toolbar, and text wraps on a phone. On a phone the toolbar is hidden (a tap would
    show it over the chart); the data and its CSV are below each chart. ``prepared``: the
    :func:`page_titled` of a figure already (which is then left unchanged)."""
    title, notes, fig = prepared or page_titled(fig)
    st.markdown(f"##### {escape_markdown(title)}")
    if notes:
        st.caption(escape_markdown("; ".join(notes)))
    config = {**PLOTLY_CONFIG, "displayModeBar": False} if on_phone() else PLOTLY_CONFIG
    st.plotly_chart(fig, config=config, key=key)


def vega_chart(spec: dict, key: str) -> None:
    """A Vega-Lite chart (:mod:`model.vega`) drawn like :func:`titled_chart`: its title as a page
    heading and its notes as a caption. The Overview's charts are drawn this way: the browser loads
    and draws Vega-Lite much sooner than plotly.js on a first visit (see model/vega.py)."""
    title = spec.pop("title")
    st.markdown(f"##### {escape_markdown(title['text'])}")
    if title.get("subtitle"):
        st.caption(escape_markdown("; ".join(title["subtitle"])))
    with st.container(key=key):  # the key names the chart in the page (st-key-chart_*), as for plotly's
        st.vega_lite_chart(None, spec, width="stretch", key=f"{key}_vega")


def data_expander(label: str, key: str):
    """An expander whose content is built only while it is open: a closed one costs nothing (no
    table computed, serialised or drawn); opening it reruns the main area."""
    return st.expander(label, key=key, on_change="rerun")


def chart_block(name: str, r: model.Result) -> None:
    """One chart: its title as a heading (it wraps on a phone), the figure, its data and a CSV download."""
    title, fig_fn, data_fn = CHARTS[name]
    if name in vega.SPECS:
        vega_chart(vega.SPECS[name](r, narrow=on_phone()), key=f"chart_{name}")
    else:
        titled_chart(fig_fn(r), key=f"chart_{name}")
    with (box := data_expander(f"Data: {title}", key=f"data_{name}")):
        if box.open:
            st.dataframe(readable(data_fn(r)), hide_index=True)
    # Built on click, not on every rerun: nothing to fetch (or go stale) while a slider is moving; a
    # click does not rerun the app (on_click="ignore"), so the other buttons' files stay valid.
    st.download_button(f"Download {title.lower()} (CSV)", lambda: data_fn(r).to_csv(index=False),
                       file_name=f"{name}.csv", mime="text/csv", key=f"dl_chart_{name}", on_click="ignore")


MAP_LAYER_NAMES = {"gain": "Gain, % of GDP", "usage": "Observed usage", "exposure": "Exposure",
                   "preparedness": "AI preparedness"}


def map_block(r: model.Result) -> None:
    """The world map, switchable between the gain and the observed data behind it; the data table
    lists every economy's usage, derived adoption lag and exposure (sortable)."""
    from model.figures import world_map
    from model.narrative import lags_note
    from model.observations import country_observations

    layer = st.radio("Map shows", list(MAP_LAYER_NAMES), format_func=MAP_LAYER_NAMES.get, horizontal=True,
                     key="map_layer")
    titled_chart(world_map(r, layer=layer), key="chart_map")
    with (box := data_expander("Data: usage, adoption lags and exposure by economy", key="data_economies")):
        if box.open:
            obs = country_observations(r.params)
            st.caption(escape_markdown(lags_note(r.params, obs.attrs)))
            st.dataframe(readable(obs.sort_values(["eu27", "lag_years"], ascending=[False, True])), hide_index=True)
    st.download_button("Download world map (CSV)", lambda: CHARTS["map"][2](r).to_csv(index=False), file_name="map.csv",
                       mime="text/csv", key="dl_chart_map", on_click="ignore")


def overview(r: model.Result, scenario: Scenario):
    """The answer first: the headline and key figures (text), the loss each year, then the rest.
    Returns the uncertainty range to draw under the key figures, as a function to call last in the
    run (:func:`uncertainty_range`): the central figures and the charts never wait for its Monte Carlo."""
    st.markdown(f"#### {escape_markdown(headline(r))}")
    year = figure_year(key_figures(r))
    if not FULL_RUN:  # a slider move: the browser draws the new figures before the charts (see the constant)
        time.sleep(FIGURES_FIRST_PAUSE_S)
        st.session_state["_paused_s"] = FIGURES_FIRST_PAUSE_S
    slot = st.empty()
    draws, _ = mc_settings()
    # Until the range arrives, a line of the same height (nothing below it moves when it does).
    slot.caption(escape_markdown(f"Uncertainty range: drawing {draws:,} scenarios..."))
    # Once, where the World's end-year gain first appears: why it is more than the headline potential.
    st.caption(escape_markdown(potential_note(r)))
    st.caption(escape_markdown(f"Scenario: {plain_name(r.scenario)}. Money in US$ at 2023 prices. Ranges are wide: see the "
                               "Uncertainty tab, and Method & sources for what is published and what is judgement."))
    chart_block("loss_by_year", r)
    left, right = st.columns(2)
    with left:
        chart_block("group_paths", r)
    with right:
        chart_block("waterfall", r)
    chart_block("gains_by_region", r)
    st.caption("Where the gains fall (a world map, gains per person) and the observed usage behind the model: "
               "the Countries & observed data tab.")
    with (box := data_expander("Summary by region: gains, losses and GDP (table)", key="data_summary")):
        if box.open:
            st.dataframe(readable(r.summary().round(1)))
    return lambda: uncertainty_range(slot, scenario, r, year)


def countries_view(r: model.Result) -> None:
    """Where the gains fall and the observed data behind the model: the world map (switchable to
    the observed usage, exposure and preparedness), gains per person, and observed usage beside the
    modelled usage paths. A tab of its own: the Overview's first screen draws fewer charts."""
    left, right = st.columns([3, 2])
    with left:
        map_block(r)
    with right:
        chart_block("per_capita", r)
    usage_block(r)


def figure_year(figures: list[tuple[str, str, str]]) -> int | None:
    """The year the second key figure names (the group's largest yearly loss, as the narrative
    chose it), or None."""
    m = re.search(r"(\d{4})$", figures[1][0])
    return int(m.group(1)) if m else None


def range_text(mc, r: model.Result, year: int | None) -> tuple[str, str]:
    """The ranges of the first two key figures: the restricted group's cumulative loss and its loss in
    ``year`` (the second key figure's; else the end year), 5th–95th percentile and median of the Monte
    Carlo; and the probability statement of its cumulative loss (the model's words, the Uncertainty
    tab's numbers)."""
    from model.narrative import fmt_usd_bn

    year = year or int(r.years[-1])
    band = mc.band("ai_gain_lost", "Restricted group").loc[year]
    lo, med, hi = mc.cumulative_loss_interval()
    return (f"Uncertainty range (5th–95th percentile): {r.group_label} cumulative loss {fmt_usd_bn(lo)} to "
            f"{fmt_usd_bn(hi)} (median {fmt_usd_bn(med)}); loss in {year} {fmt_usd_bn(band['P5'])} to "
            f"{fmt_usd_bn(band['P95'])} (median {fmt_usd_bn(band['P50'])}).",
            mc.probability_statement() + " Fan charts and the tornado: Uncertainty tab.")


def uncertainty_range(slot, scenario: Scenario, r: model.Result, year: int | None) -> None:
    """Fill the Overview's uncertainty range: the Monte Carlo the Uncertainty tab uses (same draws and
    seed, same cache), so the app shows one range per scenario. Called last in a run."""
    ss = st.session_state
    started = time.perf_counter()
    draws, seed = mc_settings()
    with slot.container(key="mc_range"):
        try:
            mc = monte_carlo_cached(scenario.to_json(), draws, seed)
        except ScenarioError as exc:
            st.caption(escape_markdown(f"No uncertainty range for this scenario: {exc}"))
        else:
            first, second = range_text(mc, r, year)
            st.markdown(escape_markdown(first))
            st.caption(escape_markdown(second))
    ss["_range_ms"] = 1000 * (time.perf_counter() - started)


def usage_figure(params, chosen: tuple) -> tuple:
    """The observed and modelled usage of the chosen economies and its chart, ready to draw."""
    from model.observed_figures import usage_chart, usage_data

    data = usage_data(params, chosen)
    return data, page_titled(usage_chart(params, chosen, data))


def usage_block(r: model.Result) -> None:
    """Observed generative-AI usage beside the modelled usage paths of chosen economies and regions."""
    from model.data import REGIONS as ALL_REGIONS
    from model.observed_figures import DEFAULT_SELECTION

    countries = model.load_countries()
    names = dict(zip(countries.iso3, countries.name))
    # A region of one economy (the United States, China, ...) is that economy: listed once, as the
    # economy (two options with one label would be confused by the widget).
    size = countries.region.value_counts()
    options = [g for g in ALL_REGIONS if size.get(g, 0) > 1] + sorted(names, key=names.get)
    chosen = st.multiselect("Usage: economies and regions to show", options, default=list(DEFAULT_SELECTION),
                            format_func=lambda c: names.get(c, c), key="usage_sel", max_selections=10)
    if not chosen:
        return
    # The usage inputs (reference economy, period, source) rarely change: a slider move reuses both.
    data, prepared = by_params_read(usage_figure, r.params, tuple(chosen))
    titled_chart(None, key="chart_usage", prepared=prepared)
    st.caption("The lines pass through each economy's observation at the reference period; the other two periods "
               "are the out-of-sample check. Observed 2025 usage already reflects that period's restrictions.")
    with (box := data_expander("Data: observed and modelled usage", key="data_usage")):
        if box.open:
            st.dataframe(readable(data), hide_index=True)
    with (box := data_expander("The allocation beside published splits", key="data_allocation")):
        if not box.open:
            return
        from model.observations import allocation_vs_published

        st.caption("Potential as % of 2023 GDP of one group relative to another, beside published relative splits "
                   "(different quantities compared as intensities; shown, not tuned).")
        st.dataframe(readable(allocation_vs_published(r)), hide_index=True)


def plain_name(scenario: Scenario) -> str:
    """A scenario's name in plain words: its presets' labels (or the name a user gave it) and whether
    anything was changed from the presets."""
    default = " + ".join(scenario.presets) or "default"
    if scenario.name not in (default, f"{default} (modified)"):
        return scenario.name
    name = " + ".join(preset_label(PRESETS[p]) for p in scenario.presets) or "no preset"
    n = len(scenario.changed())
    return name + (f" ({n} setting{'s' if n > 1 else ''} changed)" if n else "")


def scenario_words(json_text: str) -> str:
    """A pinned scenario in plain words: its presets and what was changed from them."""
    s = Scenario.from_json(json_text)
    presets = "; ".join(preset_label(PRESETS[p]) for p in s.presets) or "no preset"
    changes = [f"{PARAMETERS[k].label} = {KINDS[PARAMETERS[k].kind].to_text(v)}"
               + (f" {PARAMETERS[k].unit}" if PARAMETERS[k].unit else "") for k, v in s.changed().items()]
    return f"{presets}; " + (f"changed: {', '.join(changes)}" if changes else "no changes to the presets")


def on_events_change() -> None:
    ss = st.session_state
    ss["ev_sel"] = list(ss["ev_sel_widget"])
    sync_event_widgets()
    rerun_page()  # the restriction controls show the new set's values


def on_clear_events() -> None:
    st.session_state.update(ev_custom=[], ev_error=None)
    sync_event_widgets()
    rerun_page()


def sync_event_widgets() -> None:
    """After the events counted change: the restriction controls show the new set's own values
    (the first event's), so that nothing the user did not move overrides an event's values."""
    ss = st.session_state
    events = list(ss.get("ev_sel") or []) + list(ss.get("ev_custom") or [])
    presets = presets_of(ss["hp"], "none") if events_chosen() else presets_of(ss["hp"], ss["rp"])
    try:
        scenario = Scenario.build(presets, {"restricted_group": widget_values()["restricted_group"]},
                                  events=events if events_chosen() else [])
    except ScenarioError as exc:
        ss["ev_error"] = str(exc)
        return
    set_widgets_guarded(scenario, ss["hp"], ss["rp"])


def on_custom_events() -> None:
    """Validate the custom-event table (one boundary: model.events.parse_event); keep it only if valid."""
    ss = st.session_state
    rows = ss.get("ev_editor_rows")
    records = [] if rows is None else [
        {k: (None if (v is None or (isinstance(v, float) and v != v) or v == "") else str(v) if k in
             ("start_date", "end_date") else v) for k, v in r.items()}
        for r in rows.to_dict("records") if any(x not in (None, "") and x == x for x in r.values())]
    try:
        events = list(model.events.validate_events(records, "custom events")) if records else []
        Scenario.build(presets_of(ss["hp"], "none"), widget_values(), events=list(ss.get("ev_sel") or []) + events)
    except ScenarioError as exc:
        ss["ev_error"] = str(exc)
        return
    ss["ev_error"] = None
    ss["ev_custom"] = events
    sync_event_widgets()
    rerun_page()


def events_view(r: model.Result, scenario: Scenario) -> None:
    """The restriction events: which ones count, a custom one, what each cost, and the timeline."""
    from model.event_figures import event_losses_bars, event_losses_data, events_timeline, timeline_data

    ss = st.session_state
    if ss.get("ev_sel") is None:
        ss["ev_sel"] = preset_events(ss["rp"])
    pool = sorted((e for e in model.events.load_events() if e.included), key=lambda e: (e.start_date, e.id))
    names = {e.id: f"{e.label} ({e.start_date:%b %Y})" for e in pool}
    # The selection lives in "ev_sel" (kept while this tab is closed); the widget mirrors it.
    ss["ev_sel_widget"] = [i for i in ss["ev_sel"] if i in names]
    st.multiselect("Events counted in this scenario", list(names), key="ev_sel_widget", format_func=names.get,
                   on_change=on_events_change,
                   help="Real, dated events (model/tables/events.csv), each with its share of AI value and "
                        "substitution, sourced or labelled judgement. Choosing them one by one replaces the "
                        "restriction preset's set.")
    with st.expander("Add your own events"):
        st.caption("One row per event: countries as EU27, EEA, EEA+CH, EEA+CH+GBR or ISO3 codes separated by ';'; "
                   "kind outage, delay or withheld; dates YYYY-MM-DD (a delay needs its end date); share and "
                   "substitution in %. Custom events travel in the scenario file (Downloads), not in the link.")
        import pandas as pd

        start = pd.DataFrame([{"id": "my-event", "countries": "EU27", "kind": "withheld", "start_date": "2027-01-01",
                               "end_date": None, "share_pct": 5.0, "substitution_pct": 70.0}],
                             columns=CUSTOM_EVENT_COLUMNS)
        edited = st.data_editor(start, num_rows="dynamic", key="ev_editor", hide_index=True)
        ss["ev_editor_rows"] = edited
        c1, c2 = st.columns(2)
        c1.button("Use these events", key="ev_apply", on_click=on_custom_events)
        c2.button("Remove custom events", key="ev_clear", on_click=on_clear_events)
        if ss.get("ev_error"):
            st.error(escape_markdown(ss["ev_error"]))
        elif ss.get("ev_custom"):
            st.success(escape_markdown(f"{len(ss['ev_custom'])} custom event(s) counted."))
    titled_chart(event_losses_bars(r), key="chart_event_losses")
    with (box := data_expander("Data: cost by restriction", key="data_event_losses")):
        if box.open:
            st.dataframe(readable(event_losses_data(r)), hide_index=True)
    titled_chart(events_timeline(r), key="chart_events_timeline")
    with (box := data_expander("Data: the events touching the group", key="data_events_timeline")):
        if box.open:
            st.dataframe(readable(timeline_data(r).drop(columns=["drawn_end"])), hide_index=True)


def compare_view(r: model.Result, scenario: Scenario) -> None:
    ss = st.session_state
    c1, c2 = st.columns([1, 3])
    if c1.button("Pin this scenario", disabled=len(ss["pinned"]) >= MAX_PINNED, key="pin"):
        if scenario.to_json() not in ss["pinned"]:
            ss["pinned"] = ss["pinned"] + [scenario.to_json()]
    if c2.button("Clear pinned", key="unpin"):
        ss["pinned"] = []
    st.caption(f"Pin up to {MAX_PINNED} scenarios; the current one is always shown last.")
    for i, j in enumerate(ss["pinned"]):
        st.markdown(escape_markdown(f"Pinned {i + 1}: {scenario_words(j)}"))
    jsons = ss["pinned"] + ([scenario.to_json()] if scenario.to_json() not in ss["pinned"] else [])
    results = [run_cached(j) for j in jsons]
    rs = model.ResultSet([res.renamed(f"{i + 1}. {plain_name(res.scenario)}") for i, res in enumerate(results)])
    c1, c2 = st.columns(2)
    # The restricted group first (a custom list of countries is its own row), the loss by default.
    custom = r.group_label not in REGIONS
    options = ([r.group_label] if custom else []) + [*REGIONS, "World"]
    region = c1.selectbox("Region", options, index=options.index(r.group_label), key="cmp_region")
    variable = c2.selectbox("Variable", list(VARIABLES), index=list(VARIABLES).index("ai_gain_lost"), key="cmp_var",
                            format_func=lambda k: VARIABLES[k].label)
    row = "Restricted group" if custom and region == r.group_label else region
    titled_chart(compare_figure(rs, variable, row), key="chart_compare")
    delta = rs.delta(reference=0)
    labels = delta.index.get_level_values("region")
    delta = delta[labels.str.startswith("Restricted group") if row == "Restricted group" else labels == row]
    delta = delta.droplevel("region")[["potential_gain_usd_bn", "gain_end_year_usd_bn", "cumulative_gain_usd_bn", "cumulative_lost_usd_bn",
                   "npv_gain_usd_bn"]]
    st.markdown(escape_markdown(f"Difference from scenario 1, {region} (billion US$ at 2023 prices)"))
    st.dataframe(readable(delta.round(1)))
    st.download_button("Download comparison (tidy CSV)", rs.to_csv(), file_name="comparison.csv", key="dl_cmp",
                       on_click="ignore")


def downloads_view(r: model.Result, scenario: Scenario) -> None:
    ss = st.session_state
    detail = st.radio("Detail", ["regions", "countries"], horizontal=True, key="dl_detail")
    slug = "scenario"
    c = st.columns(4)
    # A click does not rerun the app (on_click="ignore"): a rerun would replace the other buttons'
    # deferred files (Excel, report: built on click) while the browser still holds the old ones
    # ("Deferred file ... not found" on a quick second click).
    c[0].download_button("Tidy CSV", write_csv([r], None, detail, "csv"), file_name=f"{slug}.csv",
                         mime="text/csv", key="dl_tidy", on_click="ignore")
    c[1].download_button("IAMC CSV", write_csv([r], None, detail, "iamc"), file_name=f"{slug}_iamc.csv",
                         mime="text/csv", key="dl_iamc", on_click="ignore")
    c[2].download_button("Excel (data + meta)", lambda: excel_bytes([r], detail), file_name=f"{slug}.xlsx", key="dl_xlsx",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
    c[3].download_button("Scenario JSON", scenario.to_json(), file_name=f"{slug}.json",
                         mime="application/json", key="dl_json", on_click="ignore")
    # The report reuses the Uncertainty tab's Monte Carlo (same draws and seed): one probability per scenario.
    draws, seed = mc_settings()
    st.download_button("HTML report (opens offline)",
                       lambda: report_html(r, mc=monte_carlo_cached(scenario.to_json(), draws, seed),
                                           tornado=tornado_cached(scenario.to_json())).encode("utf-8"),
                       file_name=f"{slug}_report.html", mime="text/html", key="dl_report", on_click="ignore")
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


@st.cache_resource(max_entries=8, ttl=1800, show_spinner=False)
def monte_carlo_cached(scenario_json: str, draws: int, seed: int):
    return uncertainty.monte_carlo(Scenario.from_json(scenario_json), draws=draws, seed=seed)


@st.cache_resource(max_entries=16, ttl=1800, show_spinner=False)
def tornado_cached(scenario_json: str):
    return uncertainty.sensitivity(Scenario.from_json(scenario_json), "tornado")


def mc_settings() -> tuple[int, int]:
    """The Monte Carlo's draws and seed, as last chosen in the Uncertainty tab (kept while the tab is
    closed): the Overview's range, this tab and the report use the same run."""
    ss = st.session_state
    return int(ss.get("mc_draws_chosen", MC_DEFAULT_DRAWS)), int(ss.get("mc_seed_chosen", 0))


def on_mc_settings() -> None:
    ss = st.session_state
    ss["mc_draws_chosen"], ss["mc_seed_chosen"] = int(ss["mc_draws"]), int(ss["mc_seed"])


@st.fragment
def uncertainty_view(scenario: Scenario) -> None:
    """A fragment: changing the draws or the seed reruns only this tab."""
    chosen_draws, chosen_seed = mc_settings()  # the widgets start from the last choice
    c1, c2 = st.columns(2)
    draws = c1.number_input("Monte Carlo draws", 100, 50_000, chosen_draws, step=500, key="mc_draws",
                            on_change=on_mc_settings, help="2,000 draws answer in about a second on a 2-core machine.")
    seed = c2.number_input("Seed", 0, 10**6, chosen_seed, step=1, key="mc_seed", on_change=on_mc_settings)
    with st.spinner("Drawing scenarios..."):
        mc = monte_carlo_cached(scenario.to_json(), int(draws), int(seed))
    st.markdown(f"**{escape_markdown(mc.probability_statement())}**")
    st.caption("Each uncertain parameter is drawn from its declared distribution around the scenario's value "
               "(see Method & sources); the restriction's own levers (delay, drag, leakage) stay as chosen. "
               "Bands: 5th-95th and 25th-75th percentiles; line: median; dashed: the central run.")
    cols = st.columns(3)
    for col, (var, region) in zip(cols, [("ai_gain", "World"), ("ai_gain", "EU27"), ("ai_gain_lost", "Restricted group")]):
        with col:
            titled_chart(mc.fan_chart(var, region), key=f"fan_{var}_{region}")
    with (box := data_expander("Data: percentiles", key="data_percentiles")):
        if box.open:
            st.dataframe(readable(mc.percentiles), hide_index=True)
    st.download_button("Download percentiles (CSV)", mc.to_csv(), file_name="uncertainty.csv", key="dl_mc",
                       on_click="ignore")
    tor = tornado_cached(scenario.to_json())
    titled_chart(tornado_chart(tor), key="chart_tornado")
    st.caption("One at a time: each parameter at the low and high end of its distribution, the rest at the "
               f"scenario's values. Output: {uncertainty.SENSITIVITY_OUTPUTS['group_cumulative_lost']}. "
               "Global Sobol indices: `python -m model sensitivity --method sobol`.")
    with (box := data_expander("Data: tornado", key="data_tornado")):
        if box.open:
            st.dataframe(readable(tor), hide_index=True)
    st.download_button("Download tornado (CSV)", tor.to_csv(index=False), file_name="tornado.csv", key="dl_tor",
                       on_click="ignore")


@st.cache_data(max_entries=1, ttl=3600, show_spinner=False)
def method_text() -> str:
    return (ROOT / "docs" / "model.md").read_text()


def method_view() -> None:
    st.markdown(method_text())
    st.subheader("Parameters")
    st.dataframe(readable(parameter_table()), hide_index=True)
    st.subheader("Presets")
    st.dataframe(pd.DataFrame([{"Preset": preset_label(p), "Kind": p.kind, "Description": p.description,
                                "Judgement": ", ".join(PARAMETERS[k].label if k in PARAMETERS else k
                                                       for k in p.judgement), "Source": ids_in_words(p.source)}
                               for p in PRESETS.values()]), hide_index=True)
    st.subheader("Data vintages")
    st.markdown(f"{escape_markdown(DATA_VINTAGE)}. Model version {model.__version__}. Sources and licences: "
                "`data/README.md`.")


def scenario_from_widgets() -> Scenario:
    """The scenario the widgets describe (raises ScenarioError on an invalid setting)."""
    ss = st.session_state
    # Only the values the user changed are applied: a restriction slider moved sets that value for
    # every event; one left alone keeps each event's own value.
    if events_chosen():
        events = list(ss.get("ev_sel") or []) + list(ss.get("ev_custom") or [])
        presets = presets_of(ss["hp"], "none")
    else:
        events, presets = [], presets_of(ss["hp"], ss["rp"])
    ref = Scenario.build(presets, events=events).values
    changed = {k: v for k, v in widget_values().items() if ref[k] != v}
    return Scenario.build(presets, changed, events=events)


def current_scenario() -> Scenario:
    """The scenario the widgets describe; on an invalid setting, a message and the last valid one."""
    ss = st.session_state
    try:
        scenario = scenario_from_widgets()
    except ScenarioError as exc:
        st.error(escape_markdown(f"Invalid setting: {exc}. Showing the last valid scenario."))
        if not ss.get("last_valid"):
            sidebar()
            st.stop()
        return Scenario.from_json(ss["last_valid"])
    ss["last_valid"] = scenario.to_json()
    ss["last_group"] = scenario.values["restricted_group"]
    return scenario


@st.cache_resource(show_spinner=False)
def long_lived_objects_frozen() -> bool:
    """Once per server process, after its first whole-page run: move the objects alive then (modules,
    data tables, caches) out of the garbage collector's reach (``gc.freeze``). Streamlit runs a full
    collection after every script run (``runner.postScriptGC``); over the ~175,000 objects of a warm
    process it takes ~70 ms, and a slider's fragment rerun pays it twice (the interaction's default
    run, stopped by the callback's ``st.rerun(...)``, is collected before the requested run starts).
    Frozen, a collection takes ~1 ms. Later objects are collected as before (what became cyclic
    garbage before the freeze stays: a one-off, bounded amount)."""
    import gc

    gc.collect()
    gc.freeze()
    return True


def script_done() -> None:
    """Script time of this rerun until everything but the deferred uncertainty range is sent (read by
    benchmarks/bench_app.py; server side, without drawing). It starts in main, in a slider's callback,
    or else where the main area starts."""
    ss = st.session_state
    paused = ss.pop("_paused_s", 0.0)  # the figures-first pause: the thread sleeps, nothing is computed
    ss["_script_ms"] = 1000 * (time.perf_counter() - ss.pop("_t0", time.perf_counter()) - paused)


@st.fragment(key="main")
def main_area():
    """Everything under the title: a fragment, so a tab, a chart option or a slider move reruns it
    without redrawing the sidebar's controls. Returns the scenario and the Overview's uncertainty
    range still to draw (drawn by main at the end of a whole-page run, here at the end of a fragment
    run: after everything else either way)."""
    ss = st.session_state
    full_run = FULL_RUN
    if not full_run:
        fragment_run_start()  # a click can carry the browser's stale values here too
        ss.setdefault("_t0", time.perf_counter())
    if ss.get("link_error"):
        st.error(escape_markdown(f"The link's settings could not be used ({ss['link_error']}). "
                                 "Showing the default scenario."))
    scenario = current_scenario()
    sync_url(query_for(scenario, ss["hp"], ss["rp"]))  # early, with the answer (the link box follows)
    r = run_cached(scenario.to_json())
    # Stateful tabs: only the open tab's content runs, so a slider move redraws only what is seen.
    tabs = st.tabs(TABS, key="tab", on_change="rerun")
    views = [lambda: overview(r, scenario), lambda: events_view(r, scenario), lambda: countries_view(r),
             lambda: compare_view(r, scenario),
             lambda: uncertainty_view(scenario), lambda: downloads_view(r, scenario), method_view]
    deferred = None  # the Overview's uncertainty range, drawn last
    for tab, view in zip(tabs, views):
        if tab.open:
            with tab:
                deferred = view()
    if not full_run:
        script_done()
        if deferred:
            deferred()
    return scenario, deferred


def main() -> None:
    global FULL_RUN
    FULL_RUN = True
    try:
        whole_page()
    finally:  # also when Streamlit stops or restarts the run
        FULL_RUN = False


def whole_page() -> None:
    ss = st.session_state
    ss["_t0"] = time.perf_counter()
    fresh = applied_fresh()  # before any element is sent
    init_state()
    undo_stale_widgets(fresh)
    # The frame first (the sidebar's header, the title), then the answer: the widgets' values are in
    # session state already (init_state, or the browser's last report), so the main area is computed
    # and sent before the sidebar's ~40 controls, and the Monte Carlo of the range comes last.
    st.sidebar.header("Scenario")
    link_slot = st.sidebar.container()  # the share link at the top; filled last (it reads the controls)
    # A modest title: on a phone the answer (headline and key figures) must fit the first screen.
    st.markdown("### Generative AI: who gains, and what do access restrictions cost?")
    scenario, deferred = main_area()
    sidebar(scenario)
    with link_slot:
        link_box()
    script_done()
    if deferred:
        deferred()
    long_lived_objects_frozen()


if os.environ.get("GENAI_IMPACT_PROFILE"):
    import cProfile

    cProfile.run("main()", os.environ["GENAI_IMPACT_PROFILE"])
else:
    main()
