"""Import Finnish ePerusteet qualification structures (JSON) as stacking conditions.

=========================================  ==============================================
ePerusteet                                 pathways
=========================================  ==============================================
peruste (a vocational qualification)       ``pw:Qualification`` (title in fi/sv/en,
                                           ``pw:identifier`` the diary number, EQF level
                                           from the qualification type, ``country:FIN``)
tutkinnon osa (unit)                       ``pw:MicroCredential`` (as the pilot data does:
                                           an assessed, credit-bearing unit), identifier
                                           its code (``300056``), credit in osaamispiste
rakenne group                              ``pw:ComponentCondition``: units ->
                                           ``pw:targetComponent``, groups ->
                                           ``pw:hasSubCondition``
muodostumisSaanto koko (unit count) min    ``pw:requiredNumber``
muodostumisSaanto koko max                 ``pw:maximumNumber`` (min = max: exactly)
muodostumisSaanto laajuus (credits) min    ``pw:minimumCredits`` + ``pw:creditUnit``
                                           ``pw:Osaamispiste``
muodostumisSaanto laajuus max              ``pw:maximumCredits`` (min = max: exactly)
osaamisala groups (competence areas)       sub-conditions of which one is required
osaamismerkki (competence badge)           ``pw:OtherCredential``
=========================================  ==============================================

There are no published IRIs for these resources, so they are minted under
:data:`BASE` from the national code lists (``koulutus_357304``,
``tutkinnonosat_300056``). Open slots for a unit "from another qualification" are not
represented and are reported as findings.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import RDF, XSD, BNode, Literal, URIRef

from pathways.interop.documents import read_json
from pathways.interop.results import ImportBuilder, ImportResult
from pathways.vocab import COUNTRY, EQF, PW

__all__ = ["BASE", "STANDARD", "import_eperusteet"]

STANDARD = "https://eperusteet.opintopolku.fi/"
#: Namespace of minted IRIs (followed by the code-list URI, e.g. ``tutkinnonosat_300056``).
BASE = "https://w3id.org/pathways/eperusteet/"
_EQF = {"koulutustyyppi_1": 4, "koulutustyyppi_11": 4, "koulutustyyppi_12": 5}


def _names(value: Any) -> list[Literal]:
    if not isinstance(value, dict):
        return []
    return [
        Literal(str(text), lang=lang)
        for lang, text in sorted(value.items())
        if not lang.startswith("_") and isinstance(text, str) and text.strip() not in ("", "-")
    ]


class _Mapper:
    def __init__(self, path: Path, out: ImportBuilder, source: URIRef) -> None:
        self.path, self.out, self.source = path, out, source

    def find(self, node: object, message: str, severity: str = "warning") -> None:
        self.out.find(self.path, node, message, severity)  # type: ignore[arg-type]

    def qualification(self, doc: dict[str, Any]) -> None:
        out = self.out
        codes = [
            k.get("koulutuskoodiUri") for k in doc.get("koulutukset") or [] if isinstance(k, dict)
        ]
        code = next((c for c in codes if c), None) or f"peruste_{doc.get('id')}"
        qualification = URIRef(BASE + str(code))
        out.add(qualification, RDF.type, PW.Qualification)
        out.derived(qualification, self.source)
        titles = _names(doc.get("nimi"))
        for k in doc.get("koulutukset") or []:
            titles += [
                t for t in _names(k.get("nimi")) if t.language not in {x.language for x in titles}
            ]
        for title in titles:
            out.add(qualification, PW.title, title)
        if doc.get("diaarinumero"):
            out.add(qualification, PW.identifier, Literal(str(doc["diaarinumero"])))
        out.add(qualification, PW.country, COUNTRY.FIN)
        level = _EQF.get(str(doc.get("koulutustyyppi")))
        if level is not None:
            out.add(qualification, PW.eqfLevel, EQF[str(level)])
        units = self._units(doc)
        ways = doc.get("suoritustavat") or []
        if not ways:
            self.find(
                qualification, "no structure (suoritustavat); units imported without conditions"
            )
        chosen = next(
            (w for w in ways if w.get("suoritustapakoodi") == "reformi"), ways[0] if ways else None
        )
        if chosen is None:
            return
        for way in ways:
            if way is not chosen:
                self.find(
                    qualification,
                    f"structure {way.get('suoritustapakoodi')!r} not imported "
                    f"(the {chosen.get('suoritustapakoodi')!r} one was)",
                    "info",
                )
        unit_of_ref = {
            str(v.get("id")): str(v.get("_tutkinnonOsa"))
            for v in chosen.get("tutkinnonOsaViitteet") or []
        }
        credits = {
            str(v.get("id")): v.get("laajuus") for v in chosen.get("tutkinnonOsaViitteet") or []
        }
        for ref, amount in credits.items():
            unit = units.get(unit_of_ref.get(ref, ""))
            if unit is not None and isinstance(amount, (int, float)):
                self._credit(unit, amount)
        condition = self._group(chosen.get("rakenne") or {}, units, unit_of_ref, qualification)
        if condition is not None:
            out.add(qualification, PW.hasCondition, condition)

    def _units(self, doc: dict[str, Any]) -> dict[str, URIRef]:
        units: dict[str, URIRef] = {}
        for unit in doc.get("tutkinnonOsat") or []:
            code = unit.get("koodiUri") or f"tutkinnonosa_{unit.get('id')}"
            node = URIRef(BASE + str(code))
            units[str(unit.get("id"))] = node
            self.out.add(node, RDF.type, PW.MicroCredential)
            self.out.derived(node, self.source)
            for title in _names(unit.get("nimi")):
                self.out.add(node, PW.title, title)
            if unit.get("koodiArvo"):
                self.out.add(node, PW.identifier, Literal(str(unit["koodiArvo"])))
            self.out.add(node, PW.country, COUNTRY.FIN)
        return units

    def _credit(self, unit: URIRef, amount: float) -> None:
        node = BNode()
        self.out.add(unit, PW.credit, node)
        self.out.add(node, RDF.type, PW.CreditValue)
        self.out.add(node, PW.creditAmount, Literal(Decimal(str(amount)), datatype=XSD.decimal))
        self.out.add(node, PW.creditUnit, PW.Osaamispiste)

    def _group(
        self,
        group: dict[str, Any],
        units: dict[str, URIRef],
        unit_of_ref: dict[str, str],
        owner: URIRef,
    ) -> BNode | None:
        targets: list[URIRef] = []
        subs: list[BNode] = []
        areas = 0
        for part in group.get("osat") or []:
            ref = part.get("_tutkinnonOsaViite")
            if ref is not None:
                unit = units.get(unit_of_ref.get(str(ref), ""))
                if unit is None:
                    self.find(owner, f"unit reference {ref} points at no unit (tutkinnonOsat)")
                else:
                    targets.append(unit)
                continue
            if part.get("rooli") == "määrittelemätön":
                name = (part.get("nimi") or {}).get("fi", "")
                self.find(
                    owner,
                    f"open slot '{name}' (a unit from another qualification) is "
                    "not represented; it is left out of the condition",
                    "info",
                )
                continue
            if part.get("rooli") == "osaamisala":
                areas += 1
            sub = self._group(part, units, unit_of_ref, owner)
            if sub is not None:
                subs.append(sub)
        if not targets and not subs:
            return None
        node = BNode()
        out = self.out
        out.add(node, RDF.type, PW.ComponentCondition)
        for title in _names(group.get("nimi")):
            out.add(node, PW.description, title)
        for target in sorted(set(targets), key=str):
            out.add(node, PW.targetComponent, target)
        for sub in subs:
            out.add(node, PW.hasSubCondition, sub)
        rule = group.get("muodostumisSaanto") or {}
        size = rule.get("koko") or {}
        extent = rule.get("laajuus") or {}
        if isinstance(size.get("minimi"), int):
            out.add(
                node, PW.requiredNumber, Literal(size["minimi"], datatype=XSD.nonNegativeInteger)
            )
        elif areas and areas == len(subs):
            out.add(node, PW.requiredNumber, Literal(1, datatype=XSD.nonNegativeInteger))
        credit_rule = False
        for key, prop in (("minimi", PW.minimumCredits), ("maksimi", PW.maximumCredits)):
            if isinstance(extent.get(key), (int, float)) and not isinstance(extent[key], bool):
                out.add(node, prop, Literal(Decimal(str(extent[key])), datatype=XSD.decimal))
                credit_rule = True
        if credit_rule:
            out.add(node, PW.creditUnit, PW.Osaamispiste)
        most = size.get("maksimi")
        if isinstance(most, int) and not isinstance(most, bool):
            out.add(node, PW.maximumNumber, Literal(most, datatype=XSD.nonNegativeInteger))
            least = size.get("minimi")
            if isinstance(least, int) and most < least:
                name = (group.get("nimi") or {}).get("fi", "")
                self.find(
                    owner,
                    f"group '{name}': koko maksimi {most} is below minimi {least}; the rule "
                    "cannot be met",
                )
        return node

    def badges(self, badges: list[Any]) -> None:
        for badge in badges:
            if not isinstance(badge, dict):
                continue
            node = URIRef(BASE + str(badge.get("koodiUri") or f"osaamismerkki_{badge.get('id')}"))
            self.out.add(node, RDF.type, PW.OtherCredential)
            self.out.derived(node, self.source)
            for title in _names(badge.get("nimi")):
                self.out.add(node, PW.title, title)
            for text in _names(badge.get("kuvaus")):
                self.out.add(node, PW.description, text)
            self.out.add(node, PW.country, COUNTRY.FIN)


def import_eperusteet(paths: Iterable[str | Path]) -> ImportResult:
    """Import ePerusteet JSON files: qualification structures or competence badges.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "q.json"
    >>> _ = f.write_text(json.dumps({"id": 1, "nimi": {"fi": "Tutkinto"},
    ...     "koulutukset": [{"koulutuskoodiUri": "koulutus_1"}],
    ...     "tutkinnonOsat": [{"id": 7, "koodiUri": "tutkinnonosat_7", "nimi": {"fi": "Osa"}}],
    ...     "suoritustavat": [{"suoritustapakoodi": "reformi",
    ...         "tutkinnonOsaViitteet": [{"id": 70, "_tutkinnonOsa": "7"}],
    ...         "rakenne": {"osat": [{"_tutkinnonOsaViite": "70", "pakollinen": True}]}}]}))
    >>> result = import_eperusteet([f])
    >>> cond = result.graph.value(URIRef(BASE + "koulutus_1"), PW.hasCondition)
    >>> str(result.graph.value(cond, PW.targetComponent))
    'https://w3id.org/pathways/eperusteet/tutkinnonosat_7'
    """
    out = ImportBuilder(STANDARD, "eperusteet")
    for path, (data, document) in out.each_file([Path(p) for p in paths], read_json):
        if (isinstance(document, dict) and "suoritustavat" in document) or (
            isinstance(document, dict) and "tutkinnonOsat" in document
        ):
            _Mapper(path, out, out.source(path, data)).qualification(document)
        elif isinstance(document, list) and all(
            isinstance(b, dict) and "nimi" in b for b in document
        ):
            _Mapper(path, out, out.source(path, data)).badges(document)
        else:
            out.source(path, None, imported=False)
            out.find(
                path,
                None,
                "not an ePerusteet qualification structure (no 'suoritustavat' "
                "or 'tutkinnonOsat') nor a list of competence badges",
                "error",
            )
    return out.result()
