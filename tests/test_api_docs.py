"""docs/api.md stays true: its examples run; docstring examples run; every public name is documented."""

import doctest
import inspect
import re
from pathlib import Path

import pytest

import model
from model import (aggregation, api, core, engine, figures, io, narrative, outputs, parameters, report, result,
                   uncertainty, vega)

ROOT = Path(__file__).resolve().parents[1]


def test_api_md_examples_run():
    text = (ROOT / "docs" / "api.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 15
    ns: dict = {}
    for i, block in enumerate(blocks):
        try:
            exec(compile(block, f"docs/api.md block {i + 1}", "exec"), ns)
        except Exception as exc:  # pragma: no cover - the message is the point
            raise AssertionError(f"docs/api.md block {i + 1} failed: {exc!r}\n{block}") from exc


@pytest.mark.parametrize("module", [api, parameters], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    res = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.attempted > 0 and res.failed == 0


PUBLIC_MODULES = [model, core, engine, aggregation, api, parameters, outputs, result, io, narrative, figures,
                  vega, uncertainty, report]


def public_members():
    for mod in PUBLIC_MODULES:
        names = getattr(mod, "__all__", None) or [n for n in vars(mod) if not n.startswith("_")]
        for name in names:
            obj = getattr(mod, name)
            home = mod.__name__ if mod is not model else "model."
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__.startswith(home):
                yield f"{mod.__name__}.{name}", obj
                if inspect.isclass(obj):
                    for mname, m in vars(obj).items():
                        if not mname.startswith("_") and (inspect.isfunction(m) or isinstance(m, (property, classmethod))):
                            yield f"{mod.__name__}.{name}.{mname}", m


def test_every_public_function_and_class_has_a_docstring():
    missing = sorted({n for n, o in public_members()
                      if not (getattr(o, "__doc__", None) or getattr(getattr(o, "__func__", None), "__doc__", None)
                              or getattr(getattr(o, "fget", None), "__doc__", None))})
    assert not missing, missing


def test_api_md_mentions_the_public_api():
    text = (ROOT / "docs" / "api.md").read_text()
    for name in ["Scenario.build", "run(", "compare(", "summary(", "decomposition(", "to_iamc(", "to_excel(",
                 "monte_carlo(", "sensitivity(", "report_html(", "PARAMETERS", "PRESETS", "ScenarioError", "vega.SPECS"]:
        assert name in text, name
