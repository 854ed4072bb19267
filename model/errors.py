"""The errors every layer of the package shares (imported by all, importing nothing)."""


class ScenarioError(ValueError):
    """Bad input: an unknown key or preset, a value out of range, a malformed file.

    The message is one line that names the offending field, the value and what is
    allowed. Nothing is computed or written when it is raised.
    """


class DeclarationError(RuntimeError):
    """A declaration file (parameters.toml, presets.toml, outputs.toml, ...) is malformed."""
