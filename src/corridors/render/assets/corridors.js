/*! corridors.js: map controls of the corridors atlas (MIT licence, part of "corridors"). */
/* Layer tree, legend, search, fullscreen, geodesic measure, minimap, scale, status filter
 * and year selector, written on Leaflet's public API only (no third-party code).
 *
 * Safety rule: data text is never turned into markup here. Popups, tooltips and search
 * results are built as DOM nodes from plain-text models (corridors.render.popups) with
 * textContent and setAttribute only; links arrive checked by corridors.render.escape.safe_url
 * and are checked again here. The only HTML inserted is the panel markup that Python
 * escaped (corridors.render.escape.esc) and this file's own static icons.
 *
 * Geometries arrive in the compact form of corridors.render.geometry.encode_geometry;
 * values used by several features (a platform member's country polygon, a segment listed
 * by several corridors) arrive once, in a shared table, as {"$": index}.
 */
(function (window, document) {
  'use strict';
  var L = window.L;
  if (!L) {
    // Leaflet did not load (a map built with offline=False opened without internet).
    document.addEventListener('DOMContentLoaded', function () {
      var note = document.createElement('p');
      note.style.cssText = 'font:16px sans-serif;padding:2em;position:relative;z-index:1';
      note.textContent = 'The map library (Leaflet) could not be loaded. This page was built to ' +
        'load it from the internet; rebuild it with offline=True for a self-contained map.';
      document.body.insertBefore(note, document.body.firstChild);
    });
    return;
  }
  /* Leaflet clips every line and polygon to the canvas each time it is projected (at load,
   * after every zoom and pan), copying every point. A path whose pixel bounds lie wholly
   * inside the clip bounds comes out of that unchanged, so its points are taken as they are
   * (the same parts, the same drawing); only paths that cross the edge are clipped. */
  ['Polyline', 'Polygon'].forEach(function (name) {
    var clip = L[name].prototype._clipPoints, polygon = name === 'Polygon';
    L[name].include({
      _clipPoints: function () {
        var r = this._renderer, pb = this._pxBounds;
        if (r && r._bounds && pb && !this.options.noClip) {
          var b = r._bounds, w = polygon ? (this.options.weight || 0) : 0; /* as Leaflet pads */
          if (pb.min.x >= b.min.x - w && pb.min.y >= b.min.y - w &&
              pb.max.x <= b.max.x + w && pb.max.y <= b.max.y + w) {
            this._parts = this._rings.slice(); /* simplification replaces parts, not rings */
            return;
          }
        }
        clip.call(this);
      }
    });
  });

  /* Mean radius of the WGS84 ellipsoid (IUGG R1), km: haversine distances below are
   * great-circle distances on that sphere (within about 0.5 % of the ellipsoidal ones). */
  var EARTH_R = 6371.0088;
  var DEG = Math.PI / 180;

  function haversineKm(a, b) {
    var dLat = (b.lat - a.lat) * DEG, dLng = (b.lng - a.lng) * DEG;
    var s = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(a.lat * DEG) * Math.cos(b.lat * DEG) * Math.sin(dLng / 2) * Math.sin(dLng / 2);
    return 2 * EARTH_R * Math.asin(Math.min(1, Math.sqrt(s)));
  }

  /* Points along the great circle a -> b (spherical linear interpolation). */
  function greatCircle(a, b, stepKm) {
    var f1 = a.lat * DEG, l1 = a.lng * DEG, f2 = b.lat * DEG, l2 = b.lng * DEG;
    var p = [Math.cos(f1) * Math.cos(l1), Math.cos(f1) * Math.sin(l1), Math.sin(f1)];
    var q = [Math.cos(f2) * Math.cos(l2), Math.cos(f2) * Math.sin(l2), Math.sin(f2)];
    var dot = Math.max(-1, Math.min(1, p[0] * q[0] + p[1] * q[1] + p[2] * q[2]));
    var w = Math.acos(dot), out = [L.latLng(a.lat, a.lng)];
    var n = Math.max(1, Math.ceil(w * EARTH_R / stepKm));
    if (w < 1e-12 || Math.PI - w < 1e-9) { out.push(L.latLng(b.lat, b.lng)); return out; }
    var sw = Math.sin(w), prev = a.lng;
    for (var i = 1; i < n; i++) {
      var t = i / n, k1 = Math.sin((1 - t) * w) / sw, k2 = Math.sin(t * w) / sw;
      var x = k1 * p[0] + k2 * q[0], y = k1 * p[1] + k2 * q[1], z = k1 * p[2] + k2 * q[2];
      var lng = Math.atan2(y, x) / DEG;
      while (lng - prev > 180) { lng -= 360; }
      while (lng - prev < -180) { lng += 360; }
      prev = lng;
      out.push(L.latLng(Math.atan2(z, Math.sqrt(x * x + y * y)) / DEG, lng));
    }
    var end = b.lng;
    while (end - prev > 180) { end -= 360; }
    while (end - prev < -180) { end += 360; }
    out.push(L.latLng(b.lat, end));
    return out;
  }

  /* Same formula as corridors.render.style.mix_colour. */
  function mix(hex, other, t) {
    if (!t || t <= 0) { return hex; }
    var out = '#';
    for (var i = 1; i < 7; i += 2) {
      var x = parseInt(hex.substr(i, 2), 16), y = parseInt(other.substr(i, 2), 16);
      var v = Math.round(x + (y - x) * t);
      out += (v < 16 ? '0' : '') + v.toString(16);
    }
    return out;
  }

  var FOLD = { '\u0131': 'i', '\u0259': 'e', '\u018f': 'e', '\u00df': 'ss', '\u00f8': 'o', '\u0142': 'l', '\u0111': 'd' };
  function normalise(s) {
    s = String(s || '').toLowerCase();
    if (s.normalize) { s = s.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''); }
    return s.replace(/[\u0131\u0259\u018f\u00df\u00f8\u0142\u0111]/g, function (c) { return FOLD[c]; })
      .replace(/[\u064b-\u065f\u0670]/g, '').replace(/\s+/g, ' ').trim();
  }

  function el(tag, cls, parent, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function fmtKm(km) {
    var digits = km < 100 ? 1 : 0;
    return km.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }) + ' km';
  }

  /* ---------------------------------------------------------------- compact geometry */

  /* Twin of corridors.render.geometry.decode_geometry: zig-zag varints in 64 digits (those
   * from TERMINAL on continue a number: twin of geometry.TERMINAL), the first position
   * absolute and the others as differences, in units of 10^-decimals degrees. */
  var DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', DIGIT = {}, TERMINAL = 48;
  for (var di = 0; di < DIGITS.length; di++) { DIGIT[DIGITS.charAt(di)] = di; }

  /* Positions as [lon, lat], or as L.LatLng when `latlng` (what Leaflet draws from). A ring
   * of a topology (encode_topology) also holds '.' + an arc reference: arc i, or arc ~i
   * reversed, from the arcs in integer units (decodeArcs). */
  function decodePositions(text, nd, arcs, latlng) {
    var scale = Math.pow(10, nd), out = [], x = 0, y = 0, z = 0, mul = 1, first = null, isRef = false;
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      if (ch === '.') { isRef = true; continue; }
      var d = DIGIT[ch];
      if (d === undefined) { throw new Error('bad geometry text'); }
      if (d >= TERMINAL) { z += (d - TERMINAL) * mul; mul *= 64 - TERMINAL; continue; }
      z += d * mul;
      var v = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      z = 0; mul = 1;
      if (isRef) {
        isRef = false;
        var arc = arcs && arcs[v >= 0 ? v : ~v];
        if (!arc) { throw new Error('unknown arc ' + v); }
        if (v < 0) { arc = arc.slice().reverse(); }
        for (var k = out.length ? 1 : 0; k < arc.length; k++) {
          out.push(latlng ? new L.LatLng(arc[k][1] / scale, arc[k][0] / scale) : [arc[k][0] / scale, arc[k][1] / scale]);
        }
        x = arc[arc.length - 1][0]; y = arc[arc.length - 1][1];
      } else if (first === null) { first = v; } else {
        x += first; y += v; first = null;
        out.push(latlng ? new L.LatLng(y / scale, x / scale) : [x / scale, y / scale]);
      }
    }
    return out;
  }

  /* Arcs of a topology [decimals, text]: positions in integer units, each the difference
   * from the previous one (across arcs), arcs separated by '.'. */
  function decodeArcs(topology) {
    var arcs = [], x = 0, y = 0;
    topology[1].split('.').forEach(function (part) {
      var arc = [];
      decodePositions(part, 0).forEach(function (p) { arc.push([x + p[0], y + p[1]]); });
      if (arc.length) { x = arc[arc.length - 1][0]; y = arc[arc.length - 1][1]; }
      arcs.push(arc);
    });
    return arcs;
  }

  /* Twin of corridors.render.geometry.TYPE_CODES. */
  var GEOMETRY_TYPES = { P: 'Point', MP: 'MultiPoint', L: 'LineString', ML: 'MultiLineString',
    A: 'Polygon', MA: 'MultiPolygon', GC: 'GeometryCollection' };

  /* GeoJSON; but lines and polygons come as { type, latlngs } (the nesting of GeoJSON
   * coordinates, of L.LatLng) when `latlngs`: decoded straight into what Leaflet draws from,
   * without a [lon, lat] array per position first (see geometryLayer). `topo` holds the
   * arcs that basemap rings refer to. */
  function decodeGeometry(g, topo, latlngs) {
    if (!g || g.type) { return g; } /* already GeoJSON */
    var type = Object.prototype.hasOwnProperty.call(GEOMETRY_TYPES, g[0]) ? GEOMETRY_TYPES[g[0]] : g[0], nd = g[1], data = g[2];
    var arcs = topo && topo.nd === nd ? topo.arcs : null, ll = !!latlngs && type !== 'MultiPoint';
    var dec = function (t) { return decodePositions(t, nd, arcs, ll); };
    var out = function (coords) { return ll ? { type: type, latlngs: coords } : { type: type, coordinates: coords }; };
    switch (type) {
      case 'GeometryCollection': return { type: type, geometries: data.map(function (x) { return decodeGeometry(x, topo); }) };
      case 'Point': return { type: type, coordinates: decodePositions(data, nd, arcs)[0] };
      case 'MultiPoint': case 'LineString': return out(dec(data));
      case 'MultiLineString': case 'Polygon': return out(data.map(dec));
      case 'MultiPolygon': return out(data.map(function (p) { return p.map(dec); }));
      default: throw new Error('unknown geometry type ' + type);
    }
  }

  /* The Leaflet layer of a decoded geometry (as L.GeoJSON.geometryToLayer would make it). */
  function geometryLayer(geom, options) {
    if (geom.latlngs) {
      var lines = geom.type === 'LineString' || geom.type === 'MultiLineString';
      return lines ? new L.Polyline(geom.latlngs, options) : new L.Polygon(geom.latlngs, options);
    }
    return L.GeoJSON.geometryToLayer({ type: 'Feature', geometry: geom, properties: {} }, options);
  }

  /* ---------------------------------------------------------------- popups (DOM only) */

  function safeHref(url) { return typeof url === 'string' && /^https?:\/\/[^\s]/i.test(url) ? url : null; }

  function textSpan(parent, text, cls) {
    var s = el('span', cls || '', parent, text);
    s.setAttribute('dir', 'auto');
    return s;
  }

  /* One table cell value: a string, or lines (a string or [text, muted suffix]). */
  function fillCell(td, value) {
    var lines = Array.isArray(value) ? value : [value];
    lines.forEach(function (line, i) {
      if (i) { el('br', '', td); }
      if (Array.isArray(line)) {
        textSpan(td, String(line[0]));
        if (line[1]) { td.appendChild(document.createTextNode(' ')); el('span', 'cx-muted', td, String(line[1])); }
      } else {
        textSpan(td, String(line));
      }
    });
  }

  /* A line [text, index] of a row: its muted note is cfg.muted[index] (notes used by
   * several lines, written once: corridors.render.build._muted_texts). */
  function expandMuted(rows, muted) {
    return rows.map(function (row) {
      if (!Array.isArray(row[1])) { return row; }
      var lines = row[1].map(function (ln) {
        return Array.isArray(ln) && typeof ln[1] === 'number' ? [ln[0], muted[ln[1]]].concat(ln.slice(2)) : ln;
      });
      return [row[0], lines].concat(row.slice(2));
    });
  }

  /* A source whose link is [index, rest] begins with cfg.urls[index] (the common
   * beginnings of the links, written once: corridors.render.build._url_prefixes). */
  function expandSource(s, prefixes) {
    if (!Array.isArray(s) || !Array.isArray(s[0])) { return s; }
    var prefix = prefixes[s[0][0]];
    if (typeof prefix !== 'string') { throw new Error('unknown link prefix ' + s[0][0]); }
    return [prefix + s[0][1]].concat(s.slice(1));
  }

  function sourcesNode(parent, sources) {
    if (!sources || !sources.length) { return; }
    var box = el('div', 'cx-sources', parent);
    el('b', '', box, 'Sources');
    var ol = el('ol', '', box);
    sources.forEach(function (s) {
      var li = el('li', '', ol), url = safeHref(s[0]), text = s[1] || s[0] || 'source';
      if (url) {
        var a = el('a', '', li, text);
        a.setAttribute('href', url);
        a.setAttribute('target', '_blank');
        a.setAttribute('rel', 'noopener noreferrer');
      } else {
        li.appendChild(document.createTextNode(text + ' '));
        el('span', 'cx-muted', li, '[link omitted: not an http(s) URL]');
      }
      if (s[2]) { li.appendChild(document.createTextNode(' ')); el('span', 'cx-muted', li, '(accessed ' + s[2] + ')'); }
    });
  }

  /* Twin of corridors.render.popups.popup_html. */
  function popupNode(model, title, sub, labels, layerTitles) {
    var root = el('div', 'cx-popup');
    el('h3', 'cx-title', root, title || '(unnamed)').setAttribute('dir', 'auto');
    if (sub) { el('div', 'cx-sub', root, sub); }
    var rows = (model && model.r) || [], table = null;
    rows.forEach(function (row) {
      var label = labels[row[0]] || '', value = row[1];
      if (typeof value === 'number') { /* LAYER_TITLE: the layers that draw the feature */
        if (!layerTitles || !layerTitles.length) { return; }
        value = layerTitles.slice();
        if (value.length > 1) { label += 's'; }
      }
      if (!table) { table = el('table', 'cx-props', root); }
      var tr = el('tr', '', table);
      el('th', '', tr, label);
      fillCell(el('td', row[2] ? 'cx-closed' : '', tr), value);
    });
    sourcesNode(root, model && model.s);
    return root;
  }

  /* Derived rows: what a feature's own properties already say is not repeated in its popup
   * model (twins in corridors.render.popups: derived_rows, derived_detail, derived_terms,
   * expand_model). The model keeps the rows that differ, and [label, ""] for a derived row
   * not to show; cfg.rowOrder gives the display order of the rows of a role. */
  function has(obj, key) { return obj && Object.prototype.hasOwnProperty.call(obj, key); }

  function deriveRows(role, p, S, cfg) {
    var out = {}, T = cfg.texts || {};
    function put(label, value) {
      if (value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && !value.length)) { out[label] = value; }
    }
    if (p.id !== undefined) { put(15, String(p.id)); }
    if (role === 'nodes') {
      put(16, has(S.nodes, p.kind) ? S.nodes[p.kind].label : null);
      put(17, p.a);
      put(18, p.c);
      put(20, p.approximate ? T.approx : T.exact);
    } else if (role === 'corridor') {
      if (typeof p.status === 'string' && has(S.statuses, p.status)) {
        var since = null, h = p.history || [];
        for (var i = h.length - 1; i >= 0 && h[i][1] === p.status; i--) { since = h[i][0]; }
        put(2, S.statuses[p.status].label + (since === null ? '' : ' (since ' + since + ')'));
      }
      var hist = p.history || [];
      if (hist.every(function (e) { return typeof e[1] === 'string' && has(S.statuses, e[1]); })) {
        put(3, hist.map(function (e) { return e[0] + (e.length > 2 ? e[2] : '') + ': ' + S.statuses[e[1]].label; }));
      }
      put(1, typeof p.mode === 'string' && has(S.modes, p.mode) ? p.mode.replace(/_/g, ' ') : null);
      put(12, p.precision === 'schematic' ? T.schematic : null);
    }
    return out;
  }

  function deriveDetail(role, p, S) {
    if (role === 'nodes') {
      return [has(S.nodes, p.kind) ? S.nodes[p.kind].label : 'place', p.c || ''].filter(Boolean).join(' \u00b7 ');
    }
    if (role === 'corridor' && typeof p.mode === 'string' && has(S.modes, p.mode)) { return p.mode.replace(/_/g, ' '); }
    return '';
  }

  function deriveTerms(p) {
    var fid = p.id !== undefined ? String(p.id) : null, seen = {}, out = [];
    (p.a || []).forEach(function (t) {
      if (t && t !== p.n && t !== fid && !has(seen, t)) { seen[t] = true; out.push(t); }
    });
    return out;
  }

  function rowsOf(model, role, p, S, cfg) {
    var rows = (model && model.r) || [], order = has(cfg.rowOrder, role) ? cfg.rowOrder[role] : null;
    if (!order) { return rows; }
    var derived = deriveRows(role, p, S, cfg), byLabel = {}, out = [];
    rows.forEach(function (r) { byLabel[r[0]] = r; });
    order.forEach(function (label) {
      if (has(byLabel, label)) {
        if (byLabel[label][1] !== '') { out.push(byLabel[label]); }
        delete byLabel[label];
      } else if (has(derived, label)) {
        out.push([label, derived[label]]);
      }
    });
    rows.forEach(function (r) { if (has(byLabel, r[0])) { out.push(r); } });
    return out;
  }

  function nameTip(text, sub) {
    var s = el('span');
    textSpan(s, text);
    if (sub) { s.appendChild(document.createTextNode(' ')); el('span', 'cx-muted', s, '(' + sub + ')'); }
    return s;
  }

  /* Own icons (inline SVG, static strings). */
  var ICONS = {
    fullscreen: '<svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true"><path d="M3 8V3h5M12 3h5v5M17 12v5h-5M8 17H3v-5" fill="none" stroke="currentColor" stroke-width="2"/></svg>',
    measure: '<svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true"><path d="M2 14 14 2l4 4L6 18z" fill="none" stroke="currentColor" stroke-width="1.6"/><path d="M6 10l2 2M9 7l2 2M12 4l2 2" stroke="currentColor" stroke-width="1.4"/></svg>',
    home: '<svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true"><path d="M3 10 10 3l7 7M5 8.5V17h10V8.5" fill="none" stroke="currentColor" stroke-width="1.8"/></svg>'
  };

  /* Tooltip table of a user-overlay feature (twin of corridors.render.popups.overlay_table):
   * plain-text column names and values (corridors.render.popups.overlay_texts). */
  function overlayTable(columns, values) {
    if (!columns.length) { return el('span', 'cx-muted', null, '(no attributes)'); }
    var table = el('table', 'cx-props');
    for (var i = 0; i < columns.length; i++) {
      var tr = el('tr', '', table);
      el('th', '', tr, columns[i]);
      var td = el('td', '', tr);
      if (values[i]) { textSpan(td, values[i]); } else { el('span', 'cx-muted', td, '\u2014'); }
    }
    return table;
  }

  function safeCall(what, fn) {
    try { return fn(); } catch (err) {
      if (window.console && console.warn) { console.warn('corridors: ' + what + ' unavailable: ' + err); }
      return null;
    }
  }

  var Panel = L.Control.extend({
    initialize: function (node, options) { L.setOptions(this, options); this._node = node; },
    onAdd: function () {
      var c = el('div', 'leaflet-control cx-control ' + (this.options.className || ''));
      c.appendChild(this._node);
      this._node.hidden = false;
      L.DomEvent.disableClickPropagation(c);
      L.DomEvent.disableScrollPropagation(c);
      return c;
    }
  });

  function wireCollapse(root, collapsed) {
    var btn = root.querySelector('.cx-panel-toggle'), body = root.querySelector('.cx-panel-body');
    if (!btn || !body) { return; }
    function set(open) { body.hidden = !open; btn.setAttribute('aria-expanded', open ? 'true' : 'false'); }
    btn.addEventListener('click', function () { set(body.hidden); });
    set(!collapsed);
  }

  /* ---------------------------------------------------------------- canvas marks */

  /* Places and closed-link marks are drawn on the map's canvas, not as DOM markers: each
   * look is painted once into a small canvas (a sprite) and stamped where needed. */
  var PIXEL = L.Browser.retina ? 2 : 1; /* the canvas renderer's own scale */
  var SPRITE_PAD = 4; /* room around a mark for its shadow and the dashed ring */

  /* A sprite is painted when first stamped (kinds never shown cost nothing). */
  function sprite(size, paint, alpha, ring) {
    var box = size + 2 * SPRITE_PAD;
    return { box: box, canvas: null, make: function () {
      var px = Math.ceil(box * PIXEL);
      var shape = document.createElement('canvas');
      shape.width = shape.height = px;
      var g = shape.getContext('2d');
      g.scale(PIXEL, PIXEL);
      g.translate(SPRITE_PAD, SPRITE_PAD);
      paint(g);
      // the whole mark at once, with a soft dark edge (as CSS drop-shadow(0 0 1px rgba(0,0,0,.6)))
      var out = document.createElement('canvas');
      out.width = out.height = px;
      var o = out.getContext('2d');
      o.globalAlpha = alpha;
      o.shadowColor = 'rgba(0, 0, 0, 0.6)';
      o.shadowBlur = 2 * PIXEL;
      o.drawImage(shape, 0, 0);
      if (ring) { /* a dashed ring round the mark (as a CSS dashed outline, 1px off, round) */
        o.shadowColor = 'transparent';
        o.scale(PIXEL, PIXEL);
        o.beginPath();
        o.arc(box / 2, box / 2, size / 2 + 1.25, 0, 2 * Math.PI);
        o.setLineDash([3, 2]);
        o.lineWidth = 1.5;
        o.strokeStyle = '#333';
        o.stroke();
      }
      this.canvas = out;
    } };
  }

  var sprites = {};

  /* A node kind's marker (StyleTable.to_js: the parts of corridors.render.style.marker_canvas,
   * the shapes of the legend's SVG, in a 20 x 20 box); an approximate position gets the
   * legend's mark of it: 75 % opacity and a dashed ring. */
  function nodeSprite(ns, approx) {
    var slot = approx ? '_approxSprite' : '_sprite';
    if (!ns[slot]) {
      ns[slot] = sprite(ns.size, function (g) {
        var k = ns.size / 20;
        g.scale(k, k);
        g.miterLimit = 4;
        ns.parts.forEach(function (part) {
          var path = new Path2D(part[0]);
          g.fillStyle = part[1];
          g.fill(path);
          g.strokeStyle = part[2];
          g.lineWidth = part[3];
          g.lineJoin = part[4];
          g.stroke(path);
        });
      }, approx ? 0.75 : 1, approx);
    }
    return ns[slot];
  }

  /* The red cross on a link closed in a scenario. */
  function closedSprite(colour) {
    var key = 'closed ' + colour;
    if (!sprites[key]) {
      sprites[key] = sprite(16, function (g) {
        g.lineCap = 'round';
        [[3.5, '#fff'], [2.2, colour]].forEach(function (pen) {
          g.beginPath();
          g.moveTo(4, 4); g.lineTo(12, 12);
          g.moveTo(12, 4); g.lineTo(4, 12);
          g.lineWidth = pen[0];
          g.strokeStyle = pen[1];
          g.stroke();
        });
      }, 1, false);
    }
    return sprites[key];
  }

  /* A circle marker (hit test, tooltip and popup anchor of radius `radius`) that stamps
   * options.sprite centred on its point, on whole pixels. */
  var CanvasMark = L.CircleMarker.extend({
    options: { stroke: false, fill: false },
    _updateBounds: function () {
      var r = this.options.sprite.box / 2, w = this._clickTolerance(), p = [r + w, r + w];
      this._pxBounds = new L.Bounds(this._point.subtract(p), this._point.add(p));
    },
    _updatePath: function () {
      var renderer = this._renderer;
      if (!renderer._drawing || this._empty()) { return; }
      var sp = this.options.sprite, half = sp.box / 2, p = this._point, ctx = renderer._ctx;
      if (!sp.canvas) { sp.make(); }
      ctx.globalAlpha = 1; /* Leaflet leaves the last path's opacity set */
      ctx.drawImage(sp.canvas, Math.round(p.x - half), Math.round(p.y - half), sp.box, sp.box);
    }
  });

  function App(map, cfg) {
    this.map = map;
    this.cfg = cfg;
    this.S = cfg.style;
    this.layers = [];
    this.byKey = {};
    this.byId = {};
    this.search = [];
    this.shared = [];
    this.topo = null;
    this.year = null;
    this.statusOn = {};
    this.measuring = false;
    this.ui = document.getElementById(cfg.ui);
    this.uiPart('legend');
    var mp = map.createPane('cx-measure');
    mp.style.zIndex = 640;
    mp.style.pointerEvents = 'none';
    // One canvas draws the whole map (countries, casings, lines, places): each canvas costs
    // a bitmap of 1.2 x the viewport to allocate, clear and hand to the compositor on every
    // frame. The drawing order that separate panes gave is kept by _restack.
    this.R = {
      main: L.canvas({ pane: 'overlayPane', padding: 0.1, tolerance: 4 }),
      measure: L.svg({ pane: 'cx-measure' })
    };
    map.getContainer().style.background = this.S.seaColour;
    if (cfg.bounds) { this.home(false); }
    var self = this;
    (cfg.statuses || []).forEach(function (s) { self.statusOn[s] = true; });
  }

  /** Fit the atlas extent, leaving room for the side panels on wide screens. */
  App.prototype.home = function (animate) {
    var size = this.map.getSize(), side = size.x > 1000 ? 280 : 10;
    this.map.fitBounds(this.cfg.bounds, { animate: !!animate, paddingTopLeft: [side, 10], paddingBottomRight: [side, 10] });
  };

  /* Panels rendered in Python; looked up once, since they move into Leaflet controls. */
  App.prototype.uiPart = function (name) {
    if (!this._parts) {
      this._parts = {};
      var nodes = this.ui ? this.ui.querySelectorAll('[data-cx-part]') : [];
      for (var i = 0; i < nodes.length; i++) { this._parts[nodes[i].getAttribute('data-cx-part')] = nodes[i]; }
    }
    return this._parts[name] || null;
  };

  /* ---------------------------------------------------------------- layers */

  /** Values shared by several features (see the header comment). */
  App.prototype.share = function (table, topology) {
    this.shared = (table || []).map(function (v) { return { v: v }; });
    this.topo = topology ? { nd: topology[0], arcs: decodeArcs(topology) } : null;
  };

  App.prototype._deref = function (v) {
    if (v && typeof v === 'object' && !Array.isArray(v) && v.$ !== undefined) {
      var s = this.shared[v.$];
      if (!s) { throw new Error('unknown shared value ' + v.$); }
      return s;
    }
    return { v: v };
  };

  /* A geometry, decoded once even when several features share it. */
  App.prototype._geometry = function (g) {
    var box = this._deref(g);
    if (!box.geom) { box.geom = decodeGeometry(box.v, this.topo, true); }
    return box.geom;
  };

  App.prototype.addLayer = function (spec) {
    var self = this;
    var layer = { spec: spec, key: spec.key, role: spec.role, kind: spec.kind, idx: this.layers.length,
      group: L.layerGroup(), items: [] };
    this.layers.push(layer);
    this.byKey[spec.key] = layer;
    var defaults = spec.defaults || {}, statuses = this.cfg.statuses || [];
    spec.features.forEach(function (f, i) {
      var item = null, p = f[1] || {};
      /* what most features of the layer share, written once; statuses of a history by index */
      Object.keys(defaults).forEach(function (k) { if (!has(p, k)) { p[k] = defaults[k]; } });
      if (p.history) {
        p.history = p.history.map(function (h) { return typeof h[1] === 'number' ? [h[0], statuses[h[1]]].concat(h.slice(2)) : h; });
      }
      try {
        var geom = self._geometry(f[0]);
        f[0] = geom;
        if (p.p !== undefined) {
          var box = self._deref(p.p);
          box.titles = box.titles || [];
          if (spec.title && box.titles.indexOf(spec.title) < 0) { box.titles.push(spec.title); }
          p.p = box.v;
          p.layerTitles = box.titles; /* every layer that draws this popup's feature */
        }
        item = self._makeItem(layer, geom, p, i);
      } catch (err) {
        if (window.console && console.warn) { console.warn('corridors: feature skipped in ' + spec.key + ': ' + err); }
      }
      layer.items.push(item);
      if (!item) { return; }
      if (p.id !== undefined && self.byId[p.id] === undefined) { self.byId[p.id] = item; }
      if (layer.role === 'corridor' || layer.role === 'nodes') {
        var name = self.featureName(p), d = p.d !== undefined ? p.d : deriveDetail(layer.role, p, self.S);
        var detail = layer.role === 'corridor' ? [spec.title, d].filter(Boolean).join(' \u00b7 ') : d;
        var terms = p.s !== undefined ? p.s : deriveTerms(p);
        [p.n].concat(terms, p.id !== undefined && String(p.id) !== p.n ? [String(p.id)] : []).forEach(function (term) {
          if (!term) { return; }
          self.search.push({ n: normalise(term), term: term, name: name, detail: detail, layer: layer, fi: i });
        });
      }
    });
    if (spec.visible) { this._show(layer, true); }
    return layer;
  };

  App.prototype.featureName = function (p) { return p.n || (p.id !== undefined ? String(p.id) : '') || '(unnamed)'; };

  /** The popup of a feature, as DOM nodes. */
  App.prototype.popupContent = function (item) {
    var p = item.props, role = item.layer.role, self = this;
    if (role === 'overlay') { return overlayTable(item.layer.spec.columns || [], p.v || []); }
    if (p.p && p.p.s && !p.p.sourcesResolved) { /* shared source entries */
      p.p.s = p.p.s.map(function (s) { return expandSource(self._deref(s).v, self.cfg.urls || []); });
      p.p.sourcesResolved = true;
    }
    var model = { r: expandMuted(rowsOf(p.p, role, p, this.S, this.cfg), this.cfg.muted || []), s: p.p && p.p.s };
    return popupNode(model, this.featureName(p), role === 'platform' ? p.i : null, this.cfg.labels || [], p.layerTitles);
  };

  App.prototype._tipContent = function (item) {
    var p = item.props, role = item.layer.role;
    if (role === 'overlay') { return overlayTable(item.layer.spec.columns || [], p.v || []); }
    return nameTip(this.featureName(p), role === 'platform' || role === 'basemap' ? p.i : null);
  };

  App.prototype._popupOptions = { maxWidth: 380, minWidth: 200, maxHeight: 360, autoPanPadding: [24, 24], className: 'cx-pop' };

  App.prototype._makeItem = function (layer, geom, p, i) {
    var self = this, S = this.S, R = this.R, role = layer.role, colour = layer.spec.colour, main;
    var item = { layer: layer, props: p, index: i, halos: [], marks: [], shown: true, status: p.status || null };
    if (role === 'basemap') {
      main = geometryLayer(geom, { renderer: R.main, interactive: false });
      main.setStyle({ color: S.basemapStroke, weight: 0.7, fillColor: S.basemapFill, fillOpacity: 1, opacity: 1 });
    } else if (role === 'nodes') {
      var ns = S.nodes[p.kind] || S.unknownNode;
      var c = geom.coordinates;
      main = new CanvasMark([c[1], c[0]], {
        renderer: R.main, radius: ns.size / 2, bubblingMouseEvents: false,
        sprite: nodeSprite(ns, !!p.approximate)
      });
      main.bindTooltip(function () { return self._tipContent(item); }, { direction: 'top', offset: [0, -ns.size / 2], className: 'cx-tip' });
      main.bindPopup(function () { return self.popupContent(item); }, this._popupOptions);
      main.on('click', function () { if (self.measuring) { self._measureAdd(main.getLatLng()); } });
    } else if (role === 'corridor') {
      main = geometryLayer(geom, { renderer: R.main });
      var latlngs = main.getLatLngs();
      var casings = [];
      if (p.precision === 'schematic' && S.schematicHalo) { casings.push(S.schematicHalo); }
      var md = S.modes[p.mode] || S.unknownMode;
      if (p.route) { if (S.routeCasing) { casings.push(S.routeCasing); } } else if (md.casing) { casings.push(md.casing); }
      casings.forEach(function (cs) {
        item.halos.push({ casing: cs, path: L.polyline(latlngs, { renderer: R.main, interactive: false }) });
      });
      (p.marks || []).forEach(function (m) {
        item.marks.push(new CanvasMark([m[1], m[0]], {
          renderer: R.main, radius: 8, interactive: false, sprite: closedSprite(S.closedMarkColour)
        }));
      });
      main.bindTooltip(function () { return self._tipContent(item); }, { sticky: true, direction: 'top', className: 'cx-tip' });
      main.bindPopup(function () { return self.popupContent(item); }, this._popupOptions);
    } else {
      // platform and user overlays: generic GeoJSON
      var isPlatform = role === 'platform';
      main = geometryLayer(geom, {
        renderer: R.main,
        pointToLayer: function (_f, ll) {
          return L.circleMarker(ll, { renderer: R.main, radius: 4.5, color: '#fff', weight: 1, fillColor: colour, fillOpacity: 0.9 });
        }
      });
      var st = isPlatform
        ? { color: colour, weight: 1.6, dashArray: '6 4', fillColor: colour, fillOpacity: 0.16, opacity: 0.9 }
        : { color: colour, weight: 2, fillColor: colour, fillOpacity: 0.25, opacity: 0.9 };
      if (!(main instanceof L.CircleMarker) && main.setStyle) { main.setStyle(st); }
      if (main instanceof L.FeatureGroup) {
        main.eachLayer(function (sub) { if (!(sub instanceof L.CircleMarker) && sub.setStyle) { sub.setStyle(st); } });
      }
      main.bindTooltip(function () { return self._tipContent(item); }, { sticky: true, direction: 'top', className: 'cx-tip' });
      main.bindPopup(function () { return self.popupContent(item); }, this._popupOptions);
    }
    item.main = main;
    if (role === 'corridor') { this._styleItem(item, item.status); }
    item.halos.forEach(function (h) { layer.group.addLayer(h.path); });
    layer.group.addLayer(main);
    item.marks.forEach(function (m) { layer.group.addLayer(m); });
    return item;
  };

  App.prototype._lineStyle = function (item, status) {
    var S = this.S, p = item.props;
    var ss = S.statuses[status] || S.unknownStatus, md = S.modes[p.mode] || S.unknownMode;
    var colour = item.layer.spec.colour, weight = md.weight, opacity = ss.opacity;
    if (p.closed) { colour = S.closedColour; } else if (ss.grey) { colour = mix(colour, S.grey, ss.grey); }
    if (p.route) { colour = S.routeColour; weight += S.routeExtraWeight; }
    if (p.precision === 'schematic') { opacity *= S.schematicOpacity; }
    return { color: colour, weight: weight, opacity: opacity, dashArray: ss.dash, lineCap: ss.cap, lineJoin: 'round' };
  };

  App.prototype._styleItem = function (item, status) {
    var st = this._lineStyle(item, status), ss = this.S.statuses[status] || this.S.unknownStatus;
    item.main.setStyle(st);
    item.main.options.interactive = true;
    item.halos.forEach(function (h) {
      var c = h.casing;
      h.path.setStyle({ color: c.colour, weight: st.weight + c.extra, opacity: c.opacity * ss.opacity,
        dashArray: c.dash, lineCap: c.dash ? 'round' : 'butt', lineJoin: 'round' });
    });
  };

  App.prototype._setItem = function (item, show, status) {
    if (item.shown === show && item.drawnStatus === status) { return; }
    var group = item.layer.group;
    if (show) {
      this._styleItem(item, status);
      item.marks.forEach(function (m) { group.addLayer(m); });
    } else {
      item.main.setStyle({ opacity: 0 });
      item.main.options.interactive = false;
      item.main.closeTooltip();
      if (item.main.isPopupOpen && item.main.isPopupOpen()) { item.main.closePopup(); }
      item.halos.forEach(function (h) { h.path.setStyle({ opacity: 0 }); });
      item.marks.forEach(function (m) { group.removeLayer(m); });
    }
    item.shown = show;
    item.drawnStatus = status;
  };

  App.prototype.statusAt = function (item) {
    var h = item.props.history;
    if (this.year === null || !h || !h.length) { return item.status; }
    var st = null;
    for (var i = 0; i < h.length; i++) { if (h[i][0] <= this.year) { st = h[i][1]; } }
    return st;
  };

  App.prototype.applyFilters = function () {
    var self = this;
    this.layers.forEach(function (layer) {
      if (layer.role !== 'corridor') { return; }
      layer.items.forEach(function (item) {
        if (!item) { return; }
        var st = self.statusAt(item);
        self._setItem(item, st !== null && self.statusOn[st] !== false, st);
      });
    });
    this.updateLegend();
  };

  var DRAW_RANK = { basemap: 0, platform: 1, overlay: 2, corridor: 3, nodes: 5 };

  App.prototype._restack = function () {
    // The canvas draws in insertion order: bring every drawn path to the front in the order
    // it is to be seen. Countries; then the casings and halos of every line (under all the
    // lines); routes' casings; platform polygons < overlays < corridors; routes; closed-link
    // marks; places on top.
    var self = this;
    // corridors: larger ones first, so where corridors share a segment the most specific
    // one (BTK over the Middle Corridor) is drawn on top, in its own colour
    var order = this.layers.slice().sort(function (a, b) {
      var ra = DRAW_RANK[a.role] + (a.role === 'overlay' ? ({ polygons: 0, lines: 1.5, points: 2.5 }[a.kind] || 0) : 0);
      var rb = DRAW_RANK[b.role] + (b.role === 'overlay' ? ({ polygons: 0, lines: 1.5, points: 2.5 }[b.kind] || 0) : 0);
      var size = a.role === 'corridor' && b.role === 'corridor' ? b.items.length - a.items.length : 0;
      return ra - rb || size || a.idx - b.idx;
    });
    var countries = [], halos = [], routeHalos = [], mains = [], routes = [], marks = [], places = [];
    order.forEach(function (layer) {
      if (!self.map.hasLayer(layer.group)) { return; }
      var list = layer.role === 'basemap' ? countries : layer.role === 'nodes' ? places : mains;
      layer.items.forEach(function (item) {
        if (!item) { return; }
        var route = !!item.props.route;
        item.halos.forEach(function (h) { (route ? routeHalos : halos).push(h.path); });
        (route ? routes : list).push(item.main);
        item.marks.forEach(function (m) { marks.push(m); });
      });
    });
    [countries, halos, routeHalos, mains, routes, marks, places].forEach(function (list) {
      list.forEach(function (path) { if (path.bringToFront) { path.bringToFront(); } });
    });
  };

  App.prototype._show = function (layer, on) {
    if (on && !this.map.hasLayer(layer.group)) { layer.group.addTo(this.map); }
    if (!on && this.map.hasLayer(layer.group)) { this.map.removeLayer(layer.group); }
  };

  App.prototype.setLayerVisible = function (key, on) {
    var layer = this.byKey[key];
    if (!layer) { return; }
    this._show(layer, on);
    if (on) { this._restack(); }
    var box = this._layerBox(key);
    if (box && box.checked !== on) { box.checked = on; }
    this._syncGroups();
    this.updateLegend();
  };

  App.prototype._layerBox = function (key) {
    var tree = this.uiPart('layers'), boxes = tree ? tree.querySelectorAll('input[data-cx-layer]') : [];
    for (var i = 0; i < boxes.length; i++) { if (boxes[i].getAttribute('data-cx-layer') === key) { return boxes[i]; } }
    return null;
  };

  /* ---------------------------------------------------------------- legend */

  App.prototype.drawnKeys = function () {
    var on = {}, self = this;
    this.layers.forEach(function (layer) {
      if (!self.map.hasLayer(layer.group)) { return; }
      var any = false;
      layer.items.forEach(function (item) {
        if (!item) { return; }
        var p = item.props;
        if (layer.role === 'corridor') {
          if (!item.shown) { return; }
          any = true;
          on['status:' + item.drawnStatus] = true;
          on['mode:' + p.mode] = true;
          if (p.precision === 'schematic') { on['precision:schematic'] = true; }
          if (p.closed) { on.closed = true; }
          if (p.route) { on.route = true; }
        } else if (layer.role === 'nodes') {
          any = true;
          on['kind:' + p.kind] = true;
          if (p.approximate) { on['node:approximate'] = true; }
        } else { any = true; }
      });
      if (any) { on['layer:' + layer.key] = true; }
    });
    return on;
  };

  App.prototype.updateLegend = function () {
    var root = this.uiPart('legend');
    if (!root) { return; }
    var on = this.drawnKeys();
    var rows = root.querySelectorAll('[data-cx]');
    for (var i = 0; i < rows.length; i++) { rows[i].hidden = !on[rows[i].getAttribute('data-cx')]; }
    var sections = root.querySelectorAll('.cx-legend-section');
    for (var j = 0; j < sections.length; j++) {
      sections[j].hidden = !sections[j].querySelector('[data-cx]:not([hidden])');
    }
  };

  /* ---------------------------------------------------------------- layer tree */

  App.prototype._syncGroups = function () {
    var tree = this.uiPart('layers');
    if (!tree) { return; }
    var groups = tree.querySelectorAll('input[data-cx-group]');
    for (var i = 0; i < groups.length; i++) {
      var li = groups[i].closest('li');
      var boxes = li.querySelectorAll('input[data-cx-layer]'), n = 0;
      for (var j = 0; j < boxes.length; j++) { if (boxes[j].checked) { n++; } }
      groups[i].checked = n > 0 && n === boxes.length;
      groups[i].indeterminate = n > 0 && n < boxes.length;
    }
  };

  App.prototype._initTree = function () {
    var root = this.uiPart('layers'), self = this;
    if (!root) { return; }
    root.addEventListener('change', function (e) {
      var t = e.target;
      if (t.hasAttribute('data-cx-layer')) {
        self.setLayerVisible(t.getAttribute('data-cx-layer'), t.checked);
      } else if (t.hasAttribute('data-cx-group')) {
        var boxes = t.closest('li').querySelectorAll('input[data-cx-layer]');
        for (var i = 0; i < boxes.length; i++) {
          boxes[i].checked = t.checked;
          var layer = self.byKey[boxes[i].getAttribute('data-cx-layer')];
          if (layer) { self._show(layer, t.checked); }
        }
        if (t.checked) { self._restack(); }
        self._syncGroups();
        self.updateLegend();
      } else if (t.name === 'cx-base') {
        self.setBase(parseInt(t.value, 10));
      }
    });
    root.addEventListener('click', function (e) {
      var caret = e.target.closest ? e.target.closest('.cx-caret') : null;
      if (!caret) { return; }
      var ul = caret.closest('li').querySelector('ul');
      var open = caret.getAttribute('aria-expanded') !== 'true';
      caret.setAttribute('aria-expanded', open ? 'true' : 'false');
      if (ul) { ul.hidden = !open; }
    });
    this._syncGroups();
    new Panel(root, { position: 'topright', className: 'cx-layers-control' }).addTo(this.map);
    wireCollapse(root, this.compact);
  };

  App.prototype.setBase = function (index) {
    var tiles = this.cfg.tiles || [], map = this.map, self = this;
    if (this._tile) { map.removeLayer(this._tile); this._tile = null; }
    if (index >= 0 && tiles[index]) {
      var t = tiles[index];
      this._tile = L.tileLayer(t.url, t.options).addTo(map);
    }
    var online = !!this._tile;
    this.layers.forEach(function (layer) {
      if (layer.role !== 'basemap') { return; }
      layer.items.forEach(function (item) {
        if (item) { item.main.setStyle({ fillOpacity: online ? 0 : 1, opacity: online ? 0.6 : 1 }); }
      });
    });
    map.getContainer().style.background = online ? '#ddd' : self.S.seaColour;
  };

  /* ---------------------------------------------------------------- filter + year */

  App.prototype._initFilter = function () {
    var root = this.uiPart('filter'), self = this;
    if (!root) { return; }
    root.addEventListener('change', function (e) {
      var t = e.target;
      if (t.hasAttribute('data-cx-status')) {
        self.statusOn[t.getAttribute('data-cx-status')] = t.checked;
        self.applyFilters();
      }
    });
    var slider = root.querySelector('input[type=range]'), out = root.querySelector('output');
    if (slider) {
      var latest = parseInt(slider.max, 10);
      var onInput = function () {
        var v = parseInt(slider.value, 10);
        self.year = v >= latest ? null : v;
        if (out) { out.textContent = self.year === null ? 'latest' : String(v); }
        slider.setAttribute('aria-valuetext', self.year === null ? 'latest status' : 'as of end of ' + v);
        self.applyFilters();
      };
      slider.addEventListener('input', onInput);
      slider.addEventListener('change', onInput);
    }
    new Panel(root, { position: 'bottomleft', className: 'cx-filter-control' }).addTo(this.map);
    wireCollapse(root, this.compact);
  };

  /** Show the network as of the end of `year` (null = latest status). */
  App.prototype.setYear = function (year) {
    var root = this.uiPart('filter'), slider = root && root.querySelector('input[type=range]');
    if (slider) {
      slider.value = year === null ? slider.max : String(year);
      slider.dispatchEvent(new Event('input'));
    } else {
      this.year = year;
      this.applyFilters();
    }
  };

  /* ---------------------------------------------------------------- search */

  App.prototype._initSearch = function () {
    var root = this.uiPart('search'), self = this;
    if (!root || !this.search.length) { return; }
    var input = root.querySelector('input'), list = root.querySelector('ul');
    var results = [], active = -1;
    function render() {
      list.textContent = '';
      results.forEach(function (r, i) {
        var li = el('li', i === active ? 'cx-active' : '', list);
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', i === active ? 'true' : 'false');
        el('b', '', li, r.term).setAttribute('dir', 'auto');
        var rest = el('span', 'cx-muted', li);
        if (r.term !== r.name) {
          rest.appendChild(document.createTextNode(' \u2192 '));
          textSpan(rest, r.name);
        }
        if (r.detail) { rest.appendChild(document.createTextNode(' \u00b7 ' + r.detail)); }
        li.addEventListener('mousedown', function (ev) { ev.preventDefault(); pick(i); });
      });
      list.hidden = !results.length;
      input.setAttribute('aria-expanded', results.length ? 'true' : 'false');
    }
    function query() {
      var q = normalise(input.value);
      results = [];
      active = -1;
      if (q) {
        var seen = {}, scored = [];
        self.search.forEach(function (s) {
          var pos = s.n.indexOf(q);
          if (pos < 0) { return; }
          var score = pos === 0 ? 0 : (s.n.charAt(pos - 1) === ' ' ? 1 : 2);
          scored.push([score, s.n.length, s]);
        });
        scored.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
        scored.forEach(function (x) {
          var s = x[2], id = s.layer.key + '\u0000' + s.fi;
          if (seen[id] || results.length >= 12) { return; }
          seen[id] = true;
          results.push(s);
        });
        active = results.length ? 0 : -1;
      }
      render();
    }
    function pick(i) {
      var r = results[i];
      if (!r) { return; }
      list.hidden = true;
      self.focusFeature(r.layer.key, r.fi);
    }
    input.addEventListener('input', query);
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown') { active = Math.min(results.length - 1, active + 1); render(); e.preventDefault(); }
      else if (e.key === 'ArrowUp') { active = Math.max(0, active - 1); render(); e.preventDefault(); }
      else if (e.key === 'Enter') { if (active < 0 && results.length) { active = 0; } pick(active); e.preventDefault(); }
      else if (e.key === 'Escape') { input.value = ''; results = []; render(); }
    });
    input.addEventListener('blur', function () { setTimeout(function () { list.hidden = true; }, 150); });
    input.addEventListener('focus', function () { if (results.length) { list.hidden = false; } });
    new Panel(root, { position: 'topleft', className: 'cx-search-control' }).addTo(this.map);
  };

  /** Zoom to a feature and open its popup (turning its layer on if needed). */
  App.prototype.focusFeature = function (key, fi) {
    var layer = this.byKey[key], item = layer && layer.items[fi], map = this.map;
    if (!item) { return false; }
    if (!map.hasLayer(layer.group)) { this.setLayerVisible(key, true); }
    var main = item.main;
    if (main.getLatLng) {
      map.setView(main.getLatLng(), Math.max(map.getZoom(), 7), { animate: false });
      main.openPopup();
    } else {
      var mid = item.props.mid ? L.latLng(item.props.mid[1], item.props.mid[0]) : main.getBounds().getCenter();
      map.fitBounds(main.getBounds(), { maxZoom: 9, padding: [40, 40], animate: false });
      if (item.shown === false) {
        map.openPopup(this.popupContent(item), mid, this._popupOptions);
      } else {
        main.openPopup(mid);
      }
    }
    return true;
  };

  /** Visibility and status of the feature with property id `id` (for tests and tools). */
  App.prototype.featureState = function (id) {
    var item = this.byId[id];
    if (!item) { return null; }
    return { layer: item.layer.key, layerVisible: this.map.hasLayer(item.layer.group),
      shown: item.shown !== false, status: item.shown === false ? null : (item.drawnStatus || item.status) };
  };

  /* ---------------------------------------------------------------- toolbar */

  App.prototype._initToolbar = function () {
    var self = this, map = this.map;
    var Bar = L.Control.extend({
      onAdd: function () {
        var c = el('div', 'leaflet-bar leaflet-control cx-toolbar');
        function button(name, title, handler) {
          var b = el('a', 'cx-tool cx-tool-' + name, c);
          b.href = '#';
          b.setAttribute('role', 'button');
          b.setAttribute('title', title);
          b.setAttribute('aria-label', title);
          b.innerHTML = ICONS[name];
          L.DomEvent.on(b, 'click', function (e) { L.DomEvent.preventDefault(e); handler(b); });
          return b;
        }
        button('home', 'Zoom to the whole atlas', function () {
          if (self.cfg.bounds) { self.home(true); }
        });
        var fsEnabled = document.fullscreenEnabled && document.documentElement.requestFullscreen;
        var fs = button('fullscreen', fsEnabled ? 'Full screen' : 'Full screen is not available here', function () {
          if (!fsEnabled) { return; }
          var p = document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen();
          if (p && p.catch) { p.catch(function () { /* refused by the browser: keep the page as is */ }); }
        });
        if (!fsEnabled) { fs.classList.add('cx-disabled'); fs.setAttribute('aria-disabled', 'true'); }
        document.addEventListener('fullscreenchange', function () {
          fs.classList.toggle('cx-on', !!document.fullscreenElement);
          fs.setAttribute('aria-pressed', document.fullscreenElement ? 'true' : 'false');
          map.invalidateSize();
        });
        self._measureButton = button('measure', 'Measure great-circle distance', function () { self.toggleMeasure(); });
        L.DomEvent.disableClickPropagation(c);
        return c;
      }
    });
    new Bar({ position: 'topleft' }).addTo(map);
  };

  /* ---------------------------------------------------------------- measure */

  App.prototype._initMeasure = function () {
    var self = this, map = this.map;
    this._m = { points: [], line: null, dots: L.layerGroup() };
    var Info = L.Control.extend({
      onAdd: function () {
        var c = el('div', 'leaflet-control cx-control cx-measure-panel');
        c.hidden = true;
        el('div', 'cx-measure-total', c, '');
        el('div', 'cx-measure-legs cx-muted', c, '');
        el('div', 'cx-muted cx-measure-note', c,
          'Great-circle (haversine) distance on the WGS84 mean sphere, R = 6,371.0088 km. Click the map to add points; Esc to stop.');
        var row = el('div', 'cx-measure-buttons', c);
        var undo = el('button', '', row, 'Undo');
        var clear = el('button', '', row, 'Clear');
        var done = el('button', '', row, 'Done');
        undo.type = clear.type = done.type = 'button';
        undo.addEventListener('click', function () { self._m.points.pop(); self._measureDraw(); });
        clear.addEventListener('click', function () { self._m.points = []; self._measureDraw(); });
        done.addEventListener('click', function () { self.toggleMeasure(false); });
        L.DomEvent.disableClickPropagation(c);
        return c;
      }
    });
    this._measureInfo = new Info({ position: 'topleft' }).addTo(map);
    map.on('click', function (e) { if (self.measuring) { self._measureAdd(e.latlng); } });
    map.on('popupopen', function () { if (self.measuring) { map.closePopup(); } });
    document.addEventListener('keydown', function (e) { if (e.key === 'Escape' && self.measuring) { self.toggleMeasure(false); } });
  };

  App.prototype.toggleMeasure = function (on) {
    var map = this.map, m = this._m;
    if (!m) { return; }
    this.measuring = on === undefined ? !this.measuring : !!on;
    var c = map.getContainer();
    c.classList.toggle('cx-measuring', this.measuring);
    this._measureInfo.getContainer().hidden = !this.measuring;
    if (this._measureButton) {
      this._measureButton.classList.toggle('cx-on', this.measuring);
      this._measureButton.setAttribute('aria-pressed', this.measuring ? 'true' : 'false');
    }
    if (this.measuring) {
      map.doubleClickZoom.disable();
      map.closePopup();
      m.dots.addTo(map);
    } else {
      map.doubleClickZoom.enable();
      m.points = [];
      map.removeLayer(m.dots);
    }
    this._measureDraw();
  };

  App.prototype._measureAdd = function (latlng) {
    this._m.points.push(L.latLng(latlng.lat, latlng.lng));
    this._measureDraw();
  };

  /** Total great-circle length (km) of the measured points. */
  App.prototype.measureKm = function () {
    var pts = this._m ? this._m.points : [], km = 0;
    for (var i = 1; i < pts.length; i++) { km += haversineKm(pts[i - 1], pts[i]); }
    return km;
  };

  App.prototype._measureDraw = function () {
    var m = this._m, R = this.R, pts = m.points;
    m.dots.clearLayers();
    var path = [];
    for (var i = 0; i < pts.length; i++) {
      if (i > 0) { path = path.concat(greatCircle(pts[i - 1], pts[i], 25).slice(1)); } else { path.push(pts[0]); }
      m.dots.addLayer(L.circleMarker(pts[i], { renderer: R.measure, radius: 4, color: '#111', weight: 2, fillColor: '#fff', fillOpacity: 1, interactive: false }));
    }
    if (path.length > 1) {
      m.dots.addLayer(L.polyline(path, { renderer: R.measure, color: '#111', weight: 2.5, dashArray: '6 4', interactive: false }));
    }
    var panel = this._measureInfo.getContainer();
    var total = this.measureKm();
    panel.querySelector('.cx-measure-total').textContent = pts.length > 1 ? fmtKm(total) : 'Click the map to start measuring';
    var last = pts.length > 1 ? haversineKm(pts[pts.length - 2], pts[pts.length - 1]) : 0;
    panel.querySelector('.cx-measure-legs').textContent = pts.length > 2
      ? (pts.length - 1) + ' legs, last ' + fmtKm(last) : '';
  };

  /* ---------------------------------------------------------------- minimap */

  /* The LatLng arrays of a drawn layer, appended to `out`: polygons (arrays of rings) when
   * `polygons`, else lines. */
  function latLngParts(layer, polygons, out) {
    if (layer.getLatLngs) {
      var ll = layer.getLatLngs();
      if (!ll.length) { return; }
      if (polygons) {
        if (L.LineUtil.isFlat(ll[0])) { out.push(ll); } else { ll.forEach(function (p) { out.push(p); }); }
      } else if (L.LineUtil.isFlat(ll)) { out.push(ll); } else { ll.forEach(function (p) { out.push(p); }); }
    } else if (layer.eachLayer) {
      layer.eachLayer(function (sub) { latLngParts(sub, polygons, out); });
    }
  }

  App.prototype._initMinimap = function () {
    var self = this, map = this.map, S = this.S;
    var box = el('div', 'cx-minimap-wrap');
    var head = el('button', 'cx-minimap-toggle', box, 'Overview');
    head.type = 'button';
    head.setAttribute('aria-expanded', 'true');
    var div = el('div', 'cx-minimap', box);
    div.setAttribute('aria-label', 'Overview map');
    new Panel(box, { position: 'bottomleft', className: 'cx-minimap-control' }).addTo(map);
    if (this.compact) { div.hidden = true; head.setAttribute('aria-expanded', 'false'); }
    // The overview map is a second Leaflet map: build it once the main map is on screen
    // (idle time), so it never delays the first drawing of the atlas.
    var idle = window.requestIdleCallback || function (fn) { return setTimeout(fn, 1); };
    idle(function () { safeCall('minimap', function () { self._buildMinimap(box, head, div); }); },
         { timeout: 500 });
  };

  App.prototype._buildMinimap = function (box, head, div) {
    var map = this.map, S = this.S;
    var mini = L.map(div, {
      attributionControl: false, zoomControl: false, dragging: false, scrollWheelZoom: false,
      doubleClickZoom: false, boxZoom: false, keyboard: false, touchZoom: false,
      fadeAnimation: false, zoomAnimation: false, markerZoomAnimation: false, inertia: false,
      zoomSnap: 0.25, preferCanvas: true
    });
    div.style.background = S.seaColour;
    mini.setView(map.getCenter(), Math.max(0, map.getZoom() - 4), { animate: false });
    var r = L.canvas({ padding: 0.2 });
    // Countries, then each corridor layer, as one path each, on the LatLngs the main map
    // already holds (no second decoding of the geometry; ~15 paths instead of ~300).
    var drawn = this.layers.filter(function (layer) { return layer.role === 'basemap'; })
      .concat(this.layers.filter(function (layer) { return layer.role === 'corridor'; }));
    drawn.forEach(function (layer) {
      var parts = [], polygons = layer.role === 'basemap';
      layer.items.forEach(function (item) { if (item) { latLngParts(item.main, polygons, parts); } });
      if (!parts.length) { return; }
      var style = polygons
        ? { color: S.basemapStroke, weight: 0.4, fillColor: S.basemapFill, fillOpacity: 1 }
        : { color: layer.spec.colour, weight: 1.2, opacity: 0.9 };
      var opts = L.extend({ renderer: r, interactive: false }, style);
      (polygons ? L.polygon(parts, opts) : L.polyline(parts, opts)).addTo(mini);
    });
    var rect = L.rectangle(map.getBounds(), { renderer: r, color: '#c00', weight: 1.5, fillOpacity: 0.08, interactive: false }).addTo(mini);
    function sync() {
      if (!div.offsetWidth) { return; }
      mini.invalidateSize(false);
      mini.setView(map.getCenter(), Math.max(0, map.getZoom() - 4), { animate: false });
      rect.setBounds(map.getBounds());
    }
    map.on('moveend zoomend resize', sync);
    mini.on('click', function (e) { map.panTo(e.latlng); });
    head.addEventListener('click', function () {
      div.hidden = !div.hidden;
      head.setAttribute('aria-expanded', div.hidden ? 'false' : 'true');
      if (!div.hidden) { sync(); }
    });
    this.minimap = mini; /* in the view set above: no second projection of everything */
  };

  /* ---------------------------------------------------------------- finish */

  App.prototype.finish = function () {
    var self = this, map = this.map;
    this.compact = window.innerWidth < 700 || window.innerHeight < 500;
    this._restack();
    safeCall('toolbar', function () { self._initToolbar(); });
    safeCall('measure', function () { self._initMeasure(); });
    safeCall('search', function () { self._initSearch(); });
    safeCall('layer tree', function () { self._initTree(); });
    safeCall('legend', function () {
      var legend = self.uiPart('legend');
      if (legend) {
        new Panel(legend, { position: 'bottomright', className: 'cx-legend-control' }).addTo(map);
        wireCollapse(legend, self.compact);
      }
    });
    safeCall('scale', function () { L.control.scale({ imperial: false, maxWidth: 140, position: 'bottomleft' }).addTo(map); });
    safeCall('minimap', function () { self._initMinimap(); });
    safeCall('filter', function () { self._initFilter(); });
    safeCall('base map', function () { self.setBase(self.cfg.baseIndex === undefined ? -1 : self.cfg.baseIndex); });
    this.applyFilters();
    map.getContainer().setAttribute('data-cx-ready', 'true');
    return this;
  };

  L.Icon.Default.imagePath = '';

  window.Corridors = {
    create: function (map, cfg) {
      var app = new App(map, cfg);
      window.corridorsMap = map;
      window.corridorsApp = app;
      return app;
    },
    haversineKm: haversineKm,
    greatCircle: greatCircle,
    normalise: normalise,
    mix: mix
  };
}(window, document));
