
  /* ---------------------------------------------------------------- caption */

  /* The caption (corridors.render.caption): what the map shows and its answer. The panel
   * was rendered in Python; here it is placed, and each route's name and totals are
   * written on the map at a point of the route (cfg.caption.routes), in a tag with the
   * route's colour, shown while the route's layer is. Clicking a route in the caption
   * zooms to it. The filter panel starts collapsed on a map with a caption: the caption
   * is what the page is about, and the two share the left side. */
  App.prototype._initCaption = function () {
    var root = this.uiPart('caption'), cap = this.cfg.caption, self = this, map = this.map;
    if (!root || !cap) { return; }
    new Panel(root, { position: 'topleft', className: 'cx-caption-control' }).addTo(map);
    // open unless the screen is small (a compare page's half-maps keep their caption open)
    wireCollapse(root, window.innerWidth < 700 || window.innerHeight < 500);
    var filter = this.uiPart('filter');
    var toggle = filter && filter.querySelector('.cx-panel-toggle'), body = filter && filter.querySelector('.cx-panel-body');
    if (toggle && body) { body.hidden = true; toggle.setAttribute('aria-expanded', 'false'); }
    root.addEventListener('click', function (e) {
      var btn = e.target.closest ? e.target.closest('[data-cx-route]') : null;
      if (btn) { self.zoomToLayer(btn.getAttribute('data-cx-route')); }
    });
    var tags = [];
    (cap.routes || []).forEach(function (r) {
      var node = el('span', 'cx-route-tag-body');
      var swatch = el('span', 'cx-route-tag-swatch', node);
      swatch.style.background = r.colour;
      el('span', 'cx-route-tag-text', node, self.compact ? r.short : r.text);
      var tag = L.tooltip({ permanent: true, direction: 'center', interactive: false, opacity: 1, className: 'cx-route-tag' })
        .setLatLng(r.at).setContent(node);
      tags.push({ key: r.key, tag: tag });
    });
    function sync() {
      tags.forEach(function (t) {
        var layer = self.byKey[t.key], on = !!layer && map.hasLayer(layer.group);
        if (on && !map.hasLayer(t.tag)) { t.tag.addTo(map); }
        if (!on && map.hasLayer(t.tag)) { map.removeLayer(t.tag); }
      });
    }
    map.on('layeradd layerremove', function (e) {
      for (var i = 0; i < tags.length; i++) {
        var layer = self.byKey[tags[i].key];
        if (layer && e.layer === layer.group) { sync(); return; }
      }
    });
    sync();
    this.routeTags = tags;
  };

  /** Fit the view to what a layer draws (a route of the caption). */
  App.prototype.zoomToLayer = function (key) {
    var layer = this.byKey[key], box = null;
    if (!layer) { return; }
    layer.items.forEach(function (item) {
      if (!item || !item.main.getBounds) { return; }
      var b = item.main.getBounds();
      if (b.isValid()) { box = box ? box.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast()); }
    });
    if (!box) { return; }
    if (!this.map.hasLayer(layer.group)) { this.setLayerVisible(key, true); }
    this.map.fitBounds(box, { padding: [40, 40], maxZoom: 8 });
  };
