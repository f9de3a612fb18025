  /* ---------------------------------------------------------------- lab: the router */

  /* The page's router: routes on the scenario network Python exported into the payload
   * (corridors.maps.lab), with closures, k alternatives and "no route" explanations. Pure
   * logic with no DOM and no Leaflet: Node loads this file alone (tests/js/lab.test.mjs).
   *
   * It is a port of corridors.network: the routing graph of network/graph.py (vertices
   * (node, class), transfers, breaks of gauge), the search of network/search.py (integer
   * costs, the stable (cost, steps) tie-break, vertices ordered by their Python repr), the
   * legs of routing.py and the penalty method of network/alternatives.py. Closures follow
   * Network._apply_closures; a closed passage re-routes a sea leg with the legs Python
   * precomputed. Hours and lengths are Python's own floats, summed in Python's order. */
  var CorridorsLabCore = (function () {
    'use strict';
    var VESSEL = { sea: true, ferry: true, air: true };
    var SCALE_H = 1000000, SCALE_KM = 1000;
    var MAX_SHARED = 0.7, PENALTY = 2.0, TRIES = 8, MAX_PHRASES = 4;
    var BORDER_RE = /^([A-Z]{3})\s*[-|/]\s*([A-Z]{3})$/, ISO3_RE = /^[A-Z]{3}$/;
    var KINDS = ['segment', 'node', 'border', 'country', 'passage'];

    /* Python's round() on a positive float: halves go to the even integer. */
    function rint(x) {
      var r = Math.round(x);
      if (r - x === 0.5 && r % 2 !== 0) { r -= 1; }
      return r;
    }
    function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
    /* repr() of the Python tuples the search sorts (ids never hold quotes). */
    function pyVal(v) {
      if (v === null || v === undefined) { return 'None'; }
      if (v === true) { return 'True'; }
      if (v === false) { return 'False'; }
      if (typeof v === 'number') { return String(v); }
      if (Array.isArray(v)) { return pyTuple(v); }
      return "'" + v + "'";
    }
    function pyTuple(a) { return '(' + a.map(pyVal).join(', ') + (a.length === 1 ? ',' : '') + ')'; }
    function borderKey(a, b) { return a < b ? a + '-' + b : b + '-' + a; }
    function sum(xs) { var s = 0; for (var i = 0; i < xs.length; i++) { s += xs[i]; } return s; }
    function uniq(xs) { var out = []; xs.forEach(function (x) { if (out.indexOf(x) < 0) { out.push(x); } }); return out; }
    function normPassage(text) {
      var t = String(text).trim().toLowerCase().replace(/[^\p{L}\p{N}]/gu, '_');
      return t.split('_').filter(Boolean).join('_');
    }
    function normName(text) {
      return String(text).normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
    }

    /* A binary heap of [f, counter, state], smallest (f, counter) first (Python's heapq). */
    function Heap() { this.a = []; }
    function less(x, y) { return x[0] < y[0] || (x[0] === y[0] && x[1] < y[1]); }
    Heap.prototype.push = function (x) {
      var a = this.a, i = a.length;
      a.push(x);
      while (i > 0) {
        var p = (i - 1) >> 1;
        if (!less(a[i], a[p])) { break; }
        var t = a[i]; a[i] = a[p]; a[p] = t; i = p;
      }
    };
    Heap.prototype.pop = function () {
      var a = this.a, top = a[0], last = a.pop();
      if (a.length) {
        a[0] = last;
        var i = 0, n = a.length;
        for (;;) {
          var l = 2 * i + 1, r = l + 1, m = i;
          if (l < n && less(a[l], a[m])) { m = l; }
          if (r < n && less(a[r], a[m])) { m = r; }
          if (m === i) { break; }
          var t = a[i]; a[i] = a[m]; a[m] = t; i = m;
        }
      }
      return top;
    };

    /* ------------------------------------------------------------ the network */

    function Lab(data) {
      if (!data || data.v !== 1) { throw new Error('corridors lab: unsupported network data'); }
      var self = this;
      this.scenario = data.scenario;
      this.date = data.date;
      this.transferH = data.transfer_h;
      this.gaugeH = data.gauge_h;
      this.seaKmh = data.sea_kmh;
      this.circuityWarn = data.circuity_warn;
      this.landModes = {};
      data.land.forEach(function (m) { self.landModes[m] = true; });
      this.chokeKind = data.choke;
      this.nodes = data.nodes.map(function (r, i) {
        return { i: i, id: r[0], name: r[1] || r[0], country: r[2], kind: r[3], lon: r[4], lat: r[5], borders: r[6] || [] };
      });
      this.nodeIndex = {};
      this.nodes.forEach(function (n) { self.nodeIndex[n.id] = n.i; });
      this.segs = data.segs.map(function (r, i) {
        return { i: i, id: r[0], mode: r[1], status: r[2], line: r[3], services: r[4], name: r[0], pieces: [] };
      });
      this.segIndex = {};
      this.segs.forEach(function (s) { self.segIndex[s.id] = s.i; });
      this.pieces = data.pieces.map(function (r, i) {
        var seg = self.segs[r[0]], land = !!self.landModes[seg.mode], borders = [];
        if (land) { for (var k = 1; k < r[8].length; k++) { borders.push([r[8][k - 1], r[8][k]]); } }
        var p = { i: i, seg: r[0], index: r[1], u: r[2], v: r[3], srank: r[4], hours: r[5], km: r[6],
          gauge: r[7], countries: r[8], passages: r[9], closed0: !!r[10], alt: r[11] || null,
          id: seg.id + '#' + r[1], mode: seg.mode, land: land, borders: borders };
        seg.pieces.push(i);
        return p;
      });
      this.pieces.slice().sort(function (a, b) { return a.srank - b.srank || cmp(a.id, b.id); })
        .forEach(function (p, k) { p.rank = k; });
      this.passages = {};
      this.passageLookup = {};
      data.passages.forEach(function (r) {
        self.passages[r[0]] = { key: r[0], name: r[1], chokepoint: r[2], nodes: r[3], aliases: r[4] };
        [r[0], r[5], r[2]].concat(r[4]).forEach(function (name) {
          if (name && self.passageLookup[name] === undefined) { self.passageLookup[name] = r[0]; }
        });
      });
      this.countries = {};
      this.nodes.forEach(function (n) { self.countries[n.country] = true; });
      this.pieces.forEach(function (p) { p.countries.forEach(function (c) { self.countries[c] = true; }); });
      this.names = {};
      this.nodes.forEach(function (n) { self.addName(n.id, n.id); self.addName(n.id, n.name); });
      this._states = {};
      this._stateKeys = [];
    }

    /** Another name of a node for find() (the page adds the aliases its features carry). */
    Lab.prototype.addName = function (id, name) {
      var k = normName(name);
      if (!k) { return; }
      var ids = this.names[k] || (this.names[k] = []);
      if (ids.indexOf(id) < 0) { ids.push(id); }
    };

    /** Node id for an id, name or alias (as corridors.network.places.find_node). */
    Lab.prototype.find = function (text) {
      if (this.nodeIndex[text] !== undefined) { return text; }
      var q = normName(text || '');
      if (!q) { throw new Error('empty place name; give a node id or name'); }
      var c = this.names[q] ? this.names[q].slice() : [];
      if (!c.length) {
        for (var k in this.names) {
          if (k.indexOf(q) === 0) { this.names[k].forEach(function (id) { if (c.indexOf(id) < 0) { c.push(id); } }); }
        }
      }
      if (c.length === 1) { return c[0]; }
      var self = this;
      if (c.length > 1) {
        throw new Error("place '" + text + "' is ambiguous: " + c.sort().map(function (id) {
          return self.nodes[self.nodeIndex[id]].name + ' (' + id + ')';
        }).join(', ') + '; give the node id');
      }
      throw new Error("unknown place '" + text + "' on the network of scenario '" + this.scenario + "'");
    };

    Lab.prototype.normalisePassage = function (name) {
      var n = normPassage(name);
      var k = this.passageLookup[n];
      return k !== undefined ? k : (this.passageLookup[n.replace(/_/g, '')] || null);
    };

    /** The canonical tag ("border:AFG-PAK") of a closure item: a tagged item (segment:ID,
     * node:ID, border:AAA-BBB, country:AAA, passage:NAME) or a bare one read as scenario
     * closures are (corridors.scenario.closures.classify_closure). Throws on unknown items. */
    Lab.prototype.parseClosure = function (item) {
      var text = String(item === undefined || item === null ? '' : item).trim();
      if (!text) { throw new Error('a closure must be a non-empty string'); }
      var m = /^([a-z]+):(.*)$/.exec(text), kind = null, ref = text;
      if (m && KINDS.indexOf(m[1]) >= 0) { kind = m[1]; ref = m[2].trim(); }
      var b;
      if (kind === null) {
        if ((b = BORDER_RE.exec(text))) { return 'border:' + borderKey(b[1], b[2]); }
        if (ISO3_RE.test(text)) { return 'country:' + text; }
        var pk = this.normalisePassage(text);
        if (pk) { return 'passage:' + pk; }
        if (this.segIndex[text] !== undefined) { return 'segment:' + text; }
        if (this.nodeIndex[text] !== undefined) { return 'node:' + text; }
        throw new Error("nothing to close called '" + text + "' (not a segment, node, passage, country or border)");
      }
      if (kind === 'border') {
        b = BORDER_RE.exec(ref.toUpperCase());
        if (!b) { throw new Error("a border is two ISO3 codes, e.g. border:AFG-PAK, not '" + ref + "'"); }
        return 'border:' + borderKey(b[1], b[2]);
      }
      if (kind === 'country') {
        if (!ISO3_RE.test(ref.toUpperCase())) { throw new Error("country must be an ISO3 code, e.g. country:AFG, not '" + ref + "'"); }
        return 'country:' + ref.toUpperCase();
      }
      if (kind === 'passage') {
        var key = this.normalisePassage(ref);
        if (!key) { throw new Error("unknown sea passage '" + ref + "'; passages: " + Object.keys(this.passages).join(', ')); }
        return 'passage:' + key;
      }
      if (kind === 'segment' && this.segIndex[ref] === undefined) { throw new Error("unknown segment '" + ref + "'"); }
      if (kind === 'node' && this.nodeIndex[ref] === undefined) { throw new Error("unknown node '" + ref + "'"); }
      return kind + ':' + ref;
    };

    /** Sorted, unique canonical tags of closure items. */
    Lab.prototype.closureTags = function (items) {
      var self = this;
      return uniq((items || []).map(function (x) { return self.parseClosure(x); })).sort();
    };

    /* The sea leg of a piece with passages closed: { km, passages } or null (no sea route). */
    function seaLeg(p, closedP) {
      var passages = p.passages, km = p.km, K = [];
      for (var guard = 0; guard < 16; guard++) {
        var hit = passages.filter(function (x) { return closedP[x]; });
        if (!hit.length) { return { km: km, passages: passages }; }
        K = uniq(K.concat(hit)).sort();
        var key = K.join(','), row = null;
        for (var j = 0; j < (p.alt || []).length; j++) { if (p.alt[j][0].join(',') === key) { row = p.alt[j]; break; } }
        if (!row || row[1] === null) { return null; }
        km = row[1];
        passages = row[2];
      }
      return null;
    }

    /** The network with closures applied: piece lengths, hours, passages and reasons. */
    Lab.prototype.state = function (tags) {
      var key = tags.join('|');
      if (this._states[key]) { return this._states[key]; }
      var self = this, by = { segment: {}, node: {}, border: {}, country: {}, passage: {} };
      tags.forEach(function (t) { var i = t.indexOf(':'); by[t.slice(0, i)][t.slice(i + 1)] = true; });
      var rNodes = {}; /* the resolved scenario's closed nodes: nodes and passages' nodes */
      Object.keys(by.node).forEach(function (n) { rNodes[n] = 'node'; });
      Object.keys(by.passage).forEach(function (k) { self.passages[k].nodes.forEach(function (n) { rNodes[n] = 'node'; }); });
      var closedNodes = {};
      this.nodes.forEach(function (n) {
        if (rNodes[n.id]) { closedNodes[n.i] = true; }
        if (by.country[n.country] && n.kind !== self.chokeKind) { closedNodes[n.i] = true; }
        if (n.kind === 'border_crossing' && n.borders.length === 2 && by.border[borderKey(n.borders[0], n.borders[1])]) { closedNodes[n.i] = true; }
      });
      function nodeReason(i) {
        var n = self.nodes[i];
        if (rNodes[n.id]) {
          var ks = Object.keys(by.passage);
          for (var j = 0; j < ks.length; j++) { if (self.passages[ks[j]].nodes.indexOf(n.id) >= 0) { return 'passage ' + ks[j]; } }
          return 'node ' + n.id;
        }
        if (by.country[n.country]) { return 'country ' + n.country; }
        return n.borders.length ? 'border ' + borderKey(n.borders[0], n.borders[1]) : 'node ' + n.id;
      }
      var anyPassage = Object.keys(by.passage).length > 0;
      var pieces = this.pieces.map(function (p) {
        var why = [], km = p.km, hours = p.hours, passages = p.passages;
        if (p.closed0) { why.push('closed in scenario ' + self.scenario); }
        if (by.segment[self.segs[p.seg].id]) { why.push('segment ' + self.segs[p.seg].id); }
        [p.u, p.v].forEach(function (n) { if (closedNodes[n]) { why.push(nodeReason(n)); } });
        var hit;
        if (p.land) {
          hit = p.countries.filter(function (c) { return by.country[c]; });
        } else {
          hit = [p.u, p.v].map(function (n) { return self.nodes[n]; }).filter(function (n) {
            return n.kind !== self.chokeKind && by.country[n.country];
          }).map(function (n) { return n.country; });
        }
        uniq(hit).forEach(function (c) { why.push('country ' + c); });
        p.borders.forEach(function (ab) { var k = borderKey(ab[0], ab[1]); if (by.border[k]) { why.push('border ' + k); } });
        if (VESSEL[p.mode] && p.countries.length === 2 && by.border[borderKey(p.countries[0], p.countries[1])]) {
          why.push('border ' + borderKey(p.countries[0], p.countries[1]));
        }
        if (p.mode === 'sea' && anyPassage && p.passages.length) {
          var leg = seaLeg(p, by.passage);
          if (leg === null) {
            why.push('no sea route with ' + Object.keys(by.passage).sort().map(function (k) { return 'passage ' + k; }).join(', ') + ' closed');
          } else if (leg.km !== p.km) {
            km = leg.km;
            hours = km / self.seaKmh;
            passages = leg.passages;
          }
        }
        return { km: km, hours: hours, passages: passages, why: uniq(why) };
      });
      var st = { tags: tags, by: by, pieces: pieces, closedNodes: closedNodes, graph: null };
      this._states[key] = st;
      this._stateKeys.push(key);
      if (this._stateKeys.length > 64) { delete this._states[this._stateKeys.shift()]; }
      return st;
    };

    /* Routing class of a piece (graph.piece_class). */
    function pieceClass(p) {
      if (VESSEL[p.mode]) { return [p.mode, p.segId]; }
      if (p.mode === 'rail') { return p.gauge !== null ? ['rail', p.gauge] : ['rail', null, p.segId]; }
      return [p.mode, null];
    }

    Lab.prototype.transfer = function (c1, c2, isChoke) {
      var m1 = c1[0], m2 = c2[0];
      if (m1 !== m2) { return ['transfer', this.transferH]; }
      if (VESSEL[m1]) { return isChoke ? ['through', 0.0] : ['transshipment', this.transferH]; }
      if (m1 === 'rail' && c1[1] !== null && c2[1] !== null && c1[1] !== c2[1]) { return ['gauge_break', this.gaugeH]; }
      if (m1 === 'rail' && (c1[1] === null || c2[1] === null)) { return ['possible_gauge_break', 0.0]; }
      return ['through', 0.0];
    };

    /* Every vertex the routing graph of any closure set can have, numbered once in the
     * order of their Python repr (search.adjacency sorts by it; leaving vertices out keeps
     * the order), with each piece's class vertices, mid vertices and the stop ranks. */
    Lab.prototype.prepared = function () {
      if (this._fullGraph) { return this._fullGraph; }
      var self = this, reprs = {}, classes = {}, nodeOrder = [];
      function add(r) { reprs[r] = true; return r; }
      var dirs = this.pieces.map(function (p) {
        var cls = pieceClass({ mode: p.mode, gauge: p.gauge, segId: self.segs[p.seg].id }), cr = pyTuple(cls);
        [p.u, p.v].forEach(function (n) {
          if (!classes[n]) { classes[n] = { order: [], cls: {} }; nodeOrder.push(n); }
          if (!classes[n].cls[cr]) { classes[n].cls[cr] = cls; classes[n].order.push(cr); }
        });
        var vu = add('(' + pyVal(self.nodes[p.u].id) + ', ' + cr + ')'), vv = add('(' + pyVal(self.nodes[p.v].id) + ', ' + cr + ')');
        return { cr: cr, fwd: [vu, vv, add(pyTuple(['m', p.id, false]))], rev: [vv, vu, add(pyTuple(['m', p.id, true]))] };
      });
      var stopKeys = [], transfers = {};
      nodeOrder.forEach(function (n) {
        var id = self.nodes[n].id, c = classes[n], isChoke = self.nodes[n].kind === self.chokeKind;
        add(pyTuple(['o', id]));
        add(pyTuple(['d', id]));
        c.order.forEach(function (cr) {
          c.order.forEach(function (cr2) {
            if (cr2 === cr) { return; }
            var tk = self.transfer(c.cls[cr], c.cls[cr2], isChoke), key = '(' + pyVal(id) + ', ' + cr + ', ' + cr2 + ')';
            transfers[n + '|' + cr + '|' + cr2] = { kind: tk[0], hours: tk[1], km: 0.0, at: n, c1: c.cls[cr], c2: c.cls[cr2], key: key };
            if (tk[0] === 'transfer' || tk[0] === 'transshipment' || tk[0] === 'gauge_break') { stopKeys.push(key); }
          });
        });
      });
      var list = Object.keys(reprs).sort(cmp), index = {}, np = this.pieces.length, stopRank = {};
      list.forEach(function (r, i) { index[r] = i; });
      stopKeys.sort(cmp).forEach(function (k, i) { stopRank[k] = np + i; });
      dirs.forEach(function (d) { d.fwd = d.fwd.map(function (r) { return index[r]; }); d.rev = d.rev.map(function (r) { return index[r]; }); });
      var nodeInfo = {};
      nodeOrder.forEach(function (n) {
        var id = self.nodes[n].id, c = classes[n];
        nodeInfo[n] = {
          o: index[pyTuple(['o', id])], d: index[pyTuple(['d', id])],
          classes: c.order.map(function (cr) { return { cr: cr, v: index['(' + pyVal(id) + ', ' + cr + ')'] }; })
        };
      });
      Object.keys(transfers).forEach(function (k) {
        var t = transfers[k], sr = stopRank[t.key];
        t.sr = sr === undefined ? -1 : sr;
        t.wh = Math.max(0, rint(t.hours * SCALE_H));
      });
      this._fullGraph = { n: list.length, dirs: dirs, nodeOrder: nodeOrder, nodeInfo: nodeInfo, transfers: transfers };
      return this._fullGraph;
    };

    /** The routing graph of a state as integer adjacency lists (search.adjacency). */
    Lab.prototype.graph = function (st) {
      if (st.graph) { return st.graph; }
      var self = this, full = this.prepared(), N = full.n, out = new Array(N), has = {}, live = {};
      var END = { kind: 'end', hours: 0.0, km: 0.0 }, MID = { kind: 'mid', hours: 0.0, km: 0.0 };
      function edge(s, t, wh, wk, pr, sr, data) { (out[s] || (out[s] = [])).push([t, wh, wk, pr, sr, data]); }
      this.pieces.forEach(function (p) {
        var ps = st.pieces[p.i];
        if (ps.why.length) { return; }
        var d = full.dirs[p.i], wh = Math.max(1, rint(ps.hours * SCALE_H)), wk = Math.max(1, rint(ps.km * SCALE_KM));
        live[p.u + '|' + d.cr] = true;
        live[p.v + '|' + d.cr] = true;
        [[d.fwd, false], [d.rev, true]].forEach(function (x) {
          var s = x[0][0], t = x[0][1], mid = x[0][2], data = { kind: 'piece', piece: p.i, rev: x[1], hours: ps.hours, km: ps.km };
          if (has[s * N + t]) {
            edge(s, mid, wh, wk, p.rank, p.rank, data);
            edge(mid, t, 0, 0, -1, -1, MID);
          } else {
            has[s * N + t] = true;
            edge(s, t, wh, wk, p.rank, p.rank, data);
          }
        });
      });
      var ends = {};
      full.nodeOrder.forEach(function (n) {
        var info = full.nodeInfo[n], on = info.classes.filter(function (c) { return live[n + '|' + c.cr]; });
        if (!on.length) { return; }
        ends[n] = [info.o, info.d];
        on.forEach(function (c) {
          edge(info.o, c.v, 0, 0, -1, -1, END);
          edge(c.v, info.d, 0, 0, -1, -1, END);
          on.forEach(function (c2) {
            if (c2 === c) { return; }
            var t = full.transfers[n + '|' + c.cr + '|' + c2.cr];
            edge(c.v, c2.v, t.wh, 0, -1, t.sr, t);
          });
        });
      });
      for (var i = 0; i < N; i++) {
        if (out[i] && out[i].length > 1) { out[i].sort(function (a, b) { return a[4] - b[4] || a[0] - b[0]; }); }
        if (!out[i]) { out[i] = NONE; }
      }
      st.graph = { out: out, ends: ends };
      return st.graph;
    };
    var NONE = [];

    /* search.shortest_path (no vias, unguided: the same path). Returns the edges' data. */
    Lab.prototype.dijkstra = function (g, src, dst, useKm, factors) {
      var out = g.out, start = src, goal = dst;
      var cost = {}, tight = {}, done = {}, heap = new Heap(), counter = 0, goalF = -1;
      cost[start] = 0;
      tight[start] = [];
      heap.push([0, 0, start]);
      while (heap.a.length) {
        var top = heap.pop(), f = top[0], s = top[2];
        if (done[s]) { continue; }
        if (goalF >= 0 && f > goalF) { break; }
        done[s] = true;
        if (s === goal) { goalF = f; continue; }
        var c = cost[s], es = out[s];
        for (var i = 0; i < es.length; i++) {
          var e = es[i], t = e[0], w = useKm ? e[2] : e[1];
          if (e[3] >= 0 && factors && factors[e[3]] !== undefined) { w = Math.max(1, rint(w * factors[e[3]])); }
          var c2 = c + w, old = cost[t], lab = w > 0 ? e[4] : -1;
          if (old === undefined || c2 < old) {
            cost[t] = c2;
            tight[t] = [[s, lab, e[5]]];
            counter += 1;
            heap.push([c2, counter, t]);
          } else if (c2 === old) {
            tight[t].push([s, lab, e[5]]);
          }
        }
      }
      if (!done[goal]) { return null; }
      /* phase 2: the least step sequence among the least-cost paths */
      var children = {}, stack = [goal], seen = {};
      seen[goal] = true;
      while (stack.length) {
        var x = stack.pop();
        tight[x].forEach(function (te) {
          (children[te[0]] || (children[te[0]] = [])).push([te[1], x, te[2]]);
          if (!seen[te[0]]) { seen[te[0]] = true; stack.push(te[0]); }
        });
      }
      Object.keys(children).forEach(function (k) {
        children[k].sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
      });
      var par = {}, frontier = [start];
      par[start] = [-1, null];
      for (;;) {
        var zone = frontier.slice(), k = 0;
        while (k < zone.length) {
          var u = zone[k++], ch = children[u] || [];
          for (var j = 0; j < ch.length; j++) {
            if (ch[j][0] < 0 && par[ch[j][1]] === undefined) { par[ch[j][1]] = [u, ch[j][2]]; zone.push(ch[j][1]); }
          }
        }
        if (par[goal] !== undefined) { break; }
        var m = Infinity;
        zone.forEach(function (z) { (children[z] || []).forEach(function (c3) { if (c3[0] >= 0 && c3[0] < m) { m = c3[0]; } }); });
        if (m === Infinity) { return null; }
        frontier = [];
        zone.forEach(function (z) {
          (children[z] || []).forEach(function (c3) {
            if (c3[0] === m && par[c3[1]] === undefined) { par[c3[1]] = [z, c3[2]]; frontier.push(c3[1]); }
          });
        });
      }
      var steps = [], at = goal;
      while (par[at][0] !== -1) { steps.push(par[at][1]); at = par[at][0]; }
      return steps.reverse();
    };

    /* The border node of a crossing a -> b on piece p (routing._border_node). */
    Lab.prototype.borderNode = function (p, a, b) {
      var self = this;
      function same(n) { var bs = n.borders; return bs.length === 2 && ((bs[0] === a && bs[1] === b) || (bs[0] === b && bs[1] === a)); }
      var cands = [p.u, p.v].concat(this.segs[p.seg].line.filter(function (x) { return x !== p.u && x !== p.v; }));
      for (var i = 0; i < cands.length; i++) {
        var n = self.nodes[cands[i]];
        if (n.kind === 'border_crossing' && same(n)) { return n.id; }
      }
      for (var j = 0; j < 2; j++) { if (same(self.nodes[[p.u, p.v][j]])) { return self.nodes[[p.u, p.v][j]].id; } }
      return null;
    };

    /* routing._route_from_path: legs, totals, countries, crossings, chokepoints, stops. */
    Lab.prototype.assemble = function (st, steps, oi, di) {
      var self = this, nodes = this.nodes, pieceSteps = [], stops = [];
      steps.forEach(function (d) {
        if (d.kind === 'piece') { pieceSteps.push([self.pieces[d.piece], d.rev]); } else if (
          d.kind === 'transfer' || d.kind === 'transshipment' || d.kind === 'gauge_break' || d.kind === 'possible_gauge_break') {
          var t = { at: nodes[d.at].id, kind: d.kind, hours: d.hours, from_mode: d.c1[0], to_mode: d.c2[0] };
          if (d.kind === 'gauge_break' || d.kind === 'possible_gauge_break') {
            t.from_gauge_mm = d.c1[0] === 'rail' ? d.c1[1] : null;
            t.to_gauge_mm = d.c2[0] === 'rail' ? d.c2[1] : null;
          }
          stops.push(t);
        }
      });
      var legs = [], countries = [], crossings = [], chokes = [], groups = [];
      pieceSteps.forEach(function (s) {
        var g = groups[groups.length - 1];
        if (g && g.seg === s[0].seg && g.rev === s[1]) { g.pieces.push(s[0]); } else { groups.push({ seg: s[0].seg, rev: s[1], pieces: [s[0]] }); }
      });
      groups.forEach(function (g) {
        var pieces = g.pieces;
        if (g.rev) { pieces = pieces.slice().sort(function (a, b) { return b.index - a.index; }); }
        var legCountries = [], legChokes = [], start = null, end = null, visited = [];
        pieces.forEach(function (p) {
          var ps = st.pieces[p.i];
          var u = g.rev ? p.v : p.u, v = g.rev ? p.u : p.v;
          var pc = g.rev ? p.countries.slice().reverse() : p.countries;
          if (start === null) { start = u; }
          end = v;
          if (!visited.length) { visited.push(u, v); } else { visited.push(v); }
          if (nodes[u].kind === self.chokeKind && legChokes.indexOf(nodes[u].id) < 0) { legChokes.push(nodes[u].id); }
          (g.rev ? ps.passages.slice().reverse() : ps.passages).forEach(function (key) {
            var c = self.passages[key].chokepoint;
            if (legChokes.indexOf(c) < 0) { legChokes.push(c); }
          });
          if (nodes[v].kind === self.chokeKind && legChokes.indexOf(nodes[v].id) < 0) { legChokes.push(nodes[v].id); }
          pc.forEach(function (c) {
            if (legCountries.length && legCountries[legCountries.length - 1] === c) { return; }
            legCountries.push(c);
            var last = countries[countries.length - 1];
            if (countries.length && last !== c) {
              crossings.push({ from: last, to: c, at: self.borderNode(p, last, c), mode: p.mode, segment: self.segs[p.seg].id });
            }
            if (!countries.length || last !== c) { countries.push(c); }
          });
        });
        legChokes.forEach(function (c) { if (chokes.indexOf(c) < 0) { chokes.push(c); } });
        var gauges = uniq(pieces.map(function (p) { return p.gauge; }));
        var seg = self.segs[g.seg];
        legs.push({
          from: nodes[start].id, to: nodes[end].id, mode: pieces[0].mode, segment: seg.id,
          length_km: sum(pieces.map(function (p) { return st.pieces[p.i].km; })),
          hours: sum(pieces.map(function (p) { return st.pieces[p.i].hours; })),
          countries: legCountries, chokepoints: legChokes, gauge_mm: gauges.length === 1 ? pieces[0].gauge : null,
          pieces: pieces.map(function (p) { return p.id; }), nodes: visited.map(function (n) { return nodes[n].id; }),
          services: seg.services.map(function (s) { return { id: s[0], label: s[1] }; }), status: seg.status
        });
      });
      var length = sum(legs.map(function (l) { return l.length_km; }));
      var hours = sum(legs.map(function (l) { return l.hours; })) + sum(stops.map(function (t) { return t.hours; }));
      var segments = [];
      legs.forEach(function (l) { if (segments[segments.length - 1] !== l.segment) { segments.push(l.segment); } });
      var o = nodes[oi], d = nodes[di], geo = geodesicKm(o.lon, o.lat, d.lon, d.lat);
      return {
        origin: o.id, origin_name: o.name, destination: d.id, destination_name: d.name, scenario: this.scenario,
        closures: st.tags.slice(), length_km: length, hours: hours, days: hours / 24, countries: countries,
        border_crossings: crossings, chokepoints: chokes,
        transshipments: stops.filter(function (t) { return t.kind === 'transfer' || t.kind === 'transshipment'; }),
        gauge_breaks: stops.filter(function (t) { return t.kind === 'gauge_break'; }),
        possible_gauge_breaks: stops.filter(function (t) { return t.kind === 'possible_gauge_break'; }),
        legs: legs, segments: segments, pieces: [].concat.apply([], legs.map(function (l) { return l.pieces; })),
        geodesic_km: geo, circuity: geo > 0 ? length / geo : null, circuity_warn: this.circuityWarn,
        plausible: !(geo > 0 && this.circuityWarn !== null && length / geo > this.circuityWarn), differs_by: []
      };
    };

    /* ------------------------------------------------------------ alternatives */

    Lab.prototype.stretch = function (pid) {
      var p = this.pieces[pid], a = this.nodes[p.u].id, b = this.nodes[p.v].id;
      return (a < b ? a + '|' + b : b + '|' + a) + '|' + p.mode;
    };
    Lab.prototype.pieceIds = function (r) {
      var self = this;
      return r.pieces.map(function (id) { var h = id.lastIndexOf('#'); return self.segs[self.segIndex[id.slice(0, h)]].pieces[+id.slice(h + 1)]; });
    };
    Lab.prototype.sharedFraction = function (st, r, other) {
      var self = this, theirs = {};
      this.pieceIds(other).forEach(function (p) { theirs[self.stretch(p)] = true; });
      var ids = this.pieceIds(r), total = sum(ids.map(function (p) { return st.pieces[p].km; }));
      if (total <= 0) { return 1.0; }
      return sum(ids.filter(function (p) { return theirs[self.stretch(p)]; }).map(function (p) { return st.pieces[p].km; })) / total;
    };

    Lab.prototype.chokeName = function (c) {
      if (this.nodeIndex[c] !== undefined) { return this.nodes[this.nodeIndex[c]].name; }
      for (var k in this.passages) { if (this.passages[k].chokepoint === c) { return this.passages[k].name; } }
      return c;
    };

    /* alternatives.differs_by: how alt differs from best, as short phrases. */
    Lab.prototype.differsBy = function (alt, best, segName) {
      var self = this, out = [];
      var avoided = alt.countries, added;
      avoided = best.countries.filter(function (c) { return alt.countries.indexOf(c) < 0; });
      added = alt.countries.filter(function (c) { return best.countries.indexOf(c) < 0; });
      if (avoided.length) { out.push('avoids ' + uniq(avoided).join(', ')); }
      if (added.length) { out.push('through ' + uniq(added).join(', ')); }
      var nc = alt.chokepoints.filter(function (c) { return best.chokepoints.indexOf(c) < 0; });
      var gc = best.chokepoints.filter(function (c) { return alt.chokepoints.indexOf(c) < 0; });
      if (nc.length) { out.push('via ' + nc.map(function (c) { return self.chokeName(c); }).join(', ')); }
      if (gc.length) { out.push('avoids ' + gc.map(function (c) { return self.chokeName(c); }).join(', ')); }
      var runs = [];
      alt.legs.forEach(function (leg) {
        if (!VESSEL[leg.mode]) { return; }
        var last = runs[runs.length - 1];
        if (last && last[0] === leg.mode && last[2] === leg.from && self.nodes[self.nodeIndex[leg.from]].kind === self.chokeKind) {
          last[2] = leg.to; last[3].push(leg.segment); return;
        }
        runs.push([leg.mode, leg.from, leg.to, [leg.segment]]);
      });
      runs.forEach(function (r) {
        if (r[3].some(function (s) { return best.segments.indexOf(s) < 0; })) {
          out.push('by ' + r[0] + ' ' + self.nodes[self.nodeIndex[r[1]]].name + ' \u2013 ' + self.nodes[self.nodeIndex[r[2]]].name);
        }
      });
      var mb = best.legs.map(function (l) { return l.mode; }), ma = alt.legs.map(function (l) { return l.mode; });
      var landNew = uniq(ma).filter(function (m) { return mb.indexOf(m) < 0 && !VESSEL[m]; });
      if (landNew.length) { out.push('by ' + landNew.join(' and ')); }
      var gone = uniq(mb).filter(function (m) { return ma.indexOf(m) < 0; });
      if (gone.length) { out.push('without ' + gone.join(' or ')); }
      if (!out.length) {
        var other = alt.segments.filter(function (s) { return best.segments.indexOf(s) < 0; });
        if (other.length) {
          var longest = other.map(function (s) {
            return [sum(alt.legs.filter(function (l) { return l.segment === s; }).map(function (l) { return l.length_km; })), s];
          }).sort(function (a, b) { return b[0] - a[0] || cmp(b[1], a[1]); })[0][1];
          out.push('via ' + (segName ? segName(longest) : longest));
        } else {
          out.push('same lines in another order');
        }
      }
      return out.slice(0, MAX_PHRASES);
    };

    /* ------------------------------------------------------------ the API */

    /** Route origin -> destination: {routes: [...], error?}. opts: close (closure items),
     * by ("hours" or "length_km"), k (routes wanted), segName (id -> display name). */
    Lab.prototype.route = function (origin, destination, opts) {
      opts = opts || {};
      var tags, oid, did;
      try {
        tags = this.closureTags(opts.close);
        oid = this.find(origin);
        did = this.find(destination);
      } catch (err) {
        return { routes: [], error: String(err.message || err) };
      }
      var k = opts.k === undefined ? 1 : opts.k;
      if (!(k >= 1 && Math.floor(k) === k)) { return { routes: [], error: 'k must be a positive integer' }; }
      var by = opts.by || 'hours';
      if (by !== 'hours' && by !== 'length_km' && by !== 'km') { return { routes: [], error: "by must be 'hours' or 'length_km'" }; }
      if (oid === did) { return { routes: [], error: 'origin and destination are the same place (' + oid + ')' }; }
      var st = this.state(tags), g = this.graph(st), useKm = by !== 'hours', self = this;
      var oi = this.nodeIndex[oid], di = this.nodeIndex[did];
      function search(factors) {
        var ends1 = g.ends[oi], ends2 = g.ends[di];
        if (!ends1 || !ends2) { return null; }
        var steps = self.dijkstra(g, ends1[0], ends2[1], useKm, factors);
        return steps === null ? null : self.assemble(st, steps, oi, di);
      }
      var best = search(null);
      if (best === null) { return { routes: [], error: this.whyNoRoute(oid, did, tags, useKm), closures: tags }; }
      var routes = [best];
      if (k > 1) {
        var found = [], seenSig = {}, counts = {};
        var stretches = function (r) { return uniq(self.pieceIds(r).map(function (p) { return self.stretch(p); })); };
        seenSig[stretches(best).sort().join(';')] = true;
        stretches(best).forEach(function (s) { counts[s] = 1; });
        for (var t = 0; t < TRIES * (k - 1); t++) {
          if (found.length >= k - 1) { break; }
          var factors = {};
          self.pieces.forEach(function (p) { var s = self.stretch(p.i); if (counts[s] !== undefined) { factors[p.rank] = Math.pow(PENALTY, counts[s]); } });
          var cand = search(factors);
          if (cand === null) { break; }
          var used = stretches(cand);
          used.forEach(function (s) { counts[s] = (counts[s] || 0) + 1; });
          var sig = used.slice().sort().join(';');
          if (seenSig[sig]) { continue; }
          seenSig[sig] = true;
          if (routes.every(function (e) { return self.sharedFraction(st, cand, e) <= MAX_SHARED; })) {
            cand.differs_by = self.differsBy(cand, best, opts.segName);
            routes.push(cand);
            found.push(cand);
          }
        }
      }
      return { routes: routes, closures: tags };
    };

    /** Why there is no route: the place cut off, the closures to blame, or no connection. */
    Lab.prototype.whyNoRoute = function (oid, did, tags, useKm) {
      var self = this, head = 'no route from ' + this.nodes[this.nodeIndex[oid]].name + ' (' + oid + ') to ' +
        this.nodes[this.nodeIndex[did]].name + ' (' + did + ')';
      var st = this.state(tags);
      function cutOff(id) {
        var n = self.nodeIndex[id], at = self.pieces.filter(function (p) { return p.u === n || p.v === n; });
        if (!at.length || at.some(function (p) { return !st.pieces[p.i].why.length; })) { return null; }
        return uniq([].concat.apply([], at.map(function (p) { return st.pieces[p.i].why; })));
      }
      var parts = [];
      [oid, did].forEach(function (id) {
        var why = cutOff(id);
        if (why) { parts.push(self.nodes[self.nodeIndex[id]].name + ' is cut off: every link at it is closed (' + why.join('; ') + ')'); }
      });
      if (!tags.length) { return head + ': the two places are not connected on the network of scenario \'' + this.scenario + '\''; }
      function routes(ts) {
        var s2 = self.state(ts), g2 = self.graph(s2), e1 = g2.ends[self.nodeIndex[oid]], e2 = g2.ends[self.nodeIndex[did]];
        return !!(e1 && e2 && self.dijkstra(g2, e1[0], e2[1], useKm, null));
      }
      if (!routes([])) { return head + ': the two places are not connected even with every closure reopened'; }
      var culprits = tags.filter(function (t) { return tags.length === 1 || routes(tags.filter(function (x) { return x !== t; })); });
      if (culprits.length) {
        parts.push('it is cut by ' + culprits.join(', ') + ' (reopening ' + (culprits.length > 1 ? 'any one of them' : 'it') + ' gives a route)');
      } else {
        parts.push('the closures ' + tags.join(', ') + ' cut it together: none alone, but no route is left with all of them');
      }
      return head + ': ' + parts.join('; ');
    };

    /** Closed pieces of a closure set, as {pieceId: [reasons]}. */
    Lab.prototype.closed = function (items) {
      var st = this.state(this.closureTags(items)), out = {}, self = this;
      st.pieces.forEach(function (ps, i) { if (ps.why.length) { out[self.pieces[i].id] = ps.why.slice(); } });
      return out;
    };

    /* Geodesic distance on WGS84 (Vincenty's inverse formula; pyproj.Geod within a
     * millimetre away from antipodes), km. */
    function geodesicKm(lon1, lat1, lon2, lat2) {
      var a = 6378137.0, f = 1 / 298.257223563, b = a * (1 - f), rad = Math.PI / 180;
      var L0 = (lon2 - lon1) * rad, U1 = Math.atan((1 - f) * Math.tan(lat1 * rad)), U2 = Math.atan((1 - f) * Math.tan(lat2 * rad));
      var sU1 = Math.sin(U1), cU1 = Math.cos(U1), sU2 = Math.sin(U2), cU2 = Math.cos(U2);
      var lam = L0, it = 0, sS, cS, sig, sA, c2A, c2M, lp;
      do {
        var sl = Math.sin(lam), cl = Math.cos(lam);
        sS = Math.sqrt((cU2 * sl) * (cU2 * sl) + (cU1 * sU2 - sU1 * cU2 * cl) * (cU1 * sU2 - sU1 * cU2 * cl));
        if (sS === 0) { return 0; }
        cS = sU1 * sU2 + cU1 * cU2 * cl;
        sig = Math.atan2(sS, cS);
        sA = cU1 * cU2 * sl / sS;
        c2A = 1 - sA * sA;
        c2M = c2A !== 0 ? cS - 2 * sU1 * sU2 / c2A : 0;
        var C = f / 16 * c2A * (4 + f * (4 - 3 * c2A));
        lp = lam;
        lam = L0 + (1 - C) * f * sA * (sig + C * sS * (c2M + C * cS * (-1 + 2 * c2M * c2M)));
      } while (Math.abs(lam - lp) > 1e-12 && ++it < 200);
      var u2 = c2A * (a * a - b * b) / (b * b);
      var A = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
      var B = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
      var dS = B * sS * (c2M + B / 4 * (cS * (-1 + 2 * c2M * c2M) - B / 6 * c2M * (-3 + 4 * sS * sS) * (-3 + 4 * c2M * c2M)));
      return b * A * (sig - dS) / 1000;
    }

    return { Lab: Lab, geodesicKm: geodesicKm, roundHalfEven: rint, pyTuple: pyTuple, Heap: Heap };
  }());
  if (typeof module !== 'undefined' && module.exports) { module.exports = CorridorsLabCore; }
