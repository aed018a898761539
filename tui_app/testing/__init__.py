"""The simulator in your own tests: a pytest fixture, and a context manager for any runner.

With claude-tui installed, pytest finds the ``claude_sim`` fixture by itself (entry point
``pytest11``, module :mod:`tui_app.testing.plugin`)::

    @pytest.mark.claude_sim(scenario="overload-storm", seed=1)
    def test_my_retry(claude_sim):
        client = anthropic.Anthropic(base_url=claude_sim.base_url, api_key=claude_sim.api_key)
        ...
        assert [r.status for r in claude_sim.requests] == [529, 529, 529, 200]

Other runners (unittest, a script, a benchmark) use :func:`serve`::

    from tui_app.testing import serve

    with serve(scenario="overload-storm") as sim:
        ...

Why the names are resolved lazily: pytest imports the plugin in every run of every project
where claude-tui is installed, and the plugin imports this package. Until a test asks for
the fixture nothing heavier than this file is loaded (no simulator, no asyncio, no SDK).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .sim import API_KEY, ClaudeSim, serve

__all__ = ["API_KEY", "ClaudeSim", "serve"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import sim

        return getattr(sim, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
