"""The deterministic answer text the simulator streams, and how it is cut into deltas.

Why deterministic: a retried request must produce a byte-identical answer, so a test (or
a person watching the TUI) can tell a resumed/continued answer from a fresh one, and
``claude-tui run`` output can be compared to :func:`answer_for` exactly. The text depends
only on the prompt and the requested length, never on time, attempt or the process's
salted ``hash()``: it is seeded from a SHA-256 of the prompt.

The text is real-looking Markdown (see :mod:`.markdown`: headings, lists, a fenced code
block in the language the prompt suggests, sometimes a table, inline code) so that the
UI's Markdown rendering is exercised, and it is cut into many small deltas (1 to 10
characters) so that streaming, the delta counter and mid-stream faults have something to
work on.
"""

from __future__ import annotations

import hashlib
import random
import re

from .markdown import document, sentence

DEFAULT_ANSWER_CHARS = 600
"""Length of the answer when neither the caller nor the scenario says otherwise."""

_DELTA_RE = re.compile(r"\S{1,8}\s{0,2}|\s{1,8}")
"""A delta: up to 8 visible characters plus up to 2 following spaces, or a run of space."""


def answer_for(prompt: str, *, chars: int | None = None, system: str = "") -> str:
    """Return the exact answer text the happy path streams for ``prompt``.

    >>> answer_for("Hi", chars=40) == answer_for("Hi", chars=40)
    True
    >>> len(answer_for("Hi", chars=400)) <= 400
    True

    ``chars`` (default :data:`DEFAULT_ANSWER_CHARS`; a scenario's ``answer_chars``
    overrides it for the whole scenario) is the most the answer may be: it ends at the last
    sentence or block boundary within it, as a model's answer ends (a fenced code block or
    a table is never cut). ``system`` (the request's system prompt) shapes it: a line that
    says what it was asked to be.
    """
    length = DEFAULT_ANSWER_CHARS if chars is None else chars
    if length < 1:
        raise ValueError("chars must be >= 1")
    seed = int.from_bytes(hashlib.sha256(prompt.encode("utf-8")).digest()[:8], "big")
    topic = " ".join(prompt.split())[:60] or "(empty prompt)"
    head = f"Simulated answer to: {topic}\n\n"
    if system.strip():
        head += f"> Answering as the system prompt asks: *{' '.join(system.split())[:80]}*\n\n"
    return document(random.Random(seed), head, prompt, length)


DEFAULT_THINKING_CHARS = 400
"""Length of the simulated thinking when a request asks for thinking."""


def thinking_for(prompt: str, *, chars: int | None = None) -> str:
    """The thinking the simulator streams before :func:`answer_for`'s answer: deterministic
    like it (seeded from the prompt, another stream of the same seed), plain sentences.

    >>> thinking_for("Hi", chars=30) == thinking_for("Hi", chars=30)
    True
    """
    length = DEFAULT_THINKING_CHARS if chars is None else chars
    if length < 1:
        raise ValueError("chars must be >= 1")
    seed = int.from_bytes(hashlib.sha256(b"thinking:" + prompt.encode("utf-8")).digest()[:8], "big")
    rng = random.Random(seed)
    topic = " ".join(prompt.split())[:60] or "(empty prompt)"
    parts = [f"The question is about: {topic}. "]
    while sum(map(len, parts)) < length:
        parts.append(sentence(rng) + " ")
    return "".join(parts)[:length].rstrip() or "."


def signature_for(thinking: str) -> str:
    """A stand-in for a thinking block's signature (opaque base64 to the client, as the API's)."""
    import base64

    return base64.b64encode(hashlib.sha256(thinking.encode("utf-8")).digest() * 2).decode("ascii")


def split_deltas(text: str) -> list[str]:
    """Cut ``text`` into word-ish deltas of 1 to 10 characters; they join back to ``text``."""
    return _DELTA_RE.findall(text)


def input_tokens_for(prompt: str) -> int:
    """A rough input token count: about four characters a token."""
    return len(prompt) // 4 + 1
