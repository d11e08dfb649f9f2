// The child picker: a <select data-picker="Search a name"> of the class's children becomes a search field
// over the list of their names, one button each. The select stays the form's field (hidden, still posted),
// so the form sends what it sent before; without JavaScript the select is shown as it is.
// Keyboard: type to narrow the list, Down to its names, Up/Down between them, Enter or Space to choose
// (again to undo), Escape back to the search field; Enter in the field chooses the only name left.
// An option with data-avatar (the child's photo, where the school allows it) shows it beside the name; the
// image is decoration (alt=""), the name stays the button's accessible text.
(function () {
  "use strict";

  let made = 0;

  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  // "da" finds Daan, "m" Daan M., "daan m" too: the start of the name or of one of its words.
  function matches(name, wanted) {
    const words = plain(name);
    return words.startsWith(wanted) || words.split(/[\s.-]+/).some((word) => word.startsWith(wanted));
  }

  function enhance(select) {
    if (select.dataset.pickerReady) return;
    select.dataset.pickerReady = "1";
    made += 1;
    const id = select.id || `picker-${made}`;
    const label = select.labels && select.labels[0];
    const name = label ? label.textContent.trim() : select.getAttribute("aria-label") || "";

    const box = document.createElement("div");
    box.className = "picker";
    const search = document.createElement("input");
    search.type = "search";
    search.id = `${id}-search`;
    search.className = "picker-search";
    search.placeholder = select.dataset.picker;
    search.autocomplete = "off";
    search.setAttribute("aria-label", name ? `${name}: ${select.dataset.picker}` : select.dataset.picker);
    const list = document.createElement("ul");
    list.className = "picker-list";
    list.id = `${id}-names`;
    list.setAttribute("aria-label", name);
    search.setAttribute("aria-controls", list.id);

    const extra = document.createElement("p");
    extra.className = "picker-extra";
    const buttons = [];
    for (const option of select.options) {
      if (!option.value) continue; // the prompt ("Who is this?")
      const item = document.createElement(option.value === "blur" ? "span" : "li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = option.value === "blur" ? "picker-option picker-blur" : "picker-option";
      button.textContent = option.textContent;
      if (option.dataset.avatar) {
        const avatar = document.createElement("img");
        avatar.className = "picker-avatar";
        avatar.src = option.dataset.avatar;
        avatar.alt = "";
        avatar.loading = "lazy";
        avatar.width = avatar.height = 32;
        button.prepend(avatar);
      }
      button.dataset.value = option.value;
      button.addEventListener("click", () => choose(option.value));
      button.addEventListener("keydown", move);
      item.appendChild(button);
      (option.value === "blur" ? extra : list).appendChild(item); // "Blur this face" under the names
      buttons.push(button);
    }

    function show() {
      for (const button of buttons) button.setAttribute("aria-pressed", String(button.dataset.value === select.value));
    }

    function choose(value) {
      select.value = select.value === value ? "" : value;
      show();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function shown() {
      return buttons.filter((button) => !button.parentElement.hidden);
    }

    function move(event) {
      const names = shown();
      const at = names.indexOf(event.target);
      if (event.key === "ArrowDown" || event.key === "ArrowRight") {
        if (at + 1 < names.length) names[at + 1].focus();
      } else if (event.key === "ArrowUp" || event.key === "ArrowLeft") {
        (at > 0 ? names[at - 1] : search).focus();
      } else if (event.key === "Escape") {
        search.focus();
      } else {
        return;
      }
      event.preventDefault();
    }

    search.addEventListener("input", () => {
      const wanted = plain(search.value);
      for (const button of buttons) {
        // "Blur this face" and the chosen name stay in sight whatever is typed.
        const keep = button.dataset.value === "blur" || button.dataset.value === select.value;
        button.parentElement.hidden = !keep && !matches(button.textContent, wanted);
      }
    });
    search.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (shown().length) shown()[0].focus();
      } else if (event.key === "Enter") {
        event.preventDefault(); // never submits the form from here
        const names = shown().filter((button) => button.dataset.value !== "blur");
        if (names.length === 1) choose(names[0].dataset.value);
      }
    });

    show();
    if (label) label.htmlFor = search.id;
    box.append(search, list);
    if (extra.childElementCount) box.append(extra);
    select.hidden = true;
    select.after(box);
  }

  function enhanceAll(root) {
    for (const select of root.querySelectorAll("select[data-picker]")) enhance(select);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => enhanceAll(document));
  } else {
    enhanceAll(document);
  }
  // Photos that finish processing are swapped in by htmx while the author waits.
  document.addEventListener("htmx:load", (event) => enhanceAll(event.detail.elt));
})();
