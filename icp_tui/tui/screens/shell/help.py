"""F1: keys, the workbenches and the words the app uses."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# icp: help

## Keys
| key | does |
|---|---|
| 1 2 3 | open the Maturity, Alignment or Scorecard workbench from home |
| c | Columns (home): what each file column is read as; enter changes it, ctrl+s saves, [ ] next file |
| n | New workshop (home): a folder, the customer's exports, a scorecard (blank: a starter) |
| tab, arrows | move between items |
| enter | open or choose |
| escape | back |
| ctrl+p | command palette: every action by name, and themes |
| f1 | this help (escape closes it) |
| ctrl+q | quit (asks first when something is not saved) |

## Scorecard workbench
| key | does |
|---|---|
| enter | edit the row: a criterion, a bucket's test, points and label, a band or a rule |
| + / - | weight up or down by 0.5 (criteria), points up or down by 1 (buckets) |
| w | every weight in one form |
| a, delete | add a row after the cursor, delete the row |
| shift+up, shift+down | move the row |
| ctrl+z, ctrl+y | undo, redo |
| ctrl+s, f6, f7, ctrl+o | save, save as a new version, diff against the saved file, open another |
| f3 | the checklist against won and lost deals, suggested weights (a applies them) |
| f4 | analysis: wins against losses, segments, customer tiers, ICP coverage |

## The workbenches
- **Maturity**: where the ICP practice stands on four levels: Simple, Foundational, Developing, Strategic.
- **Alignment**: each function's target accounts side by side, where they disagree, one agreed list.
- **Scorecard**: criteria, points, weights and bands, checked against won and lost deals.

## Words
- **Fit score** (0-100): how closely an account matches the profile: firmographic, technographic,
  geographic and use-case criteria, as a share of the points it could reach.
- **Timing score**: buying signals such as research intent or a recent funding round: *when* to act.
- **Qualification score**: what is learnt in a live deal, such as a confirmed economic buyer.
- **Bands**: 85+ strong fit, 70-84 good, 55-69 possible, 40-54 weak, under 40 poor (editable).
- **Anti-persona**: a kind of account that rarely buys or stays, with the reason. An account is
  flagged when it matches one, or when it is closer to one than to the ideal profile.
- **Exclusion**: never in a new-business list (existing customers, competitors, embargoed countries).
- **Unknown**: a value that is missing or could not be read; it scores 0 and lowers coverage.
- **Coverage**: the share of the scorecard's points that could be evaluated for an account.
- **Checklist**: five tests of a scorecard against closed deals: enough deals, wins scoring 70+,
  losses below 55, wins inside the firmographic ranges, weight where the lift is.
- **Lift**: a criterion's win rate with its full points over the win rate without them.
- **AUC**: the chance that a random win scores above a random loss (0.5 is a coin toss).
- **ICP coverage**: the share of open pipeline (goal 50%) and of closed-won (goal 70%) in the top bands.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "app.pop_screen", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(HELP)

    def on_mount(self) -> None:
        self.query_one("#help").focus()
