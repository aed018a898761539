"""Where an export goes and in which format: the rules ``sessions export`` and the sessions
screen share, so that neither writes somewhere, or something, the user did not ask for.

- The format follows the file's extension (``.json``, ``.md``, ``.toml`` a scenario, ``.py``
  or ``.ts`` / ``.mts`` a program) unless one is named; stdout is Markdown unless one is named.
- An existing file is never overwritten unless asked (``--force``).
- The TUI puts a bare file name in the exports folder (``paths.exports_dir``), never in
  whatever directory the app was started from; a path with a directory in it is taken as
  written. Every message names the full path.
"""

from __future__ import annotations

import os
from pathlib import Path

FORMATS = ("md", "json", "scenario", "python", "typescript")
"""Every export format (``sessions export --format``), read by the parser: import-light here."""
BY_SUFFIX = {
    ".json": "json",
    ".md": "md",
    ".markdown": "md",
    ".toml": "scenario",
    ".py": "python",
    ".ts": "typescript",
    ".mts": "typescript",
}
DEFAULT_FORMAT = "md"


def format_for(output: str | None, named: str | None) -> str:
    """The export format: the one ``named``, else the one ``output``'s extension says, else Markdown."""
    if named:
        return named
    if output and output != "-":
        return BY_SUFFIX.get(Path(output).suffix.lower(), DEFAULT_FORMAT)
    return DEFAULT_FORMAT


def in_exports(text: str) -> Path:
    """The TUI's answer to "export to": a bare file name goes to the exports folder."""
    from ..paths import exports_dir

    typed = text.strip()
    path = Path(typed).expanduser()
    if "/" not in typed and os.sep not in typed and not typed.startswith("~"):  # "./x.md" is a path
        path = exports_dir() / path
    return path.resolve()


def write_new(path: Path, text: str, *, force: bool = False) -> Path:
    """Write ``text`` to ``path`` (its folder made if it is the exports folder's); the full
    path written. ``FileExistsError`` naming the fix when it exists and ``force`` is off."""
    from ..paths import exports_dir

    path = path.expanduser().resolve()
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists: add --force to overwrite it, or choose another name")
    if path.parent == exports_dir().resolve():
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
