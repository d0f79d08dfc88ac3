"""Stage 1 — load: read the YAML files of `data/` safely, keeping their syntax trees.

In: the data folder::

    data/
      participants/<id>.yml    one fiche per participant
      territoires.yml  dispositifs.yml  thematiques.yml  glossaire.yml  ateliers.yml
      publication.yml          who publishes the site, and publishing settings
      schemas/*.schema.json    the JSON Schemas of these files

Out: `Sources`, the parsed documents (plain dicts and lists) with their YAML nodes, plus the
problems met while reading. Nothing here knows what a participant is.

YAML is read as untrusted input. Only PyYAML's safe parser is used, with YAML 1.2 scalars:
`true`/`false` are the only booleans, `09`, `12:30` and `2021-03-16` stay text, so nothing
the author wrote is turned into something else behind their back. Aliases, anchors, tags other
than the standard ones, non-text keys and duplicate keys are refused, with their position, and so
is nesting deeper than `MAX_DEPTH`; so is what YAML would silently drop or merge (a hashtag read as
a comment, a list item indented one space too far). A file that could hold an alias or nest deep
enough to exhaust the stack of the tree builder is first checked from the parser's events, before
any tree is built.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Path as FieldPath
from .problems import Problem, Severity
from .text import invisible_character

MAX_FILE_BYTES = 256 * 1024
"""Size limit of a fiche."""
MAX_REFERENCE_BYTES = 16 * 1024 * 1024
"""Size limit of a reference file: `territoires.yml` may list every commune of France."""
MAX_DEPTH = 20
"""Deepest nesting of lists and blocks accepted; a fiche needs 4."""
REFERENCE_FILES = ("territoires", "dispositifs", "thematiques", "glossaire", "ateliers", "publication")
PARTICIPANTS_DIR = "participants"
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

_LINE_BREAK = re.compile(r"\r\n?|\n")
"""The line breaks YAML counts (an old Mac file ends its lines with « \\r » alone)."""
_HIDDEN_LINE_BREAKS = "\u0085\u2028\u2029"
"""Line breaks for YAML, invisible in editors (looked for one by one first: much faster than a regular expression)."""
_HIDDEN_LINE_BREAK = re.compile(f"[{_HIDDEN_LINE_BREAKS}]")
_UNICODE_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_UNICODE_SPACE_NAMES = {"\u00a0": "espace insécable", "\u202f": "espace fine insécable", "\u3000": "espace idéographique"}
_UNICODE_SPACE_IN_INDENTATION = re.compile(f"^[ ]*[{_UNICODE_SPACES}]", re.MULTILINE)
"""A space YAML does not count as indentation, pasted from a web page or a word processor: the line
would be read as text (a field « \u00a0 type »), and the message would name a field nobody wrote."""

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class _Yaml12Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The fast safe parser, resolving plain scalars by the YAML 1.2 core schema."""

    yaml_implicit_resolvers: dict = {}


_Yaml12Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
# At most 15 digits: exact in any JSON reader, and far below Python's 4300-digit conversion limit;
# a longer run of digits stays text, as written.
_Yaml12Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]{0,14})$"), list("-+0123456789"))
_Yaml12Loader.add_implicit_resolver(
    _FLOAT, re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"), list("-+0123456789.")
)
_Yaml12Loader.add_implicit_resolver(_NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


@dataclass
class Document:
    """One parsed YAML file."""

    file: str
    """Path relative to the project root, as printed in messages."""
    data: Any
    """The document as plain Python values (dict, list, str, int, float, bool, None)."""
    root: yaml.Node | None = field(default=None, repr=False)
    """The syntax tree, used only to locate problems; None once dropped (see `path`)."""
    path: Path | None = field(default=None, repr=False)
    """Where the file was read: its syntax tree is parsed again from there if a problem needs locating."""
    checked: list[Problem] | None = field(default=None, repr=False)
    """Problems of the checks that need this file alone, when they were already run while reading it."""
    top_level: dict[tuple[str, bool], tuple[int, int]] = field(default_factory=dict, repr=False)
    """Line and column of each top-level value, and of its key (flagged True): they locate most later
    problems (a stale `mise_a_jour`, an unknown territory) once the syntax tree is dropped."""


@dataclass
class Sources:
    """Everything read from the data folder."""

    references: dict[str, Document]
    """Reference files by name (``territoires``…); a file that could not be read is absent."""
    participants: list[Document]
    """Participant files that could be read, sorted by file name."""
    problems: list[Problem]
    """Problems met while reading (already located)."""
    fiche_ids: frozenset[str] = frozenset()
    """The identifier of every participant file, even one that could not be read."""


QUOTE_THE_TEXT = "mettez tout le texte entre guillemets droits (\"…\")"
"""The way out of most YAML traps: a text between straight double quotes is read as written."""
_ESCAPE_PROBLEMS = {"found unknown escape character", "did not find expected hexdecimal number", "found invalid Unicode character escape code"}
"""libyaml names the character after the escape: the backslash it starts with is what the author sees."""
_BACKSLASH_HINT = "pour écrire une barre oblique inverse, doublez-la (\\\\), ou mettez tout le texte entre apostrophes ('…')"
_SYNTAX_HINTS = {
    "mapping values are not allowed in this context": f"si ce deux-points est dans un texte, {QUOTE_THE_TEXT} ; sinon, vérifiez l'indentation",
    **dict.fromkeys(_ESCAPE_PROBLEMS, _BACKSLASH_HINT),
    "block sequence entries are not allowed in this context": "laissez le nom du champ seul sur sa ligne, puis écrivez chaque élément sur la sienne, après un tiret",
    "but found another document": "un fichier ne contient qu'une fiche : retirez la ligne « --- », et ce qui la suit si c'est une copie de la fiche",
    "found unexpected document indicator": "décalez cette ligne d'une espace : une ligne qui commence par « --- » ou « ... » termine le fichier pour YAML",
}
"""What to do, when it differs from the usual advice on indentation and quotes."""
_SYNTAX_PROBLEMS = {
    "found character that cannot start any token": "caractère inattendu (une tabulation, ou un @, ` ou % en début de valeur)",
    "mapping values are not allowed in this context": "deux-points « : » inattendu",
    "did not find expected key": "ligne mal alignée avec le reste du bloc",
    "could not find expected ':'": "deux-points « : » attendu après le nom du champ",
    "did not find expected '-' indicator": "élément de liste mal aligné (chaque élément commence par « - » à la même colonne)",
    "did not find expected ',' or ']'": "liste entre crochets non refermée",
    "did not find expected ',' or '}'": "bloc entre accolades non refermé",
    "found unexpected end of stream": "guillemet ouvert mais jamais refermé",
    "found undefined alias": "alias (*nom) qui ne renvoie à rien",
    "found invalid Unicode character escape code": "code de caractère \\u… invalide",
    "found unknown escape character": "barre oblique inverse \\ suivie d'un caractère inconnu",
    "did not find expected hexdecimal number": "barre oblique inverse \\ suivie d'un code de caractère incomplet",
    "block sequence entries are not allowed in this context": "tiret de liste sur la ligne du nom du champ",
    "found unexpected document indicator": "ligne « --- » ou « ... » au milieu d'un texte",
    "but found another document": "plusieurs documents dans un même fichier (ligne « --- »)",
    "found a tab character that violates indentation": "tabulation dans l'indentation (YAML n'accepte que des espaces)",
    "found a tab character where an indentation space is expected": "tabulation dans l'indentation (YAML n'accepte que des espaces)",
    "did not find expected node content": "valeur attendue à cet endroit (une virgule ou un signe en trop ?)",
    "did not find expected <document start>": "texte inattendu après la fin du document (ligne « ... »)",
    "found an indentation indicator equal to 0": "le chiffre après « | » ou « > » doit être au moins 1",
    "did not find expected alphabetic or numeric character": "« * » ou « & » en début de valeur, lu comme un renvoi YAML",
    "did not find expected comment or line break": "texte sur la même ligne que « > » ou « | » en début de valeur",
}
"""libyaml's reasons, in French; any other reason is shown as PyYAML gives it."""


class _Refused(Exception):
    def __init__(self, mark: yaml.Mark | None, message: str, hint: str):
        super().__init__(message)
        self.mark, self.message, self.hint = mark, message, hint


def _position(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark else (0, 0)


def _scalar(node: yaml.ScalarNode) -> Any:
    tag = node.tag
    if tag == _STR:
        return node.value
    if tag == _INT:
        return int(node.value)
    if tag == _FLOAT:
        return float(node.value)
    if tag == _BOOL:
        return node.value.lower() == "true"
    if tag == _NULL:
        return None
    raise _Refused(
        node.start_mark,
        f"l'étiquette YAML {tag} n'est pas acceptée",
        "retirez l'étiquette qui commence par ! et écrivez la valeur simplement",
    )


def _too_deep(mark: yaml.Mark | None) -> _Refused:
    return _Refused(mark, f"plus de {MAX_DEPTH} niveaux de listes et de blocs imbriqués", "une fiche n'a besoin que de quelques niveaux : vérifiez les crochets et l'indentation")


@dataclass
class _Note:
    """A problem met while building a document, kept until the file's name is known."""

    code: str
    position: tuple[int, int]
    path: FieldPath
    message: str
    hint: str
    severity: Severity = Severity.ERROR


_LIST_MARK_LOOKALIKES = "-–—•"
_CONTINUED_LIST_ITEM = re.compile(rf"\n[ \t]*([{_LIST_MARK_LOOKALIKES}])(?:[ \t]|$)")
"""A line of a text that starts as a list item (« - », or a word processor's « • », « – »): YAML goes on with the text."""
_PROPERTY_STARTS = ("&", "!")
_PROPERTY = re.compile(r"[&!]\S*")


_COMMENT_AFTER_VALUE = re.compile(r"[ \t]+#(?=\S)")
_COMMENT_AFTER_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*[ \t]+#(?=\S)")
_COMMENT_AFTER_KEY = re.compile(r"[ \t]*:[ \t]+#(?=\S)")
"""A hashtag or a number sign (« #priorité », « #2 ») after a value, a « | » or a field's colon: YAML
reads a comment there, and a comment written as one has a space after its « # »."""
_SPACED_COMMENT_AFTER_VALUE = re.compile(r" #(?=[ \t]|$)([ \t]*\d)?")
"""« le # 1 du territoire », « C # et Java »: a comment as YAML reads one, but one space away from the text, as a
word is; a note is set two spaces away (« - Second titre  # à confirmer »). The number sign of a number
(« # 1 ») is text even after a single word; a note after an identifier (« - mobilite # à confirmer ») is not."""
_COMMENT_MESSAGE = "le texte qui suit « # » est lu comme un commentaire et ne serait pas publié"
_COMMENT_NOT_IN_VALUE = "si c'est un commentaire, ajoutez une espace après « # » ; sinon, écrivez ce texte dans la valeur"


def _hidden_by_yaml(node: yaml.Node, lines: list[str], path: FieldPath, block_column: int) -> _Note | None:
    """What the author wrote around a value that YAML would drop or change without a word.

    An anchor (« &nom ») or a lone « ! » before a value is dropped; so is a hashtag or a number sign
    after a value, which YAML reads as a comment (« structurer la RSE #priorité 1 »), or at the
    start of a plain text's next line, whereas a comment written as one (« # » then a space) is left
    alone. A list item indented one space too far becomes the end of the text above it
    (« … santé - structurer »); a backslash between double quotes starts an escape. `block_column` is
    where the value's block starts (its field's name, its item's dash): a text goes on deeper only.
    """
    start, end = node.start_mark, node.end_mark
    if lines[start.line].startswith(_PROPERTY_STARTS, start.column):
        written = _PROPERTY.match(lines[start.line], start.column).group()
        if written[0] == "&":
            return _Note("yaml-interdit", _position(start), path, f"les ancres YAML ne sont pas acceptées : « {written} » disparaîtrait de la page", f"retirez l'ancre, ou {QUOTE_THE_TEXT}")
        if written == "!":
            return _Note("yaml-interdit", _position(start), path, "un « ! » en début de valeur est lu comme une étiquette YAML et disparaîtrait de la page", QUOTE_THE_TEXT)
    if not isinstance(node, yaml.ScalarNode):
        return None
    if node.style in ("|", ">"):
        comment = _COMMENT_AFTER_BLOCK_HEADER.match(lines[start.line], start.column)
        return _Note("yaml-interdit", (start.line + 1, comment.end()), path, _COMMENT_MESSAGE, _COMMENT_NOT_IN_VALUE) if comment else None
    changed = _escape_in_double_quotes(lines, start, end, path) if node.style == '"' else None if node.style else _merged_items(node, lines, path)
    if changed and changed.severity is Severity.ERROR:
        return changed  # a warning is told only if nothing worse is found around the value
    comment = _COMMENT_AFTER_VALUE.match(lines[end.line], end.column) if "#" in lines[end.line] else None  # the quick look first: 60 values a fiche
    if comment:
        where = "déplacez ce texte avant le guillemet qui ferme la valeur" if node.style else QUOTE_THE_TEXT
        return _Note("yaml-interdit", (end.line + 1, comment.end()), path, _COMMENT_MESSAGE, f"{where} ; si c'est un commentaire, placez-le sur sa propre ligne, au-dessus")
    below = lines[end.line + 1] if end.line + 1 < len(lines) else "#"
    hashtag = None if node.style or ("#" not in below and below.strip()) else _hashtag_below(lines, end.line, block_column)
    if hashtag:
        return _Note("yaml-interdit", hashtag, path, "cette ligne commence par « # » : YAML la lit comme un commentaire et elle ne serait pas publiée", f"{QUOTE_THE_TEXT} ; si c'est un commentaire, ajoutez une espace après « # »")
    # After an unquoted text of several words, or before a number (« Priorité # 1 »); after an identifier
    # (« - mobilite # à confirmer ») or a closing quotation mark, a note written so is a comment.
    spaced = _SPACED_COMMENT_AFTER_VALUE.match(lines[end.line], end.column) if not (changed or node.style) and "#" in lines[end.line] else None
    if spaced and (" " in node.value or spaced[1]):
        return _Note(
            "yaml-interdit", (end.line + 1, spaced.start() + 2), path, "le texte qui suit « # » est un commentaire : il ne sera pas publié",
            "si ce texte fait partie de la valeur, mettez toute la valeur entre guillemets droits (\"…\") ; si c'est un commentaire, placez-le sur sa propre ligne, au-dessus", Severity.WARNING,
        )
    return changed


def _merged_items(node: yaml.ScalarNode, lines: list[str], path: FieldPath) -> _Note | None:
    """A plain text over several lines that holds list items YAML merged into it."""
    start, end = node.start_mark, node.end_mark
    if start.line == end.line:
        return None
    written = "\n".join(lines[start.line : end.line + 1])
    continued = _CONTINUED_LIST_ITEM.search(written)
    if not continued:
        return None
    if node.value[:1] in _LIST_MARK_LOOKALIKES:
        return _Note("yaml-interdit", _position(start), path, f"« {node.value[0]} » n'ouvre pas un élément de liste, seul « - » suivi d'une espace le fait : ce texte et les lignes suivantes n'en font qu'un", "écrivez « - » suivi d'une espace au début de chaque élément")
    line = start.line + written.count("\n", 0, continued.start() + 1)
    column = len(lines[line]) - len(lines[line].lstrip(" \t")) + 1
    if continued[1] == "•":  # « Trois axes » then « • former » pasted from a word processor
        return _Note("yaml-interdit", (line + 1, column), path, "« • » n'ouvre pas un élément de liste : cette ligne est lue comme la suite du texte au-dessus", "écrivez « - » suivi d'une espace au début de chaque élément, aligné sur le tiret de l'élément au-dessus")
    if continued[1] != "-":  # « – » may also open a clause of a text wrapped by hand
        return _Note("yaml-interdit", (line + 1, column), path, f"cette ligne, qui commence par « {continued[1]} », est lue comme la suite du texte au-dessus",
                     "si c'est un nouvel élément, écrivez « - » suivi d'une espace, aligné sur le tiret de l'élément au-dessus ; si c'est la suite du texte, ne changez rien", Severity.WARNING)
    if path and isinstance(path[-1], str):  # « actions: Trois axes » then « - emploi »: no item above
        return _Note("yaml-interdit", (line + 1, column), path, f"ce tiret est lu comme la suite du texte écrit après « {path[-1]}: » : la liste n'est pas lue", f"laissez « {path[-1]}: » seul sur sa ligne et écrivez chaque élément sur la sienne, après un tiret")
    return _Note("yaml-interdit", (line + 1, column), path, "ce tiret est lu comme la suite du texte de la ligne au-dessus : les deux éléments n'en font qu'un", "alignez ce tiret sur celui de l'élément précédent (même nombre d'espaces)")


_ESCAPE = re.compile(r"\\(.?)")
_ESCAPES_KEPT = frozenset({"\\", '"', ""})
"""« \\\\ », « \\" » and a backslash that ends a line (the text goes on): what they read as is what the author meant."""
_ESCAPES_OF_TOOLS = {"n": "un saut de ligne", "t": "une tabulation", "_": "une espace insécable"}
"""What the contribution form (js-yaml) and `repertoire nouvelle-fiche` (PyYAML) write between double quotes for
a line break, a tab or a no-break space, in a text that also holds one of the last two."""
_INSIDE_A_WORD = re.compile(r"[\w:]\\[nt][a-zà-ÿ]")
"""« S:\\national », « dossier\\texte »: a backslash typed in a word, rather than a line break or a tab a tool wrote
(a tool quotes a French text for its no-break spaces, « \\_ »: a text holding one is a tool's, and left alone)."""
_TYPED_BACKSLASH_HINT = "si c'est une barre oblique inverse, doublez-la (\\\\) ou mettez tout le texte entre apostrophes ('…') ; si c'est un vrai saut de ligne ou une tabulation, ne changez rien"


def _escape_in_double_quotes(lines: list[str], start: yaml.Mark, end: yaml.Mark, path: FieldPath) -> _Note | None:
    """A backslash in a text between double quotes starts a YAML escape: « S:\\national » would be published
    with a line break. Only the escapes that read as what is written are left alone."""
    written = "\n".join([lines[start.line][start.column :], *lines[start.line + 1 : end.line], lines[end.line][: end.column]]) if start.line != end.line else lines[start.line][start.column : end.column]
    if "\\" not in written:
        return None
    written_by_a_tool = "\\_" in written
    for escape in _ESCAPE.finditer(written):
        tools = escape[1] in _ESCAPES_OF_TOOLS
        if escape[1] in _ESCAPES_KEPT or (tools and (written_by_a_tool or not _INSIDE_A_WORD.match(written, escape.start() - 1))):
            continue
        line = start.line + written.count("\n", 0, escape.start())
        column = escape.start() - (written.rfind("\n", 0, escape.start()) + 1) + (start.column if line == start.line else 0)
        meaning = _ESCAPES_OF_TOOLS.get(escape[1], "un autre caractère")
        return _Note(
            "yaml-interdit", (line + 1, column + 1), path, f"entre guillemets droits, « \\{escape[1]} » est un code YAML qui devient {meaning}", _TYPED_BACKSLASH_HINT if tools else _BACKSLASH_HINT,
            Severity.WARNING if tools else Severity.ERROR,  # a tool may have written it: the author confirms
        )
    return None


_HASHTAG_COMMENT = re.compile(r"([ \t]*)#\w")


def _hashtag_below(lines: list[str], last: int, block_column: int) -> tuple[int, int] | None:
    """Where a line after a plain text ending on line `last` starts with a hashtag (« #priorité »), deeper
    than the text's block (`block_column`), as the text's next line would be: YAML ends the text there and
    drops that line as a comment. Blank lines and comments written as such (« # » then a space) are looked
    past; a note aligned on the block's fields (« #fonction à demander » under « nom: ») is left alone."""
    for number in range(last + 1, len(lines)):
        line = lines[number]
        start = line.lstrip(" \t")[:1]
        if start not in ("#", ""):  # the next value: the text has ended
            return None
        hashtag = _HASHTAG_COMMENT.match(line)
        if hashtag and len(hashtag.group(1)) > block_column:
            return number + 1, len(hashtag.group(1)) + 1
    return None


def _construct(node: yaml.Node, notes: list[_Note], path: FieldPath, lines: list[str], block_column: int = -1) -> Any:
    hidden = _hidden_by_yaml(node, lines, path, block_column)
    if hidden:
        notes.append(hidden)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if node.tag not in (_SEQ, _MAP):
        raise _Refused(node.start_mark, f"l'étiquette YAML {node.tag} n'est pas acceptée", "retirez l'étiquette qui commence par !")
    if len(path) >= MAX_DEPTH:
        raise _too_deep(node.start_mark)
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, notes, path + (i,), lines, node.start_mark.column) for i, item in enumerate(node.value)]
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STR):
            if node.flow_style and key_node.tag in (_INT, _FLOAT):  # « {date: …, taux: 75,5} »: the comma ends « taux »
                before = next(reversed(mapping.values()), None)
                example = f" : {before}.{key_node.value}" if type(before) is int else ""
                raise _Refused(key_node.start_mark, "une clé doit être un mot : entre accolades, la virgule sépare deux champs", f"pour un nombre à virgule, écrivez un point à la place de la virgule{example}")
            raise _Refused(key_node.start_mark, "une clé doit être un mot", "écrivez la clé en lettres, par exemple « nom: »")
        key = key_node.value
        key_line = lines[key_node.end_mark.line]
        comment = _COMMENT_AFTER_KEY.match(key_line, key_node.end_mark.column) if "#" in key_line and value_node.start_mark.line > key_node.end_mark.line else None
        if comment:  # « actions: #2021 » above the list: the value below cannot hold it
            notes.append(_Note("yaml-interdit", (key_node.end_mark.line + 1, comment.end()), path + (key,), _COMMENT_MESSAGE, _COMMENT_NOT_IN_VALUE))
        if key in mapping:
            notes.append(_Note("cle-en-double", _position(key_node.start_mark), path + (key,), f"la clé « {key} » est déjà présente plus haut dans ce bloc", "gardez une seule fois cette clé, en réunissant les valeurs"))
            continue
        mapping[key] = _construct(value_node, notes, path + (key,), lines, key_node.start_mark.column)
    return mapping


_SAFE_COLLECTIONS = 5000
"""Collections a file may open before its structure is checked from the parser's events: PyYAML's
C tree builder recurses once per level and crashes the process somewhere between 20,000 and
50,000 levels."""


def _needs_structure_check(text: str) -> bool:
    """Whether `text` could hold an alias or nest more than `_SAFE_COLLECTIONS` levels deep.

    Every alias starts with « * », and every list or block opens with « - », « [ », « { », « ? » or
    carries a « : »: a text with none of the first and few of the others needs no event scan, which
    would parse it a second time.
    """
    if "*" in text:
        return True
    return sum(text.count(indicator) for indicator in "-[{?:") >= _SAFE_COLLECTIONS


def _check_structure(text: str) -> None:
    """Refuse aliases and deep nesting from the parser's event stream, before any tree is built.

    An alias bomb (« billion laughs ») thus never grows, and a file nested thousands of levels
    deep never reaches the recursive tree builder, which would exhaust the stack.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_Yaml12Loader):
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark, "les alias YAML (*nom) ne sont pas acceptés", "recopiez la valeur au lieu d'y renvoyer")
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _too_deep(event.start_mark)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def _decode(raw: bytes, file: str, limit: int) -> tuple[str | None, list[Problem]]:
    if len(raw) > limit:
        return None, [Problem("fichier-trop-gros", file, message=f"le fichier pèse {len(raw) // 1024} Kio, la limite est de {limit // 1024} Kio", hint="découpez ou raccourcissez les textes")]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem("fichier-illisible", file, message="le fichier est encodé en UTF-16", hint="enregistrez-le en « UTF-8 »", line=1, column=1)]
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        return None, [_at_offset(raw, offset, Problem("fichier-illisible", file, message="le fichier contient un octet nul : ce n'est pas un fichier texte", hint="enregistrez le fichier en texte UTF-8"))]
    problems = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        problems.append(Problem("fichier-illisible", file, message="le fichier commence par une marque d'ordre des octets (BOM), ignorée", hint="enregistrez-le en « UTF-8 » sans BOM", severity=Severity.WARNING, line=1, column=1))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [_at_offset(raw, exc.start, Problem("fichier-illisible", file, message="le fichier n'est pas encodé en UTF-8 (accents illisibles)", hint="enregistrez le fichier avec l'encodage UTF-8"))]
    hidden = _HIDDEN_LINE_BREAK.search(text) if any(char in text for char in _HIDDEN_LINE_BREAKS) else None
    if hidden:
        # YAML would read it as a line break where editors show none: values and line numbers would shift.
        char = hidden.group()
        return None, problems + [_at_offset(text, hidden.start(), Problem("caractere-interdit", file, message=f"caractère {invisible_character(char)}, lu comme un saut de ligne", hint="retirez ce caractère (souvent venu d'un copier-coller)"))]
    pasted_space = _UNICODE_SPACE_IN_INDENTATION.search(text)
    if pasted_space:
        space = pasted_space.group()[-1]
        name = _UNICODE_SPACE_NAMES.get(space, "espace typographique")
        return None, problems + [_at_offset(text, pasted_space.end() - 1, Problem("caractere-interdit", file, message=f"{name} U+{ord(space):04X} dans l'indentation : YAML ne la compte pas comme une espace", hint="effacez-la et remplacez-la par une espace ordinaire (elle vient souvent d'un copier-coller depuis une page web)"))]
    return text, problems


def _at_offset(content: bytes | str, offset: int, problem: Problem) -> Problem:
    newline = b"\n" if isinstance(content, bytes) else "\n"
    line = content.count(newline, 0, offset) + 1
    column = offset - (content.rfind(newline, 0, offset) + 1) + 1
    return problem.located(line, column)


def _after_closing_quote(lines: list[str], mark: yaml.Mark | None) -> bool:
    """Whether the parser stopped just after a quoted value on the same line: the quotes closed early,
    most often on an apostrophe inside a text between apostrophes (« 'Maison de l'emploi' »)."""
    if mark is None:
        return False
    before = lines[mark.line][: mark.column].rstrip() if mark.line < len(lines) else ""
    return before[-1:] in ("'", '"') and before.count(before[-1]) >= 2


_GLUED_COLON = re.compile(r"^[ ]*(?:- )?[^\W\d][\w-]*:(?=[^\s/\d])")
"""A field whose colon has no space after it (« type:intercommunalite »): YAML reads one word."""
_VALUE_START = re.compile(r"^[ ]*(?:-[ ]+)*(?:[\w-]+:[ ]+)?(.)")
_INDICATORS = "*&>|[{%@`!"
"""Characters that YAML reads as syntax at the start of a value, never as the start of a text."""
_FLOW_COLLECTION_PROBLEMS = {"did not find expected ',' or ']'", "did not find expected ',' or '}'", "did not find expected node content"}
"""A list between brackets that is badly written, rather than a text that starts with a bracket."""


_LIST_ITEM_LINE = re.compile(r"([ ]*)- ")


def _continuation_under_dash(lines: list[str], stopped_at: int) -> int | None:
    """The line, just above where the parser stopped, that goes on with a list item's text but starts under
    its dash (« - Première action » then « continue ici »), as a web editor's automatic indentation leaves it."""
    for index in (stopped_at - 1, stopped_at):
        if not 1 <= index < len(lines):
            continue
        item, text = _LIST_ITEM_LINE.match(lines[index - 1]), lines[index]
        if item and text.strip() and ":" not in text and not text.lstrip().startswith(("-", "#")) and text.startswith(item.group(1)) and text[len(item.group(1))] != " ":
            return index
    return None


_ITEM_ENDING_WITH_COLON = re.compile(r"([ ]*)- +[^\"'#{\[].*?( ?:)$")
"""« - Objectifs : » then the text on the next line: YAML reads a field's name, and the next line as another."""
_GLUED_DASH = re.compile(r"([ ]*)-(?=[^\s-])|([ ]*)-\u00a0")
"""« -Nouvelle action », or a dash and a no-break space from a word processor: no list item."""
_STRAY_TEXT = re.compile(r"([ ]*)[^\s#:\-\"'][^:]*$")
"""A line of text that is neither a field (« nom: … ») nor a list item (« - … »)."""
_STRAY_LOOK_BACK = 3
"""Lines above where the parser stopped that may hold what misled it: it stops on the next field or item."""


def _misleading_line(lines: list[str], stopped_at: int, file: str) -> Problem | None:
    """The line that made the parser expect a field's colon, above where it stopped: a list item's text ending
    with « : », a dash glued to its text, a line of text that is neither a field nor an item."""
    window = [index for index in range(stopped_at, stopped_at - _STRAY_LOOK_BACK - 1, -1) if 0 <= index < len(lines)]
    for index in window:
        ending = _ITEM_ENDING_WITH_COLON.match(lines[index])
        if ending:
            return Problem("yaml-invalide", file, message="YAML incorrect : ce texte se termine par un deux-points, que YAML lit comme celui d'un nom de champ",
                           hint=f"{QUOTE_THE_TEXT}, ou retirez le deux-points final", line=index + 1, column=ending.end(2))
    for index in window:
        glued = _GLUED_DASH.match(lines[index])
        if glued:
            return Problem("yaml-invalide", file, message="YAML incorrect : tiret sans espace après lui : la ligne n'est pas lue comme un élément de liste",
                           hint="écrivez « - » suivi d'une espace ordinaire", line=index + 1, column=len(glued.group(1) or glued.group(2) or "") + 1)
    for index in window:
        stray = _STRAY_TEXT.match(lines[index])
        if stray and index > 0:
            return Problem("yaml-invalide", file, message="YAML incorrect : cette ligne n'est ni un champ (« nom: valeur ») ni un élément de liste (« - texte »)",
                           hint="pour un champ, écrivez « : » après son nom ; pour un nouvel élément, commencez la ligne par « - » et une espace, aligné sur les tirets au-dessus ; pour continuer le texte au-dessus, alignez-la sous ce texte",
                           line=index + 1, column=len(stray.group(1)) + 1)
    return None


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, file: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, column = _position(mark)
    reason = exc.problem or exc.context or "syntaxe incorrecte"
    lines = _LINE_BREAK.split(text)
    fence = next((index for index, written in enumerate(lines) if written.startswith("```")), None)
    if fence is not None:  # the template of CONTRIBUTING.md copied with the marks that frame it there
        return Problem("yaml-invalide", file, message="YAML incorrect : ligne « ``` » copiée avec le modèle", hint="retirez les lignes « ``` » : elles encadrent le modèle dans la documentation, pas dans le fichier",
                       line=fence + 1, column=1)
    if _after_closing_quote(lines, exc.problem_mark):
        hint = (
            "un texte qui commence par un guillemet droit s'arrête au guillemet suivant : mettez tout le texte entre apostrophes"
            " ('\"Aller vers\" les habitants'), ou écrivez les guillemets français « »"
            if lines[mark.line][: mark.column].rstrip().endswith('"')
            else "dans un texte entre apostrophes, doublez chaque apostrophe ('Maison de l''emploi'), ou mettez tout le texte entre guillemets droits (\"Maison de l'emploi\")"
        )
        return Problem("yaml-invalide", file, message="YAML incorrect : du texte suit le guillemet qui ferme la valeur", hint=hint, line=line, column=column)
    if reason in ("mapping values are not allowed in this context", "could not find expected ':'", "did not find expected key"):
        # The field without a space after its colon is on the line the parser names, or just above it.
        for index in (mark.line, mark.line - 1):
            glued = _GLUED_COLON.match(lines[index]) if 0 <= index < len(lines) else None
            if glued:
                corrected = lines[index].split(" #")[0].strip().replace(":", ": ", 1)
                return Problem("yaml-invalide", file, message="YAML incorrect : pas d'espace après le deux-points du champ", hint=f"ajoutez une espace après le deux-points : « {corrected} »", line=index + 1, column=glued.end() + 1)
    if reason in _ESCAPE_PROBLEMS and "\\" in lines[mark.line][: mark.column]:
        column = lines[mark.line].rfind("\\", 0, mark.column) + 1
    if reason == "could not find expected ':'":
        continued = _continuation_under_dash(lines, mark.line)
        if continued is not None:
            return Problem("yaml-invalide", file, message="YAML incorrect : cette ligne, alignée sur le tiret au-dessus, n'est ni un élément de liste ni un champ",
                           hint="pour continuer le texte de l'élément au-dessus, ajoutez deux espaces au début de la ligne : le texte s'aligne sous le texte, pas sous le tiret",
                           line=continued + 1, column=len(lines[continued]) - len(lines[continued].lstrip(" ")) + 1)
        misleading = _misleading_line(lines, mark.line, file)
        if misleading:
            return misleading
    start = _VALUE_START.match(lines[mark.line]) if mark and mark.line < len(lines) else None
    if start and start.group(1) in _INDICATORS and reason not in _FLOW_COLLECTION_PROBLEMS:
        hint = f"un texte qui commence par « {start.group(1)} » s'écrit entre guillemets droits (\"{start.group(1)}…\")"
    else:
        hint = _SYNTAX_HINTS.get(reason, "vérifiez l'indentation (espaces, pas de tabulation) et les guillemets")
    return Problem("yaml-invalide", file, message=f"YAML incorrect : {_SYNTAX_PROBLEMS.get(reason, reason)}", hint=hint, line=line, column=column)


def _refusal(refused: _Refused, file: str) -> Problem:
    line, column = _position(refused.mark)
    return Problem("yaml-interdit", file, message=refused.message, hint=refused.hint, line=line, column=column)


def parse(raw: bytes, file: str, limit: int = MAX_FILE_BYTES) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML file given as bytes (at most `limit` of them).

    Returns:
        The document (None when it cannot be read at all) and the problems met.
    """
    text, problems = _decode(raw, file, limit)
    if text is None:
        return None, problems
    try:
        if _needs_structure_check(text):
            _check_structure(text)
        root = yaml.compose(text, Loader=_Yaml12Loader)
    except _Refused as refused:
        return None, problems + [_refusal(refused, file)]
    except yaml.MarkedYAMLError as exc:
        return None, problems + [_syntax_problem(exc, text, file)]
    except yaml.reader.ReaderError as exc:
        # The parser stops at the first character it refuses, so its first occurrence is the place
        # (libyaml's own offset counts bytes, not characters).
        refused = chr(exc.character)
        return None, problems + [_at_offset(text, text.index(refused), Problem("caractere-interdit", file, message=f"caractère {invisible_character(refused)}, refusé par YAML", hint="retirez ce caractère (souvent venu d'un copier-coller)"))]
    except yaml.YAMLError as exc:
        return None, problems + [Problem("yaml-invalide", file, message=f"YAML incorrect : {exc}", hint="vérifiez la syntaxe du fichier")]
    if root is None:
        return Document(file, None, None), problems
    notes: list[_Note] = []
    try:
        data = _construct(root, notes, (), _LINE_BREAK.split(text))
    except _Refused as refused:
        return None, problems + [_refusal(refused, file)]
    problems += [Problem(note.code, file, note.path, severity=note.severity, message=note.message, hint=note.hint, line=note.position[0], column=note.position[1]) for note in notes]
    return Document(file, data, root, top_level=_top_level_positions(root)), problems


def _top_level_positions(root: yaml.Node) -> dict[tuple[str, bool], tuple[int, int]]:
    if not isinstance(root, yaml.MappingNode):
        return {}
    positions = {}
    for key_node, value_node in reversed(root.value):  # a duplicate key is reported at the first one, as `node_at` does
        positions[key_node.value, True] = _position(key_node.start_mark)
        positions[key_node.value, False] = _position(value_node.start_mark)
    return positions


def node_at(root: yaml.Node | None, path: FieldPath, on_key: bool = False) -> yaml.Node | None:
    """The deepest node of `root` along `path` (the key node when `on_key`)."""
    node = root
    for depth, part in enumerate(path):
        last = depth == len(path) - 1
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            match = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None)
            if match is None:
                return node
            node = match[0] if (last and on_key) else match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return node
    return node


def read_file(path: Path, file: str, limit: int = MAX_FILE_BYTES) -> tuple[Document | None, list[Problem]]:
    """`parse` the file at `path`, named `file` in messages."""
    document, problems = parse(path.read_bytes(), file, limit)
    if document is not None:
        document.path = path
    return document, problems


def _syntax_tree(document: Document) -> yaml.Node | None:
    if document.root is None and document.path is not None and document.data is not None:
        reread, _ = read_file(document.path, document.file)
        document.root = reread.root if reread is not None else None
    return document.root


def locate(problems: list[Problem], documents: dict[str, Document]) -> list[Problem]:
    """Fill in line and column of problems found by later stages, from the syntax trees."""
    located = []
    for problem in problems:
        document = documents.get(problem.file)
        position = None if problem.line or document is None or len(problem.path) != 1 else document.top_level.get((problem.path[0], problem.on_key))
        if position:
            located.append(problem.located(*position))
            continue
        if problem.line or document is None or _syntax_tree(document) is None:
            located.append(problem)
            continue
        node = node_at(document.root, problem.path, problem.on_key)
        line, column = _position(node.start_mark if node is not None else None)
        located.append(problem.located(line, column))
    return located


def fiche_id(file: str) -> str:
    """The identifier a fiche's file name gives (``data/participants/grand-dax.yml`` → ``grand-dax``)."""
    return file.rpartition("/")[2].removesuffix(".yml")


def relative(path: Path, project_root: Path) -> str:
    try:
        return path.relative_to(project_root).as_posix()
    except ValueError:
        return path.as_posix()


FicheReader = Callable[[list[tuple[Path, str]]], list[tuple[Document | None, list[Problem]]]]
"""Reads fiches given as (path, name in messages), returning each one's `read_file` result, in order."""


def _read_each(files: list[tuple[Path, str]]) -> list[tuple[Document | None, list[Problem]]]:
    return [read_file(path, file) for path, file in files]


def _yaml_files_not_read(data_dir: Path) -> list[Problem]:
    """A YAML file saved elsewhere in `data_dir` than a reference file or a fiche (« data/participant/x.yml »,
    « data/x.yml ») would never be published: each is told, with where it belongs."""
    known = {f"{name}.yml" for name in REFERENCE_FILES}
    found = []
    for folder, subfolders, files in os.walk(data_dir):
        at_top = Path(folder) == data_dir
        if at_top and PARTICIPANTS_DIR in subfolders:
            subfolders.remove(PARTICIPANTS_DIR)  # each of its files is told about by `load_sources`
        found += [
            Problem("nom-de-fichier-invalide", relative(Path(folder) / name, data_dir.parent), message=f"« {name} » n'est ni une fiche de data/participants ni un fichier de référence : il n'est pas lu", hint="placez une fiche dans le dossier data/participants ; les fichiers de référence sont " + ", ".join(sorted(known)))
            for name in sorted(files)
            if name.endswith((".yml", ".yaml")) and not (at_top and name in known)
        ]
    return found


def load_sources(data_dir: Path, read_fiches: FicheReader = _read_each, read_reference: Callable[[Path, str, int], tuple[Document | None, list[Problem]]] = read_file) -> Sources:
    """Read every data file below `data_dir`.

    Args:
        data_dir: the `data/` folder; paths in messages are relative to its parent.
        read_fiches: how to read the participant files (`repertoire.fiches` spreads them over the cores).
        read_reference: how to read one reference file, as `read_file` (`repertoire.fiches.DocumentCache`
            finds again those read before).
    Returns:
        The parsed `Sources`, with reading problems.
    """
    project_root = data_dir.parent
    problems: list[Problem] = []
    references: dict[str, Document] = {}
    for name in REFERENCE_FILES:
        path = data_dir / f"{name}.yml"
        rel = relative(path, project_root)
        if not path.is_file():
            problems.append(Problem("fichier-manquant", rel, message=f"le fichier de référence {name}.yml est absent", hint=f"créez data/{name}.yml"))
            continue
        document, found = read_reference(path, rel, MAX_REFERENCE_BYTES)
        problems += found
        if document is not None:
            references[name] = document
    problems += _yaml_files_not_read(data_dir)
    fiches = []
    folder = data_dir / PARTICIPANTS_DIR
    folder_name = relative(folder, project_root)
    # Directory entries know their kind without one system call per file, which counts at 10,000 files.
    with os.scandir(folder) if folder.is_dir() else nullcontext(iter(())) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        name, rel = entry.name, f"{folder_name}/{entry.name}"
        # Cut as pathlib cuts (« ..yml » ends in « .yml »), on plain strings: a path object per file counts at 10,000 files.
        dot = name.rfind(".")
        stem, suffix = (name[:dot], name[dot:]) if 0 < dot < len(name) - 1 else (name, "")
        if name.startswith(".") and suffix not in (".yml", ".yaml"):
            continue  # .gitkeep and the like; a hidden fiche is reported below, never silently skipped
        if entry.is_symlink():
            problems.append(Problem("nom-de-fichier-invalide", rel, message=f"« {name} » est un lien symbolique, pas une fiche", hint="remplacez le lien par le fichier de la fiche lui-même"))
            continue
        if entry.is_dir(follow_symlinks=False):
            problems.append(Problem("nom-de-fichier-invalide", rel, message=f"« {name} » est un dossier : les fiches qu'il contient ne sont pas lues", hint="placez chaque fiche directement dans data/participants"))
            continue
        if suffix != ".yml" or not ID_PATTERN.match(stem):
            problems.append(Problem("nom-de-fichier-invalide", rel, message=f"« {name} » n'est pas un nom de fiche valide", hint="nommez le fichier <identifiant>.yml, en minuscules sans accent, avec des tirets (exemple : petr-sud-gironde.yml)"))
            continue
        fiches.append((folder / name, rel))
    participants = []
    for document, found in read_fiches(fiches):
        problems += found
        if document is not None:
            participants.append(document)
    return Sources(references, participants, problems, frozenset(fiche_id(rel) for _path, rel in fiches))
