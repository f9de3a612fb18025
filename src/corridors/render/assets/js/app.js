  function App(map, cfg) {
    this.map = map;
    this.cfg = cfg;
    this.S = cfg.style;
    this.layers = [];
    this.byKey = {};
    this.byId = {};
    this.search = [];
    this.topo = null;
    this.year = null;
    this.statusOn = {};
    this.measuring = false;
    this.ui = document.getElementById(cfg.ui);
    if (window.innerWidth < 700 || window.innerHeight < 500) {
      /* popups pan clear of the title and the toolbar on a phone */
      this._popupOptions = L.extend({}, this._popupOptions, {
        autoPanPaddingTopLeft: [56, 84], maxWidth: Math.max(200, window.innerWidth - 110)
      });
    }
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

  /* ---------------------------------------------------------------- load + finish */

  /** Decode the page's payload, draw its layers, then build the controls (a promise). */
  App.prototype.load = function (payload) {
    var self = this;
    return Promise.resolve(payload).then(decodePayload).then(function (data) {
      var topology = data.topology;
      self.topo = topology ? { nd: topology[0], arcs: decodeArcs(topology) } : null;
      data.layers.forEach(function (spec) { self.addLayer(spec); });
      self.labData = data.lab || null;
      self.finish();
      return self;
    }, function (err) {
      var note = el('p', 'cx-load-error', self.map.getContainer(),
        'The map data could not be read (' + err + '). A current browser is needed: ' +
        'Chrome or Edge 80+, Firefox 113+, Safari 16.4+.');
      note.setAttribute('role', 'alert');
      throw err;
    });
  };

  App.prototype.finish = function () {
    var self = this, map = this.map;
    this.compact = this.cfg.compact === true || window.innerWidth < 700 || window.innerHeight < 500;
    this._restack();
    if (this.compact) { /* a phone: the search box steps aside while a popup is open */
      var box = map.getContainer();
      map.on('popupopen', function () { box.classList.add('cx-popup-open'); });
      map.on('popupclose', function () { box.classList.remove('cx-popup-open'); });
    }
    safeCall('title', function () {
      var t = self.uiPart('title');
      if (!t) { return; }
      new Panel(t, { position: 'topleft', className: 'cx-title-control' }).addTo(map);
      var corner = t.parentNode.parentNode; /* first in its corner, above the zoom buttons */
      corner.insertBefore(t.parentNode, corner.firstChild);
    });
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
    safeCall('caption', function () { self._initCaption(); });
    safeCall('base map', function () { self.setBase(self.cfg.baseIndex === undefined ? -1 : self.cfg.baseIndex); });
    safeCall('route lab', function () { if (self.labData && self.initLab) { self.initLab(self.labData); } });
    safeCall('labels', function () { self._initLabels(); });
    safeCall('picker', function () { self._initPicker(); });
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
