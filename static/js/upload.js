// Upload each chosen file on its own with a progress bar (upload, then processing), through the media API.
// Without JavaScript the same form posts all files to the page, which runs the same pipeline.
(function () {
  "use strict";

  var POLL_MS = 1000;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function texts(form) {
    var out = {};
    var template = form.querySelector("template.upload-texts");
    template.content.querySelectorAll("[data-key]").forEach(function (el) {
      out[el.getAttribute("data-key")] = el.textContent;
    });
    return out;
  }

  function detail(xhrOrResponseText, fallback) {
    try {
      var body = JSON.parse(xhrOrResponseText);
      return body.detail || fallback;
    } catch (e) {
      return fallback;
    }
  }

  function row(list, file) {
    var li = document.createElement("li");
    li.setAttribute("data-testid", "upload");
    var name = document.createElement("span");
    name.className = "small";
    name.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    var status = document.createElement("span");
    status.className = "upload-status small";
    status.setAttribute("role", "status");
    li.append(name, bar, status);
    list.append(li);
    return {
      progress: function (value) { bar.value = value; },
      busy: function () { bar.removeAttribute("value"); },
      state: function (state, text) {
        status.setAttribute("data-state", state);
        li.setAttribute("data-state", state);
        status.textContent = text;
        if (state === "ready" || state === "failed") { bar.value = 100; }
      },
    };
  }

  function sendFile(form, file, ui, t) {
    return new Promise(function (resolve) {
      var data = new FormData();
      data.append("file", file);
      data.append("school_id", form.dataset.schoolId);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.dataset.uploadUrl);
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) { ui.progress(Math.round((event.loaded / event.total) * 100)); }
      });
      xhr.addEventListener("load", function () {
        if (xhr.status === 201) {
          resolve(JSON.parse(xhr.responseText));
        } else {
          ui.state("failed", detail(xhr.responseText, t.error));
          resolve(null);
        }
      });
      xhr.addEventListener("error", function () { ui.state("failed", t.error); resolve(null); });
      ui.state("uploading", t.uploading);
      xhr.send(data);
    });
  }

  function api(url, options) {
    options = options || {};
    options.credentials = "same-origin";
    options.headers = Object.assign({ "Accept": "application/json", "X-CSRFToken": csrfToken() },
      options.headers || {});
    return fetch(url, options).then(function (response) {
      return response.text().then(function (text) { return { ok: response.ok, text: text }; });
    });
  }

  function follow(form, media, ui, t) {
    var url = form.dataset.statusUrl.replace("MEDIA_ID", media.id);
    return new Promise(function (resolve) {
      function check(current) {
        if (current.status === "ready") { ui.state("ready", t.ready); return resolve(true); }
        if (current.status === "failed") {
          ui.state("failed", t.failed + ": " + current.failure_message);
          return resolve(false);
        }
        ui.state("processing", t.processing);
        ui.busy();
        setTimeout(function () {
          api(url).then(function (answer) {
            if (!answer.ok) { ui.state("failed", detail(answer.text, t.error)); return resolve(false); }
            check(JSON.parse(answer.text));
          }, function () { ui.state("failed", t.error); resolve(false); });
        }, POLL_MS);
      }
      check(media);
    });
  }

  function attach(form, media, ui, t) {
    return api(form.dataset.attachUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ media_ids: [media.id] }),
    }).then(function (answer) {
      if (!answer.ok) { ui.state("failed", detail(answer.text, t.error)); return null; }
      return JSON.parse(answer.text)[0] || media; // its status now: processing may already be over
    }, function () { ui.state("failed", t.error); return null; });
  }

  function start(form) {
    var input = form.querySelector('input[type="file"]');
    var list = form.querySelector(".upload-progress");
    var done = form.querySelector(".upload-done");
    var t = texts(form);
    form.addEventListener("submit", function (event) {
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.length) { return; } // let the server say what is missing
      event.preventDefault();
      if (files.length > Number(form.dataset.maxFiles)) { window.alert(t.too_many); return; }
      list.hidden = false;
      done.hidden = true;
      // One file at a time: on a phone the uplink is the bottleneck, and the first file is done sooner.
      var rows = files.map(function (file) { return row(list, file); });
      var following = [];
      var chain = Promise.resolve();
      files.forEach(function (file, index) {
        var ui = rows[index];
        chain = chain
          .then(function () { return sendFile(form, file, ui, t); })
          .then(function (media) { return media && attach(form, media, ui, t); })
          .then(function (media) { if (media) { following.push(follow(form, media, ui, t)); } });
      });
      input.value = "";
      chain.then(function () { return Promise.all(following); }).then(function () { done.hidden = false; });
    });
  }

  document.querySelectorAll("form.upload-form[data-upload-url]").forEach(start);
})();
