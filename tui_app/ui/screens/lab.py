"""The Lab screen: compare retry policies on the same faults, as ``claude-tui lab`` does.

The run is the lab's own (:func:`tui_app.lab.run_lab`, in virtual time: no network, no
sleeping), in a worker thread so that a large N never freezes the screen; its ``progress``
callback reaches the bar through ``app.call_from_thread``, at most once per percent (each
call waits for the event loop, and the engine reports every request). The table is the
CLI's own text (:func:`tui_app.lab.report.table`), so the two cannot disagree; the charts
read the same run's tallies. Leaving the screen stops a run still going (its next progress
report raises in the worker).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Label, ProgressBar, Select, SelectionList, Static
from textual.widgets.selection_list import Selection
from textual.worker import get_current_worker

from ...safe_text import one_line
from ..widgets.status.footer import KeyFooter
from .dialogs import AskText, PickOne

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from ...lab import LabPolicy, LabResult

DEFAULT_FAULTS = "crowded"
DEFAULT_POLICIES = ("none", "no-jitter", "full-jitter")
DEFAULT_REQUESTS = 200
MAX_REQUESTS = 1_000_000


@dataclass(frozen=True, slots=True)
class LabRequest:
    """What the form asks for: the faults, the policies (by spec), N and the seed."""

    faults: str
    policies: tuple[str, ...]
    requests: int
    seed: int


class _Stopped(Exception):
    """The screen went away while its run was going: the worker ends the run."""


class LabScreen(Screen[None]):
    """Pick faults, policies, N and seed; run; see the table and the charts."""

    BINDINGS = [
        Binding("escape", "close", "Back", id="lab-close", tooltip="Back to the prompt (stops a run in progress)."),
        Binding("ctrl+j", "run", "Run", id="lab-run", tooltip="Run the comparison with the form's values."),
        Binding(
            "ctrl+s",
            "save_policy",
            "Save policy",
            id="lab-save-policy",
            tooltip="Save one of the compared policies as a named profile.",
        ),
        Binding("f1", "app.help", "Help", show=False, id="lab-help", tooltip="Keys and panels."),
    ]
    PANELS = (
        ("faults", "A fault scenario (each request its own script) or a server model (shared by all requests)."),
        ("policies", "Built-in policies and saved profiles; check 1 to 6 (space toggles)."),
        ("table", "The figures of `claude-tui lab`, best of each column marked *; scroll it sideways."),
        ("latency", "Per policy: the share of all N requests answered within x seconds."),
        ("load", "Per policy: the most calls the server held at once, over virtual time."),
    )
    """What each panel shows, for the help overlay (f1)."""

    def __init__(self) -> None:
        super().__init__(id="lab")
        self.result: LabResult | None = None
        """The last comparison shown (None before the first run)."""
        self._compared: list[LabPolicy] = []

    def compose(self) -> ComposeResult:
        from ...lab.policies import BUILTIN_POLICIES
        from ...lab.servers import BUILTIN_SERVERS
        from ...simulator.scenarios import BUILTIN_SCENARIOS
        from ...store.profiles import list_profiles
        from ..widgets.lab_charts import LatencyChart, LoadChart

        faults = [(f"{name} (server)", name) for name in BUILTIN_SERVERS]
        faults += [(f"{name} (scenario)", name) for name in BUILTIN_SCENARIOS]
        policies = [Selection(name, name, name in DEFAULT_POLICIES) for name in BUILTIN_POLICIES]
        policies += [Selection(f"{one_line(n)} (profile)", n) for n in list_profiles() if n not in BUILTIN_POLICIES]
        with VerticalScroll(id="lab-body"):
            with Horizontal(id="lab-form"):
                with Vertical(id="lab-fields"):
                    yield Select(faults, value=DEFAULT_FAULTS, allow_blank=False, id="lab-faults")
                    with Horizontal(classes="lab-numbers"):
                        yield Label("N", classes="lab-label")
                        yield Input(str(DEFAULT_REQUESTS), id="lab-requests")
                        yield Label("seed", classes="lab-label")
                        yield Input("0", id="lab-seed")
                    with Horizontal(classes="lab-numbers"):
                        yield Button("Run", id="lab-run-button", variant="primary")
                        yield ProgressBar(total=100, show_eta=False, id="lab-progress")
                    yield Label("", id="lab-status", markup=False)
                policy_list: SelectionList[str] = SelectionList(*policies, id="lab-policies")
                policy_list.border_title = "policies"
                yield policy_list
            with ScrollableContainer(id="lab-table-box"):
                yield Static("ctrl+j runs the comparison.", id="lab-table", markup=False)
            with Horizontal(id="lab-charts"):
                yield LatencyChart(id="lab-latency")
                yield LoadChart(id="lab-load")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#lab-table-box").border_title = "table"
        self.query_one("#lab-latency").border_title = "latency"
        self.query_one("#lab-load").border_title = "server load"
        self.query_one("#lab-faults").focus()

    # -- the form ------------------------------------------------------------------------
    def _request(self) -> LabRequest | str:
        """The form's values, or what is wrong with them (one line naming the field)."""
        from ...lab.policies import MAX_POLICIES

        requests = _whole(self.query_one("#lab-requests", Input).value, 1, MAX_REQUESTS)
        if requests is None:
            return f"N: a whole number from 1 to {MAX_REQUESTS}"
        seed = _whole(self.query_one("#lab-seed", Input).value, -(2**63), 2**63 - 1)
        if seed is None:
            return "seed: a whole number, e.g. 0"
        policies = tuple(self.query_one("#lab-policies", SelectionList).selected)
        if not 1 <= len(policies) <= MAX_POLICIES:
            return f"policies: check 1 to {MAX_POLICIES} (space toggles), not {len(policies)}"
        faults = self.query_one("#lab-faults", Select).value
        return LabRequest(str(faults), policies, requests, seed)

    @on(Button.Pressed, "#lab-run-button")
    @on(Input.Submitted)
    def _run_pressed(self) -> None:
        self.action_run()

    def action_run(self) -> None:
        request = self._request()
        if isinstance(request, str):
            self._say(request, error=True)
            return
        bar = self.query_one("#lab-progress", ProgressBar)
        bar.update(total=len(request.policies) * request.requests, progress=0)
        self._say(f"running {len(request.policies)} × {request.requests} requests…")
        self.run_lab(request)

    def _say(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#lab-status", Label)
        status.update(one_line(text))
        status.set_class(error, "-error")

    # -- the run -------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="lab", exit_on_error=False)
    def run_lab(self, request: LabRequest) -> None:
        """Load the faults and policies (files: off the event loop too) and run the lab."""
        from ...lab import load_faults, load_policies, run_lab
        from ...simulator.steps import ScenarioError

        try:
            faults = load_faults(request.faults)
            policies = load_policies(list(request.policies))
        except (ScenarioError, ValueError) as exc:
            self.app.call_from_thread(self._say, str(exc), error=True)
            return
        relay = _ProgressRelay(self, len(policies) * request.requests)
        try:
            result = run_lab(faults, policies, requests=request.requests, seed=request.seed, progress=relay)
        except _Stopped:
            return
        if not relay.worker.is_cancelled:  # cancelled after its last report: the screen is gone
            self.app.call_from_thread(self._show, result, policies)

    def show_progress(self, done: int) -> None:
        self.query_one("#lab-progress", ProgressBar).update(progress=done)

    def _show(self, result: LabResult, policies: list[LabPolicy]) -> None:
        from ...lab.report import BEST, table
        from ..widgets.lab_charts import LatencyChart, LoadChart

        self.result, self._compared = result, policies
        text = Text(table(result), no_wrap=True)
        text.highlight_regex(rf"\S+{re.escape(BEST)}", "bold green")
        self.query_one("#lab-table", Static).update(text)
        self.query_one(LatencyChart).show(result)
        self.query_one(LoadChart).show(result)
        self._say(f"done: {len(policies)} × {result.requests} requests, {result.virtual_seconds:.1f} s of virtual time")

    # -- leaving, saving -----------------------------------------------------------------
    def action_close(self) -> None:
        self.workers.cancel_group(self, "lab")
        self.dismiss(None)

    def action_save_policy(self) -> None:
        """Pick one of the compared policies, then name the profile to save it as."""
        if not self._compared:
            self.notify("Run a comparison first: its policies can then be saved.", severity="warning")
            return
        by_name = {p.name: p for p in self._compared}

        def picked(name: str | None) -> None:
            if name is not None:
                self._ask_profile_name(by_name[name])

        self.app.push_screen(PickOne("Save which policy as a profile?", list(by_name)), picked)

    def _ask_profile_name(self, policy: LabPolicy) -> None:
        def save(name: str) -> str | None:
            from ...store.profiles import ProfileError, save_profile

            try:
                path = save_profile(name, policy.settings)
            except ProfileError as exc:
                return exc.message
            self.notify(f"Saved policy {policy.name!r} as profile {name!r} ({path})")
            self._list_profile(name)
            return None

        self.app.push_screen(AskText(f"Save policy {policy.name} as profile", value=f"lab-{policy.name}", check=save))

    def _list_profile(self, name: str) -> None:
        policies = self.query_one("#lab-policies", SelectionList)
        if all(policies.get_option_at_index(i).value != name for i in range(policies.option_count)):
            policies.add_option(Selection(f"{one_line(name)} (profile)", name))


class _ProgressRelay:
    """The engine's ``progress(policy_index, done, requests)`` to the bar, once a percent."""

    def __init__(self, screen: LabScreen, total: int) -> None:
        self.screen, self.total = screen, total
        self.step = max(1, total // 100)
        self.shown = 0
        self.worker = get_current_worker()

    def __call__(self, index: int, done: int, requests: int) -> None:
        if self.worker.is_cancelled:
            raise _Stopped
        overall = index * requests + done
        if overall - self.shown < self.step and overall != self.total:
            return
        self.shown = overall
        self.screen.app.call_from_thread(self.screen.show_progress, overall)


def _whole(text: str, low: int, high: int) -> int | None:
    try:
        value = int(text.strip())
    except ValueError:
        return None
    return value if low <= value <= high else None
