"""Pieces of the TypeScript program: what is asked, and one attempt at asking it.

The same request as :mod:`.py_request` (the bodies are compared byte for byte in the
tests), for ``@anthropic-ai/sdk``: the raw events of ``messages.create({stream: true})``,
the text of ``text_delta`` events, and an answer only when ``message_stop`` came after a
stop reason — the SDK's stream, too, just ends on a truncated body.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .conversation import TYPESCRIPT, first_turns, history_lines
from .literals import ts_assign, ts_seconds, ts_str
from .template import Piece

if TYPE_CHECKING:
    from .spec import ProgramSpec

SDK_IMPORT = 'import Anthropic from "@anthropic-ai/sdk";'


def request(spec: ProgramSpec) -> Piece:
    """The model, the limits and the prompt (from the program's arguments when not given)."""
    lines = ["// The request.", ts_assign("MODEL", spec.model), f"const MAX_TOKENS = {spec.max_tokens};"]
    imports = [SDK_IMPORT]
    if spec.system is not None:
        lines.append(ts_assign("SYSTEM", spec.system))
    if spec.prompt is None:
        lines += [
            "// The prompt: this program's arguments, else its stdin.",
            'const PROMPT = process.argv.slice(2).join(" ") || readFileSync(0, "utf8");',
        ]
        imports.append('import { readFileSync } from "node:fs";')
    else:
        lines.append(ts_assign("PROMPT", spec.prompt))
    lines += history_lines(spec.history, TYPESCRIPT)
    options, arguments = request_options(spec)
    arguments = (["system: SYSTEM,"] if spec.system is not None else []) + arguments
    constants = "\n".join(lines + options)
    return Piece(imports=tuple(imports), constants=constants, slots={"REQUEST_ARGS": "\n".join(arguments)})


def request_options(spec: ProgramSpec) -> tuple[list[str], list[str]]:
    """Constants and ``messages.create`` fields for thinking, effort, temperature and stop
    sequences, each only when set: the same body ``claude-tui run`` sends."""
    constants: list[str] = []
    arguments: list[str] = []
    if spec.thinking is not None:
        items = ", ".join(f"{k}: {ts_str(v) if isinstance(v, str) else v}" for k, v in spec.thinking.items())
        constants.append(f"const THINKING: Anthropic.ThinkingConfigParam = {{ {items} }};")
        arguments.append("thinking: THINKING,")
    if spec.effort is not None:
        constants.append(ts_assign("EFFORT", spec.effort, ': Anthropic.OutputConfig["effort"]'))
        arguments.append("output_config: { effort: EFFORT },")
    if spec.stop_sequences:
        constants.append(f"const STOP_SEQUENCES = [{', '.join(map(ts_str, spec.stop_sequences))}];")
        arguments.append("stop_sequences: STOP_SEQUENCES,")
    if spec.temperature is not None:
        constants += [
            "// The SDK's types have no temperature: it goes in the body as it is.",
            f"const EXTRA_BODY = {{ temperature: {spec.temperature!r} }};",
        ]
        arguments.append("...EXTRA_BODY,")
    return constants, arguments


def timeouts(spec: ProgramSpec) -> Piece:
    """The read timeout of one attempt; fetch() has no connect, write or pool timeout."""
    from ..timeouts import get_preset
    from .prose import wrapped

    t = spec.timeouts
    changed = " with changes" if get_preset(spec.preset).timeouts != t else ""
    during = "and the silence between two events of the stream" if spec.stream else "and, without streaming, all of it"
    others = ", ".join(f"{name} {getattr(t, name):g} s" for name in ("connect", "write", "pool"))
    text = (
        f'The longest silence of one attempt, in seconds (preset "{spec.preset}"{changed}): it bounds '
        f"the wait for the response (its connect included) {during}. fetch() cannot time "
        f"the connect, a write or the pool apart ({others} in claude-tui): DEADLINE bounds them."
    )
    constants = "\n".join([*wrapped(text, "// ", "// "), f"const READ_TIMEOUT = {ts_seconds(t.read)};"])
    return Piece(constants=constants)


def same_messages(spec: ProgramSpec, comment: str) -> Piece:
    """Mid-stream policies "restart" and "give-up": every attempt sends the same messages."""
    constants = f"{comment}\nconst MESSAGES: Anthropic.MessageParam[] = {first_turns(spec, TYPESCRIPT)};"
    return Piece(constants=constants, slots={"MESSAGES": "MESSAGES", "CARRIED": "", "KEEP": "", "ANSWER": "answer"})


def restart(spec: ProgramSpec) -> Piece:
    """Mid-stream policy "restart": every attempt asks from scratch; a partial answer is dropped."""
    return same_messages(
        spec,
        "// After a failure mid-answer, start over: every attempt sends the same conversation,\n"
        "// and the text of one that failed is dropped.",
    )


def carry_on(instruction: str, spec: ProgramSpec) -> Piece:
    """Mid-stream policy "continue": keep the text of an attempt cut off mid-answer and ask,
    in a new user turn, to go on from it (never an assistant prefill)."""
    constants = "// After a failure mid-answer, the text so far is kept and this asks to go on.\n"
    definitions = f"""\
/** The prompt; after a failure mid-answer, the text so far and a request to go on from it. */
function conversation(carried: string): Anthropic.MessageParam[] {{
  const turns: Anthropic.MessageParam[] = {first_turns(spec, TYPESCRIPT)};
  if (carried) {{
    turns.push({{ role: "assistant", content: carried }}, {{ role: "user", content: CONTINUE }});
  }}
  return turns;
}}"""
    slots = {
        "MESSAGES": "conversation(carried)",
        "CARRIED": 'let carried = ""; // answer text kept from attempts cut off mid-answer',
        "KEEP": 'carried += chunks.join("");',
        "ANSWER": "carried + answer",
    }
    return Piece(constants=constants + ts_assign("CONTINUE", instruction), definitions=definitions, slots=slots)


ASK = """\
async function ask(
  client: Anthropic,
  model: string,
  messages: Anthropic.MessageParam[],
  chunks: string[],
  watch: Watchdog,
): Promise<string> {"""
"""The signature of one attempt, streamed or whole."""

BROKEN = """\
/** The response ended short of a whole answer (the SDK throws nothing for that). */
class BrokenAnswer extends Error {
  name = "BrokenAnswer";
}"""

ATTEMPT = Piece(
    definitions=BROKEN
    + """

/**
 * One attempt: stream the answer into `chunks` and return it. Only a stream that ends
 * with message_stop after a stop reason holds a whole answer.
 */
"""
    + ASK
    + """
  let stopReason: string | null = null;
  let stopped = false;
  const stream = await client.messages.create(
    {
      model,
      max_tokens: MAX_TOKENS,
      @@REQUEST_ARGS
      messages,
      stream: true,
    },
    { signal: watch.signal },
  );
  watch.alive(); // the response began
  for await (const event of stream) {
    watch.alive();
    if (event.type === "content_block_delta" && event.delta.type === "text_delta") {
      chunks.push(event.delta.text);
    } else if (event.type === "message_delta") {
      stopReason = event.delta.stop_reason ?? stopReason;
    } else if (event.type === "message_stop") {
      stopped = true;
    }
  }
  if (!stopped) {
    throw new BrokenAnswer("the stream ended before message_stop: a truncated answer");
  }
  if (!stopReason) {
    throw new BrokenAnswer("message_stop came without a stop reason");
  }
  return chunks.join("");
}""",
)
"""One streamed attempt, and the error for a stream that ended short of an answer."""

WHOLE = Piece(
    definitions=BROKEN
    + """

/**
 * One attempt without streaming: one response holding the whole answer. The body is
 * read here, so one cut short (a reset) or not a whole message (bad JSON, no stop
 * reason) is a failed attempt, retried like a broken stream.
 */
"""
    + ASK
    + """
  const response = await client.messages
    .create(
      {
        model,
        max_tokens: MAX_TOKENS,
        @@REQUEST_ARGS
        messages,
      },
      { signal: watch.signal },
    )
    .asResponse();
  watch.alive(); // the headers came: READ_TIMEOUT again for the body
  const message: unknown = JSON.parse(await response.text());
  if (!isRecord(message) || message.type !== "message" || !Array.isArray(message.content)) {
    throw new BrokenAnswer("the response body is not a message");
  }
  if (typeof message.stop_reason !== "string" || !message.stop_reason) {
    throw new BrokenAnswer("the message has no stop reason: not a whole answer");
  }
  const texts = message.content.filter((block) => isRecord(block) && block.type === "text").map((block) => block.text);
  if (!texts.every((text) => typeof text === "string")) {
    throw new BrokenAnswer("a text block of the message holds no text");
  }
  chunks.push(...texts);
  return texts.join("");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}""",
)
"""One attempt without streaming (``stream = false``), as ``tui_app/retry/whole.py`` reads it."""
