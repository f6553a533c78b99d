// The variant explorer of sigap's analysis report (sigap.analytics.processmap), inlined in the
// page: a filter by activity over the table rows and the selected variant's steps, written
// with textContent only (activity names are text from the log, never markup).
(function () {
  var me = document.currentScript;
  var d = JSON.parse(me.previousElementSibling.textContent);
  var root = me.parentNode;
  var input = root.querySelector('.sgve-filter');
  var count = root.querySelector('.sgve-count');
  var detail = root.querySelector('.sgve-detail');
  var rows = root.querySelectorAll('tbody tr');
  var lower = d.names.map(function (n) { return n.toLowerCase(); });

  function fill(s, o) {
    return s.replace(/\{(\w+)\}/g, function (m, k) { return k in o ? o[k] : m; });
  }
  function num(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, d.lang === 'id' ? '.' : ',');
  }
  function show(i) {
    var v = d.variants[i], j;
    for (j = 0; j < rows.length; j++) {
      var on = +rows[j].getAttribute('data-v') === i;
      rows[j].classList.toggle('sgve-selected', on);
      rows[j].querySelector('button').setAttribute('aria-pressed', on ? 'true' : 'false');
    }
    while (detail.firstChild) detail.removeChild(detail.firstChild);
    var h = document.createElement('h4');
    h.textContent = fill(d.text.variant, {i: i + 1});
    detail.appendChild(h);
    var ol = document.createElement('ol');
    for (j = 0; j < v[0].length; j++) {
      var li = document.createElement('li');
      li.textContent = d.names[v[0][j]];
      ol.appendChild(li);
    }
    detail.appendChild(ol);
    if (v[1]) {
      var p = document.createElement('p');
      p.textContent = fill(d.text.more_steps, {n: num(v[1])});
      detail.appendChild(p);
    }
  }
  root.querySelector('tbody').addEventListener('click', function (ev) {
    var b = ev.target.closest('button.sgve-see');
    if (b) show(+b.getAttribute('data-v'));
  });
  input.addEventListener('input', function () {
    var q = input.value.trim().toLowerCase(), shown = 0;
    for (var j = 0; j < rows.length; j++) {
      var v = d.variants[+rows[j].getAttribute('data-v')], hit = !q;
      for (var m = 0; !hit && m < v[0].length; m++) hit = lower[v[0][m]].indexOf(q) >= 0;
      rows[j].hidden = !hit;
      if (hit) shown++;
    }
    count.textContent = fill(d.text.shown, {k: num(shown), n: num(d.total)});
  });
})();
