"""MkDocs adapter of the `repertoire` package: checks the data, then hands MkDocs its pages.

Events, in MkDocs' order:
- `on_config`: load, validate and index `data/`; any error stops the build before the site
  folder is touched, with every problem listed in French. Then make every page's search record
  while a child process matches needs with offers on a large directory (`aside.Aside`); the folders
  of the records' Pagefind bundle go to the templates (`extra.repertoire.recherche`).
- `on_files`: add one in-memory page per `PageSpec`, and the files of the contribution form
  (schemas, lists of choices, each fiche's data). The site folder is emptied by now: the JSON and
  CSV open-data files, made in `on_config`, are written into its `donnees/`, and Pagefind starts
  indexing the records into it, in its own processes, while MkDocs renders the pages (so does the
  spreadsheet's child process on a large directory, see `export.Exports`).
- `on_env`: the theme's compiled templates are kept between builds, as the renderer keeps ours.
- `on_page_markdown`: give a generated page its title and « modifier » link; its Markdown is empty.
- `on_page_content`: the page's HTML, rendered by the package, replaces the empty Markdown's.
- `on_post_build`: the spreadsheet is written into `donnees/`; the build waits for Pagefind's bundle.

The site's public address is a publishing setting (`data/publication.yml`), set here as `site_url`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urljoin

from jinja2 import FileSystemBytecodeCache
from markupsafe import escape
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
log = get_plugin_logger("repertoire")
_build: dict = {}


def _import_package_afresh_if_changed() -> None:
    """`mkdocs serve` reloads this hook on every change, but not the package, nor the schemas it keeps
    in memory: they are imported again when their files changed, and only then (a third of a second)."""
    sources = sorted([*(PACKAGE_ROOT / "repertoire").glob("*.py"), *(PACKAGE_ROOT / "data" / "schemas").glob("*.json")])
    fingerprint = [(path, status.st_mtime_ns, status.st_size) for path in sources for status in [path.stat()]]
    loaded = sys.modules.get("repertoire")
    if loaded is not None and getattr(loaded, "source_fingerprint", None) == fingerprint:
        return
    for name in [m for m in sys.modules if m == "repertoire" or m.startswith("repertoire.")]:
        del sys.modules[name]
    if str(PACKAGE_ROOT) not in sys.path:
        sys.path.insert(0, str(PACKAGE_ROOT))
    import repertoire

    repertoire.source_fingerprint = fingerprint


@event_priority(100)  # before mkdocs-macros reads `extra`
def on_config(config):
    _import_package_afresh_if_changed()
    from repertoire import aside, contribution, export, matching, pipeline, problems, render, search, search_bundle

    _close_search()  # a previous `mkdocs serve` build's, if it was interrupted
    project = Path(config.config_file_path).parent
    checked = pipeline.check(project / "data")
    if not checked.ok:
        raise PluginError("Les données du répertoire contiennent des erreurs :\n" + problems.report(checked.problems))
    for warning in checked.problems:
        log.info(str(warning))
    matches = aside.Aside(matching.match, checked.index)
    exports = export.Exports(checked.index)
    specs = render.plan_pages(checked.index)
    record_builder = search.RecordBuilder(checked.index)
    _build.update(
        specs={s.uri: s for s in specs},
        exports=exports,
        published=contribution.published_files(checked.index, project, config.repo_url, config.edit_uri),
        search=search_bundle.SearchBundle(filter(None, map(record_builder.record, specs))),
    )
    renderer = _build["renderer"] = render.Renderer(
        checked.index, project / "templates", project / "data" / "geo", exports.downloads, FileSystemBytecodeCache(), matches.result()
    )
    publication = checked.index.directory.publication
    config.site_url = config.site_url or publication.site_url  # `mkdocs serve` sets its own
    config.extra["repertoire"] = {
        "participants": len(checked.index.participants),
        "editeur": publication.publisher.name,
        "accessibilite": publication.accessibility.status_label,
        "recherche": _build["search"].folders,
        # HTML made by our templates from reference data only, never from contributor text
        "graphiques": renderer.render_part("partials/graphiques.html.j2", "index.md"),
    }
    return config


def on_files(files, config):
    from repertoire import export, render

    for uri in _build["specs"]:
        files.append(File.generated(config, uri, content=""))
    for uri, text in _build["published"].items():
        files.append(File.generated(config, uri, content=text))
    export.write_exports(_build["exports"].take_made(), Path(config.site_dir) / render.DOWNLOADS_FOLDER)
    _build["search"].start_writing(Path(config.site_dir))
    return files


def on_env(env, config, files):
    # MkDocs makes a new Jinja environment for every build, and compiling Material's templates is most
    # of a `mkdocs serve` rebuild at the real size. Jinja checks each cached template against its source.
    env.bytecode_cache = FileSystemBytecodeCache()
    return env


@event_priority(100)  # before mkdocs-macros, so that it never renders a generated page
def on_page_markdown(markdown, page, config, files):
    spec = _build["specs"].get(page.file.src_uri)
    if spec is None:
        return markdown
    page.meta.update(title=str(escape(spec.title)), render_macros=False)
    page.edit_url = urljoin(urljoin(config.repo_url.rstrip("/") + "/", config.edit_uri), "../" + spec.source) if spec.source.endswith(".yml") else None
    return ""


def on_page_content(html, page, config, files):
    spec = _build["specs"].get(page.file.src_uri)
    if spec is None:
        return html
    rendered = _build["renderer"].render(spec)
    page.toc = get_toc(rendered.toc_tree())
    return rendered.html


def on_post_build(config):
    from repertoire import export, render

    try:
        export.write_exports([_build["exports"].spreadsheet()], Path(config.site_dir) / render.DOWNLOADS_FOLDER)
        _build["search"].finish_writing()
    finally:
        _close_search()


def on_build_error(error):
    _close_search()


def _close_search():
    if "search" in _build:
        _build.pop("search").close()
