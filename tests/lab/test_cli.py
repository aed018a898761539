"""``claude-tui lab``: the table, the JSON document and its stability, one-line errors."""

from __future__ import annotations

import json

import pytest

KEYS = [
    "name",
    "succeeded",
    "failed",
    "success_rate",
    "attempts",
    "calls_per_success",
    "latency_p50",
    "latency_p95",
    "latency_p99",
    "latency_max",
    "give_ups",
    "waiting_seconds",
    "peak_server_load",
    "output_tokens",
    "wasted_output_tokens",
    "cost_usd",
    "wasted_cost_usd",
]
ARGS = ("--scenario", "crowded", "--requests", "150", "--policy", "none", "--policy", "full-jitter", "--json")


def test_the_same_seed_prints_the_same_bytes(lab_cli):
    code, first, _ = lab_cli(*ARGS, "--seed", "3")
    assert code == 0 and lab_cli(*ARGS, "--seed", "3")[1] == first
    assert lab_cli(*ARGS, "--seed", "4")[1] != first
    doc = json.loads(first)
    assert list(doc) == ["scenario", "seed", "requests", "virtual_seconds", "wall_seconds", "policies"]
    assert (doc["scenario"], doc["seed"], doc["requests"], doc["wall_seconds"]) == ("crowded", 3, 150, None)
    assert [list(p) for p in doc["policies"]] == [KEYS, KEYS] and doc["policies"][1]["name"] == "full-jitter"


def test_wall_time_is_given_only_when_asked(lab_cli):
    doc = json.loads(lab_cli(*ARGS, "--wall-time")[1])
    assert isinstance(doc["wall_seconds"], float) and doc["wall_seconds"] >= 0


def test_the_table_marks_the_best_of_each_column(lab_cli):
    code, out, _ = lab_cli(
        "--scenario", "529-then-ok", "--requests", "10", "--policy", "none", "--policy", "sdk-default"
    )
    lines = out.splitlines()
    assert code == 0 and lines[0] == "529-then-ok: 10 requests (arriving together), seed 0, 0.5 s of virtual time"
    none, sdk = (line.split() for line in lines[4:6])
    assert none[:5] == ["none", "0", "10", "0.0%", "10*"] and sdk[:5] == ["sdk-default", "10*", "0*", "100.0%*", "20"]
    assert "  sdk-default: none" in lines and "  none: max_attempts 10" in lines


def test_a_policy_file_is_named_by_its_stem(lab_cli, policy_file):
    path = policy_file("patient", '[retry]\nmax_attempts = 8\njitter = "none"\n')
    code, out, _ = lab_cli("--scenario", "overload-storm", "--requests", "1", "--policy", str(path), "--json")
    got = json.loads(out)["policies"][0]
    assert code == 0 and got["name"] == "patient" and got["waiting_seconds"] == 0.5 + 1.0 + 0.8


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--scenario", "nope", "--policy", "none"), "claude-tui lab: --scenario: unknown 'nope' (use a scenario: "),
        (("--scenario", "crowded", "--policy", "wat"), "claude-tui lab: policy 'wat': not a built-in (none, "),
        (("--scenario", "crowded", "--policy", "none", "--requests", "0"), "claude-tui lab: argument --requests: "),
        (("--scenario", "crowded", "--policy", "none", "--arrival", "fast"), "claude-tui lab: argument --arrival: "),
        (("--scenario", "crowded", *["--policy", "none"] * 7), "claude-tui lab: --policy: give 1 to 6 policies, not 7"),
        (
            ("--scenario", "crowded", "--policy", "none", "--policy", "none"),
            "claude-tui lab: --policy: 'none' is given twice",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(lab_cli, args, message):
    code, out, err = lab_cli(*args)
    assert code == 2 and out == "" and err.startswith(message) and err.count("\n") == 1


def test_a_bad_policy_file_names_the_field(lab_cli, policy_file):
    path = policy_file("broken", "[retry]\nretry_budget = 2\n")
    code, _, err = lab_cli("--scenario", "crowded", "--policy", str(path))
    assert code == 2 and f"policy file {path}: retry.retry_budget must be a number > 0 and <= 1" in err


def test_the_lab_needs_neither_the_sdk_nor_textual():
    """The lab simulates attempts without the SDK: it starts in a fraction of a second."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom tui_app.cli import main\n"
        "main(['lab', '--scenario', 'crowded', '--policy', 'sdk-default', '--requests', '30'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('anthropic', 'textual', 'httpx2', 'rich'))\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in result.stderr and "crowded: 30 requests" in result.stdout, result.stderr


def test_a_policy_without_streaming_is_refused_by_name(lab_cli, policy_file):
    path = policy_file("whole", "stream = false\n")
    code, _, err = lab_cli("--scenario", "crowded", "--policy", str(path))
    assert code == 2 and "policy 'whole': stream = false is not simulated by the lab yet" in err
