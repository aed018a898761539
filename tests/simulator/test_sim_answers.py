"""The deterministic answer text and its deltas."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_app.simulator import answer_for
from tui_app.simulator.answers import DEFAULT_ANSWER_CHARS, split_deltas


@given(st.text(max_size=200), st.integers(min_value=1, max_value=3000))
def test_answer_is_deterministic_at_most_chars_and_splits_back(prompt: str, chars: int) -> None:
    answer = answer_for(prompt, chars=chars)
    assert answer == answer_for(prompt, chars=chars)
    assert 0 < len(answer) <= chars and not answer[-1].isspace()
    assert answer.count("```") % 2 == 0  # a code block is never cut
    deltas = split_deltas(answer)
    assert "".join(deltas) == answer
    assert all(1 <= len(d) <= 10 for d in deltas)


def test_answer_depends_on_the_prompt_and_defaults_to_600_chars() -> None:
    assert DEFAULT_ANSWER_CHARS - 150 < len(answer_for("a")) <= DEFAULT_ANSWER_CHARS == 600
    assert answer_for("a") != answer_for("b")
    assert answer_for("Explain backoff").startswith("Simulated answer to: Explain backoff\n\n")
    with pytest.raises(ValueError):
        answer_for("a", chars=0)


def test_answer_is_the_same_in_another_process() -> None:
    """Seeded from SHA-256, not the per-process salted hash()."""
    code = "from tui_app.simulator import answer_for; print(answer_for('same?', chars=300), end='')"
    root = Path(__file__).resolve().parents[2]
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert other.stdout == answer_for("same?", chars=300)


@pytest.mark.parametrize("module", ["answers", "scenarios", "host"])
def test_docstring_examples_run(module: str) -> None:
    """The examples that open the public docstrings are real."""
    mod = importlib.import_module(f"tui_app.simulator.{module}")
    failed, tried = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert tried and not failed


@pytest.mark.parametrize(
    ("prompt", "language"),
    [("Retry in Rust?", "rust"), ("a bash loop", "bash"), ("With asyncio", "python"), ("Why jitter?", "python")],
)
def test_the_answer_is_markdown_with_code_in_the_language_the_prompt_suggests(prompt: str, language: str) -> None:
    answer = answer_for(prompt)
    assert f"\n```{language}\n" in answer and "\n## " in answer
    assert "\n- " in answer or "\n1. " in answer
    assert "`" in answer.replace("```", "")  # inline code too


def test_a_long_answer_has_a_table_and_ends_at_a_boundary() -> None:
    answer = answer_for("Explain backoff", chars=3000)
    assert "| --- |" in answer
    for chars in range(200, 3000, 37):  # wherever the length falls, the end is a sentence or a block
        cut = answer_for("Explain backoff", chars=chars)
        assert answer.startswith(cut)
        assert cut.endswith((".", "```")) or cut.endswith("|") and cut.count("```") % 2 == 0, cut[-80:]


def test_the_system_prompt_shapes_the_answer() -> None:
    plain, shaped = answer_for("Why jitter?"), answer_for("Why jitter?", system="Answer like a pirate.")
    assert shaped != plain and "Answer like a pirate." in shaped.split("\n\n")[1]
    assert answer_for("Why jitter?", system="  ") == plain
