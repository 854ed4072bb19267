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


def headline_potential(mode, usd_bn, pct_gdp, hulten_gdp_gain_pct, world_gdp_2023_usd_bn):
    r"""World potential gain at full adoption, billion USD_2023.

    ``mode`` is ``"usd"`` (:math:`P = P_\$`), ``"pct_gdp"`` (:math:`P = p \, Y_W(2023)/100`)
    or ``"hulten"`` (:math:`P = \Delta\mathrm{TFP} \cdot m \cdot Y_W(2023)`, with the GDP
    gain ``hulten_gdp_gain_pct`` = :math:`100 \Delta\mathrm{TFP}\,m`).
    """
    if mode == "usd":
        return float(usd_bn)
    if mode == "pct_gdp":
        return float(pct_gdp) / 100.0 * world_gdp_2023_usd_bn
    if mode == "hulten":
        return float(hulten_gdp_gain_pct) / 100.0 * world_gdp_2023_usd_bn
    raise ValueError(f"unknown headline mode {mode!r}")


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


def logistic_adoption(t, midpoint, speed, ceiling, base_year=BASE_YEAR):
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
    """
    m = np.asarray(midpoint, dtype=float)[..., None] - base_year
    t = np.asarray(t, dtype=float) - base_year
    # exp(-k (t - m)) = exp(-k t) * exp(k m): one full-size multiply instead of three passes.
    z = np.exp(-speed * t) * np.exp(speed * m)
    fb = 1.0 / (1.0 + np.exp(speed * m))  # f(t_b)
    scale = ceiling / (1.0 - fb)
    a = scale / (1.0 + z) - scale * fb
    return np.maximum(a, 0.0, out=a)


def restriction_loss_levers(value_scale, adoption, adoption_delayed, restricted, share, substitution, drag):
    r"""Gain lost by each restricted country, split by lever so the parts add up exactly.

    With :math:`V_i(t) = P_i\,Y_i(t)/Y_i(2023)` (``value_scale``), open-access gain
    :math:`G^o = V A`, the restricted products' shortfall
    :math:`x = V s (1-\phi) (A - A^\Delta)` and compliance drag :math:`c`, the scenario
    gain of a restricted country is :math:`G = (1-c)(G^o - x)` and its loss
    :math:`G^o - G = x + c\,G^o - c\,x`. The loss is split by the two-player Shapley value
    between the product restriction and the drag, and the product part is split linearly
    into its gross value and the share substitution recovers:

    - ``restricted_products`` = :math:`V s (A - A^\Delta)(1 - c/2)`
    - ``substitution`` = :math:`-V s \phi (A - A^\Delta)(1 - c/2)`
    - ``compliance_drag`` = :math:`c\,G^o - c\,x/2`

    Parameters
    ----------
    value_scale, adoption, adoption_delayed : arrays (n, T)
    restricted : bool array (n,)
    share, substitution, drag : float
        :math:`s`, :math:`\phi`, :math:`c` as fractions.

    Returns
    -------
    dict of arrays (n, T), zero outside the restricted group.
    """
    r = np.asarray(restricted, dtype=float)[:, None]
    gap = value_scale * share * (adoption - adoption_delayed) * r
    open_gain = value_scale * adoption * r
    x = gap * (1.0 - substitution)
    return {
        "restricted_products": gap * (1.0 - drag / 2.0),
        "substitution": -gap * substitution * (1.0 - drag / 2.0),
        "compliance_drag": drag * open_gain - drag * x / 2.0,
    }


def leakage_transfer(group_loss, open_gain, restricted, leakage):
    r"""Gain captured by unrestricted economies from the group's loss, billion USD_2023.

    .. math:: T_j(t) = \ell \, L_R(t) \, \frac{G^o_j(t)}{\sum_{k \notin R} G^o_k(t)}, \quad j \notin R

    with :math:`L_R(t)` the group's total loss and :math:`\ell` the leakage share. Leakage
    moves gains and creates none: :math:`\sum_j T_j = \ell L_R` whenever any unrestricted
    economy has a positive open-access gain (otherwise nothing is transferred).

    Parameters
    ----------
    group_loss : array (T,) or (d, T)
    open_gain : array (n, T) or (d, n, T)
    restricted : bool array (n,)
    leakage : float
        Fraction.
    """
    outside = open_gain * (~np.asarray(restricted))[:, None]
    total = outside.sum(axis=-2)
    safe = np.where(total > 0, total, 1.0)
    return (np.where(total > 0, leakage * group_loss / safe, 0.0))[..., None, :] * outside


def present_value(values, years, rate, base_year=BASE_YEAR):
    r"""Net present value over the year axis, discounted to ``base_year``.

    .. math:: \mathrm{NPV} = \sum_t \frac{v(t)}{(1 + r)^{t - t_b}}
    """
    disc = (1.0 + rate) ** -(np.asarray(years, dtype=float) - base_year)
    return np.asarray(values) @ disc
