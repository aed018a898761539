"""A broken profile or config file is a one-line notice in the TUI; nothing is lost.

The store's own tests check each message (tests/store/test_profile_validation.py); these
check what the person at the terminal gets: picking a broken profile shows a notice naming
the file, the field and the fix, on one line; the file is left byte for byte; the settings
in force do not change; and the app keeps working — the next prompt is answered.
"""

from __future__ import annotations

import re

import pytest

from tests.store.test_profile_validation import INVALID
from tui_app import paths
from tui_app.ui.config import UIConfig
from tui_app.ui.screens.dialogs import PickOne

CASES = {
    key: INVALID[key]
    for key in (
        "syntax",
        "max_tokens_string",
        "model_number",
        "typo_in_table",
        "retry_key_at_top",
        "timeout_nan",
        "timeout_negative",
        "timeout_huge",
        "deadline_zero",
        "unknown_preset",
        "unknown_scenario",
        "api_key",
        "not_utf8",
    )
}
CASES["unknown_scenario"] = (CASES["unknown_scenario"][0], r'simulator.scenario is not a known scenario, got "storm"')


def _write(name: str, content: str | bytes):
    path = paths.ensure_private_dir(paths.profiles_dir()) / f"{name}.toml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def _notices(app, title: str) -> list[str]:
    return [n.message for n in app._notifications if n.title == title]


async def test_broken_profiles_are_one_line_notices_and_nothing_is_lost(
    make_app, started, send_and_wait, wait_until, screen_text
):
    files = {name: _write(name, content) for name, (content, _pattern) in CASES.items()}
    files["a_directory"] = paths.profiles_dir() / "a_directory.toml"
    files["a_directory"].mkdir()
    before = {name: path.read_bytes() for name, path in files.items() if path.is_file()}
    app, _sim = make_app("happy")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await started(pilot)
        settings = screen.settings

        # The real path once: ctrl+l lists the profiles, enter picks the first ("a_directory").
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, PickOne), what="the profile list")
        await pilot.press("enter")
        await wait_until(pilot, lambda: _notices(app, "Profile not loaded"), what="the notice")
        [shown] = _notices(app, "Profile not loaded")
        assert (
            shown == f"profile 'a_directory' ({files['a_directory']}): is a directory, not a profile file: move it away"
        )
        assert "Profile not loaded" in screen_text(app)  # drawn as a toast, not only recorded

        for name, (_content, pattern) in CASES.items():
            app.clear_notifications()
            screen.use_profile(name)
            await pilot.pause()  # a notice is a message to the app: handled on its next turn
            [message] = _notices(app, "Profile not loaded")
            assert message.startswith(f"profile '{name}' ({files[name]}): "), message
            assert "\n" not in message and re.search(pattern, message), message
            assert screen.settings is settings  # the settings in force are kept
            if "[retry]" in message:  # drawn as plain text: as markup, "[retry]" would vanish
                await wait_until(pilot, lambda: "[retry]" in screen_text(app), timeout=3, what="[retry] drawn")

        assert {name: path.read_bytes() for name, path in files.items() if path.is_file()} == before
        assert files["a_directory"].is_dir()
        app.clear_notifications()
        await send_and_wait(pilot, "still working?")  # the app is not wedged by any of it
        assert screen.query_one("#output").last_answer.startswith("Simulated answer to: still working?")


@pytest.mark.parametrize(
    "content, needle",
    [
        ("theme = [broken", "cannot read"),
        (b'theme = "caf\xe9"\n', "cannot read"),
    ],
    ids=["syntax", "not_utf8"],
)
async def test_a_broken_config_file_is_a_one_line_notice_at_start(make_app, started, send_and_wait, content, needle):
    """config.toml (theme, keys, last model) broken: the app starts on defaults, says which
    file and what to do on one line, and leaves the file alone."""
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_bytes(content if isinstance(content, bytes) else content.encode())
    app, _sim = make_app("happy", config=UIConfig.load())
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        [message] = _notices(app, "Configuration")
        assert message.startswith(f"{config}: {needle}") and "\n" not in message, message
        assert "fix or delete the file" in message
        await send_and_wait(pilot, "hi")
    assert config.read_bytes() == (content if isinstance(content, bytes) else content.encode())
