"""Deterministic generator of the icp-tui demo workshop: ``python sample_data/generate.py``.

A fictional B2B SaaS vendor sells a revenue-analytics product. Next to this file the script
writes accounts.csv (2,000 rows, a Salesforce-style export), deals.csv (400 opportunities)
and lists/{sales,marketing,customer_success,product,finance}.csv (one target-account
spreadsheet per function). numpy default_rng(SEED) and no clock: same bytes on every run.

Planted ground truth, on the TRUE attribute values (see segment()):
* IDEAL (15%): SaaS/FinTech/HealthTech, 200-2,000 employees, revenue $30M-$500M, growth >= 20%,
  Tech Stack holds "Salesforce" or "Snowflake" as a whole "; " item (rows holding only
  "Salesforce Marketing Cloud" exist on purpose, a few of them otherwise ICP-like decoys
  that substring matching would wrongly call IDEAL); use case mostly Revenue analytics or
  Pipeline forecasting; intent mean ~65 against ~40 for everyone else.
* ANTI (12%): early startups, < 50 employees, Pre-seed/Seed/Bootstrapped, revenue < $2M.
* OTHER: the rest; generated rows that happened to satisfy a rule are nudged out of it.
* Deals (30% IDEAL / 47.5% OTHER / 22.5% ANTI): closed-deal win rate 80% / 16% / 5%, won ACV
  ~$85k / $32k / $12k, churn 5% / 15% / 45%, NRR ~118% / 100% / 80%, cycle ~75 / 140 / 110 days.
  Win and churn counts are stratified and won ACV / NRR calibrated to these means, so the
  signal is stable. Within OTHER the win rate grows with the number of IDEAL traits the account
  has (CLOSENESS_LIFT: 0.2x with none to 3x with four of five), so a points scorecard predicts
  wins; wins are spread evenly over countries, so geography is NOT predictive. The starter
  scorecard passes the checklist except "weight follows predictive power" (geography carries
  12% of the points without lift); the suggested weights fix that.
* Lists mirror each function's bias: sales -> IDEAL prospects; marketing -> high intent, low
  fit (incl. anti-persona "Hooli Ltd"); customer success -> IDEAL look-alikes on Salesforce;
  product -> use case, mixed fit; finance -> big revenue (incl. near-miss "Acme Bank").
  ~12 accounts are on 4-5 lists (Acme Inc., Globex Corporation, Umbrella Health GmbH, ...),
  many on 2-3, most on one; each list has 2-5 companies missing from accounts.csv, and the
  same company is spelled differently across lists (case, suffix, "&"/"and", "The",
  domain, URL, e-mail). Only Prospects are listed.

Why messy: the app must cope with real exports: employees "1,200" / "1.2k" / "n/a" /
"approx 300"; revenue "$5M" / "€3.4m" / "2.5bn" / "tbd" (symbols are cosmetic, the number is
the USD figure); "USA"/"US"; 15% of deals lack an Account ID and ~10% spell the account
differently; Russia/Iran rows (no deals) feed an exclusion rule. Rounded cells ("1.2k",
"$120M") ARE the true values; empty or unparsable cells hide one. FIXED holds the accounts
that tests rely on. Ground truth is available from build() (keys "seg", "won", list ids).
"""
from __future__ import annotations

import csv
import difflib
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import numpy as np

SEED = 20261122
OUT = Path(__file__).parent
N_ACCOUNTS = 2000
IDEAL_SHARE, ANTI_SHARE = 0.15, 0.12  # of accounts
IDEAL_INTENT_MEAN, BASE_INTENT_MEAN = 65, 40
N_CUSTOMERS, N_COMPETITORS, N_PARTNERS = 180, 17, 40
EXCLUDED_COUNTRIES = {"Russia": 5, "Iran": 4}
N_SFMC_DECOYS = 8  # OTHER accounts that fit the ICP except that their only Salesforce product is Marketing Cloud
ICP_INDUSTRIES = ("SaaS", "FinTech", "HealthTech")
ICP_EMPLOYEES, ICP_REVENUE, ICP_MIN_GROWTH, ICP_TOOLS = (200, 2000), (30e6, 500e6), 20, ("Salesforce", "Snowflake")
ANTI_MAX_EMPLOYEES, ANTI_MAX_REVENUE, ANTI_STAGES = 50, 2e6, ("Pre-seed", "Seed", "Bootstrapped")
SEGMENTS = ("IDEAL", "OTHER", "ANTI")
DEALS_PER_SEGMENT = {"IDEAL": 120, "OTHER": 190, "ANTI": 90}
N_OPEN = 80
WIN_RATE = {"IDEAL": 0.80, "OTHER": 0.16, "ANTI": 0.05}  # of closed deals
#: OTHER win-rate multiplier by how many of the five IDEAL traits the account has (industry, employees,
#: revenue, growth, stack): the nearer the profile, the likelier the win, so the fit score predicts wins.
CLOSENESS_LIFT = {0: 0.2, 1: 0.3, 2: 0.7, 3: 1.8, 4: 3.0}
ACV_MEAN = {"IDEAL": 85_000, "OTHER": 32_000, "ANTI": 12_000}  # won deals
CYCLE_DAYS = {"IDEAL": 75, "OTHER": 140, "ANTI": 110}
CHURN_RATE = {"IDEAL": 0.05, "OTHER": 0.15, "ANTI": 0.45}
NRR_MEAN, CHURNED_NRR_MEAN = {"IDEAL": 118, "OTHER": 100, "ANTI": 80}, 70
CREATED_FROM, CREATED_TO, LAST_CLOSE = date(2024, 10, 1), date(2026, 9, 30), date(2026, 10, 31)
#: Acquisition cost (CAC) of closed deals, drawn from a generator of its own so that every other value keeps its
#: bytes: won deal ~ ACV x ratio x sqrt(cycle / the segment's typical cycle); a lost deal spent LOST_COST of that.
CAC_SEED = SEED + 1
CAC_RATIO = {"IDEAL": 1.25, "OTHER": 1.9, "ANTI": 2.3}
LOST_COST = 0.6

MID = ("Software", "E-commerce", "MarTech", "EdTech", "Cybersecurity")
TRAD = ("Retail", "Manufacturing", "Logistics", "Financial Services", "Agency", "Consulting", "Non-profit")
GROUP_MIX = {"IDEAL": (1, 0, 0), "ANTI": (.35, .45, .20), "OTHER": (.22, .34, .44)}  # ICP / MID / TRAD
INDUSTRIES = {  # industry: (sub-industries, words used in company names)
    "SaaS": ("Sales tools|HR software|Collaboration|Vertical SaaS|Data platform", "Software|Cloud|Labs|Systems|Apps"),
    "FinTech": ("Payments|Lending|Insurtech|Banking-as-a-service", "Pay|Capital|Finance|Ledger|Money"),
    "HealthTech": ("Clinical software|Digital health|Telehealth|Health data", "Health|Care|Medical|Bio|Clinics"),
    "Software": ("Dev tools|ERP|Infrastructure", "Software|Technologies|Tech|Digital|Systems"),
    "E-commerce": ("Marketplace|D2C|Subscription commerce", "Commerce|Shop|Cart|Direct"),
    "MarTech": ("Adtech|Email marketing|Customer data", "Marketing|Media|Reach|Signals"),
    "EdTech": ("K-12|Corporate learning|Higher ed", "Learning|Academy|Education|Edu"),
    "Cybersecurity": ("Identity|Endpoint|Cloud security", "Security|Shield|Defense|Cyber"),
    "Retail": ("Apparel|Grocery|Home goods", "Retail|Stores|Goods|Outfitters|Market"),
    "Manufacturing": ("Industrial equipment|Electronics|Automotive parts", "Industries|Fabrication|Components|Tools"),
    "Logistics": ("Freight|Last mile|Warehousing", "Logistics|Freight|Shipping|Transport"),
    "Financial Services": ("Retail banking|Insurance|Asset management", "Bank|Financial|Insurance|Partners|Capital"),
    "Agency": ("Digital agency|PR|Performance marketing", "Agency|Creative|Studio|Media"),
    "Consulting": ("Management consulting|IT services|RevOps consulting", "Consulting|Advisors|Partners|Group"),
    "Non-profit": ("Charity|Foundation|Association", "Foundation|Trust|Alliance|Initiative")}
HEADS = ["North", "Blue", "Silver", "Red", "Iron", "Bright", "Clear", "Deep", "High", "Stone", "Swift", "Open", "True", "Green", "Cold", "Wild", "Far", "Star", "Sun", "Moon", "Cedar", "Oak", "Maple", "Pine", "River", "Lake", "Summit", "Harbor", "Crystal", "Golden", "Quiet", "Bold", "Amber", "Copper", "Falcon", "Fox", "Hawk", "Frost"]
TAILS = ["wind", "peak", "field", "gate", "bridge", "stone", "wave", "line", "point", "ridge", "light", "path", "forge", "leaf", "brook", "haven", "crest", "works", "mark"]
WORDS = ["Corvid", "Kestrel", "Altair", "Oberon", "Tessera", "Helix", "Parallax", "Cobalt", "Vireo", "Arbor", "Ostara", "Solace", "Meridian", "Halcyon", "Ember", "Quill", "Juniper", "Beacon", "Vantage", "Orbit", "Pylon", "Cinder", "Sable", "Tandem", "Lattice", "Mosaic", "Prism", "Keystone", "Anchor", "Compass"]
SYL1, SYL2 = ["ka", "lo", "ri", "ven", "tor", "za", "mi", "ne", "qua", "so", "ter", "vo", "lu", "dra", "ce", "fi", "ba", "xe"], ["rix", "vo", "ra", "lon", "nis", "ly", "dia", "tex", "mo", "via"]
SURNAMES = ["Harper", "Vale", "Whitman", "Crane", "Fletcher", "Hale", "Ashby", "Marlow", "Pryce", "Sterling", "Holt", "Quincy", "Lowell", "Reyes", "Novak", "Brandt"]
RESERVED_NAMES = ("Northwind Analytics",)  # the vendor itself (workshop.toml)
COUNTRIES = {  # country: (region, share of accounts, legal suffixes, local TLD)
    "United States": ("NA", .40, "Inc.|LLC|Corp|Co.", ""), "United Kingdom": ("EMEA", .11, "Ltd", ".co.uk"),
    "Germany": ("EMEA", .09, "GmbH", ".de"), "France": ("EMEA", .06, "SA", ".fr"), "Netherlands": ("EMEA", .04, "", ".nl"),
    "Canada": ("NA", .05, "Inc.|Ltd", ".ca"), "Ireland": ("EMEA", .03, "Ltd", ".ie"), "Australia": ("APAC", .04, "Ltd", ".com.au"),
    "Spain": ("EMEA", .03, "SA", ".es"), "Sweden": ("EMEA", .03, "", ".se"), "India": ("APAC", .04, "Ltd", ".in"),
    "Brazil": ("LATAM", .03, "SA", ".com.br"), "Mexico": ("LATAM", .01, "SA", ".mx"), "Singapore": ("APAC", .02, "Ltd", ".sg"),
    "Japan": ("APAC", .02, "Co.", ".jp"), "Russia": ("EMEA", 0, "LLC", ".ru"), "Iran": ("EMEA", 0, "", ".ir")}
TOOLS = ["Salesforce", "HubSpot", "Pipedrive", "Snowflake", "BigQuery", "Databricks", "Segment", "Marketo",
         "Salesforce Marketing Cloud", "Outreach", "Gong", "Zendesk", "Slack", "Tableau", "Looker"]
TOOL_W = {"OTHER": [.30, .28, .07, .14, .12, .08, .10, .08, .08, .10, .10, .15, .35, .12, .10],
          "ANTI": [.05, .35, .20, .03, .10, .01, .15, .02, .02, .03, .02, .10, .50, .02, .05]}
USE_CASES = ["Revenue analytics", "Pipeline forecasting", "Customer retention", "Marketing attribution",
             "Financial planning", "Compliance reporting"]
FOUNDED = {"Pre-seed": (2021, 2024), "Seed": (2019, 2024), "Series A": (2015, 2023), "Series B": (2011, 2021),
           "Series C": (2006, 2019), "Series D+": (2000, 2017), "Public": (1950, 2014), "Private Equity": (1960, 2016),
           "Bootstrapped": (1975, 2023), "": (1950, 2015)}
ACCOUNT_HEADER = ["Account ID", "Account Name", "Website", "Type", "Industry", "Sub-Industry", "Employees", "Annual Revenue",
                  "Growth Rate", "Funding Stage", "Founded", "Billing Country", "Region", "Tech Stack", "Use Case",
                  "Intent Score", "Economic Buyer"]
DEAL_HEADER = ["Opportunity ID", "Opportunity Name", "Account ID", "Account Name", "Stage", "Amount", "Created Date",
               "Close Date", "Use Case", "Churned", "NRR", "Expansion", "Acquisition Cost"]
FIXED = [  # name, domain, industry, sub, employees, revenue, growth, stage, founded, country, stack, use case, intent,
    # economic buyer, row index
    ("Acme Inc.", "acme.com", "SaaS", "Sales tools", 850, 120e6, 34, "Series C", 2011, "United States",
     "Salesforce; Snowflake; Gong; Slack", "Revenue analytics", 82, "Confirmed", 17),
    ("Globex Corporation", "globex.com", "FinTech", "Payments", 1400, 310e6, 27, "Series D+", 2008, "United States",
     "Salesforce; Snowflake; Looker; Outreach", "Pipeline forecasting", 74, "Likely", 233),
    ("Initech LLC", "initech.io", "Manufacturing", "Industrial equipment", 640, 95e6, 3, "Private Equity", 1988,
     "United States", "HubSpot; Zendesk", "Compliance reporting", 35, "", 512),
    ("Umbrella Health GmbH", "umbrellahealth.de", "HealthTech", "Clinical software", 420, 68e6, 41, "Series B", 2014,
     "Germany", "Salesforce; Databricks; Tableau; Slack", "Revenue analytics", 71, "Likely", 988),
    ("Hooli Ltd", "hooli.co.uk", "SaaS", "Collaboration", 12, 0.4e6, 55, "Seed", 2023, "United Kingdom",
     "HubSpot; Slack", "Marketing attribution", 88, "", 1404),
    ("Acme Bank", "acmebank.com", "Financial Services", "Retail banking", 24000, 6.2e9, 4, "Public", 1952, "United States",
     "Salesforce; Salesforce Marketing Cloud; Tableau; Snowflake", "Financial planning", 48, "Unknown", 1777)]


def pick(r, seq, p=None):
    seq = seq.split("|") if isinstance(seq, str) else list(seq)
    p = None if p is None else np.asarray(p, float) / np.sum(p)
    return seq[int(r.choice(len(seq), p=p))]


def key(name):  # identity for uniqueness: no legal suffix, case, punctuation or leading "The"
    name = re.sub(r"\s+(Inc\.|LLC|Ltd|GmbH|Corp|Corporation|SA|Co\.)$", "", name).lower()
    return re.sub(r"[^a-z0-9]", "", re.sub(r"^the\s+", "", name).replace("&", "and"))


def segment(a):
    if (a["industry"] in ICP_INDUSTRIES and ICP_EMPLOYEES[0] <= a["emp"] <= ICP_EMPLOYEES[1]
            and ICP_REVENUE[0] <= a["rev"] <= ICP_REVENUE[1] and a["growth"] >= ICP_MIN_GROWTH
            and any(t in a["stack"] for t in ICP_TOOLS)):
        return "IDEAL"
    if a["emp"] < ANTI_MAX_EMPLOYEES and a["stage"] in ANTI_STAGES and a["rev"] < ANTI_MAX_REVENUE:
        return "ANTI"
    return "OTHER"


def closeness(a):
    """How many of the five IDEAL traits an account has (an IDEAL account has all five)."""
    return sum((a["industry"] in ICP_INDUSTRIES, ICP_EMPLOYEES[0] <= a["emp"] <= ICP_EMPLOYEES[1],
                ICP_REVENUE[0] <= a["rev"] <= ICP_REVENUE[1], a["growth"] >= ICP_MIN_GROWTH,
                any(t in a["stack"] for t in ICP_TOOLS)))


def make_name(r, industry, country, used):
    while True:
        kind = pick(r, "compound|word|syllable|surnames|the", [.45, .22, .23, .06, .04])
        core = {"compound": lambda: pick(r, HEADS) + pick(r, TAILS), "word": lambda: pick(r, WORDS),
                "syllable": lambda: (pick(r, SYL1) + pick(r, SYL1) + pick(r, SYL2)).capitalize(),
                "surnames": lambda: f"{pick(r, SURNAMES)} & {pick(r, SURNAMES)}",
                "the": lambda: f"The {pick(r, WORDS + HEADS)} {pick(r, 'Group|Collective|Company')}"}[kind]()
        if kind != "the" and r.random() < (.4 if kind == "surnames" else .6):
            core += " " + pick(r, INDUSTRIES[industry][1])
        if key(core) not in used and len(set(core.split())) == len(core.split()):
            used.add(key(core))
            suffixes = COUNTRIES[country][2]
            return core, pick(r, suffixes) if suffixes and r.random() < .45 else ""


def make_domain(r, core, suffix, country, industry, used):
    words = [key(w) for w in re.sub(r"^The ", "", core).split()]
    base = words[0] if len(words) > 1 and r.random() < .4 and words[0] not in used else "".join(words)
    tld = COUNTRIES[country][3]
    if not (suffix == "GmbH" or (suffix == "Ltd" and country == "United Kingdom")) and (not tld or r.random() < .5):
        tld = ".io" if industry in ICP_INDUSTRIES + MID and r.random() < .35 else pick(r, ".com|.com|.com|.co|.ai")
    while base in used:
        base += pick(r, "hq|app|group")
    used.add(base)
    return base + tld


def money(v, r, euro_ok):
    """Messy revenue cell -> (text, value the text stands for)."""
    u = r.random()
    if u < .003:
        return pick(r, "tbd|TBD"), v
    if u < .04:
        return pick(r, ["", "", "n/a"]), v
    d = 2 if v < 1e6 else 1 if v < 1e8 else 0
    m = f"{v / 1e6:.{d}f}".rstrip("0").rstrip(".") if d else f"{v / 1e6:.0f}"
    style = pick(r, "M$|M|euro|int|sep", [.32, .15, .08 if euro_ok else 0, .25, .20])
    if v >= 1e9 and style in ("M$", "M", "euro"):
        b = f"{v / 1e9:.1f}".rstrip("0").rstrip(".")
        return pick(r, [f"{b}bn", f"${b}bn", f"${b}B"]), float(b) * 1e9
    if style in ("int", "sep"):
        v = round(v, -3)
        return (f"{int(v)}" if style == "int" else f"${int(v):,}"), v
    return {"M$": f"${m}M", "M": f"{m}M", "euro": f"€{m}m"}[style], float(m) * 1e6


def headcount(e, r):
    """Messy employees cell -> (text, value the text stands for)."""
    u = r.random()
    if u < .03:
        return pick(r, "n/a|-|"), e
    if u < .036:
        return f"approx {int(round(e, -1 if e < 100 else -2)) or 10}", e
    if e >= 1000 and u < .6:
        return f"{e:,}", e
    if e >= 1000 and u < .9:
        e = int(round(e, -2))
        return f"{e / 1000:.1f}".rstrip("0").rstrip(".") + "k", e
    return str(e), e


def stage_for(r, seg, emp, industry):
    if industry == "Non-profit":
        return ""
    if seg == "ANTI":
        return pick(r, ANTI_STAGES, [.3, .45, .25])
    tiers = [(50, {"Bootstrapped": 4, "Seed": 2, "Series A": 4}),
             (200, {"Bootstrapped": 3, "Series A": 3.5, "Series B": 2.5, "Private Equity": 1}),
             (1000, {"Bootstrapped": 1.5, "Series B": 3, "Series C": 3, "Private Equity": 1.5, "Public": .5, "Series D+": .5}),
             (5000, {"Bootstrapped": .5, "Series C": 2, "Series D+": 3, "Private Equity": 2.5, "Public": 2}),
             (10 ** 9, {"Public": 6, "Private Equity": 3, "Series D+": 1})]
    opts = next(o for limit, o in tiers if emp < limit)
    return pick(r, opts, [v * (3 if industry in TRAD and s in ("Bootstrapped", "Private Equity") else 1)
                          for s, v in opts.items()])


def tech_stack(r, seg):
    if seg == "IDEAL":
        stack = pick(r, [["Salesforce"], ["Snowflake"], ["Salesforce", "Snowflake"]], [.65, .2, .15])
        w = np.array(TOOL_W["OTHER"]) * [t not in stack for t in TOOLS]
        k = int(pick(r, [0, 1, 2, 3], [.2, .35, .3, .15]))
        stack += [TOOLS[i] for i in r.choice(len(TOOLS), size=k, replace=False, p=w / w.sum())]
        return [stack[i] for i in r.permutation(len(stack))]
    if r.random() < .06:
        return []
    w = np.array(TOOL_W[seg])
    k = int(pick(r, [1, 2, 3, 4, 5], [.45, .35, .2, 0, 0] if seg == "ANTI" else [.2, .3, .25, .15, .1]))
    return [TOOLS[i] for i in r.choice(len(TOOLS), size=k, replace=False, p=w / w.sum())]


def build_accounts(r):
    n = N_ACCOUNTS - len(FIXED)
    n_ideal, n_anti = round(N_ACCOUNTS * IDEAL_SHARE) - 3, round(N_ACCOUNTS * ANTI_SHARE) - 1  # minus FIXED ones
    segs = r.permutation(["IDEAL"] * n_ideal + ["ANTI"] * n_anti + ["OTHER"] * (n - n_ideal - n_anti))
    countries = [pick(r, COUNTRIES, [c[1] for c in COUNTRIES.values()]) for _ in range(n)]
    for j, i in enumerate(r.choice(n, size=sum(EXCLUDED_COUNTRIES.values()), replace=False)):
        countries[i] = "Russia" if j < EXCLUDED_COUNTRIES["Russia"] else "Iran"
    used_keys = {key(name) for name in [f[0] for f in FIXED] + list(RESERVED_NAMES)}
    used_domains = {f[1].split(".")[0] for f in FIXED}
    accts = []
    for seg, country in zip(segs.tolist(), countries):
        industry = pick(r, pick(r, [ICP_INDUSTRIES, MID, TRAD[:-1] if seg == "ANTI" else TRAD], GROUP_MIX[seg]),
                        [.45, .3, .25] if seg == "IDEAL" else None)
        emp = {"IDEAL": lambda: np.clip(np.exp(r.normal(np.log(600), .6)), 210, 1950), "ANTI": lambda: r.integers(5, 46),
               "OTHER": lambda: np.clip(np.exp(r.normal(np.log(180), 1.7)), 5, 50_000)}[seg]()
        emp_txt, emp = headcount(int(emp), r)
        rev = emp * (r.uniform(8e3, 60e3) if seg == "ANTI" else np.exp(r.normal(np.log(195e3), .3)))
        rev = min(rev, 1.95e6) if seg == "ANTI" else float(np.clip(rev, 31e6, 495e6)) if seg == "IDEAL" else max(rev, 1e5)
        rev_txt, rev = money(rev, r, COUNTRIES[country][0] == "EMEA")
        mean_g, sd_g = {"IDEAL": (38, 12), "OTHER": (8, 14), "ANTI": (35, 30)}[seg]
        growth = int(np.clip(round(r.normal(mean_g, sd_g)), ICP_MIN_GROWTH if seg == "IDEAL" else -20, 80))
        a = dict(seg=seg, industry=industry, emp=emp, rev=rev, growth=growth, stage=stage_for(r, seg, emp, industry),
                 stack=tech_stack(r, seg), country=country, emp_txt=emp_txt, rev_txt=rev_txt, fixed=False)
        if seg == "OTHER" and segment(a) == "IDEAL":  # nudge accidental look-alikes out of the rule
            if r.random() < .5:
                a["growth"] = int(r.integers(-10, ICP_MIN_GROWTH))
            else:
                swap = {"Salesforce": "Salesforce Marketing Cloud", "Snowflake": "BigQuery"}  # decoys for substring matching
                a["stack"] = list(dict.fromkeys(swap.get(t, t) for t in a["stack"]))
        if seg == "OTHER" and segment(a) == "ANTI":
            a["stage"] = "Series A"
        assert segment(a) == seg, a
        a["founded"] = int(r.integers(FOUNDED[a["stage"]][0], FOUNDED[a["stage"]][1] + 1))
        a["sub"] = pick(r, INDUSTRIES[industry][0]) if r.random() < .85 else ""
        ideal = seg == "IDEAL"
        a["use_case"] = pick(r, USE_CASES, [.45, .35, .06, .06, .04, .04] if ideal else [.2, .18, .18, .18, .14, .12])
        a["intent"] = int(np.clip(round(r.normal(IDEAL_INTENT_MEAN if ideal else BASE_INTENT_MEAN, 17)), 0, 100))
        a["buyer"] = pick(r, ["", "Confirmed", "Likely", "Unknown"], [.65, .15, .15, .05])
        a["core"], a["suffix"] = make_name(r, industry, country, used_keys)
        a["domain"] = make_domain(r, a["core"], a["suffix"], country, industry, used_domains)
        accts.append(a)
    lookalikes = [a for a in accts if a["seg"] == "OTHER" and a["industry"] in ICP_INDUSTRIES
                  and ICP_EMPLOYEES[0] <= a["emp"] <= ICP_EMPLOYEES[1] and ICP_REVENUE[0] <= a["rev"] <= ICP_REVENUE[1]
                  and not any(t in a["stack"] for t in ICP_TOOLS)]
    for i in r.choice(len(lookalikes), size=N_SFMC_DECOYS, replace=False):  # ICP-like but Marketing Cloud only
        a = lookalikes[i]
        a["growth"], a["stack"] = max(a["growth"], int(r.integers(20, 45))), a["stack"] + ["Salesforce Marketing Cloud"]
        a["stack"] = list(dict.fromkeys(a["stack"]))
        assert segment(a) == "OTHER"
    for name, dom, ind, sub, emp, rev, g, stage, founded, country, stack, uc, intent, buyer, pos in FIXED:
        core, suffix = (name, "") if name == "Acme Bank" else name.rsplit(" ", 1)
        a = dict(core=core, suffix=suffix, domain=dom, industry=ind, sub=sub, emp=emp, rev=rev, growth=g, stage=stage,
                 founded=founded, country=country, stack=stack.split("; "), use_case=uc, intent=intent, buyer=buyer,
                 fixed=True, emp_txt=str(emp), rev_txt=f"${rev / 1e6:g}M" if rev < 1e9 else f"{rev / 1e9:g}bn")
        a["seg"] = segment(a)
        accts.insert(pos, a)
    for i, a in enumerate(accts):
        a.update(id=f"ACC-{i + 1:05d}", name=f"{a['core']} {a['suffix']}".strip(), type="Prospect",
                 region=COUNTRIES[a["country"]][0])
        dom = a["domain"]
        a["web"] = dom if a["fixed"] else pick(r, [dom, f"https://www.{dom}", f"www.{dom}", ""], [.8, .1, .07, .03])
    return accts


def variant(r, a, kind):
    """Another spelling of an account's name, as people type it into deals and lists."""
    core, suf, dom = a["core"], a["suffix"], a["domain"]
    if kind in ("domain", "url", "email") and not a["web"]:
        kind = "nosuffix"
    alt = {"Inc.": "Inc", "LLC": "L.L.C.", "Ltd": "Limited", "GmbH": "gmbh", "Corp": "Corporation", "SA": "S.A.",
           "Co.": "Company"}
    return {"canonical": a["name"], "nosuffix": core, "suffix": f"{core} {alt.get(suf, 'Inc')}",
            "lower": a["name"].lower(), "upper": a["name"].upper(),
            "comma": f"{core.upper()}, {suf.rstrip('.')}" if suf else core.upper(),
            "and": core.replace(" & ", " and ") if "&" in core else core[4:] if core.startswith("The ") else "The " + core,
            "domain": dom, "url": f"https://www.{dom}/{pick(r, 'about|contact|pricing|en/home|')}",
            "email": f"{pick(r, 'sales|info|hello|contact')}@{dom}"}[kind]


def build_deals(r, accts):
    by_name = {a["name"]: a for a in accts}
    deals = [dict(a=by_name["Acme Inc."], open=True, shown="ACME, Inc"),  # fixed deals, outcome given
             dict(a=by_name["Globex Corporation"], won=False, shown="Globex Corp"),
             dict(a=by_name["Globex Corporation"], open=True), dict(a=by_name["Hooli Ltd"], won=False, shown="hooli"),
             dict(a=by_name["Initech LLC"], won=False, shown="Initech")]
    for seg in SEGMENTS:
        pool = [a for a in accts if a["seg"] == seg and not a["fixed"] and a["country"] not in EXCLUDED_COUNTRIES]
        n = DEALS_PER_SEGMENT[seg] - sum(d["a"]["seg"] == seg for d in deals)
        m = round(n / 1.12)  # ~12% of these accounts get a second deal
        first = [pool[i] for i in r.choice(len(pool), size=m, replace=False)]
        deals += [dict(a=a) for a in first] + [dict(a=first[i]) for i in r.choice(m, size=n - m, replace=False)]
    free = [i for i, d in enumerate(deals) if "won" not in d and "open" not in d]
    for i in r.choice(free, size=N_OPEN - sum("open" in d for d in deals), replace=False):
        deals[i]["open"] = True
    for d in deals:
        d["seg"], d["stack_hit"] = d["a"]["seg"], any(t in d["a"]["stack"] for t in ICP_TOOLS)
        d["stratum"] = d["seg"] + (str(closeness(d["a"])) if d["seg"] == "OTHER" else "")
    other = [closeness(d["a"]) for d in deals if d["seg"] == "OTHER" and not d.get("open")]
    base = WIN_RATE["OTHER"] / np.mean([CLOSENESS_LIFT[k] for k in other])
    rates = {"IDEAL": WIN_RATE["IDEAL"], "ANTI": WIN_RATE["ANTI"]} | {f"OTHER{k}": base * CLOSENESS_LIFT[k] for k in set(other)}
    for stratum, rate in rates.items():  # exact win count per stratum, spread evenly over regions/countries
        closed = [d for d in deals if d["stratum"] == stratum and not d.get("open")]
        undecided, n_win = [d for d in closed if "won" not in d], round(rate * len(closed))
        u = r.random(len(undecided))
        order = sorted(range(len(undecided)), key=lambda i: (COUNTRIES[undecided[i]["a"]["country"]][0],
                                                              undecided[i]["a"]["country"], u[i]))
        step, offset = len(undecided) / max(n_win, 1), r.random()
        winners = {order[int((j + offset) * step)] for j in range(n_win)}
        for i, d in enumerate(undecided):
            d["won"] = i in winners
    for d in deals:
        seg, a = d["seg"], d["a"]
        d["amount"] = np.exp(r.normal(np.log(ACV_MEAN[seg]) - .125, .5))
        cycle = int(max(14, round(np.exp(r.normal(np.log(CYCLE_DAYS[seg]) - .08, .4)))))
        if d.get("open"):
            d["created"], d["close"] = date(2026, 3, 1) + timedelta(int(r.integers(0, 214))), None
        else:
            latest = min(CREATED_TO, LAST_CLOSE - timedelta(cycle))
            d["created"] = CREATED_FROM + timedelta(int(r.integers(0, (latest - CREATED_FROM).days + 1)))
            d["close"] = d["created"] + timedelta(cycle)
        d["use_case"] = a["use_case"] if r.random() < .85 else pick(r, [u for u in USE_CASES if u != a["use_case"]])
        misspelt = r.random() < .1
        d.setdefault("shown", variant(r, a, pick(r, "lower|nosuffix|comma|suffix|and")) if misspelt else a["name"])
        d["show_id"] = r.random() < .85 or a["fixed"]
        d["stage"] = pick(r, "Prospecting|Engaging|Proposal|Negotiation") if d.get("open") else \
            pick(r, "Closed Won|closedwon|Won" if d["won"] else "Closed Lost|Lost|closedlost", [.9, .05, .05])
    for seg in SEGMENTS:  # churn counts are stratified; won ACV and NRR are calibrated to the segment means
        won = [d for d in deals if d["seg"] == seg and d.get("won")]
        churned = set(r.choice(len(won), size=round(CHURN_RATE[seg] * len(won)), replace=False).tolist())
        acv_scale = ACV_MEAN[seg] / np.mean([d["amount"] for d in won])
        kept_nrr = (NRR_MEAN[seg] - CHURN_RATE[seg] * CHURNED_NRR_MEAN) / (1 - CHURN_RATE[seg])
        for i, d in enumerate(won):
            d["churned"], d["amount"] = i in churned, d["amount"] * acv_scale
            d["nrr"] = r.normal(CHURNED_NRR_MEAN, 10) if d["churned"] else r.normal(kept_nrr, 12)
        shift = (NRR_MEAN[seg] * len(won) - sum(d["nrr"] for d in won)) / (len(won) - len(churned))
        for d in won:
            d["nrr"] = int(round(d["nrr"] + (0 if d["churned"] else shift)))
            d["expansion"] = int(round(d["amount"] * max(0, d["nrr"] - 100) / 100 * r.uniform(.8, 1.2), -2))
    for d in deals:
        d["amount"] = int(max(1000, round(d["amount"], -2)))
    deals.sort(key=lambda d: (d["created"], d["a"]["id"]))
    seen = {}
    for d in deals:  # a later deal on the same account is an expansion or a second attempt
        prior = seen.setdefault(d["a"]["id"], [])
        d["title"] = f"{d['a']['core']} - " + ("Expansion" if any(p.get("won") for p in prior) else
                                                 "New Business" if prior else d["use_case"])
        prior.append(d)
    return deals


def assign_types(r, accts, deals):
    won_ids = sorted({d["a"]["id"] for d in deals if d.get("won")})
    dealt, by_id = {d["a"]["id"] for d in deals}, {a["id"]: a for a in accts}
    for i in won_ids:
        by_id[i]["type"] = "Customer"
    rest = [a for a in accts if a["id"] not in dealt and not a["fixed"]]
    w = np.array([WIN_RATE[a["seg"]] for a in rest])
    for i in r.choice(len(rest), size=N_CUSTOMERS - len(won_ids), replace=False, p=w / w.sum()):
        rest[i]["type"] = "Customer"
    for kind, n, inds in (("Competitor", N_COMPETITORS, ("SaaS", "Software", "MarTech")),
                          ("Partner", N_PARTNERS, ("Agency", "Consulting", "Software"))):
        pool = [a for a in rest if a["type"] == "Prospect" and a["seg"] == "OTHER" and a["industry"] in inds]
        for i in r.choice(len(pool), size=n, replace=False):
            pool[i]["type"] = kind


LISTS = {  # file: (header, companies not in accounts.csv, entries per segment, name-spelling weights)
    "sales": (("Company", "Rank", "Reason"), 3, {"IDEAL": 52, "OTHER": 7, "ANTI": 0},
              {"canonical": .55, "nosuffix": .2, "suffix": .08, "lower": .05, "comma": .04, "and": .08}),
    "marketing": (("Account", "Priority", "Why"), 5, {"IDEAL": 18, "OTHER": 45, "ANTI": 6},
                  {"canonical": .3, "upper": .12, "lower": .15, "nosuffix": .15, "domain": .13, "and": .08, "comma": .07}),
    "customer_success": (("Company Name", "Rank", "Notes"), 2, {"IDEAL": 48, "OTHER": 0, "ANTI": 0},
                         {"domain": .45, "canonical": .25, "nosuffix": .2, "lower": .1}),
    "product": (("Company", "Rank", "Reason"), 4, {"IDEAL": 24, "OTHER": 24, "ANTI": 4},
                {"url": .3, "canonical": .3, "nosuffix": .2, "domain": .1, "lower": .1}),
    "finance": (("Company", "Website", "Reason"), 3, {"IDEAL": 12, "OTHER": 33, "ANTI": 0},
                {"canonical": .45, "suffix": .2, "nosuffix": .2, "upper": .1, "email": .05})}
N_FIVE_LISTS, N_FOUR_LISTS, N_MULTI, P_THREE = 3, 6, 55, .8  # consensus beyond FORCED; accounts on 2-3 lists
FORCED = {  # spelling per list (None: not on it), in LISTS order
    "Acme Inc.": ["Acme Inc.", "ACME, Inc", "acme.com", "https://www.acme.com/about", "sales@acme.com"],
    "Globex Corporation": ["Globex Corp", "Globex Corporation", "globex", "GLOBEX CORP", "Globex Corp."],
    "Umbrella Health GmbH": ["Umbrella Health", "umbrella health gmbh", "umbrellahealth.de", "Umbrella Health GmbH", None],
    "Hooli Ltd": [None, "Hooli Ltd", None, None, None], "Acme Bank": [None, None, None, None, "Acme Bank"]}
REASONS = {
    "sales": "Inbound demo request|Champion moved from a customer|Hiring RevOps roles|Met at SaaStr|Partner referral|"
             "Exec intro via investor|Competitor contract up for renewal|Visited pricing page 5x",
    "marketing": "Intent surge (G2)|Downloaded forecasting ebook|Attended 3 webinars|Bombora surge: revenue analytics|"
                 "Came to our roadshow|Big logo for a case study|Clicked every nurture email",
    "customer_success": "Looks like our best customers|Same stack as our happiest accounts|Would onboard fast|"
                        "Salesforce + RevOps team, like top NRR cohort|Peer of a reference customer",
    "product": "Asked for pipeline forecasting beta|Feature request: cohort NRR|Design partner candidate|"
               "On the beta waitlist|Requested a Snowflake connector|Heavy revenue analytics need",
    "finance": "Large ACV potential|Budget cycle starts Q1|Can pay for the enterprise tier|Multi-year deal potential|"
               "Procurement-friendly public co.|High revenue, low discount risk"}


def eligible(a):
    """Lists whose owner would plausibly pick this account."""
    s, i = a["seg"], a["intent"]
    rules = {"sales": s == "IDEAL" or (s == "OTHER" and a["industry"] not in TRAD and i >= 60),
             "marketing": i >= {"IDEAL": 65, "OTHER": 70, "ANTI": 60}[s],
             "customer_success": s == "IDEAL" and "Salesforce" in a["stack"],
             "product": a["use_case"] in USE_CASES[:2],
             "finance": a["rev"] > 500e6 or (s == "IDEAL" and a["rev"] >= 250e6)}
    return [k for k, ok in rules.items() if ok]


def build_lists(r, accts):
    names = list(LISTS)
    quota = {L: dict(LISTS[L][2]) for L in names}
    members, placed = {L: [] for L in names}, {}

    def place(a, lists):
        for L in lists:
            members[L].append(a)
            quota[L][a["seg"]] -= 1
        placed[a["id"]] = lists

    by_name = {a["name"]: a for a in accts}
    for name, spelled in FORCED.items():
        place(by_name[name], [L for L, s in zip(names, spelled) if s])
    prospects = [a for a in accts if a["type"] == "Prospect" and not a["fixed"]]
    elig = {a["id"]: eligible(a) for a in prospects}
    for n, lists in ((N_FIVE_LISTS, names), (N_FOUR_LISTS, names[:4])):
        pool = [a for a in prospects
                if a["id"] not in placed and a["seg"] == "IDEAL" and set(lists) <= set(elig[a["id"]])]
        for i in r.choice(len(pool), size=n, replace=False):
            place(pool[i], lists)
    n_multi = 0
    for i in r.permutation(len(prospects)):
        a = prospects[i]
        avail = [L for L in elig[a["id"]] if quota[L][a["seg"]] > 0]
        if a["id"] in placed or len(avail) < 2 or n_multi >= N_MULTI:
            continue
        k = min(len(avail), 3 if r.random() < P_THREE else 2)
        place(a, [avail[j] for j in sorted(r.choice(len(avail), size=k, replace=False))])
        n_multi += 1
    for L in names:
        for seg in SEGMENTS:
            pool = [a for a in prospects if a["id"] not in placed and a["seg"] == seg and L in elig[a["id"]]]
            for i in r.choice(len(pool), size=quota[L][seg], replace=False):
                place(pool[i], [L])
    used_keys = {key(a["name"]) for a in accts} | {key(n) for n in RESERVED_NAMES}
    used_domains = {a["domain"].split(".")[0] for a in accts}
    known_keys = sorted(used_keys)
    out = {}
    for j, L in enumerate(names):
        rows = []
        for a in members[L]:
            weights = LISTS[L][3]
            shown = FORCED[a["name"]][j] if a["name"] in FORCED else variant(r, a, pick(r, weights, list(weights.values())))
            score = a["rev"] / 1e7 if L == "finance" else \
                a["intent"] + 25 * (a["seg"] == "IDEAL") + 40 * (len(placed[a["id"]]) >= 4) + r.normal(0, 15)
            site = "" if a["name"] == "Acme Inc." or not a["web"] or r.random() < .15 else \
                pick(r, [a["domain"], f"www.{a['domain']}", f"https://{a['domain']}"], [.6, .2, .2])
            rows.append(dict(id=a["id"], shown=shown, score=score, site=site))
        for _ in range(LISTS[L][1]):  # companies the CRM does not know yet
            industry, country = pick(r, ICP_INDUSTRIES + MID), pick(r, list(COUNTRIES)[:15])
            while True:  # a new company must not read as a typo of a known one ("Swiftridge" / "Swiftbridge")
                core, suffix = make_name(r, industry, country, used_keys)
                if not difflib.get_close_matches(key(core), known_keys, n=1, cutoff=.85):
                    break
            dom = make_domain(r, core, suffix, country, industry, used_domains)
            rows.append(dict(id=None, shown=f"{core} {suffix}".strip(), score=r.uniform(30, 110),
                             site=dom if r.random() < .7 else ""))
        rows.sort(key=lambda x: -x["score"] * r.lognormal(0, .25))
        ranked = round(.8 * len(rows)) if L == "customer_success" else len(rows)  # CS left the tail unranked
        for k, row in enumerate(rows):
            second = row["site"] if L == "finance" else k + 1 if k < ranked else ""
            row["cells"] = [row["shown"], second, pick(r, REASONS[L]) if r.random() < .95 else ""]
        out[L] = rows
    return out


def render_account(r, a):
    clean = a["fixed"]
    country = a["country"]
    if country == "United States" and not clean:
        country = pick(r, ["United States", "USA", "US"], [.82, .12, .06])
    return [a["id"], a["name"], a["web"], a["type"], a["industry"], a["sub"], a["emp_txt"], a["rev_txt"],
            f"{a['growth']}%" if clean or r.random() > .01 else "n/a", a["stage"],
            a["founded"] if clean or r.random() > .03 else "", country, a["region"], "; ".join(a["stack"]),
            a["use_case"] if clean or r.random() > .08 else "", a["intent"] if clean or r.random() > .10 else "",
            a["buyer"]]


def render_deal(r, i, d):
    won, amount = d.get("won"), d["amount"]
    return [f"OPP-{i + 1:05d}", d["title"], d["a"]["id"] if d["show_id"] else "", d["shown"], d["stage"],
            pick(r, [str(amount), f"${amount:,}", f"{amount / 1000:g}k"], [.75, .18, .07]),
            d["created"].isoformat(), d["close"].isoformat() if d["close"] else "", d["use_case"],
            ("yes" if d["churned"] else "no") if won else "", f"{d['nrr']}%" if won else "",
            pick(r, [str(d["expansion"]), f"${d['expansion']:,}"], [.8, .2]) if won else "", d["cost_txt"]]


def add_acquisition_costs(deals, seed=CAC_SEED):
    """Each closed deal's acquisition cost (sales and marketing spent on it), from its own generator: the main
    one's stream, and so every other column, is untouched. Open deals have none yet."""
    c = np.random.default_rng(seed)
    for d in deals:
        if d.get("open"):
            d["cac"], d["cost_txt"] = None, ""
            continue
        seg, cycle = d["seg"], (d["close"] - d["created"]).days
        cost = d["amount"] * CAC_RATIO[seg] * np.sqrt(cycle / CYCLE_DAYS[seg]) * c.lognormal(-.03, .25)
        d["cac"] = int(max(500, round(cost * (1 if d["won"] else LOST_COST), -2)))
        d["cost_txt"] = pick(c, [str(d["cac"]), f"${d['cac']:,}"], [.85, .15])


def write_csv(path, header, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def build(seed=SEED):
    """Accounts, deals and lists with their ground truth; also the generator, for rendering."""
    r = np.random.default_rng(seed)
    accts = build_accounts(r)
    deals = build_deals(r, accts)
    assign_types(r, accts, deals)
    lists = build_lists(r, accts)
    add_acquisition_costs(deals)
    return accts, deals, lists, r


def main(out=OUT):
    accts, deals, lists, r = build()
    write_csv(out / "accounts.csv", ACCOUNT_HEADER, [render_account(r, a) for a in accts])
    write_csv(out / "deals.csv", DEAL_HEADER, [render_deal(r, i, d) for i, d in enumerate(deals)])
    for L, rows in lists.items():
        write_csv(out / "lists" / f"{L}.csv", LISTS[L][0], [row["cells"] for row in rows])
    print(f"accounts {len(accts)}: {dict(Counter(a['seg'] for a in accts))} {dict(Counter(a['type'] for a in accts))}")
    outcome = Counter("open" if d.get("open") else "won" if d["won"] else "lost" for d in deals)
    print(f"deals {len(deals)}: {dict(outcome)}")
    for seg in SEGMENTS:
        closed = [d for d in deals if d["seg"] == seg and not d.get("open")]
        won = [d for d in closed if d["won"]]
        print(f"  {seg:5s} {sum(d['seg'] == seg for d in deals):3d} deals, win {len(won) / len(closed):.0%} of {len(closed)},"
              f" won ACV ${np.mean([d['amount'] for d in won]):,.0f}, NRR {np.mean([d['nrr'] for d in won]):.0f}%,"
              f" churn {np.mean([d['churned'] for d in won]):.0%}")
    on_lists = Counter(row["id"] or row["shown"] for rows in lists.values() for row in rows)
    print(f"lists {({L: len(rows) for L, rows in lists.items()})}; companies by number of lists:"
          f" {dict(sorted(Counter(on_lists.values()).items()))}")


if __name__ == "__main__":
    main()
