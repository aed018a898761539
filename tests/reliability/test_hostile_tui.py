"""The real TUI process, in a pseudo-terminal, never writes escape sequences it was given.

What a terminal receives is the only proof that counts: a prompt recorded with OSC 52
(write the clipboard) and clear-screen is replayed by ``claude-tui replay``, and every byte
the app writes is searched for those sequences. The escaped form must be on screen instead
— in the answer too (the simulator's answer echoes the prompt), not only in the prompt echo.
Pilot-level tests of each panel, dialog and notice are in tests/ui/test_hostile_text.py.
"""

from __future__ import annotations

HOSTILE = "\x1b]52;c;SGVsbG8=\x07\x1b[2J"
SEQUENCES = (b"\x1b]52;c;SGVsbG8=", b"\x1b[2J")
"""What the terminal would obey (the app's own output has neither OSC 52 nor clear-screen)."""
SHOWN = rb"\x1b]52;c;SGVsbG8=\x07\x1b[2J"


def test_a_replayed_hostile_session_is_shown_escaped_never_obeyed(run_cli_in_process, pty_app):
    recorded = run_cli_in_process("run", "-", "--sim", input=f"{HOSTILE} evil prompt")  # the recording: in-process
    assert recorded.returncode == 0, recorded.stderr
    tui = pty_app("replay", "1", "--speed", "max")
    tui.wait_for(b"ok end_turn", timeout=30)  # the attempts row of the success: the whole run is replayed
    # The answer's first line (the simulator echoes the prompt) drawn escaped, as is the prompt
    # echo; waited for, not looked up at once: the frame that draws it may follow the row's.
    tui.wait_for(b"answer to: " + SHOWN, timeout=30)
    output = tui.output
    for sequence in SEQUENCES:
        assert sequence not in output, f"{sequence!r} reached the terminal"
    assert output.count(SHOWN) >= 2
