"""Command line: ``python -m repertoire <commande>``, in French, a thin layer over the package.

Commands:
    verifier [DONNEES]        check the data folder (défaut : data) and list every problem
    importer TABLEAU          turn a workshop table into draft fiches (--sortie, défaut : data/participants)

Exit status: 0 when all is well, 1 when the data has errors, 2 when the command is misused.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import pipeline
from .problems import report

DESCRIPTION = "Outils du répertoire des initiatives territoriales pour l'emploi."
HELP_VERIFIER = "Vérifie les fichiers de données et liste tous les problèmes, avec fichier, ligne et champ."
HELP_IMPORTER = "Crée les fiches brouillons d'un tableau d'atelier (les fiches existantes ne sont jamais écrasées)."
HELP_DONNEES = "dossier des données (défaut : data)"
HELP_FORMAT = "texte (défaut) ou json"

_FRENCH = {
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments inconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (choix possibles : %(choices)s)",
    "expected one argument": "une valeur est attendue",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "affiche cette aide",
}


def _french(message: str) -> str:
    return _FRENCH.get(message, message)


# argparse looks its messages up through gettext: give it French ones.
argparse._ = _french  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # noqa: D102 - argparse API
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m repertoire", description=DESCRIPTION)
    commands = parser.add_subparsers(dest="commande", required=True, metavar="commande", parser_class=_Parser)
    verifier = commands.add_parser("verifier", help=HELP_VERIFIER, description=HELP_VERIFIER)
    verifier.add_argument("donnees", nargs="?", default="data", type=Path, help=HELP_DONNEES)
    verifier.add_argument("--format", choices=("texte", "json"), default="texte", help=HELP_FORMAT)
    importer = commands.add_parser("importer", help=HELP_IMPORTER, description=HELP_IMPORTER)
    importer.add_argument("tableau", type=Path, help="tableau de l'atelier (texte séparé par des tabulations)")
    importer.add_argument("--sortie", default=Path("data/participants"), type=Path, help="dossier des fiches (défaut : data/participants)")
    return parser


def verifier(data_dir: Path, output_format: str) -> int:
    if not data_dir.is_dir():
        print(f"Le dossier {data_dir} n'existe pas.", file=sys.stderr)
        return 2
    checked = pipeline.check(data_dir)
    if output_format == "json":
        print(json.dumps([p.to_dict() for p in checked.problems], ensure_ascii=False, indent=2))
    else:
        print(report(checked.problems))
    return 0 if checked.ok else 1


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.commande == "verifier":
        return verifier(args.donnees, args.format)
    from .importer import main_importer

    return main_importer(args.tableau, args.sortie)
