"""Sums of countries: the World, the regions, the restricted group and (optionally) each country.

Every consumer (the result's tidy views and summaries, the Monte Carlo, the figures) sums
country arrays through one :class:`Aggregation`, so what "the group" means and how it is
labelled is written once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import REGIONS

GROUP_PREFIX = "Restricted group: "


def group_label(group: str) -> str:
    """The restricted group as shown to users: 'EU27', or 'ITA', 'DEU, FRA'."""
    return group if group in REGIONS else group.replace(",", ", ")


@dataclass(frozen=True)
class Aggregation:
    """Rows of labels, each a 0/1 weight over countries.

    ``labels`` are 'World', the regions, any reporting aggregates asked for (``extra``: the Euro area), then (when the restricted group is not itself a
    region) 'Restricted group: <codes>', then, at country detail, each ISO3 code.
    ``group_row`` is the row of the restricted group (a region's row when it is a region).
    """

    labels: tuple[str, ...]
    matrix: np.ndarray  # (R, n) float
    group_row: int
    group_label: str

    @classmethod
    def build(cls, iso3: np.ndarray, region: np.ndarray, group: str, group_mask: np.ndarray,
              detail: str = "regions", extra: tuple[str, ...] = ()) -> "Aggregation":
        """The aggregation of a country table for a restricted group, at ``detail`` 'regions' or 'countries'.

        ``extra``: reporting aggregates (:data:`model.anchors.REPORTING_AGGREGATES`, e.g. 'Euro area')
        added as rows after the regions."""
        if detail not in ("regions", "countries"):
            raise ValueError(f"detail={detail!r}: allowed 'regions' or 'countries'")
        n = len(iso3)
        from .anchors import aggregate_mask

        labels = ["World", *REGIONS, *extra]
        rows = [np.ones((1, n)), np.stack([(region == r) for r in REGIONS]).astype(float)]
        rows += [aggregate_mask(r, iso3, region).astype(float)[None, :] for r in extra]
        if group in REGIONS:
            group_row = 1 + REGIONS.index(group)
        else:
            group_row = len(labels)
            labels.append(GROUP_PREFIX + group_label(group))
            rows.append(group_mask.astype(float)[None, :])
        if detail == "countries":
            labels += list(iso3)
            rows.append(np.eye(n))
        return cls(tuple(labels), np.vstack(rows), group_row, group_label(group))

    def sum(self, x: np.ndarray, index: np.ndarray | None = None) -> np.ndarray:
        """Sum a country-by-year array ``(..., n, T)`` to ``(..., R, T)``.

        With ``index`` (``(m,)`` country positions), ``x`` is ``(..., m, T)``: the values of
        those countries only (zero elsewhere).
        """
        m = self.matrix if index is None else self.matrix[:, index]
        return np.matmul(m.astype(x.dtype, copy=False), x)

    def sum_static(self, x: np.ndarray) -> np.ndarray:
        """Sum a per-country array ``(..., n)`` to ``(..., R)``."""
        return np.asarray(x) @ self.matrix.T.astype(np.asarray(x).dtype, copy=False)

    def row(self, label: str) -> int:
        """Position of a label ('Restricted group' means the group's row)."""
        if label == "Restricted group":
            return self.group_row
        return self.labels.index(label)
