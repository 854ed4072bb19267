r"""Calibration of country adoption lags on observed generative-AI usage (pure functions).

Usage of generative AI in economy :math:`i` is taken to follow a logistic in time with a
speed :math:`k_u` common to all economies and an economy-specific position,

.. math::
    \operatorname{logit} u_i(t) = \ln\frac{u_i(t)}{1-u_i(t)} = k_u\,(t - m_i),

so that two economies differ by a shift in time: economy :math:`i` reaches any usage level
:math:`\Delta_i = m_i - m_{\mathrm{ref}}` years after the reference economy, and at any date
:math:`t^*` that shift is read from the two observations,
:math:`\Delta_i = (\operatorname{logit} u_{\mathrm{ref}}(t^*) - \operatorname{logit} u_i(t^*))/k_u`.
The economic-adoption lag is that usage lag times a weight :math:`w` (how much of a usage gap
becomes a gap in economic adoption; a judgement). Economies without an observation take the
median lag of their group.

The functions here take and return numpy arrays (and, for :func:`observed_lags`, pandas
frames); they do no I/O. The observations are in :mod:`model.observations`.

References
----------
.. [1] Microsoft AI Economy Institute, "AI Diffusion Report", H1 2025, H2 2025 and Q1 2026
   (github.com/microsoft/ai-diffusion-report); S. Misra et al., "Measuring AI Diffusion: A
   Population-Normalized Metric for Tracking Global AI Usage", arXiv:2511.02781 (2025).
.. [2] Z. Griliches, "Hybrid Corn: An Exploration in the Economics of Technological Change",
   Econometrica 25(4), 501-522 (1957): logistic diffusion estimated as a straight line in
   logit space.
.. [3] J. M. Wooldridge, "Econometric Analysis of Cross Section and Panel Data", 2nd ed.,
   MIT Press (2010), ch. 10: the fixed-effects (within) estimator.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

#: Default fill groups of :func:`observed_lags`, finest first: World Bank region x income
#: group, then income group alone (then, if still empty, all observed economies).
DEFAULT_FILL_GROUPS: tuple[tuple[str, ...], ...] = (("wb_region", "wb_income_group"), ("wb_income_group",))


def logit(p):
    r"""Log-odds of a share.

    .. math:: \operatorname{logit}(p) = \ln p - \ln(1 - p)

    Parameters
    ----------
    p : float or array_like
        Share, dimensionless, strictly between 0 and 1 (e.g. 0.283 for 28.3 %). NaN is passed
        through (a missing observation).

    Returns
    -------
    float or ndarray
        Log-odds, dimensionless (same shape as ``p``).

    Raises
    ------
    ValueError
        If any non-NaN value is not strictly inside (0, 1); percentages (e.g. 28.3) are
        rejected rather than silently clipped.
    """
    x = np.asarray(p, dtype=float)
    bad = ~np.isnan(x) & ~((x > 0.0) & (x < 1.0))
    if bad.any():
        raise ValueError(f"logit needs shares strictly between 0 and 1, got {x[bad][:5].tolist()}")
    out = np.log(x) - np.log1p(-x)
    return out if out.ndim else float(out)


def fit_usage_speed(period_mid_years, usage_share) -> float:
    r"""Common usage speed :math:`k_u`, fitted in logit space with economy fixed effects.

    The model :math:`\operatorname{logit} u_{ip} = a_i + k_u\,t_p + \varepsilon_{ip}` (one
    intercept per economy, one slope for all) is fitted by pooled least squares. With the
    economy means :math:`\bar t_i, \bar y_i` over the periods observed for :math:`i` and
    :math:`y_{ip} = \operatorname{logit} u_{ip}`, the slope is the within estimator [3]_

    .. math::
        \hat k_u = \frac{\sum_i \sum_p (t_{ip} - \bar t_i)(y_{ip} - \bar y_i)}
                        {\sum_i \sum_p (t_{ip} - \bar t_i)^2}.

    It uses only changes over time within each economy, so the large level differences
    between economies do not enter the speed; every economy with at least two periods gets
    the same weight per unit of time variance. Missing observations (NaN) are skipped.

    Parameters
    ----------
    period_mid_years : array_like, (T,) or (n, T)
        Middle of each observation period, decimal years (e.g. 2025.25 for H1 2025).
    usage_share : array_like, (n, T) or (T,)
        Share of the population using generative AI in each period, strictly between 0 and 1
        (NaN where not observed). One row per economy.

    Returns
    -------
    float
        :math:`\hat k_u`, 1/year.

    Raises
    ------
    ValueError
        If the shapes do not match or no economy has two observations at distinct dates.

    References
    ----------
    .. [3] J. M. Wooldridge, Econometric Analysis of Cross Section and Panel Data (2010), ch. 10.
    """
    y = np.atleast_2d(np.asarray(usage_share, dtype=float))
    try:
        t = np.broadcast_to(np.asarray(period_mid_years, dtype=float), y.shape)
    except ValueError:
        raise ValueError(f"period_mid_years {np.shape(period_mid_years)} does not match "
                         f"usage_share {y.shape}") from None
    y = logit(y)
    ok = ~np.isnan(y) & ~np.isnan(t)
    n_ok = ok.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        t_bar = np.where(ok, t, 0.0).sum(axis=1, keepdims=True) / n_ok
        y_bar = np.where(ok, y, 0.0).sum(axis=1, keepdims=True) / n_ok
    dt = np.where(ok, t - t_bar, 0.0)
    dy = np.where(ok, y - y_bar, 0.0)
    sxx = float((dt * dt).sum())
    if not sxx > 0.0:
        raise ValueError("fit_usage_speed needs at least one economy observed at two distinct dates")
    return float((dt * dy).sum() / sxx)


def usage_lags(logit_u_ref, logit_u, k_u, weight=1.0):
    r"""Adoption lag of each economy behind the reference economy, from usage at one date.

    .. math::
        \Delta_i = w\,\frac{\operatorname{logit} u_{\mathrm{ref}}(t^*) - \operatorname{logit} u_i(t^*)}{k_u}

    Parameters
    ----------
    logit_u_ref : float
        Log-odds of the reference economy's usage share at the reference period :math:`t^*`.
    logit_u : array_like, (n,)
        Log-odds of each economy's usage share at the same period.
    k_u : float
        Usage speed, 1/year, > 0 (e.g. from :func:`fit_usage_speed`).
    weight : float
        :math:`w \ge 0`, dimensionless: the share of a usage gap that becomes a gap in
        economic adoption (judgement; 1 = the full usage gap).

    Returns
    -------
    ndarray, (n,)
        :math:`\Delta_i`, years. Positive = behind the reference; negative = ahead of it
        (higher usage than the reference); 0 for the reference itself.
    """
    if not (np.isfinite(k_u) and k_u > 0):
        raise ValueError(f"usage_lags needs a finite speed k_u > 0, got {k_u}")
    if not (np.isfinite(weight) and weight >= 0):
        raise ValueError(f"usage_lags needs a finite weight >= 0, got {weight}")
    return weight * (float(logit_u_ref) - np.asarray(logit_u, dtype=float)) / k_u


def _levels(groups, n: int) -> list[np.ndarray]:
    if isinstance(groups, np.ndarray) and groups.ndim == 1:
        levels = [groups]
    elif isinstance(groups, np.ndarray) and groups.ndim == 2:
        levels = list(groups)
    elif isinstance(groups, pd.Series):
        levels = [groups.to_numpy()]
    elif isinstance(groups, Sequence) and len(groups) and np.ndim(groups[0]) == 0:
        levels = [np.asarray(groups, dtype=object)]
    else:
        levels = [np.asarray(g.to_numpy() if isinstance(g, pd.Series) else g, dtype=object) for g in groups]
    for lev in levels:
        if len(lev) != n:
            raise ValueError(f"fill_missing_lags: a group array has {len(lev)} entries, lags have {n}")
    return levels


def fill_missing_lags(lags, has_obs, groups):
    r"""Give economies without an observation the median lag of their group.

    For an economy :math:`j` without observation and its group :math:`G(j)` (at the finest
    level where the group has observed members),

    .. math:: \Delta_j = \operatorname{median}\{\Delta_i : i \in G(j),\ i \text{ observed}\}.

    Parameters
    ----------
    lags : array_like, (n,)
        Lags in years; values where ``has_obs`` is False are ignored (may be NaN).
    has_obs : array_like of bool, (n,)
        True where the lag comes from an observation.
    groups : array_like (n,) of labels, or a sequence of such arrays
        Group label of each economy (e.g. ``"Europe & Central Asia | High income"``). A
        sequence gives levels from finest to broadest: an economy whose group is empty at one
        level (no observed member) takes the median at the next level, and the median of all
        observed economies if every level is empty.

    Returns
    -------
    filled : ndarray, (n,)
        Lags, years: the observed ones unchanged, the others filled.
    filled_flag : ndarray of bool, (n,)
        True where the lag was filled (``~has_obs``).
    """
    lags = np.asarray(lags, dtype=float).copy()
    obs = np.asarray(has_obs, dtype=bool)
    n = lags.shape[0]
    if obs.shape != (n,):
        raise ValueError(f"fill_missing_lags: has_obs has shape {obs.shape}, lags ({n},)")
    if not obs.any():
        raise ValueError("fill_missing_lags needs at least one observed lag")
    if not np.isfinite(lags[obs]).all():
        raise ValueError("fill_missing_lags: an observed lag is not finite")
    todo = ~obs
    for lev in _levels(groups, n):
        for label in pd.unique(lev[todo]):
            members = lev == label
            src = members & obs
            if src.any():
                target = members & todo
                lags[target] = np.median(lags[src])
                todo &= ~target
        if not todo.any():
            break
    lags[todo] = np.median(lags[obs])
    return lags, ~obs


def _group_labels(countries: pd.DataFrame, cols: Sequence[str]) -> np.ndarray:
    missing = [c for c in cols if c not in countries.columns]
    if missing:
        raise ValueError(f"observed_lags: countries has no column {missing}")
    return countries[list(cols)].astype(str).agg(" | ".join, axis=1).to_numpy(dtype=object)


def observed_lags(countries_df: pd.DataFrame, usage_df: pd.DataFrame, reference_iso3: str = "USA",
                  reference_period: str = "H2 2025", weight: float = 1.0,
                  groups: Sequence[Sequence[str]] = DEFAULT_FILL_GROUPS, k_u: float | None = None) -> pd.DataFrame:
    r"""Adoption lag of every economy behind a reference economy, from observed usage.

    Fits the common usage speed :math:`k_u` on all periods of ``usage_df`` for the economies
    of ``countries_df`` (:func:`fit_usage_speed`, unless ``k_u`` is given), computes each
    observed economy's lag at ``reference_period`` (:func:`usage_lags`) and fills the others
    with the median lag of their group (:func:`fill_missing_lags`).

    Parameters
    ----------
    countries_df : DataFrame
        One row per economy with ``iso3`` and the columns named in ``groups``
        (e.g. :func:`model.data.load_countries`).
    usage_df : DataFrame
        Columns ``iso3, period, period_mid_year, usage_pct`` (usage in %, e.g.
        :func:`model.observations.load_usage_msft`).
    reference_iso3 : str
        The reference (frontier) economy; must be observed at ``reference_period``.
    reference_period : str
        The period whose observations set the lags (the others are out-of-sample checks).
    weight : float
        :math:`w`, dimensionless, >= 0 (judgement).
    groups : sequence of sequences of column names
        Fill levels, finest first; each level's label joins the named columns.
    k_u : float, optional
        Usage speed, 1/year; fitted when None.

    Returns
    -------
    DataFrame
        In the order of ``countries_df``: ``iso3``; ``lag_years`` (years behind the reference
        economy; negative = ahead of it); ``source`` (``observed`` or ``filled``);
        ``usage_pct`` (observed usage at the reference period, %, NaN where filled).
        ``attrs`` carries ``k_u`` (1/year), ``reference_iso3``, ``reference_period`` and
        ``weight``.

    Notes
    -----
    Lags are negative for economies whose usage exceeds the reference economy's (with the
    United States at H2 2025, 23 economies, 11 of them EU members). Usage observed in 2025
    already reflects the 2023-2025 access restrictions (EU product delays, China's block of
    ChatGPT): restricted economies' lags read from it are, if anything, too long for an
    open-access path, so the open-access gain of those economies is understated and a
    restriction's loss computed against it is biased downward (conservative).
    """
    need = {"iso3", "period", "period_mid_year", "usage_pct"}
    if not need <= set(usage_df.columns):
        raise ValueError(f"observed_lags: usage_df lacks columns {sorted(need - set(usage_df.columns))}")
    iso = countries_df["iso3"].to_numpy()
    u = usage_df[usage_df["iso3"].isin(iso)]
    if reference_period not in set(u["period"]):
        raise ValueError(f"observed_lags: no observations for period {reference_period!r}")
    share = u.pivot(index="iso3", columns="period_mid_year", values="usage_pct") / 100.0
    if k_u is None:
        k_u = fit_usage_speed(share.columns.to_numpy(dtype=float), share.to_numpy())
    at_ref = u[u["period"] == reference_period].set_index("iso3")["usage_pct"]
    if reference_iso3 not in at_ref.index:
        raise ValueError(f"observed_lags: reference economy {reference_iso3!r} has no usage in {reference_period}")
    usage_pct = at_ref.reindex(iso).to_numpy(dtype=float)
    has_obs = ~np.isnan(usage_pct)
    raw = usage_lags(logit(at_ref[reference_iso3] / 100.0), logit(usage_pct / 100.0), k_u, weight)
    levels = [_group_labels(countries_df, cols) for cols in groups]
    lags, filled = fill_missing_lags(raw, has_obs, levels) if levels else fill_missing_lags(
        raw, has_obs, [np.zeros(len(iso))])
    out = pd.DataFrame({"iso3": iso, "lag_years": lags,
                        "source": np.where(filled, "filled", "observed"), "usage_pct": usage_pct})
    out.attrs.update(k_u=float(k_u), reference_iso3=reference_iso3, reference_period=reference_period,
                     weight=float(weight))
    return out


def enterprise_lags(lags, gdp, members, enterprise_share, k_e):
    r"""Re-spread the lags of a group of economies by their enterprise AI adoption.

    Enterprise adoption (Eurostat) has no observation for the reference economy, so it cannot
    say how far the group as a whole is behind it; it can say how the members differ. The
    group's GDP-weighted mean lag is kept from the usage calibration, and each member is placed
    around it by its enterprise adoption, read as a shift in time with the enterprise speed
    :math:`k_e`:

    .. math::
        \Delta_i^{E} = \bar\Delta + \frac{\bar y - \operatorname{logit} e_i}{k_e},\qquad
        \bar\Delta = \frac{\sum_{j\in G} Y_j \Delta_j}{\sum_{j\in G} Y_j},\quad
        \bar y = \frac{\sum_{j\in G} Y_j \operatorname{logit} e_j}{\sum_{j\in G} Y_j},

    for :math:`i` in the group :math:`G`; other economies keep :math:`\Delta_i`. The GDP-weighted
    mean of :math:`\Delta^E` over :math:`G` equals :math:`\bar\Delta` exactly. Keeping the group's
    mean lag from usage is a judgement (the enterprise series has no value for the reference
    economy).

    Parameters
    ----------
    lags : array_like, (n,)
        Usage-calibrated lags :math:`\Delta_j`, years (e.g. from :func:`observed_lags`).
    gdp : array_like, (n,)
        Weights :math:`Y_j`, e.g. 2023 GDP in US$ bn; > 0 on the group.
    members : array_like of bool, (n,)
        True for the economies of the group :math:`G` (e.g. the EU27).
    enterprise_share : array_like, (n,)
        Share of enterprises using AI, strictly between 0 and 1 on the group (ignored elsewhere).
    k_e : float
        Enterprise adoption speed, 1/year, > 0 (e.g. :func:`fit_usage_speed` on the
        enterprise series).

    Returns
    -------
    ndarray, (n,)
        :math:`\Delta^E`, years.
    """
    if not (np.isfinite(k_e) and k_e > 0):
        raise ValueError(f"enterprise_lags needs a finite speed k_e > 0, got {k_e}")
    lags = np.asarray(lags, dtype=float)
    m = np.asarray(members, dtype=bool)
    if not m.any():
        raise ValueError("enterprise_lags needs at least one member")
    w = np.asarray(gdp, dtype=float)[m]
    y = logit(np.asarray(enterprise_share, dtype=float)[m])
    if np.isnan(y).any() or np.isnan(lags[m]).any() or not (w > 0).all():
        raise ValueError("enterprise_lags needs a lag, an enterprise share and a positive weight for every member")
    out = lags.copy()
    out[m] = np.average(lags[m], weights=w) + (np.average(y, weights=w) - y) / k_e
    return out
