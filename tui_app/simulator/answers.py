"""The deterministic answer text the simulator streams, and how it is cut into deltas.

Why deterministic: a retried request must produce a byte-identical answer, so a test (or
a person watching the TUI) can tell a resumed/continued answer from a fresh one, and
``claude-tui run`` output can be compared to :func:`answer_for` exactly. The text depends
only on the prompt and the requested length, never on time, attempt or the process's
salted ``hash()``: it is seeded from a SHA-256 of the prompt.

The text is light Markdown (paragraphs, a bullet list, inline code) so that the UI's
Markdown rendering is exercised, and it is cut into many small deltas (1 to 10
characters) so that streaming, the delta counter and mid-stream faults have something to
work on.
"""

from __future__ import annotations

import hashlib
import random
import re

DEFAULT_ANSWER_CHARS = 600
"""Length of the answer when neither the caller nor the scenario says otherwise."""

_WORDS = (
    "the request retry backoff jitter deadline stream token answer server client "
    "timeout attempt budget latency socket header chunk event model prompt policy "
    "window error signal queue buffer reader writer delay limit status handshake "
    "a an of to in on for with by from while after before each every only never "
    "is are was can may will should keeps waits reads sends drops resumes fails "
    "recovers measures grows shrinks slowly quickly again calmly"
).split()

_DELTA_RE = re.compile(r"\S{1,8}\s{0,2}|\s{1,8}")
"""A delta: up to 8 visible characters plus up to 2 following spaces, or a run of space."""


def answer_for(prompt: str, *, chars: int | None = None) -> str:
    """Return the exact answer text the happy path streams for ``prompt``.

    >>> answer_for("Hi", chars=40) == answer_for("Hi", chars=40)
    True
    >>> len(answer_for("Hi", chars=40))
    40

    ``chars`` defaults to :data:`DEFAULT_ANSWER_CHARS` (a scenario's ``answer_chars``
    overrides it for the whole scenario).
    """
    length = DEFAULT_ANSWER_CHARS if chars is None else chars
    if length < 1:
        raise ValueError("chars must be >= 1")
    seed = int.from_bytes(hashlib.sha256(prompt.encode("utf-8")).digest()[:8], "big")
    rng = random.Random(seed)
    topic = " ".join(prompt.split())[:60] or "(empty prompt)"
    parts = [f"Simulated answer to: {topic}\n\n"]
    size = len(parts[0])
    while size < length:
        block = _paragraph(rng) if rng.random() < 0.75 else _bullets(rng)
        parts.append(block)
        size += len(block)
    text = "".join(parts)[:length]
    if text[-1].isspace():
        text = text[:-1] + "."
    return text


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
        parts.append(_sentence(rng) + " ")
    return "".join(parts)[:length].rstrip() or "."


def signature_for(thinking: str) -> str:
    """A stand-in for a thinking block's signature (opaque base64 to the client, as the API's)."""
    import base64

    return base64.b64encode(hashlib.sha256(thinking.encode("utf-8")).digest() * 2).decode("ascii")


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(5, 14))]
    if rng.random() < 0.2:
        words[rng.randrange(len(words))] = f"`{rng.choice(_WORDS)}()`"
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 4))) + "\n\n"


def _bullets(rng: random.Random) -> str:
    return "".join(f"- {_sentence(rng)}\n" for _ in range(rng.randint(2, 4))) + "\n"


def split_deltas(text: str) -> list[str]:
    """Cut ``text`` into word-ish deltas of 1 to 10 characters; they join back to ``text``."""
    return _DELTA_RE.findall(text)


def input_tokens_for(prompt: str) -> int:
    """A rough input token count: about four characters a token."""
    return len(prompt) // 4 + 1
