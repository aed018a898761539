"""`claude-tui sessions ...` and `claude-tui profiles ...` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui_app import paths
from tui_app.commands.sessions import format_table
from tui_app.settings import DEFAULT_MODEL
from tui_app.store.profiles import load_profile

from .conftest import gave_up, overloaded_then_ok


@pytest.fixture
def two_sessions(record) -> tuple[int, int]:
    first = record(gave_up(), prompt="Why is the sky blue?")
    second = record(overloaded_then_ok(answer="Pelicans glide."), prompt="Tell me about pelicans\nsecond line")
    return first, second


def test_sessions_list_json(cli, two_sessions):
    code, out, err = cli("sessions", "list", "--json")
    assert code == 0 and err == ""
    rows = json.loads(out)
    assert [r["id"] for r in rows] == list(reversed(two_sessions))
    assert {"id", "created_at", "model", "status", "attempts", "prompt"} <= rows[0].keys()
    assert (rows[0]["status"], rows[0]["attempts"], rows[1]["status"]) == ("ok", 2, "failed")


def test_sessions_list_table_search_and_limit(cli, two_sessions):
    code, out, _ = cli("sessions", "list")
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "CREATED", "STATUS", "ATT", "TIME", "MODEL", "BACKEND", "PROMPT"]
    assert "Tell me about pelicans" in lines[1] and "second line" not in out
    _, out, _ = cli("sessions", "list", "--search", "glide", "--json")
    assert [r["id"] for r in json.loads(out)] == [two_sessions[1]]
    _, out, _ = cli("sessions", "list", "--limit", "1", "--json")
    assert len(json.loads(out)) == 1
    code, out, err = cli("sessions", "list", "--search", "nothing-like-this")
    assert (code, out, err) == (0, "", "no sessions match\n")


def test_table_fits_the_terminal_width(store, two_sessions):
    wide = format_table(store.list_sessions(), 200).splitlines()
    narrow = format_table(store.list_sessions(), 84).splitlines()
    assert wide[1].endswith("Tell me about pelicans") and narrow[1].endswith("Tell me about pelic…")
    assert len(narrow[1]) <= 84
    assert format_table(store.list_sessions(), 60).splitlines()[1].endswith("Tell me about pelic…")  # 20 at least


def test_sessions_list_empty(cli):
    assert cli("sessions", "list") == (0, "", "no sessions recorded yet\n")
    assert cli("sessions", "list", "--json") == (0, "[]\n", "")


def test_sessions_show_json_has_response_and_events(cli, two_sessions):
    code, out, _ = cli("sessions", "show", str(two_sessions[1]), "--json")
    data = json.loads(out)
    assert code == 0 and data["response"] == "Pelicans glide."
    assert [e["type"] for e in data["events"]][:3] == ["run_start", "attempt_start", "attempt_error"]


def test_sessions_show_is_the_markdown_export(cli, two_sessions):
    _, shown, _ = cli("sessions", "show", str(two_sessions[0]))
    _, exported, _ = cli("sessions", "export", str(two_sessions[0]), "--format", "md")
    assert shown == exported and shown.startswith(f"# Session {two_sessions[0]} — failed")


def test_sessions_export_to_file(cli, two_sessions, tmp_path):
    target = tmp_path / "s.json"
    code, out, err = cli("sessions", "export", str(two_sessions[1]), "--format", "json", "--output", str(target))
    assert (code, out) == (0, "") and err == f"wrote session {two_sessions[1]} as json to {target.resolve()}\n"
    assert json.loads(target.read_text())["response"] == "Pelicans glide."


def test_the_format_follows_the_extension_and_nothing_is_overwritten_without_force(cli, two_sessions, tmp_path):
    sid = str(two_sessions[1])
    as_json = tmp_path / "s.json"
    assert cli("sessions", "export", sid, "--output", str(as_json))[0] == 0  # .json: JSON, no --format needed
    assert json.loads(as_json.read_text())["response"] == "Pelicans glide."
    as_md = tmp_path / "s.md"
    assert cli("sessions", "export", sid, "-o", str(as_md))[0] == 0 and as_md.read_text().startswith("# Session")
    named = tmp_path / "notes.json"
    assert cli("sessions", "export", sid, "--format", "md", "-o", str(named))[0] == 0  # --format wins
    assert named.read_text().startswith("# Session")
    before = as_json.read_text()
    code, out, err = cli("sessions", "export", sid, "--format", "md", "--output", str(as_json))
    assert (code, out) == (2, "") and as_json.read_text() == before  # refused: nothing lost
    assert err.strip() == (
        f"claude-tui sessions: {as_json.resolve()} exists: add --force to overwrite it, or choose another name"
    )
    assert cli("sessions", "export", sid, "--format", "md", "--output", str(as_json), "--force")[0] == 0
    assert as_json.read_text().startswith("# Session")


def test_the_tui_puts_a_bare_name_in_the_exports_folder():
    from tui_app.paths import exports_dir
    from tui_app.store.export_target import format_for, in_exports

    assert in_exports("session-3.md") == (exports_dir() / "session-3.md").resolve()
    assert in_exports("./here.md") == Path("here.md").resolve()  # a path is taken as written
    assert in_exports("/tmp/x.json") == Path("/tmp/x.json")
    assert [format_for(name, None) for name in ("a.json", "a.MD", "a.toml", "a.py", "a.txt", None)] == [
        "json", "md", "scenario", "python", "md", "md",
    ]  # fmt: skip


def test_sessions_delete(cli, two_sessions):
    assert cli("sessions", "delete", str(two_sessions[0])) == (0, "", f"deleted session {two_sessions[0]}\n")
    _, out, _ = cli("sessions", "list", "--json")
    assert [r["id"] for r in json.loads(out)] == [two_sessions[1]]


@pytest.mark.parametrize("action", [("show", "99"), ("export", "99"), ("delete", "99"), ("show", "99", "--json")])
def test_unknown_id_is_one_line_exit_2(cli, two_sessions, action):
    code, out, err = cli("sessions", *action)
    assert (code, out) == (2, "")
    assert err == "claude-tui sessions: no session with id 99 (see `claude-tui sessions list`)\n"


def test_newer_database_is_one_line_exit_2(cli):
    import sqlite3

    paths.ensure_private_dir(paths.data_dir())
    with sqlite3.connect(paths.sessions_db()) as conn:
        conn.execute("PRAGMA user_version = 42")
    conn.close()
    code, _, err = cli("sessions", "list")
    assert code == 2 and err.count("\n") == 1 and "newer claude-tui (schema v42" in err


def test_moved_aside_notice_goes_to_stderr(cli):
    paths.ensure_private_dir(paths.data_dir())
    paths.sessions_db().write_text("not a database")
    code, out, err = cli("sessions", "list", "--json")
    assert (code, out) == (0, "[]\n") and "moved it to" in err and "sessions.db.corrupt-" in err


def test_sessions_check(cli, two_sessions):
    assert cli("sessions", "check") == (0, f"{paths.sessions_db()}: ok\n", "")


def test_profiles_save_list_show_delete(cli):
    code, _, err = cli(
        "profiles",
        "save",
        "fast",
        "--preset",
        "streaming",
        "--read-timeout",
        "45",
        "--max-attempts",
        "5",
        "--deadline",
        "120",
        "--jitter",
        "equal",
    )
    assert code == 0 and err.startswith("saved profile 'fast' to ")
    settings = load_profile("fast")
    assert (settings.preset, settings.timeout_overrides, settings.policy.max_attempts) == (
        "streaming",
        {"read": 45.0},
        5,
    )
    assert (settings.effective_policy().deadline, settings.policy.jitter) == (120.0, "equal")
    assert cli("profiles", "list") == (0, f"fast  {DEFAULT_MODEL}  preset streaming\n", "")
    code, out, _ = cli("profiles", "show", "fast")
    effective, advice = out.rstrip().splitlines()[-2:]
    assert "read = 45.0" in out and effective == (
        "# effective (preset streaming): timeouts.connect 5 s, timeouts.read 45 s, timeouts.write 10 s, "
        "timeouts.pool 5 s, retry.deadline 120 s"
    )
    assert advice.startswith("# timeout advice: read 45 s covers ~") and "deadline 120 s covers ~" in advice
    _, out, _ = cli("profiles", "show", "fast", "--json")
    shown = json.loads(out)
    assert shown["timeouts"] == {"read": 45.0} and shown["effective"]["timeouts.read"] == 45.0
    assert shown["settings_version"] == 2 and shown["retry"]["max_attempts"] == 5
    assert cli("profiles", "delete", "fast")[0] == 0
    assert cli("profiles", "list") == (
        0,
        "",
        "no profiles saved yet: `claude-tui profiles save NAME [flags]` creates one\n",
    )


def test_profiles_save_from_another_profile_changes_only_the_flags_given(cli):
    cli("profiles", "save", "base", "--model", "test-model-a", "--max-tokens", "300")
    cli("profiles", "save", "base", "--profile", "base", "--max-tokens", "500")
    settings = load_profile("base")
    assert (settings.model, settings.max_tokens) == ("test-model-a", 500)


def test_profiles_list_shows_invalid_ones(cli, profile_file):
    profile_file("bad", "max_tokens = -1\n")
    cli("profiles", "save", "good")
    code, out, _ = cli("profiles", "list", "--json")
    entries = {e["name"]: e for e in json.loads(out)}
    assert entries["good"]["valid"] and not entries["bad"]["valid"]
    assert entries["bad"]["error"] == "max_tokens must be an integer between 1 and 1000000, got -1"
    _, out, _ = cli("profiles", "list")
    assert "bad   INVALID: max_tokens must be" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (("profiles", "show", "nope"), "no such profile"),
        (("profiles", "show", "bad"), "max_tokens must be an integer"),
        (("profiles", "delete", "nope"), "no such profile"),
        (("profiles", "save", "bad"), "the existing file is invalid"),
        (("profiles", "save", "x", "--preset", "turbo"), 'argument --preset: must be one of "quick", '),
        (("profiles", "save", "../x"), "is not a valid profile name"),
        (("profiles", "save", "x", "--profile", "bad"), "max_tokens must be an integer"),
    ],
)
def test_profile_errors_are_one_line_exit_2(cli, profile_file, argv, message):
    path = profile_file("bad", "max_tokens = -1\n")
    code, out, err = cli(*argv)
    assert (code, out) == (2, "") and err.startswith("claude-tui profiles") and err.count("\n") == 1
    assert message in err
    assert path.read_text() == "max_tokens = -1\n"


def test_profiles_save_force_replaces_an_invalid_file(cli, profile_file):
    profile_file("bad", "max_tokens = -1\n")
    assert cli("profiles", "save", "bad", "--force", "--max-tokens", "9")[0] == 0
    assert load_profile("bad").max_tokens == 9


LIGHT = """
import json, sys
from tui_app.cli import main
code = main(sys.argv[1:])
heavy = sorted(m for m in ("anthropic", "textual", "httpx2") if m in sys.modules)
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


@pytest.mark.parametrize("argv", [("sessions", "list", "--json"), ("profiles", "list"), ("sessions", "show", "1")])
def test_commands_stay_import_light_in_a_real_process(python_subprocess, record, argv):
    record(overloaded_then_ok())
    proc = python_subprocess(LIGHT, *argv)
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    assert report == {"code": 0, "heavy": []}, proc.stderr


def test_installed_entry_point_lists_sessions(python_subprocess, record):
    sid = record(overloaded_then_ok())
    proc = python_subprocess(
        "import sys; from tui_app.cli import entry; sys.argv[0] = 'claude-tui'; entry()", "sessions", "list", "--json"
    )
    assert proc.returncode == 0 and json.loads(proc.stdout)[0]["id"] == sid
