"""The request flags shared by ``run``, ``profiles save`` and the TUI's ``--profile``.

One flag per setting of the schema (:mod:`tui_app.schema`), so a profile saved from flags
and a run given the same flags can never disagree, and a new setting gets its flag by
being declared. Import-light (argparse only) because ``--help`` builds every parser.
"""

from __future__ import annotations

import argparse  # (loaded already: the CLI parses with it)

from ..schema import FieldError, add_flags, flag_error, flag_values
from ..settings import RunSettings


def add_request_flags(parser: argparse.ArgumentParser, *, with_profile: bool = True) -> None:
    """Model, prompt options, timeouts, retry policy and scenario flags (all optional)."""
    if with_profile:
        parser.add_argument("--profile", metavar="NAME", help="start from this saved profile")
    add_flags(parser, RunSettings().values())


def add_request_command(parser: argparse.ArgumentParser, *, description: str, epilog: str, prompt: str) -> None:
    """The part ``run`` and ``code`` share, so that ``code`` takes exactly ``run``'s request:
    the optional PROMPT (``prompt``: its help) and every request flag."""
    parser.description, parser.epilog = description, epilog
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("prompt", nargs="?", metavar="PROMPT|-", help=prompt)
    add_request_flags(parser)


def settings_from_args(args: argparse.Namespace, base: RunSettings | None = None) -> RunSettings:
    """Apply the flags that were given on top of ``base`` (a profile, or the defaults).

    Raises ``FieldError`` (a ``ValueError``), one line naming the flag and the fix: a rule
    between settings (``--max-delay`` below the profile's base delay) is named by the flag
    of the field it failed on.
    """
    try:
        return (base or RunSettings()).with_values(flag_values(args))
    except FieldError as exc:
        raise flag_error(exc) from None
