// Material's search panel has role="dialog" but no name (WCAG 4.1.2, axe rule aria-dialog-name): name it.
document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach((dialog) => dialog.setAttribute("aria-label", "Recherche"));
