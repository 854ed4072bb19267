"""The model's equations as pure functions over numpy arrays.

No I/O, no globals, no UI. Arrays are ``(n_countries, n_years)`` unless stated; money is in
billion constant 2023 US$ ("billion USD_2023"); shares are fractions (0-1) unless a name
ends in ``_pct``. The equations are written out in ``docs/model.md``; the symbols below
follow it.
"""

from __future__ import annotations

import numpy as np

BASE_YEAR = 2023


def baseline_gdp(gdp_2023_usd_bn, growth_pct, growth_years, years, long_run_growth_pct):
    r"""Baseline GDP path of each country, billion USD_2023.

    .. math:: Y_i(t) = Y_i(2023) \prod_{s=2024}^{t} \left(1 + g_i(s)/100\right)

    with :math:`g_i(s)` the IMF WEO real growth for ``s`` in ``growth_years`` and
    ``long_run_growth_pct`` afterwards.

    Parameters
    ----------
    gdp_2023_usd_bn : array (n,)
        GDP in 2023, current (= constant 2023) US$ bn. World Bank WDI NY.GDP.MKTP.CD.
    growth_pct : array (n, len(growth_years))
        Real GDP growth, % per year. IMF WEO April 2025, NGDP_RPCH.
    growth_years : sequence of int
        Consecutive years covered by ``growth_pct``, starting at 2024.
    years : array (T,)
        Years of the projection, starting at 2023.
    long_run_growth_pct : float
        Real growth after the last WEO year, % per year.

    Returns
    -------
    array (n, T)
    """
    years = np.asarray(years)
    n = len(gdp_2023_usd_bn)
    g = np.full((n, len(years)), long_run_growth_pct / 100.0)
    g[:, 0] = 0.0  # the base year itself
    first = growth_years[0]
    idx = years - first
    have = (idx >= 0) & (idx < len(growth_years))
    g[:, have] = np.asarray(growth_pct)[:, idx[have]] / 100.0
    return np.asarray(gdp_2023_usd_bn, dtype=float)[:, None] * np.cumprod(1.0 + g, axis=1)


def hulten_tfp_gain(exposed_share, automated_share, labour_cost_saving, labour_share):
    r"""Aggregate TFP gain from task automation by Hulten's theorem (Acemoglu 2024).

    .. math:: \Delta \mathrm{TFP} \approx e \cdot a \cdot s \cdot \lambda

    where *e* is the share of tasks exposed, *a* the share of exposed tasks profitably
    automated, *s* the labour-cost saving on them and :math:`\lambda` the labour share of
    costs. All are fractions; so is the result.

    References
    ----------
    .. [1] D. Acemoglu, "The Simple Macroeconomics of AI", NBER WP 32487 (2024); Economic
       Policy 40(121), 2025. With e = 0.199, a = 0.23, s = 0.27, lambda = 0.535 the TFP
       gain is 0.66 % over ten years.
    """
    return exposed_share * automated_share * labour_cost_saving * labour_share


def headline_usd(headline_usd_bn):
    r"""World potential stated in US$ on the 2023 base: :math:`P = P_\$`, billion USD_2023.

    References
    ----------
    .. [1] J.P. Morgan Research, "generative AI" insight: $7-10 trillion.
    """
    return np.asarray(headline_usd_bn, dtype=float)


def headline_pct_gdp(headline_pct_gdp, world_gdp_2023_usd_bn):
    r"""World potential stated as % of 2023 world GDP: :math:`P = p\,Y_W(2023)/100`, billion USD_2023.

    References
    ----------
    .. [1] Briggs & Kodnani, Goldman Sachs (26 Mar 2023): +7 % of world GDP.
    """
    return np.asarray(headline_pct_gdp, dtype=float) / 100.0 * world_gdp_2023_usd_bn


def headline_hulten(exposed_task_share_pct, automated_share_pct, labour_cost_saving_pct, labour_share_pct,
                    gdp_tfp_multiplier, world_gdp_2023_usd_bn):
    r"""World potential from the task-based Hulten calibration, billion USD_2023.

    .. math:: P = \Delta\mathrm{TFP} \cdot m \cdot Y_W(2023), \qquad
              \Delta\mathrm{TFP} = e\,a\,s\,\lambda \quad (\text{see } :func:`hulten_tfp_gain`)

    Inputs in percent (the multiplier :math:`m` is a ratio).

    References
    ----------
    .. [1] D. Acemoglu, "The Simple Macroeconomics of AI", NBER WP 32487 (2024).
    """
    tfp = hulten_tfp_gain(np.asarray(exposed_task_share_pct) / 100, np.asarray(automated_share_pct) / 100,
                          np.asarray(labour_cost_saving_pct) / 100, np.asarray(labour_share_pct) / 100)
    return tfp * np.asarray(gdp_tfp_multiplier) * world_gdp_2023_usd_bn


#: Headline modes: mode -> (equation, the parameter keys it reads). The one dispatcher
#: (:func:`headline_potential`) and ``docs/model.md`` refer to this table.
HEADLINE_MODES = {
    "usd": (headline_usd, ("headline_usd_bn",)),
    "pct_gdp": (headline_pct_gdp, ("headline_pct_gdp", "world_gdp_2023_usd_bn")),
    "hulten": (headline_hulten, ("exposed_task_share_pct", "automated_share_pct", "labour_cost_saving_pct",
                                 "labour_share_pct", "gdp_tfp_multiplier", "world_gdp_2023_usd_bn")),
}


def headline_potential(mode, params, world_gdp_2023_usd_bn):
    r"""World potential gain at full adoption, billion USD_2023: the one headline dispatcher.

    ``mode`` is a key of :data:`HEADLINE_MODES`; ``params`` has the attributes that mode reads
    (scalars, or arrays of draws); ``world_gdp_2023_usd_bn`` is passed to the modes that read it.
    """
    try:
        fn, keys = HEADLINE_MODES[mode]
    except KeyError:
        raise ValueError(f"unknown headline mode {mode!r}") from None
    return fn(*[world_gdp_2023_usd_bn if k == "world_gdp_2023_usd_bn" else getattr(params, k) for k in keys])


def allocation_shares(gdp_2023_usd_bn, exposure, preparedness, exposure_exponent, preparedness_exponent):
    r"""Each country's share of the world potential.

    .. math:: \omega_i = \frac{Y_i(2023)\, x_i^{\alpha}\, q_i^{\beta}}{\sum_j Y_j(2023)\, x_j^{\alpha}\, q_j^{\beta}}

    Exponents (and exposure) may carry a leading draw axis, e.g. ``(d, 1)``; the shares are
    then ``(d, n)``, normalised per draw.

    with :math:`x_i` the AI exposure of the country's IMF group (share of employment;
    IMF SDN/2024/001: 60 % advanced, 40 % emerging, 26 % low-income), :math:`q_i` the IMF
    AI Preparedness Index (0-1), and exponents :math:`\alpha, \beta \ge 0`. The shares add
    up to 1, so country potentials :math:`P_i = \omega_i P` add up to the headline. If every
    weight is zero (e.g. all exposures set to 0) the shares fall back to GDP shares.
    """
    gdp = np.asarray(gdp_2023_usd_bn, dtype=float)
    w = gdp * np.power(exposure, exposure_exponent) * np.power(preparedness, preparedness_exponent)
    total = w.sum(axis=-1, keepdims=True)
    ok = total > 0
    w = np.where(ok, w, gdp)
    total = np.where(ok, total, gdp.sum())
    return w / total


def logistic_adoption(t, midpoint, speed, ceiling, base_year=BASE_YEAR, out=None):
    r"""Logistic adoption, rescaled to be 0 in the base year and to rise toward ``ceiling``.

    .. math::
        f(t) = \frac{1}{1 + e^{-k (t - t_{0,i})}}, \qquad
        A_i(t) = L \, \max\!\left(0, \frac{f(t) - f(t_b)}{1 - f(t_b)}\right)

    Parameters
    ----------
    t : array (T,) or (n, T)
        Years (may be fractional, e.g. shifted by a delay).
    midpoint : array (n,) or (d, n)
        :math:`t_{0,i}`: the frontier midpoint year plus the country's lag, years (a leading
        draw axis ``d`` gives one curve per draw).
    speed : float or array broadcastable to the result, e.g. (d, 1, 1)
        :math:`k`, 1/year.
    ceiling : float or array broadcastable to the result
        :math:`L`, fraction of full adoption (0-1).
    base_year : int
        :math:`t_b`, where adoption is 0.
    out : array of the result's shape, optional
        Written in place and returned (the Monte Carlo reuses its arrays from batch to batch).
    """
    m = np.asarray(midpoint)[..., None] - base_year
    t = np.asarray(t) - base_year
    # exp(-k (t - m)) = exp(-k t) * exp(k m): one full-size multiply instead of three passes;
    # then in place: 1 + z, scale / (1 + z), - scale f(t_b), max(., 0).
    ekm = np.exp(speed * m)
    a = _outer(np.exp(-speed * t), ekm, out)
    fb = 1.0 / (1.0 + ekm)  # f(t_b)
    scale = ceiling / (1.0 - fb)
    a += 1.0
    np.divide(scale, a, out=a)
    a -= scale * fb
    return np.maximum(a, 0.0, out=a)


def _outer(a, b, out=None):
    """``a * b``; for ``a (d, 1, T)`` and ``b (d, n, 1)`` (an outer product per draw) through
    ``einsum``, whose loop is about twice as fast as broadcasting here (the same products)."""
    a, b = np.asarray(a), np.asarray(b)
    if (a.ndim == b.ndim == 3 and a.shape[1] == 1 and b.shape[2] == 1 and a.shape[0] == b.shape[0]
            and a.dtype == b.dtype and (out is None or out.dtype == a.dtype)):
        return np.einsum("dxt,dnx->dnt", a, b, out=out)
    return np.multiply(a, b, out=out)


def absolute_adoption(t, midpoint, speed, ceiling, base_year=BASE_YEAR):
    r"""Absolute adoption: the share of the potential in use, base-year use included.

    .. math:: \bar A_i(t) = \frac{L\, f_i(t)}{1 - f_i(t_b)} = A_i(t) + \frac{L\, f_i(t_b)}{1 - f_i(t_b)}

    with :math:`f_i` and :math:`A_i` as in :func:`logistic_adoption` (same scale, so gains relative to
    the base year are unchanged: :math:`\bar A_i(t) - \bar A_i(t_b) = A_i(t)`). It is above zero in
    the base year, where generative AI was already in use: a restriction in 2023 removes value
    from what was in use then. At full adoption it tends to :math:`L/(1 - f_i(t_b))`: the
    potential (the gain over 2023) plus the base year's use.

    Parameters as in :func:`logistic_adoption` (``t`` any real years).
    """
    m = np.asarray(midpoint)[..., None]
    t = np.asarray(t)
    fb = 1.0 / (1.0 + np.exp(speed * (m - base_year)))
    return ceiling / (1.0 - fb) / (1.0 + np.exp(-speed * (t - m)))


def absolute_adoption_integral(a, b, midpoint, speed, ceiling, base_year=BASE_YEAR):
    r"""The integral of :func:`absolute_adoption` from ``a`` to ``b`` (years; 0 where ``b <= a``).

    .. math:: \int_a^b \bar A_i(\tau)\,d\tau = \frac{L}{1 - f_i(t_b)}\,
              \frac{\operatorname{softplus}(k(b - t_{0,i})) - \operatorname{softplus}(k(a - t_{0,i}))}{k}

    exactly (``softplus(x) = ln(1 + e^x)``), so an event of a few days costs the days it covers.

    Parameters
    ----------
    a, b : arrays broadcastable to ``(..., T)``: the bounds per year (decimal years)
    midpoint : (n,) or (d, n); speed, ceiling: broadcastable, e.g. (d, 1, 1)
    """
    m = np.asarray(midpoint)[..., None] - base_year
    ekm = np.exp(-speed * m)  # e^{-k (t0 - tb)}: softplus(k(x - t0)) = log1p(e^{k (x - tb)} e^{-k (t0 - tb)})
    fb = 1.0 / (1.0 + 1.0 / ekm)
    a = np.asarray(a, dtype=float) - base_year
    b = np.maximum(np.asarray(b, dtype=float) - base_year, a)
    sp = np.log1p(np.exp(speed * b) * ekm) - np.log1p(np.exp(speed * a) * ekm)
    return ceiling / (1.0 - fb) * sp / speed


#: Gauss-Legendre nodes and weights on [-1, 1] (8 points) for the smooth catch-up integrals
#: (relative error below 1e-7 on a year's catch-up for catch-up speeds up to 6/year: tests/test_events.py).
_GL_X, _GL_W = np.polynomial.legendre.leggauss(8)


def event_exposure(kind, start, end, years, midpoint, speed, ceiling, catch_up_speed=0.0, base_year=BASE_YEAR,
                   out=None):
    r"""Adoption-years a dated event removes in each year: :math:`\int_y^{y+1} w(\tau)\,d\tau`.

    Year :math:`y` is the interval :math:`[y, y+1)` in decimal years; an event covers
    :math:`[t_s, t_e)` (``start``, ``end``; ``end=None`` or ``inf``: not before the horizon).

    - *outage* and *withheld* (a product in use is blocked, or never offered, until :math:`t_e`):
      :math:`w(\tau) = \bar A(\tau)\,1(t_s \le \tau < t_e)`
    - *delay* (launched elsewhere at :math:`t_s`, in the hit countries at :math:`t_e`,
      :math:`d = t_e - t_s`): :math:`w(\tau) = \bar A(\tau)` on :math:`[t_s, t_e)`, then the gap to
      the open path closes as adoption catches up, shrinking at the catch-up speed :math:`\kappa`:
      :math:`w(\tau) = \bigl(\bar A(\tau) - \bar A(\tau - d)\bigr)\,e^{-\kappa(\tau - t_e)}` for :math:`\tau \ge t_e`.

    with :math:`\bar A` from :func:`absolute_adoption`. Multiplied by the value scale
    :math:`V_i(y)`, the share :math:`s` and :math:`1 - \phi` this is the event's shortfall in year
    :math:`y` (:func:`restriction_gap` with the exposure in place of :math:`A - A^\Delta`).
    The covered part is integrated exactly (and the catch-up part too when :math:`\kappa = 0`);
    otherwise the catch-up part by 8-point Gauss-Legendre per year,

    .. math:: \int_{l_y}^{h_y} w\,d\tau \approx \frac{h_y - l_y}{2} \sum_{j=1}^{8} \omega_j\,
              \bigl(\bar A(\tau_j) - \bar A(\tau_j - d)\bigr)\,e^{-\kappa(\tau_j - t_e)}, \qquad
              \tau_j = \frac{l_y + h_y}{2} + \frac{h_y - l_y}{2}\,x_j

    on :math:`[l_y, h_y) = [\max(y, t_e), y + 1)`, with the nodes :math:`x_j` and weights
    :math:`\omega_j` of Gauss-Legendre on :math:`[-1, 1]` (the terms summed in a fixed order: the
    odd-numbered nodes from the last down, the even-numbered likewise, then the two sums). Only
    the years an interval touches are evaluated; the others are exactly 0.

    Parameters
    ----------
    kind : "outage", "withheld" or "delay"
    start, end : decimal years (``end`` may be None)
    years : (T,) int
    midpoint : (d, m) the countries' adoption midpoints; speed, ceiling: (d, 1, 1)
    catch_up_speed : :math:`\kappa`, 1/year, scalar or (d, 1, 1)
    out : float array (d, m, T), optional
        Written in place and returned.

    Returns
    -------
    array (d, m, T), years of absolute adoption
    """
    if kind not in ("outage", "withheld", "delay"):
        raise ValueError(f"unknown event kind {kind!r}")
    mid = np.asarray(midpoint)
    y0 = np.asarray(years, dtype=float)
    end_v = np.inf if end is None else float(end)
    a = np.clip(y0, start, end_v)
    b = np.clip(y0 + 1.0, start, end_v)
    if out is None:
        out = np.zeros(np.broadcast_shapes((*mid.shape, y0.size), np.shape(speed), np.shape(ceiling)))
    else:
        out[...] = 0.0
    cov = _years(b > a)  # the years the covered interval touches
    if cov is not None:
        out[..., cov] = absolute_adoption_integral(a[cov], b[cov], mid, speed, ceiling, base_year)
    if kind != "delay" or not np.isfinite(end_v):
        return out
    d = end_v - start
    lo = np.maximum(y0, end_v)  # the catch-up part of each year: [max(y, t_e), y + 1)
    hi = np.maximum(y0 + 1.0, end_v)
    cols = _years(hi > lo)  # only the years after the arrival
    if cols is None:
        return out
    lo, hi = lo[cols], hi[cols]
    kappa = np.asarray(catch_up_speed, dtype=float)
    if not np.any(kappa):  # no catch-up: exactly, through the antiderivative
        out[..., cols] += (absolute_adoption_integral(lo, hi, mid, speed, ceiling, base_year)
                           - absolute_adoption_integral(lo - d, hi - d, mid, speed, ceiling, base_year))
        return out
    out[..., cols] += np.swapaxes(_catch_up(lo, hi, d, end_v, mid, speed, ceiling, kappa, base_year), -1, -2)
    return out


def _years(on):
    """The years (positions) where ``on`` holds, as a slice (they are consecutive); None if none."""
    pos = np.flatnonzero(on)
    return slice(pos[0], pos[-1] + 1) if len(pos) else None


def _catch_up(lo, hi, d, end, midpoint, speed, ceiling, kappa, base_year):
    """The Gauss-Legendre catch-up integrals of :func:`event_exposure`, time-major ``(d, T', m)``.

    One node at a time on ``(d, T', m)`` arrays (the countries along contiguous rows), so the
    work stays in cache; the weighted terms are summed in the order the docstring states.
    """
    flat = lambda x: np.reshape(x, (-1, 1, 1)) if np.ndim(x) else np.asarray(x, dtype=float)  # noqa: E731
    k, ceil, kap = flat(speed), flat(ceiling), flat(kappa)  # (d, 1, 1) or scalars
    half = (hi - lo) / 2.0
    tau = (lo + half)[:, None] + half[:, None] * _GL_X[None, :] - base_year  # (T', nodes), from t_b
    ekm = np.exp(k * (np.asarray(midpoint)[..., None, :] - base_year))  # e^{k (t0 - tb)}, (d, 1, m)
    fb = 1.0 / (1.0 + ekm)
    scale = ceil / (1.0 - fb)
    ekd = np.exp(k * d)
    # e^{-k(tau - t0)} = e^{-k tau} e^{k t0}: the work per node is products, not exponentials
    e_tau = np.exp(-k * tau)  # (d, T', nodes)
    weights = np.exp(-kap * (tau + base_year - end)) * _GL_W  # (d, T', nodes)
    # With one value per draw of k and kappa (the engine's case) the broadcast products go through
    # einsum, about a third faster here; the products are the same (all factors are positive).
    per_draw = e_tau.ndim == weights.ndim == ekm.ndim == 3 and ekd.shape == (len(e_tau), 1, 1) \
        and len(e_tau) == len(ekm) == len(weights) and ekm.dtype == e_tau.dtype == np.float64
    if per_draw:
        e_tau, weights = np.moveaxis(e_tau, -1, 0).copy(), np.moveaxis(weights, -1, 0).copy()  # (nodes, d, T')
        ekm_dm, ekd_d = ekm[:, 0, :], ekd[:, 0, 0]
    z1 = z2 = None
    sums = [None, None]  # odd- and even-numbered nodes (1-based), each from the last node down
    for j in range(len(_GL_W) - 1, -1, -1):
        if per_draw:
            if z1 is None:
                z1, z2 = (np.empty(np.broadcast_shapes(e_tau[j][..., None].shape, ekm.shape)) for _ in range(2))
            np.einsum("dt,dm->dtm", e_tau[j], ekm_dm, out=z1)  # e^{-k(tau_j - t0)}
            np.einsum("dtm,d->dtm", z1, ekd_d, out=z2)  # e^{-k(tau_j - d - t0)}
        else:
            z1 = np.multiply(e_tau[..., j, None], ekm, out=z1)
            z2 = np.multiply(z1, ekd, out=z2)
        z1 += 1.0
        np.reciprocal(z1, out=z1)
        z2 += 1.0
        np.reciprocal(z2, out=z2)
        z1 -= z2  # f(tau_j) - f(tau_j - d), >= 0
        if per_draw:
            term = np.einsum("dtm,dt->dtm", z1, weights[j], out=z2)
        else:
            term = np.multiply(z1, weights[..., j, None], out=z2)
        acc = sums[j % 2]
        if acc is None:
            sums[j % 2] = term.copy()
        else:
            acc += term
    total = sums[0]
    total += sums[1]
    total *= scale
    total *= half[:, None]
    return total


def active_fraction(years, start, end=None):
    r"""The share of each year :math:`[y, y+1)` that lies in :math:`[t_s, t_e)` (0-1)."""
    y0 = np.asarray(years, dtype=float)
    end_v = np.inf if end is None else float(end)
    return np.clip(np.minimum(y0 + 1.0, end_v) - np.maximum(y0, start), 0.0, 1.0)


def restriction_gap(value_scale, adoption, adoption_delayed, share, out=None):
    r"""Gross value a restricted product would have delivered, billion USD_2023.

    .. math:: g = V\,s\,(A - A^{\Delta})

    with :math:`V_i(t) = P_i\,Y_i(t)/Y_i(2023)` (``value_scale``), :math:`s` the share of the
    country's AI value tied to the product, :math:`A` the open-access adoption and
    :math:`A^{\Delta}` the adoption the product reaches under the restriction (the open path
    shifted by the delay; 0 while withheld). ``out``: an array for the result (it may be
    ``adoption_delayed``, which is then overwritten).
    """
    diff = np.subtract(adoption, adoption_delayed, out=out)
    vs = value_scale * share
    return np.multiply(diff, vs, out=diff if _holds(diff, vs) and np.result_type(diff, vs) == diff.dtype else None)


def restriction_loss_levers(open_gain, gaps, substitutions, drag, out=None):
    r"""Gain lost by each restricted country, split by lever so the parts add up exactly.

    With open-access gain :math:`G^o`, restriction :math:`k`'s gross gap :math:`g_k` (see
    :func:`restriction_gap`) and substitution :math:`\phi_k`, the products' shortfall is
    :math:`x = \sum_k g_k (1-\phi_k)`; with compliance drag :math:`c` the scenario gain is
    :math:`G = (1-c)(G^o - x)` and the loss :math:`G^o - G = x + c\,G^o - c\,x`. The loss is
    split by the two-player Shapley value between the products and the drag, and the product
    part linearly into its gross value and what substitution recovers:

    - ``restricted_products`` = :math:`\sum_k g_k\,(1 - c/2)`
    - ``substitution`` = :math:`-\sum_k g_k \phi_k (1 - c/2)`
    - ``compliance_drag`` = :math:`c\,G^o - c\,x/2`

    Parameters
    ----------
    open_gain : array (..., m, T)
    gaps : sequence of arrays broadcastable to ``open_gain``, one per restriction
    substitutions : sequence of fractions (scalars or arrays broadcastable), one per restriction
    drag : fraction, broadcastable (0 outside the group that bears it)
    out : dict, optional
        Arrays to write the levers into (keys as returned; used where shape and type match the
        result). With a single restriction its two parts are the first two levers.

    Returns
    -------
    (levers, per_restriction): ``levers`` maps the three levers to arrays like ``open_gain``;
    ``per_restriction`` holds, for each restriction, its ``restricted_products`` and
    ``substitution`` parts (they add up to the levers of the same names).
    """
    out = out or {}

    def into(key, *operands):  # the caller's array for a result of these operands, if it fits
        a = out.get(key)
        fits = (a is not None and a.shape == np.broadcast_shapes(*map(np.shape, operands))
                and a.dtype == np.result_type(*operands))
        return a if fits else None

    half = np.divide(drag, 2.0)
    half = np.subtract(1.0, half, out=half) if isinstance(half, np.ndarray) else 1.0 - half
    single = len(gaps) == 1
    per = []
    shape = np.broadcast_shapes(np.shape(open_gain), *[np.shape(g) for g in gaps])
    x = None  # x = sum of g_k (1 - phi_k), from 0
    for g, phi in zip(gaps, substitutions):
        gross = np.multiply(g, half, out=into("restricted_products", g, half) if single else None)
        sub = np.multiply(gross, phi, out=into("substitution", gross, phi) if single else None)
        sub = np.negative(sub, out=sub) if isinstance(sub, np.ndarray) else -sub  # -(g h) phi
        per.append({"restricted_products": gross, "substitution": sub})
        keep = 1.0 - phi
        if x is None and np.broadcast_shapes(np.shape(g), np.shape(keep)) == shape \
                and np.result_type(g, keep) == np.float64:
            x = np.multiply(g, keep, out=into("compliance_drag", g, keep))
            x += 0.0  # = 0 + g (1 - phi), signed zeros included
        else:
            if x is None:
                x = np.zeros(shape)
            x += g * keep

    def total(key):
        if single:
            return per[0][key]
        acc = into(key, x)
        if acc is None:
            acc = np.zeros_like(x)
        else:
            acc[...] = 0.0
        for p in per:
            acc += p[key]
        return acc

    if x is None:
        x = np.zeros(shape)
    x /= 2.0  # then in place where the shapes allow: c (G^o - x / 2)
    cd = np.subtract(open_gain, x, out=x if _holds(x, open_gain) else None)
    cd = np.multiply(cd, drag, out=cd if _holds(cd, drag) else None)
    levers = {
        "restricted_products": total("restricted_products"),
        "substitution": total("substitution"),
        "compliance_drag": cd,
    }
    return levers, per


def _holds(a, *operands):
    """Whether ``a`` is an array that can take the result of ``a`` with ``operands`` in place."""
    return isinstance(a, np.ndarray) and a.shape == np.broadcast_shapes(a.shape, *map(np.shape, operands))


def leakage_factor(group_loss, recipients_open_gain, leakage):
    r"""Leakage transfer per unit of a recipient's open-access gain (dimensionless).

    .. math:: f(t) = \frac{\ell\,L_R(t)}{\sum_{k \in \mathcal{U}} G^o_k(t)}

    with :math:`L_R` the loss of the countries the restrictions hit, :math:`\ell` the leakage
    share and :math:`\mathcal{U}` the recipients (countries no restriction hits, outside the
    group). Zero when no recipient has a positive open-access gain.

    Parameters
    ----------
    group_loss, recipients_open_gain : arrays (..., T)
    leakage : fraction, broadcastable
    """
    safe = np.where(recipients_open_gain > 0, recipients_open_gain, 1.0)
    return np.where(recipients_open_gain > 0, leakage * group_loss / safe, 0.0)


def leakage_transfer(group_loss, open_gain, recipients, leakage):
    r"""Gain captured by the recipient economies from the group's loss, billion USD_2023.

    .. math:: T_j(t) = f(t)\,G^o_j(t), \quad j \in \mathcal{U}

    with :math:`f` from :func:`leakage_factor`. Leakage moves gains and creates none:
    :math:`\sum_j T_j = \ell L_R` whenever a recipient has a positive open-access gain.

    Parameters
    ----------
    group_loss : array (..., T)
    open_gain : array (..., n, T)
    recipients : bool array (n,)
    leakage : fraction, broadcastable to ``(..., T)``
    """
    outside = open_gain * np.asarray(recipients)[:, None]
    f = leakage_factor(group_loss, outside.sum(axis=-2), leakage)
    return f[..., None, :] * outside


def present_value(values, years, rate, base_year=BASE_YEAR):
    r"""Net present value over the year axis, discounted to ``base_year``.

    .. math:: \mathrm{NPV} = \sum_t \frac{v(t)}{(1 + r)^{t - t_b}}
    """
    disc = (1.0 + rate) ** -(np.asarray(years, dtype=float) - base_year)
    return np.asarray(values) @ disc


# ----------------------------------------------------------------------------- headline time paths
#: Ramp shapes of a growth-boost window (see :func:`growth_boost_schedule`).
GROWTH_RAMPS = ("flat", "linear")


def growth_boost_schedule(boost_pp, first_boost_pp, start_year, window_years, ramp, grid_years):
    r"""The annual growth boost :math:`\beta(y)` (fraction a year) of a window, on ``grid_years``.

    The window covers the years :math:`y = t_s, \dots, t_s + n - 1` (``start_year``,
    ``window_years``): :math:`\beta(y)` is the boost to growth from :math:`y-1` to :math:`y`.

    - ``flat``: :math:`\beta(y) = \beta` in every year of the window;
    - ``linear``: from :math:`\beta_1` (``first_boost_pp``) in the first year to :math:`\beta`
      (``boost_pp``) in the last, :math:`\beta(y) = \beta_1 + (\beta - \beta_1)\,\frac{y - t_s}{n - 1}`.

    Zero outside the window. ``boost_pp`` (and ``first_boost_pp``) in percentage points a year,
    scalars or draws ``(d,)``; returns ``(d, G)``.
    """
    grid = np.asarray(grid_years, dtype=float)
    b = np.atleast_1d(np.asarray(boost_pp, dtype=float))[:, None] / 100
    b1 = np.atleast_1d(np.asarray(first_boost_pp, dtype=float))[:, None] / 100
    j = grid[None, :] - float(start_year)  # 0 in the first year of the window
    n = int(window_years)
    inside = (j >= 0) & (j <= n - 1)
    if ramp == "flat":
        beta = np.broadcast_to(b, (b.shape[0], grid.size))
    elif ramp == "linear":
        beta = b1 + (b - b1) * (j / (n - 1) if n > 1 else np.ones_like(j))
    else:
        raise ValueError(f"unknown ramp {ramp!r}; allowed {', '.join(GROWTH_RAMPS)}")
    return np.where(inside, beta, 0.0)


def level_from_growth(beta):
    r"""The level path of a growth boost by annual compounding: :math:`1 + H(y) = \prod_{s \le y} (1 + \beta(s))`.

    ``beta`` ``(..., G)`` on consecutive years; returns :math:`H` (fraction), same shape. Its
    inverse is :func:`growth_from_level`: the boost integrates back to the level path exactly.
    """
    return np.cumprod(1.0 + np.asarray(beta, dtype=float), axis=-1) - 1.0


def growth_from_level(level, axis=-1):
    r"""The growth contribution of a level uplift :math:`u` (fraction of baseline GDP), fraction a year.

    .. math:: b(t) = \frac{1 + u(t)}{1 + u(t-1)} - 1, \qquad u(t_b - 1) = 0

    so the first year's contribution is its level. The AI gain's contribution to real GDP growth:
    GDP with AI is :math:`Y(1+u)`, so its growth exceeds the baseline's by the factor
    :math:`(1+u(t))/(1+u(t-1))`. ``level`` ``(..., T)``; the inverse of :func:`level_from_growth`.
    """
    u = np.moveaxis(np.asarray(level, dtype=float), axis, -1)
    now = 1.0 + u
    before = np.empty_like(now)  # 1 + u(t - 1), with u(t_b - 1) = 0
    before[..., :1] = 1.0
    before[..., 1:] = now[..., :-1]
    np.divide(now, before, out=now)
    now -= 1.0
    return np.moveaxis(now, -1, axis)


def headline_growth_path(growth_boost_pp, growth_boost_first_pp, growth_start_year, growth_window_years,
                         growth_ramp, grid_years):
    r"""Headline given as a growth boost over a window: the anchor's level uplift :math:`H(y)`, fraction.

    .. math:: 1 + H(y) = \prod_{s \le y} \bigl(1 + \beta(s)\bigr)

    with :math:`\beta` from :func:`growth_boost_schedule`. After the window the level holds.

    References
    ----------
    .. [1] Briggs & Kodnani, Goldman Sachs (26 Mar 2023): US labour productivity +1.5 pp a year over
       ten years; GS (Oct 2023): US GDP boost +0.1 pp in 2027 rising to +0.4 pp by 2034.
    .. [2] Filippucci et al., OECD AI Papers No. 29 (2024): US labour productivity +0.4-0.9 pp a year.
    """
    return level_from_growth(growth_boost_schedule(growth_boost_pp, growth_boost_first_pp, growth_start_year,
                                                   growth_window_years, growth_ramp, grid_years))


#: Level uplifts (fractions) smaller than this are zero in :func:`headline_level_path`.
LEVEL_ZERO = 1e-12


def headline_level_path(points, grid_years, base_year=BASE_YEAR):
    r"""Headline given as level uplifts at dated points: the anchor's level path :math:`H(y)`, fraction.

    ``points``: ``[(year, level_pct), ...]`` with years after the base year, increasing (years
    beyond the end year are allowed: they shape the path before it). The path runs through
    :math:`(t_b, 0)` and the points by monotone piecewise-cubic (PCHIP, Fritsch-Carlson)
    interpolation, so it never overshoots the points; it holds the last level after the last
    point. Levels under :data:`LEVEL_ZERO` (a fraction, i.e. 1e-10 %) count as zero: PCHIP divides
    by the slopes, and a subnormal level such as 1e-313 would overflow to inf. Returns ``(1, G)``.

    References
    ----------
    .. [1] Penn Wharton Budget Model (Sept 2025): US GDP level +1.5 % by 2035, ~+3 % by 2055,
       +3.7 % by 2075.
    """
    from scipy.interpolate import PchipInterpolator  # lazily: the package imports no scipy otherwise

    xs = np.array([float(base_year)] + [float(y) for y, _ in points])
    ys = np.array([0.0] + [float(v) / 100 for _, v in points])
    ys[np.abs(ys) < LEVEL_ZERO] = 0.0
    grid = np.asarray(grid_years, dtype=float)
    out = PchipInterpolator(xs, ys, extrapolate=False)(np.clip(grid, xs[0], xs[-1]))
    return np.where(grid <= base_year, 0.0, out)[None, :]


def path_at(level, grid_years, t):
    r"""A headline level path at real times ``t``: :math:`\ln(1 + H)` linear between years.

    Between two years the level grows at a constant rate (the compounding of
    :func:`level_from_growth` spread evenly over the year); before the grid the first value,
    after it the last. ``level`` ``(d, G)`` on consecutive ``grid_years``; ``t`` ``(d, ...)``.
    """
    grid = np.asarray(grid_years, dtype=float)
    lg = np.log1p(np.asarray(level, dtype=float))
    t = np.asarray(t, dtype=float)
    d = max(lg.shape[0], t.shape[0])
    lg = np.broadcast_to(lg, (d, lg.shape[1]))
    tt = np.broadcast_to(t, (d, *t.shape[1:])).reshape(d, -1)
    x = np.clip(tt - grid[0], 0.0, grid.size - 1.0)
    i = np.minimum(np.floor(x).astype(int), grid.size - 2)
    f = x - i
    lo = np.take_along_axis(lg, i, axis=1)
    hi = np.take_along_axis(lg, i + 1, axis=1)
    return np.expm1(lo + (hi - lo) * f).reshape(d, *t.shape[1:])


def anchored_path_uplift(level, grid_years, years, intensity, lags, anchor, gdp, base_year=BASE_YEAR):
    r"""Country level uplifts :math:`u_i(t)` from an anchor's level path; the anchor matches it exactly.

    .. math::
        h_i(t) &= \max\bigl(0,\ H(t - \ell_i + \bar\ell_a) - H(t_b - \ell_i + \bar\ell_a)\bigr), \\
        c(t) &= \frac{H(t)\,Y_a(t)}{\sum_{j\in a} Y_j(t)\,\kappa_j\,h_j(t)}, \qquad
        u_i(t) = c(t)\,\kappa_i\,h_i(t)

    with :math:`\kappa_i = z_i / \bar z_a` the country's allocation intensity
    (:math:`z_i = x_i^\alpha q_i^\beta`) relative to the anchor's GDP-weighted mean,
    :math:`\ell_i` its adoption lag and :math:`\bar\ell_a` the anchor's GDP-weighted mean lag:
    each country follows the anchor's path, shifted by its lag relative to the anchor and scaled
    by its intensity; :math:`c(t)` (1 when the anchor's members share one lag and growth rate;
    1 where the denominator is 0) makes the anchor's uplift
    :math:`\sum_{i\in a} u_i Y_i / Y_a` equal :math:`H(t)` exactly.

    Parameters
    ----------
    level : (d, G) the anchor's level path on ``grid_years`` (fraction)
    years : (T,) output years
    intensity : (d, n) :math:`z_i`; lags : (d, n) years; anchor : (n,) bool; gdp : (n, T) baseline
    Returns ``(uplift (d, n, T), kappa (d, n), c (d, T))``.
    """
    gdp0 = gdp[:, 0]
    wa = np.where(anchor, gdp0, 0.0)
    zbar = (intensity * wa).sum(axis=1, keepdims=True) / wa.sum()
    # an anchor with (almost) no allocation weight (below a millionth of the largest intensity) cannot carry
    # the path: nothing is anchored (0) rather than blown up
    ok = zbar > 1e-6 * np.max(intensity, axis=1, keepdims=True)
    kappa = np.where(ok, intensity / np.where(ok, zbar, 1.0), 0.0)
    lbar = (lags * wa).sum(axis=1, keepdims=True) / wa.sum()
    shift = lags - lbar  # (d, n)
    t = np.asarray(years, dtype=float)
    h = path_at(level, grid_years, t[None, None, :] - shift[:, :, None])
    h -= path_at(level, grid_years, (base_year - shift)[:, :, None])
    np.maximum(h, 0.0, out=h)
    target = path_at(level, grid_years, t[None, :])  # (d, T)
    den = np.einsum("n,nt,dn,dnt->dt", anchor.astype(float), gdp, kappa, h)
    num = target * (gdp * anchor[:, None]).sum(axis=0)[None, :]
    c = np.where(den > 0, num / np.where(den > 0, den, 1.0), 1.0)
    return c[:, None, :] * kappa[:, :, None] * h, kappa, c


#: Headline time-path modes: mode -> (equation of the anchor's level path, the parameter keys it
#: reads). ``level_path_points`` stands for the dated points (``level_points`` and
#: ``level_year_k``/``level_pct_k``); the engine passes ``grid_years``.
HEADLINE_PATH_MODES = {
    "growth_path": (headline_growth_path, ("growth_boost_pp", "growth_boost_first_pp", "growth_start_year",
                                           "growth_window_years", "growth_ramp", "grid_years")),
    "level_path": (headline_level_path, ("level_path_points", "grid_years")),
}


def level_path_points(params):
    """The dated points ``[(year, pct), ...]`` of a level-path headline (the first ``level_points``)."""
    n = int(params.level_points)
    return [(float(getattr(params, f"level_year_{k}")), float(getattr(params, f"level_pct_{k}")))
            for k in range(1, n + 1)]


def headline_path(mode, params, grid_years):
    r"""The anchor's level path :math:`H` on ``grid_years`` ``(d, G)``: the dispatcher of the time-path modes."""
    try:
        fn, keys = HEADLINE_PATH_MODES[mode]
    except KeyError:
        raise ValueError(f"unknown headline path mode {mode!r}") from None
    special = {"grid_years": grid_years, "level_path_points": level_path_points(params) if mode == "level_path" else None}
    return fn(*[special[k] if k in special else getattr(params, k) for k in keys])
