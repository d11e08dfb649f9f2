// The full-screen photo viewer. A grid marked [data-viewer] holds links to each photo's rendition
// (<a data-viewer-item href data-srcset data-download>); without JavaScript they are plain links. With it, a
// tap opens the page's <dialog data-viewer-dialog> on that photo: swipe or the arrow keys for the next and
// previous one, pinch or double-tap to zoom (then drag to look around), Esc or "Close" to leave, after
// which the focus goes back to the tile it came from. The dialog is modal, so the page behind it is inert,
// and Tab stays among its buttons. No framework; transforms go through the CSSOM, which the
// Content-Security-Policy allows (it forbids inline style attributes).
(function () {
  "use strict";

  var MAX_SCALE = 4;
  var SWIPE = 50; // px sideways before a drag counts as a swipe
  var state = null;

  function part(dialog, name) {
    return dialog.querySelector("[data-viewer-" + name + "]");
  }

  function apply() {
    var img = state.img;
    img.style.transform = "translate(" + state.x + "px, " + state.y + "px) scale(" + state.scale + ")";
    state.stage.classList.toggle("zoomed", state.scale > 1);
  }

  function resetZoom() {
    state.scale = 1;
    state.x = 0;
    state.y = 0;
    apply();
  }

  function preload(item) {
    if (item) {
      var image = new Image();
      image.sizes = "100vw";
      image.srcset = item.dataset.srcset || "";
      image.src = item.getAttribute("href");
    }
  }

  function show(index) {
    var items = state.items;
    state.index = Math.max(0, Math.min(items.length - 1, index));
    var item = items[state.index];
    var img = state.img;
    var thumb = item.querySelector("img");
    img.hidden = false;
    img.removeAttribute("srcset");
    img.src = item.getAttribute("href");
    if (item.dataset.srcset) {
      img.sizes = "100vw";
      img.srcset = item.dataset.srcset;
    }
    img.alt = thumb ? thumb.alt : "";
    part(state.dialog, "count").textContent = state.index + 1 + " / " + items.length;
    var download = part(state.dialog, "download");
    if (download) {
      download.href = item.dataset.download || item.getAttribute("href");
    }
    part(state.dialog, "prev").hidden = state.index === 0;
    part(state.dialog, "next").hidden = state.index === items.length - 1;
    resetZoom();
    preload(items[state.index + 1]);
    preload(items[state.index - 1]);
  }

  function step(delta) {
    var next = state.index + delta;
    if (next >= 0 && next < state.items.length) {
      show(next);
      var focused = document.activeElement;
      if (focused && focused.hidden) {
        part(state.dialog, "close").focus();
      }
    }
  }

  function open(item) {
    var dialog = document.querySelector("dialog[data-viewer-dialog]");
    if (!dialog || typeof dialog.showModal !== "function") {
      return false;
    }
    var grid = item.closest("[data-viewer]");
    state = {
      dialog: dialog,
      img: part(dialog, "img"),
      stage: part(dialog, "stage"),
      items: Array.prototype.slice.call(grid.querySelectorAll("a[data-viewer-item]")),
      opener: item,
      index: 0, scale: 1, x: 0, y: 0,
      pointers: new Map(), gesture: null, lastTap: 0,
    };
    bind(dialog);
    show(state.items.indexOf(item));
    dialog.showModal();
    part(dialog, "close").focus();
    return true;
  }

  function close() {
    if (state && state.dialog.open) {
      state.dialog.close();
    }
  }

  function focusable(dialog) {
    return Array.prototype.filter.call(dialog.querySelectorAll("button, a[href]"), function (el) {
      return !el.hidden && el.offsetParent !== null;
    });
  }

  function onKey(event) {
    if (!state) {
      return;
    }
    if (event.key === "ArrowRight") {
      step(1);
      event.preventDefault();
    } else if (event.key === "ArrowLeft") {
      step(-1);
      event.preventDefault();
    } else if (event.key === "Tab") {
      var stops = focusable(state.dialog);
      var first = stops[0];
      var last = stops[stops.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        last.focus();
        event.preventDefault();
      } else if (!event.shiftKey && document.activeElement === last) {
        first.focus();
        event.preventDefault();
      }
    }
  }

  function distance(points) {
    var a = points[0];
    var b = points[1];
    return Math.hypot(a.x - b.x, a.y - b.y) || 1;
  }

  function onDown(event) {
    state.pointerType = event.pointerType;
    state.pointers.set(event.pointerId, {x: event.clientX, y: event.clientY});
    try {
      state.stage.setPointerCapture(event.pointerId);
    } catch (error) {
      // not an active pointer (an event made by a script): the stage still hears it
    }
    state.stage.classList.add("dragging");
    var points = Array.from(state.pointers.values());
    if (points.length === 2) {
      state.gesture = {pinch: true, distance: distance(points), scale: state.scale};
    } else if (points.length === 1) {
      state.gesture = {pinch: false, x: event.clientX, y: event.clientY, startX: state.x, startY: state.y};
    }
  }

  function onMove(event) {
    if (!state.pointers.has(event.pointerId) || !state.gesture) {
      return;
    }
    state.pointers.set(event.pointerId, {x: event.clientX, y: event.clientY});
    var gesture = state.gesture;
    if (gesture.pinch) {
      var points = Array.from(state.pointers.values());
      if (points.length === 2) {
        state.scale = Math.max(1, Math.min(MAX_SCALE, gesture.scale * distance(points) / gesture.distance));
        if (state.scale === 1) {
          state.x = 0;
          state.y = 0;
        }
        apply();
      }
      return;
    }
    state.x = gesture.startX + event.clientX - gesture.x;
    state.y = state.scale > 1 ? gesture.startY + event.clientY - gesture.y : 0;
    apply();
  }

  function onUp(event) {
    if (!state.pointers.has(event.pointerId)) {
      return;
    }
    state.pointers.delete(event.pointerId);
    state.stage.classList.toggle("dragging", state.pointers.size > 0);
    var gesture = state.gesture;
    if (state.pointers.size > 0) {
      if (gesture && gesture.pinch) {  // one finger still down after a pinch: it may go on to pan
        var rest = Array.from(state.pointers.values())[0];
        state.gesture = {pinch: false, x: rest.x, y: rest.y, startX: state.x, startY: state.y, after: true};
      }
      return;
    }
    state.gesture = null;
    if (!gesture || gesture.pinch || gesture.after || state.scale > 1) {
      return;
    }
    var dx = event.clientX - gesture.x;
    var dy = event.clientY - gesture.y;
    if (Math.abs(dx) > SWIPE && Math.abs(dx) > Math.abs(dy)) {
      var before = state.index;
      step(dx < 0 ? 1 : -1);
      if (before === state.index) {
        resetZoom();  // at the first or last photo: spring back
      }
    } else if (Math.abs(dx) < 10 && Math.abs(dy) < 10 && event.pointerType !== "mouse") {
      var now = Date.now();
      if (now - state.lastTap < 300) {  // a double tap zooms in on that spot, or back out
        state.lastTap = 0;
        zoomAt(event.clientX, event.clientY);
      } else {
        state.lastTap = now;
        resetZoom();
      }
    } else if (Math.abs(dx) >= 10 || Math.abs(dy) >= 10) {
      resetZoom();
    }
  }

  function zoomAt(clientX, clientY) {
    if (state.scale > 1) {
      resetZoom();
      return;
    }
    var box = state.stage.getBoundingClientRect();
    state.scale = 2;
    state.x = (box.left + box.width / 2 - clientX) * (state.scale - 1);
    state.y = (box.top + box.height / 2 - clientY) * (state.scale - 1);
    apply();
  }

  function bind(dialog) {
    if (dialog.dataset.bound) {
      return;
    }
    dialog.dataset.bound = "1";
    part(dialog, "close").addEventListener("click", close);
    part(dialog, "prev").addEventListener("click", function () { step(-1); });
    part(dialog, "next").addEventListener("click", function () { step(1); });
    dialog.addEventListener("keydown", onKey);
    dialog.addEventListener("close", function () {
      var opener = state && state.opener;
      if (opener && !opener.isConnected && opener.id) {
        // A message thread refreshes its messages while the viewer is open: the same tile, new node.
        opener = document.getElementById(opener.id);
      }
      state.img.removeAttribute("srcset");
      state.img.hidden = true;
      state = null;
      if (opener) {
        opener.focus();
      }
    });
    var stage = part(dialog, "stage");
    stage.addEventListener("pointerdown", onDown);
    stage.addEventListener("pointermove", onMove);
    stage.addEventListener("pointerup", onUp);
    stage.addEventListener("pointercancel", onUp);
    stage.addEventListener("dblclick", function (event) {  // a mouse's double click
      if (state && state.pointerType === "mouse") {
        zoomAt(event.clientX, event.clientY);
      }
    });
  }

  // Arriving with #media-<id> (a card's "+N" tile): open the viewer at that photo. Closing it drops the
  // fragment, so that going back or reloading shows the post, not the viewer again.
  function openFromFragment() {
    var target = location.hash.length > 1 && document.getElementById(location.hash.slice(1));
    if (target && target.matches("[data-viewer] a[data-viewer-item]") && open(target)) {
      state.dialog.addEventListener("close", function () {
        history.replaceState(null, "", location.pathname + location.search);
      }, { once: true });
    }
  }
  openFromFragment();

  document.addEventListener("click", function (event) {
    var item = event.target.closest && event.target.closest("[data-viewer] a[data-viewer-item]");
    if (!item || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return;
    }
    if (open(item)) {
      event.preventDefault();
    }
  });
})();
