"""The Overview's Vega-Lite charts (model/vega.py): valid Vega-Lite, offline, drawn from the same
numbers as the charts' data tables, with the plotly figures' titles."""

import json

import altair as alt
import numpy as np
import pytest

import model
from model import vega
from model.figures import CHARTS, group_paths_data, loss_by_year_data, waterfall_steps
from model.outputs import LEVERS

SCENARIOS = {
    "levers": (["jpmorgan-high", "eu-llama-multimodal"], {"compliance_drag_pct": 1, "leakage_pct": 20}),
    "events": (["jpmorgan-high", "eu-record-2023-2026"], {}),
    "no restriction": (["jpmorgan-high"], {}),
    "Italy": (["jpmorgan-high", "italy-chatgpt-ban"], {}),  # a one-country group: its own rows in the tables
    "custom group": (["jpmorgan-high", "eu-meta-ai-delay"], {"restricted_group": "USA,CHN"}),
}


@pytest.fixture(scope="module", params=list(SCENARIOS))
def result(request):
    presets, overrides = SCENARIOS[request.param]
    return model.run(model.Scenario.build(presets, overrides))


def values(spec: dict) -> list[dict]:
    return spec["data"]["values"]


@pytest.mark.parametrize("narrow", [False, True], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", list(vega.SPECS))
def test_spec_is_valid_vega_lite_json_with_no_url(result, name, narrow):
    spec = vega.SPECS[name](result, narrow=narrow)
    text = json.dumps(spec, allow_nan=False)  # strict JSON: no NaN or numpy types
    (alt.LayerChart if "layer" in spec else alt.Chart).from_dict(spec)  # Vega-Lite's schema: raises if invalid
    assert '"url"' not in text and "http" not in text  # data inline: nothing to fetch (the app runs offline)
    assert spec["description"] == spec["title"]["text"] == CHARTS[name][1](result).layout.title.text
    assert len(values(spec)) > 0


def fields_used(view: dict) -> set[str]:
    encs = [e for enc in view.get("encoding", {}).values() for e in (enc if isinstance(enc, list) else [enc])]
    return {e["field"] for e in encs if isinstance(e, dict) and "field" in e}


@pytest.mark.parametrize("name", list(vega.SPECS))
def test_every_field_exists_and_every_series_has_its_colour(result, name):
    """Vega-Lite's schema does not know the data: a misspelt field or a value outside a colour's
    domain draws nothing (or an invisible line that still stretches the axis)."""
    spec = vega.SPECS[name](result)
    for view in spec.get("layer", [spec]):
        rows = values(spec)
        for t in view.get("transform", []):  # the folds and filters the views use
            if "fold" in t:
                rows = [{**row, t["as"][0]: f, t["as"][1]: row[f]} for row in rows for f in t["fold"]]
            elif "filter" in t:
                keep = t["filter"].get("oneOf", [t["filter"].get("equal")])
                rows = [row for row in rows if row[t["filter"]["field"]] in keep]
        assert fields_used(view) <= set(rows[0]) if rows else True, fields_used(view) - set(rows[0])
        for channel in ("color", "strokeDash"):
            enc = view["encoding"].get(channel, {})
            if "scale" in enc and rows:
                assert {row[enc["field"]] for row in rows} <= set(enc["scale"]["domain"]), channel
                assert len(enc["scale"]["domain"]) == len(enc["scale"]["range"])


def test_loss_by_year_draws_the_data_table(result):
    d = loss_by_year_data(result)
    rows = values(vega.loss_by_year(result))
    net = [row["value"] for row in rows if row["series"] == vega.NET_LOSS]
    np.testing.assert_allclose(net, d.ai_gain_lost.to_numpy())
    for k in ("restricted_products", "substitution", "compliance_drag"):
        drawn = [row["value"] for row in rows if row["series"] == LEVERS[k]]
        if drawn:
            np.testing.assert_allclose(drawn, d[LEVERS[k]].to_numpy())
        else:  # a lever left out is zero every year
            assert not np.abs(d[LEVERS[k]].to_numpy()).any()


def test_group_paths_draws_the_data_table_and_names_the_gap(result):
    d = group_paths_data(result)
    spec = vega.group_paths(result)
    np.testing.assert_allclose([row["open access"] for row in values(spec)], d.ai_gain_open.to_numpy())
    np.testing.assert_allclose([row["with restrictions"] for row in values(spec)], d.ai_gain.to_numpy())
    assert spec["title"]["subtitle"][0].startswith("gap (the loss): ")


def test_gains_by_region_draws_the_regions_of_the_data_table(result):
    d = CHARTS["gains_by_region"][2](result)
    d = d[d.region.isin(model.REGIONS)]  # the table also has a custom group's or Italy's own rows
    drawn = {(row["region"], row["year"], row["case"]): row["value"] for row in values(vega.gains_by_region(result))}
    case = {"ai_gain": "scenario", "ai_gain_open": "open access"}
    table = {(row.region, row.year, case[row.variable]): row.value for row in d.itertuples()}
    assert drawn.keys() == table.keys()
    np.testing.assert_allclose([drawn[k] for k in table], list(table.values()))


def test_waterfall_draws_steps_that_reach_the_group_and_world_losses(result):
    s = waterfall_steps(result)
    group = result.group_summary()["cumulative_lost_usd_bn"]
    world = result.summary().loc["World", "cumulative_lost_usd_bn"]
    totals = s[s.kind == "total"]
    assert totals.step.tolist() == [f"{result.group_label} loss", "World loss"]
    np.testing.assert_allclose(totals.end, [group, world], atol=1e-9)
    assert (totals.start == 0).all()
    # every other bar starts where the running total stood: the bars before each total reach it
    running = 0.0
    for row in s.itertuples():
        if row.kind == "total":
            assert row.end == pytest.approx(running, abs=1e-9), row.step
        else:
            assert row.start == pytest.approx(running, abs=1e-9) and row.end == pytest.approx(running + row.value)
            running = row.end
    assert [row["step"] for row in values(vega.waterfall(result))] == s.step.tolist()


def test_a_scenario_without_loss_says_so_under_a_readable_axis():
    """No restriction reaches the group: the loss charts say why they are flat (not an axis of one
    tick "0.000000"); a loss says nothing of the kind."""
    flat = model.run(model.Scenario.build(["jpmorgan-high"]))
    for spec in (vega.loss_by_year(flat), vega.waterfall(flat)):
        assert spec["title"]["subtitle"] == ["no restriction reaches EU27 in this scenario: the loss is zero every year"]
    assert vega.loss_by_year(flat)["layer"][1]["encoding"]["y"]["scale"] == {"domain": [0, 1]}
    lost = model.run(model.Scenario.build(*SCENARIOS["events"]))
    assert "no restriction" not in json.dumps(vega.loss_by_year(lost)) + json.dumps(vega.waterfall(lost))
