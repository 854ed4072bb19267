"""Commands beyond the core five (uncertainty, sensitivity, report) register here."""

from __future__ import annotations

EXTRA_COMMANDS: dict = {}


def add_extra_commands(sub, add_selectors) -> None:
    """Add the extra sub-commands to the ``python -m model`` parser."""
