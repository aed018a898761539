"""Pieces of the Python program: the attempt loop, the deadline, the output, the entry point.

The loop is ``RetryRun._drive`` of ``tui_app/retry/runner.py`` written out: attempt,
classify the failure, decide (``next_wait``), say so on stderr, wait, attempt again. The
whole-call deadline is the one piece that differs between the two SDK clients: the async
program cancels an attempt at the deadline as the core does (``asyncio.timeout``); a sync
read cannot be cancelled from outside, so the sync program gives each attempt no timeout
longer than the time left and checks the clock between chunks.
"""

from __future__ import annotations

from dataclasses import replace

from .template import Piece

SYNC = {"ASYNC": "", "AWAIT": "", "CLIENT": "Anthropic", "SLEEP": "time.sleep", "RUN": "main()"}
ASYNC = {"ASYNC": "async ", "AWAIT": "await ", "CLIENT": "AsyncAnthropic", "SLEEP": "asyncio.sleep"}
ASYNC["RUN"] = "asyncio.run(main())"


def deadline(use_async: bool, stream: bool) -> Piece:
    """The deadline piece of either client; without streaming there are no chunks to
    check between, and the capped timeouts alone end a sync attempt at the deadline."""
    if use_async:
        return ASYNC_DEADLINE
    if stream:
        return SYNC_DEADLINE
    return replace(
        SYNC_DEADLINE, slots={**SYNC_DEADLINE.slots, "DEADLINE_ARG": "", "DEADLINE_PARAM": "", "CHUNK_CHECK": ""}
    )


SYNC_DEADLINE = Piece(
    imports=("import time",),
    definitions='''\
def attempt_timeout(deadline: float) -> anthropic.Timeout:
    """The timeouts of one attempt, none longer than the time left before the deadline
    (a sync read cannot be cut short from outside)."""
    left = max(0.0, deadline - time.monotonic())
    return anthropic.Timeout(
        connect=min(CONNECT_TIMEOUT, left),
        read=min(READ_TIMEOUT, left),
        write=min(WRITE_TIMEOUT, left),
        pool=min(POOL_TIMEOUT, left),
    )''',
    slots={
        "CALL": """\
answer = ask(
    client.with_options(timeout=attempt_timeout(deadline)),
    $MODEL,
    $MESSAGES,
    chunks,
    $DEADLINE_ARG
)""",
        "DEADLINE_ARG": "deadline,",
        "DEADLINE_PARAM": "deadline: float,",
        "CHUNK_CHECK": """\
if time.monotonic() >= deadline:
    raise TimeoutError("the deadline ran out mid-stream")""",
    },
)
"""Sync: timeouts capped by the time left, and the clock checked between chunks."""

ASYNC_DEADLINE = Piece(
    imports=("import asyncio", "import time"),
    slots={
        "CALL": """\
async with asyncio.timeout(deadline - time.monotonic()):
    answer = await ask(
        client,
        $MODEL,
        $MESSAGES,
        chunks,
    )""",
        "DEADLINE_PARAM": "",
        "CHUNK_CHECK": "",
    },
)
"""Async: the attempt is cancelled when the deadline comes, wherever it is."""

OUTPUT = Piece(
    imports=("import os", "import sys"),
    constants="# What to say when the program runs without a key.\n"
    'NO_KEY = "set ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for a simulator)"',
    definitions='''\
def report(attempt: int, chunks: list[str], failure: Failure, verdict: str) -> None:
    """One line on stderr for each failed attempt."""
    cut = f" after {sum(map(len, chunks))} characters" if chunks else ""
    line = f"attempt {attempt}/{MAX_ATTEMPTS} failed{cut}: {failure.what}; {verdict}"
    print(line, file=sys.stderr, flush=True)


def print_answer(text: str) -> None:
    """The answer exactly as it came (a newline added on a terminal only)."""
    sys.stdout.write(text)
    if sys.stdout.isatty() and not text.endswith("\\n"):
        sys.stdout.write("\\n")''',
)

MAIN = """\
${ASYNC}def main() -> int:
    if not os.environ.get("ANTHROPIC_API_KEY"):  # the SDK would raise a TypeError
        print(NO_KEY, file=sys.stderr)
        return 2
    # max_retries=0: every attempt is this loop's own. The client reads the key and the
    # URL from ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL.
    timeout = $TIMEOUT
    ${ASYNC}with anthropic.$CLIENT(max_retries=0, timeout=timeout) as client:
        deadline = time.monotonic() + DEADLINE
        previous: float | None = None  # the last backoff wait
        $CARRIED
        $CHAIN
        $NOTE_REQUEST
        attempt = 0
        while True:
            attempt += 1
            chunks: list[str] = []  # this attempt's text, whole or not
            $ADMIT
            try:
                $CALL
            except Exception as exc:
                failure = classify(exc)
                if failure is None:
                    raise  # a bug in this program: another attempt would not fix it
            else:
                $RECORD_ANSWER
                print_answer($ANSWER)
                return 0
            $RECORD_FAILURE
            $KEEP
            $FALL_BACK
            try:
                wait, why = next_wait($NEXT_WAIT_ARGS)
            except GiveUp as stop:
                report(attempt, chunks, failure, f"giving up: {stop}")
                return 1
            verdict = f"retrying in {wait:.1f} s ({why})"
            $FALLBACK_NOTE
            report(attempt, chunks, failure, verdict)
            previous = wait if why == "backoff" else previous
            ${AWAIT}$SLEEP(wait)


if __name__ == "__main__":
    sys.exit($RUN)"""
"""The loop and the entry point (its slots are filled by the other pieces)."""
