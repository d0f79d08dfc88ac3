/* The menu of narrow screens (Material's drawer, under 1220 px: phones, tablets, a zoomed page) for keyboard
   users. Material opens it with a hidden check box that only a click reaches: its button here opens it
   with Enter or Space, says whether it is open, moves the focus into it, and Escape closes it.
   content/assets/repertoire.css hides the closed menu from the keyboard. */
(() => {
  "use strict";

  const button = document.querySelector("[data-rep-menu]");
  const toggle = document.getElementById("__drawer");
  const menu = document.querySelector(".md-sidebar--primary");
  if (!button || !toggle || !menu) return;

  toggle.addEventListener("change", () => {
    button.setAttribute("aria-expanded", String(toggle.checked));
  });
  button.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    event.stopPropagation(); // Material's own Enter on a label would click it a second time
    toggle.click();
    if (toggle.checked) {
      // Shown once its visibility is restored (repertoire.css): focus its first link then.
      requestAnimationFrame(() => menu.querySelector("a[href], label[tabindex]")?.focus());
    }
  });
  menu.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !toggle.checked) return;
    toggle.click();
    button.focus();
  });
})();
