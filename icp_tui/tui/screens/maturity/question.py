"""One question at a time: answer with 1-4 (0 = don't know), every answer saved at once."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from icp_tui.engine.maturity.assessment import Response, save_response
from icp_tui.engine.maturity.questionnaire import DONT_KNOW, Questionnaire


def _answer_row(level: int, text: str, chosen: bool) -> Table:
    """Key, mark and answer text; a long answer wraps under its own text, not under the key."""
    row = Table.grid(padding=(0, 1))
    row.add_column(no_wrap=True)
    row.add_column(no_wrap=True, width=1)
    row.add_column(ratio=1)
    row.add_row(Text(f" {level} ", style="reverse bold" if level else "reverse"), "●" if chosen else " ", text)
    return row


class QuestionScreen(Screen):
    """Answers are saved atomically after every key press, so a killed app resumes here."""

    HELP = """
    # Self-assessment

    One question at a time. Pick the answer that describes your organisation today, not the plan:
    1 to 4 for the four levels, 0 when you do not know. Every answer is saved at once, so you can stop
    and come back. Add a note to a question with n; jump to a dimension with d; r shows your result.
    """

    BINDINGS = [
        Binding("1", "answer(1)", "Level 1", show=False, tooltip="answer: level 1, Simple"),
        Binding("2", "answer(2)", "Level 2", show=False, tooltip="answer: level 2, Foundational"),
        Binding("3", "answer(3)", "Level 3", show=False, tooltip="answer: level 3, Developing"),
        Binding("4", "answer(4)", "Level 4", show=False, tooltip="answer: level 4, Strategic"),
        Binding("0", "answer(0)", "Don't know", show=False, tooltip="answer: don't know"),
        Binding("left,b", "move(-1)", "Back", tooltip="the previous question"),
        Binding("right,f", "move(1)", "Next", tooltip="the next question"),
        Binding("d", "dimensions", "Dimensions", tooltip="jump to a dimension"),
        Binding("n", "note", "Note", tooltip="a note on this question"),
        Binding("r", "results", "Results", tooltip="your result so far"),
        Binding("escape", "leave", "Close", tooltip="close the questionnaire (the answers are saved)"),
    ]

    def __init__(self, questionnaire: Questionnaire, response: Response) -> None:
        super().__init__()
        self.q = questionnaire
        self.response = response
        ids = [x.id for x in questionnaire.questions]
        start = response.position if response.position in ids else (response.next_unanswered(questionnaire) or ids[0])
        self.index = ids.index(start)

    @property
    def question(self):
        return self.q.questions[self.index]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="q-top"):
            yield Static(id="q-where")
            yield ProgressBar(total=len(self.q.questions), show_eta=False, show_percentage=False, id="q-progress")
        with VerticalScroll(id="q-body"):
            yield Static(id="q-text")
            yield Static(id="q-help")
            yield OptionList(id="q-answers")
            yield Static(id="q-note")
        yield Footer()

    def on_mount(self) -> None:
        who = self.response.respondent or "Self-assessment"
        self.sub_title = f"{self.q.title} · {who}"
        self.show()

    def show(self) -> None:
        q, qs = self.question, self.q.questions
        dims = self.q.dimensions
        d = self.q.dimension(q.dimension)
        where = Text()
        where.append(f"{d.name}", style="bold")
        where.append(f"  ·  dimension {dims.index(d) + 1} of {len(dims)}  ·  question {self.index + 1} of {len(qs)}")
        if q.id in self.response.new_questions(self.q):
            where.append("  ·  new since your file", style="bold yellow")
        self.query_one("#q-where", Static).update(where)
        self.query_one("#q-progress", ProgressBar).update(progress=self.response.answered(self.q))
        self.query_one("#q-text", Static).update(Text(q.text, style="bold"))
        self.query_one("#q-help", Static).update(Text(q.help, style="italic"))
        options = self.query_one("#q-answers", OptionList)
        options.clear_options()
        chosen = self.response.answers.get(q.id)
        for level, text in [(a.level, a.text) for a in q.answers] + [(DONT_KNOW, "Don't know")]:
            options.add_option(Option(_answer_row(level, text, chosen == level), id=str(level)))
        options.highlighted = [DONT_KNOW, 1, 2, 3, 4].index(chosen) - 1 if chosen is not None else 0
        if chosen == DONT_KNOW:
            options.highlighted = 4
        options.focus()
        note = self.response.notes.get(q.dimension, "")
        self.query_one("#q-note", Static).update(Text(f"Note on {d.name}: {note}", style="dim") if note else "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_answer(int(event.option.id))

    def save(self) -> None:
        try:
            save_response(self.response)
            self.app.mark_saved("assessment")  # type: ignore[attr-defined]
        except OSError as e:
            self.app.mark_unsaved("assessment", f"Self-assessment answers ({e.strerror})")  # type: ignore[attr-defined]
            self.notify(f"Could not save {self.response.path}: {e.strerror}", severity="error")

    def action_answer(self, level: int) -> None:
        self.response.answers[self.question.id] = level
        nxt = self.response.next_unanswered(self.q)
        ids = [x.id for x in self.q.questions]
        if self.index + 1 < len(ids) and (nxt is None or ids.index(nxt) > self.index):
            self.index += 1
        elif nxt is not None:
            self.index = ids.index(nxt)
        self.response.position = self.question.id
        self.save()
        if nxt is None and level is not None and self.response.answered(self.q) == len(ids):
            self.action_results()
        else:
            self.show()

    def action_move(self, step: int) -> None:
        self.index = max(0, min(len(self.q.questions) - 1, self.index + step))
        self.response.position = self.question.id
        self.save()
        self.show()

    def action_dimensions(self) -> None:
        from icp_tui.tui.screens.maturity.dimension_picker import DimensionPicker

        def jump(did: str | None) -> None:
            if did:
                ids = [x.id for x in self.q.questions]
                first = next(x for x in self.q.questions if x.dimension == did)
                self.index = ids.index(first.id)
                self.response.position = first.id
                self.save()
                self.show()

        self.app.push_screen(DimensionPicker(self.q, self.response), jump)

    def action_note(self) -> None:
        from icp_tui.tui.screens.dialogs.prompt import PromptScreen

        did = self.question.dimension

        def keep(text: str | None) -> None:
            if text is not None:
                self.response.notes[did] = text
                self.save()
                self.show()

        name = self.q.dimension(did).name
        self.app.push_screen(PromptScreen(f"Note on {name}", self.response.notes.get(did, ""),
                                          "What should the facilitator know?"), keep)

    def action_results(self) -> None:
        from icp_tui.tui.screens.maturity.results import ResultsScreen

        self.app.push_screen(ResultsScreen(self.q, self.response))

    def action_leave(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit()
