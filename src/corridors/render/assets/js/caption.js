
  /* ---------------------------------------------------------------- caption */

  /* The caption (corridors.render.caption): what the map shows and its answer. The panel
   * was rendered in Python; here it is placed, and each route's name and totals are
   * written on the map in a tag with the route's colour, shown while the route's layer
   * is: at the first of its places along the route (cfg.caption.routes[i].at, best first)
   * where it overlaps no other tag and no panel, placed again after each zoom. Clicking a route in the caption
   * zooms to it. The filter panel starts collapsed on a map with a caption: the caption
   * is what the page is about, and the two share the left side. */
  /* Where a covered route tag may move, in tag widths and heights, nearest first. */
  var SHIFTS = [[0, 1], [0, -1], [0, 2], [0, -2], [0.6, 0], [-0.6, 0], [0.6, 1], [-0.6, 1],
    [0.6, -1], [-0.6, -1], [0, 3], [0, -3], [1.1, 0], [-1.1, 0], [0, 4], [0, -4]];

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
      var text = el('span', 'cx-route-tag-text', node, self.compact ? r.short : r.text);
      var tag = L.tooltip({ permanent: true, direction: 'center', interactive: false, opacity: 1, className: 'cx-route-tag' })
        .setLatLng(r.at[0]).setContent(node);
      tags.push({ key: r.key, tag: tag, at: r.at, text: text, full: self.compact ? r.short : r.text, short: r.short });
    });
    function overlaps(a, b) { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1; }
    function place() {
      var size = map.getSize(), origin = map.getContainer().getBoundingClientRect(), taken = [];
      var panels = map.getContainer().querySelectorAll('.leaflet-control');
      for (var i = 0; i < panels.length; i++) {
        var r = panels[i].getBoundingClientRect();
        if (r.width && r.height) {
          taken.push({ x0: r.left - origin.left, y0: r.top - origin.top, x1: r.right - origin.left, y1: r.bottom - origin.top, panel: true });
        }
      }
      /* the first free place along the route with the whole text, else with the short
       * text, else the place (in view) that overlaps the fewest, moved aside (SHIFTS)
       * until it is free */
      function boxAt(t, k, node) {
        var p = map.latLngToContainerPoint(t.at[k]), w = node.offsetWidth + 4, h = node.offsetHeight + 4;
        return { x0: p.x - w / 2, y0: p.y - h / 2, x1: p.x + w / 2, y1: p.y + h / 2 };
      }
      function inView(b) { return b.x0 >= 0 && b.y0 >= 0 && b.x1 <= size.x && b.y1 <= size.y; }
      tags.forEach(function (t) {
        var node = map.hasLayer(t.tag) ? t.tag.getElement() : null;
        if (!node) { return; }
        node.style.visibility = '';
        t.tag.options.offset = L.point(0, 0);
        t.tag.setLatLng(t.at[0]);
        var best = null;
        [t.full, t.short].some(function (words) {
          t.text.textContent = words;
          for (var k = 0; k < t.at.length; k++) {
            var box = boxAt(t, k, node);
            if (!inView(box)) { continue; }
            /* covering a panel is worse than covering another tag */
            var hits = taken.reduce(function (n, b) { return n + (overlaps(box, b) ? (b.panel ? 10 : 1) : 0); }, 0);
            if (!best || hits < best.hits) { best = { k: k, box: box, hits: hits, words: words }; }
            if (!hits) { return true; }
          }
          return false;
        });
        if (!best) { t.text.textContent = t.full; return; }
        t.text.textContent = best.words;
        var dx = 0, dy = 0, w = best.box.x1 - best.box.x0, h = best.box.y1 - best.box.y0;
        if (best.hits) { /* still covered: move the tag off the others, nearest first */
          SHIFTS.some(function (d) {
            var ox = d[0] * w, oy = d[1] * h;
            var b = { x0: best.box.x0 + ox, x1: best.box.x1 + ox, y0: best.box.y0 + oy, y1: best.box.y1 + oy };
            if (inView(b) && !taken.some(function (o) { return overlaps(b, o); })) { dx = ox; dy = oy; best.box = b; return true; }
            return false;
          });
        }
        /* a tag that can only sit under a panel is not shown (the caption lists the route) */
        var covered = taken.some(function (o) { return o.panel && overlaps(best.box, o); });
        node.style.visibility = covered ? 'hidden' : '';
        if (covered) { return; }
        taken.push(best.box);
        t.tag.options.offset = L.point(dx, dy);
        t.tag.setLatLng(t.at[best.k]);
      });
    }
    function sync() {
      tags.forEach(function (t) {
        var layer = self.byKey[t.key], on = !!layer && map.hasLayer(layer.group);
        if (on && !map.hasLayer(t.tag)) { t.tag.addTo(map); }
        if (!on && map.hasLayer(t.tag)) { map.removeLayer(t.tag); }
      });
      place();
    }
    map.on('zoomend moveend', place);
    // a panel opened or closed frees or takes room: place the tags again (capture phase:
    // the panels stop clicks from reaching the map)
    map.getContainer().addEventListener('click', function (e) {
      if (e.target.closest && e.target.closest('.cx-panel-toggle')) { window.setTimeout(place, 0); }
    }, true);
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
