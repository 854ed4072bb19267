"""Command-line interface: ``python -m model {params,presets,run,summary,scenario,...}``.

Bad input of any kind exits with status 2 and one line on stderr, and writes nothing.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path
from typing import Sequence

import pandas as pd

from . import __version__
from .parameters import PARAMETERS, PRESETS, Scenario, ScenarioError, parse_assignment

SUMMARY_KEYS = [
    "gdp_base_usd_bn", "potential_gain_usd_bn", "gain_end_year_usd_bn", "gain_end_year_pct",
    "cumulative_gain_usd_bn", "cumulative_lost_usd_bn", "npv_gain_usd_bn",
]


class UsageError(Exception):
    """A command-line usage error (reported in one line, exit status 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage dump
        raise UsageError(f"{self.prog}: {message}")


def _add_selectors(p: argparse.ArgumentParser) -> None:
    p.add_argument("--preset", action="append", default=[], metavar="NAME",
                   help="apply a preset (repeatable, applied in order)")
    p.add_argument("--scenario", metavar="FILE.json", help="start from a scenario file")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="assignments",
                   help="override one parameter (repeatable, applied last)")
    p.add_argument("--name", help="scenario name (default: the presets joined with +)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m model", description="Generative-AI economic-impact scenario calculator.")
    parser.add_argument("--version", action="version", version=f"genai-impact {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("params", help="every parameter with default, range, unit")
    p.add_argument("--json", action="store_true", help="print JSON records")
    p = sub.add_parser("presets", help="every preset with description and source")
    p.add_argument("--json", action="store_true", help="print JSON records")

    p = sub.add_parser("run", help="run a scenario and write its results")
    _add_selectors(p)
    p.add_argument("--detail", choices=["regions", "countries"], default="regions")
    p.add_argument("--format", choices=["csv", "iamc", "xlsx"], default="csv")
    p.add_argument("--out", metavar="PATH", help="output file (CSV to stdout when omitted)")

    p = sub.add_parser("summary", help="one row per region and World")
    _add_selectors(p)
    p.add_argument("--detail", choices=["regions", "countries"], default="regions")
    p.add_argument("--json", action="store_true", help="print a list of JSON records")

    p = sub.add_parser("scenario", help="print the fully resolved scenario as JSON")
    _add_selectors(p)

    from .cli_extra import add_extra_commands

    add_extra_commands(sub, _add_selectors)
    return parser


def resolve_scenario(args: argparse.Namespace) -> Scenario:
    """Scenario from the selectors: ``--scenario`` file, then ``--preset``s, then ``--set``s."""
    base = None
    if args.scenario:
        try:
            text = Path(args.scenario).read_text()
        except OSError as exc:
            raise ScenarioError(f"cannot read scenario file {args.scenario!r}: {exc.strerror}") from None
        base = Scenario.from_json(text)
    overrides = dict(parse_assignment(a) for a in args.assignments)
    return Scenario.build(args.preset, overrides, name=args.name, base=base)


def _write_bytes(path: str, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise ScenarioError(f"cannot write {path!r}: {exc.strerror}") from None


def _records(df: pd.DataFrame) -> list[dict]:
    return json.loads(df.reset_index().to_json(orient="records", double_precision=10))


def cmd_params(args) -> None:
    if args.json:
        recs = [{"key": s.key, "label": s.label, "group": s.group, "unit": s.unit, "default": s.default,
                 "min": s.min, "max": s.max, "choices": list(s.choices), "source": s.source,
                 "judgement": s.judgement} for s in PARAMETERS.values()]
        print(json.dumps(recs, indent=2))
        return
    rows = []
    for s in PARAMETERS.values():
        rng = f"{s.min:g} .. {s.max:g}" if s.min is not None else (
            " | ".join(s.choices) if s.choices else ("true | false" if s.kind == "bool" else "region or ISO3 list"))
        rows.append({"key": s.key, "default": str(s.default), "range": rng, "unit": s.unit, "label": s.label})
    print(pd.DataFrame(rows).to_string(index=False))


def cmd_presets(args) -> None:
    if args.json:
        print(json.dumps([{"name": p.name, "kind": p.kind, "description": p.description, "source": p.source,
                           "values": dict(p.values), "judgement": list(p.judgement)}
                          for p in PRESETS.values()], indent=2))
        return
    for p in PRESETS.values():
        print(f"{p.name}  [{p.kind}]\n    {p.description}\n    source: {p.source}")
        if p.judgement:
            print(f"    judgement (not published figures): {', '.join(p.judgement)}")


def cmd_run(args) -> None:
    from .run import run

    if args.format == "xlsx" and not args.out:
        raise UsageError("run: --format xlsx needs --out PATH")
    result = run(resolve_scenario(args))
    if args.format == "xlsx":
        buf = io.BytesIO()
        result.to_excel(buf, detail=args.detail)
        _write_bytes(args.out, buf.getvalue())
        return
    if not args.out:
        sys.stdout.write(result.to_csv(None, detail=args.detail, format=args.format))
        return
    try:  # writes the IAMC metadata sidecar too
        result.to_csv(args.out, detail=args.detail, format=args.format)
    except OSError as exc:
        raise ScenarioError(f"cannot write {args.out!r}: {exc.strerror}") from None


def cmd_summary(args) -> None:
    from .run import run

    summ = run(resolve_scenario(args)).summary(detail=args.detail)
    if args.json:
        print(json.dumps(_records(summ), indent=2))
        return
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(summ[SUMMARY_KEYS].round(2).to_string())


def cmd_scenario(args) -> None:
    print(resolve_scenario(args).to_json())


COMMANDS = {"params": cmd_params, "presets": cmd_presets, "run": cmd_run, "summary": cmd_summary,
            "scenario": cmd_scenario}


def main(argv: Sequence[str] | None = None) -> int:
    from .cli_extra import EXTRA_COMMANDS

    try:
        args = build_parser().parse_args(argv)
        {**COMMANDS, **EXTRA_COMMANDS}[args.command](args)
    except (UsageError, ScenarioError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    return 0
