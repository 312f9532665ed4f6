"""Money: a Decimal amount in one explicit ISO 4217 currency.

Every figure of the economics package is a :class:`Money`. Amounts are exact
:class:`~decimal.Decimal` values (never floats); arithmetic keeps full precision and only
:meth:`Money.quantized` and :func:`format_money` round, to cents, half up. Adding or
comparing amounts in different currencies raises :class:`CurrencyMismatch`: mixing
currencies is an error, never a sum.

>>> total = Money.of("890", "EUR") + Money.of("120", "EUR")
>>> str(total)
'1010.00 EUR'
>>> Money.of("10", "EUR") + Money.of("10", "NZD")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pathways.economics.money.CurrencyMismatch: cannot combine 10 EUR and 10 NZD: ...
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from rdflib.term import Node

from pathways.errors import InputError, PathwaysError, UsageError
from pathways.rdf.store import KnowledgeGraph

__all__ = [
    "CENT",
    "CurrencyMismatch",
    "Money",
    "format_money",
    "monetary_amount",
    "money_from_row",
    "parse_amount",
    "parse_threshold",
    "sum_money",
    "to_decimal",
]

CENT = Decimal("0.01")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class CurrencyMismatch(PathwaysError):
    """Two amounts in different currencies were combined (exit code 2)."""

    exit_code = 2


def to_decimal(value: object, *, what: str = "amount") -> Decimal:
    """Read an exact decimal from a literal, string, int or Decimal.

    Floats are refused (they are not exact); RDF literals are read from their lexical form.

    Examples
    --------
    >>> to_decimal("12.50")
    Decimal('12.50')
    >>> from rdflib import Literal
    >>> to_decimal(Literal("0.8", datatype="http://www.w3.org/2001/XMLSchema#decimal"))
    Decimal('0.8')
    """
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, (bool, float)):
        raise InputError(f"{what} {value!r} is not an exact decimal", hint="give it as text")
    elif isinstance(value, int):
        result = Decimal(value)
    else:
        text = str(value).strip()
        try:
            result = Decimal(text)
        except InvalidOperation as err:
            raise InputError(f"{what} {text!r} is not a number") from err
    if not result.is_finite():
        raise InputError(f"{what} {value!s} is not a finite number")
    return result


@dataclass(frozen=True, order=False)
class Money:
    """An exact amount of money in one currency.

    Parameters
    ----------
    amount
        The amount, exact (``Decimal``); not rounded.
    currency
        The ISO 4217 code (three capital letters), such as ``"EUR"``.

    Examples
    --------
    >>> Money.of("45000", "EUR") / 6
    Money(amount=Decimal('7500'), currency='EUR')
    >>> (Money.of("100", "EUR") * Decimal("0.8")).quantized()
    Money(amount=Decimal('80.00'), currency='EUR')
    >>> Money.zero("EUR") < Money.of("1", "EUR")
    True
    """

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal) or not self.amount.is_finite():
            raise InputError(f"amount {self.amount!r} is not a finite Decimal")
        if not _CURRENCY.match(self.currency):
            raise InputError(
                f"currency {self.currency!r} is not an ISO 4217 code",
                hint="use three capital letters such as EUR or NZD",
            )

    @classmethod
    def of(cls, amount: object, currency: str) -> Money:
        """Build an amount from text, an int or a Decimal (floats are refused)."""
        return cls(to_decimal(amount), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Zero in ``currency``."""
        return cls(Decimal(0), currency)

    def _check(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(
                f"cannot combine {self.amount} {self.currency} and "
                f"{other.amount} {other.currency}: amounts are in different currencies",
                hint="convert them first, or compare them separately",
            )

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, (float, bool)) or not isinstance(factor, (Decimal, int)):
            raise TypeError("multiply Money by a Decimal or an int, not a float")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: Decimal | int) -> Money:
        if isinstance(divisor, (float, bool)) or not isinstance(divisor, (Decimal, int)):
            raise TypeError("divide Money by a Decimal or an int, not a float")
        if divisor == 0:
            raise ZeroDivisionError("cannot divide an amount by zero")
        return Money(self.amount / divisor, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._check(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._check(other)
        return self.amount >= other.amount

    def quantized(self) -> Money:
        """The amount rounded to cents, half up (for display and reports)."""
        return Money(self.amount.quantize(CENT, rounding=ROUND_HALF_UP), self.currency)

    def min(self, other: Money) -> Money:
        """The smaller of two amounts in the same currency."""
        return self if self <= other else other

    def max(self, other: Money) -> Money:
        """The larger of two amounts in the same currency."""
        return self if self >= other else other

    def __str__(self) -> str:
        return format_money(self)


def format_money(value: Money, *, grouping: bool = False) -> str:
    """Render an amount rounded to cents with its currency code.

    Examples
    --------
    >>> format_money(Money.of("1234.565", "EUR"))
    '1234.57 EUR'
    >>> format_money(Money.of("1234.5", "EUR"), grouping=True)
    '1,234.50 EUR'
    """
    amount = value.quantized().amount
    text = f"{amount:,}" if grouping else f"{amount}"
    return f"{text} {value.currency}"


def sum_money(values: Iterable[Money], currency: str) -> Money:
    """The exact sum of ``values``, zero in ``currency`` when empty.

    Raises :class:`CurrencyMismatch` when any value is in another currency.

    Examples
    --------
    >>> sum_money([Money.of("1.5", "EUR"), Money.of("2", "EUR")], "EUR")
    Money(amount=Decimal('3.5'), currency='EUR')
    >>> sum_money([], "NZD")
    Money(amount=Decimal('0'), currency='NZD')
    """
    total = Money.zero(currency)
    for value in values:
        total = total + value
    return total


def money_from_row(
    row: dict[str, Node], amount: str = "amount", currency: str = "currency"
) -> Money:
    """Build :class:`Money` from a ``kg.select`` row with amount and currency bindings.

    Examples
    --------
    >>> from rdflib import Literal
    >>> money_from_row({"amount": Literal("13.0"), "currency": Literal("EUR")})
    Money(amount=Decimal('13.0'), currency='EUR')
    """
    if amount not in row or currency not in row:
        raise InputError(
            "a pw:MonetaryAmount lacks pw:amount or pw:currency",
            hint="give every monetary amount both an amount and an ISO 4217 currency",
        )
    return Money(to_decimal(row[amount], what="pw:amount"), str(row[currency]).strip())


def monetary_amount(kg: KnowledgeGraph, subject: Node, predicate: Node) -> Money | None:
    """The :class:`Money` that ``subject predicate [pw:amount; pw:currency]`` states.

    Returns ``None`` when there is none; raises :class:`~pathways.errors.InputError` when
    there are several or one is incomplete.

    Examples
    --------
    >>> from pathways.vocab import PW
    >>> kg = KnowledgeGraph.open()
    >>> monetary_amount(kg, PW.Fixed, PW.fee) is None
    True
    """
    rows = kg.select(
        """SELECT ?amount ?currency WHERE {
            ?s ?p ?m .
            OPTIONAL { ?m pw:amount ?amount }
            OPTIONAL { ?m pw:currency ?currency }
        }""",
        s=subject,
        p=predicate,
    )
    if not rows:
        return None
    if len(rows) > 1:
        raise InputError(
            f"{subject} has {len(rows)} values of {predicate}; expected one",
            hint="keep one monetary amount per property",
        )
    return money_from_row(rows[0])


def parse_amount(text: str, currency: str, what: str) -> Money:
    """An amount given by a person: ``250000`` (in ``currency``) or ``'250000 EUR'``;
    ``what`` names the option or parameter in the error (``simulate --budget``).

    >>> parse_amount("250_000", "eur", "--budget"), parse_amount("12 USD", "EUR", "x")
    (Money(amount=Decimal('250000'), currency='EUR'), Money(amount=Decimal('12'), currency='USD'))
    """
    parts = text.split()
    if len(parts) == 2:
        text, currency = parts
    elif len(parts) != 1:
        raise UsageError(f"{what} {text!r} is not an amount", hint="e.g. 250000 or '250000 EUR'")
    try:
        amount = to_decimal(text.replace("_", ""), what=what)
    except Exception as err:
        raise UsageError(f"{what} {text!r} is not a number", hint="e.g. 250000") from err
    if amount < 0:
        raise UsageError(f"{what} {text} is negative")
    if amount and amount.adjusted() >= _MAX_DIGITS:  # 1e400 cannot even be rounded to cents
        raise UsageError(f"{what} {text} is too large", hint=f"give less than 10^{_MAX_DIGITS}")
    return Money(amount, currency.upper())


#: Digits before the point an amount given by a person may have (10^18 and more is
#: refused: no budget is that large, and at 10^26 cents no longer fit the arithmetic).
_MAX_DIGITS = 18


def parse_threshold(text: str | None, what: str = "--threshold") -> Money | None:
    """``fund --equity --threshold``: an amount, EUR unless a currency follows."""
    if text is None:
        return None
    parts = text.split()
    currency = parts[1] if len(parts) == 2 else "EUR"
    if len(parts) not in (1, 2):
        raise UsageError(f"{what} {text!r}", hint="give an amount, such as 300 or '300 EUR'")
    return Money(to_decimal(parts[0], what=what), currency.upper())
