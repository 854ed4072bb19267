"""The Overview's Vega-Lite charts (model/vega.py): valid Vega-Lite, offline, drawn from the same
numbers as the charts' data tables, with the plotly figures' titles."""

import json

import altair as alt
import numpy as np
import pytest

import model
from model import vega
from model.figures import CHARTS, group_paths_data, loss_by_year_data
from model.outputs import LEVERS

SCENARIOS = {
    "levers": (["jpmorgan-high", "eu-llama-multimodal"], {"compliance_drag_pct": 1, "leakage_pct": 20}),
    "events": (["jpmorgan-high", "eu-record-2023-2026"], {}),
    "no restriction": (["jpmorgan-high"], {}),
}


@pytest.fixture(scope="module", params=list(SCENARIOS))
def result(request):
    presets, overrides = SCENARIOS[request.param]
    return model.run(model.Scenario.build(presets, overrides))


def values(spec: dict) -> list[dict]:
    return spec["data"]["values"]


@pytest.mark.parametrize("name", list(vega.SPECS))
def test_spec_is_valid_vega_lite_json_with_no_url(result, name):
    spec = vega.SPECS[name](result)
    text = json.dumps(spec, allow_nan=False)  # strict JSON: no NaN or numpy types
    (alt.LayerChart if "layer" in spec else alt.Chart).from_dict(spec)  # Vega-Lite's schema: raises if invalid
    assert '"url"' not in text and "http" not in text  # data inline: nothing to fetch (the app runs offline)
    assert spec["description"] == spec["title"]["text"] == CHARTS[name][1](result).layout.title.text
    assert len(values(spec)) > 0


@pytest.mark.parametrize("name", list(vega.SPECS))
def test_every_series_has_its_colour(result, name):
    spec = vega.SPECS[name](result)
    for view in spec.get("layer", [spec]):
        colour = view["encoding"].get("color", {})
        if "scale" in colour and "field" in colour and colour["field"] in values(spec)[0]:
            assert {row[colour["field"]] for row in values(spec)} <= set(colour["scale"]["domain"])
            assert len(colour["scale"]["domain"]) == len(colour["scale"]["range"])


def test_loss_by_year_draws_the_data_table(result):
    d = loss_by_year_data(result)
    rows = values(vega.loss_by_year(result))
    net = [row["value"] for row in rows if row["series"] == "net loss"]
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


def test_gains_by_region_draws_the_data_table(result):
    d = CHARTS["gains_by_region"][2](result)
    rows = values(vega.gains_by_region(result))
    assert len(rows) == len(d)
    np.testing.assert_allclose(sorted(row["value"] for row in rows), np.sort(d.value.to_numpy()))


def test_waterfall_steps_add_up_to_the_group_and_world_losses(result):
    s = vega.waterfall_steps(result)
    summary = result.summary()
    group, world = s.set_index("step").loc[[f"{result.group_label} loss", "World loss"], "end"]
    assert group == pytest.approx(result.group_summary()["cumulative_lost_usd_bn"], abs=1e-9)
    assert world == pytest.approx(summary.loc["World", "cumulative_lost_usd_bn"], abs=1e-9)
    steps = s[s.kind != "total"]
    np.testing.assert_allclose(steps.end - steps.start, steps.value)
    # each lever starts where the one before ended; the leakage starts at the group's total
    assert s.start.iloc[1] == s.end.iloc[0] and s.start.iloc[2] == s.end.iloc[1]
    assert s.start.iloc[4] == pytest.approx(group)
