"""Deal files as CRMs write them: dates read one way per column, amounts with a decimal comma or point.

Every expected date, cycle and amount is worked out by hand from the cell text.
"""

from __future__ import annotations

import math

import numpy as np

from icp_tui.engine.history.deals import read_deals


def _days(frame, col):
    return [None if np.isnat(v) else str(v) for v in frame[col].to_numpy().astype("datetime64[D]")]


def test_hubspot_us_export_reads_month_first(tmp_path):
    p = tmp_path / "hubspot-deals.csv"
    p.write_bytes(b"Deal Name,Deal Stage,Amount,Create Date,Close Date\r\n"
                  b'Acme - Renewal,Closed Won,"$1,200.50",01/15/2024,04/13/2024\r\n'
                  b"Beta - New,Closed Lost,$950,03/04/2024,03/05/2024\r\n"
                  b'Gamma - New,Closed Won,"12,000",02/01/2024,12/31/2024\r\n')
    deals = read_deals(p)
    assert _days(deals.frame, "created") == ["2024-01-15", "2024-03-04", "2024-02-01"]
    assert _days(deals.frame, "closed") == ["2024-04-13", "2024-03-05", "2024-12-31"]
    # Jan 15 -> Apr 13 2024 (a leap year): 16 + 29 + 31 + 13; Mar 4 -> Mar 5; Feb 1 (day 32) -> Dec 31 (day 366)
    assert deals.frame["cycle_days"].tolist() == [89, 1, 334]
    assert deals.frame["amount"].tolist() == [1200.5, 950.0, 12000.0]
    assert deals.date_notes == [
        "column 'Create Date': dates read month-first (01/15/2024 shows it)",
        "column 'Close Date': dates read month-first (04/13/2024 and 1 more show it)",
    ]
    assert deals.report_lines() == deals.date_notes


def test_salesforce_european_export_reads_day_first_and_decimal_commas(tmp_path):
    p = tmp_path / "salesforce-deals.csv"
    p.write_bytes("\ufeffOpportunity Name;Account Name;Stage;Amount;Created Date;Close Date\r\n"
                  "Müller - Lizenz;Müller GmbH;Closed Won;1.234,56;13.01.2024;05.03.2024\r\n"
                  "Société - Projet;Société Générale;Closed Lost;12.500,00;03.02.2024;28.02.2024\r\n"
                  "Łódź - Pilot;Łódź Sp. z o.o.;Negotiation;980;02.03.2024;\r\n".encode("utf-8"))
    deals = read_deals(p)
    assert deals.frame["account_name"].tolist() == ["Müller GmbH", "Société Générale", "Łódź Sp. z o.o."]
    assert deals.frame["amount"].tolist() == [1234.56, 12500.0, 980.0]
    assert _days(deals.frame, "created") == ["2024-01-13", "2024-02-03", "2024-03-02"]
    assert _days(deals.frame, "closed") == ["2024-03-05", "2024-02-28", None]
    cycle = deals.frame["cycle_days"].tolist()  # Jan 13 (day 13) -> Mar 5 (day 65); Feb 3 -> Feb 28
    assert cycle[:2] == [52, 25] and math.isnan(cycle[2])
    assert deals.outcome_counts() == {"won": 1, "lost": 1, "open": 1}
    assert deals.report_lines() == [
        "column 'Created Date': dates read day-first (13.01.2024 shows it)",
        "column 'Close Date': dates read day-first (28.02.2024 shows it)",
    ]


def test_cp1250_deals_file(tmp_path):
    p = tmp_path / "pl-deals.csv"
    p.write_bytes("Account Name;Stage;Amount;Close Date\n"
                  "Łódź Sp. z o.o.;Closed Won;12 500;31.01.2024\n"
                  "Žilina a.s.;Closed Lost;1.000,5;01.02.2024\n".encode("cp1250"))
    deals = read_deals(p)
    assert deals.info.encoding == "cp1250"
    assert deals.frame["account_name"].tolist() == ["Łódź Sp. z o.o.", "Žilina a.s."]
    assert _days(deals.frame, "closed") == ["2024-01-31", "2024-02-01"]
    amount = deals.frame["amount"].tolist()
    assert math.isnan(amount[0]) and amount[1] == 1000.5  # a space between thousands is not read
    assert deals.report_lines() == [
        "read as cp1250 (Windows Central European), not UTF-8: if letters look wrong (Ã© for é), save the file as CSV UTF-8",
        "column 'Amount': 1 value not read as a number (rows 2; e.g. '12 500'); treated as unknown",
        "column 'Close Date': dates read day-first (31.01.2024 shows it)",
    ]


def test_dates_that_read_both_ways_are_read_month_first_and_said(tmp_path):
    p = tmp_path / "deals.csv"
    p.write_bytes(b"Account Name,Stage,Close Date\n"
                  b"A,Won,03/04/2024\nB,Lost,05/06/2024\nC,Won,07/08/2024\nD,Won,01/01/2024\n")
    deals = read_deals(p)
    assert _days(deals.frame, "closed") == ["2024-03-04", "2024-05-06", "2024-07-08", "2024-01-01"]
    assert deals.report_lines() == [
        "column 'Close Date': 3 dates like 03/04/2024 could be day-first or month-first; read month-first"]


def test_a_date_against_the_column_order_is_not_guessed(tmp_path):
    p = tmp_path / "deals.csv"
    p.write_bytes(b"Account Name,Stage,Close Date\n"
                  b"A,Won,13/04/2024\nB,Lost,14/04/2024\nC,Won,04/13/2024\nD,Won,03/04/2024\n")
    deals = read_deals(p)
    assert _days(deals.frame, "closed") == ["2024-04-13", "2024-04-14", None, "2024-04-03"]
    assert deals.report_lines() == [
        "column 'Close Date': 1 value not read as a date (rows 4; e.g. '04/13/2024'); treated as unknown",
        "column 'Close Date': dates read day-first (13/04/2024 and 1 more show it); 1 date written month-first "
        "(e.g. 04/13/2024) contradicts that and is treated as unknown",
    ]


def test_iso_dates_and_missing_markers_say_nothing(tmp_path):
    p = tmp_path / "deals.csv"
    p.write_bytes(b"Account Name,Stage,Created Date,Close Date\n"
                  b"A,Won,2024-01-05T09:30:00Z,2024-03-01\nB,Lost,2024-02-01,n/a\nC,Open,5-Jan-2024,\n")
    deals = read_deals(p)
    assert _days(deals.frame, "created") == ["2024-01-05", "2024-02-01", "2024-01-05"]
    assert _days(deals.frame, "closed") == ["2024-03-01", None, None]
    assert deals.frame["created"].dtype == np.dtype("datetime64[ns]")
    assert deals.date_notes == []
    assert deals.report_lines() == []


def test_nrr_typed_as_a_percentage_number_is_read_as_a_percentage_and_said(tmp_path):
    # 110 is 110% (1.10), not an NRR of 11,000%: left as it was it made the LTV estimate (1 - r^5)/(1 - r)
    # about 148 million years of ACV
    p = tmp_path / "deals.csv"
    p.write_text("Deal,Account,Stage,Amount,NRR\n1,A,Won,100,110\n2,B,Won,100,1.2\n3,C,Lost,100,95%\n4,D,Won,100,3\n")
    deals = read_deals(p)
    assert deals.frame["nrr"].round(4).tolist() == [1.1, 1.2, 0.95, 3.0]  # 3 (300%) is the largest fraction kept
    assert "column 'NRR': 1 NRR value above 3 read as percentages (e.g. 110 -> 110%)" in deals.report_lines()
