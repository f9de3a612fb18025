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

