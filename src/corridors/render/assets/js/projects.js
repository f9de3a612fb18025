  /* ---------------------------------------------------------------- projects */

  /* Projects (corridors.render.prepare.prepare_projects) follow the year filter: a project
   * is drawn from the first entry of its dated history on and hidden before it (statusAt). */
  var corridorFilters = App.prototype.applyFilters;

  App.prototype.applyFilters = function () {
    var self = this;
    this.layers.forEach(function (layer) {
      if (layer.role !== 'projects') { return; }
      layer.items.forEach(function (item) {
        if (!item) { return; }
        var show = self.statusAt(item) !== null;
        if (item.shown === show) { return; }
        if (show) { layer.group.addLayer(item.main); } else {
          if (item.main.isPopupOpen && item.main.isPopupOpen()) { item.main.closePopup(); }
          layer.group.removeLayer(item.main);
        }
        item.shown = show;
      });
    });
    corridorFilters.call(this);
  };

  /* A project at a town shares its point with the town's marker: project dots are drawn
   * over the places (their lines stay with the other lines). */
  var restackAll = App.prototype._restack;

  App.prototype._restack = function () {
    restackAll.call(this);
    var self = this;
    this.layers.forEach(function (layer) {
      if (layer.role !== 'projects' || !self.map.hasLayer(layer.group)) { return; }
      layer.items.forEach(function (item) {
        if (item && item.main instanceof L.CircleMarker) { item.main.bringToFront(); }
      });
    });
  };
