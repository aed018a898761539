"""The subcommands of ``claude-tui`` (``cli.COMMANDS``), one module each, and what they share.

Each module's top is import-light: it is imported only when its subcommand is chosen, and a
cheap command (``sessions list``) must not pay for what another needs (the settings schema
of ``run``'s flags).
"""

from __future__ import annotations

import argparse


def parse_positive_int(text: str) -> int:
    """argparse ``type=`` for ids and counts (a whole number >= 1): argparse names the flag."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be >= 1")
    return value
