"""Problems as GitHub Actions shows them to a contributor, in French.

In: the problems found by `pipeline.check`.
Out:
- `annotations(problems)`: one workflow command per problem,
  ``::error file=data/participants/x.yml,line=12,col=5,title=Champ thematiques[2]::« ess2 » n'est pas…``,
  which GitHub turns into a note on that line of the pull request's changed files;
- `step_summary(problems)`: a Markdown table (gravité, fichier:ligne, champ, problème, que faire) for the
  run's summary page (the file named by ``$GITHUB_STEP_SUMMARY``).
"""

from __future__ import annotations

from .problems import Problem, Severity, sort_key, summary

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning"}


def _escape_data(text: str) -> str:
    # The escaping of GitHub's own toolkit (actions/toolkit, command.ts).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem) -> str:
    """One problem as a workflow command that annotates its file and line."""
    properties = [f"file={_escape_property(problem.file)}"]
    if problem.line:
        properties += [f"line={problem.line}", f"col={problem.column}"]
    title = f"Champ {problem.field_name}" if problem.path else "Fichier"
    properties.append(f"title={_escape_property(title)}")
    message = problem.message + (f" — {problem.hint}" if problem.hint else "")
    return f"::{_COMMANDS[problem.severity]} {','.join(properties)}::{_escape_data(message)}"


def annotations(problems: list[Problem]) -> str:
    """Every problem as a workflow command, sorted by place, then the French count."""
    return "\n".join([*(annotation(p) for p in sorted(problems, key=sort_key)), summary(problems)])


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


def step_summary(problems: list[Problem]) -> str:
    """The French Markdown summary of a check, for ``$GITHUB_STEP_SUMMARY``."""
    has_errors = any(p.severity is Severity.ERROR for p in problems)
    lines = ["## Vérification des données du répertoire", "", summary(problems), ""]
    if has_errors:
        lines += ["Corrigez chaque erreur à l'endroit indiqué (fichier, ligne, champ), puis enregistrez : la vérification se relance. "
                  "Les avertissements n'empêchent pas la publication.", ""]
    elif problems:
        lines += ["Aucune erreur : les avertissements n'empêchent pas la publication.", ""]
    if problems:
        lines += ["| Gravité | Fichier et ligne | Champ | Problème | Que faire |", "|---|---|---|---|---|"]
        for p in sorted(problems, key=sort_key):
            place = p.file + (f":{p.line}:{p.column}" if p.line else "")
            lines.append(f"| {p.severity.value} | `{_cell(place)}` | {_cell(p.field_name) or '—'} | {_cell(p.message)} | {_cell(p.hint) or '—'} |")
    return "\n".join(lines) + "\n"
