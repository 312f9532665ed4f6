"""Charts of the economics: the unit cost of a credential over cohort sizes.

One drawing function per chart, returning the bytes of a deterministic SVG (matplotlib's
hash salt fixed, no date or creator written), so the command line
(``pathways cost --credential IRI --format svg``) and the credential page
(``/credential/cost.svg?iri=``) give the same bytes.

>>> from pathways.economics.costs import CostItem, CostModel, Horizon, cost_curve
>>> from pathways.economics.costs import credential_cost
>>> from pathways.economics.money import Money
>>> design = CostItem("urn:d", "design", ("urn:a",), None, "urn:k", "k", False,
...                   "one-off", "fixed", Money.of("1000", "EUR"), None)
>>> model = CostModel((design,), {}, {}, {})
>>> cost = credential_cost(model, "urn:a", Horizon(8))
>>> svg = cost_curve_svg(cost, cost_curve(model, "urn:a", Horizon(8), (5, 10)))
>>> svg.startswith(b"<?xml") and b"per participant" in svg
True
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from pathways.economics.costs import CredentialCost, CurvePoint

__all__ = ["cost_curve_svg", "prepare"]


def prepare() -> None:
    """Import matplotlib and the backends the charts save with, in the calling thread.

    A warming server calls this in its warm-up thread: neither its start (0.4 s) nor
    its first chart request pays for the import.
    """
    import matplotlib
    import matplotlib.backends.backend_agg
    import matplotlib.backends.backend_svg
    import matplotlib.figure

    del matplotlib


def cost_curve_svg(cost: CredentialCost, curve: Sequence[CurvePoint]) -> bytes:
    """The true cost per participant at each cohort size of ``curve`` (a line with its
    points labelled), the published fee as a dashed line when there is one, and the
    horizon's own cohort size marked."""
    import matplotlib
    from matplotlib.figure import Figure

    currency = cost.total.currency
    sizes = [p.cohort for p in curve]
    unit = [float(p.per_participant.amount) for p in curve]
    with matplotlib.rc_context({"svg.hashsalt": "pathways", "font.size": 9}):
        # A Figure of its own, not pyplot: pyplot's global state is not thread-safe, and
        # a server draws charts in its request threads (matplotlib's "embedding in a
        # web application server" advice).
        fig = Figure(figsize=(6.4, 3.6))
        ax = fig.subplots()
        ax.plot(sizes, unit, marker="o", color="#1f4fa3", label="true cost per participant")
        for x, y in zip(sizes, unit, strict=True):
            ax.annotate(f"{y:,.0f}", (x, y), textcoords="offset points", xytext=(0, 6),
                        ha="center", fontsize=7)  # fmt: skip
        if cost.fee is not None:
            ax.axhline(
                float(cost.fee.amount), color="#b3261e", linestyle="--", label="published fee"
            )
        ax.axvline(cost.horizon.cohort, color="#5b6475", linestyle=":", linewidth=1,
                   label=f"cohort of {cost.horizon.cohort}")  # fmt: skip
        ax.set_xlabel("participants per cohort")
        ax.set_ylabel(f"{currency} per participant")
        ax.set_ylim(bottom=0)
        ax.set_title(
            f"Unit cost over {cost.horizon.years} year(s), "
            f"{cost.horizon.cohorts_per_year} cohort(s) a year"
        )
        ax.legend(fontsize=7)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()
