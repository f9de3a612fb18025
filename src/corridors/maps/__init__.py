"""Every map layer built in one place: the atlas, scenarios, routes and overlays."""
