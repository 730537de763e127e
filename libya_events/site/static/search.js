// Search in the browser over window.LIBYA_EVENTS_SEARCH (static/search-index.js, written at
// build time): each document is [type, url, title, meta, text]. Every word of the query must
// begin a word of the document; titles weigh most. No network request: works from file://.
(function () {
  "use strict";
  var docs = window.LIBYA_EVENTS_SEARCH || [];
  var ORDER = { event: 0, actor: 1, statement: 2 };
  var LIMIT = 100;

  // Letters Unicode does not decompose (Arabic alef maqsura, teh marbuta, ...), folded as
  // libya_events.names folds them for find_actor: the table is written by the site build.
  var LETTERS = window.LIBYA_EVENTS_FOLDS || {};
  var VARIANTS = new RegExp("[" + Object.keys(LETTERS).join("") + "]", "g");
  function fold(text) {
    // Lower case, accents and Arabic diacritics dropped, so "Cavusoglu" finds "Çavuşoğlu"
    // and "خليفه" finds "خليفة".
    var folded = String(text).normalize("NFKC").toLowerCase().normalize("NFKD")
      .replace(/\p{M}/gu, "");
    return Object.keys(LETTERS).length ? folded.replace(VARIANTS, function (c) {
      return LETTERS[c];
    }) : folded;
  }
  function words(text) {
    return fold(text).match(/[\p{L}\p{N}]+/gu) || [];
  }
  var prepared = docs.map(function (d) {
    return {
      doc: d,
      title: words(d[2]),
      rest: words(d[3] + " " + d[4])
    };
  });

  function score(item, terms) {
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i], best = 0;
      for (var j = 0; j < item.title.length; j++) {
        var w = item.title[j];
        if (w === t) { best = 10; break; }
        if (w.indexOf(t) === 0) best = Math.max(best, 6);
      }
      if (best < 6) {
        for (var k = 0; k < item.rest.length; k++) {
          var r = item.rest[k];
          if (r === t) { best = Math.max(best, 3); break; }
          if (r.indexOf(t) === 0) best = Math.max(best, 1);
        }
      }
      if (best === 0) return 0;
      total += best;
    }
    return total;
  }

  function search(query) {
    var terms = words(query);
    if (!terms.length) return [];
    var found = [];
    prepared.forEach(function (item) {
      var s = score(item, terms);
      if (s > 0) found.push({ score: s, doc: item.doc });
    });
    found.sort(function (a, b) {
      return b.score - a.score || ORDER[a.doc[0]] - ORDER[b.doc[0]] ||
        (a.doc[2] < b.doc[2] ? -1 : a.doc[2] > b.doc[2] ? 1 : 0);
    });
    return found;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;  // text, never HTML: data is escaped
    return node;
  }

  function show(query) {
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    list.textContent = "";
    var found = search(query);
    if (!words(query).length) {
      status.textContent = "Type a word or two; every word must match the start of a word.";
      return;
    }
    status.textContent = found.length === 0 ? "Nothing found for \u201c" + query + "\u201d." :
      found.length + (found.length === 1 ? " result" : " results") + " for \u201c" + query + "\u201d" +
      (found.length > LIMIT ? "; the first " + LIMIT + " are shown." : ".");
    found.slice(0, LIMIT).forEach(function (hit) {
      var d = hit.doc;
      var item = element("li");
      item.appendChild(element("span", "kind", d[0]));
      item.appendChild(document.createTextNode(" "));
      var link = element("a", null, d[2]);
      link.href = d[1];
      link.dir = "auto";
      item.appendChild(link);
      if (d[3]) item.appendChild(element("div", "meta", d[3]));
      if (d[4]) {
        var text = d[4].length > 220 ? d[4].slice(0, 220) + "\u2026" : d[4];
        var p = element("div", "muted", text);
        p.dir = "auto";
        item.appendChild(p);
      }
      list.appendChild(item);
    });
  }

  var input = document.getElementById("q");
  var form = document.getElementById("search-form");
  var initial = new URLSearchParams(window.location.search).get("q") || "";
  input.value = initial;
  show(initial);
  input.addEventListener("input", function () { show(input.value); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value);
    try {
      window.history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    } catch (e) { /* some browsers refuse history on file:// */ }
  });
})();
