/* Site search with Pagefind (bundle in the site's `pagefind/` folder, written by the build).
   - The header field of every page shows the first results while you type, announced to screen
     readers; Enter opens the « Rechercher » page.
   - The « Rechercher » page lists every matching fiche with facets (région, département, type de
     structure, dispositif, thématique); the query and the chosen facets are kept in the address.
   Pagefind is loaded only when a reader starts searching, from this site, never from elsewhere. */
(() => {
  "use strict";

  const root = new URL("..", document.currentScript.src);
  /* The index comes in parts (see repertoire/search_bundle.py); the first holds Pagefind's engine. */
  const parts = document.querySelector("[data-rep-index]").dataset.repIndex.split(" ").map((folder) => new URL(folder, location.href).href);
  const OPTIONS = { excerptLength: 24 };
  /* Each part also indexes a page of the words it lacks, which no search may return (OTHER_PARTS_WORDS). */
  const OWN_PAGES = parts.length > 1 ? { vocabulaire: { none: ["autres parties"] } } : {};
  const FICHES = { page: "Fiche" };
  const HEADER_RESULTS = 6;
  const PAGE_RESULTS = 20;
  const WIDE_SCREEN = matchMedia("(min-width: 60em)"); // Material's breakpoint between tablets and laptops
  const DELAY_MS = 100;
  const LIVE_MIN_LENGTH = 3; // shorter words match thousands of index words: searched on Enter only
  const collator = new Intl.Collator("fr");
  let loading = null;

  function pagefind() {
    loading ??= import(parts[0] + "pagefind.js").then(async (module) => {
      // No worker: it would cost 41 kB more per visitor, and a search takes milliseconds.
      await module.options({ ...OPTIONS, noWorker: true });
      await module.init();
      await Promise.all(parts.slice(1).map((part) => module.mergeIndex(part, OPTIONS)));
      return module;
    });
    return loading;
  }

  const count = (n, one, many) => `${n}\u00a0${n > 1 ? many : one}`;
  const searchPage = (query) => new URL("rechercher/" + query, root).href;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /* Pagefind's excerpt is HTML: only its <mark> tags are kept, everything else becomes text. A « … »
     says where it cuts the fiche's text, which would otherwise seem to end mid-sentence. */
  const words = (text) => text.replace(/\s+/g, " ").trim();
  function excerpt(html, content) {
    const paragraph = element("p", "rep-extrait");
    const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html").body.firstChild;
    parsed.childNodes.forEach((node) => {
      paragraph.append(node.nodeName === "MARK" ? element("mark", "", node.textContent) : document.createTextNode(node.textContent));
    });
    const shown = words(parsed.textContent), whole = words(content);
    if (shown && !whole.startsWith(shown)) paragraph.prepend("…\u00a0");
    if (shown && !whole.endsWith(shown)) paragraph.append("\u00a0…");
    return paragraph;
  }

  /* The index has straight apostrophes only (see repertoire/search.py). */
  const term = (input) => input.value.trim().replace(/\u2019/g, "'");

  /* Words nearly every fiche holds narrow nothing, and each would download one of the largest parts
     of the index: a query is searched without them and without elided articles (« l'emploi » →
     « emploi »), unless it holds nothing else or is an exact phrase between quotation marks. */
  const IGNORED = new Set("a à au aux avec ce ces dans de des du en et la le les leur leurs ou par pour sa se ses son sur un une".split(" "));
  const ELISION = /^(?:l|d|qu|n|s|c|j|m|t|jusqu|lorsqu|puisqu)'/i;

  function searched(query) {
    if (query.includes('"')) return query;
    const kept = query.split(/\s+/).map((word) => word.replace(ELISION, "")).filter((word) => word && !IGNORED.has(word.toLowerCase()));
    return kept.length ? kept.join(" ") : query;
  }

  /* While the reader types, the index files of the words typed so far are fetched: the search that follows
     the pause finds them loaded. Words too short to be searched live are left out: they span many files. */
  function preload(query) {
    const words = searched(query).split(/\s+/).filter((word) => word.length >= LIVE_MIN_LENGTH);
    if (words.length) pagefind().then((engine) => engine.preload(words.join(" "), { filters: OWN_PAGES }));
  }

  let itemsMade = 0; // the header's suggestions and the search page's results share the page: one id each
  function resultItem(data) {
    const item = element("li", "rep-resultat");
    const link = element("a", "", data.meta.title);
    link.href = new URL(data.url, location.href).href; // Pagefind prefixes the site's own path (/repertoire/)
    item.append(link);
    const details = data.meta.type === FICHES.page
      ? [data.meta.organisation, data.meta.territoire, data.meta.personnes]
      : [data.meta.type, data.meta.territoire];
    const about = details.filter(Boolean).join(" · ");
    if (about) {
      // Read with the link: « Grand Dax » the fiche and « Grand Dax » the territory are told apart.
      const infos = element("p", "rep-resultat-infos", about);
      infos.id = `${item.className}-${++itemsMade}`;
      link.setAttribute("aria-describedby", infos.id);
      item.append(infos);
    }
    // A territory, a dispositif or a thématique is indexed by its names: its title would be repeated as an excerpt.
    if (words(data.content) !== words(data.meta.title)) item.append(excerpt(data.excerpt, data.content));
    return item;
  }

  /* Runs `task` once typing pauses; an answer that arrives after a newer request is dropped. */
  function latestOnly(task) {
    let timer, ticket = 0;
    return (...args) => {
      clearTimeout(timer);
      const mine = ++ticket;
      timer = setTimeout(() => task(() => mine !== ticket, ...args), DELAY_MS);
    };
  }

  function setUpHeader(form) {
    const input = form.elements.q;
    const box = form.querySelector("[data-rep-suggestions]");
    const list = box.querySelector("ol");
    const all = box.querySelector(".rep-suggestions-tout");
    const announce = form.querySelector("[data-rep-annonce]");
    const show = (open) => {
      box.hidden = !open;
      input.setAttribute("aria-expanded", String(open));
    };
    const links = () => [...box.querySelectorAll("a")];

    const update = latestOnly(async (stale, query) => {
      if (query.length < LIVE_MIN_LENGTH) { show(false); announce.textContent = ""; return; }
      const engine = await pagefind();
      const search = await engine.search(searched(query), { filters: OWN_PAGES });
      if (stale()) return;
      const shown = await Promise.all(search.results.slice(0, HEADER_RESULTS).map((r) => r.data()));
      if (stale()) return;
      list.replaceChildren(...shown.map(resultItem));
      all.href = searchPage("?" + new URLSearchParams({ q: query }));
      all.textContent = `Toutes les fiches pour «\u202f${query}\u202f», avec les filtres`;
      const total = search.results.length;
      announce.textContent = total
        ? `${count(total, "résultat", "résultats")} pour «\u202f${query}\u202f»${total > HEADER_RESULTS ? `, ${HEADER_RESULTS} affichés` : ""}. Flèche bas pour les parcourir.`
        : `Aucun résultat pour «\u202f${query}\u202f».`;
      show(true);
    });

    input.addEventListener("focus", pagefind, { once: true });
    input.addEventListener("input", () => { preload(term(input)); update(term(input)); });
    form.addEventListener("keydown", (event) => {
      const items = links();
      const at = items.indexOf(document.activeElement);
      if (event.key === "Escape") {
        show(false);
        input.focus();
      } else if (event.key === "ArrowDown" && !box.hidden) {
        event.preventDefault();
        items[Math.min(at + 1, items.length - 1)]?.focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        (at === 0 ? input : items[at - 1]).focus();
      }
    });
    form.addEventListener("focusout", (event) => {
      if (!form.contains(event.relatedTarget)) show(false);
    });
    input.addEventListener("focus", () => { if (list.children.length && term(input)) show(true); });
  }

  function setUpSearchPage(form) {
    const input = form.elements.q;
    const status = document.querySelector("[data-rep-statut]");
    const list = document.querySelector("[data-rep-resultats]");
    const more = document.querySelector("[data-rep-plus]");
    const nothing = document.querySelector("[data-rep-aucune]");
    const facets = [...form.querySelectorAll("[data-rep-facette]")];
    const panel = form.querySelector("[data-rep-filtres]");
    const params = new URLSearchParams(location.search);
    let results = [];

    const chosen = (fieldset) => [...fieldset.querySelectorAll("input:checked")].map((box) => box.value);

    async function showMore() {
      const next = results.slice(list.children.length, list.children.length + PAGE_RESULTS);
      list.append(...(await Promise.all(next.map((r) => r.data()))).map(resultItem));
      more.hidden = list.children.length >= results.length;
    }

    const run = latestOnly(async (stale) => {
      const query = term(input);
      const filters = { ...FICHES }; // which also leaves out the parts' pages of words (OWN_PAGES)
      const address = new URLSearchParams(query ? { q: query } : {});
      for (const fieldset of facets) {
        const values = chosen(fieldset);
        if (values.length) filters[fieldset.dataset.repFacette] = { any: values };
        values.forEach((value) => address.append(fieldset.dataset.repFacette, value));
      }
      history.replaceState(null, "", address.size ? "?" + address : location.pathname);
      const engine = await pagefind();
      const words = query ? searched(query) : null; // no word: in alphabetical order, as indexed
      const search = await engine.search(words, { filters });
      if (stale()) return;
      results = search.results;
      list.replaceChildren();
      await showMore();
      if (stale()) return;
      const filtersChosen = facets.reduce((sum, fieldset) => sum + chosen(fieldset).length, 0);
      panel.querySelector("[data-rep-choisis]").textContent = filtersChosen ? ` (${count(filtersChosen, "filtre choisi", "filtres choisis")})` : "";
      nothing.hidden = results.length > 0;
      status.textContent = `${results.length ? count(results.length, "fiche", "fiches") : "Aucune fiche"}`
        + (query ? ` pour «\u202f${query}\u202f»` : "") + (filtersChosen ? " avec les filtres choisis" : "") + ".";
      /* Values of one group combine with « ou »: where some are chosen, each value counts the fiches the
         other groups allow, which choosing it would add (Pagefind counts within the results: 0 for them).
         That takes one more search per such group, after the results are shown. */
      for (const fieldset of facets) {
        const { [fieldset.dataset.repFacette]: own, ...others } = filters;
        const counts = (own ? (await engine.search(words, { filters: others })).filters : search.filters)[fieldset.dataset.repFacette] ?? {};
        if (stale()) return;
        fieldset.querySelectorAll("[data-nombre]").forEach((span) => {
          span.textContent = `(${counts[span.dataset.nombre] ?? 0})`;
        });
      }
    });

    async function buildFacets() {
      const values = await (await pagefind()).filters();
      for (const fieldset of facets) {
        const key = fieldset.dataset.repFacette;
        const wanted = params.getAll(key);
        const options = Object.keys(values[key] ?? {}).sort(collator.compare).map((value) => {
          const label = element("label", "rep-facette-valeur");
          const box = element("input");
          box.type = "checkbox";
          box.name = key;
          box.value = value;
          box.checked = wanted.includes(value);
          const number = element("span", "rep-nombre");
          number.dataset.nombre = value;
          label.append(box, ` ${value} `, number);
          return label;
        });
        fieldset.querySelector(".rep-facette-valeurs").replaceChildren(...options);
        fieldset.hidden = options.length === 0;
      }
      panel.hidden = facets.every((fieldset) => fieldset.hidden);
      panel.open = WIDE_SCREEN.matches; // on a phone, folded: the results come right after the search field
    }

    input.value = params.get("q") ?? "";
    status.textContent = "Chargement de la recherche…";
    form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
    form.addEventListener("input", (event) => {
      const typed = term(input).length;
      if (event.target !== input || typed === 0 || typed >= LIVE_MIN_LENGTH) run();
    });
    more.addEventListener("click", showMore);
    buildFacets().then(run);
  }

  document.querySelectorAll("[data-rep-entete]").forEach(setUpHeader);
  document.querySelectorAll("[data-rep-recherche-page]").forEach(setUpSearchPage);
})();
