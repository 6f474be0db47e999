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

from icp_tui.engine.tal import TAL_COLUMNS

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
              "Consensus (proposed by 3+ functions): 24", "Contested: 80", "Orphans (one function only): 116",
              "Matches to confirm: 5", "TAL: 80 accounts (Tier 1 58, Tier 2 21, Unscored 1)"]
    starts = [out.index(t) for t in titles]
    assert starts == sorted(starts)
    assert err.strip() == f"icp: 80 accounts on the TAL written to {runs['tal']}"


def test_full_run_overlap(runs):
    _, out, _ = runs["full"]
    # Jaccard = shared / (a + b - shared): S-CS 38/(62+50-38) = .51; M-F 5/(74+48-5) = .04; S-F 10/100 = .10;
    # S-M 19/(62+74-19) = .16; S-P 25/(62+56-25) = .27; P-F 11/(56+48-11) = .12
    assert section(out, "Overlap") == [
        "Overlap (shared accounts; Jaccard below the diagonal)",
        "                   Sales   Marketing  Customer S     Product     Finance",
        "Sales                 62          19          38          25          10",
        "Marketing           0.16          74          14          21           5",
        "Customer S          0.51        0.13          50          17           8",
        "Product             0.27        0.19        0.19          56          11",
        "Finance             0.10        0.04        0.09        0.12          48",
    ]


def test_full_run_rank_agreement_and_fit(runs):
    _, out, _ = runs["full"]
    rbo = section(out, "Rank agreement")
    assert rbo[2] == "Sales               1.00        0.25        0.45        0.30           –"
    assert rbo[-1] == "Finance                –           –           –           –           –"  # Finance has no ranks
    fit = section(out, "Each function's list")
    assert fit[1].split() == ["function", "accounts", "mean", "fit", "top", "2", "bands", "anti-persona", "band", "win",
                              "rate", "band", "ACV"]
    assert [line.split()[-6] for line in fit[2:]] == ["62", "74", "50", "56", "48"]  # entries per list


def test_full_run_consensus_contested_confirm(runs):
    _, out, _ = runs["full"]
    cons = section(out, "Consensus")
    assert cons[1] == "  Acme Inc. (5: Sales, Marketing, Customer Success, Product, Finance; fit 100.0)"
    assert cons[5] == "  The River Collective Co. (5: Sales, Marketing, Customer Success, Product, Finance; fit 88.2)"
    assert cons[-1] == "  … and 9 more"  # 24 - 15 shown
    cont = section(out, "Contested")
    # Northline Labs: 5th of 74 on Marketing (.07), 40th of 50 on Customer Success (.80): gap .73
    assert cont[1] == "  Northline Labs: ranked 5 by Marketing, 40 by Customer Success"
    assert cont[-1] == "  … and 65 more"
    assert section(out, "Matches to confirm") == [
        "Matches to confirm: 5",
        "  Sales: vantage ltd -> same name 'vantage' as 2 accounts; check which one",
        "  Sales: Crystallight Ltd -> similar name 'crystallight' ~ 'crystallight cloud' (80)",
        "  Marketing: Torlovo Ltd -> similar name 'torlovo' ~ 'torvovo' (85.7)",
        "  Marketing: Vantage Ltd -> same name 'vantage' as 2 accounts; check which one",
        "  Customer Success: Vantage Ltd -> same name 'vantage' as 2 accounts; check which one",
    ]


def test_full_run_tal_csv(runs):
    text = runs["tal"].read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0] == ",".join(TAL_COLUMNS)
    assert len(rows) == 80
    # the summary line's tiers, counted from the file
    assert Counter(r["tier"] or "Unscored" for r in rows) == {"Tier 1": 58, "Tier 2": 21, "Unscored": 1}
    # every row is there by the rule (3+ votes or a Strong/Good fit, never excluded), nothing decided
    assert all(r["status"] == "proposed" and r["excluded"] == "" and r["decision"] == "" for r in rows)
    assert all(int(r["votes"]) >= 3 or r["band"] in ("Strong fit", "Good fit") for r in rows)
    assert all(r["tier"] == {"Strong fit": "Tier 1", "Good fit": "Tier 2", "": ""}[r["band"]] for r in rows)
    assert rows[0]["account_id"] == "ACC-00018" and rows[0]["name"] == "Acme Inc."
    assert rows[0]["ranks"] == "Sales 5; Marketing 10; Customer Success 21; Product 1"
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
    #   Sales ∩ Finance = 2: "Cedarforge Apps"/"CEDARFORGE APPS" and "Territex Apps" (Finance rows with no website)
    #   Marketing ∩ Finance = 1: "rivercollective.jp" / "The River Collective Co." with website rivercollective.jp
    assert section(out, "Overlap")[2:] == [
        "Sales                 62          17          21          14           2",
        "Marketing           0.14          74           8           8           1",
        "Customer S          0.23        0.07          50           6           3",
        "Product             0.13        0.07        0.06          56           5",
        "Finance             0.02        0.01        0.03        0.05          48",
    ]
    assert section(out, "Each function's list")[2] == \
        "Sales                    62        –           –            0             –         –"
    assert "Consensus (proposed by 2+ functions): 56" in out
    assert "Contested: 5" in out and "Orphans (one function only): 164" in out
    assert "Matches to confirm" not in out
    assert out.rstrip().endswith("TAL: 56 accounts (Unscored 56)")
    assert err == ""


def test_function_names_from_file_names(runs):
    code, out, err = runs["stems"]
    assert code == 0, err
    assert section(out, "Overlap")[1:] == [
        "                   Sales  Customer S",
        "Sales                 62          21",
        "Customer S          0.23          50",
    ]


def test_decisions_file_rule_applies(runs):
    code, out, err = runs["decisions"]
    assert code == 0, err
    assert "Consensus (proposed by 3+ functions): 24" in out
