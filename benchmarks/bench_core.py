"""Core overhead: the retry core (events + session recording) vs a bare SDK loop.

    .venv/bin/python benchmarks/bench_core.py [--quick]

Measured side by side against the same simulator stream of ~20,000 deltas (the simulator in a
process of its own: see ``_measure.simulator_process``):
(a) a bare ``async for text in stream.text_stream`` over ``messages.stream`` and (b) the
retry core with every event consumed and recorded as a session. The core reads the SDK's
raw event stream (``messages.create(stream=True)``) rather than the ``messages.stream``
helper, so a third row, for information, sets it beside a bare loop over that same raw
stream: what the core's own machinery costs. Also: time to first token,
``claude-tui run`` as a process vs a minimal SDK script as a process, and the simulator's
raw serving speed vs the SDK's consuming speed (the simulator must not be the bottleneck).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time

from _measure import claude_tui, interleaved_best, load_note, parse_args, run_seconds, simulator_process, throwaway_home
from _table import Row, print_table

from tui_app.settings import DEFAULT_MODEL

PROMPT = "benchmark"
MODEL = DEFAULT_MODEL  # the installed SDK's own: a literal id can drop out of its table
MINIMAL_SDK_SCRIPT = """
import anthropic, sys
client = anthropic.Anthropic(max_retries=0)
with client.messages.stream(model=sys.argv[1], max_tokens=64000,
                            messages=[{"role": "user", "content": sys.argv[2]}]) as stream:
    for text in stream.text_stream:
        sys.stdout.write(text)
"""


def make_client(base_url: str):
    from tui_app.client import build_client
    from tui_app.timeouts import Timeouts

    return build_client(Timeouts(connect=5, read=30, write=10, pool=5), api_key="sim-key", base_url=base_url)


async def bare_sdk(base_url: str) -> tuple[float, float, int]:
    """(total seconds, ttft seconds, deltas) for a bare SDK text loop."""
    client = make_client(base_url)
    start = time.perf_counter()
    first = None
    n = 0
    async with client.messages.stream(
        model=MODEL, max_tokens=64000, messages=[{"role": "user", "content": PROMPT}]
    ) as s:
        async for _text in s.text_stream:
            if first is None:
                first = time.perf_counter() - start
            n += 1
    total = time.perf_counter() - start
    await client.close()
    return total, first or total, n


async def bare_raw_stream(base_url: str) -> float:
    """Seconds for a bare loop over the raw event stream, the SDK call the core makes."""
    client = make_client(base_url)
    start = time.perf_counter()
    stream = await client.messages.create(
        model=MODEL, max_tokens=64000, stream=True, messages=[{"role": "user", "content": PROMPT}]
    )
    async with stream:
        async for event in stream:
            if event.type == "content_block_delta" and event.delta.type == "text_delta":
                pass
    total = time.perf_counter() - start
    await client.close()
    return total


async def core(base_url: str, store) -> tuple[float, float, int]:
    """The same stream through RetryRun, every event consumed and recorded."""
    from tui_app.retry.policy import RetryPolicy
    from tui_app.retry.runner import Request, RetryRun

    client = make_client(base_url)
    recorder = store.start_session(prompt=PROMPT, system=None, model=MODEL, settings={})
    run = RetryRun(Request(prompt=PROMPT, model=MODEL, max_tokens=64000), client=client, policy=RetryPolicy())
    start = time.perf_counter()
    first = None
    n = 0
    async for event in run.events():
        recorder.record(event)
        if event.type == "text":
            if first is None:
                first = time.perf_counter() - start
            n += 1
    recorder.finish()
    total = time.perf_counter() - start
    await client.close()
    assert event.type == "success", event
    return total, first or total, n


async def raw_serve(base_url: str) -> float:
    """Seconds for the simulator to serve the whole stream to a raw byte reader."""
    import httpx2

    body = {"model": MODEL, "max_tokens": 64000, "stream": True, "messages": [{"role": "user", "content": PROMPT}]}
    async with httpx2.AsyncClient() as http:
        start = time.perf_counter()
        async with http.stream(
            "POST", f"{base_url}/v1/messages", json=body, headers={"x-api-key": "k", "anthropic-version": "2023-06-01"}
        ) as r:
            async for _chunk in r.aiter_raw():
                pass
        return time.perf_counter() - start


async def ttft_added(base_url: str, store, pairs: int) -> float:
    """Median, over interleaved pairs on a short answer, of (core TTFT - bare SDK TTFT).

    Measured apart from the long streams: with a short answer the machine is quiet when
    the first token comes, and pairing each core run with a bare run right before it
    cancels the drift of a shared machine. One warm-up pair pays first-use costs.
    """
    await bare_sdk(base_url)
    await core(base_url, store)
    added = []
    for _ in range(pairs):
        bare_ttft = (await bare_sdk(base_url))[1]
        core_ttft = (await core(base_url, store))[1]
        added.append(core_ttft - bare_ttft)
    return statistics.median(added) * 1000


def main() -> int:
    args = parse_args(__doc__)
    chars, repeat, pairs = (3000, 1, 3) if args.quick else (120_000, 7, 25)
    with throwaway_home():
        rows = measure(chars, repeat, pairs, proc_repeat=1 if args.quick else 5)
    ok = print_table(
        f"Core overhead (streams: medians of {repeat} interleaved repetitions, ratios paired; processes: fastest of"
        f" {1 if args.quick else 5}, interleaved; {load_note()})",
        rows,
    )
    return 0 if ok or args.quick else 1


def measure(chars: int, repeat: int, pairs: int, proc_repeat: int) -> list[Row]:
    import os

    from tui_app.store.sessions import SessionStore

    with (
        simulator_process({"name": "bench", "answer_chars": chars}) as sim_url,
        simulator_process({"name": "short", "answer_chars": 200}) as short_url,
        SessionStore.open() as store,
    ):

        async def streams():
            bare, ours, raw_stream, raw = [], [], [], []
            for _ in range(repeat):  # interleaved so drift hits every side alike
                bare.append(await bare_sdk(sim_url))
                ours.append(await core(sim_url, store))
                raw_stream.append(await bare_raw_stream(sim_url))
                raw.append(await raw_serve(sim_url))
            return bare, ours, raw_stream, raw, await ttft_added(short_url, store, pairs)

        bare, ours, raw_stream, raw, added_ttft = asyncio.run(streams())
        deltas = bare[0][2]
        assert ours[0][2] == deltas, (ours[0][2], deltas)
        # Each repetition runs all four back to back: the ratio is the median of the
        # per-repetition ratios (see _measure.paired_ratio), the columns the medians.
        bare_t = statistics.median(b[0] for b in bare)
        ours_t = statistics.median(o[0] for o in ours)
        raw_stream_t = statistics.median(raw_stream)
        raw_t = statistics.median(raw)
        vs_bare = statistics.median(o[0] / b[0] for o, b in zip(ours, bare, strict=False))
        vs_raw_stream = statistics.median(o[0] / r for o, r in zip(ours, raw_stream, strict=False))
        serving = statistics.median(r / c for r, c in zip(raw, raw_stream, strict=False))

        env = {**os.environ, "ANTHROPIC_BASE_URL": sim_url, "ANTHROPIC_API_KEY": "sim-key"}
        cli = [*claude_tui(), "run", PROMPT, "--model", MODEL, "--max-tokens", "64000", "--quiet"]
        sdk = [sys.executable, "-c", MINIMAL_SDK_SCRIPT, MODEL, PROMPT]
        proc = interleaved_best(
            {"sdk": lambda: run_seconds(sdk, env), "cli": lambda: run_seconds(cli, env)}, proc_repeat
        )

    return [
        Row(
            f"stream of {deltas} deltas: core+events+recording vs bare SDK loop",
            ours_t * 1000,
            bare_t * 1000,
            "ms",
            "≤ 1.10×",
            vs_bare <= 1.10,
            paired=vs_bare,
        ),
        Row(
            "same stream: core+events+recording vs bare loop over the raw event stream the core reads",
            ours_t * 1000,
            raw_stream_t * 1000,
            "ms",
            "–",
            True,
            paired=vs_raw_stream,
        ),
        Row(
            f"time to first token, added by the core (median of {pairs} pairs)",
            added_ttft,
            None,
            "ms",
            "< 5 ms",
            added_ttft < 5,
        ),
        Row(
            "`claude-tui run` process vs minimal SDK script process",
            proc["cli"] * 1000,
            proc["sdk"] * 1000,
            "ms",
            "≤ 1.15×",
            proc["cli"] <= 1.15 * proc["sdk"],
        ),
        Row(
            "simulator serving (raw read) vs the SDK's fastest consumer (raw event stream)",
            raw_t * 1000,
            raw_stream_t * 1000,
            "ms",
            "≤ 0.33×",
            serving <= 1 / 3,
            paired=serving,
        ),
    ]


if __name__ == "__main__":
    sys.exit(main())
