"""Running the lab in-process: one request's figures, a comparison, the CLI's output."""

from __future__ import annotations

import contextlib
import io

import pytest

from tui_app.lab import load_faults, load_policies, run_lab


@pytest.fixture
def one_request():
    """``one_request(scenario, policy)``: the figures of one request under one policy, seed 0."""

    def run(scenario: str, policy: str) -> dict:
        result = run_lab(load_faults(scenario), load_policies([policy]), requests=1, seed=0)
        return result.policies[0]

    return run


@pytest.fixture
def compare():
    """``compare(faults, *policies, requests=, arrival=, seed=)``: figures by policy name."""

    def run(faults: str, *policies: str, requests: int, arrival: str | float = "burst", seed: int = 0) -> dict:
        result = run_lab(
            load_faults(faults), load_policies(list(policies)), requests=requests, arrival=arrival, seed=seed
        )
        return {p["name"]: p for p in result.policies}

    return run


@pytest.fixture
def lab_cli():
    """``lab_cli(*args)``: (exit code, stdout, stderr) of ``claude-tui lab`` run in-process."""
    from tui_app.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(["lab", *args])
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code
        return code, out.getvalue(), err.getvalue()
        return code, out.getvalue(), err.getvalue()

    return run


@pytest.fixture
def policy_file(tmp_path):
    """``policy_file(name, text)``: a profile-format policy file named ``name``.toml."""

    def write(name: str, text: str):
        path = tmp_path / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write
