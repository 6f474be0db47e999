"""The ``icp`` command line: every subcommand and option."""

from __future__ import annotations

import argparse

from icp_tui import __version__


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="icp", description="ICP workbench: maturity, alignment and scorecard.")
    p.add_argument("--version", action="version", version=f"icp-tui {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    o = sub.add_parser("open", help="open the app on a workshop folder")
    o.add_argument("workshop", help="folder with a workshop.toml")

    s = sub.add_parser("score", help="score an accounts file (CSV/XLSX) with a scorecard")
    s.add_argument("accounts", help="the accounts file (CSV/TSV/XLSX); - reads standard input")
    s.add_argument("--scorecard", "-s", required=True)
    s.add_argument("-o", "--output", help="output file (default: standard output)")
    s.add_argument("--format", choices=("csv", "json"), help="output format (default: from -o, else csv)")
    s.add_argument("--map", action="append", metavar="HEADER=FIELD", help="read a column as a field (repeatable)")
    s.add_argument("--unit", action="append", metavar="FIELD=UNIT", help="column unit: thousands, millions, billions, percent")
    s.add_argument("--strict", action="store_true", help="exit 1 when any value could not be read")

    a = sub.add_parser("assess", help="the ICP maturity self-assessment, or a report of answered files")
    a.add_argument("--respondent", default="", help="your name")
    a.add_argument("--function", default="", help="your function: Sales, Marketing, Customer Success, Product, Finance")
    a.add_argument("--org", default="", help="your organisation")
    q_help = "the questionnaire file (default: the bundled four-level ICP maturity questionnaire)"
    a.add_argument("--questionnaire", "-q", metavar="FILE", help=q_help)
    a.add_argument("-o", "--output", help="the answers file (default: icp-self-assessment-NAME.toml here); "
                   "an existing file is resumed where it stopped")
    asub = a.add_subparsers(dest="assess_command", metavar="report")
    rep = asub.add_parser("report", help="results of one file, or the comparison of several, as Markdown")
    rep.add_argument("files", nargs="+")
    rep.add_argument("--questionnaire", "-q", metavar="FILE", default=argparse.SUPPRESS, help=q_help)
    rep.add_argument("-o", "--output", dest="report_output", help="write the Markdown here (default: standard output)")

    al = sub.add_parser("align", help="compare the functions' target lists and write the unified TAL")
    al.add_argument("lists", nargs="+", metavar="LIST_FILE",
                    help="one CSV per function; FUNCTION=FILE names the function; - (or FUNCTION=-) reads standard input")
    al.add_argument("--accounts", help="the account universe (CSV/XLSX)")
    al.add_argument("--scorecard", "-s", help="score the accounts with this scorecard")
    al.add_argument("--deals", help="deal history, for each list's win rate and ACV")
    al.add_argument("--min-votes", type=int, help="functions that must propose an account (default 2, or the decisions file's)")
    al.add_argument("--aes", type=int, help="account executives: caps Tier 1 at 50 accounts each")
    al.add_argument("--decisions", help="a decisions.toml to apply")
    al.add_argument("-o", "--output", help="write the TAL as CSV here")
    al.add_argument("--matches", action="store_true",
                    help="instead of the summary, every list entry with the account it matched (or no match), how, and the score")

    va = sub.add_parser("validate", help="check a scorecard against won and lost deals (the quality checklist)")
    va.add_argument("--scorecard", "-s", help="the scorecard (default: the workshop's, with -w)")
    va.add_argument("--deals", "-d", help="deal history (an opportunity export; default: the workshop's, with -w)")
    va.add_argument("--accounts", "-a", help="the accounts the deals belong to; without it the deal rows are scored")
    va.add_argument("--deals-map", action="append", metavar="HEADER=FIELD",
                    help='read a deals column as a field, e.g. --deals-map "Result=stage" (repeatable)')

    sg = sub.add_parser("segments", help="what the deal history says: wins against losses, segments, customer tiers, ICP coverage")
    sg.add_argument("--deals", "-d", help="deal history (an opportunity export; default: the workshop's, with -w)")
    sg.add_argument("--accounts", "-a", help="the accounts the deals belong to (default: the workshop's, with -w)")
    sg.add_argument("--deals-map", action="append", metavar="HEADER=FIELD",
                    help='read a deals column as a field, e.g. --deals-map "Client=account_name" (repeatable)')
    sg.add_argument("--scorecard", "-s", help="also measure the ICP coverage goals with this scorecard")
    sg.add_argument("-k", type=int, metavar="N", help="number of segments (default: chosen by the silhouette score, 2-8)")
    sg.add_argument("-o", "--output", help="write the report here (default: standard output)")

    lint = sub.add_parser("lint", help="check a scorecard for gaps, overlaps and mixed signals")
    lint.add_argument("scorecard")
    lint.add_argument("--accounts", help="also check that the fields exist in this accounts file")

    sq = sub.add_parser("sql", help="compile a scorecard to one SQL query that scores a table in a warehouse")
    sq.add_argument("scorecard")
    sq.add_argument("--dialect", required=True, choices=("duckdb", "spark", "snowflake", "bigquery"))
    sq.add_argument("--table", default="accounts",
                    help="the accounts table (default: accounts); a qualified name such as crm.accounts is quoted part by part")
    sq.add_argument("--fields", metavar="F1,F2,...",
                    help="the field columns the table has (default: every field the scorecard reads; the others score as unknown)")
    sq.add_argument("-o", "--output", help="write the query here (default: standard output)")
    ws_help = "a workshop folder: its files are the defaults and its [import] tables say how to read them"
    for cmd in (va, sg):
        cmd.add_argument("--workshop", "-w", metavar="DIR", help=ws_help + " (e.g. -w acme-workshop)")
        cmd.add_argument("--map", action="append", metavar="[KIND:]HEADER=FIELD",
                         help='read a column as a field; KIND is accounts (the default) or deals, '
                              'e.g. --map "deals:Opp Result=stage" --map "Acct=name" (repeatable)')

    wk = sub.add_parser("workshop", help="make a workshop folder from a customer's exports",
                        description="Example: icp workshop new acme --accounts accounts.csv --deals opps.csv "
                                    "--lists Sales=sales.csv Marketing=mkt.xlsx")
    wsub = wk.add_subparsers(dest="workshop_command", metavar="new", required=True)
    new = wsub.add_parser("new", help="create DIR/workshop.toml with the accounts, deals, lists and a scorecard",
                          description="Every file is read first; they are then copied into the folder (data/, lists/) "
                                      "and named in workshop.toml. Example: icp workshop new acme -a accounts.csv -d opps.csv")
    new.add_argument("folder", metavar="DIR", help="the workshop folder (made if it is not there), e.g. acme-workshop")
    new.add_argument("--accounts", "-a", required=True, metavar="FILE", help="the account universe (CSV/XLSX), e.g. accounts.csv")
    new.add_argument("--deals", "-d", metavar="FILE", help="the opportunity export (won, lost and open deals), e.g. opps.csv")
    new.add_argument("--lists", nargs="+", action="extend", metavar="FUNCTION=FILE",
                     help="each function's proposed accounts, e.g. --lists Sales=sales.csv \"Customer Success\"=cs.csv")
    which = new.add_mutually_exclusive_group()
    which.add_argument("--scorecard", "-s", metavar="FILE", help="start from this scorecard (copied), e.g. scorecard.toml")
    which.add_argument("--template", choices=("starter",), default="starter",
                       help="or start from a template: starter (the default) is drawn from the accounts file")
    new.add_argument("--name", help='the workshop\'s name (default: the folder name), e.g. --name "Q1 ICP workshop"')
    new.add_argument("--org", help='the customer\'s organisation, e.g. --org "Acme Robotics"')
    new.add_argument("--link", action="store_true", help="name the files where they are instead of copying them in")

    co = sub.add_parser("columns", help="what each column of a CSV/XLSX file is read as, with sample values",
                        description="Example: icp columns opps.csv --kind deals --map \"Opp Result=stage\"")
    co.add_argument("file", metavar="FILE", help="an accounts, deals or list file, e.g. opps.csv")
    co.add_argument("--kind", choices=("accounts", "deals", "list"), help="the file kind (default: guessed from the headers)")
    co.add_argument("--workshop", "-w", metavar="DIR", help="read it with this workshop's [import] columns")
    co.add_argument("--map", action="append", metavar="HEADER=FIELD", help='try a mapping, e.g. --map "Acct=name" (repeatable)')
    return p
