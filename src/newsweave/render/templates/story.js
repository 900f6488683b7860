/* newsweave story page: clicking a citation shows the cited words in place (the URL carries
   it, #cite-N, so Back closes it); "show in the article" opens the article's text and highlights
   the cited span. Offsets are Python string indexes (code points); JS strings count UTF-16 units,
   so they are converted before a Range is made. Shared by the HTML report and the web app. */
(function () {
  'use strict';
  function units(s, cp) {
    var u = 0;
    for (var i = 0; i < cp && u < s.length; i++) {
      var c = s.charCodeAt(u);
      u += (c >= 0xD800 && c < 0xDC00) ? 2 : 1;
    }
    return u;
  }
  function cpLength(s) { return Array.from(s).length; }
  function clear() {
    document.querySelectorAll('mark.hl').forEach(function (m) {
      var p = m.parentNode;
      p.replaceChild(document.createTextNode(m.textContent), m);
      p.normalize();
    });
    document.querySelectorAll('a.cite.active').forEach(function (a) { a.classList.remove('active'); });
  }
  function highlight(body, start, end) {
    clear();
    if (!body) return null;
    var det = body.closest('details');
    if (det) det.open = true;
    var first = null;
    body.querySelectorAll('.kept').forEach(function (chunk) {
      var text = chunk.firstChild;
      if (!text || text.nodeType !== 3) return;
      var s0 = +chunk.getAttribute('data-start');
      var n = cpLength(text.data);
      var a = Math.max(start, s0) - s0, b = Math.min(end, s0 + n) - s0;
      if (a >= b) return;
      var range = document.createRange();
      range.setStart(text, units(text.data, a));
      range.setEnd(text, units(text.data, b));
      var mark = document.createElement('mark');
      mark.className = 'hl';
      range.surroundContents(mark);
      if (!first) first = mark;
    });
    if (first) {
      first.setAttribute('tabindex', '-1');
      first.scrollIntoView({block: 'center'});
      first.focus({preventScroll: true});
    }
    return first;
  }
  function bodyOf(id) { return document.getElementById('body-' + id); }
  function cites() { return Array.prototype.slice.call(document.querySelectorAll('a.cite')); }
  function closePop() {
    document.querySelectorAll('.cite-pop').forEach(function (p) { p.remove(); });
    document.querySelectorAll('a.cite[aria-expanded]').forEach(function (a) {
      a.removeAttribute('aria-expanded');
    });
  }
  // The cited words shown in place, under the citation: the reader stays on the summary, the
  // URL says which citation is open (#cite-N), so Back closes it.
  function openPop(a) {
    closePop();
    var id = a.getAttribute('data-article');
    var start = +a.getAttribute('data-start'), end = +a.getAttribute('data-end');
    var pop = document.createElement('span');
    pop.className = 'cite-pop';
    pop.setAttribute('role', 'note');
    var head = document.createElement('span');
    head.className = 'cite-pop-head';
    head.textContent = a.getAttribute('data-label') || id;
    var words = document.createElement('q');
    words.textContent = a.getAttribute('data-text') || '';
    pop.appendChild(head);
    pop.appendChild(words);
    var body = bodyOf(id);
    var go = document.createElement('a');
    go.className = 'cite-go';
    go.href = a.getAttribute('href');
    go.textContent = 'show in the article';
    if (body) {
      go.addEventListener('click', function (ev) {
        ev.preventDefault();
        highlight(body, start, end);
      });
    }
    pop.appendChild(go);
    var last = a;  // after the whole run of citations, so "[1][3]" stays together
    while (last.nextElementSibling && last.nextElementSibling.matches('a.cite')) {
      last = last.nextElementSibling;
    }
    last.insertAdjacentElement('afterend', pop);
    a.setAttribute('aria-expanded', 'true');
    return pop;
  }
  document.addEventListener('click', function (ev) {
    var a = ev.target.closest && ev.target.closest('a.cite');
    if (!a || !a.hasAttribute('data-text')) return;
    ev.preventDefault();
    var key = '#cite-' + cites().indexOf(a);
    if (location.hash === key) { openPop(a); return; }
    history.pushState(null, '', key);
    openPop(a);
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape' && document.querySelector('.cite-pop')) history.back();
  });
  function fromHash() {
    var c = /^#cite-(\d+)$/.exec(location.hash);
    if (c) {
      var a = cites()[+c[1]];
      if (a) { openPop(a); return; }
    }
    closePop();
    var m = /^#hl=(\d+)-(\d+)$/.exec(location.hash);
    var body = document.querySelector('.body[data-article]');
    if (m && body) highlight(body, +m[1], +m[2]);
  }
  window.addEventListener('popstate', fromHash);
  window.addEventListener('hashchange', fromHash);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fromHash);
  else fromHash();
  window.newsweave = {highlight: function (id, s, e) { return highlight(bodyOf(id), s, e); }};
})();
