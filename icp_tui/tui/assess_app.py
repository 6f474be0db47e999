"""The self-assessment alone (``icp assess``): the questionnaire and its result, no other workbench."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from icp_tui.engine.maturity.assessment import Response
from icp_tui.engine.maturity.questionnaire import Questionnaire
from icp_tui.tui.screens.maturity.question import QuestionScreen
from icp_tui.tui.screens.shell.help import HelpScreen


class AssessApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "icp assess"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, tooltip="quit (the answers are saved)"),
        Binding("f1", "help", "Help", priority=True, tooltip="the help of this screen (? too)"),
        Binding("question_mark", "help", "Help", show=False),
    ]

    def __init__(self, questionnaire: Questionnaire, response: Response) -> None:
        super().__init__()
        self.questionnaire = questionnaire
        self.response = response
        self.unsaved: dict[str, str] = {}

    def on_mount(self) -> None:
        self.push_screen(QuestionScreen(self.questionnaire, self.response))

    def mark_unsaved(self, key: str, description: str) -> None:
        self.unsaved[key] = description

    def mark_saved(self, key: str) -> None:
        self.unsaved.pop(key, None)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()  # F1 again closes it
        else:
            self.push_screen(HelpScreen(self.screen))


def create_assess_app(questionnaire: Questionnaire, response: Response) -> AssessApp:
    return AssessApp(questionnaire, response)
