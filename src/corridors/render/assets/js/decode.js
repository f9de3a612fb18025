  /* ---------------------------------------------------------------- compact geometry */

  /* Twin of corridors.render.codec.decode_geometry: zig-zag varints in 64 digits (those
   * from TERMINAL on continue a number: twin of codec.TERMINAL), the first position
   * absolute and the others as differences, in units of 10^-decimals degrees. */
  var DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', DIGIT = {}, TERMINAL = 48;
  for (var di = 0; di < DIGITS.length; di++) { DIGIT[DIGITS.charAt(di)] = di; }

  /* Positions as [lon, lat], or as L.LatLng when `latlng` (what Leaflet draws from). A ring
   * of a topology (encode_topology) also holds '.' + an arc reference: arc i, or arc ~i
   * reversed, from the arcs in integer units (decodeArcs). */
  function decodePositions(text, nd, arcs, latlng) {
    var scale = Math.pow(10, nd), out = [], x = 0, y = 0, z = 0, mul = 1, first = null, isRef = false;
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      if (ch === '.') { isRef = true; continue; }
      var d = DIGIT[ch];
      if (d === undefined) { throw new Error('bad geometry text'); }
      if (d >= TERMINAL) { z += (d - TERMINAL) * mul; mul *= 64 - TERMINAL; continue; }
      z += d * mul;
      var v = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      z = 0; mul = 1;
      if (isRef) {
        isRef = false;
        var arc = arcs && arcs[v >= 0 ? v : ~v];
        if (!arc) { throw new Error('unknown arc ' + v); }
        if (v < 0) { arc = arc.slice().reverse(); }
        for (var k = out.length ? 1 : 0; k < arc.length; k++) {
          out.push(latlng ? new L.LatLng(arc[k][1] / scale, arc[k][0] / scale) : [arc[k][0] / scale, arc[k][1] / scale]);
        }
        x = arc[arc.length - 1][0]; y = arc[arc.length - 1][1];
      } else if (first === null) { first = v; } else {
        x += first; y += v; first = null;
        out.push(latlng ? new L.LatLng(y / scale, x / scale) : [x / scale, y / scale]);
      }
    }
    return out;
  }

  /* Arcs of a topology [decimals, text]: positions in integer units, each the difference
   * from the previous one (across arcs), arcs separated by '.'. */
  function decodeArcs(topology) {
    var arcs = [], x = 0, y = 0;
    topology[1].split('.').forEach(function (part) {
      var arc = [];
      decodePositions(part, 0).forEach(function (p) { arc.push([x + p[0], y + p[1]]); });
      if (arc.length) { x = arc[arc.length - 1][0]; y = arc[arc.length - 1][1]; }
      arcs.push(arc);
    });
    return arcs;
  }

  /* Twin of corridors.render.codec.TYPE_CODES. */
  var GEOMETRY_TYPES = { P: 'Point', MP: 'MultiPoint', L: 'LineString', ML: 'MultiLineString',
    A: 'Polygon', MA: 'MultiPolygon', GC: 'GeometryCollection' };

  /* GeoJSON; but lines and polygons come as { type, latlngs } (the nesting of GeoJSON
   * coordinates, of L.LatLng) when `latlngs`: decoded straight into what Leaflet draws from,
   * without a [lon, lat] array per position first (see geometryLayer). `topo` holds the
   * arcs that basemap rings refer to. */
  function decodeGeometry(g, topo, latlngs) {
    if (!g || g.type) { return g; } /* already GeoJSON */
    var type = Object.prototype.hasOwnProperty.call(GEOMETRY_TYPES, g[0]) ? GEOMETRY_TYPES[g[0]] : g[0], nd = g[1], data = g[2];
    var arcs = topo && topo.nd === nd ? topo.arcs : null, ll = !!latlngs && type !== 'MultiPoint';
    var dec = function (t) { return decodePositions(t, nd, arcs, ll); };
    var out = function (coords) { return ll ? { type: type, latlngs: coords } : { type: type, coordinates: coords }; };
    switch (type) {
      case 'GeometryCollection': return { type: type, geometries: data.map(function (x) { return decodeGeometry(x, topo); }) };
      case 'Point': return { type: type, coordinates: decodePositions(data, nd, arcs)[0] };
      case 'MultiPoint': case 'LineString': return out(dec(data));
      case 'MultiLineString': case 'Polygon': return out(data.map(dec));
      case 'MultiPolygon': return out(data.map(function (p) { return p.map(dec); }));
      default: throw new Error('unknown geometry type ' + type);
    }
  }

  /* The Leaflet layer of a decoded geometry (as L.GeoJSON.geometryToLayer would make it). */
  function geometryLayer(geom, options) {
    if (geom.latlngs) {
      var lines = geom.type === 'LineString' || geom.type === 'MultiLineString';
      return lines ? new L.Polyline(geom.latlngs, options) : new L.Polygon(geom.latlngs, options);
    }
    return L.GeoJSON.geometryToLayer({ type: 'Feature', geometry: geom, properties: {} }, options);
  }


  /* ---------------------------------------------------------------- payload */

  /* Twin of corridors.render.payload.decode_payload: base64 text of gzip-compressed JSON,
   * decoded by the browser's DecompressionStream (a promise of the payload). */
  function decodePayload(text) {
    var bin = window.atob(text), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
    var stream = new Blob([bytes]).stream().pipeThrough(new window.DecompressionStream('gzip'));
    return new Response(stream).text().then(JSON.parse);
  }
