"""Pieces of the TypeScript program: the timers of an attempt, the loop, the output.

The loop is :mod:`.py_loop`'s (itself ``RetryRun._drive`` of ``tui_app/retry/runner.py``
written out). What differs is time: the SDK's ``timeout`` covers a response's headers only
(its timer stops once they come), and fetch() has no read timeout, so :data:`WATCHDOG`
aborts an attempt itself — after READ_TIMEOUT without a response or an event, or at the
deadline — and says which, as the async Python program's ``asyncio.timeout`` and httpx's
read timeout do.
"""

from __future__ import annotations

from .template import Piece

WATCHDOG = Piece(
    definitions="""\
/**
 * One attempt's timers: its AbortSignal fires after READ_TIMEOUT without the response
 * or an event, or at the deadline, and `why` says which.
 */
class Watchdog {
  readonly controller = new AbortController();
  why = "";
  started = false; // the response has begun (its headers came)
  private idle?: ReturnType<typeof setTimeout>;
  private readonly end?: ReturnType<typeof setTimeout>;

  constructor(deadline: number) {
    this.end = timer((deadline - performance.now()) / 1000, () => {
      this.abort("TimeoutError: the deadline came");
    });
    this.arm("ReadTimeout: no response");
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The response began, or an event came: the silence allowed starts again. */
  alive(): void {
    this.started = true;
    this.arm("ReadTimeout: no event");
  }

  stop(): void {
    clearTimeout(this.idle);
    clearTimeout(this.end);
  }

  private arm(why: string): void {
    clearTimeout(this.idle);
    this.idle = timer(READ_TIMEOUT, () => {
      this.abort(`${why} for ${READ_TIMEOUT} s`);
    });
  }

  private abort(why: string): void {
    this.why ||= why;
    this.controller.abort();
  }
}

/** setTimeout in seconds; none for a bound too long for a timer (Infinity: no deadline). */
function timer(seconds: number, fire: () => void): ReturnType<typeof setTimeout> | undefined {
  const ms = Math.max(0, seconds * 1000);
  return ms < 2 ** 31 ? setTimeout(fire, ms) : undefined;
}""",
)

OUTPUT = Piece(
    constants="// What to say when the program runs without a key.\n"
    'const NO_KEY = "set ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for a simulator)";',
    definitions="""\
/** One line on stderr for each failed attempt. */
function report(attempt: number, chunks: string[], failure: Failure, verdict: string): void {
  const chars = [...chunks.join("")].length;
  const cut = chars ? ` after ${chars} characters` : "";
  process.stderr.write(`attempt ${attempt}/${MAX_ATTEMPTS} failed${cut}: ${failure.what}; ${verdict}\\n`);
}

/** The answer exactly as it came (a newline added on a terminal only). */
function printAnswer(text: string): void {
  process.stdout.write(text);
  if (process.stdout.isTTY && !text.endsWith("\\n")) {
    process.stdout.write("\\n");
  }
}""",
)

MAIN = """\
async function main(): Promise<number> {
  if (!process.env.ANTHROPIC_API_KEY) {
    process.stderr.write(`${NO_KEY}\\n`);
    return 2;
  }
  // maxRetries: 0: every attempt is this loop's own, timed by its Watchdog (the SDK's
  // timer is set out of its way); logLevel "off": report() says what failed. The client
  // reads the key and the URL from ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL.
  const client = new Anthropic({ maxRetries: 0, timeout: 2 ** 31 - 1, logLevel: "off" });
  const deadline = performance.now() + DEADLINE * 1000;
  let previous: number | undefined; // the last backoff wait
  @@CARRIED
  @@CHAIN
  @@NOTE_REQUEST
  for (let attempt = 1; ; attempt++) {
    const chunks: string[] = []; // this attempt's text, whole or not
    @@ADMIT
    const watch = new Watchdog(deadline);
    let failure: Failure | null;
    try {
      const answer = await ask(client, @@MODEL, @@MESSAGES, chunks, watch);
      @@RECORD_ANSWER
      printAnswer(@@ANSWER);
      return 0;
    } catch (error) {
      failure = classify(error, watch);
      if (failure === null) {
        throw error; // a bug in this program: another attempt would not fix it
      }
    } finally {
      watch.stop();
    }
    @@RECORD_FAILURE
    @@KEEP
    @@FALL_BACK
    let wait: number;
    let why: string;
    try {
      [wait, why] = nextWait(@@NEXT_WAIT_ARGS);
    } catch (stop) {
      if (!(stop instanceof GiveUp)) {
        throw stop;
      }
      report(attempt, chunks, failure, `giving up: ${stop.message}`);
      return 1;
    }
    let verdict = `retrying in ${wait.toFixed(1)} s (${why})`;
    @@FALLBACK_NOTE
    report(attempt, chunks, failure, verdict);
    previous = why === "backoff" ? wait : previous;
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
  }
}

main().then((code) => {
  process.exitCode = code; // not process.exit(): that could cut off the answer on a pipe
});"""
"""The loop and the entry point (its slots are filled by the other pieces)."""
