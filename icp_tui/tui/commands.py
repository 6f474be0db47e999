"""Command palette entries (ctrl+p): open a workbench, go home, help."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from icp_tui.tui.workbenches import WORKBENCHES


class WorkbenchCommands(Provider):
    def _commands(self):
        app = self.app
        for w in WORKBENCHES:
            yield f"Open the {w.title} workbench", partial(app.action_workbench, w.key), w.question
        yield "Home", app.action_home, "Back to the workshop overview"
        yield "Help", app.action_help, "Keys, workbenches and the words the app uses"

    async def discover(self) -> Hits:
        for name, run, help_text in self._commands():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, run, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=help_text)
