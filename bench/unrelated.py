"""Unrelated 8-K and press-release texts for the realistic benchmark stream: what a cron over
every 8-K filer mostly sees (earnings, dividends, votes, offerings, officer changes at companies
that hold no bitcoin). Written from templates with a fixed seed, so every run reads the same
texts; the real EDGAR filings in ../shared/edgar/filings/ join them at run time."""

from __future__ import annotations

import random

_COMPANIES = (
    "Harborline Foods, Inc.", "Quarry Ridge Materials Corp.", "Bellwether Regional Bancorp",
    "Solent Medical Devices plc", "Northgate Apparel Group", "Cinder Peak Energy Partners, L.P.",
    "Lumenfield Software Holdings", "Tamarack Freight Systems", "Orchard Lane Pharmaceuticals",
    "Westmere Hospitality Trust",
)  # fmt: skip
_CITIES = (
    "OMAHA, Neb.", "DALLAS", "Boston, Massachusetts", "CHICAGO", "Minneapolis, MN",
    "HOUSTON, Texas", "Denver", "ATLANTA, GA", "Portland, Ore.", "NEW YORK",
)  # fmt: skip
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_WIRES = ("/PRNewswire/", "(BUSINESS WIRE)", "/GlobeNewswire/", "-- ACCESSWIRE --")
_PEOPLE = (
    "Dana Whitlock", "Rafael Okonkwo", "Mei-Ling Hart", "Gordon Pryce", "Ines Castellano",
    "Tobias Renner", "Priya Sundaram", "Walter Ambrose",
)  # fmt: skip
_PRODUCTS = (
    "cold-chain logistics platform", "orthopedic implant line", "regional checking product",
    "outdoor apparel collection", "pipeline expansion project", "analytics suite",
)  # fmt: skip


def unrelated_texts(count: int, seed: int = 16) -> list[str]:
    """`count` distinct documents in rotating styles (wire release, 8-K item, earnings table,
    vote results, headline brief)."""
    rng = random.Random(seed)
    styles = (_wire_release, _eight_k_item, _earnings, _vote_results, _brief)
    return [styles[i % len(styles)](rng) for i in range(count)]


def _date(rng: random.Random) -> str:
    return f"{rng.choice(_MONTHS)} {rng.randint(1, 28)}, {rng.randint(2022, 2025)}"


def _money(rng: random.Random, low: int, high: int) -> str:
    return f"${rng.randint(low, high):,}.{rng.randint(0, 9)} million"


def _boilerplate(rng: random.Random, company: str) -> str:
    return (
        f"About {company}\n\n{company} serves customers in {rng.randint(4, 40)} states through "
        f"{rng.randint(12, 900)} locations and employs about {rng.randint(300, 20000):,} people. "
        "More information is available on the company's investor relations website.\n\n"
        "Forward-Looking Statements\n\nThis release contains forward-looking statements within "
        "the meaning of the Private Securities Litigation Reform Act of 1995. Words such as "
        '"expects," "anticipates," "intends," "plans," "believes" and "estimates" identify such '
        "statements, which are subject to risks and uncertainties, including changes in demand, "
        "interest rates, supply costs and competition, that could cause actual results to differ "
        "materially. The company undertakes no obligation to update them except as required by "
        "law.\n\nContact: Investor Relations, +1 (555) "
        f"{rng.randint(100, 999)}-{rng.randint(1000, 9999)}\n"
    )


def _wire_release(rng: random.Random) -> str:
    company = rng.choice(_COMPANIES)
    product = rng.choice(_PRODUCTS)
    return (
        f"{company} Expands Its {product.title()}\n\n{rng.choice(_CITIES)}, {_date(rng)} "
        f"{rng.choice(_WIRES)} -- {company} today announced the expansion of its {product} into "
        f"{rng.randint(2, 9)} new markets, a move it expects to add {_money(rng, 5, 90)} of annual "
        f'revenue by fiscal {rng.randint(2025, 2027)}. "Our customers asked for this," said '
        f"{rng.choice(_PEOPLE)}, the company's chief executive officer. \"We built the capacity "
        f'over the last {rng.randint(2, 6)} quarters and are ready to serve them."\n\n'
        f"The expansion is funded from cash on hand of {_money(rng, 40, 900)} and an undrawn "
        f"revolving credit facility of {_money(rng, 100, 500)}. Capital spending for the year is "
        f"now expected at {_money(rng, 20, 160)}, up from {_money(rng, 10, 150)} previously.\n\n"
        + _boilerplate(rng, company)
    )


def _eight_k_item(rng: random.Random) -> str:
    company = rng.choice(_COMPANIES)
    officer = rng.choice(_PEOPLE)
    return (
        "Item 5.02 Departure of Directors or Certain Officers; Election of Directors; "
        "Appointment of Certain Officers.\n\n"
        f'On {_date(rng)}, the Board of Directors of {company} (the "Company") appointed '
        f"{officer}, age {rng.randint(38, 66)}, as Senior Vice President, Operations, effective "
        f"{_date(rng)}. {officer.split()[0]} has served in operating roles at the Company for "
        f"{rng.randint(3, 19)} years. In connection with the appointment, the Company will pay an "
        f"annual base salary of ${rng.randint(300, 650)},000 and a target bonus of "
        f"{rng.randint(40, 90)}% of base salary.\n\nThere are no family relationships between "
        f"{officer.split()[-1]} and any director or executive officer, and no transactions "
        "reportable under Item 404(a) of Regulation S-K.\n\nItem 9.01 Financial Statements and "
        "Exhibits.\n\n(d) Exhibits\n\n104 Cover Page Interactive Data File (embedded within the "
        "Inline XBRL document)\n\nSIGNATURES\n\nPursuant to the requirements of the Securities "
        "Exchange Act of 1934, the registrant has duly caused this report to be signed on its "
        "behalf by the undersigned hereunto duly authorized.\n"
    )


def _earnings(rng: random.Random) -> str:
    company = rng.choice(_COMPANIES)
    quarter = rng.choice(("first", "second", "third", "fourth"))
    rows = "\n".join(
        f"{label} | {_money(rng, 10, 900)} | {_money(rng, 10, 900)} | {rng.randint(-20, 30)}%"
        for label in (
            "Net sales",
            "Gross profit",
            "Operating income",
            "Net income",
            "Adjusted EBITDA",
        )
    )
    return (
        f"{company} Reports {quarter.title()} Quarter Results\n\n{rng.choice(_CITIES)} -- "
        f"{_date(rng)} -- {company} reported {quarter}-quarter net sales of {_money(rng, 50, 900)}, "
        f"an increase of {rng.randint(1, 19)}.{rng.randint(0, 9)}% from the prior-year quarter, "
        f"and diluted earnings per share of ${rng.randint(0, 4)}.{rng.randint(10, 99)}. "
        f"Comparable store sales rose {rng.randint(1, 9)}.{rng.randint(0, 9)}%.\n\n"
        f"Three months ended | {_date(rng)} | Prior year | Change\n{rows}\n\n"
        f"The company repurchased {rng.randint(50, 900)},000 shares for {_money(rng, 5, 60)} "
        f"during the quarter and ended it with {_money(rng, 60, 700)} in cash and investments.\n\n"
        + _boilerplate(rng, company)
    )


def _vote_results(rng: random.Random) -> str:
    company = rng.choice(_COMPANIES)
    votes = "\n".join(
        f"{name} | {rng.randint(10, 90):,},{rng.randint(100, 999)},{rng.randint(100, 999)} | "
        f"{rng.randint(100, 999):,},{rng.randint(100, 999)} | {rng.randint(10, 99):,},{rng.randint(100, 999)}"
        for name in rng.sample(_PEOPLE, 4)
    )
    return (
        "Item 5.07 Submission of Matters to a Vote of Security Holders.\n\n"
        f"{company} held its annual meeting of shareholders on {_date(rng)}. Of the "
        f"{rng.randint(20, 99)},{rng.randint(100, 999)},{rng.randint(100, 999)} shares entitled "
        f"to vote, {rng.randint(70, 95)}% were represented in person or by proxy.\n\n"
        f"Proposal 1 - Election of Directors\n\nNominee | For | Against | Broker non-votes\n{votes}"
        "\n\nProposal 2 - Ratification of the appointment of the independent registered public "
        f"accounting firm for fiscal {rng.randint(2024, 2026)} was approved.\n\nProposal 3 - The "
        "advisory vote on executive compensation was approved.\n"
    )


def _brief(rng: random.Random) -> str:
    company = rng.choice(_COMPANIES)
    return (
        f"{company.upper()} DECLARES QUARTERLY DIVIDEND\n\n{company} said its board declared a "
        f"quarterly cash dividend of ${rng.randint(0, 1)}.{rng.randint(10, 95)} per share, payable "
        f"{_date(rng)} to holders of record on {_date(rng)}. The dividend is the company's "
        f"{rng.randint(12, 160)}th consecutive quarterly payment. It also priced "
        f"{_money(rng, 200, 900)} of {rng.randint(4, 7)}.{rng.randint(100, 875)}% senior notes "
        f"due {rng.randint(2029, 2035)}, with proceeds to repay its term loan.\n"
    )
