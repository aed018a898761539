"""Follow-up turns in the TUI: alt+j sends the prompt with the conversation so far; a plain
send starts a new one; a replay plays every turn; a re-run of a later turn sends the same
history."""

from __future__ import annotations

from textual.widgets import TextArea

from tui_app.simulator import answer_for
from tui_app.store.sessions import SessionStore

from .conftest import fast_scenario

MIDDLE_529 = fast_scenario({"fault": "none"}, {"fault": "status", "status": 529, "retry_after": 0.01})


def _bodies(sim) -> list[list[dict]]:
    return [r.body["messages"] for r in sim.requests if r.path.startswith("/v1/messages")]


async def _say(pilot, screen, wait_until, prompt: str, key: str) -> None:
    sim = screen.backend.simulator
    sent = len(_bodies(sim))
    screen.query_one("#prompt", TextArea).text = prompt
    await pilot.press(key)
    await wait_until(
        pilot,
        lambda: len(_bodies(sim)) > sent and not screen.is_busy and screen.run_state.state == "done",
        what=f"the answer to {prompt}",
    )


async def test_three_turns_with_a_529_in_the_middle_then_a_replay_of_all_three(
    make_app, started, wait_until, screen_text
):
    app, sim = make_app(MIDDLE_529)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        assert screen.check_action("follow_up", ()) is False  # nothing to follow up yet
        await _say(pilot, screen, wait_until, "Q1", "ctrl+j")
        await _say(pilot, screen, wait_until, "Q2", "alt+j")  # a 529, then its answer
        await _say(pilot, screen, wait_until, "Q3", "alt+j")
        a1, a2 = answer_for("Q1", chars=300), answer_for("Q2", chars=300)  # fast_scenario's length
        bodies = _bodies(sim)
        assert len(bodies) == 4  # Q1, Q2 twice (the 529 and its retry), Q3
        assert (
            bodies[1]
            == bodies[2]
            == [
                {"role": "user", "content": "Q1"},
                {"role": "assistant", "content": a1},
                {"role": "user", "content": "Q2"},
            ]
        )  # the same history on every attempt
        assert bodies[3] == [*bodies[1], {"role": "assistant", "content": a2}, {"role": "user", "content": "Q3"}]
        assert "follow-up · turn 3" in screen_text(app)
        with SessionStore.open() as store:
            newest = store.list_sessions(limit=3)
        assert [s.prompt for s in newest] == ["Q3", "Q2", "Q1"]
        assert [s.follows for s in newest] == [newest[1].id, newest[2].id, None]
        assert newest[1].attempts == 2

        await screen.query_one("#output").remove_children()
        screen.history.replay(newest[0].id, None)  # the last turn: the whole conversation plays
        await wait_until(
            pilot, lambda: len(screen.query(".turn-prompt")) == 3 and not screen.is_busy, what="the replay"
        )
        prompts = [str(w.render()) for w in screen.query(".turn-prompt")]
        assert prompts == ["Q1", "Q2", "Q3"]
        assert "turn 3 of 3" in screen_text(app)
        assert screen.conversation.follows == newest[0].id and screen.conversation.turns == 3

        # A plain send starts afresh: one message only.
        await _say(pilot, screen, wait_until, "New topic", "ctrl+j")
        assert _bodies(sim)[-1] == [{"role": "user", "content": "New topic"}]


async def test_a_rerun_of_a_later_turn_sends_the_same_history(make_app, started, wait_until):
    app, sim = make_app("happy")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        await _say(pilot, screen, wait_until, "Q1", "ctrl+j")
        await _say(pilot, screen, wait_until, "Q2", "alt+j")
        second = app.backend.store.get_preview(app.backend.store.list_sessions(limit=1)[0].id)
        screen.rerun(second)
        await wait_until(pilot, lambda: not screen.is_busy and len(_bodies(sim)) == 3, what="the re-run")
        assert _bodies(sim)[2] == _bodies(sim)[1]
        rerun = app.backend.store.list_sessions(limit=1)[0]
        assert (rerun.parent_id, rerun.follows) == (second.id, second.follows)
