"""The example notebooks: their jupytext sources run top to bottom, the committed .ipynb files are built
from those sources, and the figures the notebooks compute agree with the model's API.

The sources are ``notebooks/*.py`` (jupytext "percent" format); ``make notebooks`` rebuilds the paired,
unexecuted ``.ipynb`` files from them.
"""

import json
from pathlib import Path

import jupytext
import nbformat
import pytest

import model
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NAMES = ["01-quickstart", "02-eu-access-restrictions", "03-published-estimates"]
PROBE_MARK = "__PROBE__"

# A last cell appended (in memory only) to each notebook: it prints, as JSON, the figures the notebook computed,
# read from the notebook's own variables, so the tests below can check them against the model's API.
PROBES = {
    "01-quickstart": """{
        "eu": {k: float(eu[k]) for k in ["potential_gain_usd_bn", "potential_gain_pct_gdp", "gain_end_year_usd_bn",
                                         "cumulative_lost_usd_bn"]},
        "decomposition_group_total": float(result.decomposition()["group"].sum()),
    }""",
    "02-eu-access-restrictions": """{
        "table": table[["headline", "restriction", "cumulative_lost_usd_bn", "lost_2040_usd_bn"]].to_dict("records"),
        "decomposition": {"group": float(d["group"].sum()), "World": float(d["World"].sum())},
        "grid": {f"{dl}|{s}": float(grid.loc[dl, s]) for dl in [0.25, 1.5, 8.0] for s in [0, 50, 100]},
        "target": float(target),
        "break_even": float(break_even),
    }""",
    "03-published-estimates": """{
        "table": table[["preset", "figure", "published", "model", "claimed", "tolerance"]].to_dict("records"),
        "timing": pd.DataFrame(rows).set_index("preset")["share_of_potential_reached_2033_pct"].to_dict(),
        "ea": float(ea),
    }""",
}


def source(name):
    return NOTEBOOK_DIR / f"{name}.py"


def cells(nb):
    return [(c.cell_type, c.source) for c in nb.cells]


_RUNS = {}


def executed(name):
    """Convert the .py source in memory, append the probe cell, execute; once per notebook per session.

    A cell that raises makes nbclient raise CellExecutionError (naming the cell), which fails the test."""
    if name not in _RUNS:
        try:
            nb = jupytext.read(source(name))
            nb.cells.append(nbformat.v4.new_code_cell(
                f"import json as _json\nprint({PROBE_MARK!r} + _json.dumps({PROBES[name]}, default=float))"))
            NotebookClient(nb, timeout=600, kernel_name="python3",
                           resources={"metadata": {"path": str(ROOT)}}).execute()
            _RUNS[name] = nb
        except Exception as exc:  # keep the failure: the other tests of this notebook re-raise it, not re-run it
            _RUNS[name] = exc
    run = _RUNS[name]
    if isinstance(run, Exception):
        raise run
    return run


def probe(name):
    out = "".join(o.get("text", "") for o in executed(name).cells[-1].outputs if o.output_type == "stream")
    return json.loads(out.split(PROBE_MARK, 1)[1])


def markdown_outputs(name):
    return "\n".join(o["data"]["text/markdown"] for c in executed(name).cells if c.cell_type == "code"
                     for o in c.outputs if o.output_type == "execute_result" and "text/markdown" in o.get("data", {}))


def summary(presets, overrides=None):
    import model  # here, not at the top: the file checks above do not need the model to import

    return model.run(model.Scenario.build(presets, overrides or {})).summary()


# ---- the files -------------------------------------------------------------------------------------------------

def test_each_notebook_has_a_source_and_a_built_notebook():
    assert sorted(p.stem for p in NOTEBOOK_DIR.glob("*.py")) == NAMES
    assert sorted(p.stem for p in NOTEBOOK_DIR.glob("*.ipynb")) == NAMES
    assert not (NOTEBOOK_DIR / "make_notebooks.py").exists()


@pytest.mark.parametrize("name", NAMES)
def test_source_is_jupytext_percent_paired_with_ipynb(name):
    text = source(name).read_text()
    assert "format_name: percent" in text and "formats: ipynb,py:percent" in text
    assert "# %% [markdown]" in text


@pytest.mark.parametrize("name", NAMES)
def test_committed_ipynb_is_up_to_date_with_its_source(name):
    built = jupytext.read(source(name))
    committed = nbformat.read(NOTEBOOK_DIR / f"{name}.ipynb", as_version=4)
    assert cells(committed) == cells(built), f"notebooks/{name}.ipynb is out of date: run `make notebooks`"
    assert committed.metadata.get("kernelspec") == built.metadata.get("kernelspec")


@pytest.mark.parametrize("name", NAMES)
def test_committed_ipynb_has_no_outputs(name):
    nb = json.loads((NOTEBOOK_DIR / f"{name}.ipynb").read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


# ---- they run ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_notebook_executes(name):
    executed(name)  # raises (and so fails) on the first cell that raises


# ---- their figures agree with the model's API --------------------------------------------------------------------

def test_quickstart_figures():
    p = probe("01-quickstart")
    eu = summary(["jpmorgan-high", "eu-llama-multimodal"], {"substitution_pct": 60, "end_year": 2045}).loc["EU27"]
    for key, value in p["eu"].items():
        assert value == pytest.approx(eu[key], rel=1e-9), key
    assert eu.cumulative_lost_usd_bn > 0
    assert p["decomposition_group_total"] == pytest.approx(eu.cumulative_lost_usd_bn, rel=1e-9)
    prose = markdown_outputs("01-quickstart")
    for figure in (eu.potential_gain_usd_bn, eu.gain_end_year_usd_bn, eu.cumulative_lost_usd_bn):
        assert f"**{figure:,.0f} bn**" in prose


def test_eu_restrictions_table_and_prose():
    p = probe("02-eu-access-restrictions")
    table = p["table"]
    assert len(table) == 15
    for row in table:
        eu = summary([row["headline"], row["restriction"]]).loc["EU27"]
        assert row["cumulative_lost_usd_bn"] == pytest.approx(eu.cumulative_lost_usd_bn, rel=1e-9), row
        assert row["lost_2040_usd_bn"] == pytest.approx(eu.lost_end_year_usd_bn, rel=1e-9), row
        assert eu.cumulative_lost_usd_bn > 0
    lowest = min(r["cumulative_lost_usd_bn"] for r in table)
    highest = max(r["cumulative_lost_usd_bn"] for r in table)
    assert lowest < highest
    prose = markdown_outputs("02-eu-access-restrictions")
    assert f"**{lowest:,.1f} bn**" in prose and f"**{highest:,.1f} bn**" in prose


def test_eu_restrictions_decomposition_and_grid():
    import model

    p = probe("02-eu-access-restrictions")
    scenario = model.Scenario.build(["jpmorgan-high", "eu-llama-multimodal"],
                                    {"compliance_drag_pct": 1, "leakage_pct": 20})
    result = model.run(scenario)
    s, d = result.summary(), result.decomposition()
    assert p["decomposition"]["group"] == pytest.approx(s.loc["EU27", "cumulative_lost_usd_bn"], rel=1e-9)
    assert p["decomposition"]["World"] == pytest.approx(s.loc["World", "cumulative_lost_usd_bn"], rel=1e-9)
    assert p["decomposition"]["group"] == pytest.approx(float(d["group"].sum()), rel=1e-9)
    # leakage moves part of the EU27's loss to other economies: the World loses less than the EU27
    assert p["decomposition"]["World"] < p["decomposition"]["group"]
    for key, value in p["grid"].items():
        delay, subs = key.split("|")
        expected = summary(["jpmorgan-high", "eu-meta-ai-delay"],
                           {"restricted_share_pct": 5, "delay_years": float(delay), "substitution_pct": float(subs)})
        assert value == pytest.approx(expected.loc["EU27", "cumulative_lost_usd_bn"], rel=1e-9), key


def test_eu_restrictions_break_even():
    p = probe("02-eu-access-restrictions")

    def loss(**kw):
        return summary(["jpmorgan-high"], {"restricted_share_pct": 5, **kw}).loc["EU27", "cumulative_lost_usd_bn"]

    target = loss(delay_years=1.5, substitution_pct=0.0)
    assert p["target"] == pytest.approx(target, rel=1e-9)
    be = p["break_even"]
    assert 0 < be < 100
    # the break-even is where the permanent carve-out's loss crosses the delay's loss
    assert loss(delay_indefinite=True, substitution_pct=be) == pytest.approx(target, rel=1e-3)
    assert loss(delay_indefinite=True, substitution_pct=max(be - 1, 0)) > target
    assert loss(delay_indefinite=True, substitution_pct=min(be + 1, 100)) < target
    assert f"**{be:.1f}%**" in markdown_outputs("02-eu-access-restrictions")


def test_published_estimates_reproduced():
    from model.published import comparison

    p = probe("03-published-estimates")
    ref = comparison()
    assert len(p["table"]) == len(ref)
    for row, (_, want) in zip(p["table"], ref.iterrows()):
        assert (row["preset"], row["figure"]) == (want.preset, want.figure)
        assert row["model"] == pytest.approx(want.model, rel=1e-9, abs=1e-12)
        if row["claimed"]:  # no claimed figure outside its tolerance
            assert abs(row["model"] - row["published"]) <= row["tolerance"] + 1e-12, row
    us = summary(["jpmorgan-high"]).loc["World", "potential_gain_usd_bn"]
    assert next(r for r in p["table"] if r["preset"] == "jpmorgan-high")["model"] == pytest.approx(us, rel=1e-9)
    ea = model.run(model.Scenario.build(["goldman-sachs-2023-timing"])).series("ai_growth_boost_pp", "Euro area")
    assert p["ea"] == pytest.approx(ea.loc[2034], rel=1e-9)
    assert f"**{ea.loc[2034]:.2f} pp**" in markdown_outputs("03-published-estimates")
    assert set(p["timing"]) == {"jpmorgan-low", "goldman-sachs-2023", "mckinsey-2023", "acemoglu-2024", "pwbm-2025"}
    assert all(0 < share <= 100 for share in p["timing"].values())

