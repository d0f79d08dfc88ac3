"""The single shape of every problem found in the data, and the catalogue of rules.

A stage never raises for a fault in the data: it returns `Problem`s. A rule only names the
field (a path such as ``("thematiques", 2)``); `repertoire.load.locate` fills in the line and
column afterwards, from the YAML syntax tree.

Printed form, as compilers do::

    data/participants/x.yml:12:5: thematiques[2]: « ess2 » n'est pas une thématique connue — vouliez-vous dire « ess » ?
    data/participants/y.yml:1:1: avertissement: le fichier commence par une marque d'ordre des octets (BOM), ignorée — …
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum

Path = tuple[str | int, ...]


class Severity(str, Enum):
    ERROR = "erreur"
    WARNING = "avertissement"


RULES: dict[str, str] = {
    "fichier-manquant": "Un fichier de référence attendu est absent.",
    "fichier-illisible": "Le fichier ne peut pas être lu comme du texte UTF-8.",
    "fichier-trop-gros": "Le fichier dépasse la taille permise pour une fiche.",
    "nom-de-fichier-invalide": "Le fichier n'est pas une fiche ordinaire nommée <identifiant>.yml (nom invalide, dossier, lien symbolique), ou un fichier YAML n'est pas à sa place dans data/.",
    "yaml-invalide": "Le fichier n'est pas du YAML correct.",
    "yaml-interdit": "Le fichier utilise une construction YAML refusée (alias, ancre, étiquette, clé non textuelle, imbrication trop profonde), ou qui ferait disparaître ou changer une partie du texte (dièse lu comme un commentaire, élément de liste décalé, barre oblique inverse entre guillemets).",
    "cle-en-double": "Une même clé apparaît deux fois dans un bloc.",
    "cle-inconnue": "Le champ n'existe pas dans le schéma.",
    "champ-manquant": "Un champ obligatoire est absent.",
    "type-invalide": "La valeur n'a pas le type attendu.",
    "valeur-invalide": "La valeur ne respecte pas la forme attendue.",
    "caractere-interdit": "Le texte contient un caractère invisible, de contrôle ou illisible (puce d'une police, lettre perdue).",
    "id-different-du-fichier": "L'identifiant ne correspond pas au nom du fichier.",
    "id-en-double": "Deux éléments portent le même identifiant.",
    "code-en-double": "Deux territoires du même type portent le même code officiel.",
    "reference-inconnue": "Le champ renvoie à un identifiant qui n'existe pas.",
    "reference-a-soi-meme": "Une fiche renvoie à elle-même.",
    "doublon-probable": "Deux fiches décrivent vraisemblablement le même participant.",
    "fiche-ancienne": "La fiche n'a pas été confirmée depuis plus longtemps que la durée fixée dans data/publication.yml (avertissement).",
    "nom-masque-visible": "Une fiche qui masque les noms en cite un ailleurs (identifiant, titre, textes, motif d'un lien…).",
    "nom-dans-un-texte": "Un texte ou l'identifiant cite une personne de la fiche, que les données ouvertes publieraient (avertissement).",
    "coordonnees-personnelles": "Un texte donne une adresse électronique ou un numéro de portable, publiés partout (avertissement).",
}
"""Rule code → what the rule checks, in French. Every `Problem.code` is a key here."""


@dataclass(frozen=True)
class Problem:
    """One fault in one file, located as precisely as the YAML allows."""

    code: str
    """Rule code, a key of `RULES`."""
    file: str
    """Path of the file, relative to the project root (``data/participants/x.yml``)."""
    path: Path = ()
    """Field path inside the document; empty for the whole file."""
    message: str = ""
    """What is wrong, quoting the value received."""
    hint: str = ""
    """What to do about it."""
    severity: Severity = Severity.ERROR
    line: int = 0
    """1-based line, 0 when unknown."""
    column: int = 0
    """1-based column, 0 when unknown."""
    on_key: bool = field(default=False, compare=False)
    """Point at the key of `path` rather than at its value (unknown and duplicate keys)."""

    def __post_init__(self) -> None:
        if self.code not in RULES:
            raise ValueError(f"unknown rule code {self.code!r}")

    @property
    def field_name(self) -> str:
        """The dotted path as a contributor reads it: ``personnes[0].nom``."""
        text = ""
        for part in self.path:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
        return text

    def located(self, line: int, column: int) -> Problem:
        return replace(self, line=line, column=column)

    def __str__(self) -> str:
        place = self.file
        if self.line:
            place += f":{self.line}:{self.column}"
        text = f"{place}: "
        if self.severity is Severity.WARNING:
            text += f"{self.severity.value}: "
        if self.path:
            text += f"{self.field_name}: "
        text += self.message
        if self.hint:
            text += f" — {self.hint}"
        return text

    def to_dict(self) -> dict:
        return {
            "type": self.code,
            "gravite": self.severity.value,
            "fichier": self.file,
            "ligne": self.line,
            "colonne": self.column,
            "champ": self.field_name,
            "message": self.message,
            "aide": self.hint,
        }


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


ROUTINE = "fiche-ancienne"
"""The warning every fiche left unconfirmed gets, whoever touched it: listed after the others."""


def sort_key(problem: Problem) -> tuple:
    """Errors first, by place, then warnings, by place, the routine reminders of fiches nobody touched
    last: a contributor's own problem is not lost among them, nor cut off where GitHub shows only the
    first ten notes of a kind."""
    return (problem.severity is not Severity.ERROR, problem.code == ROUTINE, problem.file, problem.line, problem.column, problem.field_name)


def summary(problems: list[Problem]) -> str:
    """One French line counting errors and warnings and the files they are in."""
    n_errors = len(errors(problems))
    n_warnings = len(problems) - n_errors
    n_files = len({p.file for p in problems})
    parts = []
    if n_errors:
        parts.append(f"{n_errors} erreur{'s' if n_errors > 1 else ''}")
    if n_warnings:
        parts.append(f"{n_warnings} avertissement{'s' if n_warnings > 1 else ''}")
    if not parts:
        return "Aucun problème."
    return f"{' et '.join(parts)} dans {n_files} fichier{'s' if n_files > 1 else ''}."


def report(problems: list[Problem]) -> str:
    """Every problem on its own line, errors first, then the summary."""
    lines = [str(p) for p in sorted(problems, key=sort_key)]
    lines.append(summary(problems))
    return "\n".join(lines)


def quote(value: object) -> str:
    """A value as French text quotes it: « texte », or the number/boolean as written."""
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "…"
        return f"« {shown} »"
    if value is None:
        return "une valeur vide"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return "une liste" if isinstance(value, list) else "un bloc"
    return str(value)
