"""The Markdown of a simulated answer: blocks built from a seeded RNG, cut at a boundary.

Why real-looking Markdown: the TUI's live renderer has to cope with what models really
send (headings, nested structure, fenced code in the language asked about, tables, inline
code), and a failure rehearsal is more convincing when the answer looks like one. Why a
boundary: a model's answer ends at the end of a sentence or a block, never inside a code
fence or a table row, so the simulator's does too; only ``max_tokens`` cuts mid-way (and
then says so with ``stop_reason`` ``max_tokens``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import random

WORDS = (
    "the request retry backoff jitter deadline stream token answer server client "
    "timeout attempt budget latency socket header chunk event model prompt policy "
    "window error signal queue buffer reader writer delay limit status handshake "
    "a an of to in on for with by from while after before each every only never "
    "is are was can may will should keeps waits reads sends drops resumes fails "
    "recovers measures grows shrinks slowly quickly again calmly"
).split()
_NOUNS = WORDS[:30]

LANGUAGES: dict[str, tuple[str, ...]] = {
    "rust": ("rust", "cargo"),
    "go": ("golang", " go "),
    "typescript": ("typescript", " ts "),
    "javascript": ("javascript", "node", " js "),
    "bash": ("bash", "shell", "curl", "terminal"),
    "sql": ("sql", "database", "query"),
    "toml": ("toml", "config"),
    "python": ("python", "pytest", "asyncio"),
}
"""Language of the code block -> words in a prompt that suggest it (python when none does)."""

_CODE: dict[str, str] = {
    "python": "def {f}(attempt: int) -> float:\n    return min({n}.0, 0.5 * 2**attempt)\n",
    "rust": "fn {f}(attempt: u32) -> f64 {{\n    (0.5 * 2f64.powi(attempt as i32)).min({n}.0)\n}}\n",
    "go": "func {f}(attempt int) float64 {{\n\treturn math.Min({n}, 0.5*math.Pow(2, float64(attempt)))\n}}\n",
    "typescript": "function {f}(attempt: number): number {{\n  return Math.min({n}, 0.5 * 2 ** attempt);\n}}\n",
    "javascript": "function {f}(attempt) {{\n  return Math.min({n}, 0.5 * 2 ** attempt);\n}}\n",
    "bash": "for attempt in 1 2 3; do\n  {f} && break\n  sleep $((attempt * {n}))\ndone\n",
    "sql": "SELECT attempt, status, {f}\nFROM requests\nWHERE delay_ms > {n}00;\n",
    "toml": "[retry]\n{f} = true\nmax_attempts = {n}\n",
}


def language_for(prompt: str) -> str:
    """The code block's language: the first the prompt suggests, else python."""
    text = f" {prompt.lower()} "
    return next((lang for lang, hints in LANGUAGES.items() if any(h in text for h in hints)), "python")


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(5, 14))]
    if rng.random() < 0.2:
        words[rng.randrange(len(words))] = f"`{rng.choice(WORDS)}()`"
    return " ".join(words).capitalize() + "."


def _heading(rng: random.Random) -> str:
    return f"## {' '.join(rng.choice(_NOUNS) for _ in range(rng.randint(1, 3))).capitalize()}\n\n"


def _paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 4))) + "\n\n"


def _bullets(rng: random.Random, most: int = 4) -> str:
    if rng.random() < 0.4:
        return "".join(f"{i}. {sentence(rng)}\n" for i in range(1, rng.randint(3, most + 1))) + "\n"
    return "".join(f"- {sentence(rng)}\n" for _ in range(rng.randint(2, most))) + "\n"


def _code(rng: random.Random, language: str) -> str:
    name = "_".join(rng.choice(_NOUNS) for _ in range(2))
    body = _CODE[language].format(f=name, n=rng.randint(2, 9))
    return f"```{language}\n{body}```\n\n"


def _table(rng: random.Random) -> str:
    rows = [f"| {rng.choice(_NOUNS)} | {rng.randint(1, 9)} | {rng.choice(_NOUNS)} |\n" for _ in range(3)]
    return "| setting | value | note |\n| --- | --- | --- |\n" + "".join(rows) + "\n"


def document(rng: random.Random, head: str, prompt: str, length: int) -> str:
    """Blocks after ``head`` until there are ``length`` characters, then :func:`cut` there.

    The order is that of a typical answer: a paragraph, then sections (a heading, prose,
    a list, a code block, sometimes a table)."""
    language = language_for(prompt)
    intro = " ".join(sentence(rng) for _ in range(rng.randint(1, 2))) + "\n\n"
    parts = [head, intro, _heading(rng), _bullets(rng, most=3), _code(rng, language)]
    while sum(map(len, parts)) < length:
        parts.append(_paragraph(rng))
        parts.append(_heading(rng))
        parts.append(_bullets(rng) if rng.random() < 0.5 else _paragraph(rng))
        if rng.random() < 0.4:
            parts.append(_table(rng))
        elif rng.random() < 0.5:
            parts.append(_code(rng, language))
    return cut("".join(parts), length)


_SENTENCE_END = re.compile(r"[.!?*]\n|[.!?] ")


def cut(text: str, length: int) -> str:
    """``text`` ended at its last sentence or block boundary within ``length`` characters.

    A boundary is a sentence's end, or a line's end outside a fenced block and a table;
    with none (``length`` shorter than the first sentence) the last whole word, else the
    characters themselves. Trailing space is dropped: an answer ends with a visible character.
    """
    if len(text) <= length:
        return text.rstrip()
    best, fenced, heading = 0, False, False
    for match in re.finditer(r"[^\n]*\n", text[:length]):
        line, end = match.group(), match.end()
        if line == "\n":
            if not heading and not fenced:
                best = end
            continue
        heading = line.startswith("## ")
        if line.startswith("```"):
            fenced = not fenced
            if not fenced:
                best = end  # after a closing fence
            continue
        if fenced or line.startswith("|") and text[end : end + 1] == "|":
            continue  # inside code, or a table row with more rows after it
        if not heading:
            best = end
    if not fenced:  # sentences inside the last, unfinished paragraph or item
        tail = text[best:length]
        ends = [m.start() + 1 for m in _SENTENCE_END.finditer(tail + " ") if m.start() + 1 <= len(tail)]
        if ends and not tail.startswith(("|", "```", "## ")):
            best += ends[-1]
    out = text[:best].rstrip()
    if out:
        return out
    words = text[:length].rsplit(" ", 1)[0].rstrip()
    return words if words and len(text) > length else text[:length].rstrip() or text[:length]
