  /* ---------------------------------------------------------------- lab: the route panel */

  /* The route panel of the scenario lab (the router is lab.js): origin and destination by
   * search, k alternatives, totals, legs, services, "why this route"; Close / Reopen
   * buttons in the popups of links, places, border crossings, chokepoints and countries;
   * the state in the URL fragment (#route=a:b&close=x,y&k=2&by=hours&z=zoom/lat/lon) and
   * as a scenario TOML file. window.corridorsLab is its API (docs/lab.md). */

  var LAB_COLOURS = ['#1a1a1a', '#0072b2', '#d55e00', '#009e73', '#6a3d9a'];
  var LAB_KEYS = ['route', 'close', 'k', 'by', 'asof', 'z'];
  var KIND_WORDS = { segment: 'link', node: 'place', border: 'border', country: 'country', passage: 'passage' };

  function fmtH(h) { return h.toLocaleString('en-GB', { maximumFractionDigits: 1, minimumFractionDigits: 1 }) + ' h'; }
  function fmtKmWhole(km) { return Math.round(km).toLocaleString('en-GB') + ' km'; }
  function hashEncode(s) { return String(s).replace(/[^A-Za-z0-9_\-.:,/]/g, function (c) { return encodeURIComponent(c); }); }
  function readHash(text) {
    var out = {}, rest = [];
    String(text || '').replace(/^#/, '').split('&').forEach(function (part) {
      if (!part) { return; }
      var i = part.indexOf('='), k = i < 0 ? part : part.slice(0, i), v = i < 0 ? '' : part.slice(i + 1);
      if (LAB_KEYS.indexOf(k) >= 0) {
        try { out[k] = decodeURIComponent(v); } catch (err) { out[k] = v; }
      } else { rest.push(part); }
    });
    out.rest = rest;
    return out;
  }
  function tomlList(xs) { return '[' + xs.map(function (x) { return JSON.stringify(x); }).join(', ') + ']'; }

  function LabPanel(app, lab, data) {
    this.app = app;
    this.lab = lab;
    this.data = data;
    this.origin = null;
    this.destination = null;
    this.k = 1;
    this.by = 'hours';
    this.closures = [];
    this.asof = null;
    this.result = null;
    this.pieceGeo = {};
    var map = app.map, pane = map.createPane('cx-lab');
    pane.style.zIndex = 450;
    pane.style.pointerEvents = 'none';
    this.renderer = L.canvas({ pane: 'cx-lab', padding: 0.1 });
    this.drawn = L.layerGroup().addTo(map);
    this.build();
  }

  LabPanel.prototype.segName = function (sid) {
    var item = this.app.byId[sid];
    return item && item.props && item.props.n ? item.props.n : sid;
  };
  LabPanel.prototype.nodeName = function (nid) {
    var i = this.lab.nodeIndex[nid];
    return i === undefined ? nid : this.lab.nodes[i].name;
  };
  /* A closure tag as words: "border AFG-PAK", "link Karakoram Highway…". */
  LabPanel.prototype.tagLabel = function (tag) {
    var i = tag.indexOf(':'), kind = tag.slice(0, i), ref = tag.slice(i + 1), name = ref;
    if (kind === 'segment') { name = this.segName(ref); }
    if (kind === 'node') { name = this.nodeName(ref); }
    if (kind === 'passage' && this.lab.passages[ref]) { name = this.lab.passages[ref].name; }
    return KIND_WORDS[kind] + ' ' + name;
  };

  LabPanel.prototype.build = function () {
    var self = this, root = el('div', 'cx-lab');
    root.setAttribute('data-cx-part', 'lab');
    var head = el('button', 'cx-panel-toggle cx-lab-toggle', root, 'Route lab');
    head.type = 'button';
    var body = el('div', 'cx-panel-body cx-lab-body', root);
    el('p', 'cx-muted cx-lab-note', body, 'Routes on the ' + this.lab.scenario + ' network, in this page. ' +
      'Close links, places, borders or passages from their popups.');
    var form = el('div', 'cx-lab-form', body);
    var list = el('datalist', '', form);
    list.id = 'cx-lab-places';
    this.lab.nodes.slice().sort(function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; }).forEach(function (n) {
      var o = el('option', '', list);
      o.value = n.name + ' (' + n.id + ')';
    });
    function place(label, key) {
      var lab = el('label', 'cx-lab-field', form, label + ' ');
      var input = el('input', '', lab);
      input.type = 'search';
      input.setAttribute('list', 'cx-lab-places');
      input.setAttribute('data-cx-lab', key);
      input.setAttribute('autocomplete', 'off');
      input.placeholder = 'place name';
      input.addEventListener('change', function () { self.setPlace(key, input.value); });
      return input;
    }
    this.inOrigin = place('From', 'origin');
    this.inDest = place('To', 'destination');
    var opts = el('div', 'cx-lab-opts', form);
    var kl = el('label', '', opts, 'Routes ');
    this.inK = el('select', '', kl);
    this.inK.setAttribute('data-cx-lab', 'k');
    [1, 2, 3].forEach(function (k) { var o = el('option', '', self.inK, String(k)); o.value = String(k); });
    this.inK.addEventListener('change', function () { self.k = +self.inK.value; self.update(); });
    var bl = el('label', '', opts, ' by ');
    this.inBy = el('select', '', bl);
    this.inBy.setAttribute('data-cx-lab', 'by');
    [['hours', 'time'], ['length_km', 'length']].forEach(function (b) { var o = el('option', '', self.inBy, b[1]); o.value = b[0]; });
    this.inBy.addEventListener('change', function () { self.by = self.inBy.value; self.update(); });
    var swap = el('button', 'cx-lab-btn', opts, '\u21c4');
    swap.type = 'button';
    swap.title = 'Swap origin and destination';
    swap.addEventListener('click', function () { var o = self.origin; self.origin = self.destination; self.destination = o; self.update(); });
    this.closedBox = el('div', 'cx-lab-closed', body);
    this.out = el('div', 'cx-lab-out', body);
    this.out.setAttribute('aria-live', 'polite');
    var tools = el('div', 'cx-lab-tools', body);
    var tomlBtn = el('button', 'cx-lab-btn', tools, 'Copy as scenario TOML');
    tomlBtn.type = 'button';
    tomlBtn.setAttribute('data-cx-lab', 'toml');
    this.tomlBox = el('textarea', 'cx-lab-toml', body);
    this.tomlBox.readOnly = true;
    this.tomlBox.hidden = true;
    this.tomlBox.setAttribute('aria-label', 'Scenario TOML');
    tomlBtn.addEventListener('click', function () {
      self.tomlBox.value = self.toml();
      self.tomlBox.hidden = false;
      self.tomlBox.select();
      if (navigator.clipboard && navigator.clipboard.writeText) { navigator.clipboard.writeText(self.tomlBox.value).catch(function () {}); }
    });
    var clear = el('button', 'cx-lab-btn', tools, 'Reopen all');
    clear.type = 'button';
    clear.addEventListener('click', function () { self.closures = []; self.update(); });
    this.root = root;
    this.body = body;
    new Panel(root, { position: 'topleft', className: 'cx-lab-control' }).addTo(this.app.map);
    wireCollapse(root, true);
  };

  LabPanel.prototype.open = function () {
    var btn = this.root.querySelector('.cx-panel-toggle');
    if (this.body.hidden && btn) { btn.click(); }
  };

  LabPanel.prototype.setPlace = function (key, text) {
    var m = /\(([a-z0-9][a-z0-9_-]*)\)\s*$/.exec(text || ''), id = null;
    try { id = m && this.lab.nodeIndex[m[1]] !== undefined ? m[1] : this.lab.find(text); } catch (err) { id = null; this.message(String(err.message || err)); }
    this[key] = id;
    if (id) { this.update(); }
  };

  LabPanel.prototype.message = function (text) {
    this.out.textContent = '';
    el('p', 'cx-lab-error', this.out, text).setAttribute('role', 'alert');
  };

  /** Close (or reopen) a closure item; recomputes at once. */
  LabPanel.prototype.toggle = function (item, on) {
    var tag = this.lab.parseClosure(item), i = this.closures.indexOf(tag);
    if (on === undefined) { on = i < 0; }
    if (on && i < 0) { this.closures.push(tag); }
    if (!on && i >= 0) { this.closures.splice(i, 1); }
    this.update();
    return this.closures.slice();
  };

  LabPanel.prototype.compute = function () {
    if (!this.origin || !this.destination) { return null; }
    var self = this;
    return this.lab.route(this.origin, this.destination, { close: this.closures, k: this.k, by: this.by, segName: function (s) { return self.segName(s); } });
  };

  /** Recompute the routes and redraw the panel, the map and the URL fragment. */
  LabPanel.prototype.update = function () {
    this.closures = this.lab.closureTags(this.closures);
    this.inOrigin.value = this.origin ? this.nodeName(this.origin) + ' (' + this.origin + ')' : this.inOrigin.value;
    this.inDest.value = this.destination ? this.nodeName(this.destination) + ' (' + this.destination + ')' : this.inDest.value;
    this.inK.value = String(this.k);
    this.inBy.value = this.by;
    this.result = this.compute();
    this.renderClosed();
    this.renderResult();
    this.draw();
    this.writeHash();
    var pop = this._popup;
    if (pop && pop.node && pop.node.isConnected) { this.fillButtons(pop.box, pop.tags); }
    return this.result;
  };

  LabPanel.prototype.renderClosed = function () {
    var self = this, box = this.closedBox;
    box.textContent = '';
    if (!this.closures.length) { return; }
    el('b', '', box, 'Closed: ');
    this.closures.forEach(function (tag) {
      var chip = el('span', 'cx-lab-chip', box, self.tagLabel(tag) + ' ');
      chip.setAttribute('data-cx-lab-closed', tag);
      var x = el('button', 'cx-lab-x', chip, '\u00d7');
      x.type = 'button';
      x.title = 'Reopen';
      x.setAttribute('aria-label', 'Reopen ' + self.tagLabel(tag));
      x.addEventListener('click', function () { self.toggle(tag, false); });
    });
  };

  LabPanel.prototype.whyLines = function (r, i) {
    var self = this, lines = [];
    var what = this.by === 'hours' ? 'the least hours (moving time, border dwell, transfers and breaks of gauge)' : 'the shortest length';
    lines.push(i === 0
      ? 'Best route with ' + what + ' on the ' + this.lab.scenario + ' network' + (this.closures.length ? ', with ' + this.closures.map(function (t) { return self.tagLabel(t); }).join(', ') + ' closed' : '') + '.'
      : 'Alternative ' + (i + 1) + ': ' + r.differs_by.join('; ') + ' (shares at most 70 % of its length with the routes before it).');
    if (r.border_crossings.length) {
      lines.push('Depends on the borders ' + r.border_crossings.map(function (b) { return b.from + '>' + b.to + (b.at ? ' at ' + self.nodeName(b.at) : ''); }).join(', ') + '.');
    }
    if (r.chokepoints.length) { lines.push('Passes ' + r.chokepoints.map(function (c) { return self.lab.chokeName(c); }).join(', ') + '.'); }
    var notOp = r.legs.filter(function (l) { return l.status !== 'operational'; });
    if (notOp.length) {
      lines.push('Not yet operational: ' + uniqStrings(notOp.map(function (l) { return self.segName(l.segment) + ' (' + l.status.replace(/_/g, ' ') + ')'; })).join('; ') + '.');
    }
    var stops = r.transshipments.concat(r.gauge_breaks);
    if (stops.length) {
      lines.push(stops.map(function (t) { return t.kind.replace(/_/g, ' ') + ' at ' + self.nodeName(t.at) + ' (+' + t.hours + ' h)'; }).join('; ') + '.');
    }
    return lines;
  };
  function uniqStrings(xs) { return xs.filter(function (x, i) { return xs.indexOf(x) === i; }); }

  LabPanel.prototype.renderResult = function () {
    var self = this, out = this.out, res = this.result;
    out.textContent = '';
    if (!res) { el('p', 'cx-muted', out, 'Choose a place to start from and one to go to.'); return; }
    if (res.error) { this.message(res.error); return; }
    res.routes.forEach(function (r, i) {
      var box = el('section', 'cx-lab-route', out);
      box.setAttribute('data-cx-lab-route', String(i));
      var h = el('h4', '', box);
      var sw = el('span', 'cx-lab-swatch', h);
      sw.style.background = LAB_COLOURS[i % LAB_COLOURS.length];
      h.appendChild(document.createTextNode((i ? 'Alternative ' + (i + 1) : 'Route') + ': '));
      var tot = el('span', 'cx-lab-total', h, fmtKmWhole(r.length_km) + ', ' + fmtH(r.hours) + ' (' + (r.hours / 24).toFixed(1) + ' d)');
      tot.setAttribute('data-km', r.length_km.toFixed(1));
      tot.setAttribute('data-hours', r.hours.toFixed(2));
      el('div', 'cx-lab-countries', box, r.countries.join(' \u203a ') + (r.circuity ? ' \u00b7 circuity ' + r.circuity.toFixed(2) : '') +
        (r.plausible ? '' : ' (implausible: above ' + r.circuity_warn + ')'));
      var why = el('details', 'cx-lab-why', box);
      el('summary', '', why, 'Why this route');
      self.whyLines(r, i).forEach(function (line) { el('p', '', why, line); });
      var table = el('table', 'cx-props cx-lab-legs', box);
      var hr = el('tr', '', table);
      ['Leg', 'Mode', 'km', 'h', 'Line and services'].forEach(function (t) { el('th', '', hr, t); });
      r.legs.forEach(function (leg) {
        var tr = el('tr', '', table);
        tr.setAttribute('data-cx-lab-segment', leg.segment);
        el('td', '', tr, self.nodeName(leg.from) + ' \u2192 ' + self.nodeName(leg.to));
        el('td', '', tr, leg.mode);
        el('td', 'cx-num', tr, Math.round(leg.length_km).toLocaleString('en-GB'));
        el('td', 'cx-num', tr, leg.hours.toFixed(1));
        var td = el('td', '', tr);
        textSpan(td, self.segName(leg.segment));
        leg.services.forEach(function (s) { el('br', '', td); el('span', 'cx-muted', td, s.label); });
      });
    });
  };

  /* ---------------------------------------------------------------- drawing */

  /* The drawn line of piece i: its segment's line cut at the vertices nearest its ends. */
  LabPanel.prototype.pieceLine = function (i) {
    if (this.pieceGeo[i]) { return this.pieceGeo[i]; }
    var lab = this.lab, p = lab.pieces[i], item = this.app.byId[lab.segs[p.seg].id], pts = [];
    var a = lab.nodes[p.u], b = lab.nodes[p.v];
    if (item && item.main && item.main.getLatLngs) {
      (function flat(x) { if (x && x.lat !== undefined) { pts.push(x); } else if (Array.isArray(x)) { x.forEach(flat); } }(item.main.getLatLngs()));
    }
    function nearest(n) {
      var best = -1, bd = Infinity;
      pts.forEach(function (q, j) { var d = (q.lat - n.lat) * (q.lat - n.lat) + (q.lng - n.lon) * (q.lng - n.lon); if (d < bd) { bd = d; best = j; } });
      return best;
    }
    var line;
    if (pts.length < 2) {
      line = [L.latLng(a.lat, a.lon), L.latLng(b.lat, b.lon)];
    } else {
      var ia = nearest(a), ib = nearest(b);
      line = ia <= ib ? pts.slice(ia, ib + 1) : pts.slice(ib, ia + 1).reverse();
      if (line.length < 2) { line = [L.latLng(a.lat, a.lon), L.latLng(b.lat, b.lon)]; }
    }
    this.pieceGeo[i] = line;
    return line;
  };

  LabPanel.prototype.draw = function () {
    var self = this, lab = this.lab, g = this.drawn, R = this.renderer;
    g.clearLayers();
    if (this.closures.length) {
      var st = lab.state(lab.closureTags(this.closures));
      st.pieces.forEach(function (ps, i) {
        if (!ps.why.length || lab.pieces[i].closed0) { return; }
        g.addLayer(L.polyline(self.pieceLine(i), { renderer: R, interactive: false, color: '#b10026', weight: 3, opacity: 0.85, dashArray: '4 5' }));
      });
      Object.keys(st.closedNodes).forEach(function (n) {
        var node = lab.nodes[+n];
        g.addLayer(L.circleMarker([node.lat, node.lon], { renderer: R, interactive: false, radius: 7, color: '#b10026', weight: 2, fill: false }));
      });
    }
    var res = this.result;
    if (!res || res.error) { return; }
    res.routes.slice().reverse().forEach(function (r, j) {
      var i = res.routes.length - 1 - j, colour = LAB_COLOURS[i % LAB_COLOURS.length];
      r.legs.forEach(function (leg) {
        var line = [];
        leg.pieces.forEach(function (pid) {
          var h = pid.lastIndexOf('#'), pi = lab.segs[lab.segIndex[pid.slice(0, h)]].pieces[+pid.slice(h + 1)];
          var part = self.pieceLine(pi), first = lab.nodes[lab.pieces[pi].u];
          var fwd = leg.nodes.indexOf(first.id) <= leg.nodes.indexOf(lab.nodes[lab.pieces[pi].v].id);
          line = line.concat(fwd ? part : part.slice().reverse());
        });
        if (i === 0) { g.addLayer(L.polyline(line, { renderer: R, interactive: false, color: '#fff', weight: 9, opacity: 0.9 })); }
        g.addLayer(L.polyline(line, { renderer: R, interactive: false, color: colour, weight: i === 0 ? 5 : 4, opacity: 0.95, dashArray: i === 0 ? null : '8 6' }));
      });
    });
    [res.routes[0].origin, res.routes[0].destination].forEach(function (id) {
      var n = lab.nodes[lab.nodeIndex[id]];
      g.addLayer(L.circleMarker([n.lat, n.lon], { renderer: R, interactive: false, radius: 6, color: '#fff', weight: 2, fillColor: LAB_COLOURS[0], fillOpacity: 1 }));
    });
  };

  /* ---------------------------------------------------------------- popups */

  /* Close / Reopen buttons for what a popup shows (a link, a place, a country). */
  LabPanel.prototype.tagsFor = function (item) {
    var lab = this.lab, p = item.props || {}, role = item.layer.role, tags = [];
    if (role === 'corridor' && lab.segIndex[p.id] !== undefined) {
      var seg = lab.segs[lab.segIndex[p.id]];
      tags.push('segment:' + p.id);
      seg.pieces.forEach(function (i) {
        lab.pieces[i].borders.forEach(function (ab) { tags.push('border:' + (ab[0] < ab[1] ? ab[0] + '-' + ab[1] : ab[1] + '-' + ab[0])); });
      });
    } else if (role === 'nodes' && lab.nodeIndex[p.id] !== undefined) {
      var n = lab.nodes[lab.nodeIndex[p.id]];
      tags.push('node:' + n.id);
      Object.keys(lab.passages).forEach(function (k) {
        var ps = lab.passages[k];
        if (ps.chokepoint === n.id || ps.nodes.indexOf(n.id) >= 0) { tags.push('passage:' + k); }
      });
      if (n.borders.length === 2) { tags.push('border:' + (n.borders[0] < n.borders[1] ? n.borders.join('-') : n.borders.slice().reverse().join('-'))); }
      if (n.kind !== lab.chokeKind) { tags.push('country:' + n.country); }
    } else if ((role === 'platform' || role === 'basemap') && p.i && lab.countries[p.i]) {
      tags.push('country:' + p.i);
    }
    return uniqStrings(tags);
  };

  LabPanel.prototype.fillButtons = function (box, tags) {
    var self = this;
    box.textContent = '';
    tags.forEach(function (tag) {
      var closed = self.closures.indexOf(tag) >= 0;
      var b = el('button', 'cx-lab-btn' + (closed ? ' cx-lab-reopen' : ''), box, (closed ? 'Reopen ' : 'Close ') + self.tagLabel(tag));
      b.type = 'button';
      b.setAttribute('data-cx-lab-close', tag);
      b.setAttribute('aria-pressed', closed ? 'true' : 'false');
      b.addEventListener('click', function () { self.toggle(tag); self.open(); });
    });
  };

  LabPanel.prototype.decorate = function (item, node) {
    var self = this, tags = this.tagsFor(item);
    if (!tags.length) { return; }
    var box = el('div', 'cx-lab-actions', node);
    this.fillButtons(box, tags);
    this._popup = { node: node, box: box, tags: tags };
    if (item.layer.role === 'nodes') {
      var ends = el('div', 'cx-lab-actions', node), id = item.props.id;
      [['From here', 'origin'], ['To here', 'destination']].forEach(function (x) {
        var b = el('button', 'cx-lab-btn', ends, x[0]);
        b.type = 'button';
        b.setAttribute('data-cx-lab-end', x[1]);
        b.addEventListener('click', function () { self[x[1]] = id; self.open(); self.update(); });
      });
    }
  };

  /* ---------------------------------------------------------------- URL and TOML */

  LabPanel.prototype.fragment = function () {
    var parts = readHash(window.location.hash).rest.slice();
    if (this.origin && this.destination) { parts.push('route=' + hashEncode(this.origin + ':' + this.destination)); }
    if (this.closures.length) { parts.push('close=' + hashEncode(this.closures.join(','))); }
    if (this.k !== 1) { parts.push('k=' + this.k); }
    if (this.by !== 'hours') { parts.push('by=' + hashEncode(this.by)); }
    if (this.asof) { parts.push('asof=' + hashEncode(this.asof)); }
    var c = this.app.map.getCenter();
    parts.push('z=' + this.app.map.getZoom() + '/' + c.lat.toFixed(3) + '/' + c.lng.toFixed(3));
    return '#' + parts.join('&');
  };

  LabPanel.prototype.writeHash = function () {
    if (this._reading) { return; }
    var h = this.fragment();
    if (h !== window.location.hash && window.history && window.history.replaceState) {
      try { window.history.replaceState(null, '', h); } catch (err) { /* a sandboxed page keeps its URL */ }
    }
  };

  /** Read the state from a URL fragment (the page's own hash when none is given). */
  LabPanel.prototype.readFragment = function (text) {
    var h = readHash(text === undefined ? window.location.hash : text), self = this;
    this._reading = true;
    try {
      if (h.z) {
        var z = h.z.split('/').map(Number);
        if (z.length === 3 && z.every(isFinite)) { this.app.map.setView([z[1], z[2]], z[0], { animate: false }); }
      }
      if (h.route) {
        var ends = h.route.split(':');
        try { this.origin = this.lab.find(ends[0]); this.destination = this.lab.find(ends[1] || ''); } catch (err) { this.message(String(err.message || err)); }
      }
      this.closures = h.close ? h.close.split(',').filter(Boolean) : [];
      try { this.closures = this.lab.closureTags(this.closures); } catch (err) { this.closures = []; this.message(String(err.message || err)); }
      this.k = h.k && /^[1-9]$/.test(h.k) ? +h.k : 1;
      this.by = h.by === 'length_km' ? 'length_km' : 'hours';
      this.asof = h.asof || null;
      if (h.route || h.close) { this.open(); this.update(); }
    } finally {
      this._reading = false;
    }
    if (this.asof) {
      el('p', 'cx-muted', this.out, 'as-of ' + this.asof + ': the page routes on the ' + self.lab.scenario +
        ' network (the as-of date is kept in the link; route it in Python with as_of in the scenario file).');
    }
  };

  /** The scenario file that gives the same routes with `corridors route … --scenario FILE`. */
  LabPanel.prototype.toml = function () {
    var by = { segment: [], node: [], border: [], country: [], passage: [] };
    this.closures.forEach(function (t) { var i = t.indexOf(':'); by[t.slice(0, i)].push(t.slice(i + 1)); });
    var cmd = 'corridors route ' + (this.origin || 'ORIGIN') + ' ' + (this.destination || 'DESTINATION') + ' --scenario lab.toml' +
      (this.k > 1 ? ' -k ' + this.k : '') + (this.by !== 'hours' ? ' --by ' + this.by : '');
    var lines = ['# Written by the corridors atlas page (route lab): the ' + this.lab.scenario + ' scenario with the page\'s closures.',
      '# Same routes as the page: ' + cmd,
      'name = "atlas-lab"',
      'description = ' + JSON.stringify(this.lab.scenario + ' with ' + (this.closures.length ? this.closures.join(', ') + ' closed' : 'nothing closed') + ' (atlas page)')]
      .concat(this.data.toml || []);
    var keys = [['segments', 'segment'], ['nodes', 'node'], ['borders', 'border'], ['countries', 'country'], ['passages', 'passage']];
    if (this.closures.length) {
      lines.push('', '[closures]');
      keys.forEach(function (k) { if (by[k[1]].length) { lines.push(k[0] + ' = ' + tomlList(by[k[1]])); } });
    }
    return lines.join('\n') + '\n';
  };

  /* ---------------------------------------------------------------- wiring */

  App.prototype.initLab = function (data) {
    var lab = new CorridorsLabCore.Lab(data), self = this;
    this.layers.forEach(function (layer) {
      if (layer.role !== 'nodes') { return; }
      layer.items.forEach(function (item) {
        if (!item || lab.nodeIndex[item.props.id] === undefined) { return; }
        var node = lab.nodes[lab.nodeIndex[item.props.id]];
        if (node.name === node.id && item.props.n) { node.name = item.props.n; }
        [item.props.n].concat(item.props.s || []).forEach(function (name) { if (name) { lab.addName(item.props.id, name); } });
      });
    });
    var panel = this.labPanel = new LabPanel(this, lab, data);
    panel.readFragment();
    this.map.on('moveend', function () { panel.writeHash(); });
    window.addEventListener('hashchange', function () { if (window.location.hash !== panel.fragment()) { panel.readFragment(); } });
    window.corridorsLab = {
      /** Pure routing: {routes: [{length_km, hours, countries, segments, legs, ...}], error?}. */
      route: function (origin, destination, opts) {
        var o = {};
        for (var key in (opts || {})) { o[key] = opts[key]; }
        o.segName = function (s) { return panel.segName(s); };
        return lab.route(origin, destination, o);
      },
      /** Show a route in the panel (and the URL): opts close, k, by. */
      show: function (origin, destination, opts) {
        opts = opts || {};
        panel.origin = lab.find(origin);
        panel.destination = lab.find(destination);
        if (opts.close) { panel.closures = lab.closureTags(opts.close); }
        if (opts.k) { panel.k = opts.k; }
        if (opts.by) { panel.by = opts.by; }
        panel.open();
        return panel.update();
      },
      close: function (item) { return panel.toggle(item, true); },
      reopen: function (item) { return panel.toggle(item, false); },
      closures: function () { return panel.closures.slice(); },
      result: function () { return panel.result; },
      toml: function () { return panel.toml(); },
      fragment: function () { return panel.fragment(); },
      scenario: lab.scenario,
      lab: lab
    };
    return panel;
  };

  var basePopupContent = App.prototype.popupContent;
  App.prototype.popupContent = function (item) {
    var node = basePopupContent.call(this, item), self = this;
    if (this.labPanel) { safeCall('lab popup', function () { self.labPanel.decorate(item, node); }); }
    return node;
  };
