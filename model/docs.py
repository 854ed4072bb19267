"""Generate ``docs/parameters.md`` from the parameter and preset declarations.

``python -m model docs`` rewrites it; ``tests/test_docs.py`` fails when it is stale.
"""

from __future__ import annotations

from .parameters import GROUPS, PARAMETERS, PRESETS


def _cell(x) -> str:
    return str(x).replace("|", "\\|")


def parameters_markdown() -> str:
    lines = ["# Parameters and presets", "",
             "Generated from `model/parameters.toml` and `model/presets.toml` by `python -m model docs`; "
             "do not edit by hand. *Judgement* marks a default that is our judgement, not a published figure.", ""]
    for group in GROUPS:
        lines += [f"## {group}", "", "| key | label | unit | default | range | applies | source |",
                  "|---|---|---|---|---|---|---|"]
        for s in PARAMETERS.values():
            if s.group != group:
                continue
            src = s.source + (" *(judgement)*" if s.judgement else "")
            applies = "; ".join(f"{k} in {', '.join(map(str, v))}" for k, v in s.applies_when.items()) or "always"
            if s.scope == "restriction":
                applies = "each restriction" + ("" if applies == "always" else f"; {applies}")
            if s.dimension:
                applies = f"{s.dimension} {s.member}; {applies}"
            lines.append(f"| `{s.key}` | {_cell(s.label)} | {_cell(s.unit)} | {_cell(s.default)} | {_cell(s.range_text())} "
                         f"| {_cell(applies)} | {_cell(src)} |")
        lines.append("")
    lines += ["## Uncertainty distributions", "",
              "| key | distribution | bounds are | low | mode | high | justification |", "|---|---|---|---|---|---|---|"]
    for s in PARAMETERS.values():
        if s.dist:
            mode = "" if s.dist_mode is None else f"{s.dist_mode:g}"
            lines.append(f"| `{s.key}` | {s.dist} | {s.dist_scale} | {s.dist_low:g} | {mode} | {s.dist_high:g} | {_cell(s.dist_note)} |")
    lines += ["", "## Presets", "", "| name | kind | description | values | judgement | source |", "|---|---|---|---|---|---|"]
    for p in PRESETS.values():
        vals = ", ".join([f"`{k}={v}`" for k, v in p.values.items()]
                         + [f"restriction *{r.label}*: " + ", ".join(f"`{k}={v}`" for k, v in r.model_dump().items()
                                                                      if k not in ("label", "group"))
                            for r in p.restrictions])
        lines.append(f"| `{p.name}` | {p.kind} | {_cell(p.description)} | {vals} | {', '.join(p.judgement)} | {_cell(p.source)} |")
    return "\n".join(lines) + "\n"
