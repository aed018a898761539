"""The sessions list gives the prompt the room: model and backend columns give way (cut with
an ellipsis) before the prompt, the column people read, is squeezed out."""

from __future__ import annotations

from tui_app.ui.widgets.session_list import PROMPT_SHARE, _fit, fit_widths

COLUMNS = ("id", "when", "status", "tries", "model", "backend", "prompt")
WIDE = (3, 11, 6, 5, 26, 24, 60)  # a long model id and a long backend, a 60-character prompt


def test_everything_fits_as_measured_when_there_is_room():
    assert fit_widths(COLUMNS, WIDE, 200) == WIDE


def test_model_and_backend_give_way_to_the_prompt_then_the_backend_goes():
    fitted = fit_widths(COLUMNS, WIDE, 100)
    assert fitted[:4] == WIDE[:4]  # id, when, status and tries keep their width
    assert fitted[4] < WIDE[4] and fitted[5] < WIDE[5] and fitted[-1] >= int(100 * PROMPT_SHARE)
    assert sum(w + 2 for w in fitted if w) <= 100
    narrow = fit_widths(COLUMNS, WIDE, 70)
    assert narrow[5] == 0 and narrow[-1] >= 20  # the backend column is hidden, the prompt gets the rest
    assert sum(w + 2 for w in narrow if w) <= 70


def test_a_cut_cell_ends_with_an_ellipsis_and_keeps_its_width():
    assert _fit("claude-sonnet-5-5-20260101", 10) == "claude-so…"
    assert _fit("ok", 4) == "ok  "


async def test_at_120_columns_the_list_shows_the_prompt(make_app, started, send_and_wait, wait_until, screen_text):
    app, _sim = make_app("happy")
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await send_and_wait(pilot, "How should a client retry an overloaded API?")
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: app.screen.id == "sessions" and app.screen.current is not None, what="list")
        await pilot.pause()
        text = screen_text(app)
        row = next(line for line in text.splitlines() if line.startswith("│ 1 "))
        assert "How should a client retry" in row, text  # the prompt has the room
        assert "sonnet-5-5" in row  # the model, without its family-wide "claude-"


async def test_every_action_of_the_sessions_screen_is_in_its_footer_at_80_columns(
    make_app, started, wait_until, screen_text
):
    from tui_app.ui.screens.sessions import SessionsScreen

    app, _sim = make_app("happy")
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: app.screen.id == "sessions", what="the sessions screen")
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        shown = [b for b in SessionsScreen.BINDINGS if getattr(b, "show", True)]
        assert len(shown) >= 9
        for binding in shown:
            assert f" {binding.description}" in f" {footer}", (binding.description, footer)  # type: ignore[union-attr]
        assert "⏎ Replay" in footer  # what enter does
