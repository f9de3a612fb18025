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

