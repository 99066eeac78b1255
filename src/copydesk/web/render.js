/* copydesk result view: the story with every finding highlighted in place, a legend, a list of
 * findings and a popover with the evidence. Shared by the web page and the HTML report.
 * Every piece of story or source text goes into the DOM through textContent, never as markup. */
(function () {
  "use strict";

  var KINDS = {
    wrong_person_for_office: { label: "Wrong person for the office", tag: "person", group: "person" },
    wrong_person: { label: "Wrong person", tag: "person", group: "person" },
    wrong_title: { label: "Wrong title", tag: "title", group: "person" },
    misspelled_name: { label: "Misspelled name", tag: "name", group: "person" },
    wrong_date: { label: "Wrong date", tag: "date", group: "circumstance" },
    wrong_number: { label: "Wrong number", tag: "number", group: "circumstance" },
    wrong_place: { label: "Wrong place", tag: "place", group: "circumstance" },
    misquoted: { label: "Misquoted", tag: "quote", group: "contradicted" },
    contradicted: { label: "Contradicted by the sources", tag: "false", group: "contradicted" },
    unsupported: { label: "Unsupported: check by hand", tag: "?", group: "unsupported" },
    headline_contradicts_body: { label: "Headline contradicts the body", tag: "headline", group: "headline" },
    machine_text: { label: "Leftover machine text", tag: "machine", group: "machine" }
  };
  var FIELDS = ["headline", "body"];

  function kindInfo(kind) {
    return KINDS[kind] || { label: String(kind).replace(/_/g, " "), tag: "!", group: "other" };
  }

  /* el("p", {className: "x", text: "..."}, child, ...): an element; strings become text nodes. */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    var key;
    attrs = attrs || {};
    for (key in attrs) {
      if (!Object.prototype.hasOwnProperty.call(attrs, key) || attrs[key] === null || attrs[key] === undefined) {
        continue;
      }
      if (key === "text") node.textContent = attrs[key];
      else if (key === "className") node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function safeUrl(url) {
    /* Only web links become links: no javascript:, data: or file: URLs from a source. */
    return typeof url === "string" && /^https?:\/\//i.test(url.trim()) ? url.trim() : null;
  }

  function percent(value) {
    return Math.round(Number(value) * 100) + "%";
  }

  /* Every place a finding holds: its spans (copydesk/2), or its one span (older reports). */
  function placesOf(finding) {
    if (finding.spans && finding.spans.length) return finding.spans;
    return [{ field: finding.field, start: finding.start, end: finding.end, text: finding.text, fix: finding.fix }];
  }

  /* The places of findings that point at real characters of the field's text. */
  function validFindings(report, field) {
    var text = report[field] || "";
    var out = [];
    (report.findings || []).forEach(function (finding, index) {
      placesOf(finding).forEach(function (span, place) {
        if (span.field === field && span.start >= 0 && span.end > span.start && span.end <= text.length) {
          out.push({ finding: finding, index: index, span: span, place: place });
        }
      });
    });
    return out;
  }

  /* The replacements that fixing the given findings makes, one per place, none overlapping another:
   * the wider first, as copydesk fix does (copydesk/fixing.py). Only errors, unless anySeverity. */
  function plannedEdits(report, indexes, anySeverity) {
    var wanted = [];
    (report.findings || []).forEach(function (finding, index) {
      if (indexes && indexes.indexOf(index) < 0) return;
      if (finding.fix === null || finding.fix === undefined) return;
      if (!anySeverity && finding.severity !== "error") return;
      placesOf(finding).forEach(function (span) {
        var text = report[span.field] || "";
        if (span.fix === null || span.fix === undefined) return;
        if (!(span.start >= 0 && span.start <= span.end && span.end <= text.length)) return;
        var old = text.slice(span.start, span.end);
        if ((span.text && old !== span.text) || span.fix === old) return;
        wanted.push({ field: span.field, start: span.start, end: span.end, old: old, fix: span.fix, finding: index });
      });
    });
    wanted.sort(function (a, b) {
      if (a.field !== b.field) return a.field < b.field ? -1 : 1;
      return ((b.end - b.start) - (a.end - a.start)) || (a.start - b.start);
    });
    var taken = [];
    wanted.forEach(function (edit) {
      var clash = taken.some(function (t) { return t.field === edit.field && t.start < edit.end && edit.start < t.end; });
      if (!clash) taken.push(edit);
    });
    return taken;
  }

  /* A deleted sentence takes the spaces that joined it to its neighbours (as copydesk fix does). */
  function withJoiningSpace(text, edit) {
    var after = edit.end;
    while (after < text.length && (text[after] === " " || text[after] === "\t")) after++;
    if (after > edit.end && (edit.start === 0 || /[ \t\n]/.test(text[edit.start - 1]))) {
      return { start: edit.start, end: after, fix: "" };
    }
    var before = edit.start;
    while (before > 0 && (text[before - 1] === " " || text[before - 1] === "\t")) before--;
    return { start: before, end: edit.end, fix: "" };
  }

  /* Cut the text at every finding boundary, so overlapping findings render as flat pieces, each
   * knowing every finding that covers it. */
  function pieces(text, items) {
    var cuts = [0, text.length];
    items.forEach(function (item) { cuts.push(item.span.start, item.span.end); });
    cuts = cuts.filter(function (v, i, all) { return all.indexOf(v) === i; }).sort(function (a, b) { return a - b; });
    var out = [];
    for (var i = 0; i + 1 < cuts.length; i++) {
      var start = cuts[i], end = cuts[i + 1];
      var covering = items.filter(function (item) { return item.span.start <= start && item.span.end >= end; });
      out.push({ start: start, end: end, covering: covering });
    }
    return out;
  }

  /* The finding a piece is coloured by: errors before warnings, then the surest, then the narrowest. */
  function primary(covering) {
    return covering.slice().sort(function (a, b) {
      var sa = a.finding.severity === "error" ? 0 : 1, sb = b.finding.severity === "error" ? 0 : 1;
      if (sa !== sb) return sa - sb;
      if (b.finding.confidence !== a.finding.confidence) return b.finding.confidence - a.finding.confidence;
      return (a.span.end - a.span.start) - (b.span.end - b.span.start);
    })[0];
  }

  function View(container, report, options) {
    this.container = container;
    this.report = report;
    this.options = options || {};
    this.pinned = false;
    this.closeTimer = null;
    this.openFor = null;
    this.history = [];
    this.render();
  }

  View.prototype.render = function () {
    var self = this;
    var report = this.report;
    this.container.textContent = "";
    this.marks = {};
    this.container.appendChild(this.summary());
    this.container.appendChild(this.legend());

    var story = el("article", { className: "story", "aria-label": "The story, with findings highlighted" });
    FIELDS.forEach(function (field) {
      var text = report[field] || "";
      if (!text) return;
      var holder = field === "headline" ? el("h3", { className: "story-headline" }) : el("div", { className: "story-body" });
      self.fillText(holder, field, text);
      story.appendChild(holder);
    });
    var aside = el("aside", { className: "finding-list", "aria-labelledby": "finding-list-title" },
      el("h3", { id: "finding-list-title", text: "Findings" }), this.findingList());
    this.container.appendChild(el("div", { className: "report-grid" }, story, aside));

    this.popover = el("div", { className: "popover", role: "dialog", "aria-modal": "false", tabindex: "-1", hidden: "" });
    this.popover.addEventListener("mouseenter", function () { self.cancelClose(); });
    this.popover.addEventListener("mouseleave", function () { if (!self.pinned) self.scheduleClose(); });
    this.popover.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); self.close(true); }
    });
    this.container.appendChild(this.popover);
    if (!this.documentListener) {
      this.documentListener = function (event) {
        if (self.popover.hidden) return;
        if (self.popover.contains(event.target) || (event.target.closest && event.target.closest(".finding"))) return;
        self.close(false);
      };
      document.addEventListener("mousedown", this.documentListener);
    }
  };

  View.prototype.summary = function () {
    var report = this.report;
    var findings = report.findings || [];
    var errors = findings.filter(function (f) { return f.severity === "error"; }).length;
    var warnings = findings.length - errors;
    var verdict = report.error ? "Not checked: " + report.error
      : findings.length === 0 && report.score === null ? "Nothing found, but nothing was checked."
      : findings.length === 0 ? "No problems found."
      : findings.length + (findings.length === 1 ? " finding" : " findings") + ": " + errors +
        (errors === 1 ? " error, " : " errors, ") + warnings + (warnings === 1 ? " warning." : " warnings.");
    var facts = [];
    if (report.id) facts.push("Story " + report.id);
    if (report.published) facts.push("published " + report.published);
    if (typeof report.score === "number") facts.push("probability fully supported " + percent(report.score));
    else if (!report.error) facts.push("score: not checked");
    var box = el("div", { className: "summary " + (report.consistent ? "consistent" : "inconsistent") },
      el("p", { className: "verdict", text: verdict }),
      el("p", { className: "facts", text: facts.join(" · ") }),
      el("p", { className: "checked", text: checkedText(report) }));
    if (this.options.applyFix !== false) box.appendChild(this.fixActions());
    return box;
  };

  /* What the story was checked against, and the claims nothing could check. */
  function checkedText(report) {
    var checked = report.checked;
    if (!checked) return "Checked against " + (report.sources || []).length + " source(s).";
    var against = [];
    if (checked.sources) against.push(checked.sources + (checked.sources === 1 ? " source" : " sources"));
    if (checked.knowledge_base) {
      against.push("the knowledge base " + checked.knowledge_base.name +
        (checked.knowledge_base.up_to ? " (up to " + checked.knowledge_base.up_to + ")" : ""));
    }
    if (!against.length) return "Not checked: no sources and no knowledge base, so nothing here is confirmed or refuted.";
    var line = "Checked against " + against.join(" and ") + ".";
    var unchecked = checked.unchecked_claims || [];
    if (unchecked.length) {
      line += " " + unchecked.length + (unchecked.length === 1 ? " claim" : " claims") + " could not be checked: " +
        unchecked.slice(0, 5).map(function (i) { return "“" + ((report.claims || [])[i] || {}).text + "”"; }).join(" ") +
        (unchecked.length > 5 ? " and " + (unchecked.length - 5) + " more." : ".");
    }
    return line;
  }

  /* "Apply all fixes" (every error with a fix, at every place) and "Undo" (the last change). */
  View.prototype.fixActions = function () {
    var self = this;
    var box = el("p", { className: "fix-actions" });
    var edits = plannedEdits(this.report, null, false);
    if (edits.length) {
      var all = el("button", { type: "button", className: "apply-all", text: "Apply all fixes (" + edits.length +
        (edits.length === 1 ? " change)" : " changes)") });
      all.addEventListener("click", function () { self.applyAll(); });
      box.appendChild(all);
    }
    if (this.history.length) {
      var undo = el("button", { type: "button", className: "undo", text: "Undo" });
      undo.addEventListener("click", function () { self.undo(); });
      box.appendChild(document.createTextNode(" "));
      box.appendChild(undo);
    }
    return box;
  };

  View.prototype.legend = function () {
    var seen = {};
    (this.report.findings || []).forEach(function (f) { seen[f.kind] = true; });
    var kinds = Object.keys(seen);
    var list = el("ul", { className: "legend", "aria-label": "Legend" });
    if (!kinds.length) return list;
    kinds.forEach(function (kind) {
      var info = kindInfo(kind);
      list.appendChild(el("li", null,
        el("span", { className: "finding group-" + info.group + " swatch" },
          el("span", { className: "tag group-" + info.group, text: info.tag })),
        " " + info.label));
    });
    return list;
  };

  View.prototype.fillText = function (holder, field, text) {
    var self = this;
    var items = validFindings(this.report, field);
    pieces(text, items).forEach(function (piece) {
      var chunk = text.slice(piece.start, piece.end);
      if (!piece.covering.length) {
        holder.appendChild(document.createTextNode(chunk));
        return;
      }
      var covering = [];
      piece.covering.forEach(function (item) {
        if (!covering.some(function (c) { return c.index === item.index; })) covering.push(item);
      });
      var main = primary(piece.covering);
      var info = kindInfo(main.finding.kind);
      var labels = piece.covering.map(function (item) { return kindInfo(item.finding.kind).label; });
      var mark = el("mark", {
        className: "finding group-" + info.group + " severity-" + main.finding.severity +
          (piece.covering.length > 1 ? " overlap" : ""),
        tabindex: "0",
        role: "button",
        "aria-haspopup": "dialog",
        "aria-label": chunk + " (" + labels.join("; ") + "). Press Enter for details.",
        "data-findings": piece.covering.map(function (item) { return item.index; }).join(" ")
      });
      /* The kind's tag is drawn by CSS from data-tag, so copying the story's text does not copy it.
       * One tag per label, even when two checkers agree on the same words. */
      var tags = [];
      piece.covering.forEach(function (item) {
        if (item.span.start !== piece.start) return;
        var tag = kindInfo(item.finding.kind).tag;
        if (tags.indexOf(tag) < 0) tags.push(tag);
        if (!self.marks[item.index] && item.place === 0) self.marks[item.index] = mark;
      });
      if (tags.length) mark.setAttribute("data-tag", tags.join(" · "));
      mark.appendChild(document.createTextNode(chunk));
      mark.addEventListener("mouseenter", function () { if (!self.pinned) self.open(mark, covering, false); });
      mark.addEventListener("mouseleave", function () { if (!self.pinned) self.scheduleClose(); });
      mark.addEventListener("click", function (event) { event.preventDefault(); self.open(mark, covering, true); });
      mark.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          self.open(mark, covering, true);
        } else if (event.key === "Escape") {
          self.close(true);
        }
      });
      holder.appendChild(mark);
    });
  };

  View.prototype.findingList = function () {
    var self = this;
    var findings = this.report.findings || [];
    if (!findings.length) return el("p", { className: "empty", text: "Nothing to report." });
    var list = el("ol");
    findings.forEach(function (finding, index) {
      var info = kindInfo(finding.kind);
      var button = el("button", { type: "button", className: "finding-item" },
        el("span", { className: "tag group-" + info.group, text: info.tag }),
        el("span", { className: "item-kind", text: info.label }),
        el("span", { className: "item-text", text: "“" + finding.text + "”" }),
        el("span", { className: "item-message", text: finding.message }));
      button.addEventListener("click", function () {
        var mark = self.marks[index];
        if (!mark) return;
        mark.scrollIntoView({ block: "center", behavior: "smooth" });
        mark.focus({ preventScroll: true });
        self.open(mark, [{ finding: finding, index: index }], true);
      });
      list.appendChild(el("li", { className: "severity-" + finding.severity }, button));
    });
    return list;
  };

  View.prototype.open = function (mark, covering, pin) {
    var self = this;
    this.cancelClose();
    this.pinned = pin;
    this.openFor = mark;
    var pop = this.popover;
    pop.textContent = "";
    pop.setAttribute("aria-label", "Finding details");
    covering.forEach(function (item) { pop.appendChild(self.details(item)); });
    pop.appendChild(el("button", { type: "button", className: "close", text: "Close" }));
    pop.lastChild.addEventListener("click", function () { self.close(true); });
    pop.hidden = false;
    this.place(mark);
    if (pin) {
      var first = pop.querySelector("button");
      (first || pop).focus({ preventScroll: true });
    }
  };

  View.prototype.details = function (item) {
    var self = this;
    var finding = item.finding;
    var info = kindInfo(finding.kind);
    var box = el("section", { className: "detail" },
      el("p", { className: "detail-head" },
        el("span", { className: "tag group-" + info.group, text: info.tag }), " ",
        el("strong", { text: info.label }),
        el("span", { className: "severity", text: " · " + finding.severity })),
      el("p", { className: "reason", text: finding.message }),
      el("p", { className: "quoted" }, "In the " + finding.field + ": ", el("q", { text: finding.text })));
    var others = placesOf(finding).slice(1);
    if (others.length) {
      var list = el("ul", { className: "places" });
      others.forEach(function (span) {
        var changed = span.fix !== null && span.fix !== undefined && span.fix !== span.text;
        list.appendChild(el("li", null, "In the " + span.field + ": ", el("q", { text: span.text }),
          changed ? (span.fix ? " → " : " → remove") : " (left as it is)",
          changed && span.fix ? el("ins", { text: span.fix }) : null));
      });
      box.appendChild(el("p", { className: "more", text: "And " + others.length +
        (others.length === 1 ? " more mention:" : " more mentions:") }));
      box.appendChild(list);
    }
    (finding.evidence || []).forEach(function (evidence) {
      var cite = el("cite");
      var name = evidence.title || evidence.source_id ||
        (evidence.origin === "knowledge_base" ? "Knowledge base" : evidence.origin === "pattern" ? "Pattern" : "The story");
      var url = safeUrl(evidence.url);
      cite.appendChild(url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: name })
        : document.createTextNode(name));
      if (evidence.provenance) cite.appendChild(document.createTextNode(" (" + evidence.provenance + ")"));
      box.appendChild(el("figure", { className: "evidence" },
        el("blockquote", { text: evidence.quote }), el("figcaption", null, "— ", cite)));
    });
    box.appendChild(el("p", { className: "confidence" }, "Confidence ",
      el("meter", { min: "0", max: "1", value: String(finding.confidence), "aria-hidden": "true" }),
      " " + percent(finding.confidence)));
    if (finding.fix !== null && finding.fix !== undefined) {
      var fix = el("p", { className: "fix" }, "Fix: ", el("del", { text: finding.text }), " → ",
        finding.fix ? el("ins", { text: finding.fix }) : el("em", { text: "remove it" }));
      box.appendChild(fix);
      if (this.options.applyFix !== false) {
        var apply = el("button", { type: "button", className: "apply-fix", text: "Apply fix" });
        apply.addEventListener("click", function () { self.applyFix(item.index); });
        box.appendChild(apply);
      }
    }
    return box;
  };

  View.prototype.place = function (mark) {
    var pop = this.popover;
    var rect = mark.getBoundingClientRect();
    var host = this.container.getBoundingClientRect();
    var width = Math.min(420, host.width);
    var left = Math.max(0, Math.min(rect.left - host.left, host.width - width));
    pop.style.width = width + "px";
    pop.style.left = left + "px";
    pop.style.top = (rect.bottom - host.top + 6) + "px";
  };

  View.prototype.scheduleClose = function () {
    var self = this;
    this.cancelClose();
    this.closeTimer = setTimeout(function () { self.close(false); }, 250);
  };

  View.prototype.cancelClose = function () {
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.closeTimer = null;
  };

  View.prototype.close = function (returnFocus) {
    this.cancelClose();
    this.popover.hidden = true;
    this.pinned = false;
    if (returnFocus && this.openFor && document.contains(this.openFor)) this.openFor.focus();
    this.openFor = null;
  };

  /* Apply one finding's fix at every place it holds (any severity: the editor asked for it). */
  View.prototype.applyFix = function (index) {
    var target = this.report.findings[index];
    if (this.options.beforeApply && this.options.beforeApply(target) === false) return;
    var edits = plannedEdits(this.report, [index], true);
    this.applyEdits(edits, "Applied the fix “" + target.fix + "”" +
      (edits.length > 1 ? " at " + edits.length + " places." : "."));
  };

  /* Apply every error's fix at every place: what copydesk fix prints. */
  View.prototype.applyAll = function () {
    if (this.options.beforeApply && this.options.beforeApply(null) === false) return;
    var edits = plannedEdits(this.report, null, false);
    if (!edits.length) return;
    this.applyEdits(edits, "Applied all fixes: " + edits.length + (edits.length === 1 ? " change." : " changes."));
  };

  View.prototype.undo = function () {
    if (!this.history.length) return;
    if (this.options.beforeApply && this.options.beforeApply(null) === false) return;
    this.report = this.history.pop();
    this.close(false);
    this.render();
    if (this.options.onChange) this.options.onChange(this.report, "Undid the last change.");
  };

  /* Make the edits; places of other findings after an edit move, places around one stretch, and
   * places on or across an edited text are dropped (a finding with no place left goes). */
  View.prototype.applyEdits = function (edits, description) {
    var report = this.report;
    if (!edits.length) return;
    var updated = JSON.parse(JSON.stringify(report));
    var made = {};
    FIELDS.forEach(function (field) {
      var text = report[field] || "";
      var list = edits.filter(function (e) { return e.field === field; }).map(function (e) {
        return e.fix === "" ? withJoiningSpace(text, e) : { start: e.start, end: e.end, fix: e.fix };
      }).sort(function (a, b) { return b.start - a.start; });
      list.forEach(function (e) { text = text.slice(0, e.start) + e.fix + text.slice(e.end); });
      updated[field] = text;
      made[field] = list;
    });
    function moved(field, start, end) {
      var shiftStart = 0, shiftEnd = 0;
      var list = made[field] || [];
      for (var i = 0; i < list.length; i++) {
        var e = list[i], delta = e.fix.length - (e.end - e.start);
        if (e.end <= start) { shiftStart += delta; shiftEnd += delta; }
        else if (e.start >= end) continue;
        else if (e.start >= start && e.end <= end && !(e.start === start && e.end === end)) shiftEnd += delta;
        else return null;
      }
      return [start + shiftStart, end + shiftEnd];
    }
    updated.findings = [];
    report.findings.forEach(function (finding) {
      var copy = JSON.parse(JSON.stringify(finding));
      var spans = [];
      placesOf(finding).forEach(function (span) {
        var at = moved(span.field, span.start, span.end);
        if (!at) return;
        var place = JSON.parse(JSON.stringify(span));
        place.start = at[0];
        place.end = at[1];
        place.text = updated[span.field].slice(at[0], at[1]);
        spans.push(place);
      });
      if (!spans.length) return;
      copy.spans = spans;
      copy.field = spans[0].field;
      copy.start = spans[0].start;
      copy.end = spans[0].end;
      copy.text = spans[0].text;
      copy.fix = spans[0].fix === undefined ? copy.fix : spans[0].fix;
      updated.findings.push(copy);
    });
    updated.consistent = !updated.findings.some(function (f) { return f.severity === "error"; });
    this.history.push(report);
    this.report = updated;
    this.close(false);
    this.render();
    if (this.options.onChange) this.options.onChange(updated, description);
    var status = this.container.querySelector(".summary .facts");
    if (status) status.appendChild(document.createTextNode(" · " + description));
  };

  window.CopydeskView = { render: function (container, report, options) { return new View(container, report, options); },
    kinds: KINDS, plannedEdits: plannedEdits };

  /* The HTML report: each report's JSON sits in a non-executable script element naming its container. */
  document.addEventListener("DOMContentLoaded", function () {
    var blocks = document.querySelectorAll("script[type='application/json'][data-copydesk-report]");
    Array.prototype.forEach.call(blocks, function (data) {
      var target = document.getElementById(data.getAttribute("data-copydesk-report"));
      if (target) window.CopydeskView.render(target, JSON.parse(data.textContent), {});
    });
  });
})();
