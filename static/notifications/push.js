// Offer web push on this device: register the service worker, subscribe with the server's VAPID key,
// and hand the subscription to the API. Without support (or on iOS outside the home-screen app) it stays hidden.
(function () {
  const box = document.getElementById("push-setup");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
  const status = document.getElementById("push-status");
  const csrf = document.querySelector('meta[name="csrf-token"]').content;

  function keyBytes(base64url) {
    const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  async function subscribe() {
    const registration = await navigator.serviceWorker.register("/notifications/sw.js", {scope: "/"});
    const permission = await Notification.requestPermission();
    if (permission !== "granted") { status.textContent = box.dataset.denied || ""; return; }
    const subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.key),
    });
    const json = subscription.toJSON();
    const response = await fetch(box.dataset.api, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({endpoint: json.endpoint, p256dh: json.keys.p256dh, auth: json.keys.auth}),
    });
    status.textContent = response.ok ? box.dataset.done : box.dataset.failed;
    if (response.ok) document.getElementById("push-enable").hidden = true;
  }

  box.hidden = false;
  document.getElementById("push-enable").addEventListener("click", () => {
    subscribe().catch(() => { status.textContent = box.dataset.failed; });
  });
})();
