/* skillmatch web page: plain JavaScript over the /v1 JSON API, no framework, no build step.
 *
 * Safety rule: document text (resume and job text, file names, evidence, anything from the server) is only ever
 * inserted as text nodes (textContent, Node.append with strings, createTextNode), never as HTML. The page is
 * also served with a Content-Security-Policy that refuses inline script.
 */
"use strict";

(function () {
  const config = JSON.parse(document.getElementById("config").textContent);
  const KEY_STORAGE = "skillmatch.apiKey";
  const VIEWS = ["match", "titles", "pool", "documents"];
  const SVG_NS = "http://www.w3.org/2000/svg";
  const PAGE_SIZE = 50;

  const $ = (id) => document.getElementById(id);

  // ------------------------------------------------------------------------------------------------ DOM helpers

  /** An element with attributes and children; strings become text nodes (never parsed as HTML). */
  function el(tag, attrs, ...children) {
    return fill(document.createElement(tag), attrs, children);
  }

  function svg(tag, attrs, ...children) {
    return fill(document.createElementNS(SVG_NS, tag), attrs, children);
  }

  function fill(node, attrs, children) {
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.setAttribute("class", value);
      else if (name === "dataset") Object.assign(node.dataset, value);
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function announce(message) {
    const region = $("announcer");
    region.textContent = "";
    // a fresh text node after a tick makes screen readers announce a repeated message too
    window.setTimeout(() => { region.textContent = message; }, 60);
  }

  function showError(id, message) {
    const node = $(id);
    node.textContent = message || "";
    node.hidden = !message;
  }

  function pct(value) {
    return `${Math.round((Number(value) || 0) * 100)}%`;
  }

  function num(value, places = 1) {
    const text = Number(value).toFixed(places);
    return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
  }

  function plural(n, one, many) {
    return `${n} ${n === 1 ? one : many || one + "s"}`;
  }

  function formatBytes(size) {
    for (const [unit, scale] of [["GB", 1e9], ["MB", 1e6], ["KB", 1e3]]) {
      if (size >= scale) return `${num(size / scale)} ${unit}`;
    }
    return `${size} bytes`;
  }

  // -------------------------------------------------------------------------------------------------------- API

  class ApiProblem extends Error {
    constructor(status, body) {
      super((body && body.detail) || `HTTP ${status}`);
      this.status = status;
      this.body = body || {};
      const fallback = { 401: "unauthorized", 404: "not_found", 413: "too_large", 415: "unsupported_format" };
      this.code = this.body.code || fallback[status] || (status === 0 ? "network" : `http_${status}`);
    }
  }

  function getKey() {
    try {
      return window.sessionStorage.getItem(KEY_STORAGE);
    } catch (error) {
      return null;
    }
  }

  function setKey(key) {
    try {
      if (key) window.sessionStorage.setItem(KEY_STORAGE, key);
      else window.sessionStorage.removeItem(KEY_STORAGE);
    } catch (error) {
      /* storage refused (private mode): the key lives as long as the page */
    }
    memoryKey = key || null;
    $("key-status").hidden = !key;
  }

  let memoryKey = null;

  /** One call to the JSON API; throws ApiProblem with the server's stable error code. */
  async function api(method, path, options = {}) {
    const headers = { Accept: "application/json" };
    const key = getKey() || memoryKey;
    if (key) headers.Authorization = `Bearer ${key}`;
    let body;
    if (options.file) {
      body = new FormData();
      body.append("file", options.file, options.file.name);
    } else if (options.json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.json);
    }
    let response;
    try {
      response = await fetch(path, { method, headers, body, cache: "no-store", credentials: "same-origin" });
    } catch (error) {
      throw new ApiProblem(0, { code: "network" });
    }
    const text = await response.text();
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch (error) {
        data = null;
      }
    }
    if (!response.ok) {
      const problem = new ApiProblem(response.status, data);
      if (response.status === 401 && !options.quiet401) {
        requireKey(key ? "This API key was refused. Enter a valid key." : "");
      }
      throw problem;
    }
    return data;
  }

  /** The server's error in words people understand. */
  function humanError(problem) {
    switch (problem.code) {
      case "encrypted_pdf":
        return "This PDF is password-protected. Save a copy without a password (for example Print → Save as PDF) and upload that.";
      case "no_text_layer":
        return "No text found: is it a scan? Upload the original PDF, a Word file or plain text instead.";
      case "empty_document":
        return "This document is empty: there is no text in it to read.";
      case "corrupt_file":
        return "This file is damaged or incomplete and cannot be read. Save or export it again, then retry.";
      case "unsupported_format":
        return "This type of file is not supported. Use PDF, Word (.docx), HTML, Markdown, plain text or JSON Resume.";
      case "too_large":
        return `File larger than ${config.max_upload_text}. Upload a smaller file.`;
      case "too_many_pages":
        return `This document has too many pages: at most ${config.max_pages} can be read.`;
      case "parse_timeout":
        return "This document took too long to read. Try a shorter or simpler version of it.";
      case "unauthorized":
        return "This server needs an API key: enter it above.";
      case "not_found":
        return "Not found: it may have been deleted. Upload it again.";
      case "database_unavailable":
        return "The server's database is not answering. Try again in a moment.";
      case "network":
        return "The server cannot be reached. Check the connection and try again.";
      case "invalid_request":
        return "The server could not use this request. Check the fields and try again.";
      default:
        if (problem.status >= 500) {
          const rid = problem.body.request_id ? ` (reference ${problem.body.request_id})` : "";
          return `The server ran into a problem${rid}. Try again in a moment.`;
        }
        return problem.body.detail ? `The server refused this: ${problem.body.detail}` : "Something went wrong.";
    }
  }

  /** Client-side checks that give the same answer as the server, sooner. */
  function checkFile(file) {
    if (file.size > config.max_upload_bytes) return humanError({ code: "too_large" });
    if (file.size === 0) return humanError({ code: "empty_document" });
    return null;
  }

  // Taxonomy display names, for skill ids the report names only by id (learning order, transferable skills).
  // Without them the page still works: it shows the report's own names, or ids.
  let taxonomyNames = null;
  async function loadNames() {
    if (taxonomyNames) return taxonomyNames;
    try {
      taxonomyNames = await api("GET", "web/taxonomy.json", { quiet401: true });
      return taxonomyNames;
    } catch (problem) {
      return { skills: {}, categories: {} };
    }
  }

  // Documents already stored this session, so a second match with the same file does not store it twice.
  const stored = new Map();

  function sourceKey(kind, source) {
    return source instanceof File
      ? `${kind}\u0000file\u0000${source.name}\u0000${source.size}\u0000${source.lastModified}`
      : `${kind}\u0000text\u0000${source}`;
  }

  async function storeDocument(kind, source) {
    const key = sourceKey(kind, source);
    if (stored.has(key)) return stored.get(key);
    const path = kind === "resume" ? "v1/resumes" : "v1/jobs";
    const doc = source instanceof File
      ? await api("POST", path, { file: source })
      : await api("POST", path, { json: { text: source, name: pastedName(source) } });
    stored.set(key, doc.id);
    return doc.id;
  }

  /** A name for pasted text in lists and reports: its first line, shortened. */
  function pastedName(text) {
    const first = text.split("\n").map((line) => line.trim()).find(Boolean) || "";
    const name = first.length > 80 ? `${first.slice(0, 79)}…` : first;
    return name ? `${name} (pasted)` : null;
  }

  function forgetStored(id) {
    for (const [key, value] of stored) if (value === id) stored.delete(key);
  }

  function documentName(doc) {
    return doc.filename || doc.name || doc.title || doc.job_title
      || (doc.kind === "job" ? "Pasted job post" : "Pasted resume");
  }

  // ------------------------------------------------------------------------------------------------ the API key

  function requireKey(message) {
    const panel = $("key-panel");
    panel.hidden = false;
    showError("key-error", message);
    $("key-input").focus();
  }

  async function onKeySubmit(event) {
    event.preventDefault();
    const key = $("key-input").value.trim();
    if (!key) {
      showError("key-error", "Enter the API key you were given.");
      $("key-input").focus();
      return;
    }
    setKey(key);
    try {
      await api("GET", "v1/resumes?limit=1", { quiet401: true });
    } catch (problem) {
      if (problem.status === 401) {
        setKey(null);
        showError("key-error", "This API key was refused. Check it and try again.");
        $("key-input").focus();
        return;
      }
    }
    $("key-input").value = "";
    showError("key-error", "");
    $("key-panel").hidden = true;
    announce("API key accepted.");
    refreshView();
  }

  function onKeyForget() {
    setKey(null);
    stored.clear();
    announce("The API key was forgotten.");
    if (config.auth_required) requireKey("");
  }

  // ---------------------------------------------------------------------------------------------------- views

  let currentView = "match";

  function showView(name, focus) {
    if (!VIEWS.includes(name)) name = "match";
    currentView = name;
    for (const view of VIEWS) $(`view-${view}`).hidden = view !== name;
    for (const link of document.querySelectorAll("[data-view]")) {
      if (link.dataset.view === name) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    refreshView();
    if (focus) $(`${name}-heading`).focus();
  }

  function refreshView() {
    if (currentView === "documents") loadDocuments();
    if (currentView === "titles") loadResumeOptions();
    if (currentView === "pool") loadPoolOptions();
  }

  // ---------------------------------------------------------------------------------------------- file inputs

  function setupFileInput(inputId, chosenId, errorId) {
    const input = $(inputId);
    const chosen = $(chosenId);
    input.addEventListener("change", () => {
      const file = input.files[0];
      showError(errorId, "");
      chosen.replaceChildren();
      chosen.hidden = !file;
      if (!file) return;
      const problem = checkFile(file);
      if (problem) showError(errorId, problem);
      chosen.append(
        el("span", {}, `Chosen: ${file.name} (${formatBytes(file.size)})`),
        " ",
        el("button", {
          type: "button",
          class: "link-button",
          "aria-label": `Remove ${file.name}`,
          onclick: () => {
            input.value = "";
            input.dispatchEvent(new Event("change"));
            input.focus();
          },
        }, "Remove"),
      );
    });
  }

  function setupDropzone(zone) {
    const input = $(zone.dataset.input);
    const over = (event) => {
      event.preventDefault();
      zone.classList.add("dragging");
    };
    zone.addEventListener("dragenter", over);
    zone.addEventListener("dragover", over);
    zone.addEventListener("dragleave", (event) => {
      if (!zone.contains(event.relatedTarget)) zone.classList.remove("dragging");
    });
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("dragging");
      const files = event.dataTransfer && event.dataTransfer.files;
      if (!files || !files.length) return;
      const transfer = new DataTransfer();
      transfer.items.add(files[0]);
      input.files = transfer.files;
      input.dispatchEvent(new Event("change"));
    });
  }

  // -------------------------------------------------------------------------------------------------- matching

  let lastResumeId = null;

  function setBusy(form, button, busy) {
    form.setAttribute("aria-busy", busy ? "true" : "false");
    button.disabled = busy;
  }

  async function onMatch(event) {
    event.preventDefault();
    const form = $("match-form");
    const button = $("match-submit");
    const status = $("match-status");
    for (const id of ["resume-error", "job-error", "match-error"]) showError(id, "");

    const resumeFile = $("resume-file").files[0];
    const jobFile = $("job-file").files[0];
    const jobText = $("job-text").value.trim();
    let firstBad = null;
    const resumeProblem = resumeFile ? checkFile(resumeFile) : "Choose a resume file, or drop one on the box.";
    if (resumeProblem) {
      showError("resume-error", resumeProblem);
      firstBad = firstBad || $("resume-file");
    }
    const jobProblem = jobFile ? checkFile(jobFile) : jobText ? null : "Paste the job post, or choose a file.";
    if (jobProblem) {
      showError("job-error", jobProblem);
      firstBad = firstBad || (jobFile ? $("job-file") : $("job-text"));
    }
    if (firstBad) {
      firstBad.focus();
      return;
    }

    setBusy(form, button, true);
    let resumeId;
    let jobId;
    try {
      status.textContent = "Reading the resume…";
      try {
        resumeId = await storeDocument("resume", resumeFile);
      } catch (problem) {
        showError("resume-error", humanError(problem));
        if (problem.status !== 401) $("resume-file").focus();
        return;
      }
      status.textContent = "Reading the job post…";
      try {
        jobId = await storeDocument("job", jobFile || jobText);
      } catch (problem) {
        showError("job-error", humanError(problem));
        if (problem.status !== 401) (jobFile ? $("job-file") : $("job-text")).focus();
        return;
      }
      status.textContent = "Scoring…";
      try {
        const [report, resumeDoc, jobDoc, names] = await Promise.all([
          api("POST", "v1/match", { json: { resume_id: resumeId, job_id: jobId } }),
          api("GET", `v1/resumes/${encodeURIComponent(resumeId)}`),
          api("GET", `v1/jobs/${encodeURIComponent(jobId)}`),
          loadNames(),
        ]);
        lastResumeId = resumeId;
        renderReport(report, resumeDoc, jobDoc, names);
        const summary = `Score ${num(report.score)} out of 100: ${report.matched.length} skills matched, `
          + `${report.partial.length} partly matched, ${report.missing.length} missing.`;
        status.textContent = "";
        announce(summary);
        $("report-heading").focus();
      } catch (problem) {
        if (problem.code === "not_found") {
          forgetStored(resumeId);
          forgetStored(jobId);
        }
        showError("match-error", humanError(problem));
      }
    } finally {
      status.textContent = status.textContent.endsWith("…") ? "" : status.textContent;
      setBusy(form, button, false);
    }
  }

  const COMPONENTS = [
    ["required_coverage", "Required skills covered"],
    ["preferred_coverage", "Preferred skills covered"],
    ["experience", "Years of experience"],
    ["title_fit", "Seniority fit"],
    ["qualifications", "Qualifications (title, degree, certifications)"],
  ];

  const VERDICT_TEXT = { "strong fit": "Strong fit", "partial fit": "Partial fit", "not a fit": "Not a fit" };
  const QUALIFICATION_KIND = {
    title: "Job title", management: "People management", degree: "Degree", certification: "Certification",
  };

  const RELATION_TEXT = {
    exact: "the same skill",
    narrower: "a narrower skill",
    broader: "the broader skill",
    sibling: "a sibling skill",
    related: "a related skill",
  };

  function renderReport(report, resumeDoc, jobDoc, names) {
    const container = $("report");
    const lineNames = {};
    for (const group of ["matched", "partial", "missing"]) for (const line of report[group]) lineNames[line.id] = line.name;
    const skillName = (id) => (id && (names.skills[id] || lineNames[id])) || id || "";
    const categoryName = (id) => names.categories[id] || id.replace(/_/g, " ");

    const resumeLabel = report.resume || documentName(resumeDoc);
    const jobLabel = report.job_title || report.job || documentName(jobDoc);

    container.replaceChildren(...[
      el("h2", { id: "report-heading", tabindex: "-1" }, "Gap report"),
      renderSummary(report, resumeLabel, jobLabel),
      report.low_trust ? renderTrust(report) : null,
      el("div", { class: "report-body" },
        el("div", { class: "report-main" },
          renderCoverage(report, categoryName),
          renderQualifications(report),
          renderMatched(report),
          renderPartial(report, skillName),
          renderMissing(report, skillName),
          renderLearning(report, skillName),
        ),
        renderEvidence(report, resumeDoc, jobDoc, resumeLabel, jobLabel),
      ),
      renderDiagnostics(report, resumeDoc, jobDoc),
    ].filter(Boolean));
    container.hidden = false;
  }

  function renderSummary(report, resumeLabel, jobLabel) {
    const weights = report.component_weights;
    // a job that asks for no qualification (or a report made before they counted) shows the four components
    const shown = COMPONENTS.filter(([key]) => key in report.components
      && (key !== "qualifications" || weights[key] || (report.qualifications || []).length));
    const rows = shown.map(([key, label]) => el("tr", {},
      el("th", { scope: "row" }, label),
      el("td", { class: "num" }, pct(report.components[key])),
      el("td", { class: "num" }, pct(weights[key])),
      el("td", { class: "num" }, num(100 * weights[key] * report.components[key])),
    ));
    return el("div", { class: "summary card" },
      el("div", { class: "score-box" },
        el("p", { class: "score", id: "score" },
          el("span", { class: "score-number" }, num(report.score)),
          el("span", { class: "score-outof" }, " / 100"),
        ),
        report.verdict
          ? el("p", { class: `verdict verdict-${report.verdict.replace(/ /g, "-")}`, id: "verdict" },
            VERDICT_TEXT[report.verdict] || report.verdict)
          : null,
        el("p", { class: "score-what" }, el("strong", {}, resumeLabel), " for ", el("strong", {}, jobLabel)),
        report.cap_reason
          ? el("p", { class: "notice notice-warning" },
            `Capped at ${num(report.score)} (${num(report.uncapped_score)} before the cap): ${report.cap_reason}`)
          : null,
        el("p", { class: "help" },
          `Seniority: ${report.seniority.resume || "not stated"} (resume), ${report.seniority.job || "not stated"} (job). `,
          `Years: ${report.years.resume == null ? "unknown" : num(report.years.resume)} on the resume, `,
          `${report.years.asked == null ? "none" : num(report.years.asked)} asked.`),
      ),
      el("table", { class: "components" },
        el("caption", {}, "How the score is made"),
        el("thead", {}, el("tr", {},
          el("th", { scope: "col" }, "Component"),
          el("th", { scope: "col", class: "num" }, "Value"),
          el("th", { scope: "col", class: "num" }, "Weight"),
          el("th", { scope: "col", class: "num" }, "Points"),
        )),
        el("tbody", {}, rows),
        el("tfoot", {}, el("tr", {},
          el("th", { scope: "row", colspan: "3" }, report.cap_reason ? "Total before the cap" : "Total"),
          el("td", { class: "num" }, num(report.uncapped_score)),
        )),
      ),
    );
  }

  function renderTrust(report) {
    return el("div", { class: "notice notice-warning trust", id: "trust-warnings" },
      el("h3", {}, "Check the documents before trusting this score"),
      el("p", {}, "The text could not be read well, or hidden text was found:"),
      el("ul", {}, report.trust_warnings.map((w) => el("li", {}, w))),
    );
  }

  /** Share of the chart's width a full bar takes; the rest is for the percentage. */
  const BAR_SHARE = 84;

  function renderCoverage(report, categoryName) {
    const rows = Object.entries(report.coverage_by_category)
      .map(([id, value]) => ({ id, name: categoryName(id), value: Number(value) }))
      .sort((a, b) => a.value - b.value || a.name.localeCompare(b.name));
    const section = el("section", { class: "card", "aria-labelledby": "coverage-heading" },
      el("h3", { id: "coverage-heading" }, "Coverage by category"));
    if (!rows.length) {
      section.append(el("p", {}, "The job post names no skills we know."));
      return section;
    }
    const rowHeight = 42;
    const description = rows.map((r) => `${r.name}: ${pct(r.value)}`).join("; ");
    const chart = svg("svg", {
      class: "chart", id: "coverage-chart", width: "100%", height: rows.length * rowHeight,
      role: "img", "aria-labelledby": "coverage-title coverage-desc",
    },
    svg("title", { id: "coverage-title" }, "Coverage of the job's skills by category, lowest first"),
    svg("desc", { id: "coverage-desc" }, description),
    rows.map((row, i) => {
      const y = i * rowHeight;
      const level = row.value >= 0.8 ? "high" : row.value >= 0.5 ? "mid" : "low";
      return svg("g", { class: `bar bar-${level}` },
        // the name gets the whole width; the value sits after the bar, so the two never overlap on a phone
        svg("text", { x: 0, y: y + 14, class: "bar-label" }, row.name),
        svg("rect", { x: 0, y: y + 20, width: `${BAR_SHARE}%`, height: 12, rx: 3, class: "bar-track" }),
        svg("rect", {
          x: 0, y: y + 20, width: `${BAR_SHARE * Math.max(0, Math.min(1, row.value))}%`, height: 12, rx: 3,
          class: "bar-fill",
        }),
        svg("text", { x: "100%", y: y + 31, class: "bar-value", "text-anchor": "end" }, pct(row.value)),
      );
    }));
    section.append(chart, el("p", { class: "help" }, "Bars: how much of what the job asks in each category the resume covers (weighted by importance)."));
    return section;
  }

  function skillButton(line) {
    return el("button", {
      type: "button", class: "skill-button", "data-skill": line.id, "aria-pressed": "false",
      "aria-controls": "text-resume text-job", onclick: () => highlight(line.id, line.name),
    }, line.name);
  }

  function levelCell(line) {
    return el("td", { "data-label": "Level" },
      line.level === "required" ? "Required" : "Preferred",
      line.must_have ? el("span", { class: "tag tag-must" }, "must-have") : null);
  }

  function skillTable(id, caption, headers, lines, row, emptyText) {
    const section = el("section", { class: "card", "aria-labelledby": `${id}-heading` },
      el("h3", { id: `${id}-heading` }, `${caption} (${lines.length})`));
    if (!lines.length) {
      section.append(el("p", { class: "help" }, emptyText));
      return section;
    }
    section.append(el("table", { class: "skills stack", id: `${id}-table` },
      el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, lines.map(row)),
    ));
    return section;
  }

  function yearsText(line) {
    const parts = [];
    if (line.years != null) parts.push(`${num(line.years)} years`);
    if (line.years_asked != null) parts.push(`${num(line.years_asked)} asked`);
    if (line.last_used != null) parts.push(`last used ${line.last_used}`);
    return parts.join(", ") || "—";
  }

  function foundText(line) {
    return `${plural(line.resume_evidence.length, "place")} in the resume, ${line.job_evidence.length} in the job`;
  }

  function renderQualifications(report) {
    const lines = report.qualifications || [];
    if (!lines.length) return null;
    const evidence = (items) => (items.length ? items.map((e) => e.text).join("; ") : "—");
    return skillTable("qualifications", "Qualifications", ["Asked", "Kind", "Credit", "Why", "Resume"], lines,
      (q) => el("tr", {},
        el("th", { scope: "row", "data-label": "Asked" }, q.name,
          q.level === "preferred" ? el("span", { class: "help" }, " (preferred)") : null),
        el("td", { "data-label": "Kind" }, QUALIFICATION_KIND[q.kind] || q.kind),
        el("td", { "data-label": "Credit" }, pct(q.credit)),
        el("td", { "data-label": "Why" }, q.reason),
        el("td", { "data-label": "Resume" }, evidence(q.resume_evidence)),
      ), "");
  }

  function renderMatched(report) {
    return skillTable("matched", "Matched skills", ["Skill", "Level", "Experience", "Found"], report.matched,
      (line) => el("tr", { class: "row-matched" },
        el("th", { scope: "row", "data-label": "Skill" }, skillButton(line)),
        levelCell(line),
        el("td", { "data-label": "Experience" }, yearsText(line)),
        el("td", { "data-label": "Found" }, foundText(line)),
      ), "None of the job's skills are on the resume as such.");
  }

  function renderPartial(report, skillName) {
    return skillTable("partial", "Partly matched", ["Skill", "Covered by", "Credit", "Level"], report.partial,
      (line) => el("tr", { class: "row-partial" },
        el("th", { scope: "row", "data-label": "Skill" }, skillButton(line)),
        el("td", { "data-label": "Covered by" },
          el("strong", {}, skillName(line.via)), `, ${RELATION_TEXT[line.relation] || line.relation}`),
        el("td", { "data-label": "Credit", class: "num" }, pct(line.credit)),
        levelCell(line),
      ), "No partial matches.");
  }

  function renderMissing(report, skillName) {
    return skillTable("missing", "Missing skills", ["Skill", "Level", "Closest skill you have", "Learn first"],
      report.missing,
      (line) => el("tr", { class: "row-missing" },
        el("th", { scope: "row", "data-label": "Skill" }, skillButton(line)),
        levelCell(line),
        el("td", { "data-label": "Closest skill you have" }, line.transferable ? skillName(line.transferable) : "—"),
        el("td", { "data-label": "Learn first" },
          line.prerequisites.length ? line.prerequisites.map(skillName).join(", ") : "—"),
      ), "Nothing the job asks for is missing.");
  }

  function renderLearning(report, skillName) {
    const jobSkills = new Set([...report.missing, ...report.partial].map((l) => l.id));
    const transfers = [
      ...report.partial.map((line) => el("li", {},
        el("strong", {}, skillName(line.via)), ` counts towards ${line.name} (${RELATION_TEXT[line.relation] || line.relation}, `
        + `${pct(line.credit)} credit)`)),
      ...report.missing.filter((line) => line.transferable).map((line) => el("li", {},
        el("strong", {}, skillName(line.transferable)), ` is the closest skill you have to ${line.name}`)),
    ];
    return el("section", { class: "card", "aria-labelledby": "learn-heading", id: "learning" },
      el("h3", { id: "learn-heading" }, "Transferable skills and what to learn"),
      el("h4", {}, "Skills that transfer"),
      transfers.length ? el("ul", { id: "transferable-list" }, transfers) : el("p", { class: "help" }, "None."),
      el("h4", {}, "Learning order"),
      report.learning_order.length
        ? el("ol", { id: "learning-order" }, report.learning_order.map((id) => el("li", {}, skillName(id),
          jobSkills.has(id) ? null : el("span", { class: "tag" }, "foundation"))))
        : el("p", { class: "help" }, "Nothing to learn for this job."),
    );
  }

  // ---------------------------------------------------------------------------------------- evidence in texts

  function evidenceSpans(report, side) {
    const spans = [];
    for (const [group, status] of [["matched", "matched"], ["partial", "partial"], ["missing", "missing"]]) {
      for (const line of report[group]) {
        for (const e of line[`${side}_evidence`] || []) spans.push({ start: e.start, end: e.end, skill: line.id, status });
      }
    }
    return spans;
  }

  const STATUS_RANK = { matched: 0, partial: 1, missing: 2 };

  /** The text as text nodes, with each evidence span in a <mark>; overlapping spans are split at every edge. */
  function markedText(text, spans) {
    const valid = spans.filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end)
      && s.start >= 0 && s.end <= text.length && s.start < s.end);
    const edges = [...new Set([0, text.length, ...valid.flatMap((s) => [s.start, s.end])])].sort((a, b) => a - b);
    const fragment = document.createDocumentFragment();
    for (let i = 0; i + 1 < edges.length; i += 1) {
      const [a, b] = [edges[i], edges[i + 1]];
      const piece = text.slice(a, b);
      const covering = valid.filter((s) => s.start <= a && s.end >= b);
      if (!covering.length) {
        fragment.append(piece);
        continue;
      }
      const status = covering.map((s) => s.status).sort((x, y) => STATUS_RANK[x] - STATUS_RANK[y])[0];
      const skills = [...new Set(covering.map((s) => s.skill))].join(" ");
      fragment.append(el("mark", { class: `ev ev-${status}`, "data-skills": skills }, piece));
    }
    return fragment;
  }

  function renderEvidence(report, resumeDoc, jobDoc, resumeLabel, jobLabel) {
    const panel = (side, label, doc) => el("div", { class: "doc-panel" },
      el("h4", { id: `text-${side}-heading` }, label),
      el("div", {
        class: "doc-text", id: `text-${side}`, tabindex: "0", role: "region",
        "aria-labelledby": `text-${side}-heading`,
      }, doc && typeof doc.text === "string"
        ? markedText(doc.text, evidenceSpans(report, side))
        : el("span", { class: "help" }, "The text of this document is not available.")),
    );
    return el("section", { class: "evidence card", id: "evidence", "aria-labelledby": "evidence-heading" },
      el("h3", { id: "evidence-heading" }, "Where the skills were found"),
      el("p", { class: "help" }, "Choose a skill name in the tables to highlight where it was found in both texts."),
      el("p", { class: "legend help" },
        el("mark", { class: "ev ev-matched" }, "matched"), " ",
        el("mark", { class: "ev ev-partial" }, "partly matched"), " ",
        el("mark", { class: "ev ev-missing" }, "missing from the resume")),
      el("p", { id: "evidence-note", class: "evidence-note", "aria-live": "polite" }),
      el("div", { class: "doc-panels" },
        panel("resume", `Resume: ${resumeLabel}`, resumeDoc),
        panel("job", `Job post: ${jobLabel}`, jobDoc)),
    );
  }

  function highlight(skillId, name) {
    const report = $("report");
    for (const mark of report.querySelectorAll("mark.active")) mark.classList.remove("active");
    for (const button of report.querySelectorAll(".skill-button")) {
      button.setAttribute("aria-pressed", button.dataset.skill === skillId ? "true" : "false");
    }
    const counts = {};
    for (const side of ["resume", "job"]) {
      const panel = $(`text-${side}`);
      const marks = [...panel.querySelectorAll("mark[data-skills]")]
        .filter((mark) => mark.dataset.skills.split(" ").includes(skillId));
      for (const mark of marks) mark.classList.add("active");
      counts[side] = marks.length;
      if (marks.length) panel.scrollTop = Math.max(0, marks[0].offsetTop - panel.clientHeight / 3);
    }
    const where = (n) => (n ? plural(n, "place") : "nowhere");
    const message = `${name}: ${where(counts.resume)} in the resume, ${where(counts.job)} in the job post.`;
    $("evidence-note").textContent = message;
    const box = $("evidence").getBoundingClientRect();
    if (box.top < 0 || box.top > window.innerHeight * 0.6) {
      $("evidence").scrollIntoView({ block: "start" });
    }
  }

  // -------------------------------------------------------------------------------------------- diagnostics

  const HIDDEN_REASONS = {
    white_on_white: "White text on a white background",
    tiny_font: "Text too small to read",
    off_page: "Text placed outside the page",
    invisible: "Text marked invisible",
  };

  function renderDiagnostics(report, resumeDoc, jobDoc) {
    const block = (label, diag, doc) => {
      diag = diag || (doc && doc.diagnostics) || {};
      const items = [];
      if (diag.parser) items.push(["Read with", diag.parser]);
      if (diag.chars != null) items.push(["Characters", Number(diag.chars).toLocaleString("en")]);
      if (diag.columns && diag.columns.length) items.push(["Columns", String(Math.max(...diag.columns))]);
      const sections = [...new Set(diag.sections_found || [])];
      items.push(["Sections found", sections.length ? sections.join(", ") : "none"]);
      if (diag.scanned_pages && diag.scanned_pages.length) items.push(["Scanned pages", diag.scanned_pages.join(", ")]);
      if (diag.empty_pages && diag.empty_pages.length) items.push(["Empty pages", diag.empty_pages.join(", ")]);
      const hidden = Number(diag.hidden_text_count || 0);
      const warnings = ((doc && doc.warnings) || []).map(String);
      const spans = ((doc && doc.hidden_text) || []).map((h) => `${HIDDEN_REASONS[h.reason] || h.reason}`
        + `${h.page ? ` on page ${h.page}` : ""}: ${plural(h.chars, "character")}`);
      return el("div", { class: "diag" },
        el("h4", {}, label),
        hidden
          ? el("p", { class: "notice notice-warning hidden-text" },
            `Hidden text: ${plural(hidden, "piece")} of text invisible to a reader (white, tiny or off the page) `
            + "were found and left out of the score.")
          : null,
        spans.length ? el("ul", { class: "warnings hidden-spans" }, spans.map((w) => el("li", {}, w))) : null,
        el("dl", {}, items.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])),
        warnings.length ? el("ul", { class: "warnings" }, warnings.map((w) => el("li", {}, w))) : null,
      );
    };
    const diagnostics = report.diagnostics || {};
    return el("section", { class: "card", id: "diagnostics", "aria-labelledby": "diagnostics-heading" },
      el("h3", { id: "diagnostics-heading" }, "How the documents were read"),
      el("div", { class: "diag-grid" },
        block("Resume", diagnostics.resume, resumeDoc),
        block("Job post", diagnostics.job, jobDoc)),
    );
  }

  // ---------------------------------------------------------------------------------------------------- titles

  async function fetchAll(kind) {
    const path = kind === "resume" ? "v1/resumes" : "v1/jobs";
    return api("GET", `${path}?limit=${PAGE_SIZE}&offset=0`);
  }

  async function loadResumeOptions() {
    const select = $("titles-resume");
    let page;
    try {
      page = await fetchAll("resume");
    } catch (problem) {
      showError("titles-error", humanError(problem));
      return;
    }
    const previous = select.value;
    const docs = page.data || [];
    select.replaceChildren(...docs.map((doc) => el("option", { value: doc.id }, optionLabel(doc))));
    if (!docs.length) select.append(el("option", { value: "" }, "No stored resume yet: upload one"));
    select.disabled = !docs.length;
    const wanted = [previous, lastResumeId].find((id) => id && docs.some((d) => d.id === id));
    if (wanted) select.value = wanted;
  }

  function optionLabel(doc) {
    const when = doc.created_at ? ` · ${new Date(doc.created_at).toLocaleString()}` : "";
    return `${documentName(doc)}${when}`;
  }

  async function onTitles(event) {
    event.preventDefault();
    const form = $("titles-form");
    const button = $("titles-submit");
    const status = $("titles-status");
    showError("titles-error", "");
    const file = $("titles-file").files[0];
    let resumeId = $("titles-resume").value;
    if (file) {
      const problem = checkFile(file);
      if (problem) {
        showError("titles-error", problem);
        $("titles-file").focus();
        return;
      }
    } else if (!resumeId) {
      showError("titles-error", "Choose a stored resume, or upload one.");
      $("titles-file").focus();
      return;
    }
    setBusy(form, button, true);
    try {
      if (file) {
        status.textContent = "Reading the resume…";
        resumeId = await storeDocument("resume", file);
        lastResumeId = resumeId;
      }
      status.textContent = "Ranking job titles…";
      const data = await api("POST", `v1/resumes/${encodeURIComponent(resumeId)}/titles`);
      const titles = Array.isArray(data) ? data : data.data || data.titles || [];
      renderTitles(titles, Boolean(data.no_fit));
      status.textContent = "";
      announce(titles.length
        ? (data.no_fit ? "No ML job title fits; " : "")
          + `${plural(titles.length, "job title")} ranked; best fit: ${titles[0].title}, ${num(titles[0].score)} out of 100.`
        : "No job titles to rank.");
      if (file) {
        $("titles-file").value = "";
        await loadResumeOptions();
      }
    } catch (problem) {
      status.textContent = "";
      showError("titles-error", humanError(problem));
    } finally {
      setBusy(form, button, false);
    }
  }

  function renderTitles(titles, noFit) {
    const result = $("titles-result");
    result.replaceChildren(...[
      el("h2", { id: "titles-result-heading" }, "Best fit first"),
      noFit
        ? el("p", { class: "notice notice-warning", id: "titles-no-fit" },
          "No ML job title fits this resume. The titles below are the nearest ones.")
        : null,
      el("table", { class: "titles stack", id: "titles-table" },
        el("thead", {}, el("tr", {},
          el("th", { scope: "col", class: "num" }, "Rank"),
          el("th", { scope: "col" }, "Job title"),
          el("th", { scope: "col" }, "Score"),
          el("th", { scope: "col" }, "Level"),
          el("th", { scope: "col" }, "Skills still needed"))),
        el("tbody", {}, titles.map((t, i) => el("tr", {},
          el("td", { class: "num", "data-label": "Rank" }, String(i + 1)),
          el("th", { scope: "row", "data-label": "Job title" }, t.title || t.name || t.title_id),
          el("td", { "data-label": "Score" }, scoreMeter(t.score)),
          el("td", { "data-label": "Level" }, t.title_seniority || "—",
            t.seniority ? el("span", { class: "help" }, ` (you: ${t.seniority})`) : null),
          el("td", { "data-label": "Skills still needed" }, (t.missing || []).join(", ") || "—"),
        )))),
    ].filter(Boolean));
    result.hidden = false;
  }

  function scoreMeter(score) {
    const value = Math.max(0, Math.min(100, Number(score) || 0));
    const bar = el("span", { class: "meter-fill" });
    bar.style.width = `${value}%`; // CSSOM, allowed by the style-src policy (a style attribute would not be)
    return el("span", { class: "meter-row" },
      el("span", { class: "meter", "aria-hidden": "true" }, bar),
      el("span", { class: "meter-value" }, num(value)));
  }

  // ---------------------------------------------------------------------------------------------- rankings

  /** Fill a select with the stored documents of one kind, keeping the choice made before. */
  async function fillOptions(selectId, kind, errorId, none) {
    const select = $(selectId);
    let page;
    try {
      page = await fetchAll(kind);
    } catch (problem) {
      showError(errorId, humanError(problem));
      return;
    }
    const previous = select.value;
    const docs = page.data || [];
    select.replaceChildren(...docs.map((doc) => el("option", { value: doc.id }, optionLabel(doc))));
    if (!docs.length) select.append(el("option", { value: "" }, none));
    select.disabled = !docs.length;
    if (previous && docs.some((d) => d.id === previous)) select.value = previous;
  }

  function loadPoolOptions() {
    fillOptions("pool-resume", "resume", "pool-jobs-error", "No stored resume yet: upload one under Match");
    fillOptions("pool-job", "job", "pool-candidates-error", "No stored job post yet: upload one under Match");
  }

  /** One of the two rankings: the form's stored document, the route, and a table of the rows it returns. */
  async function onRanking(event, side) {
    event.preventDefault();
    const jobs = side === "jobs";
    const form = $(`pool-${side}-form`);
    const button = $(`pool-${side}-submit`);
    const status = $(`pool-${side}-status`);
    const errorId = `pool-${side}-error`;
    showError(errorId, "");
    const id = $(jobs ? "pool-resume" : "pool-job").value;
    if (!id) {
      showError(errorId, jobs ? "Choose a stored resume." : "Choose a stored job post.");
      return;
    }
    setBusy(form, button, true);
    try {
      status.textContent = jobs ? "Ranking your job posts…" : "Ranking your resumes…";
      const path = jobs ? `v1/resumes/${encodeURIComponent(id)}/jobs` : `v1/jobs/${encodeURIComponent(id)}/candidates`;
      const data = await api("POST", `${path}?top=20`);
      const rows = data.data || [];
      renderRanking(side, rows, data.count || 0);
      status.textContent = "";
      const name = (row) => (jobs ? row.title : row.filename) || "untitled";
      announce(rows.length
        ? `${plural(data.count || rows.length, jobs ? "job post" : "resume")} ranked; best: ${name(rows[0])}, ${num(rows[0].score)} out of 100.`
        : (jobs ? "No stored job posts to rank." : "No stored resumes to rank."));
    } catch (problem) {
      status.textContent = "";
      showError(errorId, humanError(problem));
    } finally {
      setBusy(form, button, false);
    }
  }

  function renderRanking(side, rows, count) {
    const jobs = side === "jobs";
    const result = $(`pool-${side}-result`);
    const what = jobs ? "Job post" : "Resume";
    result.replaceChildren(
      el("p", { class: "help" }, rows.length
        ? `The best ${rows.length} of ${count}, best first.`
        : (jobs ? "No stored job posts yet." : "No stored resumes yet.")),
      rows.length ? el("table", { class: "titles stack", id: `pool-${side}-table` },
        el("thead", {}, el("tr", {},
          el("th", { scope: "col", class: "num" }, "Rank"),
          el("th", { scope: "col" }, what),
          el("th", { scope: "col" }, "Score"),
          el("th", { scope: "col" }, "Skills still needed"))),
        el("tbody", {}, rows.map((row, i) => el("tr", {},
          el("td", { class: "num", "data-label": "Rank" }, String(i + 1)),
          el("th", { scope: "row", "data-label": what }, (jobs ? row.title : row.filename) || "untitled"),
          el("td", { "data-label": "Score" }, scoreMeter(row.score)),
          el("td", { "data-label": "Skills still needed" }, (row.missing || []).join(", ") || "—"),
        )))) : null,
    );
    result.hidden = false;
  }

  // ------------------------------------------------------------------------------------------------ documents

  const documentLists = { resume: [], job: [] };

  async function loadDocuments() {
    showError("documents-error", "");
    $("documents-status").textContent = "Loading…";
    try {
      const [resumes, jobs] = await Promise.all([fetchAll("resume"), fetchAll("job")]);
      renderDocuments("resume", resumes, false);
      renderDocuments("job", jobs, false);
      $("documents-status").textContent = "";
    } catch (problem) {
      $("documents-status").textContent = "";
      showError("documents-error", humanError(problem));
    }
  }

  function renderDocuments(kind, page, append) {
    const docs = append ? documentLists[kind].concat(page.data || []) : page.data || [];
    documentLists[kind] = docs;
    const total = Math.max(page.count || 0, docs.length);
    const container = $(`documents-${kind}`);
    const what = kind === "resume" ? "resume" : "job post";
    if (!docs.length) {
      container.replaceChildren(el("p", { class: "help empty" }, `No ${what}s stored.`));
      return;
    }
    const table = el("table", { class: "documents stack", id: `documents-${kind}-table` },
      el("caption", { class: "visually-hidden" }, `${kind === "resume" ? "Resumes" : "Job posts"}: ${total}`),
      el("thead", {}, el("tr", {},
        el("th", { scope: "col" }, "Name"),
        el("th", { scope: "col" }, "Type"),
        el("th", { scope: "col" }, "Added"),
        el("th", { scope: "col", class: "num" }, "Skills"),
        el("th", { scope: "col" }, el("span", { class: "visually-hidden" }, "Actions")))),
      el("tbody", {}, docs.map((doc) => documentRow(kind, doc))),
    );
    const more = docs.length < total
      ? el("button", {
        type: "button", class: "button", onclick: async () => {
          try {
            const path = kind === "resume" ? "v1/resumes" : "v1/jobs";
            const next = await api("GET", `${path}?limit=${PAGE_SIZE}&offset=${docs.length}`);
            renderDocuments(kind, next, true);
          } catch (problem) {
            showError("documents-error", humanError(problem));
          }
        },
      }, `Show more (${total - docs.length} more)`)
      : null;
    container.replaceChildren(el("p", { class: "help" }, `${plural(total, what)}.`), table, more || "");
  }

  function skillCount(doc) {
    if (Array.isArray(doc.skills)) return doc.skills.length;
    if (doc.skill_count != null) return doc.skill_count;
    return "—";
  }

  const FORMATS = { pdf: "PDF", docx: "Word", html: "HTML", markdown: "Markdown", text: "Text", jsonresume: "JSON Resume" };

  function formatText(doc) {
    const format = FORMATS[doc.format] || doc.format || "—";
    return doc.pages > 1 ? `${format}, ${doc.pages} pages` : format;
  }

  function documentRow(kind, doc) {
    const name = documentName(doc);
    const added = doc.created_at ? new Date(doc.created_at) : null;
    const actions = el("td", { class: "actions-cell", "data-label": "Actions" });
    const row = el("tr", { "data-id": doc.id },
      el("th", { scope: "row", "data-label": "Name" }, name),
      el("td", { "data-label": "Type" }, formatText(doc)),
      el("td", { "data-label": "Added" },
        added ? el("time", { datetime: doc.created_at }, added.toLocaleString()) : "—"),
      el("td", { class: "num", "data-label": "Skills" }, String(skillCount(doc))),
      actions,
    );
    const showDelete = () => {
      const button = el("button", {
        type: "button", class: "button danger-outline", "aria-label": `Delete ${name}`,
        onclick: () => askConfirm(),
      }, "Delete");
      actions.replaceChildren(button);
      return button;
    };
    const askConfirm = () => {
      const yes = el("button", {
        type: "button", class: "button danger", onclick: () => remove(),
      }, "Yes, delete");
      actions.replaceChildren(
        el("span", { class: "confirm-text" }, `Delete ${name} and its reports?`), " ",
        yes, " ",
        el("button", { type: "button", class: "button", onclick: () => showDelete().focus() }, "Cancel"),
      );
      yes.focus();
    };
    const remove = async () => {
      try {
        await api("DELETE", `${kind === "resume" ? "v1/resumes" : "v1/jobs"}/${encodeURIComponent(doc.id)}`);
      } catch (problem) {
        if (problem.code !== "not_found") {
          showError("documents-error", humanError(problem));
          showDelete().focus();
          return;
        }
      }
      forgetStored(doc.id);
      if (lastResumeId === doc.id) lastResumeId = null;
      const next = row.nextElementSibling || row.previousElementSibling;
      documentLists[kind] = documentLists[kind].filter((d) => d.id !== doc.id);
      row.remove();
      announce(`Deleted ${name}.`);
      $("documents-status").textContent = `Deleted ${name}.`;
      const focusTarget = next && next.querySelector("button");
      if (focusTarget) focusTarget.focus();
      else $("documents-heading").focus();
      if (!documentLists[kind].length) await loadDocuments();
    };
    showDelete();
    return row;
  }

  // ---------------------------------------------------------------------------------------------------- start

  function start() {
    setKey(getKey());
    $("key-form").addEventListener("submit", onKeySubmit);
    $("key-forget").addEventListener("click", onKeyForget);
    $("match-form").addEventListener("submit", onMatch);
    $("titles-form").addEventListener("submit", onTitles);
    $("pool-jobs-form").addEventListener("submit", (event) => onRanking(event, "jobs"));
    $("pool-candidates-form").addEventListener("submit", (event) => onRanking(event, "candidates"));
    setupFileInput("resume-file", "resume-chosen", "resume-error");
    setupFileInput("job-file", "job-chosen", "job-error");
    for (const zone of document.querySelectorAll(".dropzone")) setupDropzone(zone);
    // a file dropped next to a drop zone must not make the browser leave the page to show it
    window.addEventListener("dragover", (event) => event.preventDefault());
    window.addEventListener("drop", (event) => event.preventDefault());
    window.addEventListener("hashchange", () => showView(window.location.hash.slice(1), true));
    if (config.auth_required && !getKey()) requireKey("");
    showView(window.location.hash.slice(1), false);
    document.documentElement.dataset.ready = "true";
  }

  start();
}());
