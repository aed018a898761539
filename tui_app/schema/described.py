"""A setting as the schema's functions see it: its declaration, its key and where it is kept."""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .kinds import Kind


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting, declared once: with :func:`setting`, as the typed field that holds it.

    ``key`` is its profile key and the field path errors name; ``attr`` is where
    ``RunSettings`` keeps the value: a field, ``policy.FIELD`` (the retry policy) or
    ``timeout_overrides.NAME`` (an override of the preset's timeout). Both come from where
    the field is (:func:`collect`); the default is the field's (``RunSettings().values()``).
    """

    key: str
    _: KW_ONLY
    attr: str
    kind: Kind
    help: str
    """One line: the flag's help, the README's "meaning" column."""
    flag: str
    label: str
    """How the TUI labels its field, and names it in an error there."""
    unit: str = ""
    form: Literal["settings", "prompt"] | None = "settings"
    """Where the TUI edits it: the settings tab, the prompt panel, or nowhere."""
    preset_default: bool = False
    """Left unset, the timeout preset's value applies (timeouts, deadline)."""
    at_least: str | None = None
    """Key of another setting this one may not be below (max_delay >= base_delay)."""
    doc_default: str | None = None
    """The default in words, where the value depends on the install (the model)."""
    metavar: str | None = None
    """The flag's value placeholder, if not the kind's (``ID`` for the model)."""

    @property
    def table(self) -> str:
        """The profile's ``[table]`` it is written in ("" = the top of the file)."""
        return self.key.rpartition(".")[0]

    @property
    def leaf(self) -> str:
        return self.key.rpartition(".")[2]

    @property
    def dest(self) -> str:
        """The argparse attribute of its flag (``--max-attempts`` → ``max_attempts``)."""
        return self.flag.removeprefix("--").replace("-", "_")

    @property
    def widget_id(self) -> str:
        """The id of its field in the TUI: the flag's name (``--read-timeout`` → ``read-timeout``)."""
        return self.flag.removeprefix("--")
