"""Pieces of the TypeScript program: which failures are retried, how long to wait, when to stop.

The same rules as :mod:`.py_retry`, in the same order and words (the tests run both
programs and ``claude-tui run`` on the same faults): :func:`classify` the retried statuses
and error types, ``x-should-retry`` under obeyed server hints, failures before and during
the stream; :data:`SERVER_WAIT` ``retry-after-ms`` / ``retry-after``; :func:`jitter` the
policy's backoff; :data:`GIVE_UP` the give-up rules of ``decide.next_step``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .literals import ts_int_set, ts_seconds
from .template import Piece

if TYPE_CHECKING:
    from .spec import ProgramSpec


def classify(spec: ProgramSpec, retryable_error_types: frozenset[str]) -> Piece:
    """Failure -> retryable or not: the policy's statuses and server hints, and the core's
    error types (passed in by the caller)."""
    error_types = "".join(f'  "{name}",\n' for name in sorted(retryable_error_types))
    obey = spec.policy.server_hints == "obey"
    hints = (
        "// Obey the server's hints: x-should-retry overrides the status (false stops any retry)\n"
        "// and retry-after-ms / retry-after set the wait."
        if obey
        else "// Ignore the server's hints (x-should-retry, retry-after-ms, retry-after): the\n"
        "// statuses and the backoff alone decide."
    )
    constants = f"""\
// Worth another attempt: these statuses, and these error types in an `error` event
// mid-stream.
{ts_int_set("RETRYABLE_STATUS", spec.policy.retry_statuses)}
const RETRYABLE_ERROR_TYPES = new Set([
{error_types}]);
{hints}
const OBEY_SERVER_HINTS = {"true" if obey else "false"};"""
    return Piece(constants=constants, definitions=CLASSIFY)


CLASSIFY = """\
/** One failed attempt: what happened, and whether another attempt may help. */
interface Failure {
  what: string;
  retryable: boolean;
  wait?: number; // the server's retry-after hint, in seconds
  midStream: boolean; // after the response started
  status?: number;
  errorType?: string;
}

/** What failed, and whether another attempt may help; null for a bug of ours. */
function classify(error: unknown, watch: Watchdog): Failure | null {
  const midStream = watch.started;
  if (watch.why) {
    return { what: watch.why, retryable: true, midStream }; // a timeout of ours
  }
  if (error instanceof Anthropic.APIConnectionError) {
    // Before the response (refused, dropped, timed out), the SDK wraps them.
    return { what: `${error.message} (${rootCause(error)})`, retryable: true, midStream: false };
  }
  if (error instanceof Anthropic.APIError) {
    return statusFailure(error);
  }
  if (error instanceof BrokenAnswer || error instanceof SyntaxError) {
    // A truncated answer, or data that no valid response holds.
    return { what: `${error.name}: ${error.message}`, retryable: true, midStream: true };
  }
  if (error instanceof TypeError && midStream) {
    // Mid-stream (a reset), fetch() fails with "terminated".
    return { what: `the connection broke mid-stream (${rootCause(error)})`, retryable: true, midStream };
  }
  return null;
}

/** The innermost cause of a network error: its code (ECONNRESET ...) or message. */
function rootCause(error: unknown): string {
  while (error instanceof Error && error.cause !== undefined) {
    error = error.cause;
  }
  const code = error instanceof Error && "code" in error ? error.code : undefined;
  return String(code ?? (error instanceof Error ? error.message : error));
}

/**
 * An error response, or an `error` event mid-stream: then there is no HTTP status,
 * and the body carries the real type (e.g. overloaded_error).
 */
function statusFailure(error: InstanceType<typeof Anthropic.APIError>): Failure {
  const errorType = error.type ?? undefined;
  let retryable: boolean;
  let what: string;
  if (error.status === undefined) {
    retryable = errorType === undefined || RETRYABLE_ERROR_TYPES.has(errorType);
    what = `${errorType} event in the stream`;
  } else {
    retryable = RETRYABLE_STATUS.has(error.status);
    what = `${errorType} (HTTP ${error.status})`;
  }
  const headers = error.headers ?? new Headers();
  const shouldRetry = (headers.get("x-should-retry") ?? "").trim().toLowerCase();
  if (OBEY_SERVER_HINTS && (shouldRetry === "true" || shouldRetry === "false")) {
    retryable = shouldRetry === "true"; // the server's word overrides the status
  }
  const requestId = headers.get("request-id");
  if (requestId) {
    what += ` [request-id ${requestId}]`;
  }
  const wait = OBEY_SERVER_HINTS ? serverWait(headers) : undefined;
  const midStream = error.status === undefined;
  return { what, retryable, wait, midStream, status: error.status, errorType };
}"""

SERVER_WAIT = Piece(
    definitions="""\
/**
 * The server's hint in seconds: retry-after-ms, else retry-after (seconds or an HTTP
 * date); undefined without a usable one.
 */
function serverWait(headers: Headers): number | undefined {
  for (const [name, scale] of [["retry-after-ms", 0.001], ["retry-after", 1]] as const) {
    const text = headers.get(name)?.trim();
    const seconds = text ? Number(text) * scale : NaN;
    if (Number.isFinite(seconds) && seconds >= 0) {
      return seconds;
    }
  }
  const when = Date.parse(headers.get("retry-after") ?? "");
  return Number.isNaN(when) ? undefined : Math.max(0, (when - Date.now()) / 1000);
}""",
)

_STEP = "const step = Math.min(MAX_DELAY, BASE_DELAY * 2 ** Math.min(retry - 1, 64));"
_JITTERS = {
    "full": f"{_STEP}\n  return Math.random() * step;",
    "equal": f"{_STEP}\n  return step / 2 + (Math.random() * step) / 2;",
    "none": f"return {_STEP.removeprefix('const step = ').removesuffix(';')};",
    "sdk": f"{_STEP}\n  return step * (1 - 0.25 * Math.random());",
    "additive": "return Math.min(MAX_DELAY, BASE_DELAY * 2 ** Math.min(retry - 1, 64) + Math.random());",
    "decorrelated": "const last = previous ?? BASE_DELAY;\n"
    "  return Math.min(MAX_DELAY, BASE_DELAY + Math.random() * (Math.max(BASE_DELAY, last * 3) - BASE_DELAY));",
}
"""The body of ``backoff`` for each jitter mode (:data:`~.prose.JITTER_DOCS` says it in words)."""


def jitter(spec: ProgramSpec) -> Piece:
    """The backoff wait of the policy's jitter mode (only that one: a program, not a menu)."""
    from .prose import BACKOFF_DOC, JITTER_DOCS, wrapped

    text = BACKOFF_DOC.format(none="undefined") + JITTER_DOCS[spec.policy.jitter]
    doc = "\n".join(["/**", *wrapped(text, " * ", " * "), " */"])
    decorrelated = spec.policy.jitter == "decorrelated"  # the one that reads `previous`, not `retry`
    retry, previous = ("_retry", "previous") if decorrelated else ("retry", "_previous")
    definitions = f"""\
{doc}
function backoff({retry}: number, {previous}: number | undefined): number {{
  {_JITTERS[spec.policy.jitter]}
}}"""
    return Piece(definitions=definitions)


def policy(spec: ProgramSpec) -> Piece:
    """Attempts, backoff bounds and the deadline (the constants; :data:`GIVE_UP` uses them)."""
    p = spec.policy
    deadline_note = "seconds for the whole call, attempts and waits included"
    if p.deadline is None:
        deadline_note = "no bound on the whole call (only MAX_ATTEMPTS ends it)"
    constants = f"""\
// Retry policy.
const MAX_ATTEMPTS = {p.max_attempts}; // attempts in all, the first included
const BASE_DELAY = {ts_seconds(p.base_delay)}; // seconds: the first backoff step
const MAX_DELAY = {ts_seconds(p.max_delay)}; // seconds: no backoff wait is longer (a server hint may be)
const DEADLINE = {ts_seconds(p.deadline)}; // {deadline_note}"""
    return Piece(constants=constants)


GIVE_UP = Piece(
    definitions="""\
/** No further attempt; the message says why. */
class GiveUp extends Error {}

/** How long to wait before the next attempt, and why; GiveUp when there is none. */
function nextWait(
  @@NEXT_WAIT_PARAMS
): [number, string] {
  const left = (deadline - performance.now()) / 1000;
  if (left <= 0.001) {
    // the deadline came (to within the clock's resolution)
    throw new GiveUp(`the ${DEADLINE} s deadline ran out during the attempt`);
  }
  @@MID_STREAM_CHECK
  @@SWITCH_CHECK
  if (!failure.retryable) {
    throw new GiveUp("that is not retried");
  }
  if (attempt >= MAX_ATTEMPTS) {
    throw new GiveUp(`no attempts left (all ${MAX_ATTEMPTS} used)`);
  }
  // a server hint wins over the computed backoff
  const [wait, why]: [number, string] = failure.wait
    ? [failure.wait, "retry-after"]
    : [backoff(attempt, previous), "backoff"];
  if (wait >= left) {
    // never sleep past the deadline: say so now instead
    throw new GiveUp(`${why} asks for ${wait.toFixed(1)} s, ${left.toFixed(1)} s before the deadline`);
  }
  @@BUDGET_CHECK
  return [wait, why];
}""",
)
"""The give-up rules, in the core's order: deadline, not retryable, attempts, a wait too long."""

NEXT_WAIT_DEFAULTS = {
    "NEXT_WAIT_PARAMS": "failure: Failure,\nattempt: number,\ndeadline: number,\nprevious: number | undefined,",
    "NEXT_WAIT_ARGS": "failure, attempt, deadline, previous",
    "MID_STREAM_CHECK": "",
    "SWITCH_CHECK": "",
}
""":data:`GIVE_UP`'s slots without a fallback chain or the "give-up" mid-stream policy."""


def give_up_mid_stream(spec: ProgramSpec) -> Piece:
    """Mid-stream policy "give-up": a failure once the response started ends the run."""
    from .ts_request import same_messages

    piece = same_messages(
        spec,
        "// After a failure mid-answer, give up (as the SDK does: it never retries a stream\n"
        "// once it has started); every attempt sends the same conversation.",
    )
    check = """\
if (failure.midStream) {
  throw new GiveUp("a failure after the response started is not retried");
}"""
    return Piece(constants=piece.constants, slots={**piece.slots, "MID_STREAM_CHECK": check})


_MODELS = """\
/**
 * The model of the next attempt: MODELS in order, moving on after FALLBACK_AFTER
 * overloaded failures in a row on one (HTTP 529, or overloaded_error mid-stream), or at
 * once when it is not found (HTTP 404).
 */
class Models {
  index = 0;
  overloads = 0; // consecutive overloaded failures on the current model

  get model(): string {
    return MODELS[this.index];
  }

  /**
   * Count `failure` against the current model; why the next attempt uses the next one
   * ("" when it does not).
   */
  afterFailure(failure: Failure, attempt: number): string {
    const notFound = failure.errorType === undefined || failure.errorType === "not_found_error";
    const overloaded = failure.status === 529 || failure.errorType === "overloaded_error";
    let reason: string;
    if (failure.status === 404 && notFound) {
      reason = `${this.model} was not found (HTTP 404)`;
    } else if (overloaded) {
      this.overloads += 1;
      if (this.overloads < FALLBACK_AFTER) {
        return "";
      }
      const times = this.overloads > 1 ? `${this.overloads} times in a row` : "once";
      reason = `${this.model} was overloaded ${times}`;
    } else {
      this.overloads = 0;
      return "";
    }
    if (this.index + 1 >= MODELS.length) {
      return ""; // the end of the chain: decide as without fallback
    }
    this.index += 1;
    this.overloads = 0;
    return `${reason}: attempt ${attempt + 1} uses ${this.model}`;
  }
}"""


def fallback(spec: ProgramSpec) -> Piece:
    """The chain of models (the request's, then ``retry.fallback`` in order) and its slots,
    as :func:`.py_fallback.fallback` writes them."""
    from .literals import ts_str

    chain = [spec.model, *(m for m in spec.policy.fallback if m != spec.model)]
    constants = f"""\
// Fallback models: the request's model, then these in order. Attempts and the deadline
// count across models.
const MODELS = [{", ".join(["MODEL", *map(ts_str, chain[1:])])}];
const FALLBACK_AFTER = {spec.policy.fallback_after}; // overloaded failures in a row before the next"""
    slots = {
        "MODEL": "models.model",
        "CHAIN": "const models = new Models(); // which model the next attempt uses",
        "FALL_BACK": "const movedOn = models.afterFailure(failure, attempt);",
        "NEXT_WAIT_PARAMS": NEXT_WAIT_DEFAULTS["NEXT_WAIT_PARAMS"] + "\nmovedOn: string,",
        "NEXT_WAIT_ARGS": "failure, attempt, deadline, previous, movedOn",
        "SWITCH_CHECK": """\
if (movedOn && !failure.retryable && attempt < MAX_ATTEMPTS) {
  return [0, "backoff"]; // the next model, at once (a 404 is no reason to stop)
}""",
        "FALLBACK_NOTE": """\
if (movedOn) {
  verdict += `; ${movedOn}`;
}""",
    }
    return Piece(constants=constants, definitions=_MODELS, slots=slots)
