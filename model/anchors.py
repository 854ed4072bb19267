"""Reporting aggregates beyond the regions, and the economies a headline can be anchored to.

The **Euro area** (20 members in FY2025, ``model/tables/euro_area.csv``, built by
``data/build_euro_area.py`` from the World Bank CLASS FY2025 memberships) is a reporting
aggregate: an output row beside the regions, and an anchor for Goldman Sachs' euro-area figures.
A headline anchored to an economy (``headline_anchor``) is stated for that economy; the World
then follows through the allocation weights and adoption lags (``docs/model.md``, section 2b).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from .data import REGIONS, table_path

#: Reporting aggregates that are not regions (output rows after the regions), in display order.
REPORTING_AGGREGATES: tuple[str, ...] = ("Euro area",)
#: Every economy a headline can be anchored to.
ANCHORS: tuple[str, ...] = ("World", *REGIONS, *REPORTING_AGGREGATES)


@lru_cache(maxsize=1)
def load_euro_area() -> pd.DataFrame:
    """The euro-area members (``iso3``, ``name``), ``model/tables/euro_area.csv``."""
    return pd.read_csv(table_path("euro_area.csv"))


def aggregate_mask(name: str, iso3: np.ndarray, region: np.ndarray) -> np.ndarray:
    """Boolean mask over countries of 'World', a region or a reporting aggregate."""
    iso3 = np.asarray(iso3)
    if name == "World":
        return np.ones(len(iso3), dtype=bool)
    if name in REGIONS:
        return np.asarray(region) == name
    if name == "Euro area":
        return np.isin(iso3, load_euro_area().iso3.to_numpy())
    raise ValueError(f"unknown aggregate {name!r}; allowed {', '.join(ANCHORS)}")


def reporting_rows(params) -> tuple[str, ...]:
    """The reporting aggregates a run shows as rows: the Euro area when it is the headline's anchor or
    ``report_euro_area`` is set (a preset with euro-area figures sets it)."""
    on = getattr(params, "report_euro_area", False) or getattr(params, "headline_anchor", "World") == "Euro area"
    return ("Euro area",) if on else ()
