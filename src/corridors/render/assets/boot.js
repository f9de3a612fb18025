/*! corridors boot: unpacks the page's scripts (MIT licence, part of "corridors"). */
/* The page's libraries and controls travel as one gzip-compressed, base64 text
 * (corridors.render.resources.packed_scripts): Leaflet, other libraries when needed,
 * then corridors.js, in that order. corridorsBoot decodes it with the browser's
 * DecompressionStream, runs it as one inline <script>, then runs the functions that the
 * page's body queued with corridorsReady (the map and the app), in order. Nothing is
 * requested: the text is in the page. */
(function (window, document) {
  'use strict';
  var queue = [];
  window.corridorsReady = function (run) {
    if (queue) queue.push(run); else run();
  };
  window.corridorsBoot = function (b64) {
    var bin = window.atob(b64), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new window.DecompressionStream('gzip'));
    return new Response(stream).text().then(function (code) {
      var script = document.createElement('script');
      script.textContent = code;
      document.head.appendChild(script);
      var runs = queue;
      queue = null;
      for (var j = 0; j < runs.length; j++) runs[j]();
    });
  };
})(window, document);
