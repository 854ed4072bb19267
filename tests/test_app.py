"""The Streamlit app through streamlit.testing (AppTest): no browser, the real script."""

import json
import logging
import re
from pathlib import Path

import pytest
import streamlit
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from conftest import ROOT, cli
import model.events
from model import PRESETS

APP = str(ROOT / "app.py")
logging.getLogger("streamlit").setLevel(logging.ERROR)


def app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def money(text: str) -> float:
    """'$31.4 bn' -> 31.4; '$2.77 trillion' -> 2770."""
    m = re.fullmatch(r"\$(-?[\d,.]+) (bn|trillion)", text)
    assert m, text
    v = float(m.group(1).replace(",", ""))
    return v * 1000 if m.group(2) == "trillion" else v


def key_figures(at: AppTest) -> list[tuple[str, str]]:
    """The key figures as (label, value): a label's markdown, then its value as a '### ' heading."""
    md = [plain(m.value) for m in at.markdown]
    return [(md[i - 1], v[4:]) for i, v in enumerate(md) if v.startswith("### $") or v.startswith("### -$")]


def metric(at: AppTest, label_start: str) -> str:
    return next(value for label, value in key_figures(at) if label.startswith(label_start))


def plain(text: str) -> str:
    """What a reader sees of markdown the app escaped (user text is shown literally)."""
    return re.sub(r"\\(.)", r"\1", text)


def headline(at: AppTest) -> str:
    return plain(next(m.value for m in at.markdown if m.value.startswith("#### ")))


@pytest.fixture
def downloads(monkeypatch):
    """Capture what download buttons hand to Streamlit's media storage, by URL."""
    stored = {}
    orig = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        fid = orig(self, path_or_data, mimetype, kind, filename)
        stored[fid] = path_or_data
        return fid

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)

    def content(at: AppTest, key_suffix: str) -> bytes:
        button = next(b for b in at.get("download_button") if b.proto.id.endswith(key_suffix))
        fid = Path(button.proto.url).stem
        data = stored[fid]
        return data.encode() if isinstance(data, str) else bytes(data)

    return content


def overview_charts(at) -> list[str]:
    """The Overview's Vega-Lite charts, by their accessible names (the spec's description: its title)."""
    return [json.loads(c.proto.spec)["description"] for c in at.get("vega_lite_chart")]


def test_default_app_runs_with_headline_and_charts():
    at = app()
    assert not at.exception
    assert "EU27 loses" in headline(at)
    # the loss by year, the group's paths, the waterfall and the gains by region (the map, gains per
    # person and usage are in the Countries tab: fewer charts for the first screen to draw)
    assert overview_charts(at) == ["EU27: generative-AI gain lost each year, by lever",
                                   "EU27: gain with open access vs with restrictions",
                                   "Cumulative loss 2023-2040 by lever",
                                   "Generative-AI gain by region (solid: scenario, dashed: open access)"]
    assert not at.get("plotly_chart")  # the Overview loads no plotly.js (see model/vega.py)
    assert money(metric(at, "EU27 loss, 2023")) > 0
    assert at.query_params["hp"] == ["jpmorgan-high"] or at.query_params["hp"] == "jpmorgan-high"


def test_countries_tab_shows_the_map_gains_per_person_and_usage():
    at = app()
    at.session_state["tab"] = "Countries & observed data"
    at.run()
    assert not at.exception
    assert [c.key for c in at.get("plotly_chart")] == ["chart_map", "chart_per_capita", "chart_usage"]
    assert at.radio(key="map_layer").value == "gain" and at.multiselect(key="usage_sel").value


@pytest.mark.parametrize("preset", ["none", *PRESETS])
def test_every_preset_runs(preset):
    at = app()
    box = "hp" if preset == "none" or PRESETS[preset].kind == "headline" else "rp"
    at.selectbox(key=box).set_value(preset).run()
    assert not at.exception
    assert headline(at).startswith("#### With these assumptions")
    if preset != "none":
        assert at.selectbox(key=box).value == preset


def test_moving_the_substitution_slider_down_raises_the_eu_loss():
    at = app()
    before = money(metric(at, "EU27 loss, 2023"))
    start = at.slider(key="sl_substitution_pct").value
    assert start > 10
    at.slider(key="sl_substitution_pct").set_value(10.0).run()
    assert not at.exception
    after = money(metric(at, "EU27 loss, 2023"))
    assert after > before
    assert at.number_input(key="ni_substitution_pct").value == pytest.approx(10.0)  # the entry box follows
    assert at.query_params["substitution_pct"] in ("10.0", ["10.0"])  # and so does the URL


def test_number_entry_moves_the_slider():
    at = app()
    at.number_input(key="ni_substitution_pct").set_value(20.0).run()
    assert at.slider(key="sl_substitution_pct").value == 20.0


def test_downloads_equal_cli_output(downloads):
    at = app({"hp": "jpmorgan-low", "rp": "italy-chatgpt-ban", "leakage_pct": "15"})
    at.session_state["tab"] = "Downloads"
    at.run()
    assert not at.exception
    args = ["--preset", "jpmorgan-low", "--preset", "italy-chatgpt-ban", "--set", "leakage_pct=15"]
    assert downloads(at, "dl_tidy").decode() == cli("run", *args, check=True).stdout
    assert downloads(at, "dl_iamc").decode() == cli("run", *args, "--format", "iamc", check=True).stdout
    assert downloads(at, "dl_json").decode().strip() == cli("scenario", *args, check=True).stdout.strip()
    assert any(b.proto.id.endswith("dl_report") for b in at.get("download_button"))
    # countries detail too
    at.radio(key="dl_detail").set_value("countries").run()
    assert downloads(at, "dl_tidy").decode() == cli("run", *args, "--detail", "countries", check=True).stdout


@pytest.mark.parametrize("query, fragment", [
    ({"delay_years": "abc"}, "delay_years='abc' is invalid"),
    ({"end_year": "3000"}, "end_year=3000 is out of range"),
    ({"hp": "nonsense"}, "not a headline preset"),
    ({"warp": "9"}, "unknown parameter 'warp'"),
    ({"restricted_group": "Atlantis"}, "restricted_group='Atlantis' is invalid"),
])
def test_bad_query_params_show_an_error_and_fall_back(query, fragment):
    at = app(query)
    assert not at.exception
    errors = plain(" ".join(e.value for e in at.error))
    assert fragment in errors and "default scenario" in errors
    assert at.selectbox(key="hp").value == "jpmorgan-high"  # the defaults
    assert "EU27 loses" in headline(at)


def test_share_url_restores_the_same_results():
    at = app()
    at.slider(key="sl_substitution_pct").set_value(35.0).run()
    # A slider move reruns only its fragments (the slider, the link, the main area); AppTest then holds
    # only those elements, so a plain run redraws the rest (as the browser still shows it).
    at.run()
    at.selectbox(key="hp").set_value("goldman-sachs-2023").run()
    at.slider(key="sl_leakage_pct").set_value(10.0).run()
    query = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    other = app(query)
    assert headline(other) == headline(at)
    assert key_figures(other) == key_figures(at)


def test_upload_restores_a_scenario_and_a_bad_file_shows_an_error():
    at = app()
    at.session_state["tab"] = "Downloads"
    at.run()
    scenario = json.loads(cli("scenario", "--preset", "acemoglu-2024", "--preset", "eu-apple-intelligence-delay",
                              "--set", "delay_years=2", check=True).stdout)
    at.file_uploader(key="upload").set_value(("s.json", json.dumps(scenario).encode(), "application/json")).run()
    assert not at.exception
    assert at.selectbox(key="hp").value == "acemoglu-2024"
    assert at.slider(key="sl_delay_years").value == 2.0
    assert any("Loaded scenario" in plain(s.value) for s in at.success)
    at.file_uploader(key="upload").set_value(("bad.json", b"{not json", "application/json")).run()
    assert not at.exception
    assert any("Could not load bad.json" in plain(e.value) for e in at.error)
    bad_range = {**scenario, "parameters": {**scenario["parameters"], "end_year": 1900}}
    at.file_uploader(key="upload").set_value(("r.json", json.dumps(bad_range).encode(), "application/json")).run()
    assert any("end_year=1900 is out of range" in plain(e.value) for e in at.error)
    assert at.slider(key="sl_delay_years").value == 2.0  # nothing changed


def test_compare_pins_scenarios():
    at = app()
    at.session_state["tab"] = "Compare"
    at.run()
    at.button(key="pin").click().run()
    at.slider(key="sl_substitution_pct").set_value(10.0).run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 1
    assert len(at.dataframe) >= 1
    delta = at.dataframe[0].value
    assert len(delta) == 2 and delta["Cumulative loss (US$ bn)"].iloc[1] > 0
    assert at.selectbox(key="cmp_var").value == "ai_gain_lost"  # Compare shows the loss by default
    assert [m.value for m in at.markdown if m.value.startswith("Pinned")]


def test_method_tab_shows_equations_and_sources():
    at = app()
    at.session_state["tab"] = "Method & sources"
    at.run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Hulten" in text and "Data vintages" in " ".join(s.value for s in at.subheader)


def test_group_can_be_changed():
    at = app()
    at.selectbox(key="grp_sel").set_value("Custom list of countries").run()
    at.text_input(key="grp_codes").set_value("DEU, FRA").run()
    assert not at.exception
    assert "DEU, FRA loses" in headline(at)
    at.text_input(key="grp_codes").set_value("XXX").run()
    assert not at.exception
    assert any("restricted_group" in plain(e.value) for e in at.error)


def test_uncertainty_tab_shows_fan_charts_tornado_and_probability():
    at = app()
    at.session_state["tab"] = "Uncertainty"
    at.run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 4  # three fan charts and the tornado
    assert any("P(EU27 cumulative loss" in plain(m.value) for m in at.markdown)
    at.number_input(key="mc_draws").set_value(600).run()
    assert not at.exception and any("600 draws" in m.value for m in at.markdown)


@pytest.mark.parametrize("value", ["[Session expired - log in again](https://evil.example/login)",
                                   "![x](https://evil.example/pixel.png)", "<img src=https://evil.example/p.png>",
                                   "$\\href{https://evil.example}{x}$"])
def test_link_values_are_shown_as_literal_text(value):
    """A value from the URL is echoed in the error as text: no link, no image, no HTML, no maths."""
    at = app({"hp": value})
    assert not at.exception
    raw = " ".join(e.value for e in at.error)
    assert "evil.example" in plain(raw)
    # every markdown/HTML/KaTeX character is escaped: none appears without a backslash before it
    assert not re.search(r"(?<!\\)[\[\]()!<>$]", raw), raw


@pytest.mark.parametrize("payload", [b"[" * 50_000 + b"]" * 50_000, b'{"parameters": {"end_year": ' + b"9" * 5000 + b"}}",
                                     b'{"name": "\\u0007"}', "{\"name\": \"M\xfcnchen\"}".encode("latin-1")])
def test_hostile_uploads_show_one_message_and_no_stack_trace(payload):
    at = app()
    at.session_state["tab"] = "Downloads"
    at.run()
    at.file_uploader(key="upload").set_value(("x.json", payload, "application/json")).run()
    assert not at.exception
    assert any("Could not load x.json" in plain(e.value) for e in at.error)


def test_command_line_equivalent_is_shell_quoted():
    import shlex

    at = app()
    at.selectbox(key="grp_sel").set_value("United States").run()
    at.session_state["tab"] = "Downloads"
    at.run()
    code = next(c.value for c in at.code if c.value.startswith("python -m model run"))
    args = shlex.split(code)
    assert "restricted_group=United States" in args
    from model.cli import main
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        assert main(args[3:]) == 0


def test_custom_group_keeps_the_results_until_codes_are_typed():
    """Bug: choosing 'Custom list of countries' blanked the main area with an error before anything
    could be typed (the empty list was run as the group)."""
    at = app()
    at.selectbox(key="grp_sel").set_value("Custom list of countries").run()
    assert not at.exception and not at.error
    assert "EU27 loses" in headline(at)  # the last group's results stay
    assert len(overview_charts(at)) == 4
    at.text_input(key="grp_codes").set_value("ITA").run()
    assert "ITA loses" in headline(at)
    at.text_input(key="grp_codes").set_value("XXX").run()  # invalid: a message, the last valid results
    assert any("restricted_group" in plain(e.value) for e in at.error)
    assert "ITA loses" in headline(at)


def test_plotly_js_is_loaded_after_the_overview_from_the_installed_streamlit():
    """The Overview draws with Vega-Lite; the sidebar's last element loads Streamlit's own plotly.js chunk
    once the Overview's charts have drawn (app.PLOTLY_WARM_UP). The pinned Streamlit must still ship
    exactly one such chunk, or the other tabs' charts would wait for plotly.js when opened."""
    at = app()
    chunks = list((Path(streamlit.__file__).parent / "static" / "static" / "js").glob("PlotlyChart.*.js"))
    assert len(chunks) == 1
    (script,) = at.sidebar.get("html")
    assert script.proto.unsafe_allow_javascript and f'"static/js/{chunks[0].name}"' in script.proto.body
    assert not at.main.get("html")


def test_first_screen_leads_with_the_loss_in_plain_words():
    at = app()
    labels = [label for label, _ in key_figures(at)]
    assert len(labels) == 4
    assert labels[0].startswith("EU27 loss, 2023-") and labels[1].startswith("EU27 loss in")
    assert overview_charts(at)[0] == "EU27: generative-AI gain lost each year, by lever"  # the lead chart: the loss
    text = plain(" ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption))
    # why $10T on the 2023 base is more in 2040: said once, where that figure first appears
    assert len(re.findall(r"Why \$[\d.]+ trillion in 2040 and not \$10 trillion\?", text)) == 1
    # presets by their descriptions, never their internal keys
    hp = at.selectbox(key="hp")
    assert "JP Morgan: generative AI adds $10 trillion to world GDP" in hp.options
    assert not any(k in " ".join(hp.options + at.selectbox(key="rp").options) for k in PRESETS)
    assert not re.search(r"\b(jpmorgan-|eu-meta|ai_gain|usd_bn)", text)


@pytest.mark.parametrize("rp", ["eu-meta-ai-delay", "eu-llama-multimodal", "italy-chatgpt-ban", "china-chatgpt-blocked"])
def test_preset_sources_name_events_in_words(rp):
    """A restriction preset's source names its events by id (for the command line); the sidebar's
    caption shows their labels instead."""
    at = app({"rp": rp})
    assert not at.exception
    captions = plain(" ".join(c.value for c in at.caption))
    ids = [e.id for e in model.events.load_events()]
    assert any(i in PRESETS[rp].source for i in ids)  # the preset does name an event by id
    assert not [i for i in ids if i in captions], captions
    assert any(f'"{e.label}"' in captions for e in model.events.load_events() if e.id in PRESETS[rp].source)


#: The data tables under the charts, built only while their expander is open (key: open?).
DATA_EXPANDERS = {"Overview": ["data_loss_by_year", "data_group_paths", "data_waterfall", "data_gains_by_region",
                               "data_summary"],
                  "Countries & observed data": ["data_per_capita", "data_economies", "data_usage", "data_allocation"],
                  "Restriction events": ["data_event_losses", "data_events_timeline"],
                  "Uncertainty": ["data_percentiles", "data_tornado"]}


@pytest.mark.parametrize("tab", ["Overview", "Restriction events", "Countries & observed data", "Compare", "Uncertainty",
                                 "Method & sources"])
def test_tables_show_plain_column_names(tab):
    at = app()
    at.session_state["tab"] = tab
    for key in DATA_EXPANDERS.get(tab, []):  # every data table open
        at.session_state[key] = True
    at.run()
    assert not at.exception
    assert len(at.dataframe) >= len(DATA_EXPANDERS.get(tab, []))
    for df in at.dataframe:
        cols = [str(c) for c in df.value.columns] + [str(n) for n in df.value.index.names if n]
        if tab == "Restriction events" and cols[:3] == ["id", "countries", "kind"]:
            continue  # the custom-event editor: its columns are the format users type (model.events.parse_event)
        assert not [c for c in cols if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", c)], (tab, cols)


def test_pinned_scenario_is_described_in_words():
    at = app({"hp": "jpmorgan-low", "rp": "eu-meta-ai-delay", "leakage_pct": "15"})
    at.session_state["tab"] = "Compare"
    at.run()
    at.button(key="pin").click().run()
    pinned = plain(next(m.value for m in at.markdown if m.value.startswith("Pinned")))
    assert "JP Morgan" in pinned and "Meta AI" in pinned and "Leakage to other economies = 15" in pinned


def test_preset_labels_are_distinct():
    """Each preset has its own plain label in the preset boxes (never its key)."""
    at = app()
    for box in ("hp", "rp"):
        options = at.selectbox(key=box).options
        assert len(set(options)) == len(options), options


def _eu_loss(at) -> float:
    at.session_state["tab"] = "Overview"
    at.run()
    value = money(metric(at, "EU27 loss"))
    at.session_state["tab"] = "Restriction events"
    at.run()
    return value


def test_events_tab_counts_chosen_events_and_a_custom_one():
    import pandas as pd

    at = app({"hp": "jpmorgan-high", "rp": "eu-record-2023-2026"})
    full = _eu_loss(at)
    assert not at.exception
    sel = at.multiselect(key="ev_sel_widget")
    assert set(sel.value) == set(PRESETS["eu-record-2023-2026"].events)
    sel.set_value(["meta-ai-assistant-eu-delay"]).run()
    assert not at.exception and at.query_params["ev"] in ("meta-ai-assistant-eu-delay", ["meta-ai-assistant-eu-delay"])
    one = _eu_loss(at)
    assert 0 < one < full
    # a link with the events reproduces the same scenario
    other = app({k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()})
    assert money(metric(other, "EU27 loss")) == one
    # a custom event: validated, then counted
    at.session_state["ev_editor_rows"] = pd.DataFrame([{"id": "x-2028", "countries": "EU27", "kind": "withheld",
                                                        "start_date": "2028-01-01", "end_date": None,
                                                        "share_pct": 5.0, "substitution_pct": 50.0}])
    at.button(key="ev_apply").click().run()
    assert not at.exception and at.session_state["ev_custom"]
    more = _eu_loss(at)
    assert more > one
    at.session_state["ev_editor_rows"] = pd.DataFrame([{"id": "bad", "countries": "EU27", "kind": "delay",
                                                        "start_date": "2028-01-01", "end_date": "2027-01-01",
                                                        "share_pct": 5.0, "substitution_pct": 50.0}])
    at.button(key="ev_apply").click().run()
    assert any("end_date" in plain(e.value) for e in at.error)
    assert _eu_loss(at) == more  # nothing changed


def test_data_tables_are_built_when_their_expander_opens():
    """A closed data expander costs nothing (no table built or sent); opening it shows the table."""
    at = app()
    assert len(at.dataframe) == 0  # every table of the Overview (the summary by region too) is closed
    at.session_state["data_loss_by_year"] = True
    at.run()
    assert not at.exception and len(at.dataframe) == 1
    from model import Scenario, run
    from model.figures import CHARTS
    from model.narrative import readable

    expected = readable(CHARTS["loss_by_year"][2](run(Scenario.build(["jpmorgan-high", "eu-meta-ai-delay"]))))
    shown = at.dataframe[0].value
    assert list(shown.columns) == list(expected.columns) and len(shown) == len(expected)


def _range_lines(at: AppTest) -> tuple[str, str]:
    """The Overview's uncertainty range: its sentence and the probability statement below it."""
    first = plain(next(m.value for m in at.markdown if m.value.startswith("Uncertainty range")))
    second = plain(next(c.value for c in at.caption if plain(c.value).startswith("P(")))
    return first, second


def test_overview_states_the_uncertainty_range_of_the_uncertainty_tab():
    """Under the key figures: the group's loss in the key figure's year, 5th-95th percentile, from the
    same Monte Carlo (draws, seed) as the Uncertainty tab, and its probability statement."""
    from model import Scenario, uncertainty
    from model.narrative import fmt_usd_bn

    at = app()
    assert not at.exception
    first, second = _range_lines(at)
    md = [plain(m.value) for m in at.markdown]
    at_range = md.index(first)
    last_figure = max(i for i, v in enumerate(md) if v.startswith("### $"))
    first_chart = min(i for i, v in enumerate(md) if v.startswith("##### "))
    assert last_figure < at_range < first_chart  # under the key figures, before the charts
    year = int(re.search(r"loss in (\d{4}) ", first).group(1))
    assert [label for label, _ in key_figures(at)][1] == f"EU27 loss in {year}"
    mc = uncertainty.monte_carlo(Scenario.build(["jpmorgan-high", "eu-meta-ai-delay"]), draws=2000, seed=0)
    band = mc.band("ai_gain_lost", "Restricted group").loc[year]
    lo, med, hi = mc.cumulative_loss_interval()
    assert first == (f"Uncertainty range (5th–95th percentile): EU27 cumulative loss {fmt_usd_bn(lo)} to "
                     f"{fmt_usd_bn(hi)} (median {fmt_usd_bn(med)}); loss in {year} {fmt_usd_bn(band['P5'])} to "
                     f"{fmt_usd_bn(band['P95'])} (median {fmt_usd_bn(band['P50'])}).")
    assert second.startswith(mc.probability_statement())
    at.session_state["tab"] = "Uncertainty"
    at.run()
    assert any(mc.probability_statement() in plain(m.value) for m in at.markdown)  # one statement per scenario


def test_the_uncertainty_tabs_draws_and_seed_carry_to_the_overview_range():
    at = app()
    at.session_state["tab"] = "Uncertainty"
    at.run()
    at.number_input(key="mc_draws").set_value(600).run()
    at.number_input(key="mc_seed").set_value(3).run()
    statement = next(plain(m.value) for m in at.markdown if "600 draws" in m.value)
    at.session_state["tab"] = "Overview"
    at.run()
    assert _range_lines(at)[1].startswith(statement.strip("*"))  # the same run as the tab showed
    at.session_state["tab"] = "Uncertainty"
    at.run()
    assert at.number_input(key="mc_draws").value == 600 and at.number_input(key="mc_seed").value == 3


def test_a_slider_move_updates_the_answer_its_box_the_link_and_the_range():
    at = app()
    before = (headline(at), _range_lines(at))
    at.slider(key="sl_substitution_pct").set_value(12.0).run()
    assert not at.exception
    assert headline(at) != before[0] and _range_lines(at) != before[1]
    assert at.number_input(key="ni_substitution_pct").value == pytest.approx(12.0)
    assert any("substitution_pct=12.0" in c.value for c in at.code)  # the link box
    at.run()  # the whole page: the other controls kept their values
    assert at.selectbox(key="hp").value == "jpmorgan-high" and at.slider(key="sl_substitution_pct").value == 12.0


def test_a_control_that_greys_others_out_redraws_them():
    """Moving the number of level points (a slider other controls depend on) reruns the whole page, so
    the level controls it switches off are greyed out at once."""
    at = app()
    at.selectbox(key="w_headline_mode").set_value("level_path").run()
    assert not at.exception
    assert not at.slider(key="sl_level_year_2").disabled
    at.slider(key="sl_level_points").set_value(1).run()
    assert not at.exception
    assert at.slider(key="sl_level_year_2").disabled and not at.slider(key="sl_level_year_1").disabled
    at.slider(key="sl_level_points").set_value(3).run()
    assert not at.slider(key="sl_level_year_2").disabled


def test_usage_table_is_reused_only_while_its_inputs_are_unchanged():
    """The observed-usage table is kept across slider moves that do not touch what it reads, and
    rebuilt when they do: it always equals the model's table for the current scenario."""
    from model import Scenario
    from model.narrative import readable
    from model.observed_figures import usage_data

    def shown_and_expected(at, **changed):
        at.session_state["data_usage"] = True
        at.run()
        params = Scenario.build(["jpmorgan-high", "eu-meta-ai-delay"], changed).params
        chosen = tuple(at.multiselect(key="usage_sel").value)
        return at.dataframe[0].value, readable(usage_data(params, chosen))

    at = app()
    at.session_state["tab"] = "Countries & observed data"
    shown, expected = shown_and_expected(at)
    pd = pytest.importorskip("pandas")
    pd.testing.assert_frame_equal(shown.reset_index(drop=True), expected.reset_index(drop=True))
    at.slider(key="sl_substitution_pct").set_value(15.0).run()
    shown, expected = shown_and_expected(at, substitution_pct=15.0)
    pd.testing.assert_frame_equal(shown.reset_index(drop=True), expected.reset_index(drop=True))
    at.selectbox(key="w_usage_reference_period").set_value("Q1 2026").run()
    shown, expected = shown_and_expected(at, substitution_pct=15.0, usage_reference_period="Q1 2026")
    pd.testing.assert_frame_equal(shown.reset_index(drop=True), expected.reset_index(drop=True))
    other = readable(usage_data(Scenario.build(["jpmorgan-high", "eu-meta-ai-delay"]).params,
                                tuple(at.multiselect(key="usage_sel").value)))
    assert not shown.reset_index(drop=True).equals(other.reset_index(drop=True))  # it did change


def test_usage_selection_lists_each_label_once_and_keeps_a_chosen_economy():
    """A one-economy region (the United States, China, ...) is not offered beside the economy of the
    same name: two options with one label were swapped by the widget after a rerun."""
    at = app()
    at.session_state["tab"] = "Countries & observed data"
    at.run()
    ms = at.multiselect(key="usage_sel")
    labels = [ms.format_func(o) for o in ms.options] if callable(getattr(ms, "format_func", None)) else ms.options
    assert len(labels) == len(set(labels))
    ms.set_value(["USA", "EU27"]).run()
    assert list(at.multiselect(key="usage_sel").value) == ["USA", "EU27"]
