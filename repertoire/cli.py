"""Command line: ``python -m repertoire <commande>``, in French, a thin layer over the package.

Commands:
    verifier [DONNEES]        check the data folder (défaut : data) and list every problem
    importer TABLEAU          turn a workshop table into draft fiches (--sortie, défaut : data/participants)
    nouvelle-fiche            ask a few questions (or read options) and write a valid new fiche
    exporter [DONNEES]        write the open data (--format json|csv|ods, défaut : tous ; --sortie DOSSIER)

Exit status: 0 when all is well, 1 when the data has errors, 2 when the command is misused.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import export, github, pipeline
from .load import PARTICIPANTS_DIR
from .problems import report

DESCRIPTION = "Outils du répertoire des initiatives territoriales pour l'emploi."
HELP_VERIFIER = "Vérifie les fichiers de données et liste tous les problèmes, avec fichier, ligne et champ."
HELP_IMPORTER = "Crée les fiches brouillons d'un tableau d'atelier (les fiches existantes ne sont jamais écrasées)."
HELP_DONNEES = "dossier des données (défaut : data)"
HELP_FORMAT = "texte (défaut), json, ou github (annotations des lignes fautives et résumé pour GitHub Actions)"
HELP_NOUVELLE = "Crée une fiche valide à partir de quelques réponses (un fichier existant n'est jamais écrasé)."
HELP_EXPORTER = "Écrit les données ouvertes du répertoire (JSON, CSV et son schéma TableSchema, tableur ODS), sans nom de personne."

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


class FrenchParser(argparse.ArgumentParser):
    """argparse in French, errors included: the commands of this package and of `bench/`."""

    def error(self, message: str):  # noqa: D102 - argparse API
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = FrenchParser(prog="python -m repertoire", description=DESCRIPTION)
    commands = parser.add_subparsers(dest="commande", required=True, metavar="commande", parser_class=FrenchParser)
    verifier = commands.add_parser("verifier", help=HELP_VERIFIER, description=HELP_VERIFIER)
    verifier.add_argument("donnees", nargs="?", default="data", type=Path, help=HELP_DONNEES)
    verifier.add_argument("--format", choices=("texte", "json", "github"), default="texte", help=HELP_FORMAT)
    importer = commands.add_parser("importer", help=HELP_IMPORTER, description=HELP_IMPORTER)
    importer.add_argument("tableau", type=Path, help="tableau de l'atelier (texte séparé par des tabulations)")
    importer.add_argument("--sortie", default=Path("data/participants"), type=Path, help="dossier des fiches (défaut : data/participants)")
    nouvelle = commands.add_parser("nouvelle-fiche", help=HELP_NOUVELLE, description=HELP_NOUVELLE + " Les réponses absentes des options sont demandées une à une.")
    nouvelle.add_argument("--donnees", default=Path("data"), type=Path, help=HELP_DONNEES)
    nouvelle.add_argument("--id", help="identifiant de la fiche : minuscules sans accent, chiffres et tirets")
    nouvelle.add_argument("--organisation", help="nom de l'organisation (vide : participant à titre individuel)")
    nouvelle.add_argument("--type", help="type de structure (association, intercommunalite, petr…)")
    nouvelle.add_argument("--territoire", action="append", help="identifiant d'un territoire de data/territoires.yml (option répétable, le principal en premier)")
    nouvelle.add_argument("--personne", help="nom de la personne qui représente le participant")
    nouvelle.add_argument("--date", help="date de mise à jour AAAA-MM-JJ (défaut : aujourd'hui)")
    nouvelle.add_argument("--non-interactif", action="store_true", help="ne pose aucune question : les options suffisent")
    exporter = commands.add_parser("exporter", help=HELP_EXPORTER, description=HELP_EXPORTER)
    exporter.add_argument("donnees", nargs="?", default="data", type=Path, help=HELP_DONNEES)
    exporter.add_argument("--format", choices=export.FORMATS, action="append", help="json, csv ou ods ; répétez l'option pour plusieurs formats (défaut : tous)")
    exporter.add_argument("--sortie", required=True, type=Path, help="dossier où écrire les fichiers")
    return parser


def _checked(data_dir: Path) -> pipeline.Checked | None:
    """The checked data, or None after saying in French why not (a missing folder, a fiche or the fiches'
    folder given instead of the data folder: every file is checked against the others)."""
    if data_dir.is_file() or (data_dir.name == PARTICIPANTS_DIR and not (data_dir / PARTICIPANTS_DIR).is_dir()):
        print(f"« {data_dir} » n'est pas le dossier des données — donnez celui qui contient {PARTICIPANTS_DIR}/ et les fichiers de référence"
              " (data, par défaut) : chaque fiche est vérifiée avec les autres fichiers.", file=sys.stderr)
        return None
    if not data_dir.is_dir():
        print(f"Le dossier {data_dir} n'existe pas — lancez la commande depuis la racine du dépôt, ou donnez le chemin du dossier des données.", file=sys.stderr)
        return None
    return pipeline.check(data_dir)


def exporter(data_dir: Path, formats: list[str] | None, folder: Path) -> int:
    checked = _checked(data_dir)
    if checked is None:
        return 2
    if not checked.ok:
        print(report(checked.problems), file=sys.stderr)
        print("Aucun fichier écrit : corrigez d'abord les erreurs.", file=sys.stderr)
        return 1
    for path in export.write_exports(export.build_exports(checked.index, formats or export.FORMATS), folder):
        print(f"{path} ({path.stat().st_size} octets)")
    return 0


def verifier(data_dir: Path, output_format: str) -> int:
    checked = _checked(data_dir)
    if checked is None:
        return 2
    if output_format == "json":
        print(json.dumps([p.to_dict() for p in checked.problems], ensure_ascii=False, indent=2))
    elif output_format == "github":
        print(github.annotations(checked.problems))
        if os.environ.get("GITHUB_STEP_SUMMARY"):
            with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as summary_file:
                summary_file.write(github.step_summary(checked.problems))
    else:
        print(report(checked.problems))
    return 0 if checked.ok else 1


_FILE_ERRORS = {
    FileNotFoundError: "n'existe pas",
    IsADirectoryError: "est un dossier, là où un fichier est attendu",
    NotADirectoryError: "passe par un fichier, là où un dossier est attendu",
    FileExistsError: "existe déjà et n'est pas un dossier",
    PermissionError: "ne peut pas être lu ou écrit : droits insuffisants",
}


def _file_error(error: OSError) -> str:
    """A file the system refused, in French: « data/x.yml est un dossier… » rather than a traceback."""
    code = f" (erreur système {error.errno})" if error.errno else ""
    if error.filename is None:  # a full disk, a closed pipe: no file to name
        return f"lecture ou écriture refusée par le système{code} — vérifiez la place libre sur le disque et le chemin donné à la commande."
    reason = next((text for kind, text in _FILE_ERRORS.items() if isinstance(error, kind)), f"ne peut pas être lu ou écrit{code}")
    return f"« {error.filename} » {reason} — vérifiez le chemin donné à la commande."


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except OSError as error:
        print(_file_error(error), file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.commande == "verifier":
        return verifier(args.donnees, args.format)
    if args.commande == "exporter":
        return exporter(args.donnees, args.format, args.sortie)
    if args.commande == "nouvelle-fiche":
        from .scaffold import Answers, main_nouvelle_fiche

        answers = Answers(args.id, args.organisation, args.type, args.territoire, args.personne, args.date)
        return main_nouvelle_fiche(args.donnees, answers, interactive=not args.non_interactif)
    from .importer import main_importer

    return main_importer(args.tableau, args.sortie)
