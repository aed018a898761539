"""Named profiles: one human-editable TOML file each, in ``paths.profiles_dir()``.

>>> save_profile("fast", RunSettings(preset="quick"))        # doctest: +SKIP
>>> load_profile("fast").preset
'quick'

The app never overwrites or deletes a file it cannot read as a valid profile — a
hand-edited profile with a typo is still the user's work. ``save_profile`` refuses to
replace an invalid file unless ``force=True`` (``profiles save NAME --force``);
``delete_profile`` only runs when the user names the profile.

Writes are atomic: a temp file in the same directory, fsync, then ``os.replace`` — an
interrupted save leaves the old file or the new one, never half of either. Files are
0600 and the directory 0700; a profile never holds an API key (``api_key`` is rejected).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import tomllib
from typing import TYPE_CHECKING

from .. import paths
from ..schema import FieldError
from .profile_format import dumps, parse

if TYPE_CHECKING:
    from pathlib import Path

    from ..settings import RunSettings

NAME_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,63}")
NAME_RULE = "use letters, digits, '_', '-' and '.' ('-' and '.' not first), at most 64 characters"


class ProfileError(Exception):
    """A profile cannot be used: ``str()`` is one line naming the file, the field and the fix."""

    def __init__(self, name: str, path: Path | None, message: str, field: str | None = None) -> None:
        where = f"profile {name!r} ({path})" if path else f"profile name {name!r}"
        super().__init__(f"{where}: {message}".replace("\n", " "))
        self.name, self.path, self.field, self.message = name, path, field, message


def profile_path(name: str) -> Path:
    """Where profile ``name`` lives; ``ProfileError`` for a name that is not a safe file name."""
    if not isinstance(name, str) or not NAME_RE.fullmatch(name):
        raise ProfileError(str(name), None, f"is not a valid profile name: {NAME_RULE}")
    return paths.profiles_dir() / f"{name}.toml"


def list_profiles() -> list[str]:
    """Names of the saved profiles, sorted (valid or not: loading tells which are broken)."""
    try:
        entries = list(paths.profiles_dir().glob("*.toml"))
    except OSError:
        return []
    return sorted(p.stem for p in entries if NAME_RE.fullmatch(p.stem))


def load_profile(name: str) -> RunSettings:
    """The settings saved as ``name``; ``ProfileError`` (one line) if missing or invalid."""
    path = profile_path(name)
    text = _read_text(name, path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(name, path, f"TOML syntax error: {exc}; fix that line") from None
    try:
        return parse(data, base_dir=path.parent)
    except FieldError as exc:
        raise ProfileError(name, path, str(exc), field=exc.field) from None


def save_profile(name: str, settings: RunSettings, *, force: bool = False) -> Path:
    """Write ``settings`` as profile ``name`` atomically; return the file's path.

    An existing *valid* profile is replaced; an invalid one only with ``force=True``.
    """
    path = profile_path(name)
    if path.is_dir():
        raise ProfileError(name, path, "is a directory, not a file: move it away first")
    if path.exists() and not force:
        try:
            load_profile(name)
        except ProfileError as exc:
            raise ProfileError(
                name, path, f"the existing file is invalid ({exc.message}); fix it, or save with --force to replace it"
            ) from None
    text = dumps(settings)
    try:
        parse(tomllib.loads(text), base_dir=path.parent)  # never write a file we could not load back
    except FieldError as exc:
        raise ProfileError(name, path, f"cannot save: {exc}", field=exc.field) from None
    paths.ensure_private_dir(path.parent)
    try:
        atomic_write(path, text)
    except OSError as exc:
        raise ProfileError(name, path, f"cannot write: {exc.strerror or exc}") from None
    return path


def delete_profile(name: str) -> Path:
    """Delete profile ``name`` (asked for by the user, so even an invalid one)."""
    path = profile_path(name)
    if path.is_dir():
        raise ProfileError(name, path, "is a directory, not a profile file: remove it by hand if it is not needed")
    try:
        path.unlink()
    except FileNotFoundError:
        raise ProfileError(name, path, _missing_hint(name)) from None
    except OSError as exc:
        raise ProfileError(name, path, f"cannot delete: {exc.strerror or exc}") from None
    return path


def atomic_write(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` all at once (temp file + fsync + rename), mode 0600."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # mkstemp: 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable (POSIX; not on Windows)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _read_text(name: str, path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ProfileError(name, path, _missing_hint(name)) from None
    except IsADirectoryError:
        raise ProfileError(name, path, "is a directory, not a profile file: move it away") from None
    except PermissionError:
        raise ProfileError(name, path, f"cannot be read (permission denied): run chmod 600 {path}") from None
    except OSError as exc:
        raise ProfileError(name, path, f"cannot be read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ProfileError(
            name, path, f"is not valid UTF-8 (byte {data[exc.start]:#04x} on line {line}): re-save it as UTF-8"
        ) from None


def _missing_hint(name: str) -> str:
    existing = list_profiles()
    have = f"existing profiles: {', '.join(existing)}" if existing else "no profiles are saved yet"
    return f"no such profile ({have}); create it with `claude-tui profiles save {name} [flags]`"
