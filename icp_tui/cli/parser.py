"""The ``icp`` command line: every subcommand and option, each with its help and examples."""

from __future__ import annotations

import argparse

from icp_tui import __version__

WORKSHOP_HELP = "a workshop folder: its files are the defaults and its [import] tables say how to read them, e.g. -w acme"


def command(sub, name: str, summary: str, *examples: str, about: str = "") -> argparse.ArgumentParser:
    """A subcommand whose ``icp NAME --help`` says what it does and ends with worked examples."""
    epilog = "examples:\n" + "\n".join(f"  {e}" for e in examples)
    return sub.add_parser(name, help=summary, description=f"{summary[0].upper()}{summary[1:]}." + (f" {about}" if about else ""),
                          epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter)


def margin_share(text: str) -> float:
    """A gross margin as a share: "80%", "80" or "0.8" -> 0.8."""
    t = text.strip().rstrip("%").strip()
    try:
        x = float(t)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a margin (e.g. 80%)") from None
    x = x / 100 if text.strip().endswith("%") or x > 1 else x
    if not 0 < x <= 1:
        raise argparse.ArgumentTypeError(f"'{text}': a margin is above 0% and at most 100%")
    return x


def add_workshop(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--workshop", "-w", metavar="DIR", help=WORKSHOP_HELP)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="icp", description="ICP workbench: maturity, alignment and scorecard. Without a command it opens the app "
        "on the last workshop (or the bundled sample).", formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  icp                                   open the app\n"
               "  icp workshop new acme -a accounts.csv  make a workshop from a customer's export\n"
               "  icp validate -w acme                  check acme's scorecard against its deals\n"
               "  icp score --help                      every command has --help with examples")
    p.add_argument("--version", action="version", version=f"icp-tui {__version__}", help="print the version, e.g. icp --version")
    p.add_argument("--debug", action="store_true", help="show tracebacks on errors, e.g. icp --debug score ...")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    o = command(sub, "open", "open the app on a workshop folder", "icp open acme-workshop", "icp open sample_data/workshop.toml",
                about="A folder without a workshop.toml opens the New workshop form.")
    o.add_argument("workshop", help="a folder with a workshop.toml (or the file itself), e.g. acme-workshop")

    s = command(sub, "score", "score an accounts file (CSV/XLSX) with a scorecard",
                "icp score accounts.csv -s scorecard.toml -o scored.csv", "icp score -w acme --format json > scored.json",
                'icp score crm.csv -s card.toml --map "Acct Name=name" --unit annual_revenue=millions',
                "cat accounts.csv | icp score - -s card.toml")
    s.add_argument("accounts", nargs="?", help="the accounts file (CSV/TSV/XLSX; - reads standard input; default: the "
                   "workshop's, with -w), e.g. accounts.csv")
    s.add_argument("--scorecard", "-s", metavar="FILE", help="the scorecard (default: the workshop's, with -w), e.g. -s scorecard.toml")
    add_workshop(s)
    s.add_argument("-o", "--output", metavar="FILE", help="output file (default: standard output), e.g. -o scored.csv")
    s.add_argument("--format", choices=("csv", "json"), help="output format (default: from -o, else csv), e.g. --format json")
    s.add_argument("--map", action="append", metavar="HEADER=FIELD",
                   help='read a column as a field (repeatable), e.g. --map "Acct Name=name"')
    s.add_argument("--unit", action="append", metavar="FIELD=UNIT",
                   help="a number column's unit: thousands, millions, billions or percent, e.g. --unit annual_revenue=millions")
    s.add_argument("--segments", metavar="FILE", help="add a segment column: the saved segment profile each account fits "
                   "best (default: the workshop's segments.toml, with -w, if it has one), e.g. --segments segments.toml")
    s.add_argument("--strict", action="store_true",
                   help="exit 1 when any value could not be read or a field has no column, e.g. in a pipeline")

    a = command(sub, "assess", "the ICP maturity self-assessment, or a report of answered files",
                'icp assess --respondent "Dana Reyes" --function Sales', "icp assess report answers/*.toml -o maturity.md",
                'icp assess -w acme-workshop --respondent "Dana Reyes" --function Sales',
                about="Without report it asks the questions in the terminal and saves the answers to a file to send in "
                      "(or, with -w, into the workshop).")
    a.add_argument("--respondent", default="", help='your name, e.g. --respondent "Dana Reyes"')
    a.add_argument("--function", default="", help="your function: Sales, Marketing, Customer Success, Product or Finance, "
                   'e.g. --function "Customer Success"')
    a.add_argument("--org", default="", help='your organisation, e.g. --org "Acme Robotics"')
    q_help = "the questionnaire (default: the bundled four-level ICP maturity questionnaire), e.g. -q our_questions.toml"
    a.add_argument("--questionnaire", "-q", metavar="FILE", help=q_help)
    a.add_argument("-o", "--output", metavar="FILE", help="the answers file (default: icp-self-assessment-NAME.toml here); "
                   "an existing file is resumed where it stopped, e.g. -o dana.toml")
    a.add_argument("--workshop", "-w", metavar="DIR", help="answer straight into this workshop's assessments folder "
                   "(the facilitator's machine), e.g. -w acme-workshop")
    asub = a.add_subparsers(dest="assess_command", metavar="report|progress")
    rep = command(asub, "report", "results of one answered file, or the comparison of several, as Markdown",
                  "icp assess report dana.toml", "icp assess report assessments/*.toml -o maturity.md",
                  "icp assess report -w acme-workshop", about="With -w the workshop's roadmap (targets, owners, "
                  "due dates) follows, and without files its self-assessments are compared.")
    rep.add_argument("files", nargs="*", metavar="FILE", help="answered self-assessment files, e.g. assessments/*.toml "
                     "(default: the workshop's, with -w)")
    rep.add_argument("--questionnaire", "-q", metavar="FILE", default=argparse.SUPPRESS, help=q_help)
    rep.add_argument("--workshop", "-w", metavar="DIR", default=argparse.SUPPRESS,
                     help="add the workshop's roadmap; its self-assessments are the default files, e.g. -w acme")
    rep.add_argument("-o", "--output", dest="report_output", metavar="FILE",
                     help="write the Markdown here (default: standard output), e.g. -o maturity.md")
    pro = command(asub, "progress", "the room's level per dimension then and now, between two rounds of answers",
                  "icp assess progress may/ -- november/", "icp assess progress -w acme round1/*.toml -- acme/assessments",
                  "icp assess progress -w acme round1/", about="OLD and NEW are answered files or folders of them, the "
                  "two rounds separated by --. The room's level is the median of the leaders' (per dimension, and of "
                  "their overall levels), rounded down. With -w each dimension's roadmap target is shown, and NEW "
                  "defaults to the workshop's self-assessments.")
    pro.add_argument("rounds", nargs=argparse.REMAINDER, metavar="OLD... -- NEW...",
                     help="the earlier round's files or folders, --, then the later round's, e.g. may/ -- november/")
    pro.add_argument("--questionnaire", "-q", metavar="FILE", default=argparse.SUPPRESS, help=q_help)
    pro.add_argument("--workshop", "-w", metavar="DIR", default=argparse.SUPPRESS,
                     help="show the workshop's roadmap targets; its self-assessments are the default NEW, e.g. -w acme")
    pro.add_argument("-o", "--output", dest="report_output", metavar="FILE",
                     help="write the Markdown here (default: standard output), e.g. -o progress.md")

    al = command(sub, "align", "compare the functions' target lists and write the unified TAL",
                 "icp align -w acme -o tal.csv", "icp align Sales=sales.csv Marketing=mkt.csv --accounts accounts.csv -s card.toml",
                 "icp align -w acme --matches | less")
    al.add_argument("lists", nargs="*", metavar="LIST_FILE",
                    help="one CSV per function; FUNCTION=FILE names the function; - (or FUNCTION=-) reads standard input "
                         "(default: the workshop's lists, with -w), e.g. Sales=sales.csv")
    al.add_argument("--accounts", "-a", metavar="FILE", help="the account universe (CSV/XLSX), e.g. --accounts accounts.csv")
    al.add_argument("--scorecard", "-s", metavar="FILE", help="score the accounts with this scorecard, e.g. -s scorecard.toml")
    al.add_argument("--deals", "-d", metavar="FILE", help="deal history, for each list's win rate and ACV, e.g. --deals deals.csv")
    add_workshop(al)
    al.add_argument("--min-votes", type=int, metavar="N",
                    help="functions that must propose an account (default 2, or the decisions file's), e.g. --min-votes 3")
    al.add_argument("--aes", type=int, metavar="N", help="account executives: caps Tier 1 at 50 accounts each, e.g. --aes 6")
    al.add_argument("--decisions", metavar="FILE", help="a decisions.toml to apply (default: the workshop's, with -w, if it "
                    "has one), e.g. --decisions decisions.toml")
    al.add_argument("-o", "--output", metavar="FILE", help="write the TAL as CSV here, e.g. -o tal.csv")
    al.add_argument("--order", choices=("votes", "grade"), default="votes",
                    help="order of the TAL: most votes first (default), or by priority grade, A1 first (then fit), "
                         "e.g. --order grade")
    al.add_argument("--matches", action="store_true", help="instead of the summary, every list entry with the account it "
                    "matched (or no match), how, and the score, e.g. icp align -w acme --matches")

    ho = command(sub, "holdout", "hold out a control group of the TAL, and compare it with the targeted accounts later",
                 "icp holdout -w acme", "icp holdout set -w acme --share 20", "icp holdout compare -w acme --deals q2_opps.csv",
                 "icp holdout clear -w acme",
                 about="Without a verb it shows the hold-out and the two groups. The share and seed are kept in the "
                       "workshop's decisions.toml; an account's group depends only on the seed and the account, so "
                       "adding accounts later moves nobody.")
    add_workshop(ho)
    hsub = ho.add_subparsers(dest="holdout_command", metavar="set|clear|compare")
    hset = command(hsub, "set", "set aside a share of the TAL as the control group (logged)",
                   "icp holdout set -w acme", "icp holdout set -w acme --share 25 --seed 482913",
                   about="The date is today's unless --since gives another; the comparison counts deals created from it.")
    hset.add_argument("--share", default="20", help="the control group's share of the TAL, 5 to 50 percent (default 20), "
                      "e.g. --share 25")
    hset.add_argument("--seed", help="the seed of the draw (default: the one stored, else a new one), e.g. --seed 482913")
    hset.add_argument("--since", metavar="DATE", help="the day the experiment starts (default: today), e.g. --since 2026-12-03")
    hclear = command(hsub, "clear", "end the hold-out: every account on the TAL is targeted again (logged)",
                     "icp holdout clear -w acme")
    hcmp = command(hsub, "compare", "targeted against control on a later deal file: deals, pipeline, win rate and the lift",
                   "icp holdout compare -w acme --deals q2_opps.csv", "icp holdout compare -w acme -d q2_opps.csv -o holdout.txt",
                   about="The deals join the accounts by id, website or name, with the workshop's [import.deals] settings.")
    hcmp.add_argument("--deals", "-d", required=True, metavar="FILE",
                      help="the deals created since the hold-out (an opportunity export), e.g. --deals q2_opps.csv")
    hcmp.add_argument("--deals-map", action="append", metavar="HEADER=FIELD",
                      help='read a deals column as a field (repeatable), e.g. --deals-map "Client=account_name"')
    hcmp.add_argument("--since", metavar="DATE", help="count deals created from this day (default: the hold-out's date), "
                      "e.g. --since 2027-01-01")
    hcmp.add_argument("-o", "--output", metavar="FILE", help="write the comparison here (default: standard output), "
                      "e.g. -o holdout.txt")
    for cmd in (hset, hclear, hcmp):
        cmd.add_argument("--workshop", "-w", metavar="DIR", default=argparse.SUPPRESS, help=WORKSHOP_HELP)

    map_help = ('read a column as a field; KIND is accounts (the default) or deals (repeatable), '
                'e.g. --map "deals:Opp Result=stage" --map "Acct=name"')
    va = command(sub, "validate", "check a scorecard against won and lost deals (the quality checklist)",
                 "icp validate -w acme", "icp validate -s card.toml -d opps.csv -a accounts.csv",
                 'icp validate -s card.toml -d opps.csv -a accounts.csv --deals-map "Opp Result=stage"',
                 "icp validate -w acme --since 12m --record",
                 about="Exit 1 when a checklist item fails.")
    va.add_argument("--scorecard", "-s", metavar="FILE", help="the scorecard (default: the workshop's, with -w), e.g. -s card.toml")
    va.add_argument("--deals", "-d", metavar="FILE",
                    help="deal history (an opportunity export; default: the workshop's, with -w), e.g. -d opps.csv")
    va.add_argument("--accounts", "-a", metavar="FILE", help="the accounts the deals belong to; without it the deal rows "
                    "are scored (default: the workshop's, with -w), e.g. -a accounts.csv")
    va.add_argument("--deals-map", action="append", metavar="HEADER=FIELD",
                    help='read a deals column as a field (repeatable), e.g. --deals-map "Result=stage"')

    sg = command(sub, "segments", "what the deal history says: wins against losses, segments, customer tiers, ICP coverage",
                 "icp segments -w acme -o segments.md", "icp segments -d opps.csv -a accounts.csv -k 4",
                 'icp segments -w acme -k 3 --save "Mid-market SaaS=1"', "icp segments -w acme --anti-persona",
                 about="The segments come from k-means clustering of the won and lost accounts (scikit-learn).")
    sg.add_argument("--deals", "-d", metavar="FILE",
                    help="deal history (an opportunity export; default: the workshop's, with -w), e.g. -d opps.csv")
    sg.add_argument("--accounts", "-a", metavar="FILE",
                    help="the accounts the deals belong to (default: the workshop's, with -w), e.g. -a accounts.csv")
    sg.add_argument("--deals-map", action="append", metavar="HEADER=FIELD",
                    help='read a deals column as a field (repeatable), e.g. --deals-map "Client=account_name"')
    sg.add_argument("--scorecard", "-s", metavar="FILE",
                    help="also measure the ICP coverage goals with this scorecard, e.g. -s card.toml")
    sg.add_argument("-k", type=int, metavar="N", help="number of segments (default: chosen by the silhouette score, 2-8), e.g. -k 4")
    sg.add_argument("--rank", choices=("value", "ltv", "win-rate"), default="value",
                    help="order the segments by value per opportunity (win rate x won ACV, the default), by LTV or "
                         "by win rate, e.g. --rank ltv")
    sg.add_argument("--margin", type=margin_share, metavar="PCT",
                    help="gross margin for LTV and CAC payback (default: revenue, no margin), e.g. --margin 80%%")
    sg.add_argument("-o", "--output", metavar="FILE", help="write the report here (default: standard output), e.g. -o segments.md")
    sg.add_argument("--save", action="append", metavar="NAME[=N]",
                    help="save segment N (default: the best) as a named profile in segments.toml (repeatable; the same "
                         'name replaces it), e.g. --save "Mid-market SaaS=1"')
    sg.add_argument("--segments", metavar="FILE", help="the segment profiles file (default: segments.toml in the workshop "
                    "with -w, else beside -s), e.g. --segments segments.toml")
    sg.add_argument("--anti-persona", action="store_true",
                    help="instead of the report, propose an anti-persona from what Tier 3 customers share and Tier 1 do "
                         "not, as TOML to paste, e.g. icp segments -w acme --anti-persona")
    sg.add_argument("--apply", action="store_true",
                    help="with --anti-persona: add it to the scorecard (-s or the workshop's) and save it, e.g. "
                         "icp segments -w acme --anti-persona --apply")
    for cmd in (va, sg):
        add_workshop(cmd)
        cmd.add_argument("--map", action="append", metavar="[KIND:]HEADER=FIELD", help=map_help)
        cmd.add_argument("--since", metavar="WHEN", help="only the deals closed on or after WHEN: a date or months back "
                         "from today (open deals stay; default: every closed deal), e.g. --since 12m, --since 2025-12-03")
    va.add_argument("--record", action="store_true", help="write today's date and the result into the scorecard's "
                    "[scorecard] table (validated = ..., which lint checks for age), e.g. icp validate -w acme --record")

    lint = command(sub, "lint", "check a scorecard for gaps, overlaps and mixed signals",
                   "icp lint scorecard.toml", "icp lint card.toml --accounts accounts.csv", "icp lint -w acme",
                   about="With accounts it also checks that each field has a column and lists values that nearly match "
                         "a bucket's (typos). Exit 1 when there are warnings.")
    lint.add_argument("scorecard", nargs="?", help="the scorecard (default: the workshop's, with -w), e.g. scorecard.toml")
    lint.add_argument("--accounts", "-a", metavar="FILE",
                      help="also check the fields and values against this accounts file, e.g. --accounts accounts.csv")
    add_workshop(lint)

    sq = command(sub, "sql", "compile a scorecard to one SQL query that scores a table in a warehouse",
                 "icp sql scorecard.toml --dialect duckdb", "icp sql card.toml --dialect snowflake --table crm.accounts -o score.sql")
    sq.add_argument("scorecard", help="the scorecard to compile, e.g. scorecard.toml")
    sq.add_argument("--dialect", required=True, choices=("duckdb", "spark", "snowflake", "bigquery"),
                    help="the warehouse's SQL dialect, e.g. --dialect bigquery")
    sq.add_argument("--table", default="accounts",
                    help="the accounts table (default: accounts); a qualified name is quoted part by part, e.g. --table crm.accounts")
    sq.add_argument("--fields", metavar="F1,F2,...", help="the field columns the table has (default: every field the "
                    "scorecard reads; the others score as unknown), e.g. --fields industry,employees")
    sq.add_argument("-o", "--output", metavar="FILE", help="write the query here (default: standard output), e.g. -o score.sql")

    wk = command(sub, "workshop", "make a workshop folder from a customer's exports",
                 "icp workshop new acme --accounts accounts.csv --deals opps.csv --lists Sales=sales.csv Marketing=mkt.xlsx")
    wsub = wk.add_subparsers(dest="workshop_command", metavar="new", required=True)
    new = command(wsub, "new", "create DIR/workshop.toml with the accounts, deals, lists and a scorecard",
                  "icp workshop new acme -a accounts.csv -d opps.csv", "icp workshop new acme -a accounts.csv -s our_card.toml --link",
                  about="Every file is read first; they are then copied into the folder (data/, lists/) and named in workshop.toml.")
    new.add_argument("folder", metavar="DIR", help="the workshop folder (made if it is not there), e.g. acme-workshop")
    new.add_argument("--accounts", "-a", required=True, metavar="FILE", help="the account universe (CSV/XLSX), e.g. accounts.csv")
    new.add_argument("--deals", "-d", metavar="FILE", help="the opportunity export (won, lost and open deals), e.g. opps.csv")
    new.add_argument("--lists", nargs="+", action="extend", metavar="FUNCTION=FILE",
                     help="each function's proposed accounts, e.g. --lists Sales=sales.csv \"Customer Success\"=cs.csv")
    which = new.add_mutually_exclusive_group()
    which.add_argument("--scorecard", "-s", metavar="FILE", help="start from this scorecard (copied), e.g. scorecard.toml")
    which.add_argument("--template", choices=("starter",), default="starter",
                       help="or start from a template: starter (the default) is drawn from the accounts file, e.g. --template starter")
    new.add_argument("--name", help='the workshop\'s name (default: the folder name), e.g. --name "Q1 ICP workshop"')
    new.add_argument("--org", help='the customer\'s organisation, e.g. --org "Acme Robotics"')
    new.add_argument("--link", action="store_true",
                     help="name the files where they are instead of copying them in, e.g. for exports on a shared drive "
                          "(recorded under [links] in workshop.toml: read there, never written through the workshop)")

    rp = command(sub, "report", "the workshop report: participants, maturity, alignment, the TAL, the scorecard, the decision log",
                 "icp report acme-workshop -o report.md", "icp report acme-workshop --html report.html",
                 "icp report acme-workshop -o report.md --html report.html",
                 about="Markdown to standard output (or -o); --html writes one self-contained HTML file with charts "
                       "that opens without a network.")
    rp.add_argument("workshop", nargs="?", help="the workshop folder (default: the last one opened, else the sample), "
                    "e.g. acme-workshop")
    rp.add_argument("-o", "--output", dest="report_output", metavar="FILE",
                    help="write the Markdown here (default: standard output, unless --html is given), e.g. -o report.md")
    rp.add_argument("--html", metavar="FILE", help="also write the report as HTML with charts, e.g. --html report.html")

    sv = command(sub, "serve", "serve the app to web browsers (the same app, for a remote room)",
                 "icp serve", "icp serve acme-workshop --port 8080", "icp serve acme-workshop --host 0.0.0.0 --port 8080",
                 "icp serve acme-workshop --max-sessions 3",
                 about="Each browser tab runs its own app on this machine, on the same workshop folder. The address "
                       "printed at start carries a token made for this run: only a page opened with it can use the "
                       "app. The default address is this machine only; --host 0.0.0.0 opens it to the network.")
    sv.add_argument("workshop", nargs="?", help="the workshop folder (default: the last one opened, else the sample), "
                    "e.g. acme-workshop")
    sv.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1, this machine "
                    "only), e.g. --host 0.0.0.0")
    sv.add_argument("--port", type=int, default=8000, help="the port (default: 8000), e.g. --port 8080")
    sv.add_argument("--max-sessions", type=int, default=8, metavar="N", help="at most N browser tabs at once, each "
                    "one app of 200 MB or more; one more is refused (default: 8), e.g. --max-sessions 3")

    co = command(sub, "columns", "what each column of a CSV/XLSX file is read as, with sample values",
                 "icp columns opps.csv", 'icp columns opps.csv --kind deals --map "Opp Result=stage"', "icp columns -w acme data/opps.csv")
    co.add_argument("file", metavar="FILE", help="an accounts, deals or list file, e.g. opps.csv")
    co.add_argument("--kind", choices=("accounts", "deals", "list"),
                    help="the file kind (default: guessed from the headers), e.g. --kind deals")
    co.add_argument("--workshop", "-w", metavar="DIR", help="read it with this workshop's [import] columns, e.g. -w acme")
    co.add_argument("--map", action="append", metavar="HEADER=FIELD", help='try a mapping (repeatable), e.g. --map "Acct=name"')
    return p


def command_parser(parser: argparse.ArgumentParser, name: str | None,
                   args: argparse.Namespace | None = None) -> argparse.ArgumentParser:
    """The parser of subcommand ``name`` (for its usage line), else ``parser`` itself; with ``args``,
    the parser of its verb when it has one (``icp holdout set``, ``icp assess progress``)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and name in action.choices:
            found = action.choices[name]
            for verbs in found._actions:
                if isinstance(verbs, argparse._SubParsersAction) and args is not None:
                    verb = getattr(args, verbs.dest, None)
                    if verb in verbs.choices:
                        return verbs.choices[verb]
            return found
    return parser
