"""The generated source: ruff-clean in every variant, literals exact, settings refused when unwritable."""

from __future__ import annotations

import ast
import itertools
import sys
from dataclasses import dataclass

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tui_app.codegen.literals import WIDTH, columns, py_assign, py_str
from tui_app.codegen.python import python_program
from tui_app.codegen.spec import NOT_WRITTEN_YET, WRITTEN, ProgramSpec
from tui_app.codegen.template import render
from tui_app.schema import Boolean, FieldError, setting
from tui_app.settings import RunSettings

from .conftest import RUFF_RULES, ruff


def variants() -> list[tuple[str, RunSettings, str | None, bool]]:
    """Every template branch: sync/async, each jitter, each mid-stream policy, a deadline or
    none, a system prompt or none, a prompt (short, long, odd) or none; then streaming or
    not, fallback models or none, server hints obeyed or not; then a retry budget or none,
    a circuit breaker or none (with fallback models or none)."""
    odd = 'say "hi" it\'s \\ $x ${y} \x1b[31m ' * 4 + "\n" + "word " * 30
    cases = []
    for use_async, jitter, mid, deadline, system, prompt in itertools.product(
        (False, True),
        ("full", "equal", "decorrelated", "none", "sdk", "additive"),
        MID_STREAM,
        (None, 7.5),
        (None, odd),
        (None, "Hi", odd),
    ):
        values = {"retry.jitter": jitter, "retry.mid_stream": mid, "retry.deadline": deadline, "system": system}
        name = f"{len(cases)}-{'async' if use_async else 'sync'}-{jitter}-{mid}-{deadline}-{system is not None}-{prompt is not None}"
        cases.append((name, RunSettings().with_values(values), prompt, use_async))
    for use_async, stream, fallback, hints, mid in itertools.product(
        (False, True), (True, False), ((), ("sim-b", "a-model-with-a-long-name")), ("obey", "ignore"), MID_STREAM
    ):
        values = {
            "stream": stream,
            "retry.fallback": fallback,
            "retry.server_hints": hints,
            "retry.mid_stream": mid,
            "retry.retry_statuses": (500, 529) if stream else tuple(range(400, 600, 3)),
        }
        name = f"{len(cases)}-{use_async}-{stream}-{len(fallback)}-{hints}-{mid}"
        cases.append((name, RunSettings().with_values(values), odd, use_async))
    for use_async, budget, breaker, fallback in itertools.product((False, True), (None, 0.2), (0, 2), ((), ("sim-b",))):
        values = {"retry.retry_budget": budget, "retry.breaker_after": breaker, "retry.fallback": fallback}
        name = f"{len(cases)}-{use_async}-budget-{budget}-breaker-{breaker}-{len(fallback)}"
        cases.append((name, RunSettings().with_values(values), "Hi", use_async))
    return cases


MID_STREAM = ("restart", "continue", "give-up")


def test_every_variant_passes_ruff_check_and_format(tmp_path):
    for name, run_settings, prompt, use_async in variants():
        source = python_program(ProgramSpec.from_settings(prompt, run_settings), use_async=use_async)
        (tmp_path / f"{name.replace('.', '_')}.py").write_text(source, encoding="utf-8")
    check = ruff("check", "--select", RUFF_RULES, "--output-format", "concise", str(tmp_path))
    assert check.returncode == 0, check.stdout
    fmt = ruff("format", "--check", str(tmp_path))
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr
    assert len(list(tmp_path.glob("*.py"))) == 432 + 48 + 16


def test_the_settings_are_named_constants_at_the_top():
    run_settings = RunSettings().with_values({"retry.max_attempts": 6, "timeouts.read": 12.5, "retry.deadline": 42.0})
    tree = ast.parse(python_program(ProgramSpec.from_settings("Hi", run_settings)))
    constants = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id.isupper()
        and not isinstance(node.value, ast.List)
    }
    assert constants["MAX_ATTEMPTS"] == 6 and constants["READ_TIMEOUT"] == 12.5 and constants["DEADLINE"] == 42.0
    assert constants["PROMPT"] == "Hi" and constants["MAX_DELAY"] == 8.0
    assert constants["RETRYABLE_STATUS"] == {408, 409, 429, 500, 502, 503, 504, 529}
    first_def = next(i for i, node in enumerate(tree.body) if isinstance(node, (ast.FunctionDef, ast.ClassDef)))
    assigns = [i for i, node in enumerate(tree.body) if isinstance(node, ast.Assign)]
    assert max(assigns) < first_def  # every setting before any code


def test_the_program_uses_only_the_sdk_and_the_standard_library():
    for use_async in (False, True):
        tree = ast.parse(python_program(ProgramSpec.from_settings("Hi", RunSettings()), use_async=use_async))
        modules = {
            alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        }
        modules |= {
            node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
        }
        third_party = modules - set(sys.stdlib_module_names) - {"__future__"}
        assert third_party == {"anthropic", "httpx2"}  # httpx2: the SDK's own HTTP layer, installed with it


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_a_string_literal_is_the_text_exactly(text):
    assert ast.literal_eval(py_str(text)) == text
    assert ast.literal_eval(py_assign("X", text).partition(" = ")[2]) == text


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
@example(text="0000000000\x1f\x1f\x1f\x1f\x1f\x08\\⺀\U00011747\U00018cd6\U00018d09\U0002ebe1" * 4)  # wide
@example(text="e\u0301" * 70)  # combining marks take no column
def test_long_literals_fit_the_line_and_ruff_format_keeps_them(tmp_path_factory, text):
    source = py_assign("PROMPT", text) + "\n"
    assert all(columns(line) <= WIDTH for line in source.splitlines())
    path = tmp_path_factory.mktemp("lit") / "x.py"
    path.write_text(source, encoding="utf-8")
    assert ruff("format", "--check", str(path)).returncode == 0, source


def test_render_drops_an_empty_whole_line_slot_and_indents_a_multi_line_one():
    template = "def f():\n    $BODY\n    $NOTHING\n    return $VALUE\n"
    text = render(template, {"BODY": "a = 1\nb = 2", "NOTHING": "", "VALUE": "(\n    a\n)"})
    assert text == "def f():\n    a = 1\n    b = 2\n    return (\n        a\n    )\n"
    with pytest.raises(KeyError):
        render("$MISSING\n", {})


@dataclass(frozen=True, slots=True)
class LaterSettings(RunSettings):
    """The settings with one more, as another branch might add it."""

    later: bool = setting(True, kind=Boolean(), flag="--later", label="later", help="a switch added later")


def test_a_setting_the_generator_cannot_write_is_refused_by_its_flag():
    assert "later" not in WRITTEN
    ProgramSpec.from_settings("Hi", LaterSettings())  # at its default: the program is the same
    with pytest.raises(FieldError) as caught:
        ProgramSpec.from_settings("Hi", LaterSettings().with_values({"later": False}))
    assert str(caught.value).startswith("--no-later cannot be written as code yet")  # the flag the user wrote


def test_every_setting_of_today_is_written_or_known_to_be_refused():
    """A new setting fails this until the generator writes it (or it is named as refused)."""
    keys = {s.key for s in RunSettings.schema()}
    assert keys - WRITTEN == NOT_WRITTEN_YET and not WRITTEN & NOT_WRITTEN_YET


def test_process_wide_settings_are_refused_with_one_line(cli):
    """Adaptive throttling refuses at random from a history of the process's requests."""
    code, out, err = cli("code", "Hi", "--throttle-k", "2")
    assert (code, out) == (2, "")
    assert err.startswith("claude-tui code: --throttle-k cannot be written as code yet")
    assert "leave --throttle-k out" in err and len(err.strip().splitlines()) == 1


def test_code_takes_exactly_the_request_flags_of_run():
    from tui_app.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")

    def flags(name: str) -> set[str]:
        return {o for action in sub.parser_for(name)._actions for o in action.option_strings}  # type: ignore[attr-defined]

    output_of_run = {"--events", "--quiet", "-q", "--no-record", "--sim", "--seed", "--continue"}  # run-only
    assert flags("code") - {"--async", "--lang"} == flags("run") - output_of_run


def test_code_from_a_profile_with_flags_on_top(cli):
    assert cli("profiles", "save", "patient", "--max-attempts", "7", "--preset", "long-form")[0] == 0
    code, out, err = cli("code", "Hi", "--profile", "patient", "--jitter", "equal")
    assert code == 0, err
    assert "MAX_ATTEMPTS = 7" in out and "READ_TIMEOUT = 180.0" in out and "DEADLINE = 600.0" in out
    assert "Equal jitter" in out


@pytest.mark.parametrize(
    ("argv", "names"),
    [(["--max-attempts", "0"], "--max-attempts"), (["--profile", "nope"], "nope"), ([""], "prompt")],
)
def test_bad_input_is_one_line_exit_2(cli, argv, names):
    code, out, err = cli("code", *argv) if argv != [""] else cli("code", "")
    assert code == 2 and out == ""
    assert names in err and len(err.strip().splitlines()) == 1
