  /* ---------------------------------------------------------------- popups (DOM only) */

  function safeHref(url) { return typeof url === 'string' && /^https?:\/\/[^\s]/i.test(url) ? url : null; }

  function textSpan(parent, text, cls) {
    var s = el('span', cls || '', parent, text);
    s.setAttribute('dir', 'auto');
    return s;
  }

  /* One table cell value: a string, or lines (a string or [text, muted suffix]). */
  function fillCell(td, value) {
    var lines = Array.isArray(value) ? value : [value];
    lines.forEach(function (line, i) {
      if (i) { el('br', '', td); }
      if (Array.isArray(line)) {
        textSpan(td, String(line[0]));
        if (line[1]) { td.appendChild(document.createTextNode(' ')); el('span', 'cx-muted', td, String(line[1])); }
      } else {
        textSpan(td, String(line));
      }
    });
  }

  function sourcesNode(parent, sources) {
    if (!sources || !sources.length) { return; }
    var box = el('div', 'cx-sources', parent);
    el('b', '', box, 'Sources');
    var ol = el('ol', '', box);
    sources.forEach(function (s) {
      var li = el('li', '', ol), url = safeHref(s[0]), text = s[1] || s[0] || 'source';
      if (url) {
        var a = el('a', '', li, text);
        a.setAttribute('href', url);
        a.setAttribute('target', '_blank');
        a.setAttribute('rel', 'noopener noreferrer');
      } else {
        li.appendChild(document.createTextNode(text + ' '));
        el('span', 'cx-muted', li, '[link omitted: not an http(s) URL]');
      }
      var meta = [s[3], s[4] && 'published ' + s[4], s[2] && 'accessed ' + s[2]].filter(Boolean);
      if (meta.length) { li.appendChild(document.createTextNode(' ')); el('span', 'cx-muted', li, '(' + meta.join(', ') + ')'); }
    });
  }

  /* Twin of corridors.render.popups.popup_html: a popup model (rows of label index and
   * value, sources) as DOM nodes; `labels` are popups.ROW_LABELS. */
  function popupNode(model, title, sub, labels) {
    var root = el('div', 'cx-popup');
    el('h3', 'cx-title', root, title || '(unnamed)').setAttribute('dir', 'auto');
    if (sub) { el('div', 'cx-sub', root, sub); }
    var rows = (model && model.r) || [], table = null;
    rows.forEach(function (row) {
      if (!table) { table = el('table', 'cx-props', root); }
      var tr = el('tr', '', table);
      el('th', '', tr, labels[row[0]] || '');
      fillCell(el('td', row[2] ? 'cx-closed' : '', tr), row[1]);
    });
    sourcesNode(root, model && model.s);
    return root;
  }

  function nameTip(text, sub) {
    var s = el('span');
    textSpan(s, text);
    if (sub) { s.appendChild(document.createTextNode(' ')); el('span', 'cx-muted', s, '(' + sub + ')'); }
    return s;
  }

  /* Own icons (inline SVG, static strings). */
  /* Tooltip table of a user-overlay feature (twin of corridors.render.popups.overlay_table):
   * plain-text column names and values (corridors.render.popups.overlay_texts). */
  function overlayTable(columns, values) {
    if (!columns.length) { return el('span', 'cx-muted', null, '(no attributes)'); }
    var table = el('table', 'cx-props');
    for (var i = 0; i < columns.length; i++) {
      var tr = el('tr', '', table);
      el('th', '', tr, columns[i]);
      var td = el('td', '', tr);
      if (values[i]) { textSpan(td, values[i]); } else { el('span', 'cx-muted', td, '\u2014'); }
    }
    return table;
  }

