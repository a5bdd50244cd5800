/*
 * Youcheng Atlas map: the browser side of the "atlas_map" Streamlit component.
 *
 * One shared `render(args)` draws everything; two thin adapters feed it:
 *   - AtlasMap.connectStreamlit(): the Streamlit component protocol over window.postMessage (index.html);
 *   - AtlasMap.startHarness():     args from window.ATLAS_ARGS or the JSON script element with id "atlas-args",
 *                                  plus window.atlasRender(args) (dev_harness.html and the standalone download).
 *
 * Events sent back (each with a growing `seq`): {event: "place", place_id}, {event: "pair", pair_id}; when
 * args.report_view is true, {event: "view", center: [lat, lon], zoom} once a pan or zoom has come to rest; when
 * args.keys is true, {event: "step", delta: ±1} for ←/→, space, PageUp/PageDown (presentation mode).
 *
 * Drawing: Leaflet draws the basemap; arcs, places, overlay points and labels are drawn by this file on two
 * canvases (data below, labels and the hovered item above), from arrays projected once per payload. Leaflet's
 * own vector layers cost ~30 µs per arc on every zoom or pan; one-pixel strokes from typed arrays cost ~5 µs, and
 * with more than args.detail_limit arcs in view the province → country flows of args.reduced are drawn instead
 * (a notice on the map says so) until the user zooms in or filters. Hover and clicks are found by testing the
 * pointer against the drawn items (bounding boxes first), not by per-item DOM or Leaflet layers.
 *
 * The map and the basemap are created once; later renders swap the data and keep the user's view unless
 * args.fit_to or args.view changed. All text (labels, tooltips, legend) is inserted with textContent or drawn
 * with fillText, never as HTML. Coordinates are Pacific-centred: longitudes in [-30, 330).
 */
(function () {
  "use strict";

  var DEFAULT_CENTER = [25, 150];
  var DEFAULT_ZOOM = 2;
  var SEG = 16;                 // segments per arc (the same curve as geo/arcs.sample)
  var NP = SEG + 1;
  var CN_COLOR = "#c1121f";
  var PARTNER_COLOR = "#1d3557";
  var FALLBACK_COLOR = "#555555";
  var ENDED_COLOR = "#6c757d";
  var OUTLINE = "#000000";
  var MAX_POPUP_ITEMS = 300;
  var VIEW_DELAY_MS = 600;      // a pan or zoom is reported once the user has stopped for this long
  var QUIET_MS = 1500;          // moves the map makes itself (fit to a pairing, a linked view) are not reported
  var PAD = 0.1;                // the canvases reach this share of the view beyond each edge (short pans show data)
  var DEFAULT_DETAIL_LIMIT = 8000;   // geo/mapview.DETAIL_LIMIT (the payload sends it as detail_limit)
  var TOLERANCE_PX = 4;
  var PLAY_MS = 900;            // one year per step while playing
  var PRESENT_BOLD_MAX = 1500;  // in presentation mode, up to this many arcs are drawn thicker (more: a mass)
  var MAX_LAT = 85.0511287798;

  var S = {
    map: null, baseRenderer: null, basemapRequested: false, basemapLayer: null, tileLayer: null, tilesUrl: "",
    layer: null, legendBox: null, notice: null, empty: null, tip: null, popup: null, playBox: null,
    args: null, argsKey: null, dataKey: null, fitKey: null, viewKey: null, height: null,
    D: null,            // the prepared payload (see prepare)
    drawn: null,        // what the last draw put on the canvas: {set, arcs: Int32Array, n, reduced}
    labelBoxes: [],
    hover: null,
    play: { on: false, playing: false, year: null, timer: null },
    seq: Date.now(), lastView: null, viewTimer: null, quietUntil: 0, keysBound: false,
    send: function () {},
    onHeight: function () {}
  };

  // ---------------------------------------------------------------- helpers

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // A box in a corner of the map (legend, playback) whose clicks and wheel stay inside it.
  function boxControl(position, className) {
    var box = el("div", className);
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    var control = L.control({ position: position });
    control.onAdd = function () { return box; };
    control.addTo(S.map);
    return box;
  }

  function word(key, fallback) {
    var words = (S.args && S.args.labels) || {};
    var value = words[key];
    return typeof value === "string" && value !== "" ? value : fallback;
  }

  // "{n} pairings" with {name} filled from values (numbers grouped in the interface language's way); a lone 1
  // takes the singular of the nouns in args.singular ("1 pairing"), as geo.i18n.t does for the page's texts.
  function fill(template, values) {
    var locale = S.args && S.args.lang === "en" ? "en-US" : "zh-CN";
    var text = String(template).replace(/\{([a-z_]+)\}/g, function (m, name) {
      var v = values[name];
      if (v === undefined || v === null) return m;
      return typeof v === "number" ? v.toLocaleString(locale) : String(v);
    });
    var one = (S.args && S.args.singular) || {};
    var nouns = Object.keys(one).filter(function (k) { return /^[a-z]+$/.test(k) && typeof one[k] === "string"; });
    if (!nouns.length) return text;
    return text.replace(new RegExp("(^|[^\\d.,])1 (" + nouns.join("|") + ")\\b", "g"), function (m, before, noun) {
      return before + "1 " + one[noun];
    });
  }

  function setState(patch) {
    var st = window.atlasState || {};
    for (var k in patch) if (Object.prototype.hasOwnProperty.call(patch, k)) st[k] = patch[k];
    window.atlasState = st;
  }

  function emit(value) {
    S.seq += 1;
    value.seq = S.seq;
    try { S.send(value); } catch (err) { if (window.console) console.error(err); }
  }

  function safeColor(c) {
    return typeof c === "string" && /^#[0-9a-fA-F]{3,8}$/.test(c) ? c : FALLBACK_COLOR;
  }

  // Web Mercator at zoom 0 (256 px world), as Leaflet's EPSG:3857 projects: pixel = this × 2^zoom.
  function projX(lon) { return 256 * (lon / 360 + 0.5); }
  function projY(lat) {
    if (lat > MAX_LAT) lat = MAX_LAT; else if (lat < -MAX_LAT) lat = -MAX_LAT;
    var s = Math.sin(lat * Math.PI / 180);
    return 256 * (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI));
  }

  // ---------------------------------------------------------------- map and basemap (once)

  function ensureMap() {
    if (S.map) return;
    var root = document.getElementById("atlas-map");
    S.map = L.map(root, {
      preferCanvas: true, worldCopyJump: false, center: DEFAULT_CENTER, zoom: DEFAULT_ZOOM, minZoom: 1,
      maxZoom: 12, zoomSnap: 0.25, zoomDelta: 1, attributionControl: false
    });
    // Leaflet gives the map the keyboard on the first mousedown with a plain focus(), which scrolls the page
    // around the component's frame until the whole map is in view, between mousedown and click: the click then
    // lands on whatever moved under the pointer. Focused here first, without scrolling, Leaflet leaves it be.
    root.addEventListener("mousedown", function () {
      if (document.activeElement !== root) root.focus({ preventScroll: true });
    }, true);
    S.map.createPane("atlasBase");
    S.map.getPane("atlasBase").style.zIndex = 250;
    S.map.getPane("atlasBase").style.pointerEvents = "none";
    S.baseRenderer = L.canvas({ pane: "atlasBase", padding: 0.1 });

    S.tip = L.tooltip({ direction: "top", offset: [0, -6], opacity: 0.96, className: "atlas-tip" });
    S.popup = L.popup({ maxWidth: 320, minWidth: 160, autoPanPadding: [20, 20], className: "atlas-popup" });

    S.legendBox = boxControl("bottomleft", "atlas-legend");
    S.playBox = boxControl("topright", "atlas-play");

    S.empty = el("div", "atlas-empty");
    S.empty.hidden = true;
    root.appendChild(S.empty);
    S.notice = el("div", "atlas-notice");
    S.notice.hidden = true;
    root.appendChild(S.notice);

    S.layer = new DataLayer();
    S.layer.addTo(S.map);
    S.map.on("moveend", onMoveEnd);
    S.map.on("mousemove", onMouseMove);
    S.map.on("mouseout", function () { setHover(null); });
    S.map.on("click", onClick);
    S.lastView = viewKeyOf(viewOf());
    loadBasemap();
  }

  // ---------------------------------------------------------------- reporting the view (args.report_view)

  function viewOf() {
    var c = S.map.getCenter(), lon = c.lng;
    while (lon < -30) lon += 360;
    while (lon >= 330) lon -= 360;
    return { center: [Math.round(c.lat * 100) / 100, Math.round(lon * 100) / 100],
             zoom: Math.round(S.map.getZoom() * 4) / 4 };
  }

  function viewKeyOf(v) { return JSON.stringify(v); }

  function onMoveEnd() {
    if (performance.now() < S.quietUntil) { S.lastView = viewKeyOf(viewOf()); return; }
    if (!S.args || S.args.report_view !== true) return;
    clearTimeout(S.viewTimer);
    S.viewTimer = setTimeout(function () {
      var v = viewOf(), key = viewKeyOf(v);
      if (key === S.lastView) return;
      S.lastView = key;
      emit({ event: "view", center: v.center, zoom: v.zoom });
    }, VIEW_DELAY_MS);
  }

  function basemapStyle(feature) {
    var kind = feature.properties && feature.properties.kind;
    if (kind === "cn_province") {
      return { stroke: true, color: "#a8a29e", weight: 0.5, fill: true, fillColor: "#ebe4de", fillOpacity: 1 };
    }
    if (kind === "cn_sea_boundary") {
      return { stroke: true, color: "#6b7f99", weight: 1, dashArray: "4 3", fill: false };
    }
    return { stroke: true, color: "#ffffff", weight: 0.6, fill: true, fillColor: "#dedede", fillOpacity: 1 };
  }

  var KIND_RANK = { country: 0, cn_province: 1, cn_sea_boundary: 2 };

  function drawBasemap(data) {
    if (S.basemapLayer || !data || !data.features) return;
    var feats = data.features.slice().sort(function (a, b) {
      var ka = KIND_RANK[(a.properties || {}).kind], kb = KIND_RANK[(b.properties || {}).kind];
      return (ka === undefined ? 0 : ka) - (kb === undefined ? 0 : kb);
    });
    S.basemapLayer = L.geoJSON({ type: "FeatureCollection", features: feats }, {
      style: basemapStyle, interactive: false, renderer: S.baseRenderer, pane: "atlasBase"
    }).addTo(S.map);
    setState({ basemap: "ok", basemapFeatures: feats.length });
  }

  function basemapFailed(err) {
    setState({ basemap: "error" });
    if (window.console) console.warn("atlas_map: basemap.json could not be loaded", err);
  }

  function loadBasemapXhr() {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", "basemap.json");
    xhr.onload = function () {
      try { drawBasemap(JSON.parse(xhr.responseText)); } catch (err) { basemapFailed(err); }
    };
    xhr.onerror = basemapFailed;
    xhr.send();
  }

  function loadBasemap() {
    if (S.basemapRequested) return;
    S.basemapRequested = true;
    setState({ basemap: "loading" });
    var inline = window.ATLAS_BASEMAP;
    if (!inline) {
      var tag = document.getElementById("atlas-basemap");
      if (tag) inline = JSON.parse(tag.textContent);
    }
    if (inline) { drawBasemap(inline); return; }
    if (window.ATLAS_BASEMAP_PROMISE) {  // index.html started the request early
      window.ATLAS_BASEMAP_PROMISE.then(drawBasemap, basemapFailed);
      return;
    }
    if (window.fetch && location.protocol !== "file:") {
      fetch("basemap.json").then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      }).then(drawBasemap, basemapFailed);
    } else {
      loadBasemapXhr();  // file:// (only works if the browser allows file access from files)
    }
  }

  function syncTiles(args) {
    var url = typeof args.tiles_url === "string" ? args.tiles_url : "";
    if (url === S.tilesUrl) return;
    if (S.tileLayer) { S.map.removeLayer(S.tileLayer); S.tileLayer = null; }
    S.tilesUrl = url;
    var container = S.map.getContainer();
    if (url) {
      S.tileLayer = L.tileLayer(url, { maxZoom: 12, attribution: "" }).addTo(S.map);
      if (typeof args.tiles_attribution === "string" && args.tiles_attribution) {
        var ctl = L.control({ position: "bottomright" });
        ctl.onAdd = function () { return el("div", "atlas-attribution", args.tiles_attribution); };
        S.tileLayer.on("remove", function () { ctl.remove(); });
        ctl.addTo(S.map);
      }
      L.DomUtil.addClass(container, "atlas-has-tiles");
    } else {
      L.DomUtil.removeClass(container, "atlas-has-tiles");
    }
  }

  // ---------------------------------------------------------------- view

  function syncView(args, first) {
    var fitKey = JSON.stringify(args.fit_to === undefined ? null : args.fit_to);
    var viewKey = JSON.stringify(args.view === undefined ? null : args.view);
    var fitChanged = fitKey !== S.fitKey, viewChanged = viewKey !== S.viewKey;
    S.fitKey = fitKey;
    S.viewKey = viewKey;
    var fit = args.fit_to, view = args.view;
    if ((fitChanged && fit) || (viewChanged && view)) S.quietUntil = performance.now() + QUIET_MS;
    if (viewChanged && view && view.center) {
      S.map.setView(view.center, typeof view.zoom === "number" ? view.zoom : S.map.getZoom(), { animate: !first });
    } else if (fitChanged && fit && fit.length === 2) {
      var pad = args.present === true ? [40, 40] : [20, 20];
      S.map.fitBounds(L.latLngBounds(fit[0], fit[1]), { padding: pad, animate: !first, maxZoom: 8 });
    } else if (fitChanged && !fit && !first) {
      // The filters that framed the view were cleared: back to the world frame the map opens with.
      S.quietUntil = performance.now() + QUIET_MS;
      S.map.setView(DEFAULT_CENTER, DEFAULT_ZOOM, { animate: true });
    }
  }

  function syncHeight(args) {
    var h = Number(args.height) > 0 ? Math.round(Number(args.height)) : 620;
    if (h === S.height) return;
    S.height = h;
    document.getElementById("atlas-map").style.height = h + "px";
    if (S.map) S.map.invalidateSize(false);
    S.onHeight(h);
  }

  // ---------------------------------------------------------------- the payload, prepared once

  // Arcs as projected sample points (zoom 0) with bounding boxes, so every redraw only scales and shifts.
  function prepareSet(places, arcs, P, legend) {
    var n = arcs.length;
    var pts = new Float64Array(n * NP * 2), bb = new Float64Array(n * 4), ok = new Uint8Array(n);
    var color = new Int32Array(n), width = new Float32Array(n);
    var uniformWidth = true, w0 = null;
    for (var i = 0; i < n; i++) {
      var a = arcs[i], p0 = places[a[0]], p1 = places[a[1]];
      if (!p0 || !p1) continue;
      ok[i] = 1;
      color[i] = Number(a[4]) || 0;
      var w = Number(a[5]) > 0 ? Number(a[5]) : 1;
      width[i] = w;
      if (w0 === null) w0 = w; else if (w !== w0) uniformWidth = false;
      var x0 = p0[1], y0 = p0[2], x1 = p1[1], y1 = p1[2], cx = Number(a[2]), cy = Number(a[3]);
      var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity, o = i * NP * 2;
      for (var j = 0; j < NP; j++) {
        var t = j / SEG, u = 1 - t, A = u * u, B = 2 * u * t, C = t * t;
        var X = projX(A * x0 + B * cx + C * x1), Y = projY(A * y0 + B * cy + C * y1);
        pts[o + 2 * j] = X; pts[o + 2 * j + 1] = Y;
        if (X < minX) minX = X; if (X > maxX) maxX = X;
        if (Y < minY) minY = Y; if (Y > maxY) maxY = Y;
      }
      bb[4 * i] = minX; bb[4 * i + 1] = minY; bb[4 * i + 2] = maxX; bb[4 * i + 3] = maxY;
    }
    // Arcs of one width (one per pairing) are drawn grouped by colour; flows in payload order (largest first,
    // so the small ones stay visible on top).
    var idx = [], under = {};
    ((legend && Array.isArray(legend.under)) ? legend.under : []).forEach(function (c) { under[c] = true; });
    for (var k = 0; k < n; k++) if (ok[k]) idx.push(k);
    // Grey colours (year unknown, fallback affinity: legend.under) first, beneath the others.
    var rank = function (i) { return under[color[i]] ? -1 : color[i]; };
    if (uniformWidth) idx.sort(function (p, q) { return rank(p) - rank(q) || p - q; });
    return { places: places, arcs: arcs, P: P, n: n, pts: pts, bb: bb, ok: ok, color: color, width: width,
             order: Int32Array.from(idx), flows: !uniformWidth };
  }

  function projectPlaces(places) {
    var n = places.length, x = new Float64Array(n), y = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      var p = places[i];
      if (!p) { x[i] = NaN; y[i] = NaN; continue; }
      x[i] = projX(Number(p[1])); y[i] = projY(Number(p[2]));
    }
    return { x: x, y: y };
  }

  function legendColors(legend) {
    var items = (legend && Array.isArray(legend.items)) ? legend.items : [];
    return items.map(function (it) { return safeColor(it[1]); });
  }

  function prepare(args) {
    var places = Array.isArray(args.places) ? args.places : [];
    var arcs = Array.isArray(args.arcs) ? args.arcs : [];
    var P = projectPlaces(places);
    var main = prepareSet(places, arcs, P, args.legend);
    main.colors = legendColors(args.legend);
    var byId = {}, flags = new Uint8Array(arcs.length), special = [];
    for (var i = 0; i < arcs.length; i++) byId[String(arcs[i][6])] = i;
    function flag(list, bit) {
      (Array.isArray(list) ? list : []).forEach(function (v) {
        var i = typeof v === "number" ? v : byId[String(v)];
        if (i !== undefined && i >= 0 && i < arcs.length && main.ok[i]) flags[i] |= bit;
      });
    }
    flag(args.ended, 1);
    flag(args.marked, 2);
    flag(args.highlight, 4);
    var order = [];
    for (var k = 0; k < main.order.length; k++) {
      var a = main.order[k];
      if (flags[a]) special.push(a); else order.push(a);
    }
    // Drawn last, on top: ended ties (dashed), then book cases, then the focused pairing.
    special.sort(function (p, q) { return (flags[p] & 4) - (flags[q] & 4) || (flags[p] & 2) - (flags[q] & 2) || p - q; });
    main.order = Int32Array.from(order.concat(special));
    main.flags = flags;
    main.focused = special.some(function (i) { return (flags[i] & 4) !== 0; });
    var years = Array.isArray(args.years) ? args.years : null;
    var year = new Int32Array(arcs.length);
    if (years) for (var y = 0; y < arcs.length; y++) year[y] = typeof years[y] === "number" ? years[y] : 0;
    var adjacency = new Array(places.length);
    for (var j = 0; j < arcs.length; j++) {
      if (!main.ok[j]) continue;
      (adjacency[arcs[j][0]] || (adjacency[arcs[j][0]] = [])).push(j);
      if (arcs[j][1] !== arcs[j][0]) (adjacency[arcs[j][1]] || (adjacency[arcs[j][1]] = [])).push(j);
    }
    var reduced = null;
    if (args.reduced && Array.isArray(args.reduced.arcs) && Array.isArray(args.reduced.places)) {
      reduced = prepareSet(args.reduced.places, args.reduced.arcs, projectPlaces(args.reduced.places),
                           args.reduced.legend);
      reduced.colors = legendColors(args.reduced.legend);
      reduced.flags = new Uint8Array(reduced.n);
    }
    var overlays = (Array.isArray(args.overlays) ? args.overlays : []).map(function (o) {
      var pts = Array.isArray(o.points) ? o.points : [];
      return { id: String(o.id || ""), title: String(o.title || ""), color: safeColor(o.color),
               shape: o.shape === "diamond" || o.shape === "triangle" ? o.shape : "square", points: pts,
               x: Float64Array.from(pts, function (p) { return projX(Number(p[0])); }),
               y: Float64Array.from(pts, function (p) { return projY(Number(p[1])); }) };
    });
    var valid = 0;
    for (var v = 0; v < arcs.length; v++) valid += main.ok[v];
    var focus = {};
    (Array.isArray(args.label_focus) ? args.label_focus : []).forEach(function (i) { focus[i] = true; });
    var candidates = Math.min(places.length, Number(args.label_candidates) >= 0 ? Number(args.label_candidates) : 0);
    return {
      places: places, arcs: arcs, P: P, main: main, reduced: reduced, byId: byId, year: year, hasYears: !!years,
      playback: args.playback && typeof args.playback.first === "number" ? args.playback : null,
      strings: Array.isArray(args.strings) ? args.strings : [], adjacency: adjacency, overlays: overlays,
      valid: valid, focus: focus, candidates: candidates,
      limit: Number(args.detail_limit) > 0 ? Number(args.detail_limit) : DEFAULT_DETAIL_LIMIT
    };
  }

  // ---------------------------------------------------------------- the data layer (two canvases)

  var DataLayer = L.Layer.extend({
    onAdd: function (map) {
      this._box = L.DomUtil.create("div", "atlas-data leaflet-zoom-animated");
      this._base = L.DomUtil.create("canvas", "atlas-data-base", this._box);
      this._top = L.DomUtil.create("canvas", "atlas-data-top", this._box);
      map.getPanes().overlayPane.appendChild(this._box);
      map.on("moveend viewreset resize", this.reset, this);
      map.on("zoomanim", this._animateZoom, this);
      this.reset();
    },
    onRemove: function (map) {
      map.off("moveend viewreset resize", this.reset, this);
      map.off("zoomanim", this._animateZoom, this);
      L.DomUtil.remove(this._box);
    },
    // Place the canvases over the view (plus padding) and redraw everything.
    reset: function () {
      var map = this._map, size = map.getSize();
      var padX = Math.round(size.x * PAD), padY = Math.round(size.y * PAD);
      var topLeft = map.containerPointToLayerPoint([-padX, -padY]).round();
      var w = size.x + 2 * padX, h = size.y + 2 * padY, ratio = window.devicePixelRatio || 1;
      L.DomUtil.setPosition(this._box, topLeft);
      this._bounds = L.latLngBounds(map.layerPointToLatLng(topLeft), map.layerPointToLatLng(topLeft.add([w, h])));
      var k = map.options.crs.scale(map.getZoom()) / 256, origin = map.getPixelOrigin();
      this.V = { k: k, ox: origin.x + topLeft.x, oy: origin.y + topLeft.y, w: w, h: h, padX: padX, padY: padY,
                 zoom: map.getZoom(), ratio: ratio };
      var canvases = [this._base, this._top];
      for (var i = 0; i < 2; i++) {
        var c = canvases[i];
        if (c.width !== Math.round(w * ratio) || c.height !== Math.round(h * ratio)) {
          c.width = Math.round(w * ratio); c.height = Math.round(h * ratio);
          c.style.width = w + "px"; c.style.height = h + "px";
        }
      }
      drawAll();
    },
    _animateZoom: function (e) {
      var scale = this._map.getZoomScale(e.zoom);
      var offset = this._map._latLngBoundsToNewLayerBounds(this._bounds, e.zoom, e.center).min;
      L.DomUtil.setTransform(this._box, offset, scale);
    }
  });

  function baseCtx() {
    var c = S.layer._base, ctx = c.getContext("2d"), r = S.layer.V.ratio;
    ctx.setTransform(r, 0, 0, r, 0, 0);
    return ctx;
  }

  function topCtx() {
    var c = S.layer._top, ctx = c.getContext("2d"), r = S.layer.V.ratio;
    ctx.setTransform(r, 0, 0, r, 0, 0);
    return ctx;
  }

  // Does arc i itself (not just its box) pass through the canvas? A box test first; where the box is only partly
  // inside, each segment's box. (Arcs across the Pacific have boxes covering Japan without passing over it.)
  function arcVisible(set, i, V, slackPx) {
    var b = set.bb, o = 4 * i, k = V.k;
    var x0 = (V.ox - slackPx) / k, y0 = (V.oy - slackPx) / k, x1 = (V.ox + V.w + slackPx) / k,
        y1 = (V.oy + V.h + slackPx) / k;
    if (b[o] > x1 || b[o + 2] < x0 || b[o + 1] > y1 || b[o + 3] < y0) return false;
    if (b[o] >= x0 && b[o + 2] <= x1 && b[o + 1] >= y0 && b[o + 3] <= y1) return true;
    var p = set.pts, q = i * NP * 2;
    for (var j = 0; j < SEG; j++, q += 2) {
      var ax = p[q], ay = p[q + 1], bx = p[q + 2], by = p[q + 3];
      if ((ax < x0 && bx < x0) || (ax > x1 && bx > x1) || (ay < y0 && by < y0) || (ay > y1 && by > y1)) continue;
      return true;
    }
    return false;
  }

  function tracePath(ctx, set, i, V) {
    var o = i * NP * 2, p = set.pts, k = V.k, ox = V.ox, oy = V.oy;
    ctx.moveTo(p[o] * k - ox, p[o + 1] * k - oy);
    for (var j = 1; j < NP; j++) ctx.lineTo(p[o + 2 * j] * k - ox, p[o + 2 * j + 1] * k - oy);
  }

  // Which arcs are shown now: all valid ones, or during playback those signed by the year shown.
  function shownArcs(D) {
    var order = D.main.order, out = [];
    if (S.play.on && D.hasYears) {
      for (var i = 0; i < order.length; i++) {
        var y = D.year[order[i]];
        if (y > 0 && y <= S.play.year) out.push(order[i]);
      }
      return out;
    }
    return order;
  }

  function drawSet(ctx, set, list, V, opts) {
    var present = opts.present, drawn = [], bold = opts.bold && !set.focused;
    // With a focused pairing the others step back, so the one being talked about stands out.
    var alpha = set.focused ? 0.3 : (present ? 0.8 : 0.55), lastColor = null, lastWidth = -1;
    ctx.lineJoin = "round";
    ctx.lineCap = set.flows ? "round" : "butt";
    for (var n = 0; n < list.length; n++) {
      var i = list[n];
      var w = set.width[i] * (bold ? 2 : 1);
      if (!arcVisible(set, i, V, w + 2)) continue;
      drawn.push(i);
      var f = set.flags[i], color = set.colors[set.color[i]] || FALLBACK_COLOR;
      if (opts.newest && S.play.on && opts.year[i] === S.play.year) continue;  // drawn on top afterwards
      if (f & 4) {          // the focused pairing: a strong outline
        strokeOne(ctx, set, i, V, OUTLINE, w + 4.5, 0.9, null);
        strokeOne(ctx, set, i, V, color, w + 2, 1, null);
        lastColor = null; lastWidth = -1;
      } else if (f & 2) {   // a book case: a light outline
        strokeOne(ctx, set, i, V, OUTLINE, w + 2.2, 0.55, null);
        strokeOne(ctx, set, i, V, f & 1 ? ENDED_COLOR : color, w + 0.8, 1, f & 1 ? [5, 4] : null);
        lastColor = null; lastWidth = -1;
      } else if (f & 1) {   // an ended or suspended tie: grey and dashed
        strokeOne(ctx, set, i, V, ENDED_COLOR, Math.max(w, 1.2), 0.9, [5, 4]);
        lastColor = null; lastWidth = -1;
      } else {
        if (color !== lastColor) { ctx.strokeStyle = color; lastColor = color; }
        if (w !== lastWidth) { ctx.lineWidth = w; lastWidth = w; }
        ctx.globalAlpha = alpha;
        ctx.beginPath();
        tracePath(ctx, set, i, V);
        ctx.stroke();
      }
    }
    if (opts.newest && S.play.on) {  // the year just added: full colour, on top
      for (var m = 0; m < drawn.length; m++) {
        var a = drawn[m];
        if (opts.year[a] === S.play.year) {
          strokeOne(ctx, set, a, V, set.colors[set.color[a]] || FALLBACK_COLOR, 2.2, 1, null);
        }
      }
    }
    ctx.globalAlpha = 1;
    ctx.setLineDash([]);
    return drawn;
  }

  function strokeOne(ctx, set, i, V, color, width, alpha, dash) {
    ctx.setLineDash(dash || []);
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.globalAlpha = alpha;
    ctx.beginPath();
    tracePath(ctx, set, i, V);
    ctx.stroke();
    if (dash) ctx.setLineDash([]);
  }

  function drawPlaces(ctx, D, V, present) {
    var P = D.P, places = D.places, n = places.length, r0 = present ? 1.5 : 1;
    ctx.globalAlpha = 0.95;
    ctx.lineWidth = 0.6;
    ctx.strokeStyle = "#ffffff";
    var sides = ["partner", "cn"];
    for (var s = 0; s < 2; s++) {
      ctx.fillStyle = sides[s] === "cn" ? CN_COLOR : PARTNER_COLOR;
      var r = (sides[s] === "cn" ? 2.6 : 2.2) * r0;
      ctx.beginPath();
      for (var i = 0; i < n; i++) {
        var p = places[i];
        if (!p || (p[4] === "cn") !== (sides[s] === "cn")) continue;
        var x = P.x[i] * V.k - V.ox, y = P.y[i] * V.k - V.oy;
        if (x < -5 || y < -5 || x > V.w + 5 || y > V.h + 5) continue;
        ctx.moveTo(x + r, y);
        ctx.arc(x, y, r, 0, 2 * Math.PI);
      }
      ctx.fill();
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
  }

  function shapePath(ctx, shape, x, y, r) {
    if (shape === "diamond") {
      ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y); ctx.closePath();
    } else if (shape === "triangle") {
      ctx.moveTo(x, y - r); ctx.lineTo(x + r, y + r * 0.8); ctx.lineTo(x - r, y + r * 0.8); ctx.closePath();
    } else {
      ctx.rect(x - r * 0.8, y - r * 0.8, r * 1.6, r * 1.6);
    }
  }

  function overlaySize() { return S.args && S.args.present === true ? 8 : 5.5; }

  function drawOverlays(ctx, D, V) {
    var r = overlaySize();
    for (var o = 0; o < D.overlays.length; o++) {
      var layer = D.overlays[o];
      ctx.beginPath();
      for (var i = 0; i < layer.points.length; i++) {
        var x = layer.x[i] * V.k - V.ox, y = layer.y[i] * V.k - V.oy;
        if (x < -r || y < -r || x > V.w + r || y > V.h + r) continue;
        ctx.moveTo(x, y);
        shapePath(ctx, layer.shape, x, y, r);
      }
      ctx.fillStyle = layer.color;
      ctx.globalAlpha = 0.95;
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.lineWidth = 1.2;
      ctx.strokeStyle = "#ffffff";
      ctx.stroke();
    }
  }

  // Is the detail (one arc per pairing) too much for this view? Count the arcs whose box meets the view.
  function tooMany(D, list, V) {
    if (!D.reduced || S.play.on) return false;
    var count = 0;
    for (var n = 0; n < list.length; n++) {
      if (arcVisible(D.main, list[n], V, 2) && ++count > D.limit) return true;
    }
    return false;
  }

  function drawAll() {
    var D = S.D;
    if (!D || !S.layer || !S.layer.V) return;
    var t0 = performance.now();
    var V = S.layer.V, present = S.args.present === true;
    var ctx = baseCtx();
    ctx.clearRect(0, 0, V.w, V.h);
    var list = shownArcs(D), reduced = tooMany(D, list, V), drawn;
    if (reduced) {
      drawn = drawSet(ctx, D.reduced, D.reduced.order, V, { present: present });
    } else {
      var bold = present && list.length <= PRESENT_BOLD_MAX;
      drawn = drawSet(ctx, D.main, list, V, { present: present, bold: bold, newest: true, year: D.year });
    }
    S.drawn = { set: reduced ? D.reduced : D.main, arcs: drawn, reduced: reduced };
    drawPlaces(ctx, D, V, present);
    drawOverlays(ctx, D, V);
    showNotice(reduced);
    var caseShown = false;
    for (var c = 0; !reduced && c < drawn.length && !caseShown; c++) caseShown = (D.main.flags[drawn[c]] & 2) !== 0;
    buildLegend(reduced, caseShown);
    syncPlay();
    fitLabels(D, V, present);
    drawTop();
    var ms = performance.now() - t0;
    setState({ drawnArcs: reduced ? 0 : drawn.length, flowsDrawn: reduced ? drawn.length : 0, reduced: reduced,
               labels: S.labelBoxes.length, lastDrawMs: ms, zoom: V.zoom,
               playYear: S.play.on ? S.play.year : null, playShown: S.play.on ? list.length : null });
  }

  // ---------------------------------------------------------------- labels (screen space, every redraw)

  var widthCache = {};

  function labelFont(present, focus) {
    return (focus ? "700 " : "500 ") + (present ? 19 : 12) + "px " +
      "system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', " +
      "'PingFang SC', 'Microsoft YaHei', sans-serif";
  }

  function textWidth(ctx, text, font) {
    var key = font + "\u0000" + text;
    var w = widthCache[key];
    if (w === undefined) { ctx.font = font; w = ctx.measureText(text).width; widthCache[key] = w; }
    return w;
  }

  // The busiest places (payload order) get names first; a name is kept only where it overlaps no name already
  // kept and lies inside the view. More fit as one zooms in; focused places (a pair, a case) always get theirs.
  // The map's own boxes (legend, playback, zoom buttons, notice) in container pixels: names are not put under them.
  function controlBoxes() {
    var root = S.map.getContainer(), at = root.getBoundingClientRect(), out = [];
    var nodes = root.querySelectorAll(".atlas-legend, .atlas-play, .leaflet-control-zoom, .atlas-notice");
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i].hidden) continue;
      var r = nodes[i].getBoundingClientRect();
      if (r.width > 0 && r.height > 0) out.push({ x: r.left - at.left, y: r.top - at.top, w: r.width, h: r.height });
    }
    return out;
  }

  function fitLabels(D, V, present) {
    var ctx = topCtx(), boxes = [], size = present ? 19 : 12, h = size + 4;
    var blocked = controlBoxes();
    var budget = Math.round((present ? 14 : 22) * Math.pow(2, Math.max(0, V.zoom - 2)));
    budget = Math.min(budget, 250);
    var order = [], seen = {};
    Object.keys(D.focus).forEach(function (k) { order.push(Number(k)); seen[k] = true; });
    for (var i = 0; i < D.candidates; i++) if (!seen[i]) order.push(i);
    var kept = 0;
    for (var n = 0; n < order.length; n++) {
      var idx = order[n], p = D.places[idx];
      if (!p || !p[3]) continue;
      var focus = !!D.focus[idx];
      if (!focus && kept >= budget) break;
      var x = D.P.x[idx] * V.k - V.ox - V.padX, y = D.P.y[idx] * V.k - V.oy - V.padY;  // container pixels
      var vw = V.w - 2 * V.padX, vh = V.h - 2 * V.padY;
      if (x < 0 || y < 0 || x > vw || y > vh) continue;
      var font = labelFont(present, focus), w = textWidth(ctx, String(p[3]), font) + 4;
      var spots = [[x + 5, y - h / 2], [x - 5 - w, y - h / 2], [x - w / 2, y - h - 3], [x - w / 2, y + 3]];
      var placed = null;
      for (var s = 0; s < spots.length && !placed; s++) {
        var b = { x: spots[s][0], y: spots[s][1], w: w, h: h };
        if (!focus && (b.x < 0 || b.y < 0 || b.x + b.w > vw || b.y + b.h > vh)) continue;
        var clash = false;
        for (var q = 0; q < boxes.length + blocked.length && !clash; q++) {
          var o = q < boxes.length ? boxes[q] : blocked[q - boxes.length];
          clash = b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h;
        }
        if (!clash || focus) placed = b;
      }
      if (!placed) continue;
      placed.text = String(p[3]);
      placed.focus = focus;
      placed.font = font;
      boxes.push(placed);
      if (!focus) kept++;
    }
    S.labelBoxes = boxes;
  }

  function drawLabels(ctx, V) {
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    for (var i = 0; i < S.labelBoxes.length; i++) {
      var b = S.labelBoxes[i], x = b.x + 2 + V.padX, y = b.y + b.h / 2 + V.padY;
      ctx.font = b.font;
      ctx.lineWidth = 3.5;
      ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.strokeText(b.text, x, y);
      ctx.fillStyle = b.focus ? "#000000" : "#1f2933";
      ctx.fillText(b.text, x, y);
    }
  }

  // The upper canvas: the hovered item, then the labels.
  function drawTop() {
    if (!S.layer || !S.layer.V) return;
    var V = S.layer.V, ctx = topCtx();
    ctx.clearRect(0, 0, V.w, V.h);
    var h = S.hover;
    if (h && h.kind === "arc") {
      var set = h.set, w = set.width[h.index];
      strokeOne(ctx, set, h.index, V, "#ffffff", w + 4, 0.8, null);
      strokeOne(ctx, set, h.index, V, set.colors[set.color[h.index]] || FALLBACK_COLOR, w + 1.5, 1, null);
    }
    drawLabels(ctx, V);
  }

  // ---------------------------------------------------------------- hover and clicks

  function worldPoint(e) {
    var V = S.layer.V, lp = S.map.latLngToLayerPoint(e.latlng), origin = S.map.getPixelOrigin();
    return { x: (lp.x + origin.x) / V.k, y: (lp.y + origin.y) / V.k, k: V.k };
  }

  function segDist2(px, py, ax, ay, bx, by) {
    var dx = bx - ax, dy = by - ay, len = dx * dx + dy * dy, t = 0;
    if (len > 0) { t = ((px - ax) * dx + (py - ay) * dy) / len; t = t < 0 ? 0 : (t > 1 ? 1 : t); }
    var x = ax + t * dx - px, y = ay + t * dy - py;
    return x * x + y * y;
  }

  function hitTest(e) {
    var D = S.D;
    if (!D || !S.drawn) return null;
    var w = worldPoint(e), k = w.k;
    // Overlay points first (drawn on top), then places, then arcs (the last drawn first).
    var r = (overlaySize() + 2) / k;
    for (var o = D.overlays.length - 1; o >= 0; o--) {
      var layer = D.overlays[o];
      for (var i = layer.points.length - 1; i >= 0; i--) {
        if (Math.abs(layer.x[i] - w.x) <= r && Math.abs(layer.y[i] - w.y) <= r) {
          return { kind: "overlay", layer: layer, index: i };
        }
      }
    }
    var best = -1, bestD = Infinity, pr = (TOLERANCE_PX + 2) / k;
    for (var j = 0; j < D.places.length; j++) {
      var dx = D.P.x[j] - w.x, dy = D.P.y[j] - w.y;
      if (Math.abs(dx) > pr || Math.abs(dy) > pr) continue;
      var d = dx * dx + dy * dy;
      if (d <= bestD) { bestD = d; best = j; }  // on a tie the one drawn last (on top) wins
    }
    if (best >= 0) return { kind: "place", index: best };
    var set = S.drawn.set, arcs = S.drawn.arcs, pts = set.pts;
    for (var n = arcs.length - 1; n >= 0; n--) {
      var a = arcs[n], tol = (TOLERANCE_PX + set.width[a] / 2) / k, b = set.bb, q = 4 * a;
      if (w.x < b[q] - tol || w.x > b[q + 2] + tol || w.y < b[q + 1] - tol || w.y > b[q + 3] + tol) continue;
      var off = a * NP * 2;
      for (var s = 0; s < SEG; s++) {
        var c = off + 2 * s;
        if (segDist2(w.x, w.y, pts[c], pts[c + 1], pts[c + 2], pts[c + 3]) <= tol * tol) {
          return { kind: "arc", set: set, index: a, reduced: S.drawn.reduced };
        }
      }
    }
    return null;
  }

  function sameHover(a, b) {
    if (!a || !b) return a === b;
    return a.kind === b.kind && a.index === b.index && a.set === b.set && a.layer === b.layer;
  }

  function setHover(h, e) {
    var changed = !sameHover(h, S.hover);
    S.hover = h;
    S.map.getContainer().style.cursor = h ? "pointer" : "";
    if (changed) drawTop();
    if (!h) { hideTip(); return; }
    var lines;
    if (h.kind === "arc") lines = tipLines(h.set.arcs[h.index], h.set.places);
    else if (h.kind === "place") lines = [S.D.places[h.index][3]];
    else {
      var p = h.layer.points[h.index];
      lines = [String(p[2])].concat(h.layer.title ? [h.layer.title] : [], Array.isArray(p[3]) ? p[3] : []);
    }
    if (changed || !S.map.hasLayer(S.tip)) showTip(e, lines); else S.tip.setLatLng(e.latlng);
  }

  var moveFrame = null, lastMove = null;

  function onMouseMove(e) {
    lastMove = e;
    if (moveFrame !== null) return;
    moveFrame = requestAnimationFrame(function () {
      moveFrame = null;
      if (lastMove) setHover(hitTest(lastMove), lastMove);
    });
  }

  function tipContent(lines) {
    var box = el("div", "atlas-tip-body");
    if (!Array.isArray(lines)) lines = [lines];
    for (var i = 0; i < lines.length; i++) {
      box.appendChild(el("div", i === 0 ? "atlas-tip-head" : "atlas-tip-line", lines[i] === null ? "" : lines[i]));
    }
    return box;
  }

  function showTip(e, lines) {
    S.tip.setContent(tipContent(lines));
    S.tip.setLatLng(e.latlng);
    if (!S.map.hasLayer(S.tip)) S.map.openTooltip(S.tip);
  }

  function hideTip() {
    if (S.map && S.map.hasLayer(S.tip)) S.map.closeTooltip(S.tip);
  }

  // Tooltip lines may be plain strings, indexes into args.strings (text shared by many arcs is sent once),
  // or null as the first line, meaning "the two places' labels".
  function tipLines(arc, places) {
    var raw = Array.isArray(arc[7]) ? arc[7] : (arc[7] == null ? [] : [arc[7]]);
    places = places || S.D.places;
    return raw.map(function (item, i) {
      if (typeof item === "number") return S.D.strings[item] == null ? "" : String(S.D.strings[item]);
      if (item === null && i === 0) {
        var a = places[arc[0]], b = places[arc[1]];
        return (a ? a[3] : "") + " — " + (b ? b[3] : "");
      }
      return item;
    });
  }

  function partnersOf(idx) {
    var D = S.D, touching = D.adjacency[idx] || [], seen = {}, names = [];
    for (var i = 0; i < touching.length; i++) {
      var arc = D.arcs[touching[i]];
      var p = D.places[arc[0] === idx ? arc[1] : arc[0]];
      if (!p) continue;
      var key = String(p[0]);
      if (seen[key]) continue;
      seen[key] = true;
      names.push(String(p[3]));
    }
    names.sort(function (a, b) { return a.localeCompare(b); });
    return names;
  }

  function onClick(e) {
    var h = hitTest(e);
    if (!h) return;
    if (h.kind === "place") {
      hideTip();
      var place = S.D.places[h.index], names = partnersOf(h.index);
      var box = el("div", "atlas-popup-body");
      box.appendChild(el("div", "atlas-popup-title", place[3]));
      box.appendChild(el("div", "atlas-popup-sub", word("partners_of", "Partners of") + " (" + names.length + ")"));
      var list = el("ul", "atlas-popup-list");
      for (var i = 0; i < names.length && i < MAX_POPUP_ITEMS; i++) list.appendChild(el("li", null, names[i]));
      if (names.length > MAX_POPUP_ITEMS) list.appendChild(el("li", "atlas-popup-more", "… +" + (names.length - MAX_POPUP_ITEMS)));
      box.appendChild(list);
      S.popup.setLatLng([place[2], place[1]]).setContent(box).openOn(S.map);
      emit({ event: "place", place_id: place[0] });
    } else if (h.kind === "arc" && !h.reduced) {
      emit({ event: "pair", pair_id: h.set.arcs[h.index][6] });
    }
  }

  // ---------------------------------------------------------------- legend and notices

  function swatch(color, dashed) {
    var sw = el("span", "atlas-legend-swatch" + (dashed ? " atlas-legend-dashed" : ""));
    if (dashed) sw.style.borderTopColor = safeColor(color); else sw.style.backgroundColor = safeColor(color);
    return sw;
  }

  function legendRow(box, sw, text) {
    var row = el("div", "atlas-legend-row");
    row.appendChild(sw);
    row.appendChild(el("span", "atlas-legend-label", text));
    box.appendChild(row);
    return row;
  }

  var legendKey = null;

  // caseShown: is a book-case arc among those drawn in this view? (legend.case_item is shown only then)
  function buildLegend(reduced, caseShown) {
    var box = S.legendBox, args = S.args, D = S.D;
    if (!box || !D) return;
    var legend = (reduced ? args.reduced.legend : args.legend) || {};
    var key = S.argsKey + "|" + reduced + "|" + caseShown;
    if (key === legendKey) return;
    legendKey = key;
    box.textContent = "";
    var items = Array.isArray(legend.items) ? legend.items : [];
    // Small maps (e.g. a case panel) hide the legend box; its colours still colour the arcs.
    box.hidden = args.legend_hidden === true || (!legend.title && items.length === 0);
    // Flows: the width scale first, so it is never scrolled out of sight.
    var scale = legend.scale;
    if (scale && Array.isArray(scale.items) && scale.items.length) {
      var sbox = el("div", "atlas-legend-scale");
      if (scale.title) sbox.appendChild(el("div", "atlas-legend-title", scale.title));
      for (var s = 0; s < scale.items.length; s++) {
        var line = el("span", "atlas-scale-line");
        var w = Math.max(1, Number(scale.items[s][1]) || 1);
        line.style.height = w + "px";
        line.style.borderRadius = (w / 2) + "px";
        line.dataset.width = String(w);
        legendRow(sbox, line, scale.items[s][0]).classList.add("atlas-scale-row");
      }
      if (legend.note) sbox.appendChild(el("div", "atlas-legend-note", legend.note));
      box.appendChild(sbox);
    } else if (legend.note) {
      box.appendChild(el("div", "atlas-legend-note", legend.note));
    }
    if (legend.title) box.appendChild(el("div", "atlas-legend-title", legend.title));
    for (var i = 0; i < items.length; i++) {
      if (i === legend.case_item && !caseShown) continue;
      legendRow(box, swatch(items[i][1]), items[i][0]);
    }
    var ended = Array.isArray(args.ended) ? args.ended.length : 0;
    if (!reduced && ended > 0) legendRow(box, swatch(ENDED_COLOR, true), word("ended", "Ended or suspended"));
    D.overlays.forEach(function (o) {
      var sw = el("span", "atlas-legend-shape atlas-shape-" + o.shape);
      sw.style.setProperty("--shape-color", o.color);
      legendRow(box, sw, o.title || o.id).classList.add("atlas-legend-overlay");
    });
  }

  function showNotice(reduced) {
    var text = reduced && S.args.reduced && S.args.reduced.note ? S.args.reduced.note : "";
    S.notice.textContent = text;
    S.notice.hidden = !text;
    var why = typeof S.args.empty_text === "string" && S.args.empty_text ? S.args.empty_text : "";
    S.empty.textContent = why || word("no_arcs", "No pairings match");
    S.empty.hidden = S.D.valid > 0 || S.D.overlays.length > 0;
  }

  // ---------------------------------------------------------------- playback (year by year)

  function button(text, cls, onClick) {
    var b = el("button", "atlas-play-btn " + cls, text);
    b.type = "button";
    L.DomEvent.on(b, "click", function (ev) { L.DomEvent.stop(ev); onClick(); });
    return b;
  }

  var playKey = null;

  function syncPlay() {
    var box = S.playBox, D = S.D, pb = D && D.playback;
    if (!box) return;
    var key = [S.argsKey, S.play.on, S.play.playing, S.play.year].join("|");
    if (key === playKey) return;
    playKey = key;
    box.textContent = "";
    box.hidden = !pb || !D.hasYears || S.args.playback_hidden === true;
    if (box.hidden) return;
    if (!S.play.on) {
      box.appendChild(button(word("play", "Play year by year"), "atlas-play-start", startPlay));
      return;
    }
    box.appendChild(el("div", "atlas-play-year", S.play.year));
    var row = el("div", "atlas-play-row");
    row.appendChild(button(word("back", "Back"), "atlas-play-back", function () { stepPlay(-1); }));
    row.appendChild(button(S.play.playing ? word("pause", "Pause") : word("resume", "Play"), "atlas-play-toggle",
                           togglePlay));
    row.appendChild(button(word("forward", "Forward"), "atlas-play-fwd", function () { stepPlay(1); }));
    row.appendChild(button(word("close", "Show all"), "atlas-play-close", stopPlay));
    box.appendChild(row);
    box.appendChild(el("div", "atlas-play-count", fill(word("play_count", "{n}"), { n: countBy(S.play.year) })));
    if (pb.unknown > 0) {
      box.appendChild(el("div", "atlas-play-unknown", fill(word("play_unknown", "{n}"), { n: pb.unknown })));
    }
  }

  function countBy(year) {
    var D = S.D, n = 0;
    for (var i = 0; i < D.year.length; i++) if (D.main.ok[i] && D.year[i] > 0 && D.year[i] <= year) n++;
    return n;
  }

  function schedule() {
    clearTimeout(S.play.timer);
    if (!S.play.playing) return;
    S.play.timer = setTimeout(function () {
      var pb = S.D && S.D.playback;
      if (!pb || !S.play.on) return;
      if (S.play.year >= pb.last) { S.play.playing = false; drawAll(); return; }
      S.play.year += 1;
      drawAll();
      schedule();
    }, PLAY_MS);
  }

  function startPlay() {
    var pb = S.D && S.D.playback;
    if (!pb) return;
    S.play.on = true; S.play.playing = true; S.play.year = pb.first;
    drawAll();
    schedule();
  }

  function togglePlay() {
    var pb = S.D.playback;
    if (!S.play.playing && S.play.year >= pb.last) S.play.year = pb.first;
    S.play.playing = !S.play.playing;
    drawAll();
    schedule();
  }

  function stepPlay(delta) {
    var pb = S.D.playback;
    S.play.playing = false;
    clearTimeout(S.play.timer);
    S.play.year = Math.max(pb.first, Math.min(pb.last, S.play.year + delta));
    drawAll();
  }

  function stopPlay() {
    clearTimeout(S.play.timer);
    S.play.on = false; S.play.playing = false; S.play.year = null;
    drawAll();
  }

  // ---------------------------------------------------------------- keys (presentation mode)

  function onKey(ev) {
    if (!S.args || S.args.keys !== true) return;
    var target = ev.target || {}, tag = (target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable) return;
    var delta = 0;
    if (ev.key === "ArrowRight" || ev.key === "PageDown" || ev.key === " " || ev.key === "Spacebar") delta = 1;
    else if (ev.key === "ArrowLeft" || ev.key === "PageUp") delta = -1;
    if (!delta) return;
    ev.preventDefault();
    emit({ event: "step", delta: delta });
  }

  function bindKeys(args) {
    if (args.keys !== true) return;
    if (S.map && S.map.keyboard) S.map.keyboard.disable();  // the arrows step through views, they do not pan
    if (S.keysBound) return;
    S.keysBound = true;
    window.addEventListener("keydown", onKey);
    // The app page around the component's frame (same origin): keys pressed there step the views too.
    try {
      if (window.parent && window.parent !== window && window.parent.document) {
        var outer = window.parent.document;
        outer.addEventListener("keydown", onKey);
        // When the page leaves presentation mode this frame goes; its listener must not stay behind.
        window.addEventListener("pagehide", function () { outer.removeEventListener("keydown", onKey); });
      }
    } catch (err) { /* another origin: only keys pressed on the map step */ }
  }

  // ---------------------------------------------------------------- render

  var BIG_KEYS = { places: 1, arcs: 1, strings: 1, years: 1, reduced: 1, ended: 1 };

  function argsKeyOf(args) {
    try {
      if (typeof args.revision === "number") {
        var small = {};
        for (var k in args) if (!BIG_KEYS[k]) small[k] = args[k];
        return JSON.stringify(small);
      }
      return JSON.stringify(args);
    } catch (err) { return null; }
  }

  function render(args) {
    args = args || {};
    var key = argsKeyOf(args);
    if (key !== null && key === S.argsKey && S.map) return window.atlasState;  // identical rerun: nothing to do
    var t0 = performance.now();
    var first = !S.map;
    var dataKey = typeof args.revision === "number" ? "r" + args.revision : key;
    S.args = args;
    S.argsKey = key;
    syncHeight(args);
    ensureMap();
    document.documentElement.lang = args.lang === "en" ? "en" : "zh";
    L.DomUtil[args.present === true ? "addClass" : "removeClass"](S.map.getContainer(), "atlas-present");
    syncTiles(args);
    bindKeys(args);
    if (dataKey === null || dataKey !== S.dataKey) {
      S.D = prepare(args);
      S.dataKey = dataKey;
      S.hover = null;
      hideTip();
      S.map.closePopup(S.popup);
      if (S.play.on) { clearTimeout(S.play.timer); S.play.on = false; S.play.playing = false; }
    }
    syncView(args, first);
    drawAll();
    var t1 = performance.now();
    var revision = args.revision === undefined ? null : args.revision;
    setState({ arcs: S.D.valid, places: S.D.places.length, revision: revision, drawnAt: t1, drawMs: t1 - t0,
               paintMs: null, overlayPoints: S.D.overlays.reduce(function (n, o) { return n + o.points.length; }, 0) });
    document.body.dataset.revision = String(revision);
    // The canvas paints on the next animation frame; record when that happened (for benchmarks).
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        if (window.atlasState.revision === revision) {
          setState({ paintMs: performance.now() - t0 });
          document.body.dataset.painted = String(revision);
        }
      });
    });
    return window.atlasState;
  }

  // ---------------------------------------------------------------- adapters

  function connectStreamlit() {
    var post = function (msg) {
      msg.isStreamlitMessage = true;
      window.parent.postMessage(msg, "*");
    };
    S.send = function (value) { post({ type: "streamlit:setComponentValue", value: value, dataType: "json" }); };
    S.onHeight = function (h) { post({ type: "streamlit:setFrameHeight", height: h }); };
    window.addEventListener("message", function (ev) {
      if (ev.source !== window.parent) return;
      var data = ev.data;
      if (!data || data.type !== "streamlit:render") return;
      render(data.args || {});
    });
    post({ type: "streamlit:componentReady", apiVersion: 1 });
  }

  function readArgsTag() {
    var tag = document.getElementById("atlas-args");
    return tag ? JSON.parse(tag.textContent) : null;
  }

  function startHarness() {
    window.atlasEvents = [];
    S.send = function (value) { window.atlasEvents.push(value); };
    window.atlasRender = render;
    var args = window.ATLAS_ARGS || readArgsTag();
    if (args) render(args);
  }

  function arcLatLngs(p0, p1, cx, cy) {
    var out = new Array(NP);
    for (var i = 0; i < NP; i++) {
      var t = i / SEG, u = 1 - t, a = u * u, b = 2 * u * t, c = t * t;
      out[i] = new L.LatLng(a * p0[2] + b * cy + c * p1[2], a * p0[1] + b * cx + c * p1[1]);
    }
    return out;
  }

  window.AtlasMap = {
    render: render,
    connectStreamlit: connectStreamlit,
    startHarness: startHarness,
    arcLatLngs: arcLatLngs,
    getMap: function () { return S.map; },  // for tests: pixel look-ups and view checks
    tooltipOf: function (pairId) {           // for tests: the tooltip lines of an arc, as shown on hover
      if (!S.D) return null;
      var i = S.D.byId[String(pairId)];
      return i === undefined || !S.D.main.ok[i] ? null : tipLines(S.D.arcs[i], S.D.places);
    },
    labelBoxes: function () {                // for tests: the labels drawn, in map container pixels
      return S.labelBoxes.map(function (b) { return { text: b.text, x: b.x, y: b.y, w: b.w, h: b.h, focus: b.focus }; });
    },
    redraw: function () { drawAll(); return window.atlasState; },
    play: { start: function () { startPlay(); }, step: function (d) { if (S.play.on) stepPlay(d); },
            toggle: function () { if (S.play.on) togglePlay(); }, stop: function () { stopPlay(); } }
  };
})();
