"""Company names and web addresses reduced to comparable keys (icp_tui.engine.alignment.names)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from icp_tui.engine.alignment.names import looks_like_address, normalise_names, registrable_domains


def norm(value) -> str:
    return normalise_names([value])[0]


def dom(value) -> str:
    return registrable_domains([value])[0]


def addr(value) -> bool:
    return bool(looks_like_address([value])[0])


# --------------------------------------------------------------------------------------------
# normalise_names
# --------------------------------------------------------------------------------------------

NAME_CASES = [
    # plain, case and spacing
    ("Acme", "acme"),
    ("ACME", "acme"),
    ("  Acme   Widgets  ", "acme widgets"),
    ("Acme\tWidgets\n", "acme widgets"),
    # Unicode: accents dropped (NFKD), compatibility forms folded
    ("Zürich Data AG", "zurich data"),
    ("ZÜRICH DATA", "zurich data"),
    ("Société Générale", "societe generale"),
    ("Café Ltd.", "cafe"),
    ("Nestlé", "nestle"),
    ("ŁÓDŹ Tech", "łodz tech"),  # Ł has no decomposition: lower-cased, not stripped
    ("İstanbul Tech", "istanbul tech"),
    ("\ufb01nance Co", "finance"),  # the "fi" ligature folds to "fi"
    ("Acme \uff06 Sons", "acme and sons"),  # full-width ampersand
    # punctuation becomes one space
    ("ACME, Inc", "acme"),
    ('"Acme"', "acme"),
    ("Acme-Bank", "acme bank"),
    ("O'Reilly Media", "o reilly media"),
    ("Acme (UK) Ltd", "acme uk"),
    ("Acme 2.0", "acme 2 0"),
    ("Acme.Inc", "acme"),
    # "&" is "and"
    ("Harper & Lowell", "harper and lowell"),
    ("Harper and Lowell", "harper and lowell"),
    ("HARPER&LOWELL", "harper and lowell"),
    # a leading "The" (only one, only as a word)
    ("The River Collective", "river collective"),
    ("the river collective ltd", "river collective"),
    ("Theory Inc", "theory"),
    ("Atheneum", "atheneum"),
    ("the the acme", "the acme"),
    # every legal form, as written
    ("Acme Inc", "acme"),
    ("Acme Inc.", "acme"),
    ("Acme, Inc.", "acme"),
    ("Acme Incorporated", "acme"),
    ("Acme LLC", "acme"),
    ("Acme LLP", "acme"),
    ("Acme Ltd", "acme"),
    ("Acme Ltd.", "acme"),
    ("Acme Limited", "acme"),
    ("Acme GmbH", "acme"),
    ("Acme SA", "acme"),
    ("Acme SAS", "acme"),
    ("Acme SARL", "acme"),
    ("Acme Corp", "acme"),
    ("Acme Corp.", "acme"),
    ("Acme Corporation", "acme"),
    ("Acme Co", "acme"),
    ("Acme Co.", "acme"),
    ("Acme Company", "acme"),
    ("Acme PLC", "acme"),
    ("Acme plc", "acme"),
    ("Acme AG", "acme"),
    ("Acme KG", "acme"),
    ("Acme BV", "acme"),
    ("Acme NV", "acme"),
    ("Acme SRL", "acme"),
    ("Acme SpA", "acme"),
    ("Acme Pty", "acme"),
    ("Acme Oy", "acme"),
    ("Acme AB", "acme"),
    ("Acme AS", "acme"),
    ("Acme ApS", "acme"),
    ("Acme KK", "acme"),
    ("Acme SL", "acme"),
    ("Acme SRO", "acme"),
    ("Acme LP", "acme"),
    # chained legal forms
    ("Acme Pty Ltd", "acme"),
    ("Acme Co Inc", "acme"),
    ("Acme GmbH Co KG", "acme"),
    ("Acme Inc. Ltd. LLC", "acme"),
    # legal forms are removed only at the end, and only as whole words
    ("Acme Corp Europe", "acme corp europe"),
    ("Inca Trails", "inca trails"),
    ("Costco", "costco"),
    ("Sagittarius", "sagittarius"),
    ("Limited Brands Inc", "limited brands"),
    ("3M Company", "3m"),
    ("Umbrella Health GmbH", "umbrella health"),
    # "Group" and "Holdings" are part of the name, not legal forms
    ("Mosaic Group", "mosaic group"),
    ("Acme Holdings", "acme holdings"),
    ("Acme Holdings Ltd", "acme holdings"),
    # a name that is nothing but a legal form (or "The") is kept
    ("Co", "co"),
    ("Co.", "co"),
    ("Inc.", "inc"),
    ("LLC", "llc"),
    ("The", "the"),
    ("The Co", "co"),
    ("The Inc", "inc"),
    # nothing there
    ("", ""),
    ("   ", ""),
    ("???", ""),
    ("&", "and"),
    (None, ""),
]


@pytest.mark.parametrize(("text", "expected"), NAME_CASES, ids=[repr(t) for t, _ in NAME_CASES])
def test_normalise_names(text, expected):
    assert norm(text) == expected


def test_normalise_names_vectorised_keeps_order_and_length():
    out = normalise_names(["Acme Inc.", None, "", "The River Collective Ltd", "Zürich Data AG"])
    assert isinstance(out, np.ndarray) and out.dtype == object
    assert out.tolist() == ["acme", "", "", "river collective", "zurich data"]


@pytest.mark.parametrize("values", [
    pa.array(["Acme Inc.", None]),
    pa.chunked_array([["Acme Inc."], [None]]),
    np.array(["Acme Inc.", None], dtype=object),
    ("Acme Inc.", None),
], ids=["arrow", "chunked", "numpy", "tuple"])
def test_normalise_names_accepts_arrow_numpy_and_sequences(values):
    assert normalise_names(values).tolist() == ["acme", ""]


def test_normalise_names_empty_input():
    assert normalise_names([]).tolist() == []


# '&' becomes ' and ' before legal forms are stripped: 'gmbh and co kg' is a legal form of its own
@pytest.mark.parametrize(("text", "expected"), [
    ("Müller GmbH & Co. KG", "muller"),
    ("Müller GmbH & Co KG", "muller"),
])
def test_normalise_names_gmbh_and_co_kg(text, expected):
    assert norm(text) == expected


# the common '& Co.' form: 'Harper & Co.' is 'harper', the same as 'Harper Co'
@pytest.mark.parametrize(("text", "expected"), [("Harper & Co.", "harper"), ("Kay & Co", "kay")])
def test_normalise_names_and_co(text, expected):
    assert norm(text) == expected


# dotted legal forms become single letters ('S.A.' -> 's a') and are removed as such;
# sample_data/generate.py itself writes these variants ('L.L.C.', 'S.A.')
@pytest.mark.parametrize(("text", "expected"), [
    ("Acme S.A.", "acme"),
    ("Acme L.L.C.", "acme"),
    ("Acme B.V.", "acme"),
    ("Acme N.V.", "acme"),
    ("Acme P.L.C.", "acme"),
    ("Acme s.r.o.", "acme"),
])
def test_normalise_names_dotted_legal_forms(text, expected):
    assert norm(text) == expected


# --------------------------------------------------------------------------------------------
# registrable_domains
# --------------------------------------------------------------------------------------------

DOMAIN_CASES = [
    # bare domains
    ("acme.com", "acme.com"),
    ("acme-bank.com", "acme-bank.com"),
    ("acme.io", "acme.io"),
    ("acme.com/", "acme.com"),
    ("  acme.com  ", "acme.com"),
    # URLs: scheme, path, query, fragment, port
    ("http://acme.com", "acme.com"),
    ("https://acme.com", "acme.com"),
    ("https://www.acme.com/about", "acme.com"),
    ("https://www.acme.com/about?x=1&y=2", "acme.com"),
    ("https://acme.com/en/home#top", "acme.com"),
    ("https://acme.com:8443/path", "acme.com"),
    ("http://acme.com:8080", "acme.com"),
    ("acme.com:8080", "acme.com"),
    ("acme.com?ref=1", "acme.com"),
    ("ftp://files.acme.io", "acme.io"),
    # www and www2
    ("www.acme.com", "acme.com"),
    ("www2.acme.com", "acme.com"),
    ("http://www2.acme.com", "acme.com"),
    # e-mail addresses
    ("sales@acme.com", "acme.com"),
    ("first.last@mail.acme.com", "acme.com"),
    ("mailto:sales@acme.com", "acme.com"),
    # subdomains: the registrable domain is the last two labels
    ("shop.acme.com", "acme.com"),
    ("eu.shop.acme.com", "acme.com"),
    # two-label public suffixes keep three labels
    ("acme.co.uk", "acme.co.uk"),
    ("shop.acme.co.uk", "acme.co.uk"),
    ("https://www.hooli.co.uk/careers", "hooli.co.uk"),
    ("www.acme.com.au", "acme.com.au"),
    ("info@soylent.com.au", "soylent.com.au"),
    ("acme.co.jp", "acme.co.jp"),
    # a "co" domain is not a two-label suffix
    ("acme.co", "acme.co"),
    ("shop.acme.co", "acme.co"),
    # upper case
    ("ACME.COM", "acme.com"),
    ("HTTPS://WWW.ACME.COM/", "acme.com"),
    ("ACME.CO.UK", "acme.co.uk"),
    # not a domain
    ("Acme Inc.", ""),
    ("acme", ""),
    ("acme .com", ""),
    ("localhost", ""),
    ("http://localhost:8080", ""),
    ("192.168.0.1", ""),
    ("http://192.168.0.1/x", ""),
    ("acme_corp.com", ""),
    (".acme.com", ""),
    ("a..com", ""),
    ("", ""),
    ("   ", ""),
    (None, ""),
]


@pytest.mark.parametrize(("text", "expected"), DOMAIN_CASES, ids=[repr(t) for t, _ in DOMAIN_CASES])
def test_registrable_domains(text, expected):
    assert dom(text) == expected


def test_registrable_domains_vectorised_keeps_order_and_length():
    out = registrable_domains(["https://www.acme.com/about", None, "Acme Inc.", "sales@hooli.co.uk"])
    assert isinstance(out, np.ndarray) and out.dtype == object
    assert out.tolist() == ["acme.com", "", "", "hooli.co.uk"]
    assert registrable_domains([]).tolist() == []


# a fully qualified domain with a trailing dot is the same domain
@pytest.mark.parametrize("text", ["acme.com.", "https://acme.com./about"])
def test_registrable_domains_trailing_dot(text):
    assert dom(text) == "acme.com"


# a bare two-label public suffix is nobody's registrable domain
@pytest.mark.parametrize("text", ["co.uk", "www.co.uk", "com.au"])
def test_registrable_domains_public_suffix_alone(text):
    assert dom(text) == ""


# --------------------------------------------------------------------------------------------
# looks_like_address
# --------------------------------------------------------------------------------------------

ADDRESS_CASES = [
    ("acme.com", True),
    ("ACME.COM", True),
    ("acme.co.uk", True),
    ("www.acme.com", True),
    ("www2.acme.com", True),
    ("acme.com/about", True),
    ("acme.com/about?x=1", True),
    ("https://www.acme.com/about", True),
    ("http://localhost:8080", True),  # a scheme is enough
    ("sales@acme.com", True),
    ("  sales@acme.com  ", True),
    ("Acme Inc.", False),
    ("ACME, Inc", False),
    ("Acme", False),
    ("Acme 2.0", False),
    ("The River Collective", False),
    ("acme .com", False),
    ("192.168.0.1", False),  # the top label must be letters
    ("acme.c", False),
    ("", False),
    ("   ", False),
    (None, False),
]


@pytest.mark.parametrize(("text", "expected"), ADDRESS_CASES, ids=[repr(t) for t, _ in ADDRESS_CASES])
def test_looks_like_address(text, expected):
    assert addr(text) is expected


def test_looks_like_address_vectorised():
    out = looks_like_address(["acme.com", "Acme Inc.", None, "sales@acme.com"])
    assert out.dtype == bool
    assert out.tolist() == [True, False, False, True]
    assert looks_like_address([]).tolist() == []


# the trailing dot of a fully qualified domain: still an address, not the name 'acme com'
def test_looks_like_address_trailing_dot():
    assert addr("acme.com.") is True


# the public suffix list, not a short table: com.pl, com.br, github.io are suffixes
@pytest.mark.parametrize("text,expected", [
    ("https://www.nowak.com.pl/kontakt", "nowak.com.pl"),
    ("biuro@kowalski.com.pl", "kowalski.com.pl"),
    ("loja.exemplo.com.br", "exemplo.com.br"),
    ("acme.github.io", "acme.github.io"),
    ("shop.acme.technology", "acme.technology"),
    ("10.0.0.1", ""),
    ("com.pl", ""),
])
def test_registrable_domains_follow_the_public_suffix_list(text, expected):
    assert dom(text) == expected


def test_two_companies_under_one_suffix_are_not_one_domain():
    a, b = registrable_domains(["nowak.com.pl", "kowalski.com.pl"])
    assert (a, b) == ("nowak.com.pl", "kowalski.com.pl")


@pytest.mark.parametrize("name", [
    "Ferrari S.p.A.", "Ferrari SpA", "Nowak Sp. z o.o.", "Nowak sp. z o. o.", "Sony K.K.", "Itau Ltda",
    "Infosys Pvt Ltd", "Infosys Private Limited", "Petronas Sdn Bhd", "Bimbo S.A. de C.V.", "Richter Kft.",
    "Yandex OOO", "Grab Pte. Ltd.", "Skoda a.s.",
])
def test_more_legal_forms_are_dropped(name):
    key = normalise_names([name])[0]
    assert key == normalise_names([name.split()[0]])[0], (name, key)
