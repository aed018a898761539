"""The suite passes whichever models the installed SDK's table lists.

anthropic 2.15 dropped ``claude-sonnet-4-5`` from its table and a fresh clone's tests broke:
the simulator answers 404 for a model the table lacks. Here a representative part of the
suite (CLI, TUI, store, simulator, benchmarks' model use) runs in a subprocess against an
``anthropic`` package whose ``types/model.py`` lacks today's default and every model id
written anywhere in tests/ or benchmarks/. The trimmed package comes first on PYTHONPATH, so
the product (which reads that file), the SDK itself and every process a test starts see it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tui_app.models import sdk_models
from tui_app.settings import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parents[1]
MODEL_ID = re.compile(r"claude-[a-z]+-[0-9][0-9a-z-]*")
SUBSET = [  # the tests that send a model: the SDK, the core, the CLI, the store, the TUI
    "tests/test_models.py::test_the_installed_table_matches_the_sdk_literal_and_holds_the_default",
    "tests/simulator/test_sim_fidelity.py::test_happy_stream_text_usage_and_stop_reason",
    "tests/simulator/test_sim_fidelity.py::test_non_streaming_create",
    "tests/simulator/test_sim_fidelity.py::test_models_list",
    "tests/simulator/test_sim_fidelity.py::test_sdk_obeys_the_retry_hint_when_it_retries",
    "tests/integration/test_core_faults.py",
    "tests/integration/test_run_cli.py::test_happy_run_prints_exactly_the_answer",
    "tests/store/test_cli.py",
    "tests/ui/test_pilot_run.py::test_retry_with_edited_model_during_backoff",
    "tests/ui/test_pilot_config.py::test_theme_and_last_model_are_remembered",
]
PROBE = """
import typing, anthropic.types
from tui_app.models import sdk_models
from tui_app.settings import DEFAULT_MODEL
literal = [a for a in typing.get_args(anthropic.types.Model) if typing.get_origin(a) is typing.Literal]
print(DEFAULT_MODEL, *sdk_models(), "|", *(m for lit in literal for m in typing.get_args(lit)))
"""


def models_named_in_the_sources() -> set[str]:
    """Every model id written in a test or a benchmark, whether or not the table lists it."""
    found: set[str] = set()
    for folder in ("tests", "benchmarks"):
        for path in (ROOT / folder).rglob("*.py"):
            found.update(MODEL_ID.findall(path.read_text(encoding="utf-8")))
    return found


def trimmed_sdk(dest: Path, drop: set[str]) -> Path:
    """A copy of the installed ``anthropic`` (symlinks) whose model table lacks ``drop``."""
    import importlib.util

    spec = importlib.util.find_spec("anthropic")
    assert spec is not None and spec.submodule_search_locations
    real = Path(next(iter(spec.submodule_search_locations)))
    shadow = dest / "anthropic"
    shadow.mkdir(parents=True)
    for entry in real.iterdir():
        if entry.name != "types":
            (shadow / entry.name).symlink_to(entry)
    (shadow / "types").mkdir()
    for entry in (real / "types").iterdir():
        if entry.name not in ("model.py", "__pycache__"):
            (shadow / "types" / entry.name).symlink_to(entry)
    kept = [
        line
        for line in (real / "types" / "model.py").read_text(encoding="utf-8").splitlines()
        if not any(line.strip().strip(",") == f'"{model}"' for model in drop)
    ]
    (shadow / "types" / "model.py").write_text("\n".join(kept) + "\n", encoding="utf-8")
    return dest


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_the_suite_passes_when_the_sdk_table_lacks_its_default_and_every_named_model(tmp_path):
    drop = {DEFAULT_MODEL, *(models_named_in_the_sources() & set(sdk_models()))}
    remaining = [m for m in sdk_models() if m not in drop]
    assert any(m.startswith("claude-sonnet-") for m in remaining), "nothing left to default to"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(trimmed_sdk(tmp_path / "sdk", drop)), str(ROOT)])}

    probe = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60)
    assert probe.returncode == 0, probe.stderr
    default, *listed = probe.stdout.split()
    read, imported = listed[: listed.index("|")], listed[listed.index("|") + 1 :]
    assert read == imported == remaining, "the trimmed table is the one both the product and the SDK see"
    assert default not in drop and default.startswith("claude-sonnet-")

    suite = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", *SUBSET],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=580,
    )
    assert suite.returncode == 0, suite.stdout[-4000:] + suite.stderr[-2000:]
    assert " passed" in suite.stdout.splitlines()[-1]
