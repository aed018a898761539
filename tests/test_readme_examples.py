"""Every shell example in README.md runs (or at least parses), so the README cannot drift.

Examples are the lines of the ```sh blocks and the inline code spans that are whole
``claude-tui ...`` / ``make ...`` commands. Each is its own test, named by its README line:

- offline examples run for real, as ``python -m tui_app`` in the test's own HOME (``make run
  ARGS="..."`` runs those arguments), and must exit 0 without a traceback; a line that needs
  earlier lines of its block (``profiles show fast`` after ``profiles save fast``) gets them
  run first, in-process, in the same HOME;
- examples that need an API key (``run`` without ``--sim``), open the TUI (no subcommand,
  ``replay`` without ``--print``) or serve until Ctrl-C (``simulate`` without ``--list``)
  are parsed with the real parser and must not be usage errors;
- other ``make`` targets are checked with ``make -n`` (the target exists and its recipe
  expands), never run (``make test`` inside the test suite would recurse).

Synopsis notation is expanded: ``[--speed 1|2|10|max]`` becomes each alternative, and the
placeholders ``ID``, ``TEXT``, ``N``, ``FILE`` become a recorded session's id, a word of its
prompt, a number and a temp file. ``export`` lines set the environment of the lines after them.
"""

from __future__ import annotations

import itertools
import json
import re
import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
NOT_RUN = {"python my_own_script.py": "the reader's own program, pointed at the simulator by the export above it"}
"""Example lines that are not claude-tui's to run, and why (each must still be in the README)."""
SEED_PROMPT = "Hello"
INLINE = re.compile(r"`((?:claude-tui|make) [^`]+)`")


@dataclass(frozen=True)
class Example:
    line: int
    text: str
    block: tuple[str, ...] = ()
    """The earlier commands of its ```sh block (their effects come first)."""
    env: dict[str, str] = field(default_factory=dict)
    """What the block's ``export`` lines above it set."""

    def __str__(self) -> str:
        return f"README:{self.line} {self.text}"[:90]


def extract(markdown: str) -> list[Example]:
    """The shell examples of ``markdown``, in order, with comments stripped."""
    examples: list[Example] = []
    in_sh, in_other, block, env = False, False, [], {}
    for number, raw in enumerate(markdown.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("```"):
            if in_sh or in_other:
                in_sh = in_other = False
            else:
                in_sh, in_other = stripped == "```sh", stripped != "```sh"
                block, env = [], {}
            continue
        if in_other:
            continue
        if in_sh:
            command = _without_comment(stripped)
            if not command:
                continue
            if command.startswith("export "):
                env.update(dict(part.split("=", 1) for part in shlex.split(command)[1:]))
            else:
                examples.append(Example(number, command, tuple(block), dict(env)))
                block.append(command)
            continue
        indented = raw.startswith("    ") and stripped.startswith(("claude-tui ", "make "))
        commands = [stripped] if indented else [c for c in INLINE.findall(raw) if _is_a_command_line(c)]
        seen = {e.text for e in examples}
        examples += [Example(number, command) for command in dict.fromkeys(commands) if command not in seen]
    return examples


def _is_a_command_line(span: str) -> bool:
    """``claude-tui sessions list`` or ``claude-tui --help`` is an example; ``claude-tui run``
    in a sentence names the command."""
    words = span.split()
    return words[0] == "make" or len(words) > 2 or any(w.startswith("-") for w in words)


def _without_comment(line: str) -> str:
    """The line up to a ``#`` that starts a shell comment (outside quotes, after a space)."""
    quote = None
    for i, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].strip()
    return line.strip()


EXAMPLES = extract(README.read_text(encoding="utf-8"))
RUNNABLE = [e for e in EXAMPLES if e.text not in NOT_RUN]


def variants(command: str) -> list[str]:
    """``[--speed 1|2]`` → ``--speed 1`` and ``--speed 2`` (optional parts included)."""
    groups = re.findall(r"\[([^\]]+)\]", command)
    template = re.sub(r"\[[^\]]+\]", "{}", command)
    choices = [[" ".join(words) for words in itertools.product(*(w.split("|") for w in g.split()))] for g in groups]
    return [template.format(*picked) for picked in itertools.product(*choices)]


@dataclass
class Invocation:
    """One claude-tui invocation an example stands for."""

    argv: list[str]
    stdin: str | None = None
    make_target: list[str] | None = None
    """``make`` arguments other than ``run`` (target and variables), checked with ``make -n``."""


def invocation(command: str) -> Invocation:
    """What the shell would run: ``claude-tui ARGS``, ``make run ARGS=..``, ``echo x | ...``."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars="|")
    lexer.whitespace_split = True
    words = list(lexer)
    stdin = None
    if "|" in words:
        cut = words.index("|")
        feeder, words = words[:cut], words[cut + 1 :]
        assert feeder[0] == "echo", f"only echo feeds a pipe in the README: {command}"
        stdin = " ".join(feeder[1:]) + "\n"
    if words[0] == "claude-tui":
        return Invocation(words[1:], stdin)
    assert words[0] == "make", f"not a claude-tui command: {command} (add it to NOT_RUN with why)"
    if words[1:2] == ["run"]:
        args = [w for w in words[2:] if w.startswith("ARGS=")]
        return Invocation(shlex.split(args[0][len("ARGS=") :]) if args else [], stdin)
    return Invocation([], stdin, make_target=words[1:])


def how_checked(argv: list[str]) -> str:
    """``run`` (offline, for real) or ``parse`` (needs a key, opens the TUI, serves forever)."""
    if {"--help", "--version"} & set(argv):
        return "run"
    command = next((a for a in argv if not a.startswith("-")), None) if argv[:1] != ["--profile"] else None
    if command is None or (command == "replay" and "--print" not in argv):
        return "parse"  # the TUI
    if command == "simulate" and not {"--list", "--help"} & set(argv):
        return "parse"  # a server that runs until Ctrl-C
    if command == "run" and not any(a == "--sim" or a.startswith("--sim=") for a in argv):
        return "parse"  # needs ANTHROPIC_API_KEY
    return "run"


@pytest.fixture
def placeholders(cli, tmp_path):
    """Values for the synopsis placeholders; a session is recorded first for ``ID``."""

    values = {"TEXT": SEED_PROMPT, "N": "5", "FILE": str(tmp_path / "export.out")}

    def fill(command: str, *, real: bool = True) -> str:
        """``real=False``: any well-formed value will do (the line is only parsed)."""
        if not real:
            return re.sub(r"\b(ID|TEXT|N|FILE)\b", lambda m: values.get(m.group(1), "1"), command)
        if "ID" in re.findall(r"\b[A-Z]+\b", command) and "ID" not in values:
            code, _out, err = cli("run", "--sim=happy", "--quiet", SEED_PROMPT)
            assert code == 0, err
            code, out, err = cli("sessions", "list", "--json")
            values["ID"] = str(json.loads(out)[0]["id"])
        return re.sub(r"\b(ID|TEXT|N|FILE)\b", lambda m: values[m.group(1)], command)

    return fill


def test_the_readme_has_examples_of_every_kind():
    """The extraction finds the blocks (an empty list would run nothing and pass)."""
    kinds = {how_checked(invocation(v).argv) for e in RUNNABLE for v in variants(e.text)}
    assert len(RUNNABLE) >= 20 and kinds == {"run", "parse"}, [str(e) for e in EXAMPLES]
    assert any(invocation(e.text).make_target for e in RUNNABLE)


def test_every_example_left_out_is_still_in_the_readme():
    assert set(NOT_RUN) <= {e.text for e in EXAMPLES}


@pytest.mark.parametrize("example", RUNNABLE, ids=str)
def test_readme_example(example, run_cli, cli, placeholders, monkeypatch):
    for name, value in example.env.items():
        monkeypatch.setenv(name, value)
    for earlier in example.block:  # what the lines above it did, in the same HOME
        if earlier not in NOT_RUN and _runs(earlier):
            for text in variants(placeholders(earlier)):
                cli(*invocation(text).argv)
    for text in variants(placeholders(example.text, real=_runs(example.text))):
        call = invocation(text)
        if call.make_target:
            done = subprocess.run(["make", "-n", *call.make_target], cwd=ROOT, capture_output=True, text=True)
            assert done.returncode == 0, f"{text}: {done.stderr}"
        elif how_checked(call.argv) == "parse":
            _parses(text, call.argv)
        else:
            done = run_cli(*call.argv, input=call.stdin)
            assert "Traceback" not in done.stderr, f"{text}:\n{done.stderr}"
            assert done.returncode == 0, f"{text} exited {done.returncode}:\n{done.stderr}"


def _runs(command: str) -> bool:
    """Whether the example is run for real (the placeholders do not change that)."""
    call = invocation(variants(command)[0])
    return call.make_target is None and how_checked(call.argv) == "run"


def _parses(text: str, argv: list[str]) -> None:
    from tui_app.cli import build_parser

    try:
        build_parser().parse_args(argv)
    except SystemExit as exc:
        pytest.fail(f"{text}: not a valid command line (exit {exc.code})")
