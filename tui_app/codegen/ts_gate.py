"""Pieces of the TypeScript program for state a process's requests share: the retry budget
and the circuit breaker, as :mod:`.py_gate` writes them for Python (the same rules, window
and wording; one object each at module level, shared by every call once moved into the
user's code)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .literals import ts_seconds
from .template import Piece

if TYPE_CHECKING:
    from .spec import ProgramSpec


def budget(spec: ProgramSpec) -> Piece:
    """``RetryBudget``: asked last by ``nextWait``, told of the request by ``main``."""
    from ..retry.budget import WINDOW

    p = spec.policy
    constants = f"""\
// Retry budget, shared by every request of the process: at most RETRY_BUDGET of the
// requests started in the last BUDGET_WINDOW seconds, plus RETRY_BUDGET_MIN, retried.
const RETRY_BUDGET = {p.retry_budget!r};
const RETRY_BUDGET_MIN = {p.retry_budget_min};
const BUDGET_WINDOW = {ts_seconds(WINDOW)}; // seconds"""
    definitions = """\
/**
 * Retries at most a share of the requests of a sliding window (Envoy's and Finagle's
 * answer to retry storms: it caps the extra load on a server in trouble).
 */
class RetryBudget {
  requests: number[] = []; // when each request started (performance.now(), ms)
  retries: number[] = []; // when each retry was allowed

  noteRequest(): void {
    this.requests.push(performance.now());
  }

  /** True (and the retry counted) when the budget allows one more retry now. */
  tryRetry(): boolean {
    const now = performance.now();
    const recent = (times: number[]) => times.filter((t) => t > now - BUDGET_WINDOW * 1000);
    [this.requests, this.retries] = [recent(this.requests), recent(this.retries)];
    if (this.retries.length + 1 > RETRY_BUDGET_MIN + RETRY_BUDGET * this.requests.length) {
      return false;
    }
    this.retries.push(now);
    return true;
  }

  spent(): string {
    const counts = `${this.retries.length} retries for ${this.requests.length} requests`;
    const allowed = `allowed: ${Math.round(RETRY_BUDGET * 100)}% of them + ${RETRY_BUDGET_MIN}`;
    return `the retry budget is spent: ${counts} in the last ${BUDGET_WINDOW} s (${allowed})`;
  }
}

const BUDGET = new RetryBudget(); // the process's: every request shares it"""
    slots = {
        "NOTE_REQUEST": "BUDGET.noteRequest(); // this request earns its share of a retry",
        "BUDGET_CHECK": """\
if (!BUDGET.tryRetry()) {
  // asked last: only a retry that would happen counts
  throw new GiveUp(BUDGET.spent());
}""",
    }
    return Piece(constants=constants, definitions=definitions, slots=slots)


def breaker(spec: ProgramSpec) -> Piece:
    """``CircuitBreaker``: asked before each attempt, told what each attempt met."""
    p = spec.policy
    constants = f"""\
// Circuit breaker, shared by every request of the process: after BREAKER_AFTER
// overloaded failures in a row, attempts are refused here, not sent, for
// BREAKER_COOLDOWN seconds.
const BREAKER_AFTER = {p.breaker_after};
const BREAKER_COOLDOWN = {ts_seconds(p.breaker_cooldown)}; // seconds"""
    definitions = """\
/**
 * Closed; open after BREAKER_AFTER overloads in a row (HTTP 529, or overloaded_error
 * mid-stream); half-open after the cool-down: one attempt goes through as a probe, and
 * an overload opens the circuit again, anything else closes it.
 */
class CircuitBreaker {
  overloads = 0; // overloaded failures in a row
  openUntil: number | null = null; // while open: when the cool-down ends (ms)
  probing = false; // half-open: the probe is in flight

  /** Why the next attempt is refused ("" to send it). */
  admit(): string {
    const now = performance.now();
    if (this.openUntil === null) {
      return "";
    }
    if (now < this.openUntil || this.probing) {
      const left = Math.max(0, (this.openUntil - now) / 1000);
      const why = now >= this.openUntil ? "a probe is in flight" : `${left.toFixed(1)} s of cool-down left`;
      return `the circuit is open after ${BREAKER_AFTER} overloads in a row (${why})`;
    }
    this.probing = true; // half-open: this attempt is the probe
    return "";
  }

  /** What an attempt that was sent met (null: an answer). */
  record(failure: Failure | null): void {
    const overloaded = failure !== null && (failure.status === 529 || failure.errorType === "overloaded_error");
    if (this.openUntil !== null && this.probing) {
      // the probe's answer decides
      this.probing = false;
      this.openUntil = overloaded ? performance.now() + BREAKER_COOLDOWN * 1000 : null;
      this.overloads = 0;
      return;
    }
    this.overloads = overloaded ? this.overloads + 1 : 0;
    if (this.overloads >= BREAKER_AFTER && this.openUntil === null) {
      this.openUntil = performance.now() + BREAKER_COOLDOWN * 1000;
    }
  }
}

const BREAKER = new CircuitBreaker(); // the process's: every request shares it"""
    slots = {
        "ADMIT": """\
const refused = BREAKER.admit();
if (refused) {
  // not sent: retrying what this client refuses would only spin
  process.stderr.write(`attempt ${attempt} not sent: ${refused}\\n`);
  return 1;
}""",
        "RECORD_ANSWER": "BREAKER.record(null);",
        "RECORD_FAILURE": "BREAKER.record(failure);",
    }
    return Piece(constants=constants, definitions=definitions, slots=slots)
