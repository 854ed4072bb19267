"""The CLI as users and scripts call it."""

import io
import json

import pandas as pd
import pytest

from conftest import cli


def test_params_lists_every_parameter():
    from model import PARAMETERS

    out = cli("params", check=True).stdout
    for key in PARAMETERS:
        assert key in out
    recs = json.loads(cli("params", "--json", check=True).stdout)
    assert [r["key"] for r in recs] == list(PARAMETERS)


def test_presets_lists_name_description_source():
    out = cli("presets", check=True).stdout
    for name in ["jpmorgan-low", "jpmorgan-high", "goldman-sachs-2023", "mckinsey-2023", "acemoglu-2024",
                 "eu-llama-multimodal", "eu-apple-intelligence-delay", "eu-meta-ai-delay", "italy-chatgpt-ban"]:
        assert name in out
    assert "source:" in out and "judgement" in out


def test_must_show_summary_json():
    out = json.loads(cli("summary", "--preset", "jpmorgan-high", "--json", check=True).stdout)
    recs = out["summary"]
    world = next(r for r in recs if r["region"] == "World")
    keys = {"region", "gdp_base_usd_bn", "potential_gain_usd_bn", "gain_end_year_usd_bn", "gain_end_year_pct",
            "cumulative_gain_usd_bn", "cumulative_lost_usd_bn", "npv_gain_usd_bn"}
    assert keys <= set(world)
    assert world["potential_gain_usd_bn"] == pytest.approx(10000, abs=1e-6)
    assert world["gdp_base_usd_bn"] == pytest.approx(105435, rel=0.005)
    assert {r["region"] for r in recs} >= {"World", "EU27", "United States", "China"}

    out = json.loads(cli("summary", "--preset", "jpmorgan-high", "--preset", "eu-llama-multimodal",
                         "--json", check=True).stdout)
    recs = out["summary"]
    assert out["group"] == "EU27"
    assert [e["event_id"] for e in out["event_losses"]] == ["meta-multimodal-llama-eu-withheld-2024",
                                                            "meta-llama4-eu-exclusion-2025"]
    eu = next(r for r in recs if r["region"] == "EU27")
    assert eu["cumulative_lost_usd_bn"] > 0


def test_run_tidy_csv_to_stdout():
    out = cli("run", "--preset", "jpmorgan-low", check=True).stdout
    df = pd.read_csv(io.StringIO(out))
    assert list(df.columns) == ["scenario", "region", "year", "variable", "unit", "value"]
    assert {"gdp_baseline", "ai_gain_open", "ai_gain", "ai_gain_lost", "ai_gain_pct_gdp"} <= set(df.variable)
    assert set(df[df.variable == "ai_gain"].unit) == {"billion USD_2023"}
    assert df.year.min() == 2023 and df.year.max() == 2040
    assert "World" in set(df.region) and "EU27" in set(df.region)


def test_run_countries_detail_has_iso3(tmp_path):
    out = tmp_path / "c.csv"
    cli("run", "--detail", "countries", "--set", "end_year=2030", "--out", str(out), check=True)
    df = pd.read_csv(out)
    assert {"DEU", "USA", "CHN", "World", "EU27"} <= set(df.region)
    assert df.year.max() == 2030


def test_scenario_round_trip(tmp_path):
    args = ["--preset", "jpmorgan-high", "--preset", "eu-meta-ai-delay", "--set", "leakage_pct=20"]
    text = cli("scenario", *args, check=True).stdout
    f = tmp_path / "s.json"
    f.write_text(text)
    assert json.loads(text)["parameters"]["leakage_pct"] == 20
    a = cli("run", *args, "--detail", "countries", check=True).stdout
    b = cli("run", "--scenario", str(f), "--detail", "countries", check=True).stdout
    assert a == b
    # and re-printing the scenario from the file gives the same JSON
    assert cli("scenario", "--scenario", str(f), check=True).stdout == text


def test_iamc_csv_with_sidecar_reads_in_pyam(tmp_path):
    pyam = pytest.importorskip("pyam")
    out = tmp_path / "r.csv"
    cli("run", "--preset", "jpmorgan-high", "--preset", "eu-llama-multimodal", "--format", "iamc",
        "--out", str(out), check=True)
    df = pd.read_csv(out)
    assert list(df.columns[:5]) == ["Model", "Scenario", "Region", "Variable", "Unit"]
    idf = pyam.IamDataFrame(out)
    meta = tmp_path / "r_meta.csv"
    assert meta.exists()
    idf.load_meta(meta)
    assert "model_version" in idf.meta.columns and "data_vintage" in idf.meta.columns
    assert idf.meta["headline_usd_bn"].iloc[0] == 10000
    eu = idf.filter(region="EU27", variable="AI Gain|Lost").timeseries()
    assert eu.sum(axis=1).iloc[0] > 0


def test_xlsx_reads_in_pyam_with_meta(tmp_path):
    pyam = pytest.importorskip("pyam")
    out = tmp_path / "r.xlsx"
    cli("run", "--preset", "jpmorgan-low", "--format", "xlsx", "--out", str(out), check=True)
    idf = pyam.IamDataFrame(out)
    assert "data_vintage" in idf.meta.columns
    assert idf.meta["headline_usd_bn"].iloc[0] == 7000
    world = idf.filter(region="World", variable="AI Gain|Scenario", year=2040).data.value.item()
    tidy = pd.read_excel(out, sheet_name="tidy")
    ref = tidy[(tidy.region == "World") & (tidy.variable == "ai_gain") & (tidy.year == 2040)].value.item()
    assert world == pytest.approx(ref)


BAD_INPUT = [
    ["run", "--preset", "nope"],
    ["run", "--set", "headline_usd_bn=99999"],
    ["run", "--set", "nonsense=1"],
    ["run", "--set", "end_year=abc"],
    ["run", "--set", "no_equals_sign"],
    ["run", "--detail", "planets"],
    ["run", "--format", "pdf"],
    ["run", "--format", "xlsx", "--set", "end_year=1900"],
    ["summary", "--set", "restricted_group=Atlantis"],
    ["scenario", "--set", "delay_indefinite=perhaps"],
    ["run", "--scenario", "/nonexistent/file.json"],
    ["frobnicate"],
    [],
]


@pytest.mark.parametrize("args", BAD_INPUT, ids=lambda a: " ".join(a) or "(none)")
def test_bad_input_exits_2_with_one_line_and_writes_nothing(args, tmp_path):
    out = tmp_path / "out.csv"
    extra = ["--out", str(out)] if args[:1] == ["run"] and "--out" not in args else []
    proc = cli(*args, *extra)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()


@pytest.mark.parametrize("content", ["{not json", json.dumps({"parameters": {"end_year": 3000}}),
                                     json.dumps({"parameters": {"warp_speed": 9}})])
def test_malformed_scenario_file(tmp_path, content):
    f = tmp_path / "bad.json"
    f.write_text(content)
    out = tmp_path / "out.csv"
    proc = cli("run", "--scenario", str(f), "--out", str(out))
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_unwritable_out_path():
    proc = cli("run", "--out", "/nonexistent-dir/x.csv")
    assert proc.returncode == 2 and "cannot write" in proc.stderr


def test_xlsx_needs_out():
    proc = cli("run", "--format", "xlsx")
    assert proc.returncode == 2 and proc.stdout == "" and "needs --out" in proc.stderr
