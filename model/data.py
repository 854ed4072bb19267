"""Loading the curated tables shipped with the package (the only I/O of the model package).

The tables live in ``model/tables/`` (package data, loaded through :mod:`importlib.resources`,
so an installed wheel carries them); the curation scripts and the description of every table
with its source, licence and vintage are in the project's ``data/`` folder (``data/README.md``).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pandas as pd


def table_path(name: str):
    """A shipped table or asset as an :mod:`importlib.resources` traversable (``tables/<name>``)."""
    return resources.files(__package__).joinpath("tables", name)


def asset_text(name: str) -> str:
    """The text of a shipped asset (``assets/<name>``, e.g. the world map's topojson)."""
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")

#: Region groups, in display order. Countries are the unit of computation; regions and
#: the World are sums of countries.
REGIONS: tuple[str, ...] = (
    "EU27",
    "United States",
    "China",
    "United Kingdom",
    "Japan",
    "India",
    "Other advanced economies",
    "Other emerging and developing economies",
)
#: IMF country groups (advanced, emerging market, low-income developing), the ``imf_group`` column.
IMF_GROUPS: tuple[str, ...] = ("AE", "EM", "LIC")
BASE_YEAR = 2023
GROWTH_YEARS = tuple(range(2024, 2031))
#: Short statement of the data vintages, carried in every export.
DATA_VINTAGE = (
    "WDI GDP 2024-09-19; WDI population 2026-03; IMF WEO Apr2025 (growth), Oct2024 (groups); "
    "IMF AIPI 2023; WB CLASS FY2025"
)


@lru_cache(maxsize=1)
def load_countries() -> pd.DataFrame:
    """The curated country table ``model/tables/countries.csv`` (one row per economy).

    Columns include ``iso3``, ``name``, ``region``, ``eu27``, ``imf_group`` (AE/EM/LIC),
    ``gdp_2023_usd_bn`` (current US$ bn, World Bank WDI), ``population_2023``, ``aipi``
    (IMF AI Preparedness Index, 0-1), ``growth_<year>_pct`` (IMF WEO real growth) and a
    ``*_source`` column per filled field. The frame is cached: do not modify it.
    """
    df = pd.read_csv(table_path("countries.csv"), keep_default_na=False, na_values=[""])
    unknown = set(df.region) - set(REGIONS)
    if unknown:
        raise ValueError(f"model/tables/countries.csv has unknown regions {sorted(unknown)}")
    return df


@lru_cache(maxsize=1)
def load_wdi_aggregates() -> pd.DataFrame:
    """World Bank WDI's own 2023 aggregates (World, European Union), for comparison."""
    return pd.read_csv(table_path("wdi_aggregates_2023.csv")).set_index("code")
