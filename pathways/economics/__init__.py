"""Economics: money, the true cost of credentials, funding shares and equity.

The public API of the cost and funding part:

- :class:`Money` (exact Decimal amount and ISO 4217 currency) and :class:`CurrencyMismatch`;
- :mod:`pathways.economics.costs`: cost items, :func:`credential_cost`, :func:`unit_cost`,
  :func:`route_cost`, the consortium scenario;
- :mod:`pathways.economics.funding`: funding schemes, rules and :func:`funding_split`;
- :mod:`pathways.economics.equity`: out-of-pocket cost of the cheapest route per learner group.
"""

from pathways.economics.money import CurrencyMismatch, Money, format_money, sum_money

__all__ = ["CurrencyMismatch", "Money", "format_money", "sum_money"]
