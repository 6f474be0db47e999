"""A new workshop from a customer's exports: [import.*] tables of workshop.toml, the starter scorecard,
``icp workshop new`` / ``icp columns`` / ``icp validate -w`` / ``icp segments -w``, and the installed sample
left untouched.

Files are written to ``tmp_path`` in the shapes CRMs write: a Salesforce account report (revenue
"(in millions)"), a HubSpot companies export, the Kaggle/Maven CRM sales pipeline
(opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value) and a
custom opportunity export with headers no importer foresees ("Opp Result", "Booked (USD)", "Opened On").
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from icp_tui.cli.main import main
from icp_tui.engine.core.accounts import read_accounts
from icp_tui.engine.core.errors import DataFileError, WorkshopError
from icp_tui.engine.scorecard.file import ScorecardFile, parse_scorecard
from icp_tui.engine.scorecard.lint import lint_scorecard
from icp_tui.engine.workshop.create import (
    NewWorkshop,
    check_new,
    copy_tree_atomically,
    create_workshop,
    data_dir,
    manifest_text,
    sample_copy,
)
from icp_tui.engine.workshop.imports import (
    ImportSettings,
    read_accounts_with,
    read_deals_with,
    read_list_with,
    save_columns,
)
from icp_tui.engine.workshop.manifest import Workshop, summarise
from icp_tui.engine.workshop.starter import starter_scorecard

ROOT = Path(__file__).resolve().parents[1]

# Salesforce account report; revenue in millions, said by the header
SF_ACCOUNTS = """\
Account ID,Account Name,Website,Industry,Employees,Annual Revenue (in millions),Billing Country,Funding Stage
0015g001,Acme Robotics,acme.io,Software,12,1.5,United States,Seed
0015g002,Birch Analytics,birch.com,FinTech,40,3,United States,Series A
0015g003,Cobalt Health,cobalt.health,Healthcare,55,4.2,United Kingdom,Series A
0015g004,Dune Logistics,dune.co,Software,80,8,Germany,Series B
0015g005,Ember Pay,emberpay.com,fintech,120,15,United Kingdom,Series A
0015g006,Fjord Systems,fjord.no,Software,200,42.2,United States,Series B
0015g007,Garnet Care,garnet.care,Healthcare,450,90,United Kingdom,Series A
0015g008,Harbor Retail,harbor.shop,Retail,900,310,United States,Series B
"""
# HubSpot companies export with the same accounts; revenue in millions, but the header does not say so
HS_ACCOUNTS = """\
Record ID,Company name,Company Domain Name,Industry,Number of Employees,Annual Revenue,Country/Region
101,Acme Robotics,acme.io,Software,12,1.5,United States
102,Birch Analytics,birch.com,FinTech,40,3,United States
103,Cobalt Health,cobalt.health,Healthcare,55,4.2,United Kingdom
104,Dune Logistics,dune.co,Software,80,8,Germany
105,Ember Pay,emberpay.com,fintech,120,15,United Kingdom
106,Fjord Systems,fjord.no,Software,200,42.2,United States
107,Garnet Care,garnet.care,Healthcare,450,90,United Kingdom
108,Harbor Retail,harbor.shop,Retail,900,310,United States
"""
# Kaggle/Maven CRM sales pipeline: 4 won, 3 lost, 2 open (Engaging, Prospecting)
KAGGLE_DEALS = """\
opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value
1C1I7A6R,Moses Frase,GTX Plus Basic,Acme Robotics,Won,2024-01-05,2024-03-01,1054
Z063OYW0,Darcel Schlecht,GTXPro,Birch Analytics,Won,2024-01-10,2024-03-11,4514
EC4QE1BX,Darcel Schlecht,MG Special,Cobalt Health,Lost,2024-01-12,2024-02-20,0
MV1LWRNH,Moses Frase,GTX Basic,Dune Logistics,Won,2024-02-01,2024-04-07,550
PE84CX4O,Zane Levy,GTX Basic,Ember Pay,Lost,2024-02-03,2024-03-15,0
ZNBS69V1,Anna Snelling,MG Special,Fjord Systems,Won,2024-02-10,2024-05-02,49
9ME3374G,Vicki Laflamme,GTK 500,Garnet Care,Lost,2024-02-14,2024-04-30,0
4HIKVH3U,Moses Frase,GTXPro,Harbor Retail,Engaging,2024-03-01,,
OFK3WUHL,Zane Levy,GTX Plus Pro,Acme Robotics,Prospecting,,,
"""
# A custom opportunity export: 3 "Signed" (won), 3 "Walked away" (lost), 1 "Pipeline" (open); day-first dates
OPPS = """\
Opp Ref,Opp Result,Client,Booked (USD),Opened On
OPP-001,Signed,Acme Robotics,"12,500",13/04/2024
OPP-002,Signed,Birch Analytics,8000,02/05/2024
OPP-003,Walked away,Cobalt Health,0,21/06/2024
OPP-004,Signed,Dune Logistics,30000,15/01/2024
OPP-005,Walked away,Ember Pay,,03/03/2024
OPP-006,Pipeline,Fjord Systems,5000,28/02/2024
OPP-007,Walked away,Garnet Care,0,30/07/2024
"""
SALES_LIST = "Org,Why\nAcme Robotics,Fleet renewal\nFjord Systems,Met at SaaStr\n"
CS_LIST = "Company Name,Priority,Notes\nBirch Analytics,1,Expansion\nGarnet Care,2,\n"


def write(folder: Path, name: str, text: str) -> Path:
    p = folder / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(text.encode("utf-8"))
    return p


def manifest(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write(folder, "workshop.toml", text)


def load_error(folder: Path) -> WorkshopError:
    with pytest.raises(WorkshopError) as e:
        Workshop.load(folder)
    return e.value


@pytest.fixture
def exports(tmp_path) -> Path:
    d = tmp_path / "exports"
    for name, text in (("accounts.csv", SF_ACCOUNTS), ("hubspot_companies.csv", HS_ACCOUNTS), ("deals.csv", KAGGLE_DEALS),
                       ("opps.csv", OPPS), ("sales.csv", SALES_LIST), ("cs.csv", CS_LIST)):
        write(d, name, text)
    return d


# == [import.*] tables: errors name the file, line and key ==============================================


def test_column_mapped_to_a_non_field(tmp_path):
    m = manifest(tmp_path / "ws", '[workshop]\nname = "Acme ICP"\n\n[files]\ndeals = "opps.csv"\n\n'
                                  '[import.deals.columns]\n"Opp Result" = "stage"\n"Client" = "customer"\n')
    e = load_error(tmp_path / "ws")
    assert (e.file, e.line, e.key) == (str(m), 9, "import.deals.columns.Client")
    assert e.message == ("must name a deals field or \"ignore\" (fields: deal_id, deal_name, account_id, account_name, "
                         "domain, stage, amount, created, closed, use_case, segment, churned, nrr, expansion, ltv, cac), "
                         "not 'customer'")
    assert str(e).startswith(f"{m}:9: import.deals.columns.Client: must name a deals field")


def test_stage_mapped_to_maybe(tmp_path):
    m = manifest(tmp_path / "ws", '[workshop]\nname = "Acme ICP"\n\n[import.deals.stages]\n"Signed" = "won"\n'
                                  '"Walked away" = "maybe"\n')
    e = load_error(tmp_path / "ws")
    assert str(e) == f"{m}:6: import.deals.stages.Walked away: must be \"won\", \"lost\" or \"open\", not 'maybe'"


def test_dates_sideways(tmp_path):
    m = manifest(tmp_path / "ws", '[workshop]\nname = "x"\n\n[import.deals]\ndates = "sideways"\n')
    e = load_error(tmp_path / "ws")
    assert str(e) == f"{m}:5: import.deals.dates: must be \"day-first\" or \"month-first\", not 'sideways'"


def test_unknown_import_section(tmp_path):
    m = manifest(tmp_path / "ws", '[workshop]\nname = "Acme ICP"\n\n[import.contacts]\ncolumns = { "Email" = "email" }\n')
    e = load_error(tmp_path / "ws")
    assert str(e) == f"{m}:4: import.contacts: is not a file kind here (known keys: accounts, deals, lists)"


def test_unknown_import_section_written_with_its_subtable_names_the_line(tmp_path):
    manifest(tmp_path / "ws", '[workshop]\nname = "Acme ICP"\n\n[import.contacts.columns]\n"Email" = "email"\n')
    e = load_error(tmp_path / "ws")
    assert (e.key, e.line) == ("import.contacts", 4)


def test_unknown_unit_and_misspelt_key(tmp_path):
    m = manifest(tmp_path / "a", '[import.accounts.units]\nannual_revenue = "lakhs"\n')
    assert str(load_error(tmp_path / "a")) == (f"{m}:2: import.accounts.units.annual_revenue: unknown unit 'lakhs' "
                                              "(use one of: thousands, millions, billions, percent)")
    m = manifest(tmp_path / "b", '[import.lists]\ncolumn = {"Org" = "company"}\n')
    assert str(load_error(tmp_path / "b")) == f"{m}:2: import.lists.column: is not a key here (did you mean 'columns'?)"
    m = manifest(tmp_path / "c", '[import.lists.units]\nrank = "k"\n')  # lists have columns only
    e = load_error(tmp_path / "c")
    assert (e.line, e.key) == (1, "import.lists.units")
    assert e.message == "is not a key here (known keys: columns)"
    m = manifest(tmp_path / "d", '[import.deals.units]\nrevenue = "k"\n')
    e = load_error(tmp_path / "d")
    assert (e.line, e.key) == (2, "import.deals.units.revenue")
    assert e.message.startswith("is not a deals field (fields: deal_id, ")


def test_import_tables_read(tmp_path):
    manifest(tmp_path / "ws", '[import.accounts.columns]\n"Acct" = "name"\n"Notes" = "ignore"\n'
                              '[import.accounts.units]\nannual_revenue = "millions"\nemployees = 1000\n'
                              '[import.deals]\ndates = "Day-First"\n[import.deals.stages]\n"Signed" = " WON "\n'
                              '[import.lists.columns]\n"Org" = "company"\n')
    ws = Workshop.load(tmp_path / "ws")
    assert ws.settings("accounts") == ImportSettings(columns={"Acct": "name", "Notes": "ignore"},
                                                     units={"annual_revenue": 1e6, "employees": 1000.0},
                                                     unit_names={"annual_revenue": "millions", "employees": 1000})
    assert ws.settings("deals") == ImportSettings(stages={"Signed": "won"}, dates="day_first")
    assert ws.settings("lists") == ImportSettings(columns={"Org": "company"})


# == save_columns: comments and other tables kept ========================================================


HAND_WRITTEN = """\
# Acme's workshop: kept by hand
[workshop]
name = "Acme ICP"  # shown in the app

[files]
deals = "opps.csv"

# how the CRM export is read
[import.deals]
dates = "day-first"  # European export

[import.deals.stages]
"Signed" = "won"
"""


def test_save_columns_keeps_comments_and_other_tables(tmp_path):
    m = manifest(tmp_path / "ws", HAND_WRITTEN)
    save_columns(m, "deals", {"Opp Result": "stage", "Client": "account_name"})
    assert m.read_text(encoding="utf-8") == HAND_WRITTEN + (
        '\n[import.deals.columns]\n"Opp Result" = "stage"\nClient = "account_name"\n')
    save_columns(m, "accounts", {"Acct": "name"})
    assert m.read_text(encoding="utf-8") == HAND_WRITTEN + (
        '\n[import.deals.columns]\n"Opp Result" = "stage"\nClient = "account_name"\n\n'
        '[import.accounts.columns]\nAcct = "name"\n')
    ws = Workshop.load(tmp_path / "ws")
    assert ws.settings("deals") == ImportSettings(columns={"Opp Result": "stage", "Client": "account_name"},
                                                  stages={"Signed": "won"}, dates="day_first")
    assert ws.settings("accounts").columns == {"Acct": "name"}
    save_columns(m, "deals", {})  # removed
    assert m.read_text(encoding="utf-8") == HAND_WRITTEN + '\n[import.accounts.columns]\nAcct = "name"\n'
    save_columns(m, "accounts", {})
    assert m.read_text(encoding="utf-8") == HAND_WRITTEN + "\n"  # the emptied [import.accounts] leaves a blank line
    assert Workshop.load(tmp_path / "ws").settings("accounts") == ImportSettings()


def test_save_columns_unchanged_leaves_the_file_alone_and_a_change_keeps_the_header_comment(tmp_path):
    text = ('[workshop]\nname = "Acme ICP"\n\n[import.deals.columns]  # written by hand\n'
            '"Opp Result" = "stage"  # Salesforce custom field\n"Client" = "account_name"\n\n'
            '[import.deals.stages]\n"Signed" = "won"\n')
    m = manifest(tmp_path / "ws", text)
    save_columns(m, "deals", {"Opp Result": "stage", "Client": "account_name"})
    assert m.read_text(encoding="utf-8") == text
    save_columns(m, "deals", {"Opp Result": "stage", "Client": "account_name", "Booked (USD)": "amount"})
    assert m.read_text(encoding="utf-8") == (
        '[workshop]\nname = "Acme ICP"\n\n[import.deals.columns]  # written by hand\n'
        '"Opp Result" = "stage"\nClient = "account_name"\n"Booked (USD)" = "amount"\n\n'
        '[import.deals.stages]\n"Signed" = "won"\n')


def test_save_empty_columns_without_an_import_table_writes_nothing(tmp_path):
    m = manifest(tmp_path / "ws", HAND_WRITTEN.replace("[import.deals.stages]\n\"Signed\" = \"won\"\n", ""))
    before = m.read_bytes()
    save_columns(m, "lists", {})
    save_columns(m, "deals", {})
    assert m.read_bytes() == before


# == precedence: scorecard [import.columns] < workshop < command line ======================================


def test_accounts_precedence_scorecard_then_workshop_then_command_line(tmp_path):
    acc = write(tmp_path, "prec.csv", "Account Name,Acct,Legal Name,Revenue\nAcme,A1,Acme Robotics Inc,42\n")
    sc_path = write(tmp_path, "sc.toml", starter_scorecard(None) +
                    '\n[import.columns]\n"Acct" = "name"\n\n[import.units]\nannual_revenue = "thousands"\n')
    sc = ScorecardFile.open(sc_path).scorecard
    ws = ImportSettings(columns={"Legal Name": "name"}, units={"annual_revenue": 1e6})

    def read(*args, **kw):
        f = read_accounts_with(acc, *args, **kw)
        return f.mapping["name"], f.raw("name").to_pylist(), f.numbers("annual_revenue").values.tolist()

    assert read() == ("Account Name", ["Acme"], [42.0])
    assert read(None, sc) == ("Acct", ["A1"], [42_000.0])
    assert read(ws, sc) == ("Legal Name", ["Acme Robotics Inc"], [42_000_000.0])
    assert read(ws, sc, {"Account Name": "name"}, {"annual_revenue": 1e9}) == ("Account Name", ["Acme"], [42e9])


def test_command_line_wins_over_workshop_for_a_loosely_equal_header(tmp_path):
    acc = write(tmp_path, "hs.csv", "Company,Legal Name,Industry\nAcme,Acme Robotics Inc,Software\n")
    f = read_accounts_with(acc, ImportSettings(columns={"company": "ignore"}), None, {"Company": "name"})
    assert f.mapping["name"] == "Company"


def test_deals_precedence_workshop_then_command_line(tmp_path):
    p = write(tmp_path, "opps.csv", "Status,Result,Amount\nopen,Closed Won,10\nopen,Closed Lost,20\n")
    ws = ImportSettings(columns={"Status": "stage"})
    assert read_deals_with(p).mapping == {"stage": "Status", "amount": "Amount"}  # "status" comes first
    assert read_deals_with(p, ws).outcome_counts() == {"won": 0, "lost": 0, "open": 2}
    d = read_deals_with(p, ws, {"Result": "stage"})
    assert d.mapping == {"stage": "Result", "amount": "Amount"}
    assert d.outcome_counts() == {"won": 1, "lost": 1, "open": 0}


def test_list_read_with_the_workshop_columns(tmp_path):
    p = write(tmp_path, "mkt.csv", "Firm,Owner,Why\nAcme Robotics,Jo,Event lead\nBirch Analytics,Sam,\n")
    with pytest.raises(DataFileError):
        read_list_with(p, "Marketing")
    fl = read_list_with(p, "Marketing", ImportSettings(columns={"Firm": "company", "Owner": "ignore"}))
    assert [(e.text, e.reason) for e in fl.entries] == [("Acme Robotics", "Event lead"), ("Birch Analytics", "")]


# == the starter scorecard ============================================================================


def test_starter_scorecard_buckets_from_the_middle_half(tmp_path, exports):
    accounts = read_accounts(exports / "accounts.csv")
    text = starter_scorecard(accounts)
    lines = text.splitlines()
    # employees 12 40 55 80 120 200 450 900: p25 at 1.75 = 40 + .75*15 = 51.25 -> 51; p75 at 5.25 = 200 + .25*250 = 262.5 -> 260
    assert "# Company size: the middle half of the 8 accounts with a value (51 to 260)" in lines
    assert '  { gte = 51, lte = 260, points = 25, label = "51-260 employees" },' in lines
    assert '  { lt = 51, points = 5, label = "Under 51" },' in lines
    assert '  { gt = 260, points = 12, label = "Over 260" },' in lines
    # revenue (millions) 1.5 3 4.2 8 15 42.2 90 310: p25 = 3 + .75*1.2 = 3.9M; p75 = 42.2 + .25*47.8 = 54.15M -> 54M
    assert "# Annual revenue: the middle half of the 8 accounts with a value (3.9M to 54M)" in lines
    assert '  { gte = 3900000, lte = 54000000, points = 25, label = "3.9M-54M revenue" },' in lines
    assert '  { lt = 3900000, points = 5, label = "Under 3.9M" },' in lines
    assert '  { gt = 54000000, points = 12, label = "Over 54M" },' in lines
    # industry: 4 distinct values (Software 3, FinTech/fintech 2, Healthcare 2, Retail 1): the top 3, as first written
    assert '  { in = ["Software", "FinTech", "Healthcare"], points = 25, label = "Software / FinTech / Healthcare" },' in lines
    # country and funding stage: 3 distinct values each, so only 2 (never every value the column has)
    assert '  { in = ["United States", "United Kingdom"], points = 15, label = "United States / United Kingdom" },' in lines
    assert '  { in = ["Series A", "Series B"], points = 10, label = "Series A / Series B" },' in lines
    _, sc = parse_scorecard(text, "scorecard.toml")
    assert (sc.name, sc.version) == ("Starter ICP scorecard", "0.1")
    assert [(c.id, c.field, c.category, c.max_points) for c in sc.criteria] == [
        ("company_size", "employees", "firmographic", 25.0), ("revenue", "annual_revenue", "firmographic", 25.0),
        ("industry", "industry", "firmographic", 25.0), ("geography", "country", "geographic", 15.0),
        ("funding", "funding_stage", "firmographic", 10.0)]
    size, revenue = sc.criteria[0].buckets[0].matcher, sc.criteria[1].buckets[0].matcher
    assert (size.gte, size.lte, revenue.gte, revenue.lte) == (51, 260, 3_900_000, 54_000_000)
    assert [(b.min, b.label, b.tier) for b in sc.bands] == [(80, "Strong fit", "Tier 1"), (60, "Good fit", "Tier 2"),
                                                           (40, "Possible fit", "Tier 3"), (0, "Poor fit", "Pass")]
    p = write(tmp_path, "starter.toml", text)
    # clean but for what only the team can add: the accounts to avoid, and a validation on its deals
    assert [(f.severity, f.key) for f in lint_scorecard(ScorecardFile.open(p), accounts)] == [
        ("warning", "anti_personas"), ("info", "scorecard")]


def test_starter_scorecard_skips_what_cannot_tell_accounts_apart(tmp_path):
    # 3 employee values (fewer than 4), one industry only, two countries: one criterion (the top country)
    p = write(tmp_path, "a.csv", "Account Name,Employees,Industry,Country\nA,10,Software,France\nB,20,Software,France\n"
                                 "C,,Software,Spain\nD,30,software,France\n")
    text = starter_scorecard(read_accounts(p))
    _, sc = parse_scorecard(text)
    assert [(c.id, [b.label for b in c.buckets]) for c in sc.criteria] == [("geography", ["France", "Other sales territory"])]


def test_starter_scorecard_with_nothing_to_draw_from_is_still_valid(tmp_path):
    text = starter_scorecard(read_accounts(write(tmp_path, "names.csv", "Account Name\nAcme\nBirch\n")))
    assert text == starter_scorecard(None)
    _, sc = parse_scorecard(text)
    assert [(c.id, c.field, [b.points for b in c.buckets]) for c in sc.criteria] == [("company_size", "employees", [10, 0])]


# == create_workshop ====================================================================================


def test_check_new_problems(tmp_path, exports):
    manifest(tmp_path / "old", "[workshop]\n")
    (tmp_path / "a-file").write_text("x")
    assert check_new(NewWorkshop(tmp_path / "old", exports / "accounts.csv")) == [
        f"{tmp_path / 'old' / 'workshop.toml'} exists already: open it, or choose another folder"]
    assert check_new(NewWorkshop(tmp_path / "a-file", exports / "accounts.csv")) == [f"{tmp_path / 'a-file'} is a file, not a folder"]
    spec = NewWorkshop(tmp_path / "new", exports / "accounts.csv", exports / "nope.csv",
                       [("Sales", exports / "sales.csv"), ("sales ", exports / "cs.csv"), (" ", exports / "gone.csv")])
    assert check_new(spec) == [f"deals file {exports / 'nope.csv'} is not there",
                               f"  list file {exports / 'gone.csv'} is not there",
                               "two lists for sales: one list per function",
                               "each list needs a function name (FUNCTION=FILE)"]
    assert check_new(NewWorkshop(tmp_path / "new", exports / "accounts.csv", exports / "deals.csv")) == []


def test_create_workshop_copies_files_and_writes_the_manifest(tmp_path, exports):
    spec = NewWorkshop(tmp_path / "acme", exports / "accounts.csv", exports / "deals.csv",
                       [("Sales", exports / "sales.csv"), ("Customer Success", exports / "cs.csv")],
                       name="Acme Q3", organisation="Acme Robotics")
    created = create_workshop(spec)
    root = (tmp_path / "acme").resolve()
    ws = created.workshop
    assert (ws.root, ws.name, ws.organisation) == (root, "Acme Q3", "Acme Robotics")
    assert ws.files == {"accounts": root / "data/accounts.csv", "deals": root / "data/deals.csv",
                        "scorecard": root / "scorecard.toml", "assessments": root / "assessments",
                        "decisions": root / "decisions.toml"}
    assert [(fl.function, fl.path) for fl in ws.lists] == [("Sales", root / "lists/sales.csv"),
                                                           ("Customer Success", root / "lists/customer_success.csv")]
    assert (root / "data/accounts.csv").read_bytes() == (exports / "accounts.csv").read_bytes()
    assert (root / "data/deals.csv").read_bytes() == (exports / "deals.csv").read_bytes()
    assert (root / "lists/customer_success.csv").read_bytes() == CS_LIST.encode()
    assert (root / "scorecard.toml").read_text(encoding="utf-8") == starter_scorecard(read_accounts(exports / "accounts.csv"))
    assert (root / "assessments").is_dir() and not (root / "decisions.toml").exists()
    assert (root / "workshop.toml").read_text(encoding="utf-8") == manifest_text(
        "Acme Q3", "Acme Robotics",
        {"accounts": "data/accounts.csv", "deals": "data/deals.csv", "scorecard": "scorecard.toml",
         "assessments": "assessments", "decisions": "decisions.toml"},
        [("Sales", "lists/sales.csv"), ("Customer Success", "lists/customer_success.csv")])
    assert [r.kind for r in created.reports] == ["accounts", "deals"]
    assert created.reports[1].mapping() == {"deal_id": "opportunity_id", "account_name": "account", "stage": "deal_stage",
                                            "created": "engage_date", "closed": "close_date", "amount": "close_value"}
    assert created.warnings == []
    assert [(s.label, s.detail, s.problem) for s in summarise(ws)] == [
        ("Accounts", "8 accounts, 8 columns", ""),
        ("Deal history", "9 deals: 4 won, 3 lost, 2 open", ""),
        ("Scorecard", "Starter ICP scorecard v0.1: 5 criteria, 0 anti-personas", ""),
        ("Sales list", "2 accounts proposed", ""),
        ("Customer Success list", "2 accounts proposed", ""),
        ("Assessments", "0 self-assessments", ""),
    ]


def test_manifest_text_exactly():
    assert manifest_text("Q1", "Northwind", {"accounts": "data/accounts.csv"}, [("Sales", "lists/sales.csv")]) == (
        "# A workshop made by `icp workshop new`. Paths are relative to this folder.\n"
        "\n"
        "[workshop]\n"
        'name = "Q1"\n'
        'organisation = "Northwind"\n'
        "\n"
        "[files]\n"
        'accounts = "data/accounts.csv"\n'
        "\n"
        "[[lists]]\n"
        'function = "Sales"\n'
        'file = "lists/sales.csv"\n'
        "\n"
        "# How the files' columns are read, when a header is not one the importer knows:\n"
        "# [import.deals.columns]\n"
        '# "Opp Result" = "stage"         # header as written = field (or "ignore")\n'
        "# [import.deals.stages]\n"
        '# "Signed" = "won"               # a stage as written = won, lost or open\n'
        "# [import.deals]\n"
        '# dates = "day-first"            # or "month-first"\n'
        "# [import.accounts.units]\n"
        '# annual_revenue = "millions"\n'
        "# The app's Columns screen (home screen, key c) writes the columns tables for you.\n")


def test_create_workshop_refuses_an_existing_workshop(tmp_path, exports):
    m = manifest(tmp_path / "acme", '[workshop]\nname = "Mine"\n')
    with pytest.raises(WorkshopError) as e:
        create_workshop(NewWorkshop(tmp_path / "acme", exports / "accounts.csv"))
    assert str(e.value) == f"{tmp_path / 'acme'}: {m} exists already: open it, or choose another folder"
    assert m.read_text() == '[workshop]\nname = "Mine"\n'
    assert sorted(p.name for p in (tmp_path / "acme").iterdir()) == ["workshop.toml"]


def test_create_workshop_writes_nothing_when_a_list_is_bad(tmp_path, exports):
    bad = write(exports, "mkt.csv", "Firm,Owner,Why\nAcme,Jo,Lead\n")
    spec = NewWorkshop(tmp_path / "acme", exports / "accounts.csv", exports / "deals.csv",
                       [("Sales", exports / "sales.csv"), ("Marketing", bad)])
    with pytest.raises(DataFileError) as e:
        create_workshop(spec)
    assert e.value.file is not None and e.value.file.endswith("mkt.csv") and e.value.line == 1
    assert not (tmp_path / "acme").exists()


def test_create_workshop_writes_nothing_when_the_deals_file_is_empty(tmp_path, exports):
    empty = write(exports, "empty.csv", "")
    with pytest.raises(DataFileError):
        create_workshop(NewWorkshop(tmp_path / "acme", exports / "accounts.csv", empty))
    assert not (tmp_path / "acme").exists()


def test_create_workshop_without_copying_names_files_where_they_are(tmp_path, exports):
    inside = write(tmp_path / "acme", "crm/opps.csv", KAGGLE_DEALS)  # already in the folder
    created = create_workshop(NewWorkshop(tmp_path / "acme", exports / "accounts.csv", inside,
                                          [("Sales", exports / "sales.csv")], copy=False))
    text = (tmp_path / "acme" / "workshop.toml").read_text(encoding="utf-8")
    assert '[files]\naccounts = "../exports/accounts.csv"\ndeals = "crm/opps.csv"\nscorecard = "scorecard.toml"\n' in text
    assert '[[lists]]\nfunction = "Sales"\nfile = "../exports/sales.csv"\n' in text
    assert created.workshop.file("accounts") == (exports / "accounts.csv").resolve()
    assert created.workshop.file("deals") == inside.resolve()
    assert sorted(p.name for p in (tmp_path / "acme").iterdir()) == ["assessments", "crm", "scorecard.toml", "workshop.toml"]


def test_create_workshop_with_a_scorecard_copies_it(tmp_path, exports):
    own = write(tmp_path, "ours.toml", starter_scorecard(None, name="Our ICP"))
    created = create_workshop(NewWorkshop(tmp_path / "acme", exports / "accounts.csv", scorecard=own))
    assert (tmp_path / "acme" / "scorecard.toml").read_bytes() == own.read_bytes()
    assert [(s.label, s.detail) for s in summarise(created.workshop)][2] == ("Scorecard", "Our ICP v0.1: 1 criteria, 0 anti-personas")


def test_create_workshop_warns_about_stages_it_cannot_read(tmp_path, exports):
    created = create_workshop(NewWorkshop(tmp_path / "acme", exports / "accounts.csv", exports / "opps.csv"))
    assert created.warnings == [f"{exports / 'opps.csv'}: column 'Opp Result': 6 deals with a stage that reads as neither "
                                "won, lost nor open: 'signed' (3), 'walked away' (3); left out"]


def test_two_functions_with_the_same_slug_keep_their_own_lists(tmp_path, exports):
    emea = write(exports, "emea.csv", "Company\nAcme Robotics\n")
    other = write(exports, "other.csv", "Company\nBirch Analytics\n")
    created = create_workshop(NewWorkshop(tmp_path / "acme", exports / "accounts.csv", None,
                                          [("Sales (EMEA)", emea), ("Sales EMEA", other)]))
    paths = [fl.path for fl in created.workshop.lists]
    assert paths[0] != paths[1]
    assert [read_list_with(fl.path, fl.function).entries[0].text for fl in created.workshop.lists] == [
        "Acme Robotics", "Birch Analytics"]


# == the command line ===================================================================================


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def new_workshop(capsys, folder: Path, exports: Path, *extra: str, deals: str = "deals.csv") -> tuple[int, str, str]:
    return run(capsys, "workshop", "new", str(folder), "--accounts", str(exports / "accounts.csv"),
               "--deals", str(exports / deals), *extra)


KAGGLE_BANDS = [  # fit: Acme 50, Birch 60, Cobalt 100, Dune 85, Ember 100, Fjord 100, Garnet 74 (Harbor 49: open)
    "band           deals  won  win rate   mean ACV  median cycle    NRR",
    "Strong fit         4    2       50%       $300       54 days      –",  # (550 + 49) / 2; cycles 39 41 66 82
    "Good fit           2    1       50%     $4,514       68 days      –",
    "Possible fit       1    1      100%     $1,054       56 days      –",
    "Poor fit           0    0         –          –             –      –",
]


def test_cli_workshop_new_then_load_summarise_and_validate(tmp_path, exports, capsys):
    folder = tmp_path / "acme"
    code, out, err = new_workshop(capsys, folder, exports, "--lists", f"Sales={exports / 'sales.csv'}",
                                  f"Customer Success={exports / 'cs.csv'}", "--name", "Acme Q3", "--org", "Acme Robotics")
    assert (code, out) == (0, "")
    assert err.splitlines()[-1] == f"icp: workshop 'Acme Q3' created in {folder.resolve()}: open it with  icp open {folder}"
    assert f"{exports / 'deals.csv'}: deals file, 8 columns" in err.splitlines()
    assert "icp: warning" not in err
    ws = Workshop.load(folder)
    assert (ws.name, ws.organisation, [fl.function for fl in ws.lists]) == ("Acme Q3", "Acme Robotics", ["Sales", "Customer Success"])
    assert [f"{s.label}: {s.detail}" for s in summarise(ws)] == [
        "Accounts: 8 accounts, 8 columns", "Deal history: 9 deals: 4 won, 3 lost, 2 open",
        "Scorecard: Starter ICP scorecard v0.1: 5 criteria, 0 anti-personas", "Sales list: 2 accounts proposed",
        "Customer Success list: 2 accounts proposed", "Assessments: 0 self-assessments"]
    code, out, err = run(capsys, "validate", "-w", str(folder))
    assert code == 1  # 7 closed deals fail the "at least 20-30" check
    lines = out.splitlines()
    assert lines[:2] == ["Validation of Starter ICP scorecard v0.1", "7 closed deals (4 won, 3 lost), 2 open"]
    assert "  FAIL  Closed deals to learn from: 7 (target: at least 20-30)" in lines
    assert "AUC of the fit score against won/lost: 0.250" in lines  # wins 50 60 85 100 against losses 100 100 74: 3/12
    start = lines.index(KAGGLE_BANDS[0])
    assert lines[start:start + 5] == KAGGLE_BANDS
    assert err == ""


def test_cli_workshop_new_with_link_and_scorecard(tmp_path, exports, capsys):
    own = write(tmp_path, "ours.toml", starter_scorecard(None, name="Our ICP"))
    code, _, _ = new_workshop(capsys, tmp_path / "acme", exports, "--link", "--scorecard", str(own))
    assert code == 0
    ws = Workshop.load(tmp_path / "acme")
    assert ws.files["accounts"] == (exports / "accounts.csv").resolve()
    assert ws.files["scorecard"] == own.resolve()
    assert not (tmp_path / "acme" / "data").exists()
    assert '[files]\naccounts = "../exports/accounts.csv"\ndeals = "../exports/deals.csv"\nscorecard = "../ours.toml"\n' \
        in (tmp_path / "acme" / "workshop.toml").read_text(encoding="utf-8")


def test_cli_workshop_new_usage_errors(tmp_path, exports, capsys):
    code, _, err = new_workshop(capsys, tmp_path / "acme", exports, "--lists", "Sales")
    assert code == 2
    assert err.splitlines()[-1] == "icp: error: --lists: a list is FUNCTION=FILE (e.g. Sales=sales.csv), not 'Sales'"
    with pytest.raises(SystemExit) as e:
        main(["workshop", "new", str(tmp_path / "acme"), "-a", str(exports / "accounts.csv"), "--scorecard", "x.toml",
              "--template", "".join(["star", "ter"])])  # not the interned default: argparse sees it as given
    assert e.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == "icp workshop new: error: argument --template: not allowed with argument --scorecard/-s"
    assert not (tmp_path / "acme").exists()
    manifest(tmp_path / "old", "[workshop]\n")
    code, _, err = new_workshop(capsys, tmp_path / "old", exports)
    assert code == 1
    assert err == (f"icp: error: {tmp_path / 'old'}: {tmp_path / 'old' / 'workshop.toml'} exists already: "
                   "open it, or choose another folder\n")


def test_cli_validate_needs_a_scorecard_or_a_workshop(exports, capsys):
    code, out, err = run(capsys, "validate", "--deals", str(exports / "deals.csv"))
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == "icp: error: --scorecard FILE is needed (or -w DIR, a workshop that names its scorecard file)"


OPPS_COUNTS = "6 closed deals (3 won, 3 lost), 1 open"
OPPS_BANDS = [  # Acme won 12,500 (fit 50); Birch won 8,000 (60); Dune won 30,000 (85); no close date: no cycle
    "band           deals  won  win rate   mean ACV  median cycle    NRR",
    "Strong fit         3    1       33%    $30,000             –      –",
    "Good fit           2    1       50%     $8,000             –      –",
    "Possible fit       1    1      100%    $12,500             –      –",
    "Poor fit           0    0         –          –             –      –",
]
STAGES = '\n[import.deals.stages]\n"Signed" = "won"\n"Walked away" = "lost"\n'
COLUMNS = ('\n[import.deals]\ndates = "day-first"\n\n[import.deals.columns]\n"Opp Result" = "stage"\n'
           '"Client" = "account_name"\n"Booked (USD)" = "amount"\n"Opened On" = "created"\n')


def test_unforeseen_deal_headers_mapped_three_ways_give_the_same_figures(tmp_path, exports, capsys):
    folder = tmp_path / "acme"
    code, _, err = new_workshop(capsys, folder, exports, deals="opps.csv")
    assert code == 0
    assert (f"icp: warning: {exports / 'opps.csv'}: column 'Opp Result': 6 deals with a stage that reads as neither won, "
            "lost nor open: 'signed' (3), 'walked away' (3); left out") in err.splitlines()
    m = folder / "workshop.toml"
    base = m.read_text(encoding="utf-8")

    # 1. all in workshop.toml: [import.deals] dates, columns and stages
    m.write_text(base + COLUMNS + STAGES, encoding="utf-8")
    ws = Workshop.load(folder)
    assert ws.settings("deals") == ImportSettings(
        columns={"Opp Result": "stage", "Client": "account_name", "Booked (USD)": "amount", "Opened On": "created"},
        stages={"Signed": "won", "Walked away": "lost"}, dates="day_first")
    by_workshop = read_deals_with(ws.file("deals"), ws.settings("deals"))
    _, out_workshop, err_workshop = run(capsys, "validate", "-w", str(folder))
    assert "neither won, lost nor open" not in err_workshop and "dates read" not in err_workshop

    # 2. and 3. the stages in workshop.toml (no flag says them), the columns on the command line
    m.write_text(base + STAGES, encoding="utf-8")
    ws = Workshop.load(folder)
    flags = {"Opp Result": "stage", "Booked (USD)": "amount", "Opened On": "created"}
    by_flags = read_deals_with(ws.file("deals"), ws.settings("deals"), flags)
    _, out_map, err_map = run(capsys, "validate", "-w", str(folder), *[a for h, f in flags.items() for a in ("--map", f"deals:{h}={f}")])
    _, out_deals_map, _ = run(capsys, "validate", "-w", str(folder), *[a for h, f in flags.items() for a in ("--deals-map", f"{h}={f}")])
    assert (f"icp: warning: {ws.file('deals')}: column 'Opened On': dates read day-first (13/04/2024 and 4 more show it)"
            in err_map.splitlines())

    for d in (by_workshop, by_flags):
        assert d.outcome_counts() == {"won": 3, "lost": 3, "open": 1}
        assert d.frame["outcome"].astype(object).tolist() == ["won", "won", "lost", "won", "lost", "open", "lost"]
        assert np.array_equal(d.frame["amount"].to_numpy(), [12500.0, 8000.0, 0.0, 30000.0, np.nan, 5000.0, 0.0], equal_nan=True)
        assert float(np.nansum(d.frame["amount"].to_numpy()[d.frame["outcome"].astype(object).to_numpy() == "won"])) == 50500.0
        assert [str(x)[:10] for x in d.frame["created"]] == ["2024-04-13", "2024-05-02", "2024-06-21", "2024-01-15",
                                                             "2024-03-03", "2024-02-28", "2024-07-30"]
    for out in (out_workshop, out_map, out_deals_map):
        lines = out.splitlines()
        assert lines[1] == OPPS_COUNTS
        start = lines.index(OPPS_BANDS[0])
        assert lines[start:start + 5] == OPPS_BANDS
    assert out_workshop == out_map == out_deals_map


def test_cli_deals_map_to_a_non_field_is_a_usage_error(tmp_path, exports, capsys):
    new_workshop(capsys, tmp_path / "acme", exports, deals="opps.csv")
    code, _, err = run(capsys, "validate", "-w", str(tmp_path / "acme"), "--map", "deals:Client=customer")
    assert code == 2
    assert err.splitlines()[-1].startswith("icp: error: deals map Client=customer: 'customer' is not a deal field (use one of: deal_id, ")
    code, _, err = run(capsys, "validate", "-w", str(tmp_path / "acme"), "--deals-map", "Outcome=stage")
    assert code == 2
    assert err.splitlines()[-1] == (f"icp: error: --deals-map Outcome=...: {(tmp_path / 'acme' / 'data' / 'deals.csv').resolve()} "
                                    "has no column 'Outcome' (headers: 'Opp Ref', 'Opp Result', 'Client', 'Booked (USD)', 'Opened On')")


def test_cli_columns_with_kind_workshop_and_map(tmp_path, exports, capsys):
    manifest(tmp_path / "ws", '[import.deals.columns]\n"Opened On" = "created"\n"Client" = "ignore"\n')
    code, out, err = run(capsys, "columns", str(exports / "opps.csv"), "--kind", "deals", "-w", str(tmp_path / "ws"),
                         "--map", "Booked (USD)=amount", "--map", "Opp Ref=deal_id")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{exports / 'opps.csv'}: deals file, 5 columns",
        "  Opp Ref       → deal_id (set by you); e.g. 'OPP-001', 'OPP-002', 'OPP-003'",
        "  Opp Result    → stage (known header 'result' after 'opp'); e.g. 'Signed', 'Walked away', 'Pipeline'",
        "  Client        → not read; e.g. 'Acme Robotics', 'Birch Analytics', 'Cobalt Health'",
        "  Booked (USD)  → amount (set by you); e.g. '12,500', '8000', '0'",
        "  Opened On     → created (set by you); e.g. '13/04/2024', '02/05/2024', '21/06/2024'",
        "  not found: deal_name, account_id, account_name, domain, closed, use_case, segment, churned, nrr, expansion, ltv, cac",
    ]


def test_cli_columns_guesses_the_kind(exports, capsys):
    code, out, err = run(capsys, "columns", str(exports / "sales.csv"))
    assert code == 0
    assert out.splitlines() == [f"{exports / 'sales.csv'}: list file, 2 columns",
                                "  Org  → company (known header); e.g. 'Acme Robotics', 'Fjord Systems'",
                                "  Why  → reason (known header); e.g. 'Fleet renewal', 'Met at SaaStr'",
                                "  not found: website, rank"]
    assert err == "icp: read as a list file (say --kind accounts, deals or list to choose)\n"


def test_revenue_in_millions_without_a_unit_header_is_warned_and_fixed_by_the_workshop(tmp_path, exports, capsys):
    folder = tmp_path / "hs"
    code, _, err = run(capsys, "workshop", "new", str(folder), "-a", str(exports / "hubspot_companies.csv"))
    assert code == 0
    # median of 1.5 3 4.2 8 15 42.2 90 310 is (8 + 15) / 2 = 11.5
    assert (f"icp: warning: {exports / 'hubspot_companies.csv'}: column 'Annual Revenue': the median annual revenue is 11.5, "
            "which looks like thousands or millions, not dollars: set annual_revenue = \"millions\" in [import.accounts.units] of workshop.toml or [import.units] of the scorecard "
            "(or --unit annual_revenue=millions)") in err.splitlines()
    # the starter drew the revenue buckets from the numbers as written: p25 3.9, p75 54.15 -> 54
    starter = (folder / "scorecard.toml").read_text(encoding="utf-8")
    assert '  { gte = 3.9, lte = 54, points = 25, label = "3.9-54 revenue" },' in starter.splitlines()
    with open(folder / "workshop.toml", "a", encoding="utf-8") as fh:
        fh.write('\n[import.accounts.units]\nannual_revenue = "millions"\n')
    ws = Workshop.load(folder)
    acc = read_accounts_with(ws.file("accounts"), ws.settings("accounts"))
    assert acc.numbers("annual_revenue").values.tolist() == [1.5e6, 3e6, 4.2e6, 8e6, 15e6, 42.2e6, 90e6, 310e6]
    assert acc.report_lines() == []


def test_revenue_header_in_millions_is_read_silently_and_correctly(tmp_path, exports, capsys):
    code, _, err = run(capsys, "workshop", "new", str(tmp_path / "sf"), "-a", str(exports / "accounts.csv"))
    assert code == 0
    assert "icp: warning" not in err
    assert "  Annual Revenue (in millions)  → annual_revenue (known header 'annual revenue', written in millions); " \
           "e.g. '1.5', '3', '4.2'" in err.splitlines()
    ws = Workshop.load(tmp_path / "sf")
    acc = read_accounts_with(ws.file("accounts"), ws.settings("accounts"))
    assert acc.numbers("annual_revenue").values.tolist() == [1.5e6, 3e6, 4.2e6, 8e6, 15e6, 42.2e6, 90e6, 310e6]
    assert acc.report_lines() == []


def test_cli_segments_with_a_workshop(tmp_path, exports, capsys):
    folder = tmp_path / "acme"
    new_workshop(capsys, folder, exports)
    code, out, err = run(capsys, "segments", "-w", str(folder))
    assert (code, out) == (1, "")
    assert err == (f"icp: error: {folder.resolve() / 'data' / 'deals.csv'}: has 7 closed deals (won or lost) with a matching "
                   "account; at least 20 are needed to compare wins with losses\n")
    # three deals per account (Won 1,000, Won 3,000, Lost 0), 60 days each: 24 closed, 16 won, 8 lost
    names = [line.split(",")[1] for line in SF_ACCOUNTS.splitlines()[1:]]
    rows = [KAGGLE_DEALS.splitlines()[0]]
    for i, name in enumerate(n for n in names for _ in range(3)):
        stage, value = (("Won", 1000), ("Won", 3000), ("Lost", 0))[i % 3]
        rows.append(f"OPP{i + 1:03d},Moses Frase,GTXPro,{name},{stage},2024-01-{i + 1:02d},2024-03-{i + 1:02d},{value}")
    write(folder / "data", "deals.csv", "\n".join(rows) + "\n")
    code, out, err = run(capsys, "segments", "-w", str(folder), "-k", "2")
    assert code == 0
    lines = out.splitlines()
    assert lines[:5] == [f"Deal history: {folder.resolve() / 'data' / 'deals.csv'} with {folder.resolve() / 'data' / 'accounts.csv'}",
                         "24 closed deals (16 won, 8 lost) with a matching account", "",
                         "Wins against losses (16 won, 8 lost)",
                         "                                wins      losses  difference"]
    assert lines[5:9] == [
        "  Deal size (ACV)             $2,000          $0  +$2,000",
        "  Sales cycle (days)         60 days     60 days  +0 (+0%)",  # Jan n to Mar n 2024: 31 + 29 days
        "  Employees                      232         232  +0 (+0%)",  # 1,857 / 8
        "  Annual revenue                $59M        $59M  +$0 (+0%)",  # 473.9M / 8
    ]
    # the starter's Strong fit (80+): Cobalt 100, Dune 85, Ember 100, Fjord 100: 8 of the 16 wins, 8 x $2,000
    assert ("  Closed-won: 8 of 16 deals inside the ICP (50%), $16,000 of $32,000 (50%); falls short of the 70% goal"
            in lines)


# == the installed sample is never edited ================================================================


def test_sample_copy_is_made_once_in_the_data_dir(sample_dir):
    dest = sample_copy()
    assert dest == data_dir() / "sample-workshop"
    assert (dest / "workshop.toml").read_bytes() == (sample_dir / "workshop.toml").read_bytes()
    assert not (dest / "generate.py").exists() and not (dest / "make_assessments.py").exists()
    (dest / "decisions.toml").write_text("# mine\n")
    assert sample_copy() == dest
    assert (dest / "decisions.toml").read_text() == "# mine\n"


def test_copy_tree_atomically_makes_a_read_only_tree_writable(tmp_path):
    src = tmp_path / "src"
    write(src, "workshop.toml", "[workshop]\n")
    write(src, "lists/sales.csv", "Company\nAcme\n")
    write(src, "__pycache__/x.pyc", "")
    for p in [*src.rglob("*"), src]:
        p.chmod(p.stat().st_mode & ~0o222)
    try:
        copy_tree_atomically(src, tmp_path / "dest")
    finally:
        for p in [src, *src.rglob("*")]:
            p.chmod(p.stat().st_mode | 0o200)
    assert sorted(str(p.relative_to(tmp_path / "dest")) for p in (tmp_path / "dest").rglob("*")) == [
        "lists", "lists/sales.csv", "workshop.toml"]
    assert all(p.stat().st_mode & 0o200 for p in [tmp_path / "dest", *(tmp_path / "dest").rglob("*")])
    assert not list(tmp_path.glob(".dest.tmp-*"))
    copy_tree_atomically(src, tmp_path / "dest")  # already there: kept as it is
    assert (tmp_path / "dest" / "workshop.toml").read_text() == "[workshop]\n"


def _hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def test_read_only_install_is_left_untouched(tmp_path):
    install = tmp_path / "install"
    shutil.copytree(ROOT / "icp_tui", install / "icp_tui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "sample_data", install / "sample_data", ignore=shutil.ignore_patterns("__pycache__"))
    before = _hashes(install)
    data, state, cwd = tmp_path / "data", tmp_path / "state", tmp_path / "elsewhere"
    cwd.mkdir()
    subprocess.run(["chmod", "-R", "a-w", str(install)], check=True)
    try:
        env = {**os.environ, "PYTHONPATH": str(install), "ICP_TUI_DATA_DIR": str(data), "ICP_TUI_STATE_DIR": str(state),
               "PYTHONDONTWRITEBYTECODE": "1"}
        code = ("import icp_tui; print(icp_tui.__file__); "
                "from icp_tui.engine.workshop.manifest import last_or_sample; print(last_or_sample())")
        for _ in range(2):  # the second run finds the copy made by the first
            done = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            assert done.stdout.splitlines() == [str(install / "icp_tui" / "__init__.py"), str(data / "sample-workshop")]
        after = _hashes(install)
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(install)], check=True)
    assert after == before
    assert "sample_data/workshop.toml" in before
    copy = data / "sample-workshop"
    assert (copy / "workshop.toml").read_bytes() == (install / "sample_data" / "workshop.toml").read_bytes()
    assert (copy / "accounts.csv").read_bytes() == (install / "sample_data" / "accounts.csv").read_bytes()
    assert not (copy / "generate.py").exists()
    assert all(p.stat().st_mode & 0o200 for p in [copy, *copy.rglob("*")])
    ws = Workshop.load(copy)
    assert ws.root == copy.resolve() and ws.name == "Sample ICP workshop"
