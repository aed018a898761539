"""``claude-tui code``: the settings of a run as a program of the user's own, on stdout.

It takes exactly ``run``'s request flags (and ``--profile``), so a command line that runs
in claude-tui becomes code by changing one word. Import-light (argparse at the top): its
parser is built only when ``code`` is the command; the generator is imported in :func:`run`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ..codegen import LANGUAGES
from .request_flags import add_request_command, settings_from_args
from .run import load_base_settings, read_prompt

if TYPE_CHECKING:
    import argparse

EPILOG = """\
The Python program needs only the anthropic SDK: anthropic.Timeout(connect, read, write,
pool), max_retries=0 and a retry loop equivalent to claude-tui's (retried statuses and
transport failures, x-should-retry, retry-after capped by the deadline, the jitter,
failures mid-stream (restart, continue or give up; a stream without message_stop is no
answer), fallback models, streaming or not, the retry budget and the circuit breaker
(module-level objects: shared by every call once in your code). Adaptive throttling is
refused. With no PROMPT it reads its prompt from its own arguments, or stdin.
--lang typescript writes the same program for @anthropic-ai/sdk on Node.js 20+ (fetch()
times no connect, write or pool: READ_TIMEOUT and DEADLINE bound an attempt).

  claude-tui code "Hello" --max-attempts 6 > ask.py && python ask.py
  claude-tui code "Hello" --lang typescript > ask.ts && npx tsx ask.ts
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_request_command(
        p,
        description="Print a self-contained Python (or TypeScript) program that does what `claude-tui run` does with these settings.",
        epilog=EPILOG,
        prompt="the prompt to embed, or - to read it from stdin",
    )
    out = p.add_argument_group("program")
    out.add_argument(
        "--async",
        dest="use_async",
        action="store_true",
        help="use anthropic.AsyncAnthropic and asyncio (default: the sync anthropic.Anthropic)",
    )
    add_lang_argument(out)


def add_lang_argument(group: argparse._ArgumentGroup) -> None:
    """``--lang``, as ``code``, ``sessions export`` and ``lab --export-code`` take it."""
    group.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=LANGUAGES[0],
        help="python (the anthropic SDK) or typescript (@anthropic-ai/sdk, Node.js 20+); default python",
    )


def run(args: argparse.Namespace) -> int:
    from ..safe_text import one_line

    try:
        settings = settings_from_args(args, load_base_settings(args))
        prompt = None if args.prompt is None else read_prompt(args)  # None: the program takes it
        from ..codegen import program_source
        from ..codegen.spec import ProgramSpec

        source = program_source(ProgramSpec.from_settings(prompt, settings), args.lang, use_async=args.use_async)
    except ValueError as exc:
        print(f"claude-tui code: {one_line(str(exc))}", file=sys.stderr)
        return 2
    sys.stdout.write(source)
    return 0
