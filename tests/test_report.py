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
    assert text.count('class="plotly-graph-div"') == 12  # 6 charts, 3 of uncertainty, 3 beside the observations
    assert scenario_from_report(text).values == r.scenario.values


def test_report_without_uncertainty():
    r = model.run(model.Scenario.build(["acemoglu-2024"]))
    text = report_html(r, draws=0)
    assert "Uncertainty" not in text and text.count('class="plotly-graph-div"') == 9


def test_report_bad_input():
    proc = cli("report", "--preset", "nope", "--out", "/tmp/never.html")
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1


def test_report_shows_the_model_beside_the_observations():
    """Observed usage beside the modelled paths, the usage and exposure maps, the allocation beside
    published splits and every economy's lag and exposure (EU members bold and first)."""
    from model.observations import PUBLISHED_SPLITS

    s = model.Scenario.build(["jpmorgan-high"], {"usage_source": "eurostat-enterprise"})
    text = report_html(model.run(s), draws=0)
    for div in ("chart-usage", "chart-map-usage", "chart-map-exposure"):
        assert f'id="{div}"' in text
    assert "EU members are placed by Eurostat enterprise AI use" in text
    for label, *_ in PUBLISHED_SPLITS:
        assert html.escape(label) in text
    table = text[text.index("<table class='sortable'>"):]
    table = table[:table.index("</table>")]
    rows = re.findall(r"<tr( class='eu')?>(.*?)</tr>", table[table.index("<tbody>"):])
    assert len(rows) == len(model.load_countries())
    assert [bool(cls) for cls, _ in rows] == [True] * 27 + [False] * (len(rows) - 27)  # EU first, in bold
    assert "enterprise" in rows[0][1] and "Enterprises using AI, 2025" in table
    legacy = report_html(model.run(s.with_values(adoption_calibration="region-lags")), draws=0)
    assert "the usage and lags shown are not used" in legacy
