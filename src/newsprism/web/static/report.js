// newsprism report: select a claim to highlight it in every article. The page reads fine
// without this script (claim links then jump to the claim's first occurrence).
(function () {
  "use strict";
  var status = document.getElementById("claim-status");
  var current = null;

  function all(selector) {
    return Array.prototype.slice.call(document.querySelectorAll(selector));
  }

  // Claim ids come from the report, so they are compared as data, never built into a selector.
  function withClaim(id, selector) {
    return all(selector).filter(function (el) { return el.getAttribute("data-claim") === id; });
  }

  function claimIds() {
    var seen = [];
    all(".claims .claim-pick").forEach(function (el) {
      var id = el.getAttribute("data-claim");
      if (seen.indexOf(id) < 0) { seen.push(id); }
    });
    return seen;
  }

  function clear() {
    all("mark.claim.selected").forEach(function (m) { m.classList.remove("selected"); });
    all(".claim-pick[aria-pressed='true']").forEach(function (b) {
      b.setAttribute("aria-pressed", "false");
    });
    current = null;
    if (status) { status.textContent = ""; }
  }

  function select(id, scroll) {
    clear();
    current = id;
    var marks = withClaim(id, "mark.claim");
    marks.forEach(function (m) { m.classList.add("selected"); });
    withClaim(id, ".claim-pick").forEach(function (b) { b.setAttribute("aria-pressed", "true"); });
    var articles = [];
    marks.forEach(function (m) {
      var art = m.closest("article");
      var tag = art && art.querySelector(".tag");
      if (tag && articles.indexOf(tag.textContent) < 0) { articles.push(tag.textContent); }
    });
    if (status) {
      status.textContent = "Claim " + id + " highlighted in " + articles.length +
        (articles.length === 1 ? " article" : " articles") +
        (articles.length ? " (" + articles.join(", ") + ")" : "") + ".";
    }
    if (scroll && marks.length) {
      marks[0].scrollIntoView({ block: "center" });
      marks[0].focus({ preventScroll: true });
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-claim]");
    if (!target) { return; }
    var id = target.getAttribute("data-claim");
    event.preventDefault();
    if (current === id) { clear(); return; }
    // A click inside an article's text keeps the reader's place; a click in a table jumps.
    select(id, !target.matches("mark.claim"));
  });

  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.ctrlKey ||
        event.metaKey || event.altKey) { return; }
    if (event.key === "Escape") { clear(); return; }
    if (event.key !== "j" && event.key !== "k") { return; }
    var ids = claimIds();
    if (!ids.length) { return; }
    var at = ids.indexOf(current);
    var next = event.key === "j" ? at + 1 : at - 1;
    if (next < 0) { next = ids.length - 1; }
    if (next >= ids.length) { next = 0; }
    select(ids[next], true);
  });
})();
