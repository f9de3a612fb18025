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

  /* The fill of a disputed area: diagonal hatching in the layer colour (a canvas pattern). */
  var hatches = {};
  function hatch(colour) {
    if (!hatches[colour]) {
      var c = document.createElement('canvas'), g = c.getContext('2d');
      c.width = c.height = 8;
      g.strokeStyle = colour;
      g.beginPath(); g.moveTo(0, 8); g.lineTo(8, 0); g.moveTo(-1, 1); g.lineTo(1, -1); g.moveTo(7, 9); g.lineTo(9, 7);
      g.stroke();
      hatches[colour] = g.createPattern(c, 'repeat');
    }
    return hatches[colour];
  }

  /* ---------------------------------------------------------------- layers */

  /** Draw one layer of the payload (corridors.render.prepare: the page properties). */
  App.prototype.addLayer = function (spec) {
    var self = this;
    var layer = { spec: spec, key: spec.key, role: spec.role, kind: spec.kind, idx: this.layers.length,
      group: L.layerGroup(), items: [] };
    this.layers.push(layer);
    this.byKey[spec.key] = layer;
    spec.features.forEach(function (f, i) {
      var item = null, p = f[1] || {};
      try {
        var geom = decodeGeometry(f[0], self.topo, true);
        f[0] = geom;
        item = self._makeItem(layer, geom, p, i);
      } catch (err) {
        if (window.console && console.warn) { console.warn('corridors: feature skipped in ' + spec.key + ': ' + err); }
      }
      layer.items.push(item);
      if (!item) { return; }
      if (p.id !== undefined && self.byId[p.id] === undefined) { self.byId[p.id] = item; }
      if (layer.role === 'corridor' || layer.role === 'nodes') {
        var name = self.featureName(p), d = p.d || '';
        var detail = layer.role === 'corridor' ? [spec.title, d].filter(Boolean).join(' \u00b7 ') : d;
        [p.n].concat(p.s || [], p.id !== undefined && String(p.id) !== p.n ? [String(p.id)] : []).forEach(function (term) {
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
    var p = item.props, role = item.layer.role;
    if (role === 'overlay') { return overlayTable(item.layer.spec.columns || [], p.v || []); }
    var node = popupNode(p.p, this.featureName(p), role === 'platform' ? p.i : null, this.cfg.labels || []);
    var links = role === 'nodes' && p.id !== undefined ? this._linksNode(p.id) : null;
    if (links) { node.insertBefore(links, node.querySelector('.cx-sources')); }
    return node;
  };

  App.prototype._tipContent = function (item) {
    var p = item.props, role = item.layer.role;
    if (role === 'overlay') { return overlayTable(item.layer.spec.columns || [], p.v || []); }
    var tip = nameTip(this.featureName(p), role === 'platform' || role === 'basemap' ? p.i : null);
    if (role === 'corridor') {
      el('div', 'cx-muted', tip, item.layer.spec.title.split(' (')[0] + ' \u00b7 ' + this.lineSummary(item));
    } else if (role === 'nodes' && p.d) {
      el('div', 'cx-muted', tip, p.d);
    }
    return tip;
  };

  App.prototype._popupOptions = { maxWidth: 380, minWidth: 200, maxHeight: 360, autoPanPadding: [24, 24], className: 'cx-pop' };

  App.prototype._makeItem = function (layer, geom, p, i) {
    var self = this, S = this.S, R = this.R, role = layer.role, colour = layer.spec.colour, main;
    var item = { layer: layer, props: p, index: i, halos: [], marks: [], shown: true, status: p.status || null };
    if (role === 'basemap') {
      main = geometryLayer(geom, { renderer: R.main, interactive: false });
      main.setStyle({ color: S.basemapStroke, weight: 0.7, fillColor: S.basemapFill, fillOpacity: 1, opacity: 1 });
    } else if (role === 'disputed') {
      main = geometryLayer(geom, { renderer: R.main });
      main.setStyle({ color: colour, weight: 1.2, dashArray: '4 3', opacity: 0.9, fillColor: hatch(colour), fillOpacity: 0.6 });
      main.bindTooltip(function () { return nameTip(self.featureName(p), null); }, { sticky: true, direction: 'top', className: 'cx-tip' });
      main.bindPopup(function () { return popupNode({}, self.featureName(p), p.t, []); }, this._popupOptions);
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
    if (p.route) { colour = item.layer.spec.colour || S.routeColour; weight += S.routeExtraWeight; }
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

  var DRAW_RANK = { basemap: 0, platform: 1, disputed: 1.5, overlay: 2, corridor: 3, projects: 4, nodes: 5 };

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

