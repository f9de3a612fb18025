  /* ---------------------------------------------------------------- search */

  App.prototype._initSearch = function () {
    var root = this.uiPart('search'), self = this;
    if (!root || !this.search.length) { return; }
    var input = root.querySelector('input'), list = root.querySelector('ul');
    var results = [], active = -1, suggested = false;
    // corridors (their layers) and countries (the basemap) are found too
    this.layers.forEach(function (layer) {
      if (layer.role === 'corridor') {
        self.search.push({ n: normalise(layer.spec.title), term: layer.spec.title, name: layer.spec.title, detail: 'corridor', layer: layer, fi: -1 });
      } else if (layer.role === 'basemap') {
        layer.items.forEach(function (item, i) {
          if (item && item.props.n) {
            self.search.push({ n: normalise(item.props.n), term: item.props.n, name: item.props.n, detail: 'country' + (item.props.i ? ' \u00b7 ' + item.props.i : ''), layer: layer, fi: i });
          }
        });
      }
    });
    function render() {
      list.textContent = '';
      if (suggested) {
        var head = el('li', 'cx-dym', list, 'No match. Did you mean:');
        head.setAttribute('role', 'presentation');
      }
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
        // pick on click, not mousedown: the list stays under the pointer until the click
        // ends, so the click never reaches the map (which would close the popup)
        li.addEventListener('mousedown', function (ev) { ev.preventDefault(); });
        li.addEventListener('click', function () { pick(i); });
      });
      if (!results.length && normalise(input.value)) {
        el('li', 'cx-dym', list, 'No place, link, corridor or country matches.').setAttribute('role', 'presentation');
      }
      list.hidden = !list.firstChild;
      input.setAttribute('aria-expanded', results.length ? 'true' : 'false');
    }
    function query() {
      var q = normalise(input.value);
      results = [];
      active = -1;
      suggested = false;
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
        suggested = false;
        if (!results.length && q.length >= 3) {
          results = didYouMean(q, self.search);
          suggested = results.length > 0;
        }
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

  /* Damerau-Levenshtein distance (optimal string alignment) of two strings. */
  function editDistance(a, b) {
    var d = [], i, j;
    for (i = 0; i <= a.length; i++) { d.push([i]); }
    for (j = 1; j <= b.length; j++) { d[0][j] = j; }
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var c = a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + c);
        if (i > 1 && j > 1 && a.charAt(i - 1) === b.charAt(j - 2) && a.charAt(i - 2) === b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length][b.length];
  }

  /* The closest search terms to a query that matched nothing: each term, each of its
   * words, and its start as long as the query, within a third of the query's length. */
  function didYouMean(q, entries) {
    var limit = Math.max(1, Math.floor(q.length / 3)), scored = [], seen = {};
    entries.forEach(function (s) {
      var best = editDistance(q, s.n.substr(0, q.length));
      s.n.split(' ').forEach(function (w) { if (w) { best = Math.min(best, editDistance(q, w)); } });
      if (best <= limit) { scored.push([best, s.n.length, s]); }
    });
    scored.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2].n < b[2].n ? -1 : a[2].n > b[2].n ? 1 : 0); });
    var out = [];
    scored.forEach(function (x) {
      var id = x[2].layer.key + '\u0000' + x[2].fi;
      if (!seen[id] && out.length < 5) { seen[id] = true; out.push(x[2]); }
    });
    return out;
  }

  /** Zoom to a feature and open its popup (turning its layer on if needed); `fi` < 0: the
   * whole layer (a corridor). */
  App.prototype.focusFeature = function (key, fi) {
    var layer = this.byKey[key], item = layer && layer.items[fi], map = this.map;
    if (layer && fi < 0) {
      if (!map.hasLayer(layer.group)) { this.setLayerVisible(key, true); }
      var bb = null;
      layer.items.forEach(function (it) { if (it) { bb = bb ? bb.extend(it.main.getBounds()) : L.latLngBounds(it.main.getBounds().getSouthWest(), it.main.getBounds().getNorthEast()); } });
      if (bb) { map.fitBounds(bb, { padding: [40, 40], animate: false }); }
      return !!bb;
    }
    if (!item) { return false; }
    if (layer.role === 'basemap') {
      map.fitBounds(item.main.getBounds(), { maxZoom: 7, padding: [40, 40], animate: false });
      var at = item.props.lp ? L.latLng(item.props.lp[1], item.props.lp[0]) : item.main.getBounds().getCenter();
      map.openPopup(popupNode(null, this.featureName(item.props), item.props.i, []), at, this._popupOptions);
      return true;
    }
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

