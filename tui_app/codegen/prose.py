"""Text both generated programs say in the same words: how each jitter mode waits.

Kept apart from the code templates, which differ by language, so the Python and the
TypeScript program describe the same backoff the same way (each wraps it for its own
comment syntax with :func:`wrapped`).
"""

from __future__ import annotations

import textwrap

JITTER_DOCS = {
    "full": 'Full jitter (AWS "Exponential Backoff and Jitter"): drawn from 0 up to '
    "BASE_DELAY * 2**(retry - 1), capped at MAX_DELAY.",
    "equal": 'Equal jitter (AWS "Exponential Backoff and Jitter"): half of BASE_DELAY * '
    "2**(retry - 1), capped at MAX_DELAY, plus up to the other half.",
    "none": "No jitter: BASE_DELAY * 2**(retry - 1), capped at MAX_DELAY (every client "
    "that failed together retries together).",
    "sdk": "The official SDK's own backoff: BASE_DELAY * 2**(retry - 1), capped at "
    "MAX_DELAY, times 1 - 0.25 * random().",
    "additive": "Exponential plus up to one second: BASE_DELAY * 2**(retry - 1) + uniform(0, 1), capped at MAX_DELAY.",
    "decorrelated": 'Decorrelated jitter (AWS "Exponential Backoff and Jitter"): drawn '
    "between BASE_DELAY and three times the previous wait, capped at MAX_DELAY.",
}
"""The backoff of each ``retry.jitter`` mode, in words (the same formulas as
``tui_app/retry/policy.py``'s ``backoff_delay``)."""

BACKOFF_DOC = (
    "Seconds to wait after failed attempt `retry` (`previous`: the last backoff wait, {none} before the first). "
)
"""The first sentence of ``backoff``'s comment; ``{none}`` is the language's "no value"."""


def wrapped(text: str, first: str, rest: str, width: int = 88) -> list[str]:
    """``text`` wrapped to ``width`` columns, the first line after ``first``, the others
    after ``rest`` (a docstring's indent, or `` * `` in a JSDoc comment)."""
    return textwrap.wrap(text, width=width, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False)
