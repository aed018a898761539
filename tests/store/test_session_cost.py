"""Each recorded session's cost: its answer's tokens at the price table's price for its model."""

from __future__ import annotations

import json

from tests.samples import success
from tui_app.prices import load_prices
from tui_app.retry.events import AttemptStart, RunStart
from tui_app.store.export import export_session
from tui_app.store.sessions import SessionStore

PRICED = "claude-sonnet-5-5"  # priced as its family: no model id need be in the table


def _session(store: SessionStore, model: str, answered: bool) -> int:
    with store.start_session(prompt="p", model=model) as recorder:
        recorder.record(RunStart(t=0.0, model=model))
        recorder.record(AttemptStart(t=0.0, attempt=1, model=model))
        if answered:
            recorder.record(success(0.2, 1, "answer", request_id="r", output_tokens=2000, ttft=0.1, tokens_per_s=1))
    return recorder.session_id


def test_an_answered_session_costs_its_tokens_at_its_models_price(tmp_path):
    price = load_prices().price(PRICED)
    assert price is not None
    with SessionStore.open(tmp_path / "s.db") as store:
        session = store.get_session(_session(store, PRICED, answered=True))
        data = json.loads(export_session(session, "json"))
        assert data["cost_usd"] == round(price.cost(12, 2000), 6) > 0  # success() reports 12 input tokens
        md = export_session(session, "md")
        assert f"| Cost | ${price.cost(12, 2000):.4f} (the answer's tokens at ${price.input:g}/" in md


def test_no_answer_or_no_price_is_no_cost(tmp_path):
    with SessionStore.open(tmp_path / "s.db") as store:
        unanswered = store.get_session(_session(store, PRICED, answered=False))
        unpriced = store.get_session(_session(store, "my-local-model", answered=True))
        assert json.loads(export_session(unanswered, "json"))["cost_usd"] is None
        assert json.loads(export_session(unpriced, "json"))["cost_usd"] is None
        assert "| Cost |" not in export_session(unpriced, "md")


def test_sessions_list_json_carries_the_cost(cli, tmp_path):
    with SessionStore.open() as store:
        _session(store, PRICED, answered=True)
    code, out, _err = cli("sessions", "list", "--json")
    assert code == 0 and json.loads(out)[0]["cost_usd"] > 0
