"""MkDocs adapter of the `repertoire` package: checks the data, then hands MkDocs its pages.

Events, in MkDocs' order:
- `on_config`: load, validate and index `data/`; any error stops the build before the site
  folder is touched, with every problem listed in French.
- `on_files`: add one in-memory page per `PageSpec`.
- `on_page_markdown`: give a generated page its title and « modifier » link; its Markdown is empty.
- `on_page_content`: the page's HTML, rendered by the package, replaces the empty Markdown's.
- `on_env`: the theme's compiled templates are kept between builds, as the renderer keeps ours.
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


@event_priority(100)  # before mkdocs-macros reads `extra`
def on_config(config):
    # `mkdocs serve` reloads this hook on every change but not the package: drop it to re-import.
    for name in [m for m in sys.modules if m == "repertoire" or m.startswith("repertoire.")]:
        del sys.modules[name]
    if str(PACKAGE_ROOT) not in sys.path:
        sys.path.insert(0, str(PACKAGE_ROOT))
    from repertoire import pipeline, problems, render

    project = Path(config.config_file_path).parent
    checked = pipeline.check(project / "data")
    if not checked.ok:
        raise PluginError("Les données du répertoire contiennent des erreurs :\n" + problems.report(checked.problems))
    for warning in checked.problems:
        log.info(str(warning))
    _build.update(renderer=render.Renderer(checked.index, project / "templates", FileSystemBytecodeCache()), specs={s.uri: s for s in render.plan_pages(checked.index)})
    config.extra["repertoire"] = {"participants": len(checked.index.participants)}
    return config


def on_files(files, config):
    for uri in _build["specs"]:
        files.append(File.generated(config, uri, content=""))
    return files


@event_priority(100)  # before mkdocs-macros, so that it never renders a generated page
def on_page_markdown(markdown, page, config, files):
    spec = _build["specs"].get(page.file.src_uri)
    if spec is None:
        return markdown
    page.meta.update(title=str(escape(spec.title)), render_macros=False)
    page.edit_url = urljoin(urljoin(config.repo_url, config.edit_uri), "../" + spec.source) if spec.source.endswith(".yml") else None
    return ""


def on_page_content(html, page, config, files):
    spec = _build["specs"].get(page.file.src_uri)
    if spec is None:
        return html
    rendered = _build["renderer"].render(spec)
    page.toc = get_toc([{"level": level, "id": anchor, "name": title, "children": []} for level, anchor, title in rendered.toc])
    return rendered.html


def on_env(env, config, files):
    # MkDocs makes a new Jinja environment for every build, and compiling Material's templates is most
    # of a `mkdocs serve` rebuild at the real size. Jinja checks each cached template against its source.
    env.bytecode_cache = FileSystemBytecodeCache()
    return env
