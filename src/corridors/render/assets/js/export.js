  /* ---------------------------------------------------------------- table of links */

  /* A table of the links the map shows (same layers, years and statuses), reached from
   * the toolbar or by keyboard: Tab through the rows, Enter opens a link on the map,
   * Escape closes the table. */
  App.prototype.toggleTable = function (on) {
    var self = this, map = this.map;
    if (!this._table) {
      var box = el('div', 'cx-table-wrap cx-control', map.getContainer());
      box.setAttribute('role', 'dialog');
      box.setAttribute('aria-label', 'Table of the links on the map');
      var head = el('div', 'cx-table-head', box);
      this._tableTitle = el('b', '', head);
      var close = el('button', 'cx-table-close', head, '\u00d7');
      close.type = 'button';
      close.setAttribute('aria-label', 'Close the table');
      close.addEventListener('click', function () { self.toggleTable(false); });
      var scroll = el('div', 'cx-table-scroll', box);
      var table = el('table', 'cx-links-table', scroll);
      var tr = el('tr', '', el('thead', '', table));
      ['Link', 'Corridor', 'Mode', 'Status'].forEach(function (h) { el('th', '', tr, h).setAttribute('scope', 'col'); });
      this._tableBody = el('tbody', '', table);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      document.addEventListener('keydown', function (e) {
        if (e.key === 'Escape' && !box.hidden && !self.measuring) { self.toggleTable(false); e.preventDefault(); }
      });
      box.hidden = true;
      this._table = box;
    }
    var open = on === undefined ? this._table.hidden : !!on;
    this._table.hidden = !open;
    if (open) {
      this.refreshTable();
      var first = this._tableBody.querySelector('button');
      if (first) { first.focus(); }
    } else {
      var back = map.getContainer().querySelector('.cx-tool-table');
      if (back) { back.focus(); }
    }
    return open;
  };

  /** Rebuild the rows: every corridor line now drawn, in layer order, then by name. */
  App.prototype.refreshTable = function () {
    if (!this._table || this._table.hidden) { return 0; }
    var self = this, body = this._tableBody, rows = [];
    var refocus = body.contains(document.activeElement);
    body.textContent = '';
    this.layers.forEach(function (layer) {
      if (layer.role !== 'corridor' || !self.map.hasLayer(layer.group)) { return; }
      layer.items.forEach(function (item) {
        if (item && item.shown !== false) { rows.push(item); }
      });
    });
    rows.forEach(function (item) {
      var tr = el('tr', '', body), p = item.props, ss = self.S.statuses[item.drawnStatus || item.status];
      var th = el('th', '', tr), b = el('button', 'cx-pick', th);
      th.setAttribute('scope', 'row');
      b.type = 'button';
      var sw = el('span', 'cx-swatch', b);
      sw.style.background = item.main.options.color;
      textSpan(b, self.featureName(p));
      b.addEventListener('click', function () { self.focusFeature(item.layer.key, item.index); });
      el('td', '', tr, item.layer.spec.title.split(' (')[0]);
      el('td', '', tr, String(p.mode || '').replace(/_/g, ' '));
      el('td', '', tr, ss ? ss.label : String(item.drawnStatus || ''));
    });
    var first = refocus && body.querySelector('button');
    if (first) { first.focus(); }
    this._tableTitle.textContent = rows.length + ' links on the map' + (this.year === null ? '' : ', as of ' + this.year);
    return rows.length;
  };

  /* ---------------------------------------------------------------- Save PNG */

  function svgImage(svg) {
    return new Promise(function (resolve) {
      var img = new Image(), text = new XMLSerializer().serializeToString(svg);
      img.onload = function () { resolve(img); };
      img.onerror = function () { resolve(null); };
      img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(text);
    });
  }

  /* The scale bar as Leaflet's scale control draws it: the round length that fits 140 px. */
  App.prototype._scaleBar = function () {
    var map = this.map, y = map.getSize().y / 2;
    var km = map.distance(map.containerPointToLatLng([0, y]), map.containerPointToLatLng([140, y])) / 1000;
    var pow = Math.pow(10, Math.floor(Math.log(km) / Math.LN10)), d = km / pow;
    var nice = (d >= 5 ? 5 : d >= 3 ? 3 : d >= 2 ? 2 : 1) * pow;
    return { km: nice, px: Math.round(140 * nice / km) };
  };

  /** The map as a PNG: the drawn canvas and labels, a caption (title, data date, year) and
   * the legend's shown rows at the side, and a scale bar. Resolves to {canvas, texts};
   * downloads `corridors-map.png` unless `opts.download` is false. */
  App.prototype.savePng = function (opts) {
    opts = opts || {};
    var self = this, map = this.map, size = map.getSize(), container = map.getContainer();
    var legend = this.uiPart('legend'), rows = [];
    if (legend) {
      var secs = legend.querySelectorAll('.cx-legend-section');
      for (var i = 0; i < secs.length; i++) {
        if (secs[i].hidden) { continue; }
        rows.push({ head: secs[i].querySelector('h4').textContent });
        var lis = secs[i].querySelectorAll('li[data-cx]');
        for (var j = 0; j < lis.length; j++) {
          if (lis[j].hidden) { continue; }
          var svg = lis[j].querySelector('svg');
          rows.push({ text: lis[j].querySelector('.cx-label').textContent.replace(/\s+/g, ' ').trim(), svg: svg });
        }
      }
    }
    var side = rows.length ? 300 : 0, top = 52, H = Math.max(size.y + top, top + 12 + rows.length * 20);
    return Promise.all(rows.map(function (r) { return r.svg ? svgImage(r.svg) : null; })).then(function (images) {
      var px = window.devicePixelRatio || 1, cv = document.createElement('canvas'), texts = [];
      cv.width = Math.round((size.x + side) * px);
      cv.height = Math.round(H * px);
      var g = cv.getContext('2d');
      g.scale(px, px);
      g.fillStyle = '#fff';
      g.fillRect(0, 0, size.x + side, H);
      g.fillStyle = self._tile ? '#ddd' : self.S.seaColour;
      g.fillRect(0, top, size.x, size.y);
      var crect = container.getBoundingClientRect();
      g.save();
      g.beginPath();
      g.rect(0, top, size.x, size.y);
      g.clip();
      var canvases = container.querySelectorAll('.leaflet-overlay-pane canvas');
      for (var c = 0; c < canvases.length; c++) {
        var r = canvases[c].getBoundingClientRect();
        if (!canvases[c].width || !canvases[c].height) { continue; }
        g.drawImage(canvases[c], r.left - crect.left, top + r.top - crect.top, r.width, r.height);
      }
      g.textBaseline = 'top';
      g.lineJoin = 'round';
      (self.labels || []).forEach(function (lb) {
        g.font = LABEL_FONT[lb.kind];
        g.lineWidth = 3;
        g.strokeStyle = 'rgba(255,255,255,0.9)';
        g.fillStyle = lb.kind === 'hub' ? '#1a1a1a' : '#5a5347';
        g.strokeText(lb.text, lb.x + 2, top + lb.y + 2);
        g.fillText(lb.text, lb.x + 2, top + lb.y + 2);
        texts.push(lb.text);
      });
      g.restore();
      g.textBaseline = 'top';
      // caption
      var title = self.cfg.title || '', sub = [self.cfg.subtitle, 'network as of ' + (self.year === null ? 'latest status' : 'end of ' + self.year)].filter(Boolean).join(' \u00b7 ');
      g.fillStyle = '#222';
      g.font = '600 17px system-ui, sans-serif';
      g.fillText(title, 10, 8);
      g.font = '12px system-ui, sans-serif';
      g.fillStyle = '#555';
      g.fillText(sub, 10, 31);
      texts.push(title, sub);
      // scale bar
      var sc = self._scaleBar(), x0 = 12, y0 = top + size.y - 14, label = sc.km.toLocaleString('en-GB') + ' km';
      g.fillStyle = 'rgba(255,255,255,0.8)';
      g.fillRect(x0 - 4, y0 - 16, sc.px + 8, 22);
      g.strokeStyle = '#333';
      g.lineWidth = 2;
      g.beginPath();
      g.moveTo(x0, y0 - 6); g.lineTo(x0, y0); g.lineTo(x0 + sc.px, y0); g.lineTo(x0 + sc.px, y0 - 6);
      g.stroke();
      g.fillStyle = '#333';
      g.font = '11px system-ui, sans-serif';
      g.fillText(label, x0 + 4, y0 - 14);
      texts.push(label);
      // legend
      var y = top + 8, lx = size.x + 12;
      rows.forEach(function (r, k) {
        if (r.head) {
          g.font = '600 12px system-ui, sans-serif';
          g.fillStyle = '#444';
          g.fillText(r.head, lx, y + 4);
        } else {
          var img = images[k];
          if (img) { g.drawImage(img, lx, y + 9 - img.height / 2, img.width, img.height); }
          g.font = '12px system-ui, sans-serif';
          g.fillStyle = '#222';
          var t = r.text;
          while (t.length > 4 && g.measureText(t).width > side - 70) { t = t.slice(0, -2); }
          g.fillText(t === r.text ? t : t + '\u2026', lx + 52, y + 3);
        }
        texts.push(r.head || r.text);
        y += 20;
      });
      if (opts.download !== false) {
        cv.toBlob(function (blob) {
          var a = el('a', '', null);
          a.href = URL.createObjectURL(blob);
          a.download = 'corridors-map.png';
          document.body.appendChild(a);
          a.click();
          setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
        }, 'image/png');
      }
      return { canvas: cv, texts: texts };
    });
  };
