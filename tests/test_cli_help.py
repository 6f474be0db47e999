"""Every subcommand and option of ``icp`` has help text, and every subcommand's --help ends with examples."""

from __future__ import annotations

import argparse

import pytest

from icp_tui.cli.main import main
from icp_tui.cli.parser import build_parser


def parsers(p: argparse.ArgumentParser, name: str = "icp"):
    yield name, p
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from parsers(sub, f"{name} {sub_name}")


ALL = list(parsers(build_parser()))


def test_every_command_is_listed():
    assert [name for name, _ in ALL] == [
        "icp", "icp open", "icp score", "icp assess", "icp assess report", "icp assess progress", "icp align", "icp holdout",
        "icp holdout set", "icp holdout clear", "icp holdout compare", "icp validate", "icp segments",
        "icp lint", "icp sql", "icp workshop", "icp workshop new", "icp report", "icp serve", "icp columns"]


@pytest.mark.parametrize("name, parser", ALL, ids=[n for n, _ in ALL])
def test_every_option_has_help_with_an_example(name, parser):
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
            continue
        what = f"{name} {'/'.join(action.option_strings) or action.dest}"
        assert action.help and action.help != argparse.SUPPRESS, f"{what} has no help"
        takes_value = action.nargs != 0
        assert not takes_value or "e.g." in action.help, f"{what}: its help gives no example"
        assert takes_value or "e.g." in action.help or "for " in action.help, f"{what}: say when to use the flag"


@pytest.mark.parametrize("name, parser", ALL, ids=[n for n, _ in ALL])
def test_every_command_help_ends_with_examples(name, parser):
    text = parser.format_help()
    assert parser.description, name
    examples = text[text.index("\nexamples:\n"):].splitlines()[2:]
    assert examples and all(" icp " in f"{line} " for line in examples), name


def test_help_is_printed_in_process(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["score", "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: icp score [-h]")
    assert "Score an accounts file (CSV/XLSX) with a scorecard." in out
    assert out.endswith("examples:\n  icp score accounts.csv -s scorecard.toml -o scored.csv\n"
                        "  icp score -w acme --format json > scored.json\n"
                        '  icp score crm.csv -s card.toml --map "Acct Name=name" --unit annual_revenue=millions\n'
                        "  cat accounts.csv | icp score - -s card.toml\n")
