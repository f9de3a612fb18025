/*! corridors.js: map controls of the corridors atlas (MIT licence, part of "corridors"). */
/* Layer tree, legend, search, fullscreen, geodesic measure, minimap, scale, status filter
 * and year selector, written on Leaflet's public API (no third-party code). One exception,
 * in layers.js: CanvasMark, a subclass of L.CircleMarker, overrides the two drawing hooks
 * that Leaflet's own vector layers implement (_updateBounds, _updatePath) to stamp a sprite
 * on the canvas renderer's context; nothing of Leaflet is patched.
 *
 * The script is these files, concatenated in this order by corridors.render.resources:
 * base.js (opens the one function they all live in; small helpers), decode.js (geometry
 * and payload), popups.js, layers.js, controls.js (legend, layer tree, filter, toolbar,
 * minimap, year control), search.js, measure.js, labels.js (country and hub labels, the
 * picker of stacked lines, the links of a place), export.js (table of links, Save PNG),
 * app.js (the App, its data loading; closes the function).
 *
 * Safety rule: data text is never turned into markup here. Popups, tooltips and search
 * results are built as DOM nodes from plain-text models (corridors.render.popups) with
 * textContent and setAttribute only; links arrive checked by corridors.html.safe_url and
 * are checked again here. The only HTML inserted is the panel markup that Python rendered
 * from autoescaped templates (corridors.render.panels) and this script's own static icons.
 *
 * The data arrive as one gzip-compressed, base64 JSON payload (corridors.render.payload),
 * decoded with the browser's DecompressionStream; geometries are in the compact form of
 * corridors.render.codec, polygons that share borders as one topology.
 */
(function (window, document) {
  'use strict';
  var L = window.L;
  if (!L) {
    // Leaflet did not load (a map built with offline=False opened without internet).
    var explain = function () {
      var note = document.createElement('p');
      note.style.cssText = 'font:16px sans-serif;padding:2em;position:relative;z-index:1';
      note.textContent = 'The map library (Leaflet) could not be loaded. This page was built to ' +
        'load it from the internet; rebuild it with offline=True for a self-contained map.';
      document.body.insertBefore(note, document.body.firstChild);
    };
    // unpacked after the document was parsed (corridorsBoot), or while it still loads
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', explain);
    else explain();
    window.Corridors = {create: function () { return {load: function () {}}; }};
    return;
  }


  /* Mean radius of the WGS84 ellipsoid (IUGG R1), km: haversine distances below are
   * great-circle distances on that sphere (within about 0.5 % of the ellipsoidal ones). */
  var EARTH_R = 6371.0088;
  var DEG = Math.PI / 180;

  function haversineKm(a, b) {
    var dLat = (b.lat - a.lat) * DEG, dLng = (b.lng - a.lng) * DEG;
    var s = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(a.lat * DEG) * Math.cos(b.lat * DEG) * Math.sin(dLng / 2) * Math.sin(dLng / 2);
    return 2 * EARTH_R * Math.asin(Math.min(1, Math.sqrt(s)));
  }

  /* Points along the great circle a -> b (spherical linear interpolation). */
  function greatCircle(a, b, stepKm) {
    var f1 = a.lat * DEG, l1 = a.lng * DEG, f2 = b.lat * DEG, l2 = b.lng * DEG;
    var p = [Math.cos(f1) * Math.cos(l1), Math.cos(f1) * Math.sin(l1), Math.sin(f1)];
    var q = [Math.cos(f2) * Math.cos(l2), Math.cos(f2) * Math.sin(l2), Math.sin(f2)];
    var dot = Math.max(-1, Math.min(1, p[0] * q[0] + p[1] * q[1] + p[2] * q[2]));
    var w = Math.acos(dot), out = [L.latLng(a.lat, a.lng)];
    var n = Math.max(1, Math.ceil(w * EARTH_R / stepKm));
    if (w < 1e-12 || Math.PI - w < 1e-9) { out.push(L.latLng(b.lat, b.lng)); return out; }
    var sw = Math.sin(w), prev = a.lng;
    for (var i = 1; i < n; i++) {
      var t = i / n, k1 = Math.sin((1 - t) * w) / sw, k2 = Math.sin(t * w) / sw;
      var x = k1 * p[0] + k2 * q[0], y = k1 * p[1] + k2 * q[1], z = k1 * p[2] + k2 * q[2];
      var lng = Math.atan2(y, x) / DEG;
      while (lng - prev > 180) { lng -= 360; }
      while (lng - prev < -180) { lng += 360; }
      prev = lng;
      out.push(L.latLng(Math.atan2(z, Math.sqrt(x * x + y * y)) / DEG, lng));
    }
    var end = b.lng;
    while (end - prev > 180) { end -= 360; }
    while (end - prev < -180) { end += 360; }
    out.push(L.latLng(b.lat, end));
    return out;
  }

  /* Same formula as corridors.render.style.mix_colour. */
  function mix(hex, other, t) {
    if (!t || t <= 0) { return hex; }
    var out = '#';
    for (var i = 1; i < 7; i += 2) {
      var x = parseInt(hex.substr(i, 2), 16), y = parseInt(other.substr(i, 2), 16);
      var v = Math.round(x + (y - x) * t);
      out += (v < 16 ? '0' : '') + v.toString(16);
    }
    return out;
  }

  var FOLD = { '\u0131': 'i', '\u0259': 'e', '\u018f': 'e', '\u00df': 'ss', '\u00f8': 'o', '\u0142': 'l', '\u0111': 'd' };
  function normalise(s) {
    s = String(s || '').toLowerCase();
    if (s.normalize) { s = s.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''); }
    return s.replace(/[\u0131\u0259\u018f\u00df\u00f8\u0142\u0111]/g, function (c) { return FOLD[c]; })
      .replace(/[\u064b-\u065f\u0670]/g, '').replace(/\s+/g, ' ').trim();
  }

  function el(tag, cls, parent, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function fmtKm(km) {
    var digits = km < 100 ? 1 : 0;
    return km.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }) + ' km';
  }

