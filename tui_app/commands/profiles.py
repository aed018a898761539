"""``claude-tui profiles``: list, show, save (from the same flags as ``run``) and delete.

``profiles save NAME`` starts from the defaults — or from ``--profile OTHER`` (which may be
NAME itself, to change one field) — and applies the flags given. An existing profile
that is invalid is never replaced unless ``--force`` is given. Import-light like every
command module.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from .request_flags import add_request_flags, settings_from_args

if TYPE_CHECKING:
    from ..settings import RunSettings

EPILOG = """\
Profiles are TOML files in the profiles/ directory of the config directory
(CLAUDE_TUI_CONFIG_DIR overrides it); edit them by hand freely: `profiles show NAME` checks one.
Use one with `claude-tui run --profile NAME` or `claude-tui --profile NAME`.
exit codes: 0 ok; 2 invalid or missing profile, or bad flags.
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.description = "Named settings (model, timeouts, retry policy...) saved as TOML files."
    p.epilog, p.formatter_class = EPILOG, argparse.RawDescriptionHelpFormatter
    actions = p.add_subparsers(dest="profiles_action", metavar="ACTION", required=True)
    lst = actions.add_parser("list", help="saved profiles, with their model and preset (or why they are invalid)")
    lst.add_argument("--json", action="store_true", help="a JSON array instead of a table")
    show = actions.add_parser("show", help="check one profile and print it with its effective timeouts")
    show.add_argument("name", metavar="NAME")
    show.add_argument("--json", action="store_true", help="the full settings as JSON")
    save = actions.add_parser(
        "save",
        help="save the flags given as profile NAME (same flags as `run`)",
        description="Save settings as profile NAME: defaults (or --profile OTHER) with the flags given applied.",
    )
    save.add_argument("name", metavar="NAME")
    save.add_argument("--force", action="store_true", help="replace an existing profile even if it is invalid")
    add_request_flags(save)
    delete = actions.add_parser("delete", help="delete profile NAME")
    delete.add_argument("name", metavar="NAME")


def run(args: argparse.Namespace) -> int:
    from ..safe_text import one_line
    from ..store.profiles import ProfileError

    try:
        return _ACTIONS[args.profiles_action](args)
    except (ProfileError, ValueError) as exc:
        print(f"claude-tui profiles: {one_line(str(exc))}", file=sys.stderr)
        return 2


def _list(args: argparse.Namespace) -> int:
    from ..store.profiles import ProfileError, list_profiles, load_profile, profile_path

    entries: list[dict[str, Any]] = []
    for name in list_profiles():
        try:
            settings = load_profile(name)
            entries.append(
                {
                    "name": name,
                    "path": str(profile_path(name)),
                    "valid": True,
                    "error": None,
                    "model": settings.model,
                    "preset": settings.preset,
                }
            )
        except ProfileError as exc:
            entries.append(
                {
                    "name": name,
                    "path": str(profile_path(name)),
                    "valid": False,
                    "error": exc.message,
                    "model": None,
                    "preset": None,
                }
            )
    if args.json:
        print(json.dumps(entries, indent=2, ensure_ascii=False))
    elif not entries:
        print("no profiles saved yet: `claude-tui profiles save NAME [flags]` creates one", file=sys.stderr)
    else:
        from ..safe_text import one_line

        width = max(len(e["name"]) for e in entries)
        for e in entries:
            what = f"{e['model']}  preset {e['preset']}" if e["valid"] else f"INVALID: {e['error']}"
            print(one_line(f"{e['name'].ljust(width)}  {what}"))
    return 0


def _show(args: argparse.Namespace) -> int:
    from ..store.profile_format import dumps
    from ..store.profiles import load_profile, profile_path

    settings = load_profile(args.name)
    if args.json:
        print(json.dumps({"name": args.name, "path": str(profile_path(args.name)), **settings.to_dict()}, indent=2))
        return 0
    print(f"# {profile_path(args.name)}")
    print(dumps(settings), end="")
    print(f"\n# effective (preset {settings.preset}): {effective_line(settings)}")
    from ..advisor import advise_settings

    if (advice := advise_settings(settings)) is not None:
        print(f"# timeout advice: {advice.line}")
    return 0


def effective_line(settings: RunSettings) -> str:
    """What a run with ``settings`` uses for each preset-driven setting (timeouts, deadline)."""
    from ..schema import SETTINGS

    values = settings.values(effective=True)
    shown = []
    for s in SETTINGS:
        if s.preset_default:
            value = values[s.key]
            shown.append(f"{s.key} " + ("none" if value is None else f"{value:g} {s.unit}".rstrip()))
    return ", ".join(shown)


def _save(args: argparse.Namespace) -> int:
    from ..store.profiles import save_profile
    from .run import load_base_settings

    settings = settings_from_args(args, load_base_settings(args))
    path = save_profile(args.name, settings, force=args.force)
    print(f"saved profile {args.name!r} to {path}", file=sys.stderr)
    return 0


def _delete(args: argparse.Namespace) -> int:
    from ..store.profiles import delete_profile

    path = delete_profile(args.name)
    print(f"deleted profile {args.name!r} ({path})", file=sys.stderr)
    return 0


_ACTIONS = {"list": _list, "show": _show, "save": _save, "delete": _delete}
