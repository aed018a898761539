"""What the installed SDK knows about a model before it is used: is it deprecated, until when.

The SDK warns about deprecated models with a ``DeprecationWarning``, which Python hides by
default (and which a terminal UI could not show anyway): the person about to depend on a
model that stops answering on a known date never hears of it. The same table is read here
so ``claude-tui run`` and the TUI can say it in their own words.
"""

from __future__ import annotations


def end_of_life(model: str) -> str | None:
    """The end-of-life date the SDK gives for ``model`` (e.g. "January 22nd, 2027"), or None."""
    try:
        from anthropic._data import DEPRECATED_MODELS  # the SDK's own table; private, so guarded
    except ImportError:
        return None
    date = DEPRECATED_MODELS.get(model)
    return date if isinstance(date, str) else None


def deprecation_note(model: str) -> str | None:
    """One line for people, or None when the model is not deprecated."""
    date = end_of_life(model)
    if date is None:
        return None
    return f"model {model} is deprecated (end of life: {date}): pick a newer one"
