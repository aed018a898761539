"""The TUI's own preferences in ``config.toml``: theme, last used model, key remapping.

Format (every key optional)::

    theme = "nord"
    last_model = "claude-sonnet-4-5"

    [keys]               # binding id -> keys (comma-separated), see tui_app/ui/keys.py
    send = "ctrl+j,alt+enter"

A broken file never stops the app: it starts with defaults and says what is wrong and
where. Writes keep every key the app does not own (and the user's [keys]) and are atomic
(temp file + rename), so an interrupted save never leaves half a file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import paths
from .keys import KEY_IDS

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(slots=True)
class UIConfig:
    """What the app remembers between runs, plus the problems found reading it."""

    path: Path
    theme: str | None = None
    last_model: str | None = None
    keys: dict[str, str] = field(default_factory=dict)
    cursor_blink: bool = True
    """False: a steady cursor in the editors (for people who find blinking distracting)."""
    problems: list[str] = field(default_factory=list)
    """One line per problem found in the file, shown to the user as notices."""

    @classmethod
    def load(cls, path: Path | None = None) -> UIConfig:
        path = path or paths.config_file()
        config = cls(path=path)
        data = config._read()
        if data is None:
            return config
        config.theme = config._string(data, "theme")
        config.last_model = config._string(data, "last_model")
        config.keys = config._keys(data.get("keys", {}))
        blink = data.get("cursor_blink", True)
        if isinstance(blink, bool):
            config.cursor_blink = blink
        else:
            config.problems.append(f"{path}: cursor_blink must be true or false, unquoted (ignored)")
        return config

    def _read(self) -> dict[str, Any] | None:
        try:
            with open(self.path, "rb") as fh:
                return tomllib.load(fh)
        except FileNotFoundError:
            return None
        except (
            OSError,
            tomllib.TOMLDecodeError,
            UnicodeDecodeError,
        ) as exc:  # not UTF-8: tomllib raises the codec's error
            self.problems.append(f"{self.path}: cannot read ({exc}); using defaults — fix or delete the file")
            return None

    def _string(self, data: dict[str, Any], key: str) -> str | None:
        value = data.get(key)
        if value is None or isinstance(value, str):
            return value
        self.problems.append(f'{self.path}: {key} must be a string, e.g. {key} = "..." (ignored)')
        return None

    def _keys(self, table: Any) -> dict[str, str]:
        if not isinstance(table, dict):
            self.problems.append(f'{self.path}: [keys] must be a table of binding id = "keys" (ignored)')
            return {}
        keys: dict[str, str] = {}
        for binding_id, value in table.items():
            if binding_id not in KEY_IDS:
                known = ", ".join(sorted(KEY_IDS))
                self.problems.append(f"{self.path}: [keys] unknown binding id {binding_id!r} (known: {known})")
            elif not isinstance(value, str) or not value.strip():
                self.problems.append(f'{self.path}: [keys] {binding_id} must be a string like "ctrl+j,f9"')
            else:
                keys[binding_id] = ",".join(part.strip() for part in value.split(","))
        return self._keep_send(self._warn_unsendable(keys))

    def _warn_unsendable(self, keys: dict[str, str]) -> dict[str, str]:
        """Say so for keys that most terminals never send (the binding would never fire)."""
        for binding_id, value in keys.items():
            for key in value.split(","):
                if _unsendable(key):
                    self.problems.append(
                        f"{self.path}: [keys] {binding_id} = {key!r}: most terminals cannot send {key} (they send"
                        " the key without the modifier); add a key they can, e.g. a function key"
                    )
        return keys

    def _keep_send(self, keys: dict[str, str]) -> dict[str, str]:
        """A remap never leaves ``send`` without a key a terminal can send: a remap that would
        (send moved to unsendable keys only, or another action taking its only key) is
        ignored, and said so."""
        from .keys import effective_keys

        def send_keys(mapping: dict[str, str]) -> set[str]:
            """Send's keys that fire it: sendable, and not remapped onto another action (a
            default key of another action loses to send, which is bound first)."""
            taken = {k for other, v in mapping.items() if other != "send" for k in v.split(",")}
            return {k for k in effective_keys(mapping)["send"].split(",") if not _unsendable(k) and k not in taken}

        if not send_keys(keys) and "send" in keys:
            self.problems.append(
                f"{self.path}: [keys] send = {keys['send']!r} leaves no key a terminal can send: the default is kept"
            )
            keys = {k: v for k, v in keys.items() if k != "send"}
        for binding_id in [b for b in keys if b != "send"]:
            if not send_keys(keys):
                self.problems.append(
                    f"{self.path}: [keys] {binding_id} = {keys[binding_id]!r} takes the only key of send: ignored"
                )
                keys = {k: v for k, v in keys.items() if k != binding_id}
        return keys

    def remember(self, **changes: str) -> str | None:
        """Store ``changes`` (theme, last_model) in the file; return a problem line or None."""
        changes = {k: v for k, v in changes.items() if getattr(self, k) != v}
        if not changes:
            return None
        for key, value in changes.items():
            setattr(self, key, value)
        if self.problems and self.path.exists():
            return None  # never overwrite a file we could not read: the user's data is in it
        data = self._read() or {}
        data.update(changes)
        try:
            _atomic_write(self.path, data)
        except OSError as exc:
            return f"cannot save preferences to {self.path}: {exc.strerror}"
        return None


def _atomic_write(path: Path, data: dict[str, Any]) -> None:
    import tomli_w

    from ..store.profiles import atomic_write  # one atomic-write routine for every config file

    paths.ensure_private_dir(path.parent)
    atomic_write(path, tomli_w.dumps(data))


_CTRL_UNSENDABLE = {"enter", "tab", "backspace", "escape"} | set("0123456789,.;'/")


def _unsendable(key: str) -> bool:
    """ctrl or shift with enter (shift+tab is sent), ctrl with tab, backspace, a digit or
    punctuation: a terminal without the kitty keyboard protocol sends the plain key instead."""
    *modifiers, base = key.strip().lower().split("+")
    if "shift" in modifiers and base in ("enter", "backspace"):
        return True
    return "ctrl" in modifiers and base in _CTRL_UNSENDABLE
