/* copydesk web page: collect the story and its sources, send them to /api/check, show the report.
 * Builds every element with createElement/textContent; user text is never parsed as HTML. */
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var uploadedSources = [];
  var view = null;
  var checkedText = null;

  function showMessage(text) {
    var message = $("message");
    message.textContent = text || "";
    message.hidden = !text;
  }

  function setStatus(text) {
    $("status").textContent = text;
  }

  /* Blocks separated by a line holding only ---; a block's first line is its title when it has
   * several lines, and a URL on the next line is its link. */
  function pastedSources(text) {
    return text.split(/^[ \t]*---[ \t]*$/m).map(function (block) { return block.trim(); })
      .filter(Boolean).map(function (block) {
        var lines = block.split("\n");
        var source = { title: "", text: block, url: null };
        if (lines.length > 1) {
          source.title = lines.shift().trim();
          if (lines.length > 1 && /^https?:\/\/\S+$/i.test(lines[0].trim())) source.url = lines.shift().trim();
          source.text = lines.join("\n").trim();
        }
        return source;
      });
  }

  function errorText(response, payload) {
    if (payload && typeof payload.detail === "string") return payload.detail;
    return "The server answered " + response.status + " " + response.statusText + ".";
  }

  function postJson(url, body) {
    return fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  }

  function readFiles(form) {
    return fetch("/api/read", { method: "POST", body: form }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (payload) {
        if (!response.ok) throw new Error(errorText(response, payload));
        return payload;
      });
    });
  }

  function renderUploaded() {
    var list = $("uploaded-sources");
    list.textContent = "";
    uploadedSources.forEach(function (source, index) {
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", "Remove source " + (source.title || source.id || index + 1));
      remove.addEventListener("click", function () {
        uploadedSources.splice(index, 1);
        renderUploaded();
      });
      var item = document.createElement("li");
      var name = document.createElement("span");
      name.textContent = (source.title || "Untitled source") + " (" + source.text.length + " characters) ";
      item.appendChild(name);
      item.appendChild(remove);
      list.appendChild(item);
    });
  }

  function onStoryFile(event) {
    var file = event.target.files[0];
    if (!file) return;
    var form = new FormData();
    form.append("story", file, file.name);
    if ($("published").value) form.append("published", $("published").value);
    showMessage("");
    setStatus("Reading " + file.name + "…");
    readFiles(form).then(function (payload) {
      var story = payload.story || {};
      $("headline").value = story.headline || "";
      $("body").value = story.body || "";
      if (story.published) $("published").value = story.published;
      if (story.sources && story.sources.length) {
        uploadedSources = uploadedSources.concat(story.sources);
        renderUploaded();
      }
      setStatus("Read " + file.name + ".");
    }).catch(function (error) {
      showMessage(file.name + ": " + error.message);
      setStatus("");
    }).then(function () { event.target.value = ""; });
  }

  function onSourceFiles(event) {
    var files = Array.prototype.slice.call(event.target.files);
    if (!files.length) return;
    var form = new FormData();
    files.forEach(function (file) { form.append("sources", file, file.name); });
    showMessage("");
    setStatus("Reading " + files.length + " file(s)…");
    readFiles(form).then(function (payload) {
      uploadedSources = uploadedSources.concat(payload.sources || []);
      renderUploaded();
      setStatus("Added " + (payload.sources || []).length + " source(s).");
    }).catch(function (error) {
      showMessage(error.message);
      setStatus("");
    }).then(function () { event.target.value = ""; });
  }

  function storyFromForm() {
    var sources = pastedSources($("sources-text").value).concat(uploadedSources.map(function (source) {
      return { title: source.title || "", text: source.text || "", url: source.url || null,
        published: source.published || null };
    }));
    return {
      headline: $("headline").value,
      body: $("body").value,
      published: $("published").value || null,
      sources: sources
    };
  }

  function busy(on) {
    $("check-button").disabled = on;
    $("progress").hidden = !on;
    $("check-form").setAttribute("aria-busy", on ? "true" : "false");
  }

  function onCheck(event) {
    event.preventDefault();
    showMessage("");
    var story = storyFromForm();
    var started = Date.now();
    busy(true);
    setStatus("Checking the story…");
    var ticker = setInterval(function () {
      $("progress-text").textContent = "Checking… " + Math.round((Date.now() - started) / 1000) + " s";
    }, 500);
    $("progress-text").textContent = "Checking…";
    postJson("/api/check", story).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (payload) {
        if (!response.ok) throw new Error(errorText(response, payload));
        return payload;
      });
    }).then(function (report) {
      checkedText = { headline: report.headline, body: report.body };
      $("result").hidden = false;
      view = window.CopydeskView.render($("report"), report, { beforeApply: beforeApply, onChange: onFixed });
      var count = (report.findings || []).length;
      setStatus("Checked in " + ((Date.now() - started) / 1000).toFixed(1) + " s: " + count +
        (count === 1 ? " finding." : " findings."));
      $("result-title").focus();
    }).catch(function (error) {
      showMessage(error.message === "Failed to fetch" ? "The copydesk server cannot be reached." : error.message);
      setStatus("");
    }).then(function () {
      clearInterval(ticker);
      busy(false);
    });
  }

  /* A fix applies to the text that was checked; refuse if the editor changed it since. */
  function beforeApply() {
    if (checkedText && ($("headline").value !== checkedText.headline || $("body").value !== checkedText.body)) {
      showMessage("The story was edited after the check: press Check again before applying fixes.");
      return false;
    }
    return true;
  }

  /* A fix, "Apply all fixes" or "Undo" changed the story: the form shows the changed text. */
  function onFixed(report, description) {
    $("headline").value = report.headline;
    $("body").value = report.body;
    checkedText = { headline: report.headline, body: report.body };
    setStatus(description);
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("check-form").addEventListener("submit", onCheck);
    $("story-file").addEventListener("change", onStoryFile);
    $("sources-file").addEventListener("change", onSourceFiles);
  });
})();
