"""``claude-tui`` with no subcommand: open the terminal UI.

Import-light at module level (``cli.py`` imports it for every TUI start): Textual is
imported inside ``run`` and ``anthropic`` only after the first paint, in a worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def run(args: argparse.Namespace) -> int:
    """Open the TUI (with ``--profile NAME`` if given); a bad profile is a notice, not an exit."""
    from .. import gc_policy  # the stdlib's gc only: Textual is not imported yet

    gc_policy.starting()
    try:
        return _open(args)
    finally:
        gc_policy.release()


def _open(args: argparse.Namespace) -> int:
    settings = None
    notices: list[str] = []
    profile = getattr(args, "profile", None)
    if profile:
        from ..store.profiles import ProfileError, load_profile

        try:
            settings = load_profile(profile)
        except ProfileError as exc:
            notices.append(f"{exc} — starting with the default settings")
    from ..ui.app import ClaudeTUI

    app = ClaudeTUI(settings=settings, notices=notices)
    app.run()
    return app.return_code or 0
