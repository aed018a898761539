"""The live answer draws, at every frame, what the text so far draws rendered at once.

Each document is streamed in chunks of 1–4 characters into a ``LiveAnswer`` (finished blocks
frozen and rendered once, the tail rendered again) and, frame by frame, compared with a
``MarkdownLines`` holding the same text (the whole-document render an answer collapses
into): every line, text and style, finished blocks and tail alike. A frozen block that
should have changed later (a fence that was not closed after all, a list that went on)
would differ at a later frame, since frozen blocks are never split again.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.app import App

from tui_app.ui.widgets.response import live_answer
from tui_app.ui.widgets.response.live_answer import LiveAnswer
from tui_app.ui.widgets.response.markdown_blocks import markdown
from tui_app.ui.widgets.response.markdown_lines import MarkdownLines

DOCUMENTS = {
    # The three a user met: a fence closed by the wrong line, a loose list, a late definition.
    "tilde-fence-holding-backticks": "Intro.\n\n~~~\n```\nstill code\n\nmore code\n~~~\n\nProse again.\n\nEnd.\n",
    "four-backticks-holding-three": "Intro.\n\n````md\n```python\nx = 1\n```\n\nstill code\n````\n\nProse.\n\nEnd.\n",
    "loose-ordered-list": "Steps:\n\n1. one\n\n2. two\n\n3. three\n\nDone.\n",
    "link-defined-after-use": "See [the docs] and [Other][ref].\n\nMore text.\n\n[the docs]: https://x.y/d\n[ref]: /r 'T'\n",
    # Fences by the CommonMark rules: same character, at least as long, no info string.
    "backtick-fence-holding-tildes": "a\n\n```\n~~~\nnot closed\n~~~\n```\n\nb\n\nc\n",
    "closing-fence-longer": "a\n\n```\ncode\n``````\n\nb\n\nc\n",
    "closing-fence-with-info-is-code": "a\n\n```\ncode\n``` py\nstill code\n```\n\nb\n\nc\n",
    "indented-fences": "a\n\n   ```\n   three spaces\n  ```\n\n    four spaces: code\n\n    ```\n\nb\n\nc\n",
    "fence-in-list-item": "- item\n\n  ```\n  code\n\n  more\n  ```\n\n- next\n\nafter\n\nend\n",
    "fence-in-block-quote": "> ```\n> quoted code\n\n> again\n\npara\n\nend\n",
    "unclosed-fence-at-end": "a\n\nb\n\n```\ncode\n\nmore\n",
    "nested-fences": "~~~~\n~~~\n````\n```\n~~~~\n\n```\n````\n~~~\n```\n\nafter\n\nend\n",
    # The rest of the block grammar.
    "setext-headings": "Title\n=====\n\nSub\n---\n\npara\n---\n\n---\n\nend\n",
    "headings-and-rules": "# One\n\n## Two\n\n***\n\nafter a rule\n\n- - -\n\n### Three\npara\n",
    "lists": "- a\n- b\n\n* star\n+ plus\n\n1) x\n2) y\n\n1. a\n2. b\n3. c\n4. d\n5. e\n6. f\n7. g\n8. h\n9. i\n10. j\n\nend\n",
    "nested-lists": "- a\n  - b\n\n    para in b\n- c\n\n1990. not a list end\n\nend\n",
    "tables": "para\n| a | b |\n| --- | :-: |\n| 1 | 2 |\n\n| x |\n| - |\n| y |\n\nend\n",
    "html-blocks": "<div>\nhtml\n</div>\n\n<!-- a comment\n\nspanning lines -->\n\n<pre>\npre\n\nblank\n</pre>\n\nend\n",
    "indented-code": "para\n\n    code\n\n    more code\nx\n\nend\n",
    "quotes": "> quote\nlazy line\n\n> second\n\nend\n",
    "definition-that-turns-out-not-to-be": "See [foo] and [bar].\n\n[foo]: /u x\n\n[bar]: /b\n'open title\n\nend\n",
    "definitions": "[a]: /1\n[b]:\n/2\n'title'\n\nuse [a] [b] [c]\n\n[c]: /3\n[a]: /loses\n",
}


class Pair(App[None]):
    """The live answer and the whole-document render, side by side on one style."""

    def compose(self):
        yield LiveAnswer()
        yield MarkdownLines("")


def _texts(lines) -> list[str]:
    return [line.text for line in lines]


def stream(app: App[None], text: str, *, seed: int, width: int) -> int:
    """Stream ``text`` into the pair's live answer, comparing every frame; the number of
    frames that had frozen blocks."""
    live, whole = app.query_one(LiveAnswer), app.query_one(MarkdownLines)
    rng, end, frozen = random.Random(seed), 0, 0
    while end < len(text):
        end = min(len(text), end + rng.randint(1, 4))
        live.show(text[:end])
        whole.show(text[:end])
        assert live.source == text[:end]
        got, want = live.lines_at(width), whole.lines_at(width)
        assert _texts(got) == _texts(want), f"after {text[:end]!r} (frozen: {live.pieces!r})"
        assert got == want, f"styles differ after {text[:end]!r}"
        frozen += bool(live.pieces)
    return frozen


@pytest.mark.parametrize("width", [60, 23])
@pytest.mark.parametrize("name", list(DOCUMENTS))
async def test_every_frame_draws_what_the_whole_text_draws(name, width):
    async with Pair().run_test(size=(80, 60)) as pilot:
        frames_with_frozen_blocks = stream(pilot.app, DOCUMENTS[name], seed=len(name), width=width)
        assert frames_with_frozen_blocks, "nothing was frozen: the comparison proved nothing about freezing"


async def test_a_block_frozen_before_its_link_definition_is_drawn_again():
    text = DOCUMENTS["link-defined-after-use"]
    async with Pair().run_test(size=(80, 30)) as pilot:
        live = pilot.app.query_one(LiveAnswer)
        before = text.index("[the docs]:")
        live.show(text[:before])
        assert live.pieces[0].startswith("See [the docs]")
        assert _texts(live.lines_at(60))[0].rstrip() == "See [the docs] and [Other][ref]."
        live.show(text)
        assert _texts(live.lines_at(60))[0].rstrip() == "See the docs and Other."


async def test_a_long_answer_is_frozen_in_pieces_and_reads_as_a_whole(monkeypatch):
    monkeypatch.setattr(live_answer, "PIECE_CHARS", 150)  # several pieces from a short answer
    blocks = "".join(
        f"## Part {i}\n\nSome words about retries, part {i}.\n\n```python\ndelay = {i}\n\nprint(delay)\n```\n\n"
        f"| n | delay |\n| --- | --- |\n| {i} | {i * 2} |\n\n1. one\n\n2. two\n\n---\n"
        for i in range(3)
    )
    async with Pair().run_test(size=(90, 40)) as pilot:
        assert stream(pilot.app, blocks, seed=7, width=80)
        assert len(pilot.app.query_one(LiveAnswer).pieces) >= 3


FRAGMENTS = [
    *(text for text in DOCUMENTS.values() if len(text) < 80),
    "A paragraph with `code`, *emphasis* and a [link](/x).",
    "A paragraph\nover two lines",
    "# Heading",
    "Setext\n===",
    "---",
    "***",
    "```\ncode\n```",
    "```python\ndef f():\n    return 1\n```",
    "~~~\n```\n~~~",
    "````\n```\n````",
    "```\n``` info\n```",
    "  ~~~\n  indented\n   ~~~",
    "```\nunclosed",
    "- one\n- two",
    "- one\n\n- two",
    "1. one\n\n2. two",
    "- item\n\n  ```\n  fenced\n\n  ```",
    "> quote",
    "> ```\n> code",
    "| a | b |\n| - | - |\n| 1 | 2 |",
    "<div>\nhtml\n</div>",
    "<!--\n\n-->",
    "    indented code",
    "See [foo] and [bar][].",
    "[foo]: /foo",
    "[bar]: /bar 'Bar'",
    "[foo]: /second",
    "1990. a year",
    "-",
    "x",
]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=st.lists(st.sampled_from(FRAGMENTS), min_size=2, max_size=6),
    glue=st.lists(st.sampled_from(["\n", "\n\n", "\n\n\n"]), min_size=6, max_size=6),
    end=st.sampled_from(["", "\n"]),
    seed=st.integers(0, 2**16),
    width=st.sampled_from([60, 23]),
)
async def test_any_mix_of_blocks_streams_as_the_whole_renders(parts, glue, end, seed, width):
    text = "".join(part + sep for part, sep in zip(parts, glue, strict=False)).rstrip("\n") + end
    async with Pair().run_test(size=(80, 30)) as pilot:
        stream(pilot.app, text, seed=seed, width=width)


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_the_shared_parser_parses_as_rich_does(name):
    """Both sides above render through ``markdown_blocks.markdown`` (one parser for every
    render); it must be exactly what Rich's own ``Markdown`` makes of the text."""
    from rich.markdown import Markdown

    ours, rich = markdown(DOCUMENTS[name]), Markdown(DOCUMENTS[name])
    assert ours.parsed == rich.parsed
    assert {k: v for k, v in vars(ours).items() if k != "parsed"} == {
        k: v for k, v in vars(rich).items() if k != "parsed"
    }
