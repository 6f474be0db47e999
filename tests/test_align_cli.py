"""``icp align`` end to end, each run in a new process (``python -m icp_tui align ...``).

The runs start together (start-up is most of their time) and are checked one by one.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from icp_tui.engine.alignment.tal import TAL_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
LISTS = ["Sales=sample_data/lists/sales.csv", "Marketing=sample_data/lists/marketing.csv",
         "Customer Success=sample_data/lists/customer_success.csv", "Product=sample_data/lists/product.csv",
         "Finance=sample_data/lists/finance.csv"]
CONTEXT = ["--accounts", "sample_data/accounts.csv", "-s", "sample_data/scorecard.toml", "--deals", "sample_data/deals.csv"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("align")
    (tmp / "decisions.toml").write_text('[rule]\nmin_votes = 3\nbands = ["Strong fit", "Good fit"]\njoin = "or"\n',
                                        encoding="utf-8")
    commands = {
        "full": [*LISTS, *CONTEXT, "--min-votes", "3", "-o", str(tmp / "tal.csv")],
        "missing": ["Sales=sample_data/lists/sales.csv", "Marketing=sample_data/lists/nope.csv"],
        "bare": LISTS,
        "decisions": [*LISTS, *CONTEXT, "--decisions", str(tmp / "decisions.toml")],
        "stems": ["sample_data/lists/sales.csv", "sample_data/lists/customer_success.csv"],
    }
    env = {**os.environ, "ICP_TUI_STATE_DIR": str(tmp / "state")}
    procs = {k: subprocess.Popen([sys.executable, "-m", "icp_tui", "align", *args], cwd=ROOT, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE) for k, args in commands.items()}
    out = {}
    for k, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=60)
        out[k] = (proc.returncode, stdout.decode("utf-8"), stderr.decode("utf-8"))
    out["tal"] = tmp / "tal.csv"
    return out


def section(text: str, title: str) -> list[str]:
    """The lines of one section of the report: from the line starting with ``title`` to the blank line."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return lines[start:end]


def test_full_run_exit_and_sections(runs):
    code, out, err = runs["full"]
    assert code == 0, err
    titles = ["Overlap (shared accounts; Jaccard below the diagonal)",
              "Rank agreement (rank-biased overlap, p = 0.9; – where a list has no ranks)",
              "Each function's list, scored with the shared scorecard",
              "Consensus (proposed by 3+ functions): 24", "Contested: 78", "Orphans (one function only): 115",
              "Matches to confirm: 2", "TAL: 79 accounts (Nurture 1, Tier 1 58, Tier 2 20)"]
    starts = [out.index(t) for t in titles]
    assert starts == sorted(starts)
    assert err.splitlines() == [  # the sample's messy values are said, not hidden
        "icp: warning: sample_data/accounts.csv: column 'Employees': 12 values not read as a number (rows 371, 443, 461, "
        "714, 955, …; e.g. 'approx 1100', 'approx 400', 'approx 100'); treated as unknown",
        "icp: warning: sample_data/accounts.csv: column 'Annual Revenue': 11 values not read as a number (rows 151, 153, "
        "319, 328, 402, …; e.g. 'tbd', 'TBD'); treated as unknown",
        f"icp: 79 accounts on the TAL written to {runs['tal']}",
    ]


def test_full_run_overlap(runs):
    _, out, _ = runs["full"]
    # Jaccard = shared / (a + b - shared): S-CS 40/(62+50-40) = .56; M-F 6/(74+48-6) = .05; S-F 5/105 = .05;
    # S-M 18/(62+74-18) = .15; S-P 25/(62+56-25) = .27; P-F 15/(56+48-15) = .17
    assert section(out, "Overlap") == [
        "Overlap (shared accounts; Jaccard below the diagonal)",
        "                   Sales   Marketing  Customer S     Product     Finance",
        "Sales                 62          18          40          25           5",
        "Marketing           0.15          74          17          18           6",
        "Customer S          0.56        0.16          50          20           7",
        "Product             0.27        0.16        0.23          56          15",
        "Finance             0.05        0.05        0.08        0.17          48",
    ]


def test_full_run_rank_agreement_and_fit(runs):
    _, out, _ = runs["full"]
    rbo = section(out, "Rank agreement")
    assert rbo[2] == "Sales               1.00        0.24        0.36        0.33           –"
    assert rbo[-1] == "Finance                –           –           –           –           –"  # Finance has no ranks
    fit = section(out, "Each function's list")
    assert fit[1].split() == ["function", "accounts", "mean", "fit", "top", "2", "bands", "anti-persona", "band", "win",
                              "rate", "band", "ACV"]
    assert [line.split()[-6] for line in fit[2:]] == ["62", "74", "50", "56", "48"]  # entries per list


def test_full_run_consensus_contested_confirm(runs):
    _, out, _ = runs["full"]
    cons = section(out, "Consensus")
    assert cons[1] == "  Acme Inc. (5: Sales, Marketing, Customer Success, Product, Finance; fit 100.0)"
    # the five on all lists by fit, then name: Acme, Cevovia, Globex, Terkamo Cloud at 100.0, then Zaritex GmbH
    # (1,165 -> 20; $318M -> 20; SaaS -> 15; 32% -> 5; Snowflake -> 5; Germany -> 6; Revenue analytics -> 10: 81/85)
    assert cons[5] == "  Zaritex GmbH (5: Sales, Marketing, Customer Success, Product, Finance; fit 95.3)"
    assert cons[-1] == "  … and 9 more"  # 24 - 15 shown
    cont = section(out, "Contested")
    # The Blue Collective GmbH (3 lists, fit 95.3, the first by votes then fit): 6th of 56 on Product (.11),
    # 47th of 62 on Sales (.76): gap .65
    assert cont[1] == "  The Blue Collective GmbH: ranked 6 by Product, 47 by Sales"
    assert cont[-1] == "  … and 63 more"  # 78 - 15 shown
    assert section(out, "Matches to confirm") == [
        "Matches to confirm: 2",
        "  Sales: tandem co. -> same name 'tandem' as 2 accounts; check which one",
        "  Marketing: Falconleaf Systems -> similar name 'falconleaf systems' ~ 'falconhaven systems' (81.1)",
    ]


def test_full_run_tal_csv(runs):
    text = runs["tal"].read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0] == ",".join(TAL_COLUMNS)
    assert len(rows) == 79
    # the summary line's tiers, counted from the file
    assert Counter(r["tier"] or "Unscored" for r in rows) == {"Tier 1": 58, "Tier 2": 20, "Nurture": 1}
    # every row is there by the rule (3+ votes or a Strong/Good fit, never excluded), nothing decided
    assert all(r["status"] == "proposed" and r["excluded"] == "" and r["decision"] == "" for r in rows)
    assert all(int(r["votes"]) >= 3 or r["band"] in ("Strong fit", "Good fit") for r in rows)
    assert all(r["tier"] == {"Strong fit": "Tier 1", "Good fit": "Tier 2", "Weak fit": "Nurture", "": ""}[r["band"]]
               for r in rows)
    # the one weak fit is there by its votes: Anchor Cart Corp (employees unknown; $74M -> 20; E-commerce -> 5;
    # -10% -> 0; Salesforce Marketing Cloud is not Salesforce -> 0; US -> 10; Revenue analytics -> 10: 45/85)
    assert [(r["name"], r["fit_score"], r["votes"]) for r in rows if r["band"] == "Weak fit"] == [
        ("Anchor Cart Corp", "52.9", "3")]
    assert rows[0]["account_id"] == "ACC-00018" and rows[0]["name"] == "Acme Inc."
    assert rows[0]["ranks"] == "Sales 19; Marketing 21; Customer Success 26; Product 12"
    assert rows[0]["proposed_by"] == "Sales; Marketing; Customer Success; Product; Finance"


def test_missing_list_file(runs):
    code, out, err = runs["missing"]
    assert code == 1
    assert out == ""
    assert err == "icp: error: sample_data/lists/nope.csv: file not found\n"


def test_without_accounts_every_entry_is_new(runs):
    code, out, err = runs["bare"]
    assert code == 0, err
    # Without a universe, an entry is keyed by its domain (URL, e-mail, Website column) or else its name.
    #   Sales ∩ Finance = 0: Finance rows mostly have a website, and no Finance row without one is on Sales
    #   Marketing ∩ Finance = 2: "terkamocloud.io" / "Terkamo Cloud L.L.C." with website terkamocloud.io, and
    #   "Territex Apps" on both (the Finance row has no website)
    #   Sales ∩ Customer Success = 19 (40 with accounts.csv): e.g. "Juniper Limited" / "Juniper Ltd" meet by name,
    #   "Terkamo Cloud" / "terkamocloud.io" do not
    assert section(out, "Overlap")[2:] == [
        "Sales                 62          16          19          18           0",
        "Marketing           0.13          74           8          13           2",
        "Customer S          0.20        0.07          50          10           3",
        "Product             0.18        0.11        0.10          56          10",
        "Finance             0.00        0.02        0.03        0.11          48",
    ]
    assert section(out, "Each function's list")[2] == \
        "Sales                    62        –           –            0             –         –"
    assert "Consensus (proposed by 2+ functions): 51" in out
    assert "Contested: 3" in out and "Orphans (one function only): 166" in out
    assert "Matches to confirm" not in out
    assert out.rstrip().endswith("TAL: 51 accounts (Unscored 51)")
    assert err == ""


def test_function_names_from_file_names(runs):
    code, out, err = runs["stems"]
    assert code == 0, err
    assert section(out, "Overlap")[1:] == [
        "                   Sales  Customer S",
        "Sales                 62          19",
        "Customer S          0.20          50",
    ]


def test_decisions_file_rule_applies(runs):
    code, out, err = runs["decisions"]
    assert code == 0, err
    assert "Consensus (proposed by 3+ functions): 24" in out
