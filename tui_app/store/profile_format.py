"""The TOML layout of a profile, both ways: parsed TOML -> ``RunSettings`` and back.

The layout, the rules and the error wording all come from the settings schema
(:mod:`tui_app.schema`): flat keys at the top (``model``, ``preset``...) and one table per
concern (``[timeouts]`` overrides of the preset, ``[retry]``, ``[simulator]``). Every error
names the dotted field it failed on and the fix, because a person wrote the file by hand.
Anything the file leaves out takes the same default as ``claude-tui run`` without flags.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import tomli_w

from .. import paths
from ..schema import SETTINGS, FieldError, Problem, ScenarioRef, parse_table, resolve_scenario, to_table
from ..settings import RunSettings

if TYPE_CHECKING:
    from pathlib import Path

HEADER = """\
# claude-tui profile: edit freely (`claude-tui profiles show NAME` checks it).
# Left-out fields take the defaults of `claude-tui run`; [timeouts] override the preset's.
"""


def dumps(settings: RunSettings) -> str:
    """The profile file for ``settings`` (never an API key: settings hold none)."""
    table = to_table(settings.values())
    # Multi-line strings keep a long system prompt readable, but TOML reads a "\r\n" in
    # them back as "\n": a value holding "\r" is written escaped, so it round-trips exactly.
    return HEADER + "\n" + tomli_w.dumps(table, multiline_strings=not _holds_cr(table))


def _holds_cr(value: object) -> bool:
    if isinstance(value, str):
        return "\r" in value
    if isinstance(value, dict):
        return any(_holds_cr(v) for v in value.values())
    return False


def parse(data: dict[str, Any], *, base_dir: Path) -> RunSettings:
    """Check a parsed profile and build its settings; ``FieldError`` on the first problem.

    ``base_dir`` anchors a relative scenario file path (the profile's own directory).
    """
    values = parse_table(data)
    for s in SETTINGS:
        value = values.get(s.key)
        if isinstance(s.kind, ScenarioRef) and isinstance(value, str):
            try:
                values[s.key] = resolve_scenario(value, base_dir, scenario_names())
            except Problem as exc:
                raise FieldError(s.key, str(exc)) from None
    return RunSettings.from_values(values)


def scenario_names() -> list[str]:
    """Scenarios shipped with the simulator (``assets/scenarios/*.toml`` stems)."""
    return sorted(p.stem for p in (paths.assets_dir() / "scenarios").glob("*.toml"))
