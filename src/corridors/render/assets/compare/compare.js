/*! compare.js: two corridors maps side by side, their views kept in step (MIT licence, part of "corridors"). */
/* Each map is a corridors app (window.Corridors, the map script) on its own Leaflet map,
 * with its own panels and payload; moving or zooming one moves the other to the same
 * view. Data never becomes markup here: the apps build their DOM with textContent. */
(function (window, document) {
  'use strict';
  var L = window.L, maps = [], apps = [], syncing = false, ready = 0;
  function add(side) {
    if (!L || !window.Corridors) { return; }
    var map = L.map(side.map, {
      center: side.center, zoom: 4, preferCanvas: true, zoomControl: true,
      zoomSnap: 0.25, zoomDelta: 0.5, worldCopyJump: false
    });
    var app = window.Corridors.create(map, side.cfg);
    maps.push(map);
    apps.push(app);
    app.load(side.payload).then(function () {
      ready += 1;
      if (ready === maps.length) { document.body.setAttribute('data-cx-ready', 'true'); }
    });
  }
  function follow(leader) {
    if (syncing) { return; }
    syncing = true;
    try {
      maps.forEach(function (m) {
        if (m !== leader) { m.setView(leader.getCenter(), leader.getZoom(), { animate: false }); }
      });
    } finally { syncing = false; }
  }
  function sync() {
    maps.forEach(function (m) { m.on('move zoomend', function () { follow(m); }); });
    if (maps.length) { follow(maps[maps.length - 1]); }
    window.addEventListener('resize', function () { maps.forEach(function (m) { m.invalidateSize(false); }); });
  }
  window.CorridorsCompare = { add: add, sync: sync, maps: maps, apps: apps };
}(window, document));
