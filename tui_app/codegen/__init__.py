"""Settings as code: a run's request and retry settings as a program of the user's own.

``claude-tui code`` prints it, in Python (the ``anthropic`` SDK, sync or async) or in
TypeScript (``@anthropic-ai/sdk``); the program does what ``claude-tui run`` does with the
same settings (same requests, same retries, same waits within the jitter's draw, same
outcome).

>>> from tui_app.codegen.spec import ProgramSpec
>>> from tui_app.settings import RunSettings
>>> source = program_source(ProgramSpec.from_settings("Hi", RunSettings()))
>>> "max_retries=0" in source and "message_stop" in source
True

Import-free: the parsers of ``code``, ``sessions export`` and ``lab`` read
:data:`LANGUAGES` from here, and ``sessions list`` must not pay for the generator; it is
imported when a program is generated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .spec import ProgramSpec

LANGUAGES = ("python", "typescript")
"""What ``--lang`` takes; the first is the default."""
EXTENSIONS = {"python": ".py", "typescript": ".ts"}
"""A program's file name extension, by language."""


def program_source(spec: ProgramSpec, lang: str = "python", *, use_async: bool = False) -> str:
    """The program of ``spec`` in ``lang``. ``ValueError`` naming ``--async`` for an async
    TypeScript program: the TypeScript SDK is async only, there is no other kind."""
    if lang == "typescript":
        if use_async:
            raise ValueError("--async: a TypeScript program is always async (leave --async out)")
        from .typescript import typescript_program

        return typescript_program(spec)
    from .python import python_program

    return python_program(spec, use_async=use_async)
