"""Synthetic directories at national scale, for benchmarks and load tests.

In: a number of fiches `n`, a seed, a destination folder.
Out: a complete copy of the project in the destination (mkdocs.yml, content/, templates/, hooks/,
the `repertoire` package and a generated `data/`), ready for ``mkdocs build`` or
``python -m repertoire verifier``. The same `n` and seed always give the same files.

The data looks like the real directory grown to the whole of France:

- territories: the 13 régions and 96 départements of metropolitan France (``bench/france.json``),
  then ``min(1250, n // 8)`` intercommunalités (EPCI, in the national proportions of communautés
  de communes, d'agglomération, urbaines and métropoles) and ``n // 10`` communes;
- the real `dispositifs.yml`, `thematiques.yml`, `glossaire.yml` and `publication.yml`; the real
  workshop plus one regional workshop per 250 fiches;
- each fiche: an organisation of a realistic kind named after its territory, 1–2 persons,
  1–3 territories, 1–5 dispositifs, 2–6 thématiques, French paragraphs recombined from the
  sentences of the real fiches (about 380 words on average), and, for 1 fiche in 12, hand-made
  `liens` to other fiches.

Use from Python::

    from bench.generate import generate
    generate(10_000, seed=1, destination=Path("/tmp/repertoire-10000"))

or from a shell: ``python bench/generate.py 10000 /tmp/repertoire-10000 --graine 1``.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import sys
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[1]
FRANCE = Path(__file__).resolve().parent / "france.json"
COPIED = ("mkdocs.yml", "content", "templates", "hooks", "repertoire", "overrides")
"""Parts of the project copied as they are (those absent in this checkout are skipped)."""
REAL_REFERENCES = ("dispositifs.yml", "thematiques.yml", "glossaire.yml", "publication.yml", "schemas", "geo")
TEXT_FIELDS = ("actions", "defis", "besoins", "ressources")
MEAN_WORDS = 380

EPCI_KINDS = (("communaute-de-communes", "Communauté de communes", 992), ("communaute-d-agglomeration", "Communauté d'agglomération", 227), ("communaute-urbaine", "Communauté urbaine", 14), ("metropole", "Métropole", 21))
"""EPCI kinds with their number in France (2021): the generator keeps these proportions."""
ORGANISATION_KINDS = (("intercommunalite", 30), ("association", 18), ("plie", 8), ("maison-de-l-emploi", 6), ("commune", 10), ("petr", 5), ("departement", 4), ("region", 2), ("gip", 3), ("cooperative", 4), ("entreprise", 5), ("syndicat-mixte", 2), ("etat", 2), ("autre", 1))
PLACE_HEADS = ("Pays", "Val", "Vallée", "Coteaux", "Monts", "Plaine", "Bocage", "Causses", "Landes", "Portes", "Terres", "Rives", "Haut", "Bassin", "Lacs", "Forêts", "Marches", "Confluence", "Plateau", "Côte")
PLACE_TAILS = ("de la Garonne", "du Lot", "de Gâtine", "de l'Adour", "du Bazadais", "de la Dordogne", "des Graves", "du Médoc", "de Loire", "de l'Aveyron", "du Limousin", "des Combrailles", "de Vienne", "de la Saône", "du Jura", "des Vosges", "de l'Orne", "du Cher", "de Sologne", "du Perche", "de Brocéliande", "de l'Ardèche", "du Vercors", "de Provence", "des Cévennes", "de la Somme", "du Ternois", "de l'Argonne", "du Morvan", "de Charente", "des Bastides", "du Quercy", "de Gascogne", "du Béarn", "de Thiérache", "du Vexin", "de Beauce", "des Dombes", "du Bugey", "de Bresse")
SAINTS = ("Saint-Martin", "Saint-Jean", "Saint-Pierre", "Sainte-Marie", "Saint-Laurent", "Saint-Germain", "Saint-Hilaire", "Saint-Julien", "Sainte-Foy", "Saint-Étienne")
COMMUNE_STEMS = ("Montagnac", "Villeneuve", "Beaulieu", "Fontaine", "Castelnau", "Roquefort", "Mauléon", "Lussac", "Aubiac", "Bellac", "Marsac", "Peyrehorade", "Salles", "Lavaur", "Chalais", "Brassac", "Cazères", "Mirande", "Nérac", "Aiguillon")
FIRST_NAMES = ("Sandrine", "Denis", "Marie", "Julien", "Nathalie", "Thomas", "Isabelle", "Nicolas", "Sophie", "Laurent", "Céline", "Pierre", "Émilie", "Stéphane", "Aurélie", "François", "Hélène", "Olivier", "Camille", "Mathieu", "Claire", "Sébastien", "Anne", "Jérôme", "Élodie", "Philippe", "Caroline", "Vincent", "Audrey", "Christophe")
LAST_NAMES = ("Martin", "Bernard", "Dubois", "Lassourelle", "Paineau", "Moreau", "Laurent", "Lefèvre", "Garcia", "Roux", "Fournier", "Girard", "Bonnet", "Dupuy", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Faure", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "Labat", "Etcheverry", "Darrieux", "Lacoste", "Castaing")
ROLES = ("chargée de mission emploi", "chargé de mission développement économique", "directrice", "directeur", "animatrice territoriale", "coordinateur du PLIE", "facilitatrice des clauses sociales", "responsable du service emploi", "élu délégué à l'emploi", "cheffe de projet GPECT")
LINK_REASONS = ("expérience d'une GPECT menée avec les entreprises", "animation d'un club d'entreprises", "mise en œuvre des clauses sociales d'insertion", "méthode de diagnostic territorial partagé", "montage d'un dossier Territoire zéro chômeur de longue durée", "mobilité des demandeurs d'emploi en zone rurale", "organisation de job datings avec France Travail")


def slug(text: str) -> str:
    """« Communauté de communes du Bazadais » → « communaute-de-communes-du-bazadais »."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def _sentences(paragraph: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", paragraph) if len(s.split()) >= 4]


def _real_vocabulary() -> dict[str, list[str]]:
    """Sentences of the real fiches, by field: the material of the synthetic texts."""
    pools: dict[str, list[str]] = {name: [] for name in TEXT_FIELDS}
    for path in sorted((PROJECT / "data" / "participants").glob("*.yml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        for name in TEXT_FIELDS:
            for paragraph in data.get(name, ()):
                pools[name] += _sentences(paragraph)
    every = [s for pool in pools.values() for s in pool]
    return {name: pool or every for name, pool in pools.items()}


def _ids(reference_file: Path) -> list[str]:
    return [item["id"] for item in yaml.load(reference_file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)]


class _Territories:
    """The synthetic territory tree, with the lookups fiches need."""

    def __init__(self, n: int, rng: random.Random):
        france = json.loads(FRANCE.read_text(encoding="utf-8"))
        self.items: list[dict] = []
        self.by_kind: dict[str, list[dict]] = {}
        self.in_departement: dict[str, list[dict]] = {}
        for region in france["regions"]:
            region_item = self._add(slug(region["nom"]), region["nom"], "region", region["code"], [])
            for departement in region["departements"]:
                item = self._add(slug(departement["nom"]), departement["nom"], "departement", departement["code"], [region_item["id"]])
                item["region"] = region_item
        departements = self.by_kind["departement"]
        kinds, weights = zip(*((kind, weight) for kind, _, weight in EPCI_KINDS))
        prefixes = {kind: prefix for kind, prefix, _ in EPCI_KINDS}
        for number in range(min(1250, max(13, n // 8))):
            departement = departements[number % len(departements)]
            kind = rng.choices(kinds, weights)[0]
            name = f"{prefixes[kind]} {rng.choice(PLACE_HEADS)} {rng.choice(PLACE_TAILS)}"
            item = self._add(f"{slug(name)}-{number + 1}", name, kind, f"2{number:08d}", [departement["id"]])
            item["departement"] = departement
            self.in_departement.setdefault(departement["id"], []).append(item)
        epcis = [t for t in self.items if "departement" in t]
        self.epcis = epcis
        for number in range(n // 10):
            epci = rng.choice(epcis)
            name = f"{rng.choice(SAINTS + COMMUNE_STEMS)}-{rng.choice(PLACE_TAILS).split(' ', 1)[1].replace(' ', '-')}"
            code = f"{epci['departement']['code_insee']}{number % 1000:03d}"
            item = self._add(f"{slug(name)}-{number + 1}", name, "commune", code, [epci["id"]])
            item["epci"] = epci

    def _add(self, ident: str, name: str, kind: str, code: str, parents: list[str]) -> dict:
        item = {"id": ident, "nom": name, "type": kind, "code_insee": code, "parents": parents}
        self.items.append(item)
        self.by_kind.setdefault(kind, []).append(item)
        return item

    def as_yaml_data(self) -> list[dict]:
        return [{key: item[key] for key in ("id", "nom", "type", "code_insee", "parents") if item[key]} for item in self.items]

    def for_organisation(self, kind: str, rng: random.Random) -> list[dict]:
        """1 to 3 territories, the main one first, the others near it."""
        if kind == "region":
            main = rng.choice(self.by_kind["region"])
            return [main]
        if kind in ("departement", "etat"):
            main = rng.choice(self.by_kind["departement"])
        elif kind == "commune" and self.by_kind.get("commune"):
            main = rng.choice(self.by_kind["commune"])
        else:
            main = rng.choice(self.epcis)
        departement = main.get("departement") or main.get("epci", {}).get("departement") or main
        neighbours = [t for t in self.in_departement.get(departement["id"], []) if t is not main]
        extra = rng.sample(neighbours, min(len(neighbours), rng.choice((0, 0, 1, 2))))
        return [main, *extra]


def _organisation_name(kind: str, place: dict, rng: random.Random) -> str:
    name = place["nom"]
    return {
        "intercommunalite": name,
        "commune": f"Commune de {name}",
        "region": f"Région {name}",
        "departement": f"Département {name}" if place["type"] == "departement" else f"Conseil départemental ({name})",
        "etat": f"Direction départementale de l'emploi, du travail et des solidarités ({name})",
        "plie": f"PLIE {name}",
        "maison-de-l-emploi": f"Maison de l'emploi {name}",
        "petr": f"PETR {rng.choice(PLACE_HEADS)} {rng.choice(PLACE_TAILS)}",
        "syndicat-mixte": f"Syndicat mixte {rng.choice(PLACE_HEADS)} {rng.choice(PLACE_TAILS)}",
        "association": f"{rng.choice(('Association', 'Réseau', 'Collectif', 'Comité de bassin d’emploi'))} {rng.choice(('Emploi solidaire', 'Insertion et territoires', 'Avenir jeunes', 'Mobilité pour tous', 'Tiers-lieu'))} {name}",
        "gip": f"GIP {rng.choice(('Emploi', 'Formation', 'Insertion'))} {name}",
        "cooperative": f"Coopérative d'activité et d'emploi {name}",
        "entreprise": f"{rng.choice(('Ateliers', 'Transports', 'Services', 'Bois'))} {rng.choice(LAST_NAMES)} et associés",
        "autre": f"Tiers-lieu {rng.choice(PLACE_HEADS)} {rng.choice(PLACE_TAILS)}",
    }[kind]


def _paragraphs(pool: list[str], words: int, rng: random.Random) -> list[str]:
    paragraphs, total = [], 0
    while total < words:
        paragraph = " ".join(rng.sample(pool, rng.randint(1, 3)))
        paragraphs.append(paragraph)
        total += len(paragraph.split())
    return paragraphs


def _texts(vocabulary: dict[str, list[str]], rng: random.Random) -> dict[str, list[str]]:
    """About MEAN_WORDS words, spread like the real fiches: mostly actions, then défis, besoins, ressources."""
    words = int(rng.lognormvariate(0, 0.45) * MEAN_WORDS * 0.9)
    shares = {"actions": 0.45, "defis": 0.2, "besoins": 0.17, "ressources": 0.18}
    texts = {}
    for name, share in shares.items():
        if name == "actions" or rng.random() < 0.85:
            texts[name] = _paragraphs(vocabulary[name], int(words * share), rng)
    return texts


def _fiche(number: int, rng: random.Random, territories: _Territories, vocabulary, schemes, themes, workshops, earlier: list[str], taken: set) -> dict:
    kinds, weights = zip(*ORGANISATION_KINDS)
    kind = rng.choices(kinds, weights)[0]
    places = territories.for_organisation(kind, rng)
    organisation = {"nom": _organisation_name(kind, places[0], rng), "type": kind}
    if rng.random() < 0.3:
        organisation["site_web"] = f"https://www.{slug(organisation['nom'])[:40].rstrip('-')}.fr"
    while True:
        persons = [{"nom": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"} for _ in range(rng.choice((1, 1, 1, 2)))]
        identity = (organisation["nom"], tuple(p["nom"] for p in persons))
        if identity not in taken:
            taken.add(identity)
            break
    for person in persons:
        if rng.random() < 0.6:
            person["fonction"] = rng.choice(ROLES)
    ident = f"{slug(organisation['nom'])[:60].strip('-')}-{number + 1}"
    fiche: dict = {"id": ident, "personnes": persons}
    if rng.random() < 0.03:
        fiche["masquer_noms"] = True
    fiche["organisation"] = organisation
    fiche["territoires"] = [place["id"] for place in places]
    fiche["dispositifs"] = rng.sample(schemes, rng.randint(1, 5))
    fiche["thematiques"] = rng.sample(themes, rng.randint(2, 6))
    fiche.update(_texts(vocabulary, rng))
    if earlier and rng.random() < 1 / 12:
        helpers = rng.sample(earlier, min(len(earlier), rng.randint(1, 2)))
        fiche["liens"] = [{"participant": helper, "motif": rng.choice(LINK_REASONS)} for helper in helpers]
    if rng.random() < 0.4:
        workshop = rng.choice(workshops)
        fiche["atelier"] = workshop["id"]
        fiche["source"] = {"fichier": f"{workshop['id']}.txt", "lignes": [rng.randint(5, 400)]}
    fiche["mise_a_jour"] = (date(2021, 3, 16) + timedelta(days=rng.randint(0, 1500))).isoformat()
    return fiche


def _workshops(n: int, rng: random.Random, territories: _Territories) -> list[dict]:
    real = yaml.load((PROJECT / "data" / "ateliers.yml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    workshops = list(real)
    for number in range(n // 250):
        region = territories.by_kind["region"][number % 13]
        day = date(2021, 4, 1) + timedelta(days=rng.randint(0, 1400))
        workshops.append({
            "id": f"atelier-{slug(region['nom'])}-{day.isoformat()}-{number + 1}",
            "titre": f"Atelier régional {region['nom']} n° {number + 1}",
            "date": day.isoformat(),
            "description": f"Atelier d'échange entre acteurs des démarches territorialisées pour l'emploi de la région {region['nom']}. Chacun a répondu aux quatre questions de l'atelier du 16 mars 2021.",
        })
    return workshops


def _dump(data, path: Path, schema: str) -> None:
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
    path.write_text(f"# yaml-language-server: $schema={schema}\n{text}", encoding="utf-8")


def copy_code(destination: Path) -> None:
    """Copy everything but `data/` participants, territories and workshops: the real project's code and references."""
    destination.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__")
    for part in COPIED:
        source = PROJECT / part
        if source.is_dir():
            shutil.copytree(source, destination / part, ignore=ignore, dirs_exist_ok=True)
        elif source.is_file():
            shutil.copy2(source, destination / part)
    (destination / "data").mkdir(exist_ok=True)
    for part in REAL_REFERENCES:
        source = PROJECT / "data" / part
        if source.is_dir():
            shutil.copytree(source, destination / "data" / part, dirs_exist_ok=True)
        else:
            shutil.copy2(source, destination / "data" / part)


def generate(n: int, seed: int, destination: Path) -> Path:
    """Write a complete project with `n` synthetic fiches into `destination` (created, or emptied first).

    Args:
        n: number of participant fiches.
        seed: the same seed gives byte-identical files.
        destination: folder of the project copy; build it with ``mkdocs build -f destination/mkdocs.yml``.
    Returns:
        `destination`.
    """
    destination = Path(destination)
    if destination.exists():
        shutil.rmtree(destination)
    copy_code(destination)
    rng = random.Random(seed)
    data = destination / "data"
    territories = _Territories(n, rng)
    workshops = _workshops(n, rng, territories)
    _dump(territories.as_yaml_data(), data / "territoires.yml", "schemas/territoires.schema.json")
    _dump(workshops, data / "ateliers.yml", "schemas/ateliers.schema.json")
    vocabulary = _real_vocabulary()
    schemes, themes = _ids(data / "dispositifs.yml"), _ids(data / "thematiques.yml")
    folder = data / "participants"
    folder.mkdir()
    earlier: list[str] = []
    taken: set = set()
    for number in range(n):
        fiche = _fiche(number, rng, territories, vocabulary, schemes, themes, workshops, earlier, taken)
        _dump(fiche, folder / f"{fiche['id']}.yml", "../schemas/participant.schema.json")
        earlier.append(fiche["id"])
    return destination


def main() -> None:
    sys.path.insert(0, str(PROJECT))  # run as a script, from anywhere
    from repertoire.cli import FrenchParser

    parser = FrenchParser(description="Écrit une copie du projet avec N fiches synthétiques réalistes.")
    parser.add_argument("fiches", type=int, help="nombre de fiches")
    parser.add_argument("destination", type=Path, help="dossier de la copie (vidé s'il existe)")
    parser.add_argument("--graine", type=int, default=1, help="graine du hasard (défaut : 1)")
    args = parser.parse_args()
    generate(args.fiches, args.graine, args.destination)
    print(f"{args.fiches} fiches écrites dans {args.destination}")


if __name__ == "__main__":
    main()
