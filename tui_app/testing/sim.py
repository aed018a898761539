""":class:`ClaudeSim` (the handle a test gets) and :func:`serve` (its context manager).

A thin layer over :class:`tui_app.simulator.Simulator`, which already runs the server in a
thread of its own (so sync and async clients, and a test's own event loop, all work): what a
test needs on top is a key to send, a model the simulator accepts and the exact answer to
expect, so that a test never hard-codes a model id the installed SDK may have dropped.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..models import default_model
from ..simulator import Simulator, answer_for
from ..simulator.answers import split_deltas

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..simulator import RecordedRequest
    from ..simulator.host import ScenarioSpec

API_KEY = "sim-key"
"""The key to send: the simulator accepts any non-empty one and masks it in its log."""


class ClaudeSim(Simulator):
    """A running simulator for one test: everything of :class:`~tui_app.simulator.Simulator`
    (``base_url``, ``requests``, ``attempts``, ``reset()``, ``set_scenario()``, ``scenario``)
    plus what a client under test needs.

    ``requests`` lists every request received, oldest first, as
    :class:`~tui_app.simulator.RecordedRequest`: ``attempt``, ``method``, ``path``,
    ``headers`` (the key masked), the JSON ``body``, the ``fault`` applied, the ``status``
    sent, and timing (``received_at``, ``headers_after``, ``duration``, in seconds).
    """

    api_key = API_KEY

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received, oldest first, read once the simulator has finished writing
        its responses (a client has its last byte a moment before the server's log is done;
        while a response is still going, e.g. a stream the test holds open, this waits up to
        a second and that entry's ``duration`` is None)."""
        return self.settled_requests()

    @property
    def model(self) -> str:
        """A model id the simulator accepts: the scenario's first declared ``models`` entry,
        else claude-tui's default (the newest Sonnet of the installed SDK's table)."""
        return self.scenario.models[0] if self.scenario.models else default_model()

    @property
    def env(self) -> dict[str, str]:
        """``ANTHROPIC_BASE_URL`` and ``ANTHROPIC_API_KEY`` for a program run in a subprocess."""
        return {"ANTHROPIC_BASE_URL": self.base_url, "ANTHROPIC_API_KEY": self.api_key}

    def answer_for(self, prompt: str, *, max_tokens: int | None = None) -> str:
        """The exact answer text a successful attempt gets for ``prompt`` (its first user
        message) under this scenario: every retry gets the same text. Give the request's
        ``max_tokens`` when it may cut the answer short (one streamed delta is one token).
        A ``recorded`` step (an exported incident) sends its own recorded text instead."""
        text = answer_for(prompt, chars=self.scenario.answer_chars)
        return text if max_tokens is None else "".join(split_deltas(text)[:max_tokens])


@contextmanager
def serve(scenario: ScenarioSpec = "happy", *, seed: int = 0, port: int = 0) -> Iterator[ClaudeSim]:
    """Serve ``scenario`` (a built-in name, a ``.toml``/``.json`` path, a dict or a
    ``Scenario``) on 127.0.0.1 for the ``with`` block; ``port=0`` picks a free port.

    >>> import anthropic
    >>> with serve(scenario="529-then-ok") as sim:
    ...     client = anthropic.Anthropic(base_url=sim.base_url, api_key=sim.api_key, max_retries=1)
    ...     reply = client.messages.create(
    ...         model=sim.model, max_tokens=256, messages=[{"role": "user", "content": "Hi"}]
    ...     )
    >>> [r.status for r in sim.requests], reply.content[0].text == sim.answer_for("Hi")
    ([529, 200], True)

    A bad scenario raises :class:`~tui_app.simulator.ScenarioError` (one line) before
    anything starts.
    """
    with ClaudeSim(scenario, seed=seed, port=port) as sim:
        yield sim
