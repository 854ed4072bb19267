"""Exports of one or several results: tidy CSV, IAMC CSV (+ metadata sidecar), Excel.

Every file is written atomically (:func:`model.safeio.atomic_write_many`: completely or not at
all, an IAMC CSV and its sidecar together); text cells are neutralised against formula
injection (OWASP: a leading ``= + - @``, tab or CR gets a ``'``), and Excel text is written as
strings, never formulas. Variable names, units and IAMC names come from :mod:`model.outputs`.
"""

from __future__ import annotations

import io as _io
from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from . import __version__
from .data import DATA_VINTAGE
from .outputs import VARIABLES
from .parameters import PARAMETERS
from .safeio import atomic_write, atomic_write_many, neutralise_frame, write_excel_safely

MODEL_NAME = f"genai-impact {__version__}"
IAMC_INDEX = ["Model", "Scenario", "Region", "Variable", "Unit"]
FLOAT_FORMAT = "%.6f"


def meta(results: Sequence) -> pd.DataFrame:
    """One row of metadata per result: inputs, restrictions, model version, data vintage (pyam ``meta``)."""
    rows = []
    for r in results:
        row: dict[str, Any] = {"model": MODEL_NAME, "scenario": r.name, "model_version": __version__,
                               "data_vintage": DATA_VINTAGE, "presets": " + ".join(r.scenario.presets),
                               "restrictions": " | ".join(x.label for x in r.scenario.restrictions),
                               "event_ids": " ".join(x.event_id for x in r.scenario.restrictions if x.event_id)}
        row.update(r.scenario.values)
        rows.append(row)
    return pd.DataFrame(rows)


def iamc_frame(results: Sequence, detail: str = "regions") -> pd.DataFrame:
    """IAMC wide frame: ``Model, Scenario, Region, Variable, Unit`` then one column per year."""
    frames = []
    for r in results:
        wide = r.to_wide(detail).reset_index()
        wide.insert(0, "Model", MODEL_NAME)
        wide = wide.rename(columns={"scenario": "Scenario", "region": "Region", "unit": "Unit"})
        wide["Variable"] = wide.pop("variable").map({k: v.iamc for k, v in VARIABLES.items()})
        frames.append(wide[IAMC_INDEX + list(r.years)])
    return pd.concat(frames, ignore_index=True)


def tidy_frame(results: Sequence, detail: str = "regions") -> pd.DataFrame:
    """The tidy frames of the results, concatenated."""
    return pd.concat([r.to_frame(detail) for r in results], ignore_index=True)


def csv_text(df: pd.DataFrame) -> str:
    """CSV text of a frame: text cells neutralised against formula injection, numbers to six
    decimals with rounding noise printed as 0 (never ``-0.000000``)."""
    out = neutralise_frame(df)
    for i in range(out.shape[1]):
        if out.iloc[:, i].dtype.kind == "f":
            out.isetitem(i, out.iloc[:, i].round(6) + 0.0)
    return out.to_csv(index=False, float_format=FLOAT_FORMAT, lineterminator="\n")


_csv = csv_text


def meta_sidecar(path: str | Path) -> Path:
    """Where the metadata sidecar of an IAMC CSV goes: ``<stem>_meta.csv`` beside it."""
    path = Path(path)
    return path.with_name(path.stem + "_meta.csv")


def write_csv(results: Sequence, path=None, detail: str = "regions", format: str = "csv"):
    """Tidy (``format="csv"``) or IAMC (``"iamc"``) CSV; the text when ``path`` is None.

    With a path and the IAMC format a sidecar ``<stem>_meta.csv`` carries the inputs, model
    version and data vintage; both files are written together or not at all.
    """
    if format == "csv":
        text = _csv(tidy_frame(results, detail))
    elif format == "iamc":
        text = _csv(iamc_frame(results, detail))
    else:
        raise ValueError(f"format={format!r}: allowed 'csv' or 'iamc'")
    if path is None:
        return text
    files = {path: text.encode("utf-8")}
    if format == "iamc":
        files[meta_sidecar(path)] = _csv(meta(results)).encode("utf-8")
    atomic_write_many(files)
    return None


def excel_bytes(results: Sequence, detail: str = "regions") -> bytes:
    """An Excel workbook: ``data`` (IAMC wide), ``meta`` (inputs, version, vintage), ``tidy``,
    ``events`` (each restriction's cumulative cost to the group)."""
    events = pd.concat([r.event_losses(cumulative=True) for r in results], ignore_index=True)
    return write_excel_safely({"data": iamc_frame(results, detail), "meta": meta(results),
                               "tidy": tidy_frame(results, detail), "events": events}, neutralise=True)


def write_excel(results: Sequence, path, detail: str = "regions") -> None:
    """Write :func:`excel_bytes` to a path (atomically) or a binary buffer."""
    data = excel_bytes(results, detail)
    if isinstance(path, _io.IOBase):
        path.write(data)
    else:
        atomic_write(path, data)


def parameter_table() -> pd.DataFrame:
    """Every declared parameter with label, unit, default, range and source."""
    return pd.DataFrame([
        {"key": s.key, "label": s.label, "group": s.group, "unit": s.unit, "default": str(s.default),
         "min": s.min, "max": s.max, "step": s.step, "choices": ", ".join(s.choices),
         "judgement": s.judgement, "help": s.help, "source": s.source}
        for s in PARAMETERS.values()
    ])
