"""Every request setting, declared once: what flags, profiles, the form and the docs derive from.

A setting is declared as the typed dataclass field that holds it, ``setting(default,
kind=..., flag=..., label=..., help=...)`` (in ``RunSettings``, ``RetryPolicy``,
``Timeouts``); :func:`collect` reads them back as :class:`Setting` s, giving each its
profile key (``retry.max_attempts``, also the field path in every error) and where
``RunSettings`` keeps the value. The derivations below take the schema as an argument
(``SETTINGS`` in the product), so each one is a plain function of the declarations:

- :func:`add_flags` / :func:`flag_values` — ``claude-tui run`` / ``profiles save`` flags;
- :func:`parse_table` / :func:`to_table` — the TOML layout of a profile;
- :func:`check_values` — the one set of rules every source goes through;
- :func:`form_fields` — which fields the TUI form and prompt panel show;
- :func:`markdown_table` — the README's profile-keys table.

Import-light on purpose (the TUI's first frame and the retry core import it): argparse and
dataclasses only, and no dataclass of its own until a declaration is read; presets and
scenario names are looked up when first needed.
"""

from typing import TYPE_CHECKING

from .amounts import Number, Thinking
from .declared import (
    NO_VALUE,
    SETTINGS,
    TABLE_TITLES,
    by_key,
    check_value,
    check_values,
    collect,
    parse_text,
    setting,
    settings_table,
    suggest,
    tables,
)
from .derive import (
    add_flags,
    default_text,
    flag_error,
    flag_help,
    flag_values,
    form_fields,
    markdown_table,
    parse_table,
    to_table,
)
from .errors import FieldError, Problem, show
from .kinds import (
    Boolean,
    Choice,
    Integer,
    Kind,
    ScenarioRef,
    Seconds,
    Text,
    resolve_scenario,
)
from .lists import TextList

if TYPE_CHECKING:
    from .described import Setting


def __getattr__(name: str) -> object:
    """``Setting``, imported when first asked for: its dataclass is made only once a
    declaration is read (:func:`collect`), not when the settings are declared."""
    if name == "Setting":
        from .described import Setting

        return Setting
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "NO_VALUE",
    "SETTINGS",
    "TABLE_TITLES",
    "Boolean",
    "Choice",
    "FieldError",
    "Integer",
    "Kind",
    "Number",
    "Problem",
    "ScenarioRef",
    "Seconds",
    "Setting",
    "Text",
    "TextList",
    "Thinking",
    "add_flags",
    "by_key",
    "check_value",
    "check_values",
    "collect",
    "default_text",
    "flag_error",
    "flag_help",
    "flag_values",
    "form_fields",
    "markdown_table",
    "parse_table",
    "parse_text",
    "resolve_scenario",
    "setting",
    "settings_table",
    "show",
    "suggest",
    "tables",
    "to_table",
]
