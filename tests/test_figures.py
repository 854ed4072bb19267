"""Every figure is valid plotly (full validation) and drawn from the run's numbers."""

import numpy as np
import plotly.graph_objects as go
import pytest

import model
from model.figures import CHARTS, compare_figure
from model.narrative import fmt_usd_bn


@pytest.fixture(scope="module")
def result():
    return model.run(model.Scenario.build(["jpmorgan-high", "eu-llama-multimodal"],
                                          {"compliance_drag_pct": 1, "leakage_pct": 20}))


@pytest.mark.parametrize("name", list(CHARTS))
def test_figure_is_valid_plotly_and_has_data(result, name):
    title, fig_fn, data_fn = CHARTS[name]
    fig = fig_fn(result)
    go.Figure(fig.to_dict())  # full validation: raises on any invalid property
    assert len(fig.data) >= 1
    data = data_fn(result)
    observed = data.pop("usage_pct") if "usage_pct" in data else None  # NaN where usage is not observed
    assert len(data) > 0 and np.isfinite(data.select_dtypes("number").to_numpy()).all()
    if observed is not None:
        assert observed.notna().sum() >= 140 and (observed.dropna() > 0).all()


@pytest.mark.parametrize("presets", [["jpmorgan-high", "eu-llama-multimodal"], ["jpmorgan-high", "eu-record-2023-2026"]])
def test_waterfall_bars_add_up(result, presets):
    """The relative bars add up to the group's loss, then (with the restrictions outside the group,
    e.g. the UK in the EU's record, and the leakage) to the World's: what plotly draws as totals."""
    r = result if presets[1] == "eu-llama-multimodal" else model.run(model.Scenario.build(presets))
    trace = CHARTS["waterfall"][1](r).data[0]
    y, measure, text = list(trace.y), list(trace.measure), list(trace.text)
    g = r.group_summary()["cumulative_lost_usd_bn"]
    world = r.summary().loc["World", "cumulative_lost_usd_bn"]
    first_total = measure.index("total")
    assert sum(y[:first_total]) == pytest.approx(g)
    assert sum(v for v, m in zip(y, measure) if m == "relative") == pytest.approx(world)
    assert text[first_total] == fmt_usd_bn(g) and text[-1] == fmt_usd_bn(world)
    assert (len(y) == 7) == (presets[1] == "eu-record-2023-2026")  # the UK is outside the EU27


def test_group_paths_gap_is_the_loss(result):
    d = CHARTS["group_paths"][2](result)
    assert (d.ai_gain_open - d.ai_gain).sum() == pytest.approx(result.group_summary()["cumulative_lost_usd_bn"])


def test_scenario_and_open_lines_differ_in_dash(result):
    fig = CHARTS["gains_by_region"][1](result)
    dashes = {t.line.dash for t in fig.data}
    assert {"solid", "dash"} <= dashes


def test_compare_figure_valid():
    rs = model.compare([model.Scenario.build(["jpmorgan-low"]), model.Scenario.build(["jpmorgan-high"])])
    fig = compare_figure(rs, "ai_gain", "World")
    go.Figure(fig.to_dict())
    assert len(fig.data) == 2 and len({t.line.dash for t in fig.data}) == 2


@pytest.mark.parametrize("presets", [["jpmorgan-high", "eu-record-2023-2026"], ["jpmorgan-high", "italy-chatgpt-ban"],
                                     ["jpmorgan-high", "eu-frontier-withheld-2027"]])
def test_event_figures_are_valid_and_match_the_event_losses(presets):
    from model.event_figures import EVENT_CHARTS

    r = model.run(model.Scenario.build(presets))
    for name, (title, fig_fn, data_fn) in EVENT_CHARTS.items():
        fig = fig_fn(r)
        go.Figure(fig.to_dict())
        assert len(fig.data) >= 1, name
    bars = EVENT_CHARTS["event_losses"][1](r)
    assert sum(bars.data[0].x) == pytest.approx(r.event_losses(cumulative=True).net.sum())
    tl = EVENT_CHARTS["events_timeline"][2](r)
    assert set(r.event_losses().event_id) <= set(tl.id)
    assert tl[tl.in_scenario].included.all()


def test_map_layers_show_the_observed_data(result):
    from model.figures import MAP_LAYERS, world_map

    d = CHARTS["map"][2](result)
    for layer, (column, legend, _, _) in MAP_LAYERS.items():
        fig = world_map(result, layer=layer)
        go.Figure(fig.to_dict())
        z = np.asarray(fig.data[0].z, dtype=float)
        np.testing.assert_allclose(z, d[column].round(4).to_numpy(), equal_nan=True)
        assert fig.data[0].colorbar.title.text == legend
