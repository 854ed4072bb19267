"""The HTML report: self-contained, carries the scenario, version and data vintage."""

import html
import re

import model
from conftest import cli
from model.data import DATA_VINTAGE
from model.report import report_html, scenario_from_report


def test_report_is_self_contained_and_complete(tmp_path):
    out = tmp_path / "r.html"
    cli("report", "--preset", "jpmorgan-high", "--preset", "eu-llama-multimodal", "--draws", "300",
        "--out", str(out), check=True)
    text = out.read_text()
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']https?:", text)  # nothing loaded from the web
    assert "window.PlotlyGeoAssets" in text and '"world_110m"' in text
    r = model.run(model.Scenario.build(["jpmorgan-high", "eu-llama-multimodal"]))
    assert html.escape(r.headline()) in text
    assert model.__version__ in text and DATA_VINTAGE in text
    for spec in model.PARAMETERS.values():
        assert spec.key in text
    assert "Llama 3.2 acceptable-use policy" in text  # the preset's source
    assert text.count('class="plotly-graph-div"') == 8
    assert scenario_from_report(text).values == r.scenario.values


def test_report_without_uncertainty():
    r = model.run(model.Scenario.build(["acemoglu-2024"]))
    text = report_html(r, draws=0)
    assert "Uncertainty" not in text and text.count('class="plotly-graph-div"') == 5


def test_report_bad_input():
    proc = cli("report", "--preset", "nope", "--out", "/tmp/never.html")
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
