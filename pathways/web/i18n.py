"""The explorer's interface language: one negotiation for the interface strings and the
data's labels, and the message catalogue the templates translate from.

The reader's languages come from ``?lang=`` (the language switch; it wins) or else from
``Accept-Language`` by q-value (a language with ``q=0`` is refused, ``*`` stands for the
default first). :func:`negotiate` picks among what is available with
:func:`babel.core.negotiate_locale`: the interface among :data:`LOCALES`, the data's
labels among the languages the data has (:func:`pathways.web.pages.reader_language`).

>>> negotiate(None, "es;q=0, pt", LOCALES)
'pt'
>>> negotiate(None, "*", LOCALES), negotiate(None, "fi-FI, en;q=0.5", LOCALES)
('en', 'fi')
>>> negotiate("es", "fi", LOCALES), negotiate(None, "de, *;q=0.1", ("en", "es"))
('es', 'en')

The interface strings are ``gettext`` messages of the domain ``messages``, compiled to
``locale/<ll>/LC_MESSAGES/messages.mo`` in this package (``make messages`` extracts,
updates and compiles them). Templates use Jinja's ``i18n`` extension with new-style
gettext; the callables are passed in each request's template context
(:func:`template_context`), never installed in the shared environment.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import io
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from importlib.resources import files
from typing import Any

from babel.core import Locale, negotiate_locale
from babel.numbers import format_decimal, format_percent
from fastapi import Request
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.background import BackgroundTask
from starlette.templating import Jinja2Templates, _TemplateResponse

from pathways.web.negotiation import parse_accept

__all__ = [
    "DEFAULT_LOCALE",
    "LOCALES",
    "LOCALE_NAMES",
    "NUMBER_LOCALES",
    "N_",
    "LocalizedTemplates",
    "chosen_language",
    "is_language_tag",
    "negotiate",
    "request_locale",
    "template_context",
    "translations",
]

#: The interface languages, the default first.
LOCALES: tuple[str, ...] = ("en", "es", "pt", "fi")
DEFAULT_LOCALE = "en"
#: Each interface language in its own words (the language switch).
LOCALE_NAMES: dict[str, str] = {"en": "English", "es": "español", "pt": "português", "fi": "suomi"}
#: The gettext domain of the catalogue.
DOMAIN = "messages"

_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


def N_(message: str) -> str:
    """``message``, marked for extraction: it is translated where a template shows it
    (``{{ _(name) }}``).

    >>> N_("Country")
    'Country'
    """
    return message


def is_language_tag(text: str) -> bool:
    """True for a well-formed BCP 47 language tag (the shape, not the registry).

    >>> is_language_tag("pt-BR"), is_language_tag("not a tag!")
    (True, False)
    """
    return bool(_TAG.match(text))


def _wanted(lang: str | None, accept_language: str | None) -> tuple[list[str], set[str]]:
    """The reader's tags best first (``*`` kept in place) and the tags refused (q=0)."""
    if lang and is_language_tag(lang):
        return [lang], set()
    if not accept_language:
        return [], set()
    wanted: list[str] = []
    refused: set[str] = set()
    for tag, q in parse_accept(accept_language):
        if tag != "*" and not is_language_tag(tag):
            continue
        if q > 0:
            wanted.append(tag)
        else:
            refused.add(tag)
    return wanted, refused


def negotiate(
    lang: str | None,
    accept_language: str | None,
    available: Sequence[str],
    default: str = DEFAULT_LOCALE,
) -> str:
    """The best of ``available`` for ``?lang=`` (when a well-formed tag) or else the
    ``Accept-Language`` header; ``default`` (or the first language not refused) when
    nothing the reader asked for is available. Returns the spelling of ``available``."""
    spelled = {a.lower(): a for a in available}
    wanted, refused = _wanted(lang, accept_language)
    # "*": any language the header does not name, the default first; a refused one is
    # never offered.
    acceptable = [
        a for a in sorted(available, key=lambda a: a != default) if a.lower() not in refused
    ]
    named = {tag.split("-")[0] for tag in wanted} | refused
    preferred: list[str] = []
    for tag in wanted:
        preferred += [a for a in acceptable if a.lower() not in named] if tag == "*" else [tag]
    found = negotiate_locale(preferred, list(available), sep="-", aliases={})
    if found is not None:
        return spelled[found.lower()]
    return default if default not in refused or not acceptable else acceptable[0]


def chosen_language(request: Request) -> str | None:
    """The page's own ``?lang=`` when it is a well-formed tag: the language switch's
    choice, which the page's links and forms carry on (:func:`template_context`)."""
    lang = request.query_params.get("lang")
    return lang if lang and is_language_tag(lang) else None


def request_locale(request: Request) -> str:
    """The interface language of ``request`` among :data:`LOCALES`."""
    return negotiate(
        request.query_params.get("lang"), request.headers.get("accept-language"), LOCALES
    )


@cache
def translations(locale: str) -> stdlib_gettext.NullTranslations:
    """The compiled catalogue of ``locale``, read once from the package (English, the
    language of the messages themselves, needs none)."""
    if locale == DEFAULT_LOCALE:
        return stdlib_gettext.NullTranslations()
    if locale not in LOCALES:
        raise KeyError(f"no interface language {locale!r}")
    mo = files("pathways.web") / "locale" / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"
    return stdlib_gettext.GNUTranslations(io.BytesIO(mo.read_bytes()))


def _newstyle_gettext(func: Callable[[str], str]) -> Callable[..., str]:
    """Jinja's new-style ``gettext``: ``%(name)s`` filled in here, escaped when the
    template autoescapes (as :mod:`jinja2.ext` makes it for installed callables): the
    message is then trusted markup and each variable is escaped once, and the answer
    stays :class:`~markupsafe.Markup`, so the template does not escape it again."""

    @pass_context
    def gettext(__context: Context, __string: str, **variables: Any) -> str:
        rv = str(__context.call(func, __string))
        if __context.eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables if variables else rv

    return gettext


def _newstyle_ngettext(func: Callable[[str, str, int], str]) -> Callable[..., str]:
    """Jinja's new-style ``ngettext``; ``num`` is a variable of the message too."""

    @pass_context
    def ngettext(
        __context: Context, __singular: str, __plural: str, __num: int, **variables: Any
    ) -> str:
        variables.setdefault("num", __num)
        rv = str(__context.call(func, __singular, __plural, __num))
        if __context.eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables

    return ngettext


#: The CLDR locale whose number conventions each interface language uses: those of
#: the pilot countries (CLDR's plain ``pt`` is Brazil's, 2.300,00; Portugal writes
#: 2 300,00).
NUMBER_LOCALES = {"pt": "pt_PT"}


def _numbers(locale: str) -> dict[str, Callable[..., str]]:
    """``number`` and ``percent`` in ``locale``'s symbols and grouping (Babel, CLDR):
    ``number(1234.5)`` is 1,234.5 in English, 1234,5 in Spanish, 1 234,5 in Finnish.

    >>> n = _numbers("fi")
    >>> n["number"](1234.5), n["number"](2, 2), n["percent"](0.125, 1), n["number"](None)
    ('1\xa0234,5', '2,00', '12,5\xa0%', '–')
    >>> _numbers("en")["number"](-0.25, 1, signed=True), _numbers("es")["percent"](0.5)
    ('-0.2', '50\xa0%')
    """
    parsed = Locale.parse(NUMBER_LOCALES.get(locale, locale))
    percent_pattern = parsed.percent_formats[None].pattern

    def number(value: Any, decimals: int | None = None, *, signed: bool = False) -> str:
        """``value`` with at most three decimals, or exactly ``decimals``."""
        if value is None:
            return "–"
        fraction = ".###" if decimals is None else ("." + "0" * decimals).rstrip(".")
        digits = "#,##0" + fraction
        pattern = f"+{digits};-{digits}" if signed else digits
        return format_decimal(value, format=pattern, locale=parsed)

    def percent(value: Any, decimals: int = 0) -> str:
        """``value`` (a share: 0.5) as a percentage with ``decimals`` decimals."""
        if value is None:
            return "–"
        pattern = (
            percent_pattern.replace("0", "0." + "0" * decimals, 1) if decimals else percent_pattern
        )
        return format_percent(value, format=pattern, locale=parsed)

    return {"number": number, "percent": percent}


@cache
def _callables(locale: str) -> dict[str, Callable[..., str]]:
    catalogue = translations(locale)
    gettext = _newstyle_gettext(catalogue.gettext)
    return {
        "gettext": gettext,
        "_": gettext,
        "ngettext": _newstyle_ngettext(catalogue.ngettext),
        **_numbers(locale),
    }


def template_context(request: Request) -> dict[str, Any]:
    """What every page's template gets for its interface language: ``_``, ``gettext``,
    ``ngettext`` of that language, ``ui_locale`` and ``ui_locales`` (code, own name), and
    ``lang_field``, the hidden input that carries a chosen ``?lang=`` through a GET form
    (empty without one)."""
    locale = request_locale(request)
    chosen = chosen_language(request)
    field = Markup('<input type="hidden" name="lang" value="{}">').format(chosen) if chosen else ""
    return {
        **_callables(locale),
        "ui_locale": locale,
        "ui_locales": [(code, LOCALE_NAMES[code]) for code in LOCALES],
        "lang_field": field,
    }


def install(env: Environment) -> None:
    """Jinja's ``i18n`` extension with new-style gettext in ``env``; the English
    callables stand in only where a template is rendered without a request."""
    env.add_extension("jinja2.ext.i18n")
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]


class LocalizedTemplates(Jinja2Templates):
    """Templates rendered in the request's interface language: the callables of
    :func:`template_context` in the context, and ``Content-Language`` and
    ``Vary: Accept-Language`` on the response."""

    def __init__(self, env: Environment) -> None:
        install(env)
        super().__init__(env=env, context_processors=[template_context])

    def TemplateResponse(
        self,
        request: Request,
        name: str,
        context: dict[str, Any] | None = None,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
    ) -> _TemplateResponse:
        response = super().TemplateResponse(
            request, name, context, status_code, headers, media_type, background
        )
        response.headers["Content-Language"] = response.context["ui_locale"]
        vary = [v.strip() for v in response.headers.get("vary", "").split(",") if v.strip()]
        if "accept-language" not in {v.lower() for v in vary}:
            response.headers["Vary"] = ", ".join([*vary, "Accept-Language"])
        return response
