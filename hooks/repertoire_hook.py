"""MkDocs adapter of the `repertoire` package: checks the data, then hands MkDocs its pages.

Events, in MkDocs' order:
- `on_config`: load, validate and index `data/`; any error stops the build before the site
  folder is touched, with every problem listed in French. Then make every page's search record
  while, on a large directory, child processes match needs with offers and write the spreadsheet
  (`aside.Aside`), and start
  indexing the records with Pagefind (a forked child on a large directory, else a thread); the folders
  of the Pagefind bundle go to the templates (`extra.repertoire.recherche`).
- `on_files`: add one in-memory page per `PageSpec`, and the files of the contribution form
  (schemas, lists of choices, each fiche's data). The site folder is emptied by now: the JSON and
  CSV open-data files, made in `on_config`, are written into its `donnees/`.
- `on_nav`: the generated pages outside the navigation skip Markdown (`_GeneratedPage`). Half of them
  are built aside: on a large directory a forked child renders and writes them, as MkDocs' own loop
  would, while this process builds the other pages; MkDocs no longer sees them, except in the sitemap
  (`on_template_context`).
- `on_env`: the theme's compiled templates are kept between builds, as the renderer keeps ours.
- `on_page_markdown`: give a generated page its title and « modifier » link; its Markdown is empty.
- `on_page_content`: the page's HTML, rendered by the package, replaces the empty Markdown's; its lead
  paragraph becomes its description (`<meta name="description">`).
- `on_post_build`: the warnings of the pages built aside are logged here (where `--strict` counts them),
  the spreadsheet is written into `donnees/`, and Pagefind's bundle into the site.

The site's public address is a publishing setting (`data/publication.yml`), set here as `site_url`.
"""

from __future__ import annotations

import logging
import sys
from functools import partial
from pathlib import Path
from urllib.parse import urljoin

from jinja2 import FileSystemBytecodeCache
from markupsafe import escape
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
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
        log.info(str(warning))  # shown, but not a MkDocs warning: `--strict` would refuse every fiche not confirmed in time
    matches = aside.Aside(partial(matching.match, checked.index), len(checked.index.participants))
    exports = export.Exports(checked.index)
    specs = render.plan_pages(checked.index)
    record_builder = search.RecordBuilder(checked.index)
    _build.update(
        fiches=len(checked.index.participants),
        specs={s.uri: s for s in specs},
        exports=exports,
        search=search_bundle.SearchBundle(filter(None, map(record_builder.record, specs))),
    )
    _build["search"].start_indexing(_build["fiches"])
    _build["published"] = contribution.published_files(checked.index, checked.as_written, project, config.repo_url, config.edit_uri)
    renderer = _build["renderer"] = render.Renderer(
        checked.index, project / "templates", project / "data" / "geo", exports.downloads, render.template_cache(), matches.result(), checked.unconfirmed
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
    return files


@event_priority(-100)  # after every plugin has seen the navigation the pages are built with
def on_nav(nav, config, files):
    from repertoire import aside

    _build["sitemap"] = files.documentation_pages()
    in_nav = {page.file.src_uri for page in nav.pages}
    outside_nav = [file for file in _build["sitemap"] if file.src_uri in _build["specs"] and file.src_uri not in in_nav]
    for file in outside_nav:
        _GeneratedPage(None, file, config)  # replaces the page MkDocs made for it, referred to by nothing else
    # Every other one, but the open-data page: it waits for the spreadsheet, made later in this process.
    share = [file for file in outside_nav if _build["specs"][file.src_uri].template != "donnees-ouvertes.html.j2"][1::2]
    built_aside = _build["aside_pages"] = aside.Aside(partial(_build_pages, share, config, files, nav), _build["fiches"])
    log.debug(f"{len(share)} pages construites " + (f"par le processus {built_aside.child_pid}" if built_aside.child_pid else "sur place"))
    for file in share:
        files.remove(file)
    return nav


def on_template_context(context, template_name, config):
    if template_name == "sitemap.xml":
        context["pages"] = _build["sitemap"]  # with the pages built aside
    return context


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
    if rendered.description:
        page.meta["description"] = str(escape(rendered.description))  # the theme writes it unescaped
    return rendered.html


def on_post_build(config):
    from repertoire import export, render

    try:
        for logger, level, message in _build.pop("aside_pages").result():
            logging.getLogger(logger).log(level, message)
        export.write_exports([_build["exports"].spreadsheet()], Path(config.site_dir) / render.DOWNLOADS_FOLDER)
        _build["search"].write(Path(config.site_dir))
    finally:
        _close_search()


class _GeneratedPage(Page):
    """A generated page outside the navigation. Its source is empty and its HTML comes from the package
    (`on_page_content`): the Markdown converter MkDocs would set up for it is skipped (0.5 ms a page)."""

    def render(self, config, files):
        self.content = ""
        self.present_anchor_ids = set()


class _HeldMessages(logging.Handler):
    """Holds MkDocs' warnings and errors back (`on_post_build` logs them again), hands the others to `shown`."""

    def __init__(self, shown: list[logging.Handler]):
        super().__init__()
        self.shown = shown
        self.held: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.held.append((record.name, record.levelno, record.getMessage()))
            return
        for handler in self.shown:
            if record.levelno >= handler.level:
                handler.handle(record)


def _build_pages(share, config, files, nav) -> list[tuple[str, int, str]]:
    """Read, render and write the pages of `share` as MkDocs' build loop does; returns the warnings met.

    Run aside, in a child forked before `on_nav` takes these pages from `files`; or at once, in the process."""
    from mkdocs.commands.build import _build_page, _populate_page  # MkDocs 1.6's two steps of a page

    mkdocs_log = logging.getLogger("mkdocs")
    holding = _HeldMessages(mkdocs_log.handlers)
    mkdocs_log.handlers = [holding]
    try:
        env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
        documentation_pages = files.documentation_pages()
        for file in share:
            _populate_page(file.page, config, files)
            _build_page(file.page, config, documentation_pages, nav, env)
            file.page.content = None  # written: its HTML is not needed any more
    finally:
        mkdocs_log.handlers = holding.shown
    return holding.held


def on_build_error(error):
    _close_search()


def _close_search():
    if "search" in _build:
        _build.pop("search").close()
