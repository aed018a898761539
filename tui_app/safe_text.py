"""Text from outside (prompts, answers, server error messages) made safe to show on a terminal.

A terminal obeys escape sequences wherever they come from: an error message from a proxy,
a prompt read from a file, or an answer a model was talked into writing could clear the
screen, retitle the window or set the clipboard (OSC 52). Every line claude-tui writes for
people goes through :func:`one_line`, and text shown on a terminal through :func:`visible`;
both turn control characters into readable escapes (``\\x1b``) instead. Output meant for
programs (stdout when redirected, ``--events``, exports to files) stays byte-exact.

>>> one_line("bad\\x1b[2J news\\nsecond line")
'bad\\\\x1b[2J news\\\\nsecond line'
"""

from __future__ import annotations

import re

MAX_LINE = 2000
"""Characters of one message line; the rest is counted, not shown (a 5 MB error body)."""

# C0 controls but tab and newline, DEL, C1 controls (0x9b is a one-byte CSI), and the
# Unicode direction overrides that make text display in another order than it reads.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_BREAK = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x0A:
        return "\\n"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character but tab and newline shown as an escape."""
    return _CONTROL.sub(_escape, text)


def stand_in(text: str) -> str:
    """``text`` with each control character but tab and newline replaced by ONE visible
    character (``␛`` for ESC, ``�`` past the C0 range), so the result has the same length.

    For editors: their cursor and selection are offsets into the real text, so what they
    draw must keep every character's place (``visible`` turns one character into four).
    """
    return _CONTROL.sub(_picture, text)


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode "control pictures": ␀ … ␟
    return "\u2421" if code == 0x7F else "\ufffd"


def one_line(text: str, limit: int = MAX_LINE) -> str:
    """``text`` as one safe line: controls and line breaks escaped, at most ``limit`` characters kept."""
    if len(text) > limit:
        text = f"{text[:limit]}… ({len(text) - limit} more characters)"
    return _CONTROL_OR_BREAK.sub(_escape, text)
