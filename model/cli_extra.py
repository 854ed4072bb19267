"""Commands beyond the core five (docs, uncertainty, sensitivity, report) register here."""

from __future__ import annotations

import sys
from pathlib import Path

EXTRA_COMMANDS: dict = {}


def cmd_docs(args) -> None:
    from .docs import parameters_markdown

    out = Path(args.out)
    out.write_text(parameters_markdown())
    print(f"wrote {out}")


def _progress(total: int, enabled: bool):
    """A tqdm progress bar on stderr (shown for long runs only); returns (callback, close)."""
    if not enabled:
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="draw", file=sys.stderr, mininterval=0.5, delay=1.0)
    return bar.update, bar.close


def _write_text(path: str | None, text: str) -> None:
    from .cli import _write_bytes

    if path:
        _write_bytes(path, text.encode())
    else:
        sys.stdout.write(text)


def cmd_uncertainty(args) -> None:
    from .cli import UsageError, resolve_scenario
    from .parameters import PARAMETERS, ScenarioError
    from .uncertainty import monte_carlo

    if args.draws < 1 or args.chunk_size < 1:
        raise UsageError(f"uncertainty: --draws={args.draws} and --chunk-size={args.chunk_size} must be at least 1")
    scenario = resolve_scenario(args)
    fixed = [k.strip() for k in (args.fix or "").split(",") if k.strip()]
    for k in fixed:
        if k not in PARAMETERS:
            raise ScenarioError(f"--fix {k!r}: unknown parameter")
    update, close = _progress(args.draws, not args.no_progress)
    scheduler = args.scheduler
    try:
        mc = monte_carlo(scenario, draws=args.draws, seed=args.seed, chunk_size=args.chunk_size,
                         scheduler=scheduler, fixed=fixed, thresholds=args.threshold or (), progress=update)
    except OSError as exc:
        raise ScenarioError(f"cannot reach the Dask scheduler {scheduler!r}: {exc}") from None
    finally:
        close()
    _write_text(args.out, mc.to_csv())
    print(mc.probability_statement(), file=sys.stderr)
    for x in args.threshold or ():
        print(f"P({mc.group_label} cumulative loss > {x:g} bn) = {mc.probability(x):.3f}", file=sys.stderr)


def cmd_sensitivity(args) -> None:
    from .cli import resolve_scenario
    from .uncertainty import sensitivity

    df = sensitivity(resolve_scenario(args), method=args.method, output=args.output, n=args.samples, seed=args.seed)
    _write_text(args.out, df.to_csv(index=False, float_format="%.6g", lineterminator="\n"))


def cmd_report(args) -> None:
    from .cli import UsageError, _write_bytes, resolve_scenario
    from .report import report_html
    from .run import run

    if args.draws < 0:
        raise UsageError(f"report: --draws={args.draws} must be 0 or more")
    scenario = resolve_scenario(args)
    command = "python -m model report " + " ".join(sys.argv[2:]) if len(sys.argv) > 2 else None
    text = report_html(run(scenario), draws=args.draws, seed=args.seed, command=command)
    _write_bytes(args.out, text.encode("utf-8"))


def add_extra_commands(sub, add_selectors) -> None:
    """Add the extra sub-commands to the ``python -m model`` parser."""
    from .uncertainty import SENSITIVITY_OUTPUTS

    p = sub.add_parser("docs", help="regenerate docs/parameters.md from the declarations")
    p.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "docs" / "parameters.md"))
    EXTRA_COMMANDS["docs"] = cmd_docs

    p = sub.add_parser("uncertainty", help="Monte Carlo: tidy percentiles per region and year")
    add_selectors(p)
    p.add_argument("--draws", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--chunk-size", type=int, default=1000, help="draws evaluated at once (bounds memory)")
    p.add_argument("--scheduler", metavar="ADDRESS|local", help="run the chunks on a Dask cluster")
    p.add_argument("--fix", metavar="KEY,KEY", help="hold these parameters at the scenario's value")
    p.add_argument("--threshold", type=float, action="append", metavar="USD_BN",
                   help="also report P(group cumulative loss > USD_BN) (repeatable)")
    p.add_argument("--out", metavar="PATH", help="output CSV (stdout when omitted)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    EXTRA_COMMANDS["uncertainty"] = cmd_uncertainty

    p = sub.add_parser("sensitivity", help="tornado or Sobol sensitivity indices")
    add_selectors(p)
    p.add_argument("--method", choices=["tornado", "sobol"], default="tornado")
    p.add_argument("--output", choices=list(SENSITIVITY_OUTPUTS), default="group_cumulative_lost")
    p.add_argument("--samples", type=int, default=512, help="Sobol base samples N (N*(2k+2) evaluations)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", metavar="PATH", help="output CSV (stdout when omitted)")
    EXTRA_COMMANDS["sensitivity"] = cmd_sensitivity

    p = sub.add_parser("report", help="a self-contained HTML report (opens offline)")
    add_selectors(p)
    p.add_argument("--out", required=True, metavar="PATH")
    p.add_argument("--draws", type=int, default=1000, help="Monte Carlo draws for the uncertainty section (0: none)")
    p.add_argument("--seed", type=int, default=0)
    EXTRA_COMMANDS["report"] = cmd_report
