"""F1 (and ?) shows the help of the screen it is pressed on: what the screen is for and every key it has.

Each screen is reached by keyboard, as a user would, and its help is checked against the bindings the
screen (and the app's own widgets on it) declare: every key is named, with what it does.
"""

from __future__ import annotations

import shutil

from pilot import settle
from textual.screen import Screen
from textual.widgets import Input

from icp_tui.engine.maturity.assessment import load_response
from icp_tui.engine.maturity.questionnaire import default_questionnaire
from icp_tui.tui.app import create_app
from icp_tui.tui.assess_app import create_assess_app
from icp_tui.tui.screens.shell.help import HelpScreen, binding_rows, help_markdown, key_text, own_bindings, screen_bindings

SIZES = [(80, 24), (120, 40)]


async def help_of(pilot, key: str = "f1") -> str:
    """Open the help on the current screen, check it lists the screen's keys, close it; its text."""
    screen = pilot.app.screen
    await pilot.press(key)
    await pilot.pause()
    shown = pilot.app.screen
    assert isinstance(shown, HelpScreen), f"{key} on {type(screen).__name__} opened {type(shown).__name__}"
    assert shown.of is screen
    text = shown.text
    title = text.splitlines()[0]
    assert title.startswith("# ") and title != f"# {type(screen).__name__}", f"{type(screen).__name__} has no HELP"
    bindings = screen_bindings(screen)
    assert bindings, type(screen).__name__
    page = text.replace("\\", "")
    keys_shown = {k for line in page.splitlines() if line.startswith("- **") for k in line[4:line.index("**", 4)].split(" / ")}
    for b in bindings:
        what = b.tooltip or b.description
        assert what and what in page, f"{type(screen).__name__}: {b.key} ({b.action}) not described"
        for k in b.key.split(","):
            assert key_text(k) in keys_shown, f"{type(screen).__name__}: key {k} not in its help"
    await pilot.press("escape")
    await pilot.pause()
    assert pilot.app.screen is screen
    return text


async def test_every_screen_of_the_app_has_its_own_help(workshop):
    seen: dict[str, str] = {}

    async def check(expected: str, key: str = "f1") -> None:
        name = type(pilot.app.screen).__name__
        assert name == expected
        seen[name] = await help_of(pilot, key)

    app = create_app(workshop, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await check("HomeScreen")
        await check("HomeScreen", "question_mark")  # ? as well
        await pilot.press("1")
        await settle(pilot)
        await check("CompareScreen")
        await pilot.press("enter")
        await pilot.pause()
        await check("DimensionAnswers")
        await pilot.press("escape", "escape")
        await pilot.press("2")
        await settle(pilot)
        await check("AlignmentScreen")
        await pilot.press("v")
        await pilot.pause()
        await check("PasteScreen")
        await pilot.press("escape")
        await pilot.press("a")
        await pilot.pause()
        await check("PromptScreen")
        await pilot.press("escape", "escape")
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await check("ScorecardScreen")
        await pilot.press("enter")
        await pilot.pause()
        await check("FormScreen")
        await pilot.press("escape")
        await pilot.press("f7")
        await pilot.pause()
        await check("TextScreen")
        await pilot.press("escape")
        await pilot.press("f3")
        await pilot.pause()
        await check("ValidationScreen")  # its keys are there before the worker is done
        await pilot.press("escape")
        await pilot.press("f4")
        await pilot.pause()
        await check("AnalysisScreen")
        await pilot.press("escape", "escape")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await check("MappingScreen")
        await pilot.press("enter")
        await pilot.pause()
        await check("FieldPicker")
        await pilot.press("escape", "right_square_bracket")  # the deal file
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
        await check("StagesScreen")
        await pilot.press("escape", "escape")
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        await check("NewWorkshopScreen")
        await pilot.press("escape")
        app.mark_unsaved("x", "an edit")
        await pilot.press("ctrl+q")
        await pilot.pause()
        await check("ConfirmQuitScreen")
        await pilot.press("n")
    # each screen's page is its own
    assert len({text.splitlines()[0] for text in seen.values()}) == len(seen) == 16
    assert "**F3**  the checklist against won and lost deals, and suggested weights" in seen["ScorecardScreen"]
    assert "**y**  Lists: yes, the suggested match (?) is that account" in seen["AlignmentScreen"]
    # keys from the screen's bases (the TAL tab's, the hold-out's) are on its page too
    assert "**g**  TAL: order by priority grade (A1 first, then fit) or by votes" in seen["AlignmentScreen"]
    assert "**h**  TAL: hold out a share of the list" in seen["AlignmentScreen"]
    assert "**Ctrl+S**  save the choices to workshop.toml" in seen["MappingScreen"]
    assert "**1**" not in seen["AlignmentScreen"]  # the home screen's keys are not on the alignment screen's page


async def test_the_self_assessment_help_names_its_own_keys(tmp_path):
    q = default_questionnaire()
    shutil.copy("sample_data/assessments/customer_success.toml", tmp_path / "cs.toml")
    app = create_assess_app(q, load_response(tmp_path / "cs.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "QuestionScreen"
        text = await help_of(pilot)
        for line in ("- **1**  answer: level 1, Simple", "- **0**  answer: don't know", "- **← / b**  the previous question",
                     "- **n**  a note on this question", "- **Ctrl+Q**  quit (the answers are saved)"):
            assert line in text.splitlines()
        await pilot.press("d")
        await pilot.pause()
        assert type(app.screen).__name__ == "DimensionPicker"
        await help_of(pilot)
        await pilot.press("escape", "r")
        await pilot.pause()
        assert type(app.screen).__name__ == "ResultsScreen"
        await help_of(pilot)


async def test_question_mark_is_typed_in_a_text_field(workshop):
    app = create_app(workshop, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Why?")
        await pilot.pause()
        assert type(app.screen).__name__ == "PromptScreen"
        assert app.screen.query_one(Input).value == "Why?"


def test_key_names():
    assert [key_text(k) for k in ("ctrl+s", "shift+up", "equals_sign", "f3", "a", "escape", "right_square_bracket", "plus",
                                  "ctrl+z", "delete", "question_mark")] == [
        "Ctrl+S", "Shift+↑", "=", "F3", "a", "Esc", "]", "+", "Ctrl+Z", "Delete", "?"]


async def test_help_page_layout_of_a_screen_class():
    from textual.app import App
    from textual.binding import Binding

    class Tiny(Screen):
        HELP = """
        # Tiny

        A screen for the test.
        """
        HELP_KEYS = [("Enter", "choose")]
        BINDINGS = [Binding("x,delete", "drop", "Drop", tooltip="drop the row"), Binding("z", "zap", "Zap")]

    class TinyApp(App):
        def on_mount(self) -> None:
            self.push_screen(Tiny())

    assert binding_rows(Tiny.BINDINGS) == [("x / Delete", "drop the row"), ("z", "Zap")]
    app = TinyApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert own_bindings(app.screen) == []  # only the app's own (icp_tui) classes count: this one is a test's
        assert help_markdown(app.screen).startswith(
            "# Tiny\n\nA screen for the test.\n\n## Keys on this screen\n- **Enter**  choose\n\n"
            "## Everywhere\n- **Ctrl+P**  the command palette: every action by name, and the themes\n\n## Moving around\n")


async def test_the_agenda_screens_have_their_own_help(workshop):
    app = create_app(workshop, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("greater_than_sign")
        await settle(pilot)
        assert type(app.screen).__name__ == "ParticipantsScreen"
        text = await help_of(pilot)
        assert "- **>**  the agenda's next step (the first press starts the agenda)" in text.replace("\\", "")
        for _ in range(6):
            await pilot.press("greater_than_sign")
            await settle(pilot)
        assert type(app.screen).__name__ == "DecisionsScreen"
        await help_of(pilot)
        await pilot.press("greater_than_sign")
        await settle(pilot)
        assert type(app.screen).__name__ == "ReportScreen"
        await help_of(pilot)


async def test_the_file_picker_and_match_picker_have_their_own_help(workshop):
    app = create_app(workshop, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "FilePicker"
        await help_of(pilot)
        await pilot.press("escape", "escape")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        s = app.screen.session
        row = next(i for i, m in enumerate(s.alignment.matches["Sales"]) if m.entry == "tandem co.")
        app.screen.query_one("#pane-list-0").highlighted = row
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "MatchPicker"
        await help_of(pilot)
