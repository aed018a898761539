"""Scenarios: which :class:`~.steps.Step` each attempt gets, loaded from TOML/JSON data.

A scenario is data, not code, so people can write their own failure rehearsals without
touching Python, and the built-ins (``assets/scenarios/NAME.toml``) use the very same
schema. Schema (every key optional)::

    name = "overload-storm"          # defaults to the file name
    description = "one line shown in the TUI picker"
    answer_chars = 600               # length of the generated answer
    tokens_per_second = 0            # 0 = as fast as possible; > 0 = dribble every answer
    ttft = 0                         # seconds before the first token (without streaming:
                                     # before the response, which then also waits for
                                     # the whole answer at tokens_per_second)
    models = ["my-model"]            # extra model ids accepted besides the SDK's known ones
    thinking = "requested"           # when answers think first: "requested" (the request's
                                     # thinking is enabled or adaptive), "model" (that, or
                                     # no thinking sent to a model that thinks by default
                                     # per assets/model_capabilities.toml), "always" (unless
                                     # the request turns it off, as models that think by
                                     # default do), "never"
    thinking_chars = 400             # length of that thinking
    speeds = "scenario"              # "table": a model with no per_model speed streams at
                                     # its speed and TTFT in the advisor's table
                                     # (assets/model_speeds.toml), as people would see it
    [per_model."claude-haiku-4-5"]   # for requests naming this model (served, like
    tokens_per_second = 97           # `models`): its own speed, ttft, thinking and
    ttft = 1.3                       # thinking_chars, over the scenario-wide values
    then = "happy"                   # when steps run out: "happy" | "repeat" | "last"
    [[steps]]                        # attempt 1, 2, ... get steps[0], steps[1], ...
    fault = "status"
    status = 529
    [[random]]                       # after the steps: each attempt draws one of these,
    weight = 3                       # weighted, from random.Random(seed); implies
    fault = "none"                   # then = "random" (other `then` values are an error)

Attempt ``n`` (1-based, counted over every ``POST /v1/messages`` since start/reset) gets
``steps[n-1]``; after that ``then`` decides. :class:`StepSequence` keeps a one-step
look-ahead because the server must know that the *next* attempt is ``connection_refused``
before it finishes the current response (it then closes the connection and stops
listening). Random draws still happen in attempt order, so a seed gives one sequence.
"""

from __future__ import annotations

import json
import random
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .answers import DEFAULT_ANSWER_CHARS, DEFAULT_THINKING_CHARS
from .steps import HAPPY, FieldError, ScenarioError, Step, non_negative_number, parse_step, positive_number

BUILTIN_SCENARIOS: tuple[str, ...] = (
    "happy",
    "live",
    "529-then-ok",
    "overload-storm",
    "rate-limited",
    "flaky-network",
    "stalls",
    "mid-stream-error",
    "chaos",
)
"""Names of the scenarios shipped in ``assets/scenarios/``, in picker order."""

THEN_MODES = ("happy", "repeat", "last")
THINKING_MODES = ("requested", "model", "always", "never")
_TOP_KEYS = {
    "name",
    "description",
    "answer_chars",
    "tokens_per_second",
    "ttft",
    "models",
    "then",
    "steps",
    "random",
    "thinking",
    "thinking_chars",
    "per_model",
    "speeds",
}
SPEED_SOURCES = ("scenario", "table")
_TUNING_KEYS = ("tokens_per_second", "ttft", "thinking", "thinking_chars")


@dataclass(frozen=True, slots=True)
class Scenario:
    """A named, validated script of faults. Build with :func:`load_scenario` or directly."""

    name: str
    description: str = ""
    steps: tuple[Step, ...] = ()
    then: str = "happy"
    """``happy``, ``repeat``, ``last``, or ``random`` (set when ``random`` is non-empty)."""
    random: tuple[Step, ...] = ()
    answer_chars: int = DEFAULT_ANSWER_CHARS
    tokens_per_second: float = 0.0
    models: tuple[str, ...] = ()
    ttft: float = 0.0
    """Seconds of silence before an answer's first token (before the whole response, without streaming)."""
    source: str = field(default="<code>", compare=False)
    """Where it came from (file path, ``<built-in>`` ...), for error messages and logs."""
    thinking: str = "requested"
    """When answers think first (see the module doc): requested, always or never."""
    thinking_chars: int = DEFAULT_THINKING_CHARS
    per_model: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    """Per model id, the fields (of ``tokens_per_second``, ``ttft``, ``thinking``,
    ``thinking_chars``) that requests naming it get instead of the scenario-wide ones."""
    speeds: str = "scenario"
    """``table``: a model's speed and TTFT come from the advisor's table (unless ``per_model`` sets them)."""

    @property
    def served_models(self) -> tuple[str, ...]:
        """Model ids served besides the SDK's: ``models``, then those ``per_model`` tunes."""
        return tuple(dict.fromkeys([*self.models, *(model for model, _ in self.per_model)]))

    def for_model(self, model: str) -> Scenario:
        """This scenario as a request naming ``model`` plays it (its ``per_model`` fields applied)."""
        fields = dict(dict(self.per_model).get(model, ()))
        if self.speeds == "table" and not {"tokens_per_second", "ttft"} & fields.keys():
            from ..advisor import speed_for

            if (speed := speed_for(model)) is not None:
                fields |= {"tokens_per_second": speed.tokens_per_second, "ttft": speed.ttft}
        return replace(self, **fields) if fields else self

    def thinking_for(self, requested: str | None, model: str = "") -> int:
        """Characters of thinking for a request to ``model`` whose ``thinking.type`` is ``requested``
        (``model`` mode: also without one, when the capabilities table says the model thinks by default)."""
        if self.thinking == "never" or requested in ("disabled", "between_tools"):
            return 0
        asked = requested in ("enabled", "adaptive")
        if self.thinking == "model" and requested is None:
            from ..capabilities import from_table

            caps = from_table(model)
            asked = caps is not None and caps.thinks_by_default is True
        return self.thinking_chars if asked or self.thinking == "always" else 0

    def __post_init__(self) -> None:
        if self.random and self.then == "happy":  # the default: random choices imply "random"
            object.__setattr__(self, "then", "random")
        if self.random and self.then != "random":
            raise FieldError("then", f"{self.then!r} cannot be combined with [[random]]", "remove `then`")
        if not self.random and self.then not in THEN_MODES:
            raise FieldError("then", f"unknown value {self.then!r}", "use one of: " + ", ".join(THEN_MODES))
        if self.speeds not in SPEED_SOURCES:
            raise FieldError("speeds", f"unknown value {self.speeds!r}", "use one of: " + ", ".join(SPEED_SOURCES))
        if self.thinking not in THINKING_MODES:
            raise FieldError("thinking", f"unknown value {self.thinking!r}", "use one of: " + ", ".join(THINKING_MODES))

    def to_dict(self) -> dict[str, Any]:
        """The scenario as file data (round-trips through :func:`scenario_from_dict`)."""
        out: dict[str, Any] = {"name": self.name, "description": self.description}
        out["answer_chars"] = self.answer_chars
        out["tokens_per_second"] = self.tokens_per_second
        if self.ttft:
            out["ttft"] = self.ttft
        if self.models:
            out["models"] = list(self.models)
        if self.thinking != "requested":
            out["thinking"] = self.thinking
        if self.thinking_chars != DEFAULT_THINKING_CHARS:
            out["thinking_chars"] = self.thinking_chars
        if self.speeds != "scenario":
            out["speeds"] = self.speeds
        if self.per_model:
            out["per_model"] = {model: dict(fields) for model, fields in self.per_model}
        if self.then != "random":
            out["then"] = self.then
        out["steps"] = [s.to_dict() for s in self.steps]
        if self.random:
            out["random"] = [s.to_dict() | {"weight": s.weight} for s in self.random]
        return out


def scenario_from_dict(data: object, *, source: str = "<dict>", default_name: str = "custom") -> Scenario:
    """Validate scenario data; any problem raises :class:`ScenarioError` naming ``source``."""
    try:
        return _parse(data, default_name, source)
    except FieldError as exc:
        raise ScenarioError(f"{source}: {exc}") from None


def _parse(data: object, default_name: str, source: str) -> Scenario:
    if not isinstance(data, Mapping):
        raise FieldError("(top level)", "must be a table/object", "start the file with name = ...")
    for key in data:
        if key not in _TOP_KEYS:
            raise FieldError(key, "unknown key", "allowed: " + ", ".join(sorted(_TOP_KEYS)))
    name = _string(data, "name", default_name)
    description = _string(data, "description", "")
    steps = tuple(parse_step(s, f"steps[{i}]") for i, s in enumerate(_table_list(data, "steps")))
    choices = tuple(parse_step(s, f"random[{i}]", weighted=True) for i, s in enumerate(_table_list(data, "random")))
    then = data.get("then", "random" if choices else "happy")
    answer_chars = data.get("answer_chars", DEFAULT_ANSWER_CHARS)
    if not isinstance(answer_chars, int) or isinstance(answer_chars, bool) or answer_chars < 1:
        raise FieldError("answer_chars", f"must be a whole number >= 1, not {answer_chars!r}", "e.g. 600")
    tps = data.get("tokens_per_second", 0)
    if tps != 0 or isinstance(tps, bool):  # 0 means "as fast as possible"
        tps = positive_number(tps, "tokens_per_second", "0 or e.g. 30")
    ttft = non_negative_number(data.get("ttft", 0), "ttft")
    models = data.get("models", [])
    if not isinstance(models, list) or not all(isinstance(m, str) and m for m in models):
        raise FieldError("models", "must be a list of model ids", 'e.g. models = ["my-model"]')
    thinking = _string(data, "thinking", "requested")
    thinking_chars = data.get("thinking_chars", DEFAULT_THINKING_CHARS)
    if not isinstance(thinking_chars, int) or isinstance(thinking_chars, bool) or thinking_chars < 1:
        raise FieldError("thinking_chars", f"must be a whole number >= 1, not {thinking_chars!r}", "e.g. 400")
    per_model = _per_model(data.get("per_model", {}))
    speeds = _string(data, "speeds", "scenario")
    fields = (answer_chars, float(tps), tuple(models), ttft, source, thinking, thinking_chars, per_model, speeds)
    return Scenario(name, description, steps, then, choices, *fields)


def _per_model(data: object) -> tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]:
    """``[per_model."ID"]`` tables, each checked like the scenario-wide keys it overrides."""
    if not isinstance(data, Mapping):
        raise FieldError("per_model", "must be a table of model ids", '[per_model."my-model"] then its keys')
    out = []
    for model, table in data.items():
        where = f"per_model.{model}"
        if not isinstance(table, Mapping):
            raise FieldError(where, "must be a table", "tokens_per_second = 90, ttft = 1.2, ...")
        fields: list[tuple[str, Any]] = []
        for key, value in table.items():
            if key not in _TUNING_KEYS:
                raise FieldError(f"{where}.{key}", "unknown key", "allowed: " + ", ".join(_TUNING_KEYS))
            fields.append((key, _tuning(key, value, f"{where}.{key}")))
        out.append((str(model), tuple(fields)))
    return tuple(out)


def _tuning(key: str, value: object, where: str) -> Any:
    if key == "tokens_per_second":
        return 0.0 if value == 0 and not isinstance(value, bool) else positive_number(value, where, "0 or e.g. 30")
    if key == "ttft":
        return non_negative_number(value, where)
    if key == "thinking":
        if value not in THINKING_MODES:
            raise FieldError(where, f"unknown value {value!r}", "use one of: " + ", ".join(THINKING_MODES))
        return value
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise FieldError(where, f"must be a whole number >= 1, not {value!r}", "e.g. 400")
    return value


def _string(data: Mapping[str, Any], key: str, default: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise FieldError(key, f"must be a string, not {value!r}", f'quote it: {key} = "..."')
    return value


def _table_list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise FieldError(key, "must be a list of tables", f"write each entry as [[{key}]]")
    return value


def builtin_dir() -> Path:
    """Folder holding the built-in scenario files."""
    from ..paths import assets_dir

    return assets_dir() / "scenarios"


def load_scenario(spec: str | Path | Scenario | Mapping[str, Any]) -> Scenario:
    """Return a validated scenario from a built-in name, a ``.toml``/``.json`` path, a dict
    or a :class:`Scenario` (returned as is).

    >>> load_scenario("529-then-ok").steps[0].status
    529
    """
    if isinstance(spec, Scenario):
        return spec
    if isinstance(spec, Mapping):
        return scenario_from_dict(spec)
    if isinstance(spec, str) and spec in BUILTIN_SCENARIOS:
        return _load_file(builtin_dir() / f"{spec}.toml", source=f"built-in scenario {spec!r}")
    path = Path(spec)
    if path.suffix.lower() in (".toml", ".json") or path.exists():
        return _load_file(path, source=str(path))
    raise ScenarioError(
        f"unknown scenario {str(spec)!r} (use one of: {', '.join(BUILTIN_SCENARIOS)}, "
        "or the path of a .toml or .json file)"
    )


def _load_file(path: Path, *, source: str) -> Scenario:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{source}: no such file (check the path)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{source}: cannot read: {exc}") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{source}: invalid TOML: {exc} (fix the syntax there)") from None
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            f"{source}: invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno} (fix the syntax there)"
        ) from None
    return scenario_from_dict(data, source=source, default_name=path.stem)


class StepSequence:
    """Hands out the step for each attempt, with a one-step look-ahead (see module doc)."""

    def __init__(self, scenario: Scenario, seed: int) -> None:
        self.scenario = scenario
        self._rng = random.Random(seed)
        self._index = 0
        self._next: Step | None = None

    def peek(self) -> Step:
        """The step the next attempt will get (drawing it now if random)."""
        if self._next is None:
            self._next = self._draw()
        return self._next

    def take(self) -> Step:
        """Consume and return the next attempt's step."""
        step = self.peek()
        self._next = None
        return step

    def _draw(self) -> Step:
        sc, i = self.scenario, self._index
        self._index += 1
        if i < len(sc.steps):
            return sc.steps[i]
        if sc.then == "random":
            return self._rng.choices(sc.random, weights=[s.weight for s in sc.random])[0]
        if not sc.steps or sc.then == "happy":
            return HAPPY
        if sc.then == "repeat":
            return sc.steps[i % len(sc.steps)]
        return sc.steps[-1]  # "last"
