"""Docs generated from the declarations are up to date."""

from pathlib import Path

from model.docs import parameters_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_parameters_md_is_current():
    assert (ROOT / "docs" / "parameters.md").read_text() == parameters_markdown(), \
        "docs/parameters.md is stale: run `python -m model docs`"


def test_model_md_names_every_parameter():
    from model import PARAMETERS

    text = (ROOT / "docs" / "model.md").read_text()
    missing = [k for k in PARAMETERS if k not in text and not k.startswith("lag_") and not k.startswith("exposure_")]
    assert not missing, missing
