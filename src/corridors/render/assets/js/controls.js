  var ICONS = {
    fullscreen: '<svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true"><path d="M3 8V3h5M12 3h5v5M17 12v5h-5M8 17H3v-5" fill="none" stroke="currentColor" stroke-width="2"/></svg>',
    measure: '<svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true"><path d="M2 14 14 2l4 4L6 18z" fill="none" stroke="currentColor" stroke-width="1.6"/><path d="M6 10l2 2M9 7l2 2M12 4l2 2" stroke="currentColor" stroke-width="1.4"/></svg>',
    table: '<svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true"><path d="M3 4h14v12H3zM3 8h14M3 12h14M8 4v12" fill="none" stroke="currentColor" stroke-width="1.6"/></svg>',
    png: '<svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true"><path d="M10 3v9M6 8l4 4 4-4M4 14v3h12v-3" fill="none" stroke="currentColor" stroke-width="1.8"/></svg>',
    home: '<svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true"><path d="M3 10 10 3l7 7M5 8.5V17h10V8.5" fill="none" stroke="currentColor" stroke-width="1.8"/></svg>'
  };

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
    function set(open) {
      body.hidden = !open;
      btn.setAttribute('aria-expanded', open ? 'true' : 'false');
      root.classList.toggle('cx-collapsed', !open);
    }
    btn.addEventListener('click', function () { set(body.hidden); if (window.corridorsApp) { window.corridorsApp.drawLabels(); } });
    set(!collapsed);
  }


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
    this.refreshTable(); /* the table of links mirrors the map */
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
      } else if (t.name === 'cx-labels') {
        self.setLabels(t.value);
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
    wireCollapse(root, true); /* collapsed: the map first (issue 13: panels <= 20 % of it) */
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
    if (root) {
      root.addEventListener('change', function (e) {
        var t = e.target;
        if (t.hasAttribute('data-cx-status')) {
          self.statusOn[t.getAttribute('data-cx-status')] = t.checked;
          self.applyFilters();
        }
      });
      new Panel(root, { position: 'bottomleft', className: 'cx-filter-control' }).addTo(this.map);
      wireCollapse(root, true);
    }
    this._initTime();
  };

  /* The year control: "before <start>" (one step for the sparse early history), every year
   * from <start> to the last dated change, then "latest"; marks for the timeline's events. */
  App.prototype._initTime = function () {
    var root = this.uiPart('time'), self = this;
    if (!root) { return; }
    var slider = root.querySelector('input[type=range]'), out = root.querySelector('output');
    var note = root.querySelector('.cx-mark-note'), play = root.querySelector('.cx-play');
    var lo = parseInt(slider.min, 10), latest = parseInt(slider.max, 10), timer = null;
    var earlier = slider.getAttribute('data-earlier') === 'true';
    var onInput = function () {
      var v = parseInt(slider.value, 10);
      self.year = v >= latest ? null : v;
      var text = self.year === null ? 'latest' : v === lo && earlier ? 'before ' + (lo + 1) : String(v);
      if (out) { out.textContent = text; }
      slider.setAttribute('aria-valuetext', self.year === null ? 'latest status' : 'as of end of ' + text);
      if (note) {
        var here = (self.cfg.marks || []).filter(function (m) { return Math.max(m.y, lo) === v; });
        note.textContent = here.map(function (m) { return m.label + (m.span ? ' (' + m.span + ')' : ''); }).join('; ');
      }
      self.applyFilters();
    };
    slider.addEventListener('input', onInput);
    slider.addEventListener('change', onInput);
    var box = root.querySelector('.cx-marks'), span = latest - lo;
    function at(y) { return 'calc(8px + (100% - 16px) * ' + ((y - lo) / span).toFixed(4) + ')'; }
    var ends = root.querySelector('.cx-year-ends');
    for (var dec = Math.ceil((lo + 1) / 10) * 10; dec < latest; dec += 10) {
      if (dec - lo >= span / 6 && latest - dec >= span / 8) { el('span', 'cx-tick', ends, String(dec)).style.left = at(dec); }
    }
    // one mark per step and kind: marks of the same year would sit on top of each other,
    // so their texts are joined (in date order) on one button
    var groups = [], byStep = {};
    (this.cfg.marks || []).forEach(function (m) {
      var y = Math.max(lo, Math.min(latest - 1, m.y));
      var kind = m.kind === 'meeting' ? 'meeting' : 'closure', key = y + ' ' + kind;
      if (!byStep[key]) { byStep[key] = {y: y, kind: kind, texts: []}; groups.push(byStep[key]); }
      byStep[key].texts.push(m.label + (m.span ? ' (' + m.span + ')' : ''));
    });
    groups.forEach(function (g) {
      var b = el('button', 'cx-mark cx-mark-' + g.kind, box);
      b.type = 'button';
      b.style.left = at(g.y);
      var text = g.texts.join('; ');
      b.setAttribute('title', text);
      b.setAttribute('aria-label', text);
      b.addEventListener('click', function () { self.setYear(g.y); });
    });
    function stop() {
      if (timer) { clearInterval(timer); timer = null; }
      play.textContent = '\u25b6';
      play.setAttribute('aria-label', 'Play the years');
      play.setAttribute('aria-pressed', 'false');
    }
    this.playYears = function (on) {
      if (!on) { stop(); return; }
      if (timer) { return; }
      if (parseInt(slider.value, 10) >= latest) { self.setYear(lo); }
      play.textContent = '\u275a\u275a';
      play.setAttribute('aria-label', 'Pause');
      play.setAttribute('aria-pressed', 'true');
      timer = setInterval(function () {
        var v = parseInt(slider.value, 10) + 1;
        self.setYear(v >= latest ? null : v);
        if (v >= latest) { stop(); }
      }, 700);
    };
    if (play) { play.addEventListener('click', function () { self.playYears(!timer); }); }
    new Panel(root, { position: 'bottomleft', className: 'cx-time-control' }).addTo(this.map);
    wireCollapse(root, this.compact);
  };

  /** Show the network as of the end of `year` (null = latest status). */
  App.prototype.setYear = function (year) {
    var root = this.uiPart('time'), slider = root && root.querySelector('input[type=range]');
    if (slider) {
      slider.value = year === null ? slider.max : String(year);
      slider.dispatchEvent(new Event('input'));
    } else {
      this.year = year;
      this.applyFilters();
    }
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
        button('table', 'Table of the links on the map (keyboard)', function () { self.toggleTable(); });
        button('png', 'Save the map as PNG (with legend, caption and scale)', function () { self.savePng(); });
        L.DomEvent.disableClickPropagation(c);
        return c;
      }
    });
    new Bar({ position: 'topleft' }).addTo(map);
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
    div.hidden = true; /* collapsed: the map first */
    head.setAttribute('aria-expanded', 'false');
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

