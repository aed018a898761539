"""``claude-tui run`` puts back the SIGINT handler it found (a process that goes on keeps its own)."""

from __future__ import annotations

import asyncio
import signal

from tui_app import headless


class Controller:
    def cancel(self) -> None:
        raise AssertionError("not interrupted in this test")


def test_the_previous_sigint_handler_is_put_back():
    def mine(signum, frame):  # pragma: no cover - never delivered
        pass

    before = signal.signal(signal.SIGINT, mine)
    try:

        async def run() -> str:
            return await headless._with_sigint(Controller(), asyncio.sleep(0, result="done"))  # type: ignore[arg-type]

        assert asyncio.run(run()) == "done"
        assert signal.getsignal(signal.SIGINT) is mine  # asyncio alone leaves SIG_DFL's default_int_handler
    finally:
        signal.signal(signal.SIGINT, before)
