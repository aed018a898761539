"""What tokens cost: the shipped price table (``assets/prices.toml``) or the user's copy.

Each figure carries its source and date in the file. A model missing from ``[models]``
takes its family's last known price (``[families]``), which the report names as an
assumption; a model of no known family has no price (its cost is reported as unknown).

Used by the lab (a policy's cost) and by the session history (a session's cost): a module
of its own, not the lab's, so ``sessions list --json`` and ``sessions show`` do not import
the lab and the simulator (about 90 ms) to price an answer.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from .models import model_family

if TYPE_CHECKING:
    from pathlib import Path

_DATED = re.compile(r"-\d{8}$")


class PriceTableError(ValueError):
    """The price table is broken; the message is one line naming the file and the field."""


@dataclass(frozen=True, slots=True)
class Price:
    """USD per million tokens, and where the figure comes from."""

    input: float
    output: float
    source: str
    date: str
    assumed: bool = False
    """True when the price is the model's family's, not the model's own."""

    def cost(self, input_tokens: int, output_tokens: int) -> float:
        return (input_tokens * self.input + output_tokens * self.output) / 1_000_000


class PriceTable:
    def __init__(self, models: dict[str, Price], families: dict[str, Price], source: str) -> None:
        self.models, self.families, self.source = models, families, source

    def price(self, model: str) -> Price | None:
        """The model's price, its family's (``assumed``), or None."""
        base = _DATED.sub("", model)
        for name in (model, base):
            if name in self.models:
                return self.models[name]
        family = self.families.get(model_family(base) or "")
        if family is None:
            return None
        return Price(family.input, family.output, family.source, family.date, assumed=True)


def price_file() -> Path:
    """The user's copy in the config dir if there is one, else the shipped table."""
    from .paths import assets_dir, config_dir

    own = config_dir() / "prices.toml"
    return own if own.is_file() else assets_dir() / "prices.toml"


@cache
def load_prices(path: Path | None = None) -> PriceTable:
    """Parse and check a price table; ``PriceTableError`` (one line naming the field) if broken."""
    path = path or price_file()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PriceTableError(f"{path}: cannot read the price table: {exc}") from None
    tables = {name: data.get(name, {}) for name in ("models", "families")}
    for key in data:
        if key not in tables:
            raise PriceTableError(f'{path}: {key}: unknown table (use [models."ID"] or [families.NAME])')
    return PriceTable(
        {k: _price(v, f"models.{k}", path) for k, v in tables["models"].items()},
        {k: _price(v, f"families.{k}", path) for k, v in tables["families"].items()},
        str(path),
    )


def _price(entry: Any, where: str, path: Path) -> Price:
    if not isinstance(entry, dict) or set(entry) != {"input", "output", "source", "date"}:
        raise PriceTableError(f"{path}: {where}: needs exactly input, output, source and date (add the missing ones)")
    for key in ("input", "output"):
        value = entry[key]
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value < 1e6:
            raise PriceTableError(f"{path}: {where}.{key}: must be USD per million tokens, not {value!r}")
    for key in ("source", "date"):
        if not isinstance(entry[key], str) or not entry[key].strip():
            raise PriceTableError(f"{path}: {where}.{key}: must say where the figure comes from / when")
    return Price(float(entry["input"]), float(entry["output"]), entry["source"], entry["date"])


def answer_cost(model: str, input_tokens: int | None, output_tokens: int | None) -> tuple[float, Price] | None:
    """What a recorded answer's tokens cost at ``model``'s price, with the price used; None
    without tokens (no answer) or without a price. Only the answer's usage is recorded, so
    a session's attempts that failed after their response started (billed too) are not in it."""
    if input_tokens is None and output_tokens is None:
        return None
    try:
        price = load_prices().price(model)
    except PriceTableError:  # a broken price table of the user's: no cost, never a failure
        return None
    if price is None:
        return None
    return price.cost(input_tokens or 0, output_tokens or 0), price
