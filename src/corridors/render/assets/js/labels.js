  /* ---------------------------------------------------------------- labels */

  /* Names of countries (at their label point, larger first) and of the main hubs (the
   * data's hub order), placed greedily so that no two overlap: a hub tries the right, left,
   * top and bottom of its mark; a country its point only. Redrawn after every move. */
  var LABEL_FONT = { hub: '600 12px system-ui, sans-serif', country: '11px system-ui, sans-serif' };

  App.prototype._initLabels = function () {
    var self = this, map = this.map, cands = [];
    this.layers.forEach(function (layer) {
      layer.items.forEach(function (item) {
        if (!item) { return; }
        var p = item.props;
        if (layer.role === 'basemap' && p.lp && p.n) {
          cands.push({ kind: 'country', rank: 1000 - (p.la || 0), text: p.n, local: p.n, ll: L.latLng(p.lp[1], p.lp[0]), layer: layer });
        } else if (layer.role === 'nodes' && p.h) {
          cands.push({ kind: 'hub', rank: p.h - 2000, text: self.featureName(p), local: p.ln || self.featureName(p),
            ll: item.main.getLatLng(), layer: layer, r: item.main.options.radius });
        }
      });
    });
    if (!cands.length) { return; }
    cands.sort(function (a, b) { return a.rank - b.rank || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0); });
    this._labelCands = cands;
    var pane = map.createPane('cx-labels');
    pane.style.zIndex = 450;
    pane.style.pointerEvents = 'none';
    this._labelPane = pane;
    this.labelMode = this.labelMode || 'name';
    this._measureCtx = document.createElement('canvas').getContext('2d');
    map.on('zoomend moveend resize', function () { self.drawLabels(); });
    this.drawLabels();
  };

  /** 'name' (English names), 'local' (hubs in another script where the data has it), 'off'. */
  App.prototype.setLabels = function (mode) {
    this.labelMode = mode;
    var box = this.ui && this.ui.querySelector('input[name=cx-labels][value="' + mode + '"]');
    if (box) { box.checked = true; }
    this.drawLabels();
  };

  App.prototype.drawLabels = function () {
    var pane = this._labelPane, map = this.map, ctx = this._measureCtx, self = this;
    if (!pane) { return; }
    pane.textContent = '';
    this.labels = [];
    if (this.labelMode === 'off') { return; }
    var size = map.getSize(), placed = [];
    function free(b) {
      if (b[0] < 0 || b[1] < 0 || b[2] > size.x || b[3] > size.y) { return false; }
      for (var i = 0; i < placed.length; i++) {
        var q = placed[i];
        if (b[0] < q[2] && q[0] < b[2] && b[1] < q[3] && q[1] < b[3]) { return false; }
      }
      return true;
    }
    // the panels and the hubs' own marks are obstacles for every label
    var crect = map.getContainer().getBoundingClientRect();
    var panels = map.getContainer().querySelectorAll('.leaflet-control');
    for (var k = 0; k < panels.length; k++) {
      var r = panels[k].getBoundingClientRect();
      if (r.width) { placed.push([r.left - crect.left, r.top - crect.top, r.right - crect.left, r.bottom - crect.top]); }
    }
    this._labelCands.forEach(function (c) {
      if (c.kind !== 'hub' || !map.hasLayer(c.layer.group)) { return; }
      var p = map.latLngToContainerPoint(c.ll);
      placed.push([p.x - c.r, p.y - c.r, p.x + c.r, p.y + c.r]);
    });
    this._labelCands.forEach(function (c) {
      if (!map.hasLayer(c.layer.group)) { return; }
      var text = self.labelMode === 'local' ? c.local : c.text;
      ctx.font = LABEL_FONT[c.kind];
      var w = Math.ceil(ctx.measureText(text).width) + 4, h = c.kind === 'hub' ? 16 : 14;
      var p = map.latLngToContainerPoint(c.ll), tries;
      if (c.kind === 'hub') {
        var g = c.r + 2;
        tries = [[p.x + g, p.y - h / 2], [p.x - g - w, p.y - h / 2], [p.x - w / 2, p.y - g - h], [p.x - w / 2, p.y + g]];
      } else {
        tries = [[p.x - w / 2, p.y - h / 2]];
      }
      for (var i = 0; i < tries.length; i++) {
        var b = [tries[i][0], tries[i][1], tries[i][0] + w, tries[i][1] + h];
        if (!free(b)) { continue; }
        placed.push(b);
        var at = map.containerPointToLayerPoint([b[0], b[1]]);
        var d = el('div', 'cx-maplabel cx-maplabel-' + c.kind, pane, text);
        d.setAttribute('dir', 'auto');
        L.DomUtil.setPosition(d, at);
        self.labels.push({ text: text, kind: c.kind, x: b[0], y: b[1], w: w, h: h });
        return;
      }
    });
  };

  /* ---------------------------------------------------------------- line picker */

  /* Lines stacked under the pointer (the same track in several corridors, parallel lines):
   * a click lists them all, and the chosen one opens its popup. */
  App.prototype.linesAt = function (latlng, tolerancePx) {
    var map = this.map, pt = map.latLngToLayerPoint(latlng), out = [], seen = {};
    var tol = tolerancePx === undefined ? 5 : tolerancePx;
    this.layers.forEach(function (layer) {
      if (layer.role !== 'corridor' || !map.hasLayer(layer.group)) { return; }
      layer.items.forEach(function (item) {
        if (!item || item.shown === false) { return; }
        var reach = tol + (item.main.options.weight || 2) / 2;
        var bb = item.main.getBounds(), sw = map.latLngToLayerPoint(bb.getSouthWest()), ne = map.latLngToLayerPoint(bb.getNorthEast());
        if (pt.x < sw.x - reach || pt.x > ne.x + reach || pt.y > sw.y + reach || pt.y < ne.y - reach) { return; }
        var parts = [];
        latLngParts(item.main, false, parts);
        for (var k = 0; k < parts.length; k++) {
          var prev = null;
          for (var j = 0; j < parts[k].length; j++) {
            var q = map.latLngToLayerPoint(parts[k][j]);
            if (prev && L.LineUtil.pointToSegmentDistance(pt, prev, q) <= reach) {
              var id = layer.key + '\u0000' + item.index;
              if (!seen[id]) { seen[id] = true; out.push(item); }
              return;
            }
            prev = q;
          }
        }
      });
    });
    return out;
  };

  App.prototype.lineSummary = function (item) {
    var p = item.props, S = this.S, st = item.drawnStatus || item.status;
    var ss = S.statuses[st], mode = String(p.mode || '').replace(/_/g, ' ');
    return [mode, ss ? ss.label.toLowerCase() : st].filter(Boolean).join(' \u00b7 ');
  };

  App.prototype._initPicker = function () {
    var self = this;
    this.layers.forEach(function (layer) {
      if (layer.role !== 'corridor') { return; }
      layer.items.forEach(function (item) {
        if (!item) { return; }
        item.main.off('click');
        item.main.on('click', function (e) { if (!self.measuring) { self.pickAt(e.latlng, item); } });
      });
    });
  };

  /** Open the popup of the line clicked at `latlng`, or a list when several are there. */
  App.prototype.pickAt = function (latlng, fallback) {
    var self = this, map = this.map, items = this.linesAt(latlng);
    if (fallback && items.indexOf(fallback) < 0) { items.unshift(fallback); }
    if (items.length <= 1) {
      if (items.length) { map.openPopup(this.popupContent(items[0]), latlng, this._popupOptions); }
      return items;
    }
    var root = el('div', 'cx-popup cx-picker');
    el('h3', 'cx-title', root, items.length + ' lines here');
    var ul = el('ul', '', root);
    items.forEach(function (item) {
      var b = el('button', 'cx-pick', el('li', '', ul));
      b.type = 'button';
      var sw = el('span', 'cx-swatch', b);
      sw.style.background = item.main.options.color;
      textSpan(b, self.featureName(item.props));
      el('span', 'cx-muted', b, ' ' + item.layer.spec.title.split(' (')[0] + ' \u00b7 ' + self.lineSummary(item));
      b.addEventListener('click', function () { map.openPopup(self.popupContent(item), latlng, self._popupOptions); });
    });
    map.openPopup(root, latlng, this._popupOptions);
    return items;
  };

  /* ---------------------------------------------------------------- links of a place */

  /** The drawn links that end at place `id` (one per link and corridor), by name. */
  App.prototype.linksOf = function (id) {
    var out = [];
    this.layers.forEach(function (layer) {
      if (layer.role !== 'corridor') { return; }
      layer.items.forEach(function (item) {
        if (item && item.props.e && item.props.e.indexOf(id) >= 0) { out.push(item); }
      });
    });
    var self = this;
    return out.sort(function (a, b) {
      var x = self.featureName(a.props), y = self.featureName(b.props);
      return x < y ? -1 : x > y ? 1 : a.layer.idx - b.layer.idx;
    });
  };

  App.prototype._linksNode = function (id) {
    var links = this.linksOf(id), self = this;
    if (!links.length) { return null; }
    var box = el('div', 'cx-links');
    el('b', '', box, 'Links serving this place (' + links.length + ')');
    var ul = el('ul', '', box);
    links.forEach(function (item) {
      var b = el('button', 'cx-pick', el('li', '', ul));
      b.type = 'button';
      var sw = el('span', 'cx-swatch', b);
      sw.style.background = item.layer.spec.colour;
      textSpan(b, self.featureName(item.props));
      el('span', 'cx-muted', b, ' ' + item.layer.spec.title.split(' (')[0] + ' \u00b7 ' + self.lineSummary(item));
      b.addEventListener('click', function () { self.focusFeature(item.layer.key, item.index); });
    });
    return box;
  };
