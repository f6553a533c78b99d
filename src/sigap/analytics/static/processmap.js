// The process map of sigap's analysis report (sigap.analytics.processmap), inlined in the page.
// It reads the JSON just before this script and draws with textContent only: names from the log
// never reach the page as markup. No network, no library: the report works from a file.
(function () {
  var me = document.currentScript;
  var d = JSON.parse(me.previousElementSibling.textContent);
  var root = me.parentNode;
  var NS = 'http://www.w3.org/2000/svg';
  var W = d.box[0], H = d.box[1], GX = d.box[2], GY = d.box[3], P = d.box[4], M = d.box[5];
  var TW = 96;
  var acts = root.querySelector('.sgpm-acts');
  var paths = root.querySelector('.sgpm-paths');
  var actsOut = root.querySelector('.sgpm-acts-status');
  var pathsOut = root.querySelector('.sgpm-paths-status');
  var svg = root.querySelector('svg');
  var g = svg.querySelector('.sgpm-g');
  var START = -1, END = -2;  // as in the edges' data

  function pct(x) {
    var t = (x * 100).toFixed(1);
    return d.lang === 'id' ? t.replace('.', ',') + ' %' : t + '%';
  }
  function fill(s, o) {
    return s.replace(/\{(\w+)\}/g, function (m, k) { return k in o ? o[k] : m; });
  }
  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function tip(parent, text) {
    el('title', {}, parent).textContent = text;
  }
  // As processmap.kept_edges: the most frequent edges of the level covering q of its
  // transitions (at least one), plus each node's heaviest edge out and in.
  function kept(edges, q) {
    var total = 0, keep = {}, acc = 0, hasIn = {}, hasOut = {}, j, e;
    for (j = 0; j < edges.length; j++) total += edges[j][2];
    for (j = 0; j < edges.length; j++) {
      if (j === 0 || acc < q * total - 1e-9) { keep[j] = true; acc += edges[j][2]; }
    }
    for (j = 0; j < edges.length; j++) {
      e = edges[j];
      if (e[0] === e[1]) continue;
      if (!hasOut[e[0]]) { hasOut[e[0]] = true; keep[j] = true; }
      if (!hasIn[e[1]]) { hasIn[e[1]] = true; keep[j] = true; }
    }
    var out = [], sum = 0;
    for (j = 0; j < edges.length; j++) if (keep[j]) { out.push(j); sum += edges[j][2]; }
    return {edges: out, total: edges.length, share: total ? sum / total : 0};
  }
  // As processmap.coordinates: visible boxes of a layer packed left to right in their order,
  // empty layers dropped, rows centred. START is node L.k, END node L.k + 1.
  function place(L, k) {
    var vis = [], rows = {}, keys = [], pos = {}, j, m, v;
    for (j = 0; j < k; j++) vis.push(j);
    vis.push(L.k, L.k + 1);
    vis.sort(function (a, b) {
      return (L.layer[a] - L.layer[b]) || (L.order[a] - L.order[b]);
    });
    for (j = 0; j < vis.length; j++) {
      v = vis[j];
      if (!(L.layer[v] in rows)) { rows[L.layer[v]] = []; keys.push(L.layer[v]); }
      rows[L.layer[v]].push(v);
    }
    var widest = 0;
    for (j = 0; j < keys.length; j++) widest = Math.max(widest, rows[keys[j]].length);
    rowLeft = []; rowRight = [];
    for (j = 0; j < keys.length; j++) {
      var row = rows[keys[j]];
      var left = P + M + Math.floor((widest - row.length) * (W + GX) / 2);
      rowLeft.push(left);
      rowRight.push(left + row.length * (W + GX) - GX);
      for (m = 0; m < row.length; m++) {
        // [x, y, row, width]: START and END are narrower pills centred in their slot.
        var w = row[m] >= L.k ? TW : W;
        pos[row[m]] = [left + m * (W + GX) + (W - w) / 2, P + j * (H + GY), j, w];
      }
    }
    return {pos: pos, w: 2 * P + 2 * M + widest * (W + GX), h: 2 * P + keys.length * (H + GY)};
  }
  function short(s) {
    var a = Array.from(s);
    return a.length > 27 ? a.slice(0, 26).join('') + '\u2026' : s;
  }
  var layerEdges, layerLabels, rowLeft, rowRight;
  // The outermost edge of the rows from a to b (exclusive), so a route passes beside them all.
  function outer(a, b, side) {
    var lo = Math.min(a, b) + 1, hi = Math.max(a, b), x = side < 0 ? Infinity : -Infinity;
    for (var r = lo; r < hi; r++) x = side < 0 ? Math.min(x, rowLeft[r]) : Math.max(x, rowRight[r]);
    return x;
  }
  // Down the page: bottom of the source to the top of the target. Back (or sideways): round
  // the right of both boxes. A loop: a small arc on the right of its box.
  function edge(a, b, count, max, label, title, kind) {
    var w = 1 + 6 * Math.sqrt(count / max), p, lx, ly, anchor = 'middle';
    if (a === b) {
      var x = a[0] + a[3], y = a[1];
      p = 'M' + x + ',' + (y + H * 0.3) + 'C' + (x + 45) + ',' + (y - 10) + ' ' +
        (x + 45) + ',' + (y + H + 10) + ' ' + x + ',' + (y + H * 0.7);
      lx = x + 38; ly = y + H / 2 + 4; anchor = 'start';  // beside the arc, not on it
    } else if (b[2] === a[2] + 1) {
      var x1 = a[0] + a[3] / 2, y1 = a[1] + H, x2 = b[0] + b[3] / 2, y2 = b[1], my = (y1 + y2) / 2;
      p = 'M' + x1 + ',' + y1 + 'C' + x1 + ',' + my + ' ' + x2 + ',' + my + ' ' + x2 + ',' + y2;
      // Beside the line, not across it.
      lx = (x1 + x2) / 2 + w / 2 + 4; ly = my + 4; anchor = 'start';
    } else if (b[2] > a[2]) {
      // Skipping rows: round the left of the boxes in between rather than through them.
      var fx = a[0], fy = a[1] + H / 2, ux = b[0], uy = b[1] + H / 2;
      var lxx = Math.min(fx, ux, outer(a[2], b[2], -1)) - Math.min(M - 10, 20 + 8 * (b[2] - a[2]));
      p = 'M' + fx + ',' + fy + 'C' + lxx + ',' + fy + ' ' + lxx + ',' + uy + ' ' + ux + ',' + uy;
      lx = (fx + 6 * lxx + ux) / 8; ly = (fy + uy) / 2;
    } else {
      var sx = a[0] + a[3], sy = a[1] + H / 2, tx = b[0] + b[3], ty = b[1] + H / 2;
      var bx = Math.max(sx, tx, outer(a[2], b[2], 1)) + Math.min(M - 10, 20 + 8 * Math.abs(a[2] - b[2]));
      p = 'M' + sx + ',' + sy + 'C' + bx + ',' + sy + ' ' + bx + ',' + ty + ' ' + tx + ',' + ty;
      lx = (sx + 6 * bx + tx) / 8; ly = (sy + ty) / 2;
    }
    var path = el('path', {
      'class': 'sgpm-edge ' + kind, d: p, 'stroke-width': w.toFixed(1),
      'stroke-opacity': (0.35 + 0.65 * Math.sqrt(count / max)).toFixed(2),
      'marker-end': 'url(#' + d.id + '-arrow)'
    }, layerEdges);
    tip(path, title);
    var t = el('text', {
      'class': 'sgpm-label', x: lx.toFixed(0), y: ly.toFixed(0), 'text-anchor': anchor
    }, layerLabels);
    t.textContent = label;
    tip(t, title);
  }
  // Edge labels sit where their curve is, so two curves side by side, or a curve passing a
  // box, put one label over another or under a box. Move each label (heaviest edge first: the
  // edges come sorted by count) up or down, a line at a time, to the nearest free place; a label
  // with no free place within a row's height stays where it was.
  function unclutter(pos) {
    var taken = [], labels = layerLabels.childNodes, j, i, n;
    for (n in pos) taken.push([pos[n][0], pos[n][1], pos[n][3], H]);
    function free(b) {
      for (var m = 0; m < taken.length; m++) {
        var o = taken[m];
        if (b.x < o[0] + o[2] && o[0] < b.x + b.width && b.y < o[1] + o[3] && o[1] < b.y + b.height) {
          return false;
        }
      }
      return true;
    }
    for (j = 0; j < labels.length; j++) {
      var t = labels[j], b = t.getBBox(), y0 = +t.getAttribute('y');
      if (!b.width) return;  // not rendered (a hidden page): nothing can be measured
      var step = b.height + 1, best = 0;
      for (i = 0; i <= 2 * Math.ceil((H + GY) / step); i++) {
        var dy = (i % 2 ? 1 : -1) * Math.ceil(i / 2) * step;
        if (free({x: b.x, y: b.y + dy, width: b.width, height: b.height})) { best = dy; break; }
      }
      if (best) t.setAttribute('y', (y0 + best).toFixed(0));
      taken.push([b.x, b.y + best, b.width, b.height]);
    }
  }
  function draw() {
    var L = d.levels[+acts.value], k = L.k, q = +paths.value / 100, placed = place(L, k);
    var pos = placed.pos, r = kept(L.edges, q), S = L.k, E = L.k + 1, max = 1, j, e, a;
    // Widths and shades are relative to what is shown, so a filtered map keeps its contrast.
    while (g.firstChild) g.removeChild(g.firstChild);
    layerEdges = el('g', {}, g);
    layerLabels = el('g', {}, g);
    var nodes = el('g', {}, g);
    for (j = 0; j < r.edges.length; j++) max = Math.max(max, L.edges[r.edges[j]][2]);
    var node = function (n) { return n === START ? S : n === END ? E : n; };
    var name = function (n) {
      return n === START ? d.text.start : n === END ? d.text.end : d.activities[n][0];
    };
    for (j = 0; j < r.edges.length; j++) {
      e = L.edges[r.edges[j]];
      // e[4]: passages through hidden activities, drawn dotted and told in the tooltip.
      edge(pos[node(e[0])], pos[node(e[1])], e[2], max, e[3],
        name(e[0]) + ' \u2192 ' + name(e[1]) + ': ' + e[3] +
        (e[4] ? ' (' + fill(d.text.through, {n: e[4]}) + ')' : ''),
        e[0] < 0 || e[1] < 0 ? 'sgpm-term' : e[4] ? 'sgpm-through' : '');
    }
    [[S, d.text.start, '#17803d'], [E, d.text.end, '#b42318']].forEach(function (x) {
      var p = pos[x[0]];
      var c = el('rect', {
        'class': 'sgpm-terminal', x: p[0], y: p[1], width: p[3], height: H, rx: H / 2, fill: x[2]
      }, nodes);
      tip(c, x[1]);
      var t = el('text', {
        x: p[0] + p[3] / 2, y: p[1] + H / 2 + 4, 'text-anchor': 'middle', fill: '#fff',
        'font-weight': 'bold'
      }, nodes);
      t.textContent = x[1];
    });
    var top = 1;
    for (j = 0; j < k; j++) top = Math.max(top, d.activities[j][3]);
    for (j = 0; j < k; j++) {
      a = d.activities[j];
      var p = pos[j], f = Math.sqrt(a[3] / top), ink = f > 0.7 ? '#fff' : '#111';
      var box = el('g', {'class': 'sgpm-box'}, nodes);
      tip(box, a[2]);
      el('rect', {
        'class': 'sgpm-node' + (a[4] & 1 ? ' sgpm-start' : '') + (a[4] & 2 ? ' sgpm-end' : ''),
        x: p[0], y: p[1], width: W, height: H, rx: 6,
        fill: 'hsl(214,70%,' + (95 - 50 * f).toFixed(0) + '%)', 'data-i': j
      }, box);
      var t1 = el('text', {
        x: p[0] + W / 2, y: p[1] + 19, 'text-anchor': 'middle', 'font-weight': 'bold', fill: ink
      }, box);
      t1.textContent = short(a[0]);
      var t2 = el('text', {x: p[0] + W / 2, y: p[1] + 35, 'text-anchor': 'middle', fill: ink}, box);
      t2.textContent = a[1];
    }
    svg.setAttribute('width', placed.w);
    svg.setAttribute('height', placed.h);
    svg.setAttribute('viewBox', '0 0 ' + placed.w + ' ' + placed.h);
    unclutter(pos);
    actsOut.textContent = fill(d.text.acts_status,
      {k: k, n: d.activities.length, cover: pct(d.cover[k])});
    acts.setAttribute('aria-valuetext', actsOut.textContent);
    pathsOut.textContent = fill(d.text.paths_status,
      {m: r.edges.length, t: r.total, share: pct(r.share)});
  }
  acts.addEventListener('input', draw);
  paths.addEventListener('input', draw);
  draw();
})();
