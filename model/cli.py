"""Command-line interface: ``python -m model`` (or ``genai-impact``) and its sub-commands.

Bad input of any kind exits with status 2 and one line on stderr, and writes nothing. Every
file is written atomically. ``params``, ``presets``, ``scenario`` and ``summary`` import none of
scipy, SALib, dask, plotly or openpyxl; the other commands load what they need when they run.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from typing import Callable, Sequence

from . import __version__
from .parameters import PARAMETERS, PRESETS, Scenario, ScenarioError, parse_assignment
from .safeio import (MAX_DRAWS, arg_float, arg_int, atomic_write, check_name, load_json_bounded, read_user_file,
                     validate_scheduler_address)

SUMMARY_KEYS = [
    "gdp_base_usd_bn", "potential_gain_usd_bn", "gain_end_year_usd_bn", "gain_end_year_pct",
    "cumulative_gain_usd_bn", "cumulative_lost_usd_bn", "npv_gain_usd_bn",
]
#: Documented maxima of the work a command may be asked for.
MAX_CHUNK = 100_000
MAX_SAMPLES = 65_536
MAX_SEED = 2**63 - 1


class UsageError(Exception):
    """A command-line usage error (reported in one line, exit status 2)."""


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # one line, no usage dump
        raise UsageError(f"{self.prog}: {message}")


def _out_path(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("--out is empty: give a file name")
    return text


def _add_selectors(p: argparse.ArgumentParser) -> None:
    p.add_argument("--preset", action="append", default=[], metavar="NAME",
                   help="apply a preset (repeatable; at most one headline preset, restriction presets add up)")
    p.add_argument("--scenario", metavar="FILE.json", help="start from a scenario file")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="assignments",
                   help="override one parameter (repeatable, applied last; a restriction field applies to every "
                        "restriction)")
    p.add_argument("--name", help="scenario name (default: the presets joined with +)")
    p.add_argument("--event", action="append", default=[], metavar="ID",
                   help="add a shipped restriction event (repeatable; list them with `events`)")
    p.add_argument("--events", metavar="FILE", help="add custom events from a CSV or JSON file (a list of records)")


def read_custom_events(path: str):
    """Custom events from a CSV or JSON file, through the one input boundary."""
    from .events import read_events, validate_events

    text = read_user_file(path, what="events file")
    where = f"events file {path[-60:]!r}"
    if text.lstrip().startswith(("[", "{")):
        data = load_json_bounded(text, what="events file")
        if isinstance(data, dict):
            data = data.get("events")
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data) or not 1 <= len(data) <= 500:
            raise ScenarioError(f"{where}: expected a JSON list of 1 to 500 event objects (or {{\"events\": [...]}})")
        return validate_events(data, where)
    import io as _io

    return read_events(_io.StringIO(text), where)


def resolve_scenario(args: argparse.Namespace) -> Scenario:
    """Scenario from the selectors: ``--scenario`` file, then ``--preset``s, then ``--set``s."""
    base = None
    if args.scenario:
        base = Scenario.from_dict(load_json_bounded(read_user_file(args.scenario), what="scenario file"))
    name = check_name(args.name, "--name") if args.name is not None else None
    overrides = dict(parse_assignment(a) for a in args.assignments)
    events = list(getattr(args, "event", []) or [])
    if getattr(args, "events", None):
        events += list(read_custom_events(args.events))
    return Scenario.build(args.preset, overrides, name=name, base=base, events=events)


def _write_text(path: str | None, text: str) -> None:
    if path:
        atomic_write(path, text.encode("utf-8"))
    else:
        sys.stdout.write(text)


def _records(df) -> list[dict]:
    return json.loads(df.reset_index().to_json(orient="records", double_precision=10))


# ----------------------------------------------------------------------------- commands
def cmd_params(args) -> None:
    if args.json:
        recs = [{"key": s.key, "label": s.label, "group": s.group, "unit": s.unit, "default": s.default,
                 "min": s.min, "max": s.max, "choices": list(s.choices), "scope": s.scope,
                 "applies_when": s.applies_when, "source": s.source, "judgement": s.judgement}
                for s in PARAMETERS.values()]
        print(json.dumps(recs, indent=2))
        return
    import pandas as pd

    rows = [{"key": s.key, "default": str(s.default), "range": s.range_text(), "unit": s.unit, "label": s.label}
            for s in PARAMETERS.values()]
    print(pd.DataFrame(rows).to_string(index=False))


def cmd_presets(args) -> None:
    if args.json:
        print(json.dumps([{"name": p.name, "kind": p.kind, "description": p.description, "source": p.source,
                           "values": dict(p.values), "restrictions": [r.model_dump(mode="json") for r in p.restrictions],
                           "events": list(p.events), "hypothetical": p.hypothetical,
                           "judgement": list(p.judgement)} for p in PRESETS.values()], indent=2))
        return
    for p in PRESETS.values():
        print(f"{p.name}  [{p.kind}]\n    {p.description}\n    source: {p.source}")
        if p.judgement:
            print(f"    judgement (not published figures): {', '.join(p.judgement)}")


def cmd_run(args) -> None:
    from .api import run
    from .io import excel_bytes, write_csv

    if args.format == "xlsx" and not args.out:
        raise UsageError("run: --format xlsx needs --out PATH")
    result = run(resolve_scenario(args))
    if args.format == "xlsx":
        atomic_write(args.out, excel_bytes([result], args.detail))
    elif not args.out:
        sys.stdout.write(write_csv([result], None, args.detail, args.format))
    else:  # the IAMC metadata sidecar is written together with the CSV
        write_csv([result], args.out, args.detail, args.format)


def cmd_summary(args) -> None:
    from .api import run

    result = run(resolve_scenario(args))
    summ = result.summary(detail=args.detail)
    if args.json:
        events = result.event_losses(cumulative=True)
        print(json.dumps({"summary": _records(summ), "group": result.group_label,
                          "event_losses": json.loads(events.to_json(orient="records", double_precision=10))},
                         indent=2))
        return
    import pandas as pd

    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print((summ[SUMMARY_KEYS].round(2) + 0.0).to_string())  # + 0.0: no '-0.00'


def cmd_scenario(args) -> None:
    print(resolve_scenario(args).to_json())


def cmd_events(args) -> None:
    from .events import events_frame, events_touching, load_events
    from .parameters import normalise_group

    if args.group:
        import pandas as pd

        from .data import load_countries

        group = normalise_group(args.group, PARAMETERS["restricted_group"])
        countries = load_countries()
        codes = set(countries.iso3[countries.region == group]) if group in countries.region.values else \
            set(group.split(","))
        pool = events_touching(codes)
    else:
        pool = sorted(load_events(), key=lambda e: (e.start_date, e.id))
    df = events_frame(pool)
    if args.json:
        print(df.to_json(orient="records", indent=2))
        return
    import pandas as pd

    show = df[["id", "kind", "countries", "start", "end", "status", "included", "confidence"]].copy()
    show["mechanism or reason excluded"] = [m.split(":")[0] if inc else m for m, inc in
                                            zip(df.mechanism_or_exclusion, df.included)]
    with pd.option_context("display.width", 250, "display.max_colwidth", 90, "display.max_rows", 500):
        print(show.to_string(index=False))


def cmd_countries(args) -> None:
    import pandas as pd

    from .observations import country_observations

    p = resolve_scenario(args).params
    df = country_observations(p).sort_values(args.sort, kind="stable").reset_index(drop=True)
    if args.json:
        print(df.to_json(orient="records", indent=2, double_precision=6))
        return
    print(f"# lags behind {p.usage_reference_iso3} at {p.usage_reference_period}, usage speed k_u = "
          f"{df.attrs['k_u']:.3f}/year, weight {p.usage_lag_weight:g}; negative = ahead of the reference")
    if df.attrs.get("usage_source") == "eurostat-enterprise":
        print(f"# EU members (lag_source 'enterprise') placed by Eurostat enterprise AI use in 2025 around the EU's "
              f"GDP-weighted mean lag, enterprise speed k_e = {df.attrs['k_e']:.3f}/year")
    with pd.option_context("display.width", 200, "display.max_rows", 400):
        print(df.round(3).to_string(index=False))


def cmd_docs(args) -> None:
    from .docs import parameters_markdown

    atomic_write(args.out, parameters_markdown().encode("utf-8"))
    print(f"wrote {args.out}")


def _progress(total: int, enabled: bool):
    """A tqdm progress bar on stderr (shown for long runs only); returns (callback, close)."""
    if not enabled:
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="draw", file=sys.stderr, mininterval=0.5, delay=1.0)
    return bar.update, bar.close


def cmd_uncertainty(args) -> None:
    from .uncertainty import monte_carlo

    scenario = resolve_scenario(args)
    fixed = [k.strip() for k in (args.fix or "").split(",") if k.strip()]
    for k in fixed:
        if k not in PARAMETERS:
            raise ScenarioError(f"--fix {k[:80]!r}: unknown parameter")
    scheduler = validate_scheduler_address(args.scheduler) if args.scheduler else None
    update, close = _progress(args.draws, not args.no_progress)
    try:
        mc = monte_carlo(scenario, draws=args.draws, seed=args.seed, chunk_size=args.chunk_size,
                         scheduler=scheduler, fixed=fixed, thresholds=args.threshold or (), progress=update,
                         timeout_s=args.timeout)
    finally:
        close()
    _write_text(args.out, mc.to_csv())
    print(mc.probability_statement(), file=sys.stderr)
    for x in args.threshold or ():
        print(f"P({mc.group_label} cumulative loss > {x:g} bn) = {mc.probability(x):.3f}", file=sys.stderr)


def cmd_sensitivity(args) -> None:
    from .safeio import format_number
    from .uncertainty import sensitivity

    df = sensitivity(resolve_scenario(args), method=args.method, output=args.output, n=args.samples, seed=args.seed)
    for c in df.columns:
        if df[c].dtype.kind == "f":
            df[c] = [format_number(x, ".6g") for x in df[c]]
    _write_text(args.out, df.to_csv(index=False, lineterminator="\n"))


def cmd_report(args) -> None:
    from .api import run
    from .report import report_html

    scenario = resolve_scenario(args)
    argv = list(args._argv)
    command = "python -m model " + shlex.join(argv)
    text = report_html(run(scenario), draws=args.draws, seed=args.seed, command=command)
    atomic_write(args.out, text.encode("utf-8"))


def build_parser() -> argparse.ArgumentParser:
    """The parser of every sub-command; each sub-parser's ``func`` default is its command."""
    parser = _Parser(prog="python -m model", description="Generative-AI economic-impact scenario calculator.")
    parser.add_argument("--version", action="version", version=f"genai-impact {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(name: str, func: Callable, help_: str, selectors: bool = False) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_)
        p.set_defaults(func=func)
        if selectors:
            _add_selectors(p)
        return p

    p = command("params", cmd_params, "every parameter with default, range, unit")
    p.add_argument("--json", action="store_true", help="print JSON records")
    p = command("presets", cmd_presets, "every preset with description and source")
    p.add_argument("--json", action="store_true", help="print JSON records")

    p = command("run", cmd_run, "run a scenario and write its results", selectors=True)
    p.add_argument("--detail", choices=["regions", "countries"], default="regions")
    p.add_argument("--format", choices=["csv", "iamc", "xlsx"], default="csv")
    p.add_argument("--out", metavar="PATH", type=_out_path, help="output file (CSV to stdout when omitted)")

    p = command("summary", cmd_summary, "one row per region and World", selectors=True)
    p.add_argument("--detail", choices=["regions", "countries"], default="regions")
    p.add_argument("--json", action="store_true", help="print a list of JSON records")

    command("scenario", cmd_scenario, "print the fully resolved scenario as JSON", selectors=True)

    p = command("events", cmd_events, "the restriction events: dates, kind, status, mechanism or why excluded")
    p.add_argument("--group", metavar="GROUP", help="only events touching a country of GROUP (a region or ISO3 codes)")
    p.add_argument("--json", action="store_true", help="print JSON records")

    p = command("countries", cmd_countries, "every economy's observed usage, derived adoption lag and exposure",
                selectors=True)
    p.add_argument("--sort", choices=["iso3", "lag_years", "usage_pct", "exposure_index", "region"], default="iso3")
    p.add_argument("--json", action="store_true", help="print JSON records")

    p = command("docs", cmd_docs, "regenerate docs/parameters.md from the declarations")
    p.add_argument("--out", default="docs/parameters.md", type=_out_path)

    p = command("uncertainty", cmd_uncertainty, "Monte Carlo: tidy percentiles per region and year", selectors=True)
    p.add_argument("--draws", type=arg_int("--draws", 1, MAX_DRAWS), default=1000,
                   help=f"number of draws, 1 to {MAX_DRAWS:,}")
    p.add_argument("--seed", type=arg_int("--seed", 0, MAX_SEED), default=0)
    p.add_argument("--chunk-size", type=arg_int("--chunk-size", 1, MAX_CHUNK), default=1000,
                   help=f"draws evaluated at once (bounds memory), 1 to {MAX_CHUNK:,}")
    p.add_argument("--scheduler", metavar="ADDRESS|local", help="run the chunks on a Dask cluster")
    p.add_argument("--timeout", type=arg_float("--timeout", True, 0.1, 3600.0), default=10.0,
                   help="seconds to wait when connecting to the Dask scheduler (default 10)")
    p.add_argument("--fix", metavar="KEY,KEY", help="hold these parameters at the scenario's value")
    p.add_argument("--threshold", type=arg_float("--threshold"), action="append", metavar="USD_BN",
                   help="also report P(group cumulative loss > USD_BN) (repeatable)")
    p.add_argument("--out", metavar="PATH", type=_out_path, help="output CSV (stdout when omitted)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")

    p = command("sensitivity", cmd_sensitivity, "tornado or Sobol sensitivity indices", selectors=True)
    p.add_argument("--method", choices=["tornado", "sobol"], default="tornado")
    p.add_argument("--output", choices=["group_cumulative_lost", "world_cumulative_gain", "group_cumulative_gain"],
                   default="group_cumulative_lost")
    p.add_argument("--samples", type=arg_int("--samples", 1, MAX_SAMPLES), default=512,
                   help=f"Sobol base samples N (N*(2k+2) evaluations), 1 to {MAX_SAMPLES:,}")
    p.add_argument("--seed", type=arg_int("--seed", 0, 2**32 - 1), default=0)
    p.add_argument("--out", metavar="PATH", type=_out_path, help="output CSV (stdout when omitted)")

    p = command("report", cmd_report, "a self-contained HTML report (opens offline)", selectors=True)
    p.add_argument("--out", required=True, metavar="PATH", type=_out_path)
    p.add_argument("--draws", type=arg_int("--draws", 0, 100_000), default=1000,
                   help="Monte Carlo draws for the uncertainty section (0: none)")
    p.add_argument("--seed", type=arg_int("--seed", 0, MAX_SEED), default=0)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 done, 2 bad input)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)
        args._argv = argv[1:]
        args.func(args)
    except (UsageError, ScenarioError) as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except MemoryError:
        print("error: out of memory: ask for fewer draws, a smaller --chunk-size or fewer --samples", file=sys.stderr)
        return 2
    return 0


def _one_line(text: str, limit: int = 400) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
