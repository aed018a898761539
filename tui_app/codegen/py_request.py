"""Pieces of the Python program: what is asked, and one attempt at asking it.

The attempt mirrors ``tui_app/retry/attempt.py``: the raw event stream of
``messages.create(stream=True)``, the text of ``text_delta`` events, and an answer only
when ``message_stop`` came after a stop reason — the SDK raises nothing for a stream that
just ends, and hands back the partial message as if it were whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .conversation import PYTHON, first_turns, history_lines
from .literals import py_assign, py_seconds, py_str
from .template import Piece

if TYPE_CHECKING:
    from .spec import ProgramSpec


def request(spec: ProgramSpec) -> Piece:
    """The model, the limits and the prompt (from the program's arguments when not given)."""
    lines = ["# The request.", py_assign("MODEL", spec.model), f"MAX_TOKENS = {spec.max_tokens}"]
    if spec.system is not None:
        lines.append(py_assign("SYSTEM", spec.system))
    if spec.prompt is None:
        lines += [
            "# The prompt: this program's arguments, else its stdin.",
            'PROMPT = " ".join(sys.argv[1:]) or sys.stdin.read()',
        ]
    else:
        lines.append(py_assign("PROMPT", spec.prompt))
    lines += history_lines(spec.history, PYTHON)
    options, arguments = request_options(spec)
    arguments = (["system=SYSTEM,"] if spec.system is not None else []) + arguments
    constants = "\n".join(lines + options)
    return Piece(imports=("import sys",), constants=constants, slots={"SYSTEM_ARG": "\n".join(arguments)})


def request_options(spec: ProgramSpec) -> tuple[list[str], list[str]]:
    """Constants and ``messages.create`` arguments for thinking, effort, temperature and stop
    sequences, each only when set: the same body ``claude-tui run`` sends."""
    constants: list[str] = []
    arguments: list[str] = []
    if spec.thinking is not None:
        items = ", ".join(f"{py_str(k)}: {py_str(v) if isinstance(v, str) else v}" for k, v in spec.thinking.items())
        constants.append(f"THINKING = {{{items}}}")
        arguments.append("thinking=THINKING,")
    if spec.effort is not None:
        constants.append(py_assign("EFFORT", spec.effort))
        arguments.append('output_config={"effort": EFFORT},')
    if spec.stop_sequences:
        constants.append(f"STOP_SEQUENCES = [{', '.join(map(py_str, spec.stop_sequences))}]")
        arguments.append("stop_sequences=STOP_SEQUENCES,")
    if spec.temperature is not None:
        constants += [
            "# anthropic 2.x has no temperature argument: it goes in the body as it is.",
            f"TEMPERATURE = {spec.temperature!r}",
        ]
        arguments.append('extra_body={"temperature": TEMPERATURE},')
    return constants, arguments


def timeouts(spec: ProgramSpec) -> Piece:
    """The four timeouts of one attempt, as ``anthropic.Timeout`` takes them."""
    from ..timeouts import get_preset

    t = spec.timeouts
    read = (
        "READ_TIMEOUT bounds the silence between two chunks of the\n# stream, not the whole answer: DEADLINE does that."
        if spec.stream
        else "Without streaming nothing comes until the answer is\n# whole: READ_TIMEOUT bounds the wait for all of it."
    )
    changed = " with changes" if get_preset(spec.preset).timeouts != t else ""
    constants = f"""\
# Timeouts of one attempt, in seconds (preset "{spec.preset}"{changed}).
# {read}
CONNECT_TIMEOUT = {py_seconds(t.connect)}
READ_TIMEOUT = {py_seconds(t.read)}
WRITE_TIMEOUT = {py_seconds(t.write)}
POOL_TIMEOUT = {py_seconds(t.pool)}"""
    timeout = """\
anthropic.Timeout(
    connect=CONNECT_TIMEOUT,
    read=READ_TIMEOUT,
    write=WRITE_TIMEOUT,
    pool=POOL_TIMEOUT,
)"""
    return Piece(imports=("import anthropic",), constants=constants, slots={"TIMEOUT": timeout})


def restart(spec: ProgramSpec) -> Piece:
    """Mid-stream policy "restart": every attempt asks from scratch; a partial answer is dropped."""
    constants = f"""\
# After a failure mid-answer, start over: every attempt sends the same conversation, and
# the text of one that failed is dropped.
MESSAGES = {first_turns(spec, PYTHON)}"""
    return Piece(constants=constants, slots={"MESSAGES": "MESSAGES", "CARRIED": "", "KEEP": "", "ANSWER": "answer"})


def carry_on(instruction: str, spec: ProgramSpec) -> Piece:
    """Mid-stream policy "continue": keep the text of an attempt cut off mid-answer and ask,
    in a new user turn, to go on from it (never an assistant prefill: newer models reject it)."""
    constants = "# After a failure mid-answer, the text so far is kept and this asks to go on.\n"
    definitions = '''\
def conversation(carried: str) -> list[dict[str, str]]:
    """The prompt; after a failure mid-answer, the text so far and a request to go on
    from it."""
    turns = FIRST_TURNS
    if carried:
        turns += [
            {"role": "assistant", "content": carried},
            {"role": "user", "content": CONTINUE},
        ]
    return turns'''
    slots = {
        "MESSAGES": "conversation(carried)",
        "CARRIED": 'carried = ""  # answer text kept from attempts cut off mid-answer',
        "KEEP": 'carried += "".join(chunks)',
        "ANSWER": "carried + answer",
    }
    definitions = definitions.replace("FIRST_TURNS", first_turns(spec, PYTHON))
    return Piece(constants=constants + py_assign("CONTINUE", instruction), definitions=definitions, slots=slots)


BROKEN = '''\
class BrokenAnswer(Exception):
    """The response ended short of a whole answer (the SDK raises nothing for that)."""'''

ATTEMPT = Piece(
    imports=("import anthropic",),
    definitions=BROKEN
    + '''


${ASYNC}def ask(
    client: anthropic.$CLIENT,
    model: str,
    messages: list[dict[str, str]],
    chunks: list[str],
    $DEADLINE_PARAM
) -> str:
    """One attempt: stream the answer into `chunks` and return it. Only a stream that
    ends with message_stop after a stop reason holds a whole answer."""
    stop_reason, stopped = None, False
    ${ASYNC}with ${AWAIT}client.messages.create(
        model=model,
        max_tokens=MAX_TOKENS,
        $SYSTEM_ARG
        messages=messages,
        stream=True,
    ) as stream:
        ${ASYNC}for event in stream:
            if event.type == "content_block_delta" and event.delta.type == "text_delta":
                chunks.append(event.delta.text)
            elif event.type == "message_delta":
                stop_reason = event.delta.stop_reason or stop_reason
            elif event.type == "message_stop":
                stopped = True
            $CHUNK_CHECK
    if not stopped:
        raise BrokenAnswer("the stream ended before message_stop: a truncated answer")
    if not stop_reason:
        raise BrokenAnswer("message_stop came without a stop reason")
    return "".join(chunks)''',
)
"""One streamed attempt, and the exception for a stream that ended short of an answer."""

WHOLE = Piece(
    imports=("import anthropic", "import json"),
    definitions=BROKEN
    + '''


${ASYNC}def ask(
    client: anthropic.$CLIENT,
    model: str,
    messages: list[dict[str, str]],
    chunks: list[str],
) -> str:
    """One attempt without streaming: one response holding the whole answer. The body
    is read here, so one cut short (a reset: httpx2's error) or not a whole message
    (bad JSON, no stop reason) is a failed attempt, retried like a broken stream."""
    ${ASYNC}with client.messages.with_streaming_response.create(
        model=model,
        max_tokens=MAX_TOKENS,
        $SYSTEM_ARG
        messages=messages,
    ) as response:
        message = json.loads(${AWAIT}response.read())
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(content, list) or message.get("type") != "message":
        raise BrokenAnswer("the response body is not a message")
    if not isinstance(message.get("stop_reason"), str) or not message["stop_reason"]:
        raise BrokenAnswer("the message has no stop reason: not a whole answer")
    blocks = [block for block in content if isinstance(block, dict)]
    texts = [block.get("text") for block in blocks if block.get("type") == "text"]
    if not all(isinstance(text, str) for text in texts):
        raise BrokenAnswer("a text block of the message holds no text")
    chunks.extend(texts)
    return "".join(texts)''',
)
"""One attempt without streaming (``stream = false``), as ``tui_app/retry/whole.py`` reads it."""
