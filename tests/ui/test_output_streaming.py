"""The answer panel streams by freezing finished blocks and re-rendering only a small tail."""

from __future__ import annotations

from textual.app import App

from tui_app.retry.events import AttemptError, AttemptStart, Success, TextDelta
from tui_app.retry.failures import Failure
from tui_app.ui.widgets.response.live_answer import PIECE_CHARS, LiveAnswer
from tui_app.ui.widgets.response.markdown_blocks import finished
from tui_app.ui.widgets.response.markdown_lines import MarkdownLines
from tui_app.ui.widgets.response.output import OutputPanel

BLOCKS = "".join(
    f"## Part {i}\n\nSome words about retries and backoff, part {i}.\n\n"
    f"```python\ndelay = min(cap, base * 2 ** {i})\n\nprint(delay)\n```\n\n"
    f"| n | delay |\n| --- | --- |\n| {i} | {i * 2} |\n\n- one\n- two\n\n"
    for i in range(12)
)


def test_a_block_is_finished_once_a_complete_line_closes_it():
    assert finished("para\n\n```\ncode\n\nmore\n```\n\nnext").chars == len("para\n\n```\ncode\n\nmore\n```\n")
    assert finished("# Title\n\nfirst paragraph").chars == len("# Title\n")
    assert finished("- item\n\n  continued item\n").chars == 0  # indented: still the same list item
    assert finished("- item\n\n- next item\n").chars == 0  # a loose list goes on
    assert finished("- item\n\nA paragraph").chars == len("- item\n\n")  # this line cannot be an item
    assert finished("- item\n\n-").chars == 0  # this one still can
    assert finished("```\nopen fence\n\nstill code").chars == 0
    assert finished("~~~\n```\n\nnot closed by backticks\n").chars == 0
    assert finished("````\n```\n````\n\n").chars == len("````\n```\n````\n")
    assert finished("```\ncode\n``` info\n\nstill code\n").chars == 0  # a closing fence has no info string
    assert finished("no blank line yet").chars == 0
    assert finished("a\n\n---\n\nb").after == "rule"


async def _until(pilot, condition, timeout: float = 5.0) -> None:
    """Pause the app until ``condition()`` holds (bounded): repaints come from a timer."""
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        await pilot.pause(0.01)
    assert condition()


class Harness(App[None]):
    def compose(self):
        yield OutputPanel(id="output")


async def test_stream_freezes_pieces_shows_everything_then_collapses_to_one_render():
    app = Harness()
    async with app.run_test(size=(100, 30)) as pilot:
        panel = app.query_one(OutputPanel)
        await panel.begin_turn("question")
        for i in range(0, len(BLOCKS), 7):
            await panel.apply(TextDelta(t=0.0, attempt=1, text=BLOCKS[i : i + 7]))
        await _until(pilot, lambda: panel.live_text == BLOCKS)  # the repaint timer shows the rest
        live = panel.query_one(".answer.-live", LiveAnswer)
        assert live.pieces and all(len(p) <= PIECE_CHARS or p == live.pieces[-1] for p in live.pieces)
        assert live.tail == "- one\n- two\n\n", "only the block still arriving is re-rendered"
        assert "".join(live.pieces) + live.tail == BLOCKS
        await panel.apply(Success(t=1.0, attempt=1, text=BLOCKS))
        await pilot.pause()
        assert not panel.query(".answer.-live")
        [answer] = panel.query(".answer")
        assert isinstance(answer, MarkdownLines) and answer.has_class("-static")
        assert panel.last_answer == BLOCKS and panel.live_text is None


async def test_a_failed_attempt_is_dimmed_then_dropped_when_the_retry_starts():
    app = Harness()
    failure = Failure(kind="overloaded", retryable=True, message="Overloaded", status=529)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = app.query_one(OutputPanel)
        await panel.begin_turn("question")
        await panel.apply(TextDelta(t=0.0, attempt=1, text="partial answer"))
        await panel.apply(AttemptError(t=0.1, attempt=1, failure=failure))
        await pilot.pause()
        assert panel.query_one(".answer.-live").has_class("-discarded")
        await panel.apply(AttemptStart(t=0.2, attempt=2))
        await panel.apply(TextDelta(t=0.3, attempt=2, text="fresh"))
        await _until(pilot, lambda: panel.live_text == "fresh")
        assert len(panel.query(".answer")) == 1
