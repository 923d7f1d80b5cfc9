// Reader site: show a highlight's record and a correction stub; toggles per kind; keyboard navigation.
(function () {
  "use strict";
  var dataNode = document.getElementById("page-data");
  if (!dataNode) return;
  var page = JSON.parse(dataNode.textContent);
  var tables = window.TABLES || {};
  page.records = {};
  Object.keys(page.rows).forEach(function (table) {
    var meta = tables[table];
    page.rows[table].forEach(function (values) {
      var row = {};
      meta.fields.forEach(function (field, i) { if (values[i] !== null) row[field] = values[i]; });
      var key = table + "/" + meta.key.map(function (k) { return row[k]; }).join("|");
      page.records[key] = row;
    });
  });
  var panel = document.getElementById("panel");
  var selected = null;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function slug(text) { return String(text).replace(/[^A-Za-z0-9_-]/g, "-"); }
  function yamlValue(value) {
    if (value === undefined || value === null) return "null";
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return JSON.stringify(String(value));
  }
  function split(key) {
    var cut = key.indexOf("/");
    return { table: key.slice(0, cut), id: key.slice(cut + 1) };
  }
  function today() { return new Date().toISOString().slice(0, 10); }

  function stub(key, field) {
    var parts = split(key);
    var row = page.records[key] || {};
    var lines = ["- id: C____            # the next free number (corrections/README.md)"];
    if (field) {
      lines.push("  kind: field", "  table: " + parts.table, "  record_id: " + yamlValue(parts.id),
        "  field: " + field, "  old: " + yamlValue(row[field]), "  new: ");
    } else {
      lines.push("  kind: withdraw", "  table: " + parts.table, "  record_id: " + yamlValue(parts.id));
    }
    lines.push("  reason: ", "  author: ", "  date: " + today());
    return lines.join("\n") + "\n";
  }

  function valueNode(table, field, value) {
    var meta = tables[table] || {};
    var target = (meta.fks || {})[field];
    var cell = document.createDocumentFragment();
    var key = target ? target + "/" + value : null;
    if (key && page.anchors[key]) {
      var link = el("a", { href: "#" + page.anchors[key], "data-open": key }, String(value));
      cell.appendChild(link);
    } else if (key && page.records[key]) {
      cell.appendChild(el("a", { href: "#", "data-open": key }, String(value)));
    } else {
      cell.appendChild(document.createTextNode(String(value)));
    }
    if (page.names[value]) cell.appendChild(document.createTextNode(" (" + page.names[value] + ")"));
    return cell;
  }

  function show(key) {
    var parts = split(key);
    var row = page.records[key];
    var meta = tables[parts.table] || { fields: Object.keys(row || {}), descriptions: {} };
    panel.textContent = "";
    panel.appendChild(el("h2", {}, parts.table + " " + parts.id));
    if (!row) { panel.appendChild(el("p", {}, "This record is not on this page.")); return; }
    var summary = [];
    Object.keys(row).forEach(function (f) {
      if (/confidence$/.test(f)) summary.push(f.replace(/_/g, " ") + " " + row[f]);
    });
    if ("needs_review" in row) summary.push(row.needs_review ? "NEEDS REVIEW" : "not flagged for review");
    if (summary.length) panel.appendChild(el("p", { "class": row.needs_review ? "flag" : "summary" }, summary.join(" · ")));
    var table = el("table");
    meta.fields.forEach(function (field) {
      if (!(field in row)) return;
      var tr = el("tr");
      var th = el("th", { scope: "row", title: meta.descriptions[field] || "" }, field);
      var td = el("td");
      td.appendChild(valueNode(parts.table, field, row[field]));
      tr.appendChild(th); tr.appendChild(td); table.appendChild(tr);
    });
    panel.appendChild(table);
    var linked = page.related[key] || [];
    if (linked.length) panel.appendChild(el("h3", {}, "Linked records"));
    linked.forEach(function (childKey) {
      var child = split(childKey);
      var childRow = page.records[childKey] || {};
      var fks = (tables[child.table] || {}).fks || {};
      var p = el("p", { "class": "linked" }, child.table + " ");
      p.appendChild(el("a", { href: "#", "data-open": childKey }, "row"));
      Object.keys(fks).forEach(function (f) {
        if (fks[f] === parts.table || fks[f] === "documents" || !(f in childRow)) return;
        p.appendChild(document.createTextNode(" \u00b7 " + f + " "));
        p.appendChild(valueNode(child.table, f, childRow[f]));
      });
      panel.appendChild(p);
    });
    panel.appendChild(el("h3", {}, "Correction stub"));
    var pre = el("pre", { id: "stub", tabindex: "0" }, stub(key, null));
    var choose = el("select", { id: "stub-field", "aria-label": "correction kind" });
    choose.appendChild(el("option", { value: "" }, "withdraw the record"));
    meta.fields.forEach(function (field) {
      if (meta.key.indexOf(field) < 0 && field !== "record_status" && field !== "document_id") {
        choose.appendChild(el("option", { value: field }, "change " + field));
      }
    });
    choose.addEventListener("change", function () { pre.textContent = stub(key, choose.value || null); });
    var label = el("p", {}, "Paste into corrections/" + page.document_id + ".yaml: ");
    label.appendChild(choose);
    panel.appendChild(label);
    panel.appendChild(pre);
    var copy = el("button", { type: "button", id: "copy" }, "copy");
    panel.appendChild(copy);
    panel.setAttribute("data-rec", key);
  }

  function select(node) {
    if (selected) selected.classList.remove("selected");
    selected = node;
    node.classList.add("selected");
    show(node.getAttribute("data-rec"));
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var open = target.closest && target.closest("[data-open]");
    if (open && panel.contains(open)) {
      var key = open.getAttribute("data-open");
      if (open.getAttribute("href") === "#") event.preventDefault();
      var anchor = page.anchors[key] && document.getElementById(page.anchors[key]);
      if (anchor && anchor.classList.contains("hl")) { select(anchor); return; }
      show(key);
      return;
    }
    if (target.id === "copy" && navigator.clipboard) {
      navigator.clipboard.writeText(document.getElementById("stub").textContent).catch(function () {});
      return;
    }
    var hl = target.closest && target.closest(".hl[data-rec]");
    if (hl && !hl.classList.contains("cont")) { select(hl); }
    else if (hl) { var first = document.getElementById(page.anchors[hl.getAttribute("data-rec")]); select(first || hl); }
  });

  // A link to a highlight (the timeline's, or a shared address ending in #h12) also opens its record.
  function followHash() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target && target.classList.contains("hl")) select(target);
  }
  window.addEventListener("hashchange", followHash);
  followHash();

  function hidden(node) { return document.body.classList.contains("hide-" + slug(node.getAttribute("data-kind"))); }
  function stops() {
    return Array.prototype.filter.call(document.querySelectorAll(".hl[tabindex='0']"), function (n) { return !hidden(n); });
  }

  document.querySelectorAll(".toggles input[data-kind]").forEach(function (box) {
    box.addEventListener("change", function () {
      var kind = slug(box.getAttribute("data-kind"));
      document.body.classList.toggle("hide-" + kind, !box.checked);
      document.querySelectorAll(".hl.k-" + kind).forEach(function (n) {
        n.classList.toggle("off", !box.checked);
        if (!n.classList.contains("cont")) n.setAttribute("tabindex", box.checked ? "0" : "-1");
      });
    });
  });

  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "n" || event.key === "p") {
      var list = stops();
      if (!list.length) return;
      var at = list.indexOf(document.activeElement);
      var next = event.key === "n" ? (at + 1) % list.length : (at <= 0 ? list.length - 1 : at - 1);
      list[next].focus();
      event.preventDefault();
    } else if ((event.key === "Enter" || event.key === " ") && event.target.classList && event.target.classList.contains("hl")) {
      select(event.target);
      if (event.target.tagName.toLowerCase() !== "a" || event.key === " ") event.preventDefault();
    } else if (event.key === "Escape") {
      if (selected) selected.focus(); else document.getElementById("main").focus();
    }
  });
})();
