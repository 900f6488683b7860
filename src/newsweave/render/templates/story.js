/* newsweave story page: clicking a citation opens the cited article's text and highlights the
   cited span. Offsets are Python string indexes (code points); JS strings count UTF-16 units,
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
  document.addEventListener('click', function (ev) {
    var a = ev.target.closest && ev.target.closest('a.cite');
    if (!a) return;
    var body = bodyOf(a.getAttribute('data-article'));
    if (!body) return;  // the article is not on this page: follow the link
    ev.preventDefault();
    highlight(body, +a.getAttribute('data-start'), +a.getAttribute('data-end'));
    a.classList.add('active');
  });
  function fromHash() {
    var m = /^#hl=(\d+)-(\d+)$/.exec(location.hash);
    var body = document.querySelector('.body[data-article]');
    if (m && body) highlight(body, +m[1], +m[2]);
  }
  window.addEventListener('hashchange', fromHash);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fromHash);
  else fromHash();
  window.newsweave = {highlight: function (id, s, e) { return highlight(bodyOf(id), s, e); }};
})();
