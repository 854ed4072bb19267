"""Build ``model/tables/euro_area.csv``: the euro-area members (20 in FY2025), a reporting aggregate.

Source: ``../shared/reference/memberships_eu27_oecd_euro_fy2025.csv`` (column ``euro_area``).
Run from the project root: ``.venv/bin/python data/build_euro_area.py``.
"""

from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT.parent / "shared" / "reference" / "memberships_eu27_oecd_euro_fy2025.csv"
OUT = ROOT / "model" / "tables" / "euro_area.csv"


def build() -> pd.DataFrame:
    ref = pd.read_csv(SRC)
    countries = pd.read_csv(ROOT / "model" / "tables" / "countries.csv", usecols=["iso3"])
    ea = ref[ref.euro_area == 1][["iso3", "name"]].sort_values("iso3").reset_index(drop=True)
    missing = set(ea.iso3) - set(countries.iso3)
    if missing:
        raise SystemExit(f"euro-area members missing from countries.csv: {sorted(missing)}")
    return ea


if __name__ == "__main__":
    df = build()
    df.to_csv(OUT, index=False, lineterminator="\n")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(df)} members")
