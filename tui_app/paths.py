"""Every path the app touches, in one place (XDG variables honoured via platformdirs).

Tests point these at temporary directories by setting ``XDG_CONFIG_HOME`` /
``XDG_DATA_HOME`` (or ``CLAUDE_TUI_CONFIG_DIR`` / ``CLAUDE_TUI_DATA_DIR``), so
they never touch the real home directory.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "claude-tui"


def config_dir() -> Path:
    """Directory for user configuration: config.toml and profiles/."""
    override = os.environ.get("CLAUDE_TUI_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """Directory for user data: the sessions database and crash logs."""
    override = os.environ.get("CLAUDE_TUI_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    """The main config file (theme, key bindings, last used model)."""
    return config_dir() / "config.toml"


def profiles_dir() -> Path:
    """One TOML file per saved profile."""
    return config_dir() / "profiles"


def sessions_db() -> Path:
    """SQLite database holding every recorded session."""
    return data_dir() / "sessions.db"


def exports_dir() -> Path:
    """Where the TUI writes exported sessions unless given a path of one's own."""
    return data_dir() / "exports"


def crash_dir() -> Path:
    """Where crash logs go (``crash-YYYYmmdd-HHMMSS-PID.log``): the tracebacks of bugs."""
    return data_dir()


def assets_dir() -> Path:
    """Shipped data (presets, scenarios): inside the wheel, or the repo's assets/."""
    packaged = Path(__file__).parent / "_assets"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "assets"


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` and its missing parents readable by the owner only (0700).

    Every missing component gets 0700, as the XDG base directory spec asks, not only the
    last: ``mkdir(parents=True)`` would create ``claude-tui/`` world-readable on the way to
    ``claude-tui/profiles/``. Directories that already exist are left as they are.
    """
    missing = []
    ancestor = path
    while not ancestor.exists() and ancestor != ancestor.parent:
        missing.append(ancestor)
        ancestor = ancestor.parent
    for directory in reversed(missing):
        try:
            directory.mkdir(mode=0o700)
        except FileExistsError:  # another process made it meanwhile
            pass
    if not path.is_dir():
        raise NotADirectoryError(20, "Not a directory", str(path))
    return path
