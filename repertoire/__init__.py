"""Répertoire des initiatives territoriales pour l'emploi: from YAML data to the pages of the site.

The stages, each a module, in the order they run:

1. `load.load_sources(data_dir)` — YAML files → `Sources` (documents + reading problems); `fiches` reads
   the participant files on every core and keeps those read without a problem between runs;
2. `validate.validate(sources)` — `Sources` → `Validated` (the `model.Directory` + every problem);
3. `index.build_index(directory)` — `Directory` → `Index` (every cross-reference, both ways);
   `matching.match(index)` — `Index` → `Matches` (who can help with each need, related initiatives);
4. `render.plan_pages(index)` / `render.Renderer(index).render(spec)` — `Index` → HTML pages, with
   `glossary` (acronyms explained), `geo` (the map) and `charts` (home-page figures);
5. `export.build_exports(index)` — `Index` → open-data files (JSON, CSV + TableSchema, ODS), in memory;
   `search.RecordBuilder(index)` — what each page offers to the search, which `search_bundle` has
   Pagefind index and `search_repack` regroups so that a first query downloads less;
   `contribution.published_files` — the files of the contribution form (lists of choices, each fiche's data).

`pipeline.check` chains stages 1–3; `cli` is the command line; `hooks/repertoire_hook.py` adapts the
package to MkDocs, and has `aside.Aside` compute matching, the spreadsheet and half of the fiches' pages in
forked children on a large directory. Nothing in this package imports MkDocs.
"""
