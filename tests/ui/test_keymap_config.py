"""Remapped keys: a key terminals cannot send is warned about, and send always keeps a key."""

from __future__ import annotations

from tui_app import paths
from tui_app.ui.config import UIConfig
from tui_app.ui.keys import effective_keys


def load(text: str) -> UIConfig:
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text, encoding="utf-8")
    return UIConfig.load()


def test_a_key_most_terminals_cannot_send_is_warned_about_and_kept():
    config = load('[keys]\nsend = "ctrl+enter,ctrl+j"\ncopy-answer = "f12"\n')
    [problem] = config.problems
    assert "send = 'ctrl+enter': most terminals cannot send ctrl+enter" in problem
    assert config.keys == {"send": "ctrl+enter,ctrl+j", "copy-answer": "f12"}


def test_send_moved_to_unsendable_keys_only_keeps_its_default():
    config = load('[keys]\nsend = "ctrl+enter"\n')
    assert any("leaves no key a terminal can send: the default is kept" in p for p in config.problems)
    assert "send" not in config.keys and effective_keys(config.keys)["send"] == "ctrl+j"


def test_another_action_cannot_take_the_only_key_of_send():
    config = load('[keys]\ncopy-answer = "ctrl+j"\nsessions = "f12"\n')
    assert config.problems == [
        f"{paths.config_file()}: [keys] copy-answer = 'ctrl+j' takes the only key of send: ignored"
    ]
    assert config.keys == {"sessions": "f12"}


def test_send_may_move_when_another_action_takes_its_old_key():
    config = load('[keys]\nsend = "alt+enter"\ncopy-answer = "ctrl+j"\n')
    assert config.problems == []
    assert effective_keys(config.keys)["send"] == "alt+enter"
