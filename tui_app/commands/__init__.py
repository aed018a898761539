"""The subcommands of ``claude-tui`` (``cli.COMMANDS``), one module each, and what they share.

Each module's top is import-light: it is imported only when its subcommand is chosen, and a
cheap command (``sessions list``) must not pay for what another needs (the settings schema
of ``run``'s flags).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def parse_positive_int(text: str) -> int:
    """argparse ``type=`` for ids and counts (a whole number >= 1): argparse names the flag."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be >= 1")
    return value


def write_out(text: str) -> None:
    """Text to stdout: control characters escaped for a terminal, exact for a pipe."""
    from ..safe_text import visible

    sys.stdout.write(visible(text) if sys.stdout.isatty() else text)


def write_output(text: str, output: str | None) -> str | None:
    """``text`` to ``output`` (a file; None or ``-``: stdout); the problem in one line, if any."""
    if not output or output == "-":
        write_out(text)
        return None
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        return f"cannot write {output}: {exc.strerror or exc}"
    return None
