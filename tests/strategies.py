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


params = st.fixed_dictionaries({k: value_strategy(s) for k, s in PARAMETERS.items()})
