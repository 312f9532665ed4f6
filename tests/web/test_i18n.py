"""The explorer's interface languages: one negotiation (``?lang=``, else Accept-Language
by q-value) for the interface strings and the data's labels, the message catalogues
that ship in the package, and the pages rendered from them.

References: RFC 9110 section 12.5.4 (Accept-Language: ``q=0`` means "not acceptable",
``*`` any language) and section 12.4.2 (quality values); the glossary of the task
(pathway = itinerario / percurso / polku, micro-credential = microcredencial /
mikrotutkinto); the catalogues are read back with Babel's own .po and .mo readers.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from pathways.web.i18n import LOCALES, negotiate, translations
from tests.constants import REPO

WEB = REPO / "pathways" / "web"
LOCALE_DIR = WEB / "locale"
TRANSLATED = [ll for ll in LOCALES if ll != "en"]
HV2S = "https://w3id.org/pathways/pilot/es-hv-2s"
#: The navigation of base.html, in its order (SPARQL and API are names, not words).
NAV = ["Search", "Pathways", "Occupations", "Route planner", "Validate", "Analytics"]


@pytest.mark.parametrize(
    ("lang", "header", "expected"),
    [
        (None, "es;q=0, pt", "pt"),  # q=0: not acceptable, however early it comes
        (None, "*", "en"),  # any language: the default
        (None, None, "en"),
        (None, "", "en"),
        (None, "en;q=0.1, es;q=0.9", "es"),  # by q-value, not by position
        (None, "fi-FI,fi;q=0.9,en;q=0.8", "fi"),  # a region falls back to its language
        (None, "PT-br", "pt"),  # tags are case-insensitive
        (None, "de, pt;q=0.5", "pt"),  # the first one available
        (None, "de, *;q=0.1", "en"),
        (None, "en;q=0, *", "es"),  # the wildcard never brings back a refused one
        (None, "en-GB;q=0.5, *", "es"),  # ... and stands for the languages not named
        (None, "fi;q=0.5, *;q=0.4", "fi"),
        (None, "es;q=0", "en"),
        (None, "pt;q=abc, fi;q=0.5", "fi"),  # a malformed q-value reads as 0
        ("fi", "es", "fi"),  # the switch wins over the header
        ("de", "es", "en"),  # ... even when it asks for a language we lack
        ("not a tag!", "pt", "pt"),  # a malformed switch is ignored here
    ],
)
def test_negotiation(lang: str | None, header: str | None, expected: str) -> None:
    assert negotiate(lang, header, LOCALES) == expected


def test_the_data_labels_follow_the_same_negotiation(client: TestClient) -> None:
    """The label language (reader_language) refuses q=0 too: it used to take the first
    tag of the header whatever its q-value."""
    result = client.get("/search.json", headers={"Accept-Language": "es;q=0, pt"}).json()
    assert result["lang"] == "pt"
    page = client.get("/search", headers={"Accept-Language": "es;q=0, pt"})
    assert page.headers["content-language"] == "pt" and '<html lang="pt">' in page.text
    by_q = client.get("/search.json", headers={"Accept-Language": "en;q=0.2, fi;q=0.8"}).json()
    assert by_q["lang"] == "fi"


class Page(HTMLParser):
    """The texts of the header's links and the attributes of its <html> element."""

    def __init__(self) -> None:
        super().__init__()
        self.html_lang: str | None = None
        self.nav: list[str] = []
        self.switch: dict[str, str] = {}
        self._where: list[str] = []
        self._href: str | None = None
        self._hreflang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag == "nav":
            self._where.append(a.get("class") or "nav")
        if tag == "a" and self._where:
            self._href, self._hreflang = a.get("href"), a.get("hreflang")

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._where:
            self._where.pop()
        if tag == "a":
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._href is None or not self._where:
            return
        if self._where[-1] == "nav":
            self.nav.append(data.strip())
        elif self._where[-1] == "lang-switch" and self._hreflang:
            self.switch[self._hreflang] = self._href


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


#: What the navigation says in each language (the task's glossary for "Pathways").
EXPECTED_NAV = {
    "en": NAV,
    "es": ["Buscar", "Itinerarios", "Ocupaciones", "Planificador de rutas", "Validar"],
    "pt": ["Pesquisar", "Percursos", "Profissões", "Planeador de rotas", "Validar"],
    "fi": ["Haku", "Polut", "Ammatit", "Reittisuunnittelija", "Validoi"],
}


@pytest.mark.parametrize("ll", LOCALES)
def test_each_language_has_its_navigation_html_lang_and_content_language(
    client: TestClient, ll: str
) -> None:
    for response in (
        client.get("/search", params={"lang": ll}),
        client.get("/search", headers={"Accept-Language": f"{ll};q=0.9, de"}),
    ):
        page = parse(response.text)
        assert page.nav[: len(EXPECTED_NAV[ll])] == EXPECTED_NAV[ll]
        assert page.nav[: len(NAV)] == [translations(ll).gettext(m) for m in NAV]
        assert page.html_lang == ll
        assert response.headers["content-language"] == ll
        assert "accept-language" in response.headers["vary"].lower()


@pytest.mark.parametrize(
    ("path", "params", "msgid"),
    [
        ("/route", {}, "Route planner"),
        ("/validate", {}, "Validation service"),
        ("/credential", {"iri": HV2S}, "Pathway conditionality"),
        ("/credential", {"iri": HV2S}, "True cost"),
        ("/credential", {"iri": HV2S}, "Outcomes"),
        ("/credential", {"iri": "https://example.org/none"}, "Something is not right"),
    ],
)
def test_other_pages_speak_the_language_too(
    client: TestClient, path: str, params: dict[str, str], msgid: str
) -> None:
    for ll in LOCALES:
        response = client.get(path, params=params, headers={"Accept-Language": ll})
        text = translations(ll).gettext(msgid)
        assert (text != msgid) == (ll != "en"), (ll, msgid)
        assert f"<h1>{text}</h1>" in response.text or f"<h2>{text}</h2>" in response.text
        assert f'<html lang="{ll}">' in response.text
        assert response.headers["content-language"] == ll, path
        assert "accept-language" in response.headers["vary"].lower()


def test_the_legs_of_conditionality_are_named_in_the_language(client: TestClient) -> None:
    # The names come from pathways.web.credential.LEGS (marked N_); the JSON keeps English.
    for ll in LOCALES:
        html = client.get("/credential", params={"iri": HV2S, "lang": ll}).text
        for name in ("validated assessment", "published structured metadata"):
            assert translations(ll).gettext(name) in html, (ll, name)
    twin = client.get("/credential.json", params={"iri": HV2S, "lang": "es"}).json()
    assert twin["conditionality"][0]["name"] == "validated assessment"


def test_english_is_the_default_and_the_json_twins_carry_no_content_language(
    client: TestClient,
) -> None:
    page = client.get("/search")
    assert page.headers["content-language"] == "en" and '<html lang="en">' in page.text
    assert parse(page.text).nav[: len(NAV)] == NAV
    twin = client.get("/search.json", headers={"Accept-Language": "fi"})
    assert "content-language" not in twin.headers and twin.json()["lang"] == "fi"


def test_the_switch_keeps_the_query_and_links_carry_the_chosen_language(
    client: TestClient,
) -> None:
    from urllib.parse import parse_qsl, urlsplit

    query = [("q", "battery"), ("country", "ESP"), ("page", "1"), ("lang", "es")]
    page = parse(client.get("/search", params=query).text)
    assert set(page.switch) == {"en", "pt", "fi"}  # the current one is not a link
    for ll, href in page.switch.items():
        parts = urlsplit(href)
        assert parts.path == "/search"
        assert parse_qsl(parts.query) == [*query[:3], ("lang", ll)]
    # The navigation keeps the switch's choice; without one, links stay as they were.
    assert all("lang=es" in href for href in _nav_links(client, {"lang": "es"}))
    assert not any("lang=" in href for href in _nav_links(client, {}))


def test_forms_carry_the_chosen_language(client: TestClient) -> None:
    """A GET form replaces the query, so it carries ?lang= as a hidden field; a POST
    form keeps its action's query, so the action carries it."""
    hidden = '<input type="hidden" name="lang" value="fi">'
    route = client.get("/route", params={"lang": "fi"}).text
    assert route.count(hidden) == 1 and 'action="/route?lang=fi"' in route
    assert hidden in client.get("/economics", params={"lang": "fi"}).text
    assert route.count('name="lang"') == 1  # the switch's links are links, not fields
    validate = client.get("/validate", params={"lang": "fi"}).text
    assert 'action="/validate?lang=fi"' in validate
    plain = client.get("/route", headers={"Accept-Language": "fi"}).text
    assert 'name="lang"' not in plain and 'action="/route"' in plain
    posted = client.post("/validate", params={"lang": "pt"}, data={"text": "", "format": "html"})
    assert posted.headers["content-language"] == "pt"


def _nav_links(client: TestClient, params: dict[str, str]) -> list[str]:
    html = client.get("/route", params=params).text
    nav = html.split("<nav>", 1)[1].split("</nav>", 1)[0]
    return [h for h in re.findall(r'href="([^"]+)"', nav) if h != "/docs"]


def test_pages_in_different_languages_at_once_do_not_mix(client: TestClient) -> None:
    """The gettext callables are in each request's context, not in the shared
    environment: concurrent requests in four languages each get their own."""

    def heading(ll: str) -> tuple[str, str]:
        html = client.get("/validate", headers={"Accept-Language": ll}).text
        return ll, html.split("<h1>", 1)[1].split("</h1>", 1)[0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(heading, [*LOCALES] * 6))
    for ll, text in answers:
        assert text == translations(ll).gettext("Validation service"), ll


# -- the catalogues ---------------------------------------------------------------------


def _po(ll: str) -> Catalog:
    with (LOCALE_DIR / ll / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=ll)


def _strings(catalog: Catalog) -> dict[Any, Any]:
    """id -> translation, plural forms as tuples (read_mo gives lists)."""

    def plain(value: Any) -> Any:
        return tuple(value) if isinstance(value, list | tuple) else value

    return {plain(m.id): plain(m.string) for m in catalog if m.id and not m.fuzzy}


@pytest.mark.parametrize("ll", TRANSLATED)
def test_the_committed_mo_files_are_compiled_from_the_po_files(ll: str) -> None:
    po = _po(ll)
    assert not [m.id for m in po if m.id and m.fuzzy], "fuzzy entries: translate them"
    with (LOCALE_DIR / ll / "LC_MESSAGES" / "messages.mo").open("rb") as f:
        shipped = read_mo(f)
    compiled = io.BytesIO()
    write_mo(compiled, po)  # what `pybabel compile` writes
    compiled.seek(0)
    assert _strings(shipped) == _strings(read_mo(compiled)) == _strings(po), "make messages"


def _extracted() -> Iterator[Any]:
    """Every message of the web layer, extracted as `make messages` does (babel.cfg)."""
    with (REPO / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)  # type: ignore[no-untyped-call]
    for _file, _line, message, _comments, _context in extract_from_dir(
        WEB, method_map, options_map
    ):
        yield message


def _forms(value: Any) -> tuple[str, ...]:
    """A message's id or translation as its forms (one, or the plural forms)."""
    return (value,) if isinstance(value, str) else tuple(value or ())


def test_extraction_finds_the_interface_strings() -> None:
    """The extraction this file checks against is not empty by accident."""
    found = set(_extracted())
    assert {"Search", "Route planner", "Validation service", "Country"} <= found
    assert ("%(count)s credential", "%(count)s credentials") in found


@pytest.mark.parametrize("ll", TRANSLATED)
def test_every_message_is_translated(ll: str) -> None:
    po = _po(ll)
    untranslated = []
    for message in set(_extracted()):
        entry = po.get(message[0] if isinstance(message, tuple) else message)
        strings = _forms(entry.string) if entry else ()
        if entry is None or entry.fuzzy or not strings or not all(strings):
            untranslated.append(message)
        elif isinstance(message, tuple):
            assert len(strings) == po.num_plurals, (ll, message)
    assert not untranslated, f"{ll}: make messages, translate {sorted(map(str, untranslated))}"


@pytest.mark.parametrize("ll", TRANSLATED)
def test_translations_keep_the_placeholders_and_add_no_markup(ll: str) -> None:
    """Placeholders as the message has them (Babel's python-format checker), and no
    markup or quote the message lacks: a translation is trusted markup in the page,
    often inside an attribute."""
    po = _po(ll)
    problems = [(m.id, [str(e) for e in errors]) for m, errors in po.check()]
    assert not problems, problems
    for m in po:
        if not m.id:
            continue
        source = "".join(_forms(m.id))
        for text in _forms(m.string):
            for char in '<>"&':
                assert char in source or char not in text, (m.id, text)
            assert re.findall(r"</?\w+", text) == re.findall(r"</?\w+", source), (m.id, text)


def test_catalogues_are_read_once() -> None:
    assert translations("fi") is translations("fi")
    assert translations("fi").gettext("Search") == "Haku"
    with pytest.raises(KeyError):
        translations("de")


def test_the_catalogues_ship_in_the_package() -> None:
    """Under pathways/web/, so the wheel (hatch: every file of the package) has them;
    tests/web/test_packaging.py checks the wheel itself."""
    for ll in TRANSLATED:
        assert (LOCALE_DIR / ll / "LC_MESSAGES" / "messages.mo").is_file()


#: Words a page may show as they are in every language: names of formats, standards,
#: programs and the product.
PROPER_NAMES = {
    "pathways", "SPARQL", "API", "JSON", "Turtle", "N-Triples", "JSON-LD", "CTDL",
    "Open Badges 3.0", "ESCO",
}  # fmt: skip


def _untranslated_text(template: str) -> list[str]:
    """The text of ``template`` that no gettext call or trans block wraps: what the
    page would show in English whatever the reader's language."""
    text = re.sub(r"\{%-?\s*trans\b.*?endtrans\s*-?%\}", " ", template, flags=re.S)
    text = re.sub(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", " ", text, flags=re.S)
    text = re.sub(r"<(script|style|code)\b.*?</\1>", " ", text, flags=re.S)
    found = []
    for attribute in re.findall(r'\b(?:title|alt|aria-label|placeholder)="([^"]*)"', text):
        if re.search(r"[A-Za-z]{2,}", attribute) and not attribute.startswith("@prefix"):
            found.append(attribute)
    text = re.sub(r"<[^>]*>", "\n", text)
    for line in text.splitlines():
        words = line.strip(" ·:;,.()")
        if re.search(r"[A-Za-z]{2,}", words) and words not in PROPER_NAMES:
            found.append(words)
    return found


def test_the_templates_show_no_text_outside_the_catalogue() -> None:
    """Every sentence of a page is a message of the catalogue (so the test above, that
    each is translated, covers the whole page); the validation page once said its
    summary and "No results" in English in every language."""
    problems = {}
    for path in sorted((REPO / "pathways" / "web" / "templates").rglob("*.html")):
        found = [w for w in _untranslated_text(path.read_text()) if w not in PROPER_NAMES]
        if found:
            problems[path.name] = found
    assert not problems, problems


def test_the_scan_finds_text_outside_the_catalogue() -> None:
    assert _untranslated_text('<p>{{ _("Fine") }} No results.</p>') == ["No results"]
    assert _untranslated_text('<img alt="a chart">') == ["a chart"]
    assert _untranslated_text("<p>{% trans n=1 %}{{ n }} rows{% endtrans %}</p>") == []


def test_the_librarys_words_are_in_the_catalogue() -> None:
    """The measure names and severities come from the library, in English; the
    templates translate them, so each must be a message (pathways/web/words.py)."""
    from pathways.routing import MEASURE_NAMES
    from pathways.validation.render import LEVELS
    from pathways.web.words import MEASURE_WORDS, SEVERITY_WORDS

    assert set(MEASURE_NAMES.values()) == set(MEASURE_WORDS)
    assert {*LEVELS, *(name.capitalize() for name in LEVELS)} == set(SEVERITY_WORDS)
    messages = {m.id for m in _po("es") if m.id}
    assert set(MEASURE_WORDS) | set(SEVERITY_WORDS) <= messages


def test_the_validation_page_speaks_the_language(client: TestClient) -> None:
    page = client.get("/validate", params={"lang": "es"}).text
    assert "los perfiles básicos" in page or "Perfiles" in page
    assert ">violation<" not in page and ">infracción<" in page


@pytest.mark.parametrize(
    ("ll", "total"),
    # the CLDR's symbols and grouping (through Babel): the same 2,300 EUR in each;
    # Portuguese as Portugal writes it (CLDR pt_PT), not Brazil (CLDR pt: 2.300,00)
    [("en", "2,300.00 EUR"), ("fi", "2\xa0300,00 EUR"), ("pt", "2\xa0300,00 EUR")],
)
def test_numbers_are_written_as_the_language_writes_them(
    client: TestClient, ll: str, total: str
) -> None:
    page = client.get("/route", params={"to": "pilot:es-hv-3s", "lang": ll}).text
    (footer,) = re.findall(r"<tfoot>.*?</tfoot>", page, re.S)
    assert f"<td>{total}</td>" in footer


@pytest.mark.parametrize("ll", ["en", "es"])
def test_messages_are_escaped_once(client: TestClient, ll: str) -> None:
    """A message is trusted markup and its variables are escaped once: the new-style
    gettext once turned its answer back into a plain string, so the page escaped it
    again (``&lt;code&gt;`` shown on the validation page, and a label with ``&`` as
    ``&amp;amp;``)."""
    page = client.get("/validate", params={"lang": ll}).text
    assert "<code>pathways validate FILE</code>" in page
    assert "&lt;code&gt;" not in page


def test_a_variable_of_a_message_is_escaped_exactly_once() -> None:
    from markupsafe import Markup

    from pathways.web.i18n import _callables
    from pathways.web.pages import templates

    template = templates.env.from_string(
        "{% trans x=v %}A {{ x }}{% endtrans %}|{{ _('%(x)s!', x=v) }}|"
        "{% trans x=m %}<i>{{ x }}</i>{% endtrans %}"
    )
    out = template.render(**_callables("en"), v="<b>&", m=Markup("<a href='/'>L</a>"))
    assert out == "A &lt;b&gt;&amp;|&lt;b&gt;&amp;!|<i><a href='/'>L</a></i>"
