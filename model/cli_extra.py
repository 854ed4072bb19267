"""Commands beyond the core five (docs, uncertainty, sensitivity, report) register here."""

from __future__ import annotations

from pathlib import Path

EXTRA_COMMANDS: dict = {}


def cmd_docs(args) -> None:
    from .docs import parameters_markdown

    out = Path(args.out)
    out.write_text(parameters_markdown())
    print(f"wrote {out}")


def add_extra_commands(sub, add_selectors) -> None:
    """Add the extra sub-commands to the ``python -m model`` parser."""
    p = sub.add_parser("docs", help="regenerate docs/parameters.md from the declarations")
    p.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "docs" / "parameters.md"))
    EXTRA_COMMANDS["docs"] = cmd_docs
