// ocrclean HTML report: document list (virtualized), lazy per-document diffs,
// accept/reject toggles and decisions export. Everything is in this file.
(function () {
  'use strict';
  var idx = JSON.parse(document.getElementById('index').textContent);
  var rules = idx.rules;   // [id, name, changes]
  var kinds = idx.kinds;   // kind names
  var docs = idx.docs;     // [name, hash, edits, flags, [ruleIdx], [kindIdx]]
  var over = new Map();    // "doc:edit" -> {v: 'a'|'r', ri}
  var ruleDec = new Map(); // ruleIdx -> 'a'|'r'
  idx.preset.forEach(function (p) { over.set(p[0] + ':' + p[1], { v: p[2], ri: p[3] }); });

  function esc(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function visible(s) {
    return s.replace(/\n/g, '\u21b5').replace(/ /g, '\u2423').replace(/\u3000/g, '\u25a1').replace(/\t/g, '\u2192');
  }

  // Per-document data, parsed on demand; a few are kept.
  var cache = new Map();
  function parseDoc(di) {
    return JSON.parse(document.getElementById('d' + di).textContent);
  }
  function docData(di) {
    var d = cache.get(di);
    if (!d) {
      d = parseDoc(di);
      if (cache.size >= 32) cache.delete(cache.keys().next().value);
      cache.set(di, d);
    }
    return d;
  }
  function decisionOf(di, ei, ri) {
    var o = over.get(di + ':' + ei);
    if (o) return o.v;
    return ruleDec.get(ri) || '';
  }

  // Filters and the virtualized list.
  var fName = document.getElementById('f-name');
  var fRule = document.getElementById('f-rule');
  var fKind = document.getElementById('f-kind');
  var fChanged = document.getElementById('f-changed');
  rules.forEach(function (r, i) {
    var o = document.createElement('option');
    o.value = String(i);
    o.textContent = r[0] + ' ' + r[1];
    fRule.appendChild(o);
  });
  kinds.forEach(function (k, i) {
    var o = document.createElement('option');
    o.value = String(i);
    o.textContent = k;
    fKind.appendChild(o);
  });
  var list = document.getElementById('list');
  var inner = document.getElementById('list-inner');
  var countEl = document.getElementById('count');
  var ROW = 28;
  var shown = [];
  var selected = -1;

  function applyFilters() {
    var name = fName.value.trim().toLowerCase();
    var rule = fRule.value === '' ? -1 : +fRule.value;
    var kind = fKind.value === '' ? -1 : +fKind.value;
    var ch = fChanged.value;
    shown = [];
    for (var i = 0; i < docs.length; i++) {
      var d = docs[i];
      if (ch === '1' && d[2] === 0) continue;
      if (ch === '0' && d[2] !== 0) continue;
      if (rule >= 0 && d[4].indexOf(rule) < 0) continue;
      if (kind >= 0 && d[5].indexOf(kind) < 0) continue;
      if (name && d[0].toLowerCase().indexOf(name) < 0) continue;
      shown.push(i);
    }
    countEl.textContent = shown.length + ' of ' + docs.length + ' documents';
    inner.style.height = shown.length * ROW + 'px';
    list.scrollTop = 0;
    drawRows();
  }
  function drawRows() {
    var top = list.scrollTop;
    var first = Math.max(0, Math.floor(top / ROW) - 5);
    var last = Math.min(shown.length, Math.ceil((top + list.clientHeight) / ROW) + 5);
    var html = '';
    for (var j = first; j < last; j++) {
      var di = shown[j];
      var d = docs[di];
      html += '<div class="row' + (di === selected ? ' sel' : '') + '" data-di="' + di + '" style="top:' + j * ROW +
        'px" title="' + esc(d[0]) + '">' + esc(d[0]) + '<span class="cnt">' + d[2] + ' changes \u00b7 ' + d[3] +
        ' flags</span></div>';
    }
    inner.innerHTML = html;
  }
  var ticking = false;
  list.addEventListener('scroll', function () {
    if (ticking) return;
    ticking = true;
    requestAnimationFrame(function () { ticking = false; drawRows(); });
  });
  inner.addEventListener('click', function (ev) {
    var row = ev.target.closest('.row');
    if (row) select(+row.dataset.di);
  });
  [fName, fRule, fKind, fChanged].forEach(function (el) {
    el.addEventListener(el === fName ? 'input' : 'change', applyFilters);
  });

  // The selected document's diff, rendered from its edit log.
  var view = document.getElementById('view');
  function select(di) {
    selected = di;
    drawRows();
    var meta = docs[di];
    var d = docData(di);
    var t = d.t;
    var flags = d.f; // [ruleIdx, kindIdx, start16, end16, action]
    var parts = [];
    function flagTitle(f) { return kinds[f[1]] + ' (' + rules[f[0]][0] + ', ' + f[4] + ')'; }
    function plain(a, b) {
      if (a >= b) return;
      var pts = [a, b];
      var near = [];
      for (var i = 0; i < flags.length; i++) {
        var f = flags[i];
        if (f[2] < b && f[3] > a && f[2] < f[3]) {
          near.push(f);
          if (f[2] > a) pts.push(f[2]);
          if (f[3] < b) pts.push(f[3]);
        }
      }
      if (!near.length) { parts.push(esc(t.slice(a, b))); return; }
      pts.sort(function (x, y) { return x - y; });
      for (var k = 0; k + 1 < pts.length; k++) {
        var x = pts[k], y = pts[k + 1];
        if (x >= y) continue;
        var cov = near.filter(function (f) { return f[2] <= x && f[3] >= y; });
        var s = esc(t.slice(x, y));
        if (cov.length) {
          parts.push('<mark class="flag k-' + kinds[cov[0][1]] + '" title="' + esc(cov.map(flagTitle).join('; ')) + '">' + s + '</mark>');
        } else {
          parts.push(s);
        }
      }
    }
    var pos = 0;
    d.e.forEach(function (e, ei) {
      // e = [ruleIdx, start16, end16, after, startByte, endByte, [mergedRuleIdx]]
      plain(pos, e[1]);
      var before = t.slice(e[1], e[2]);
      var st = decisionOf(di, ei, e[0]);
      var fl = flags.filter(function (f) { return f[2] < Math.max(e[2], e[1] + 1) && e[1] < f[3]; });
      var label = [e[0]].concat(e[6]).map(function (r) { return rules[r][0]; }).join('+');
      var title = [e[0]].concat(e[6]).map(function (r) { return rules[r][0] + ' ' + rules[r][1]; }).join(' + ');
      if (fl.length) title += ' \u2014 flags: ' + fl.map(flagTitle).join('; ');
      parts.push('<span class="chg' + (st ? ' s-' + st : '') + (fl.length ? ' flagged' : '') + '" data-ei="' + ei +
        '" data-ri="' + e[0] + '" title="' + esc(title) + '"><del>' + esc(visible(before)) + '</del><ins>' +
        esc(visible(e[3])) + (e[3].indexOf('\n') >= 0 ? '\n' : '') + '</ins><sup class="lab">' + esc(label) +
        '</sup><button class="acc" type="button" title="accept">\u2713</button><button class="rej" type="button" title="reject">\u2717</button></span>');
      pos = e[2];
    });
    plain(pos, t.length);
    var inDoc = {};
    d.e.forEach(function (e) { inDoc[e[0]] = (inDoc[e[0]] || 0) + 1; });
    var legend = Object.keys(inDoc).map(function (r) {
      return '<span><code>' + esc(rules[r][0]) + '</code> ' + esc(rules[r][1]) + ' \u00d7' + inDoc[r] + '</span>';
    }).join('');
    var fk = {};
    flags.forEach(function (f) { fk[f[1]] = (fk[f[1]] || 0) + 1; });
    legend += Object.keys(fk).map(function (k) {
      return '<span class="flag k-' + kinds[k] + '">' + kinds[k] + ' \u00d7' + fk[k] + '</span>';
    }).join('');
    view.innerHTML = '<h2>' + esc(meta[0]) + '</h2><div class="meta">' + meta[2] + ' changes \u00b7 ' + meta[3] +
      ' flags \u00b7 ' + esc(meta[1].slice(0, 19)) + '\u2026 \u00b7 <label><input type="checkbox" id="plain"' +
      (plainView ? ' checked' : '') + '> hide labels and toggles</label></div><p class="legend">' + legend +
      '</p><div id="diff"' + (plainView ? ' class="plain"' : '') + '>' + parts.join('') + '</div>';
  }
  var plainView = false;
  view.addEventListener('change', function (ev) {
    if (ev.target.id !== 'plain') return;
    plainView = ev.target.checked;
    document.getElementById('diff').classList.toggle('plain', plainView);
  });
  view.addEventListener('click', function (ev) {
    var b = ev.target.closest('button');
    if (!b || selected < 0) return;
    var c = b.closest('.chg');
    if (!c) return;
    var ei = +c.dataset.ei, ri = +c.dataset.ri;
    var want = b.classList.contains('acc') ? 'a' : 'r';
    var key = selected + ':' + ei;
    // Clicking the current decision again makes the change undecided ('' overrides the rule's decision).
    var v = decisionOf(selected, ei, ri) === want ? '' : want;
    if (v === (ruleDec.get(ri) || '')) over.delete(key); else over.set(key, { v: v, ri: ri });
    var st = decisionOf(selected, ei, ri);
    c.classList.remove('s-a', 's-r');
    if (st) c.classList.add('s-' + st);
    updateDecided();
  });
  // Per-rule toggles.
  document.getElementById('rules').addEventListener('click', function (ev) {
    var b = ev.target.closest('button');
    if (!b) return;
    var ri = +b.dataset.rule;
    var v = b.classList.contains('rule-acc') ? 'a' : b.classList.contains('rule-rej') ? 'r' : '';
    if (v) ruleDec.set(ri, v); else ruleDec.delete(ri);
    over.forEach(function (o, k) { if (o.ri === ri) over.delete(k); });
    var row = b.closest('tr');
    row.querySelector('.rule-state').textContent = v === 'a' ? 'accepted' : v === 'r' ? 'rejected' : '';
    if (selected >= 0) select(selected);
    updateDecided();
  });

  var ruleCount = rules.map(function (r) { return r[2]; });
  function updateDecided() {
    var acc = 0, rej = 0;
    ruleDec.forEach(function (v, ri) { if (v === 'a') acc += ruleCount[ri]; else rej += ruleCount[ri]; });
    over.forEach(function (o) {
      var rd = ruleDec.get(o.ri);
      if (rd === o.v) return;
      if (rd === 'a') acc--; else if (rd === 'r') rej--;
      if (o.v === 'a') acc++; else if (o.v === 'r') rej++;
    });
    document.getElementById('decided').textContent = acc + ' accepted \u00b7 ' + rej + ' rejected';
  }

  // Export: the decisions file that `ocrclean apply --decisions` reads.
  function exportLines() {
    var withOver = new Set();
    over.forEach(function (o, k) { withOver.add(+k.split(':')[0]); });
    var out = [];
    for (var di = 0; di < docs.length; di++) {
      var d = docs[di];
      var touched = withOver.has(di) || d[4].some(function (ri) { return ruleDec.has(ri); });
      if (!touched) continue;
      var data = cache.get(di) || parseDoc(di);
      data.e.forEach(function (e, ei) {
        var v = decisionOf(di, ei, e[0]);
        if (!v) return;
        out.push(JSON.stringify({
          doc: d[0], hash: d[1], rule: rules[e[0]][0], start: e[4], end: e[5],
          before: data.t.slice(e[1], e[2]), after: e[3], decision: v === 'a' ? 'accept' : 'reject'
        }));
      });
    }
    return out.length ? out.join('\n') + '\n' : '';
  }
  document.getElementById('export').addEventListener('click', function () {
    var blob = new Blob([exportLines()], { type: 'application/x-ndjson' });
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'decisions.jsonl';
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  });
  window.ocrcleanExport = exportLines;

  applyFilters();
  updateDecided();
  if (shown.length) select(shown[0]);
  document.body.dataset.ready = '1';
  window.ocrcleanReady = performance.now();
})();
