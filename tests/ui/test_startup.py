"""The first screen must not wait for heavy imports: checked in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

FIRST_PAINT_PROBE = textwrap.dedent(
    """
    import asyncio, sys
    from tui_app.commands import tui  # what cli.py imports for a TUI start
    assert "textual" not in sys.modules, "commands.tui imports textual at module level"
    from tui_app.ui.app import ClaudeTUI
    from tui_app.ui.screens.main import MainScreen

    # the SDK and its HTTP stack; the simulator; the event classes (~15 ms of dataclasses:
    # the panels dispatch on ``event.type`` and need them only once a run starts); the
    # settings schema's ``Setting`` dataclass (made when a declaration is first read) and
    # ``json`` (only a rule or an error in words needs it; Textual does not, before the
    # first frame); ``importlib.util`` (the model table is found with ``PathFinder``)
    HEAVY = (
        "anthropic", "httpx2", "tui_app.simulator", "tui_app.retry.events", "tui_app.retry.failures",
        "tui_app.schema.described", "json", "importlib.util",
    )
    seen = {}
    mount = MainScreen.on_mount
    def on_mount(self):
        mount(self)
        seen["heavy at mount"] = sorted(m for m in HEAVY if m in sys.modules)

    MainScreen.on_mount = on_mount

    async def main():
        app = ClaudeTUI()
        async with app.run_test(size=(80, 24)) as pilot:
            await app.backend.ready()
            await pilot.pause()
            seen["loaded later"] = "anthropic" in sys.modules
    asyncio.run(main())
    print(seen)
    """
)


def test_first_screen_paints_before_anthropic_is_imported():
    out = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT_PROBE], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert "{'heavy at mount': [], 'loaded later': True}" in out, out


@pytest.mark.parametrize(("argv", "parsed", "profile"), [([], False, None), (["--profile", "slow"], True, "slow")])
def test_plain_start_opens_the_tui_without_building_the_subcommand_parsers(monkeypatch, argv, parsed, profile):
    from tui_app import cli
    from tui_app.commands import tui

    built = []
    build = cli.build_parser
    monkeypatch.setattr(cli, "build_parser", lambda: built.append(1) or build())
    opened = []
    monkeypatch.setattr(tui, "run", lambda args: opened.append((args.command, args.profile)) or 0)
    assert cli.main(argv) == 0
    assert opened == [(None, profile)]
    assert bool(built) is parsed


HELP_PROBE = textwrap.dedent(
    """
    import sys
    from tui_app.cli import main
    try:
        main(sys.argv[1:])
    except SystemExit:
        pass
    LATER = ("tui_app.commands", "tui_app.settings", "tui_app.schema", "json", "dataclasses")
    print(sorted(m for m in sys.modules if m.startswith(LATER) and not m.startswith("json.")))
    """
)


@pytest.mark.parametrize(
    ("argv", "loaded"),
    [
        (["--help"], []),
        (["--version"], []),
        (["sessions", "--help"], ["json", "tui_app.commands", "tui_app.commands.sessions"]),
    ],
)
def test_help_and_version_build_no_subcommand_parser(argv, loaded):
    """``--help`` lists the subcommands without importing them (nor the settings schema their
    flags come from); a subcommand builds its own parser only."""
    out = subprocess.run(
        [sys.executable, "-c", HELP_PROBE, *argv], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert out.splitlines()[-1] == repr(loaded), out
