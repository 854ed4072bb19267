"""Hypothesis strategies over the whole declared parameter space."""

from hypothesis import strategies as st

from model import PARAMETERS, REGIONS

GROUPS = list(REGIONS) + ["ITA", "DEU,FRA", "USA,CHN", "IND,BRA,ZAF", "JPN"]


def value_strategy(spec):
    if spec.kind == "float":
        return st.floats(spec.min, spec.max, allow_nan=False, allow_infinity=False)
    if spec.kind == "int":
        hi = min(int(spec.max), 2060)  # keep examples quick; the max is checked separately
        return st.integers(int(spec.min), hi)
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "choice":
        return st.sampled_from(spec.choices)
    return st.sampled_from(GROUPS)


def _increasing_level_years(values):
    """The dated points of a level-path headline must be in increasing years (validated across keys)."""
    keys = sorted(k for k in values if k.startswith("level_year_"))
    years = sorted(values[k] for k in keys)
    out = dict(values)
    for i, k in enumerate(keys):
        out[k] = min(years[i] + i, PARAMETERS[k].max - (len(keys) - 1 - i))
    for i in range(1, len(keys)):  # strictly increasing, inside the range
        out[keys[i]] = max(out[keys[i]], out[keys[i - 1]] + 1)
    # levels that never fall: the properties of delays (more delay never lowers a loss) assume a path
    # that rises or stays (a falling level path is allowed, and there a delay postpones the fall)
    pct = sorted(k for k in values if k.startswith("level_pct_"))
    for k, v in zip(pct, sorted(values[k] for k in pct)):
        out[k] = v
    return out


params = st.fixed_dictionaries({k: value_strategy(s) for k, s in PARAMETERS.items()}).map(_increasing_level_years)
