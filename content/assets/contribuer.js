/* Contribution form of the répertoire (« Proposer une initiative », « Proposer une correction »).
 *
 * In: the participant JSON Schema published by the build (../schemas/participant.schema.json),
 * the lists of choices (listes.json) and, for a correction (?fiche=<id>), the fiche's current
 * data (fiches/<id>.json). Labels, help texts, the fields of paragraphs and the order of keys come
 * from the schema, choices from the lists: the form names only the fields it shows (the organisation's)
 * or keeps as they are (liens, atelier, source).
 * Out: a YAML file in the project's format (schema line first, keys in schema order), checked
 * with Ajv against the same schema as the build, offered on the forge's « new file » page,
 * copied for its « edit file » page, or downloaded. What is typed is kept in localStorage.
 */
(function () {
  "use strict";

  var container = document.getElementById("contribution");
  if (!container) return;
  var siteRoot = container.dataset.racine;
  var ficheId = new URLSearchParams(window.location.search).get("fiche");
  var STORAGE_KEY = "repertoire-contribution:" + (ficheId || "nouvelle");
  var SCHEMA_LINE = "# yaml-language-server: $schema=../schemas/participant.schema.json";
  var HIDDEN_NAMES_NOTE = "# personnes : non publiées sur le site ; gardez ici le bloc « personnes » du fichier actuel";
  var CHOICE_HINTS = {
    territoires: spaced("Cochez d’abord le territoire principal : l’ordre des coches est conservé. Votre territoire manque ? Dites-le dans le message de votre proposition."),
    dispositifs: "Les dispositifs que vous pratiquez ou que vous citez.",
    thematiques: "Les sujets sur lesquels vous agissez."
  };
  var MAX_URL_LENGTH = 8000; // longer addresses are refused by some browsers and servers
  // The build's rule (validate._INVISIBLE_CATEGORIES): controls but tab and line break, format characters, separators;
  // and what shows as a box: private use (a word processor's bullets), replacement characters. The private use of
  // planes 15 and 16, which the build leaves out, is refused here too: the form is never the more lenient.
  var INVISIBLE = /(?![\t\n])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\uFFFC\uFFFD]/u;
  var UNREADABLE = /[\p{Co}\uFFFC\uFFFD]/u;
  // The zero-width joiner that makes one emoji of two pictographs (👩‍🌾) hides nothing: the same rule as the build's.
  var EMOJI_JOINER = /(\p{So}[\uFE0F\u{1F3FB}-\u{1F3FF}]*)\u200D(?=\p{So})/gu;

  var schema, lists, published, validateSchema, state, fields, restored;
  var textLists; // the fields of paragraphs (actions, défis…), as the schema says: those of « $defs/paragraphes »

  // ---- small helpers --------------------------------------------------------------------

  function h(tag, attributes) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name.slice(0, 2) === "on") node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    });
    for (var i = 2; i < arguments.length; i++) {
      if (arguments[i]) node.appendChild(typeof arguments[i] === "string" ? document.createTextNode(arguments[i]) : arguments[i]);
    }
    return node;
  }

  function controlId(path) {
    return "champ" + path.replace(/\//g, "-");
  }

  function copy(value) {
    return JSON.parse(JSON.stringify(value));
  }

  function today() {
    var now = new Date();
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  /* The identifier proposed for a name, as repertoire/scaffold.py's `_slug` makes it. */
  function slug(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/œ/g, "oe").replace(/æ/g, "ae").replace(/ß/g, "ss").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80).replace(/-+$/, "");
  }

  /* French spacing of the form's own text, as repertoire/typography.py gives the templates': a narrow no-break
     space before « ? ! ; : » and inside « ». Never applied to what a contributor typed. */
  function spaced(text) {
    return text.replace(/[ \u00a0]([?!;:»])/g, "\u202f$1").replace(/« /g, "«\u202f");
  }

  function quoted(value) {
    var text = String(value);
    return "«\u202f" + (text.length > 60 ? text.slice(0, 57) + "…" : text) + "\u202f»";
  }

  // ---- the schema: labels, help texts, key order ----------------------------------------

  function resolve(node) {
    return node && node.$ref ? Object.assign({}, schema.$defs[node.$ref.split("/").pop()], node) : node;
  }

  /* The schema node of a field as written (a « $ref » left unresolved), e.g. "/personnes/0/nom". */
  function nodeAt(path) {
    var node = schema;
    path.split("/").slice(1).forEach(function (part) {
      node = resolve(node) || {};
      node = /^\d+$/.test(part) ? node.items : (node.properties || {})[part];
    });
    return node || {};
  }

  function schemaAt(path) {
    return resolve(nodeAt(path));
  }

  /* The field's own description, then the shared one of the definition it refers to. */
  function helpText(path) {
    var node = nodeAt(path);
    var shared = node.$ref ? schema.$defs[node.$ref.split("/").pop()].description : "";
    return spaced([node.description, shared].filter(Boolean).join(" "));
  }

  function keysOf(path) {
    return Object.keys(schemaAt(path).properties || {});
  }

  // ---- state: the fiche being written, kept in localStorage ------------------------------

  function blankOrganisation() {
    return { nom: "", sigle: "", type: "", site_web: "" };
  }

  function initialFiche() {
    var fiche = { id: "", titre: "", personnes: [{ nom: "", fonction: "" }], masquer_noms: false, organisation: blankOrganisation(),
      territoires: [], dispositifs: [], thematiques: [] };
    textLists.forEach(function (key) { fiche[key] = [""]; });
    if (!published) return fiche;
    var current = copy(published);
    Object.assign(fiche, current);
    fiche.organisation = Object.assign(blankOrganisation(), current.organisation || {});
    fiche.personnes = namesHidden() ? [] : (current.personnes || []);
    textLists.forEach(function (key) { if (!fiche[key].length) fiche[key] = [""]; });
    return fiche;
  }

  function namesHidden() {
    return Boolean(published && published.masquer_noms === true);
  }

  function save() {
    try { window.localStorage.setItem(STORAGE_KEY, JSON.stringify(state)); } catch (error) { /* private mode: nothing kept */ }
  }

  function load() {
    try { return JSON.parse(window.localStorage.getItem(STORAGE_KEY)); } catch (error) { return null; }
  }

  // ---- from the form to the file ----------------------------------------------------------

  function trimmed(object, keys) {
    var out = {};
    keys.forEach(function (key) {
      var value = object[key];
      if (typeof value === "string") value = value.trim();
      if (value !== "" && value !== undefined && value !== null) out[key] = value;
    });
    return out;
  }

  /* The fiche as data, in schema order, and where each kept list item came from in the form. */
  function toData() {
    var fiche = state.fiche, data = {}, origin = {};
    data.id = fiche.id.trim();
    if (fiche.titre && fiche.titre.trim()) data.titre = fiche.titre.trim();
    var personKeys = keysOf("/personnes/0");
    origin.personnes = [];
    var persons = [];
    fiche.personnes.forEach(function (person, index) {
      var kept = trimmed(person, personKeys);
      if (Object.keys(kept).length) { persons.push(kept); origin.personnes.push(index); }
    });
    if (persons.length) data.personnes = persons;
    if (fiche.masquer_noms || (published && "masquer_noms" in published)) data.masquer_noms = Boolean(fiche.masquer_noms);
    var organisation = trimmed(fiche.organisation, keysOf("/organisation"));
    if (["nom", "sigle", "type", "site_web"].some(function (key) { return key in organisation; })) data.organisation = organisation;
    ["territoires", "dispositifs", "thematiques"].forEach(function (key) {
      if (fiche[key].length) data[key] = fiche[key].slice();
    });
    textLists.forEach(function (key) {
      origin[key] = [];
      var items = [];
      fiche[key].forEach(function (text, index) {
        if (text.trim()) { items.push(text.trim()); origin[key].push(index); }
      });
      if (items.length) data[key] = items;
    });
    ["liens", "atelier", "source"].forEach(function (key) { if (fiche[key] !== undefined) data[key] = fiche[key]; });
    data.mise_a_jour = today();
    var ordered = {};
    keysOf("").forEach(function (key) { if (key in data) ordered[key] = data[key]; });
    return { data: ordered, origin: origin };
  }

  function toYaml(data) {
    var lines = window.jsyaml.dump(data, { lineWidth: -1 }).replace(/\n$/, "").split("\n");
    if (namesHidden()) {
      var at = lines.findIndex(function (line) { return line.indexOf("masquer_noms:") === 0; });
      lines.splice(at, 0, HIDDEN_NAMES_NOTE);
    }
    return [SCHEMA_LINE].concat(lines).join("\n") + "\n";
  }

  // ---- checks: the build's schema, plus what the build checks across files ---------------

  var TYPE_NAMES = { string: "un texte", array: "une liste", object: "un bloc de champs", boolean: "oui ou non", integer: "un nombre entier" };

  function messageFor(error) {
    var path = error.instancePath + (error.keyword === "required" ? "/" + error.params.missingProperty : "");
    var value = error.data;
    var described = (error.parentSchema && error.parentSchema.description) || helpText(path);
    var messages = {
      required: quoted(schemaAt(path).title || error.params.missingProperty) + " est obligatoire — " + (schemaAt(path).enum ? "choisissez dans la liste" : "remplissez ce champ"),
      minLength: "le texte est vide — écrivez un texte ou retirez l’élément",
      maxLength: "le texte fait " + String(value).length + " caractères, la limite est " + error.params.limit + " — raccourcissez-le ou découpez-le en plusieurs éléments",
      pattern: (typeof value === "string" && !value.trim() ? "le champ est vide" : quoted(value) + " n’a pas la forme attendue") + " — " + (described ? spaced(described.replace(/\.$/, "")) : "corrigez la valeur"),
      enum: quoted(value) + " n’est pas une valeur possible — choisissez dans la liste",
      uniqueItems: "un élément apparaît deux fois — retirez le doublon",
      type: "attendu " + (TYPE_NAMES[error.params.type] || error.params.type) + " — corrigez la valeur",
      format: quoted(value) + " n’est pas une date réelle — écrivez une date existante au format AAAA-MM-JJ"
    };
    return { path: path, message: messages[error.keyword] || "la valeur ne respecte pas la forme attendue — corrigez-la" };
  }

  function strings(value, path, out) {
    if (typeof value === "string") out.push([path, value]);
    else if (value && typeof value === "object") Object.keys(value).forEach(function (key) { strings(value[key], path + "/" + key, out); });
    return out;
  }

  function check(data) {
    var found = [];
    if (!validateSchema(data)) found = validateSchema.errors.map(messageFor);
    var taken = lists.participants.find(function (p) { return p.id === data.id; });
    if (!ficheId && taken) {
      found.push({ path: "/id", message: "l’identifiant " + quoted(data.id) + " est déjà celui de la fiche " + quoted(taken.titre) + " — choisissez-en un autre, ou proposez une correction de cette fiche" });
    }
    strings(data, "", []).forEach(function (entry) {
      var match = INVISIBLE.exec(entry[1].replace(EMOJI_JOINER, "$1 "));  // one code unit for one: positions kept
      if (match) {
        var code = match[0].codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
        found.push({ path: entry[0], message: "caractère " + (UNREADABLE.test(match[0]) ? "illisible" : "invisible") + " U+" + code + " en position " + (match.index + 1) + " — effacez puis retapez le texte à cet endroit (il vient souvent d’un copier-coller)" });
      }
    });
    var seen = {};
    return found.filter(function (error) { var first = !seen[error.path]; seen[error.path] = true; return first; });
  }

  /* A path of the data → the path of the form field that holds it. */
  function formPath(path, origin) {
    var parts = path.split("/");
    if (origin[parts[1]] && /^\d+$/.test(parts[2] || "")) parts[2] = String(origin[parts[1]][Number(parts[2])]);
    var candidate = parts.join("/");
    while (candidate && !fields[candidate]) candidate = candidate.slice(0, candidate.lastIndexOf("/"));
    return candidate || "/id";
  }

  // ---- the form ----------------------------------------------------------------------------

  function register(path, wrapper, control, hintId) {
    fields[path] = { wrapper: wrapper, control: control, hintId: hintId };
  }

  function textField(path, label, value, onInput, options) {
    options = options || {};
    var id = controlId(path);
    var help = options.hint === undefined ? helpText(path) : options.hint;
    var hintId = help ? id + "-aide" : null;
    var control = h(options.multiline ? "textarea" : "input", {
      id: id, name: id, "aria-describedby": hintId, rows: options.multiline ? 3 : null, type: options.multiline ? null : "text",
      autocomplete: "off", spellcheck: options.spellcheck === false ? "false" : null,
      oninput: function (event) { onInput(event.target.value); save(); }
    });
    control.value = value || "";
    var wrapper = h("div", { class: "rep-champ" },
      h("label", { for: id, text: label + (options.required ? " (obligatoire)" : "") }),
      help ? h("p", { id: hintId, class: "rep-aide", text: help }) : null,
      control);
    register(path, wrapper, control, hintId);
    return wrapper;
  }

  function removeButton(label, onClick) {
    return h("button", { type: "button", class: "md-button rep-retirer", onclick: onClick, text: label });
  }

  function identitySection() {
    var fiche = state.fiche;
    var section = h("fieldset", {}, h("legend", { text: "La fiche" }));
    if (ficheId) {
      section.appendChild(h("p", {}, spaced("Identifiant : "), h("code", { text: fiche.id }), " (il ne change pas lors d’une correction)"));
      register("/id", section, section.querySelector("code"), null);
    } else {
      section.appendChild(textField("/id", schemaAt("/id").title, fiche.id, function (value) { fiche.id = value; state.idTouched = true; },
        { required: true, spellcheck: false, hint: spaced("Il se remplit d’après le nom de l’organisation : vous pouvez le garder tel quel. ") + helpText("/id") }));
    }
    section.appendChild(textField("/titre", schemaAt("/titre").title, fiche.titre, function (value) { fiche.titre = value; }));
    return section;
  }

  function personsSection() {
    var fiche = state.fiche;
    var section = h("fieldset", {}, h("legend", { text: schemaAt("/personnes").title }));
    if (namesHidden()) {
      section.appendChild(h("p", { class: "rep-note", text: spaced("Les noms des personnes de cette fiche ne sont pas publiés : ils ne figurent pas dans ce formulaire et restent tels quels dans le fichier. Au moment de remplacer le texte sur GitHub, gardez le bloc « personnes » du fichier actuel, à l’endroit indiqué.") }));
      return section;
    }
    section.appendChild(h("p", { class: "rep-aide", text: helpText("/personnes") }));
    fiche.personnes.forEach(function (person, index) {
      var number = index + 1;
      var group = h("div", { class: "rep-groupe", role: "group", "aria-label": "Personne " + number });
      group.appendChild(textField("/personnes/" + index + "/nom", schemaAt("/personnes/0/nom").title + " de la personne " + number, person.nom, function (value) { person.nom = value; }));
      group.appendChild(textField("/personnes/" + index + "/fonction", schemaAt("/personnes/0/fonction").title + " de la personne " + number, person.fonction, function (value) { person.fonction = value; }, { hint: "" }));
      group.appendChild(removeButton("Retirer la personne " + number, function () {
        fiche.personnes.splice(index, 1); save(); render("/personnes/" + Math.max(0, index - 1) + "/nom");
      }));
      section.appendChild(group);
    });
    section.appendChild(h("button", { type: "button", class: "md-button", text: "Ajouter une personne", onclick: function () {
      fiche.personnes.push({ nom: "", fonction: "" }); save(); render("/personnes/" + (fiche.personnes.length - 1) + "/nom");
    } }));
    var hide = h("input", { type: "checkbox", id: controlId("/masquer_noms"), "aria-describedby": controlId("/masquer_noms") + "-aide", onchange: function (event) { fiche.masquer_noms = event.target.checked; save(); } });
    hide.checked = Boolean(fiche.masquer_noms);
    var wrapper = h("div", { class: "rep-champ rep-case" }, hide, h("label", { for: hide.id, text: schemaAt("/masquer_noms").title }),
      h("p", { id: hide.id + "-aide", class: "rep-aide", text: spaced("Cochez cette case pour que la fiche ne montre que l’organisation, partout : pages, recherche, données ouvertes.") }));
    register("/masquer_noms", wrapper, hide, hide.id + "-aide");
    section.appendChild(wrapper);
    return section;
  }

  function organisationSection() {
    var organisation = state.fiche.organisation;
    var section = h("fieldset", {}, h("legend", { text: schemaAt("/organisation").title }),
      h("p", { class: "rep-aide", text: "Laissez ces champs vides si vous participez à titre individuel. Sinon, le nom et le type sont obligatoires." }));
    section.appendChild(textField("/organisation/nom", schemaAt("/organisation/nom").title, organisation.nom, function (value) {
      organisation.nom = value;
      if (!ficheId && !state.idTouched) {
        state.fiche.id = slug(value);
        document.getElementById(controlId("/id")).value = state.fiche.id;
      }
    }, { hint: "" }));
    section.appendChild(textField("/organisation/sigle", schemaAt("/organisation/sigle").title, organisation.sigle, function (value) { organisation.sigle = value; }, { hint: "" }));
    var typeNode = schemaAt("/organisation/type");
    var id = controlId("/organisation/type");
    var select = h("select", { id: id, name: id, onchange: function (event) { organisation.type = event.target.value; save(); } },
      h("option", { value: "", text: "Choisissez un type" }));
    typeNode.enum.forEach(function (value) { select.appendChild(h("option", { value: value, text: typeNode["x-libelles"][value] })); });
    select.value = organisation.type || "";
    var wrapper = h("div", { class: "rep-champ" }, h("label", { for: id, text: typeNode.title }), select);
    register("/organisation/type", wrapper, select, null);
    section.appendChild(wrapper);
    section.appendChild(textField("/organisation/site_web", schemaAt("/organisation/site_web").title, organisation.site_web, function (value) { organisation.site_web = value; }, { spellcheck: false }));
    return section;
  }

  function choicesSection(key) {
    var chosen = state.fiche[key];
    var id = controlId("/" + key);
    var section = h("fieldset", { id: id, class: "rep-choix", "aria-describedby": id + "-aide" },
      h("legend", { text: schemaAt("/" + key).title }), h("p", { id: id + "-aide", class: "rep-aide", text: CHOICE_HINTS[key] }));
    var groups = {};
    lists[key].forEach(function (item) {
      var box = h("input", { type: "checkbox", id: id + "-" + item.id, value: item.id, onchange: function (event) {
        var at = chosen.indexOf(item.id);
        if (event.target.checked && at < 0) chosen.push(item.id);
        if (!event.target.checked && at >= 0) chosen.splice(at, 1);
        save();
      } });
      box.checked = chosen.indexOf(item.id) >= 0;
      var target = section;
      if (item.groupe) {
        if (!groups[item.groupe]) {
          groups[item.groupe] = h("fieldset", { class: "rep-sous-groupe" }, h("legend", { text: item.groupe }));
          section.appendChild(groups[item.groupe]);
        }
        target = groups[item.groupe];
      }
      target.appendChild(h("div", { class: "rep-case" }, box, h("label", { for: box.id, text: item.nom })));
    });
    register("/" + key, section, section.querySelector("input"), id + "-aide");
    return section;
  }

  function textListSection(key) {
    var items = state.fiche[key];
    var title = schemaAt("/" + key).title;
    var section = h("fieldset", {}, h("legend", { text: title }), h("p", { class: "rep-aide", text: schemaAt("/" + key).description }));
    items.forEach(function (text, index) {
      var number = index + 1;
      var field = textField("/" + key + "/" + index, title + ", élément " + number, text, function (value) { items[index] = value; }, { multiline: true, hint: "" });
      if (items.length > 1) {
        field.appendChild(removeButton("Retirer l’élément " + number + " de " + quoted(title), function () {
          items.splice(index, 1); save(); render("/" + key + "/" + Math.max(0, index - 1));
        }));
      }
      section.appendChild(field);
    });
    section.appendChild(h("button", { type: "button", class: "md-button", text: "Ajouter un élément à " + quoted(title), onclick: function () {
      items.push(""); save(); render("/" + key + "/" + (items.length - 1));
    } }));
    return section;
  }

  function render(focusPath) {
    fields = {};
    var form = h("form", { novalidate: true, class: "rep-formulaire", onsubmit: submit });
    if (restored) {
      form.appendChild(h("p", { class: "rep-note" }, "Vos saisies précédentes ont été retrouvées dans ce navigateur. ",
        h("button", { type: "button", class: "md-button", text: ficheId ? "Repartir de la fiche publiée" : "Effacer mes saisies", onclick: reset })));
    }
    form.appendChild(h("div", { id: "rep-erreurs" }));
    // The organisation first: its name fills in the identifier, which a newcomer need not invent.
    form.appendChild(organisationSection());
    form.appendChild(personsSection());
    form.appendChild(identitySection());
    ["territoires", "dispositifs", "thematiques"].forEach(function (key) { form.appendChild(choicesSection(key)); });
    textLists.forEach(function (key) { form.appendChild(textListSection(key)); });
    form.appendChild(h("button", { type: "submit", class: "md-button md-button--primary", text: "Vérifier et préparer la fiche" }));
    container.replaceChildren(form, h("div", { id: "rep-resultat" }));
    if (focusPath && fields[focusPath]) fields[focusPath].control.focus();
  }

  function reset() {
    try { window.localStorage.removeItem(STORAGE_KEY); } catch (error) { /* nothing kept */ }
    state = { fiche: initialFiche(), idTouched: false };
    restored = false;
    render(ficheId ? "/titre" : "/organisation/nom");
  }

  // ---- errors and result -------------------------------------------------------------------

  function showErrors(errors, origin) {
    var order = Object.keys(fields);
    errors = errors.map(function (error) { return { path: formPath(error.path, origin), message: error.message }; })
      .sort(function (a, b) { return order.indexOf(a.path) - order.indexOf(b.path); });
    var summary = h("div", { class: "rep-erreurs", role: "alert" },
      h("h2", { text: errors.length > 1 ? "La fiche contient " + errors.length + " erreurs" : "La fiche contient une erreur" }));
    var list = h("ul");
    var first = null;
    errors.forEach(function (error) {
      var path = error.path;
      var field = fields[path];
      var errorId = controlId(path) + "-erreur";
      if (!document.getElementById(errorId)) {
        var message = h("p", { id: errorId, class: "rep-erreur" }, h("strong", { text: spaced("Erreur : ") }), error.message);
        var label = field.wrapper.querySelector("legend, label");
        label.insertAdjacentElement("afterend", message);
        var described = [errorId, field.hintId].filter(Boolean).join(" ");
        var owner = field.wrapper.tagName === "FIELDSET" ? field.wrapper : field.control;
        owner.setAttribute("aria-describedby", described);
        if (owner === field.control) field.control.setAttribute("aria-invalid", "true");
      }
      var name = (field.wrapper.querySelector("label, legend") || {}).textContent || "";
      list.appendChild(h("li", {}, h("a", { href: "#" + field.control.id, onclick: function (event) { event.preventDefault(); field.control.focus(); }, text: name.replace(" (obligatoire)", "") + spaced(" : ") + error.message })));
      first = first || field.control;
    });
    summary.appendChild(list);
    document.getElementById("rep-erreurs").replaceChildren(summary);
    first.focus();
  }

  function clearErrors() {
    container.querySelectorAll(".rep-erreur").forEach(function (node) { node.remove(); });
    Object.keys(fields).forEach(function (path) {
      var field = fields[path];
      field.control.removeAttribute("aria-invalid");
      var owner = field.wrapper.tagName === "FIELDSET" ? field.wrapper : field.control;
      if (field.hintId) owner.setAttribute("aria-describedby", field.hintId); else owner.removeAttribute("aria-describedby");
    });
    document.getElementById("rep-erreurs").replaceChildren();
  }

  /* [4, 7, 9] → « 4, 7 et 9 » */
  function frenchList(items) {
    return items.length > 1 ? items.slice(0, -1).join(", ") + " et " + items[items.length - 1] : String(items[0]);
  }

  function showResult(data, yaml) {
    var file = lists.forge.dossier + "/" + data.id + ".yml";
    var status = h("p", { class: "rep-statut", role: "status" });
    var download = h("a", { class: "md-button", download: data.id + ".yml", href: URL.createObjectURL(new Blob([yaml], { type: "application/yaml" })), text: "Télécharger le fichier " + data.id + ".yml" });
    var copyButton = h("button", { type: "button", class: "md-button", text: "Copier le texte", onclick: function () {
      navigator.clipboard.writeText(yaml).then(function () { status.textContent = "Texte copié."; }, function () { status.textContent = spaced("La copie a échoué : sélectionnez le texte ci-dessous et copiez-le."); });
    } });
    var steps = h("ol");
    var forge;
    // GitHub's buttons keep their English names, marked as English for screen readers, with their meaning.
    function english(text) { return h("span", { lang: "en", text: text }); }
    function saveStep(what) {
      return h("li", {}, "Cliquez sur le bouton vert «\u202f", english("Commit changes…"), spaced("\u202f» (enregistrer), décrivez votre " + what + " en une phrase, puis sur «\u202f"),
        english("Propose changes"), spaced("\u202f» (proposer) : votre proposition sera relue avant publication."));
    }
    if (ficheId) {
      forge = h("a", { id: "rep-lien-forge", class: "md-button md-button--primary", href: lists.forge.modifier + "/" + file, target: "_blank", rel: "noopener", text: "Ouvrir la page de modification sur GitHub (nouvel onglet)" });
      steps.appendChild(h("li", { text: spaced("Copiez le texte de la fiche corrigée avec le bouton « Copier le texte ».") }));
      steps.appendChild(h("li", { text: "Ouvrez la page de modification de la fiche sur GitHub." }));
      steps.appendChild(h("li", { text: namesHidden() ? spaced("Remplacez tout le texte du fichier par le texte copié, sauf le bloc « personnes » du fichier actuel : gardez-le à la place de la ligne qui commence par « # personnes ».") : spaced("Sélectionnez tout le texte du fichier (Ctrl+A ; sur un téléphone, appui long puis « Tout sélectionner ») et remplacez-le par le texte copié (Ctrl+V, ou « Coller »).") }));
      var notes = lists.participants.find(function (p) { return p.id === ficheId; }).commentaires || [];
      if (notes.length) steps.appendChild(h("li", { text: notes.length > 1
        ? spaced("Le fichier actuel contient des commentaires (lignes " + frenchList(notes) + "), des notes qui commencent par « # », que ce formulaire ne reprend pas : recopiez-les dans le nouveau texte avant d’enregistrer.")
        : spaced("Le fichier actuel contient un commentaire (ligne " + notes[0] + "), une note qui commence par « # », que ce formulaire ne reprend pas : recopiez-le dans le nouveau texte avant d’enregistrer.") }));
      steps.appendChild(saveStep("correction"));
    } else {
      var address = lists.forge.nouveau + "?filename=" + encodeURIComponent(file) + "&value=" + encodeURIComponent(yaml);
      var tooLong = address.length > MAX_URL_LENGTH;
      forge = h("a", { id: "rep-lien-forge", class: "md-button md-button--primary", href: tooLong ? lists.forge.nouveau + "?filename=" + encodeURIComponent(file) : address, target: "_blank", rel: "noopener", text: "Ouvrir la page de création sur GitHub (nouvel onglet)" });
      steps.appendChild(h("li", { text: tooLong
        ? spaced("Le texte est trop long pour être transmis par le lien : copiez-le avec le bouton « Copier le texte », ouvrez la page de création sur GitHub et collez-le.")
        : spaced("Ouvrez la page de création sur GitHub : le fichier ") + file + " y est déjà rempli." }));
      steps.appendChild(saveStep("proposition"));
    }
    var contact = lists.contact ? h("p", {}, spaced("Sans compte GitHub : téléchargez le fichier et envoyez-le à "), h("a", { href: "mailto:" + lists.contact, text: lists.contact }), ".") : null;
    var heading = h("h2", { id: "rep-resultat-titre", tabindex: "-1", text: "Votre fiche est prête" });
    document.getElementById("rep-resultat").replaceChildren(h("section", { "aria-labelledby": heading.id },
      heading, steps, h("p", { class: "rep-actions" }, forge, " ", copyButton, " ", download), status, contact,
      h("p", { text: "Le fichier " + file + spaced(" :") }), h("pre", { tabindex: "0", "aria-label": "Texte du fichier " + file }, h("code", { id: "rep-yaml", text: yaml }))));
    heading.focus();
  }

  function submit(event) {
    event.preventDefault();
    clearErrors();
    var built = toData();
    var errors = check(built.data);
    if (errors.length) {
      document.getElementById("rep-resultat").replaceChildren();
      showErrors(errors, built.origin);
    } else {
      showResult(built.data, toYaml(built.data));
    }
  }

  // ---- start ---------------------------------------------------------------------------------

  function start() {
    var Ajv = window.ajv2020.default || window.ajv2020;
    var ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
    ajv.addFormat("date", { validate: function (text) {
      var parts = text.split("-").map(Number), day = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2]));
      return day.getUTCFullYear() === parts[0] && day.getUTCMonth() === parts[1] - 1 && day.getUTCDate() === parts[2];
    } });
    validateSchema = ajv.compile(schema);
    if (ficheId) {
      var title = (lists.participants.find(function (p) { return p.id === ficheId; }) || {}).titre || ficheId;
      var heading = document.querySelector("h1");
      heading.textContent = spaced("Proposer une correction : ") + title;
      document.title = spaced("Proposer une correction : ") + title + " - " + document.title.split(" - ").slice(1).join(" - ");
    }
    var saved = load();
    restored = Boolean(saved && saved.fiche);
    state = restored ? saved : { fiche: initialFiche(), idTouched: false };
    render();
  }

  function getJson(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url);
      return response.json();
    });
  }

  Promise.all([getJson(siteRoot + "schemas/participant.schema.json"), getJson("listes.json")]).then(function (loaded) {
    schema = loaded[0];
    lists = loaded[1];
    textLists = keysOf("").filter(function (key) { return schema.properties[key].$ref === "#/$defs/paragraphes"; });
    if (ficheId && !lists.participants.some(function (p) { return p.id === ficheId; })) {
      container.replaceChildren(h("p", { class: "rep-erreur", text: "La fiche " + quoted(ficheId) + spaced(" n’existe pas. Vérifiez l’adresse, ou proposez une nouvelle initiative avec ce formulaire, sans « ?fiche=… » dans l’adresse.") }));
      return null;
    }
    return (ficheId ? getJson("fiches/" + encodeURIComponent(ficheId) + ".json") : Promise.resolve(null)).then(function (current) {
      published = current;
      start();
    });
  }).catch(function () {
    container.replaceChildren(h("p", { class: "rep-erreur", text: "Le formulaire n’a pas pu être chargé. Vérifiez votre connexion et rechargez la page." }));
  });
})();
