// Schoolplein service worker: keeps the app's shell for offline use, shows web push notifications and
// opens the app where they point.
{% include "core/shell/sw_shell.js" %}

self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {title: event.data.text()}; }
  event.waitUntil(self.registration.showNotification(data.title || "Schoolplein", {
    icon: "{{ icon }}",
    badge: "{{ icon }}",
    // The title's language and direction: a machine-translated title in Arabic reads right to left.
    lang: data.lang || "",
    dir: data.dir || "auto",
    data: {url: data.url || "/"},
    requireInteraction: !!data.urgent,
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data.url, self.location.origin).href;
  event.waitUntil(clients.matchAll({type: "window"}).then((windows) => {
    for (const w of windows) { if (w.url === url && "focus" in w) return w.focus(); }
    return clients.openWindow(url);
  }));
});
