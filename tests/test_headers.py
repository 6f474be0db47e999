"""Which column holds which field: the headers real CRM exports write, guessed in four passes, with units.

Every file is written to ``tmp_path`` in the shape the CRM writes it (Salesforce report, HubSpot
companies export, Pipedrive "Deal - Value" export, the Kaggle/Maven CRM sales-pipeline table).
"""

from __future__ import annotations

import numpy as np
import pytest

from icp_tui.engine.alignment.lists import read_function_list
from icp_tui.engine.core.accounts import read_accounts
from icp_tui.engine.core.errors import DataFileError
from icp_tui.engine.core.headers import Mapped, describe_mapping, guess_kind, guess_mapping, header_key
from icp_tui.engine.core.tables import read_table
from icp_tui.engine.history.deals import read_deals


def write(tmp_path, name: str, text: str):
    p = tmp_path / name
    p.write_bytes(text.encode("utf-8"))
    return p


def fields(guess: dict[str, Mapped]) -> dict[str, tuple[str, str, str]]:
    return {f: (m.header, m.how, m.unit) for f, m in guess.items()}


# -- header keys -----------------------------------------------------------------------------------


def test_header_key_lower_cases_and_collapses_punctuation():
    assert header_key("Annual Revenue (in millions)") == "annual revenue in millions"
    assert header_key("Deal - Value") == "deal value"
    assert header_key("  Country/Region ") == "country region"
    assert header_key("close_value") == "close value"
    assert header_key("Revenue ($000s)") == "revenue 000s"


# -- pass 2: known headers, as the CRMs write them ------------------------------------------------------


def test_salesforce_account_report_headers():
    headers = ["Account ID", "Account Name", "Website", "Industry", "Employees", "Annual Revenue", "Billing Country",
               "Billing State/Province", "Account Owner"]
    assert fields(guess_mapping("accounts", headers)) == {
        "account_id": ("Account ID", "known header", ""),
        "name": ("Account Name", "known header", ""),
        "domain": ("Website", "known header", ""),
        "industry": ("Industry", "known header", ""),
        "employees": ("Employees", "known header", ""),
        "annual_revenue": ("Annual Revenue", "known header", ""),
        "country": ("Billing Country", "known header", ""),
        "region": ("Billing State/Province", "known header", ""),
    }


def test_hubspot_companies_export_headers():
    headers = ["Record ID", "Company name", "Company Domain Name", "Industry", "Number of Employees", "Annual Revenue",
               "Country/Region", "City", "Lifecycle Stage"]
    assert fields(guess_mapping("accounts", headers)) == {
        "account_id": ("Record ID", "known header", ""),
        "name": ("Company name", "known header", ""),
        "domain": ("Company Domain Name", "known header", ""),
        "industry": ("Industry", "known header", ""),
        "employees": ("Number of Employees", "known header", ""),
        "annual_revenue": ("Annual Revenue", "known header", ""),
        "country": ("Country/Region", "known header", ""),
    }


def test_hubspot_deals_export_headers():
    headers = ["Record ID", "Deal Name", "Deal Stage", "Amount", "Close Date", "Create Date", "Associated Company", "Deal owner"]
    assert fields(guess_mapping("deals", headers)) == {
        "deal_id": ("Record ID", "known header", ""),
        "deal_name": ("Deal Name", "known header", ""),
        "stage": ("Deal Stage", "known header", ""),
        "amount": ("Amount", "known header", ""),
        "closed": ("Close Date", "known header", ""),
        "created": ("Create Date", "known header", ""),
        "account_name": ("Associated Company", "known header", ""),
    }


def test_kaggle_maven_crm_sales_pipeline_headers():
    headers = ["opportunity_id", "sales_agent", "product", "account", "deal_stage", "engage_date", "close_date", "close_value"]
    assert fields(guess_mapping("deals", headers)) == {
        "deal_id": ("opportunity_id", "known header", ""),
        "account_name": ("account", "known header", ""),
        "stage": ("deal_stage", "known header", ""),
        "created": ("engage_date", "known header", ""),
        "closed": ("close_date", "known header", ""),
        "amount": ("close_value", "known header", ""),
    }


# -- pass 3: a known header after an entity prefix (Pipedrive) --------------------------------------------


def test_pipedrive_deal_export_headers():
    headers = ["Deal - ID", "Deal - Title", "Deal - Value", "Deal - Currency", "Deal - Status", "Organization - Name",
               "Deal - Won time", "Deal - Deal created", "Deal - Expected close date"]
    assert fields(guess_mapping("deals", headers)) == {
        "deal_id": ("Deal - ID", "known header", ""),  # "deal id" is itself a known header
        "deal_name": ("Deal - Title", "known header", ""),
        "amount": ("Deal - Value", "known header", ""),
        "stage": ("Deal - Status", "known header", ""),
        "account_name": ("Organization - Name", "known header", ""),
        "closed": ("Deal - Won time", "known header 'won time' after 'deal'", ""),
        "created": ("Deal - Deal created", "known header 'deal created' after 'deal'", ""),
    }


def test_prefix_only_strips_entity_words():
    # "Opp Result" is "result" after "opp"; "Booked (USD)" and "Opened On" are no known header at all
    assert fields(guess_mapping("deals", ["Opp Result", "Client", "Booked (USD)", "Opened On"])) == {
        "account_name": ("Client", "known header", ""),
        "stage": ("Opp Result", "known header 'result' after 'opp'", ""),
    }
    # "Sales - Value": "sales" is not an entity prefix
    assert guess_mapping("deals", ["Sales - Value"]) == {}


def test_pipedrive_organisation_export_for_accounts():
    headers = ["Organization - Name", "Organization - Industry", "Organization - Number of employees", "Organization - Owner"]
    assert fields(guess_mapping("accounts", headers)) == {
        "name": ("Organization - Name", "known header", ""),  # "organization name" is a known header
        "industry": ("Organization - Industry", "known header 'industry' after 'organization'", ""),
        "employees": ("Organization - Number of employees", "known header 'number of employees' after 'organization'", ""),
    }


# -- pass 4: known header followed by currency / unit words ---------------------------------------------------


def test_unit_and_currency_words_after_a_known_header():
    headers = ["Account Name", "Annual Revenue (in millions)", "Employees (k)", "Growth Rate (pct)"]
    assert fields(guess_mapping("accounts", headers)) == {
        "name": ("Account Name", "known header", ""),
        "annual_revenue": ("Annual Revenue (in millions)", "known header 'annual revenue', written in millions", "millions"),
        "employees": ("Employees (k)", "known header 'employees', written in thousands", "thousands"),
        "growth_rate": ("Growth Rate (pct)", "known header 'growth rate', written in percent", "percent"),
    }


def test_currency_alone_names_no_unit():
    assert fields(guess_mapping("deals", ["Amount (EUR)"])) == {"amount": ("Amount (EUR)", "known header 'amount'", "")}
    assert fields(guess_mapping("accounts", ["Revenue ($000s)"])) == {
        "annual_revenue": ("Revenue ($000s)", "known header 'revenue', written in thousands", "thousands")}
    assert fields(guess_mapping("accounts", ["Revenue (EUR, m)"])) == {
        "annual_revenue": ("Revenue (EUR, m)", "known header 'revenue', written in millions", "millions")}
    assert fields(guess_mapping("deals", ["ARR (USD k)"])) == {
        "amount": ("ARR (USD k)", "known header 'arr', written in thousands", "thousands")}


def test_unknown_words_after_a_known_header_are_not_a_unit():
    # "Revenue Forecast" is not revenue in some unit; "Amount Paid Out" neither
    assert guess_mapping("accounts", ["Revenue Forecast"]) == {}
    assert guess_mapping("deals", ["Amount Paid Out"]) == {}


def test_exact_header_wins_over_the_same_field_with_a_unit():
    guess = guess_mapping("accounts", ["Annual Revenue (in millions)", "Annual Revenue"])
    assert fields(guess) == {"annual_revenue": ("Annual Revenue", "known header", "")}


# -- pass 5: similar headers --------------------------------------------------------------------------


def test_similar_header_by_ratio():
    # ratio("industy", "industry") = 2*7/15 = 93.3; ratio("emploees", "employees") = 2*8/17 = 94.1
    assert fields(guess_mapping("accounts", ["Industy", "Emploees"])) == {
        "employees": ("Emploees", "similar to 'employees' (94)", ""),
        "industry": ("Industy", "similar to 'industry' (93)", ""),
    }


def test_below_the_threshold_or_too_short_is_not_guessed():
    # ratio("vertcl", "vertical") = 2*6/14 = 85.7 < 90; "Cty" is shorter than 4 letters
    assert guess_mapping("accounts", ["Vertcl", "Cty"]) == {}


# -- pass 1: the user's overrides -----------------------------------------------------------------------


def test_override_matches_header_loosely_and_wins():
    guess = guess_mapping("accounts", ["Acct", "Account Name", "Industry"], {"ACCT ": "name"})
    assert fields(guess) == {"name": ("Acct", "set by you", ""), "industry": ("Industry", "known header", "")}


def test_ignore_frees_the_field_for_another_header():
    guess = guess_mapping("accounts", ["Industry", "Sector", "Account Name"], {"Industry": "ignore"})
    assert fields(guess) == {"industry": ("Sector", "known header", ""), "name": ("Account Name", "known header", "")}


def test_ignored_header_is_not_guessed_by_similarity_either():
    assert guess_mapping("accounts", ["Industy"], {"Industy": "ignore"}) == {}


def test_override_of_a_header_the_file_does_not_have_is_skipped():
    guess = guess_mapping("deals", ["Stage", "Amount"], {"Opp Result": "stage"})
    assert fields(guess) == {"stage": ("Stage", "known header", ""), "amount": ("Amount", "known header", "")}


def test_two_headers_given_one_field_the_later_wins_and_the_earlier_is_unread():
    guess = guess_mapping("deals", ["Status", "Result", "Amount"], {"Status": "stage", "Result": "stage"})
    assert fields(guess) == {"stage": ("Result", "set by you", ""), "amount": ("Amount", "known header", "")}


def test_guess_kind():
    assert guess_kind(["Opp Result", "Client"]) == "deals"
    assert guess_kind(["Account Name", "Industry", "Employees"]) == "accounts"
    assert guess_kind(["Org", "Why"]) == "list"
    assert guess_kind(["Company", "Rank", "Reason"]) == "list"


# -- describe_mapping ---------------------------------------------------------------------------------


KAGGLE = (
    "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"
    "1C1I7A6R,Moses Frase,GTX Plus Basic,Cancity,Won,2016-10-20,2017-03-01,1054\n"
    "Z063OYW0,Darcel Schlecht,GTXPro,Isdom,Won,2016-10-25,2017-03-11,4514\n"
    "EC4QE1BX,Darcel Schlecht,MG Special,Cancity,Engaging,2016-10-25,,\n"
    "MV1LWRNH,Moses Frase,GTX Basic,Codehow, Won ,2016-10-25,2017-03-07,50\n"
)


def test_describe_mapping_of_a_kaggle_crm_file(tmp_path):
    p = write(tmp_path, "sales_pipeline.csv", KAGGLE)
    table, _ = read_table(p)
    report = describe_mapping("deals", table, "sales_pipeline.csv")
    assert [(c.header, c.field, c.how, c.samples) for c in report.columns] == [
        ("opportunity_id", "deal_id", "known header", ["1C1I7A6R", "Z063OYW0", "EC4QE1BX"]),
        ("sales_agent", None, "", ["Moses Frase", "Darcel Schlecht"]),
        ("product", None, "", ["GTX Plus Basic", "GTXPro", "MG Special"]),
        ("account", "account_name", "known header", ["Cancity", "Isdom", "Codehow"]),
        ("deal_stage", "stage", "known header", ["Won", "Engaging"]),  # " Won " trimmed: the same sample
        ("engage_date", "created", "known header", ["2016-10-20", "2016-10-25"]),
        ("close_date", "closed", "known header", ["2017-03-01", "2017-03-11", "2017-03-07"]),
        ("close_value", "amount", "known header", ["1054", "4514", "50"]),
    ]
    assert report.missing == ["deal_name", "account_id", "domain", "use_case", "segment", "churned", "nrr",
                              "expansion", "ltv", "cac"]
    assert report.mapping() == {"deal_id": "opportunity_id", "account_name": "account", "stage": "deal_stage",
                                "created": "engage_date", "closed": "close_date", "amount": "close_value"}
    assert report.lines() == [
        "sales_pipeline.csv: deals file, 8 columns",
        "  opportunity_id  → deal_id (known header); e.g. '1C1I7A6R', 'Z063OYW0', 'EC4QE1BX'",
        "  sales_agent     → not read; e.g. 'Moses Frase', 'Darcel Schlecht'",
        "  product         → not read; e.g. 'GTX Plus Basic', 'GTXPro', 'MG Special'",
        "  account         → account_name (known header); e.g. 'Cancity', 'Isdom', 'Codehow'",
        "  deal_stage      → stage (known header); e.g. 'Won', 'Engaging'",
        "  engage_date     → created (known header); e.g. '2016-10-20', '2016-10-25'",
        "  close_date      → closed (known header); e.g. '2017-03-01', '2017-03-11', '2017-03-07'",
        "  close_value     → amount (known header); e.g. '1054', '4514', '50'",
        "  not found: deal_name, account_id, domain, use_case, segment, churned, nrr, expansion, ltv, cac",
    ]


def test_describe_mapping_with_overrides_units_and_a_blank_column(tmp_path):
    p = write(tmp_path, "acc.csv", "Acct,Annual Revenue (in millions),Notes\nAcme,42.2,\nBeta,3,\n")
    table, _ = read_table(p)
    report = describe_mapping("accounts", table, "acc.csv", {"Acct": "name", "Notes": "ignore"})
    assert [(c.header, c.field, c.how, c.unit, c.samples) for c in report.columns] == [
        ("Acct", "name", "set by you", "", ["Acme", "Beta"]),
        ("Annual Revenue (in millions)", "annual_revenue", "known header 'annual revenue', written in millions", "millions",
         ["42.2", "3"]),
        ("Notes", None, "", "", []),
    ]
    assert report.lines() == [
        "acc.csv: accounts file, 3 columns",
        "  Acct                          → name (set by you); e.g. 'Acme', 'Beta'",
        "  Annual Revenue (in millions)  → annual_revenue (known header 'annual revenue', written in millions); e.g. '42.2', '3'",
        "  Notes                         → not read; e.g. (all blank)",
        "  not found: account_id, domain, industry, sub_industry, employees, growth_rate, funding_stage, founded_year, "
        "country, region, tech_stack, use_case, intent_score",
    ]


# -- units applied when reading accounts ------------------------------------------------------------


SF_MILLIONS = (
    "Account ID,Account Name,Industry,Annual Revenue (in millions),Billing Country\n"
    "0015g00000A1,Acme Robotics,Software,42.2,United States\n"
    "0015g00000A2,Birch Analytics,FinTech,1.5,United States\n"
    "0015g00000A3,Cobalt Health,Healthcare,3,United Kingdom\n"
    "0015g00000A4,Dune Logistics,Logistics,8,Germany\n"
    "0015g00000A5,Ember Pay,FinTech,15,United Kingdom\n"
)
HS_NO_UNIT = SF_MILLIONS.replace("Annual Revenue (in millions)", "Annual Revenue")


def test_header_unit_in_millions_is_applied(tmp_path):
    frame = read_accounts(write(tmp_path, "sf.csv", SF_MILLIONS))
    assert frame.mapping["annual_revenue"] == "Annual Revenue (in millions)"
    assert frame.units == {"annual_revenue": 1_000_000.0}
    assert frame.numbers("annual_revenue").values.tolist() == [42_200_000.0, 1_500_000.0, 3_000_000.0, 8_000_000.0,
                                                                15_000_000.0]
    assert frame.unit_doubts() == []
    assert frame.report_lines() == []


def test_unit_set_by_the_user_wins_over_the_header(tmp_path):
    frame = read_accounts(write(tmp_path, "sf.csv", SF_MILLIONS), units={"annual_revenue": 1000.0})
    assert frame.units == {"annual_revenue": 1000.0}
    assert frame.numbers("annual_revenue").values.tolist() == [42_200.0, 1_500.0, 3_000.0, 8_000.0, 15_000.0]


def test_revenue_in_millions_without_a_unit_header_is_doubted(tmp_path):
    frame = read_accounts(write(tmp_path, "sf.csv", HS_NO_UNIT))
    assert frame.units == {}
    assert frame.numbers("annual_revenue").values.tolist() == [42.2, 1.5, 3.0, 8.0, 15.0]
    # median of 1.5, 3, 8, 15, 42.2 is 8
    assert frame.unit_doubts() == [
        "column 'Annual Revenue': the median annual revenue is 8, which looks like thousands or millions, not dollars: "
        "set annual_revenue = \"millions\" in [import.accounts.units] of workshop.toml or [import.units] of the scorecard (or --unit annual_revenue=millions)"]
    assert frame.report_lines() == frame.unit_doubts()
    fixed = read_accounts(write(tmp_path, "sf.csv", HS_NO_UNIT), units={"annual_revenue": 1e6})
    assert fixed.numbers("annual_revenue").values.tolist() == [42_200_000.0, 1_500_000.0, 3_000_000.0, 8_000_000.0,
                                                                15_000_000.0]
    assert fixed.unit_doubts() == []


def test_confirming_a_unit_header_keeps_its_unit(tmp_path):
    frame = read_accounts(write(tmp_path, "sf.csv", SF_MILLIONS), {"Annual Revenue (in millions)": "annual_revenue"})
    assert frame.numbers("annual_revenue").values.tolist() == [42_200_000.0, 1_500_000.0, 3_000_000.0, 8_000_000.0,
                                                                15_000_000.0]


# -- deal dates: the day/month order ---------------------------------------------------------------------


DAY_FIRST_DEALS = (
    "Opp Result,Client,Booked (USD),Opened On\n"
    "Signed,Acme Robotics,12500,13/04/2024\n"
    "Walked away,Birch Analytics,8000,02/05/2024\n"
    "Pipeline,Cobalt Health,,21/06/2024\n"
)


def test_deal_dates_decided_day_first_from_the_values(tmp_path):
    d = read_deals(write(tmp_path, "opps.csv", DAY_FIRST_DEALS), column_map={"Opened On": "created"})
    assert [str(x)[:10] for x in d.frame["created"]] == ["2024-04-13", "2024-05-02", "2024-06-21"]
    assert d.date_notes == ["column 'Opened On': dates read day-first (13/04/2024 and 1 more show it)"]


def test_deal_dates_forced_month_first_leaves_day_first_values_unknown(tmp_path):
    d = read_deals(write(tmp_path, "opps.csv", DAY_FIRST_DEALS), column_map={"Opened On": "created"}, date_order="month_first")
    assert [str(x)[:10] for x in d.frame["created"]] == ["NaT", "2024-02-05", "NaT"]
    assert d.date_notes == ["column 'Opened On': dates read month-first as set; 2 dates written the other way "
                            "(e.g. 13/04/2024) treated as unknown"]
    assert [(i.column, i.field, i.count, i.rows) for i in d.issues] == [("Opened On", "created", 2, [2, 4])]


def test_deal_dates_forced_day_first_reads_ambiguous_dates_day_first_without_a_note(tmp_path):
    text = "Stage,Account Name,Created Date\nClosed Won,Acme,03/04/2024\nClosed Lost,Beta,05/06/2024\n"
    d = read_deals(write(tmp_path, "sf_opps.csv", text), date_order="day_first")
    assert [str(x)[:10] for x in d.frame["created"]] == ["2024-04-03", "2024-06-05"]
    assert d.date_notes == []
    auto = read_deals(write(tmp_path, "sf_opps.csv", text))
    assert [str(x)[:10] for x in auto.frame["created"]] == ["2024-03-04", "2024-05-06"]
    assert auto.date_notes == ["column 'Created Date': 2 dates like 03/04/2024 could be day-first or month-first; "
                               "read month-first"]


def test_deal_dates_forced_day_first_with_one_month_first_value(tmp_path):
    text = "Stage,Account Name,Close Date\nClosed Won,Acme,13/04/2024\nClosed Lost,Beta,04/14/2024\n"
    d = read_deals(write(tmp_path, "opps.csv", text), date_order="day_first")
    assert [str(x)[:10] for x in d.frame["closed"]] == ["2024-04-13", "NaT"]
    assert d.date_notes == ["column 'Close Date': dates read day-first as set; 1 date written the other way "
                            "(e.g. 04/14/2024) treated as unknown"]


def test_deal_stage_map_and_amounts(tmp_path):
    d = read_deals(write(tmp_path, "opps.csv", DAY_FIRST_DEALS),
                   {"signed": "won", "WALKED AWAY": "Lost"}, {"Booked (USD)": "amount"})
    assert d.frame["outcome"].astype(object).tolist() == ["won", "lost", "open"]
    assert d.outcome_counts() == {"won": 1, "lost": 1, "open": 1}
    assert np.array_equal(d.frame["amount"].to_numpy(), np.array([12500.0, 8000.0, np.nan]), equal_nan=True)
    assert d.unmapped_stages == {}
    plain = read_deals(write(tmp_path, "opps.csv", DAY_FIRST_DEALS))
    assert plain.outcome_counts() == {"won": 0, "lost": 0, "open": 1}
    assert plain.unmapped_stages == {"signed": 1, "walked away": 1}


def test_deal_stage_mapped_to_a_non_outcome_is_refused(tmp_path):
    with pytest.raises(DataFileError) as e:
        read_deals(write(tmp_path, "opps.csv", DAY_FIRST_DEALS), {"Signed": "maybe"})
    assert e.value.message == "stage 'Signed' is mapped to 'maybe'; use won, lost or open"


# -- function lists ------------------------------------------------------------------------------------


def test_list_with_org_and_why(tmp_path):
    p = write(tmp_path, "sales.csv", "Org,Why\nAcme Robotics,Fleet renewal in Q3\n,\nbirch.com,Warm intro\n")
    fl = read_function_list(p, "Sales")
    assert fl.function == "Sales"
    assert [(e.text, e.rank, e.reason, e.website) for e in fl.entries] == [
        ("Acme Robotics", None, "Fleet renewal in Q3", ""), ("birch.com", None, "Warm intro", "")]
    assert not fl.ranked


def test_list_whose_one_other_column_holds_the_companies(tmp_path):
    # "Firm" is no known header: it is the one column that is not the rank or the reason
    p = write(tmp_path, "cs.csv", "Priority,Firm,Notes\n1,Acme Robotics,Expansion\n#2,Cobalt Health,\n,Dune Logistics,Churn risk\n")
    fl = read_function_list(p, "Customer Success")
    assert [(e.text, e.rank, e.reason) for e in fl.entries] == [
        ("Acme Robotics", 1, "Expansion"), ("Cobalt Health", 2, ""), ("Dune Logistics", None, "Churn risk")]
    assert fl.ranked


def test_list_with_two_unknown_columns_needs_a_map(tmp_path):
    p = write(tmp_path, "mkt.csv", "Firm,Owner,Why\nAcme Robotics,Jo,Event lead\n")
    with pytest.raises(DataFileError) as e:
        read_function_list(p, "Marketing")
    assert e.value.line == 1
    assert e.value.message == ("has no column of companies: name one Company, Account, Name or Website, or map it "
                               "([import.lists.columns] \"HEADER\" = \"company\") (headers seen: 'Firm', 'Owner', 'Why')")
    fl = read_function_list(p, "Marketing", {"Firm": "company", "Owner": "ignore"})
    assert [(e.text, e.reason) for e in fl.entries] == [("Acme Robotics", "Event lead")]


def test_list_rank_that_is_not_a_number_names_row_and_column(tmp_path):
    p = write(tmp_path, "sales.csv", "Company,Rank\nAcme,1\nBirch,high\n")
    with pytest.raises(DataFileError) as e:
        read_function_list(p, "Sales")
    assert (e.value.message, e.value.line, e.value.key) == ("rank 'high' is not a whole number", 3, "Rank")
