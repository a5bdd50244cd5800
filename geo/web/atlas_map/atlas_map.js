/*
 * Youcheng Atlas map: the browser side of the "atlas_map" Streamlit component.
 *
 * One shared `render(args)` draws everything; two thin adapters feed it:
 *   - AtlasMap.connectStreamlit(): the Streamlit component protocol over window.postMessage (index.html);
 *   - AtlasMap.startHarness():     args from window.ATLAS_ARGS or the JSON script element with id "atlas-args",
 *                                  plus window.atlasRender(args) (dev_harness.html and the standalone download).
 *
 * Events sent back (each with a growing `seq`): {event: "place", place_id}, {event: "pair", pair_id}, and, when
 * args.report_view is true, {event: "view", center: [lat, lon], zoom} once a pan or zoom has come to rest.
 *
 * The map and the basemap are created once. Later renders only swap the arcs/places layers and the legend,
 * and keep the user's view unless args.fit_to or args.view changed. All text (labels, tooltips, legend) is
 * inserted with textContent, never as HTML. Coordinates are Pacific-centred: longitudes in [-30, 330).
 */
(function () {
  "use strict";

  var DEFAULT_CENTER = [25, 150];
  var DEFAULT_ZOOM = 2;
  var ARC_SEGMENTS = 16;
  var CN_COLOR = "#c1121f";
  var PARTNER_COLOR = "#1d3557";
  var FALLBACK_COLOR = "#555555";
  var HIGHLIGHT_OUTLINE = "#000000";
  var MAX_POPUP_ITEMS = 300;
  var VIEW_DELAY_MS = 600;   // a pan or zoom is reported once the user has stopped for this long
  var QUIET_MS = 1500;       // moves the map makes itself (fit to a pairing, a linked view) are not reported

  var S = {
    map: null,
    baseRenderer: null,
    dataRenderer: null,
    basemapRequested: false,
    basemapLayer: null,
    tileLayer: null,
    tilesUrl: "",
    arcsLayer: null,
    placesLayer: null,
    legendControl: null,
    legendBox: null,
    overlay: null,
    tip: null,
    popup: null,
    args: null,
    argsKey: null,
    fitKey: null,
    viewKey: null,
    height: null,
    adjacency: null,
    seq: Date.now(),
    lastView: null,
    viewTimer: null,
    quietUntil: 0,
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

  function label(key, fallback) {
    var labels = (S.args && S.args.labels) || {};
    var value = labels[key];
    return typeof value === "string" && value !== "" ? value : fallback;
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

  // ---------------------------------------------------------------- map and basemap (once)

  function ensureMap(args) {
    if (S.map) return;
    var root = document.getElementById("atlas-map");
    S.map = L.map(root, {
      preferCanvas: true,
      worldCopyJump: false,
      center: DEFAULT_CENTER,
      zoom: DEFAULT_ZOOM,
      minZoom: 1,
      maxZoom: 12,
      zoomSnap: 0.5,
      attributionControl: false
    });
    S.map.createPane("atlasBase");
    S.map.getPane("atlasBase").style.zIndex = 250;
    S.map.getPane("atlasBase").style.pointerEvents = "none";
    S.baseRenderer = L.canvas({ pane: "atlasBase", padding: 0.3 });
    // Arcs and places share one canvas so hit-testing sees both (places are added last, hence on top).
    S.dataRenderer = L.canvas({ padding: 0.3, tolerance: 3 });

    S.tip = L.tooltip({ direction: "top", offset: [0, -6], opacity: 0.96, className: "atlas-tip" });
    S.popup = L.popup({ maxWidth: 320, minWidth: 160, autoPanPadding: [20, 20], className: "atlas-popup" });

    S.legendControl = L.control({ position: "bottomleft" });
    S.legendControl.onAdd = function () {
      var box = el("div", "atlas-legend");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      S.legendBox = box;
      return box;
    };
    S.legendControl.addTo(S.map);

    S.overlay = el("div", "atlas-empty");
    S.overlay.hidden = true;
    root.appendChild(S.overlay);

    S.map.on("moveend", onMoveEnd);
    S.lastView = viewKeyOf(viewOf());
    loadBasemap();
  }

  // ---------------------------------------------------------------- reporting the view (args.report_view)

  function viewOf() {
    var c = S.map.getCenter(), lon = c.lng;
    while (lon < -30) lon += 360;
    while (lon >= 330) lon -= 360;
    return { center: [Math.round(c.lat * 100) / 100, Math.round(lon * 100) / 100],
             zoom: Math.round(S.map.getZoom() * 2) / 2 };
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
      style: basemapStyle,
      interactive: false,
      renderer: S.baseRenderer,
      pane: "atlasBase"
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
    if (fitChanged && fit && fit.length === 2) {
      S.map.fitBounds(L.latLngBounds(fit[0], fit[1]), { padding: [20, 20], animate: !first, maxZoom: 8 });
    } else if (viewChanged && view && view.center) {
      S.map.setView(view.center, typeof view.zoom === "number" ? view.zoom : S.map.getZoom(), { animate: !first });
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

  // ---------------------------------------------------------------- arcs, places, legend (every render)

  function arcLatLngs(p0, p1, cx, cy) {
    var x0 = p0[1], y0 = p0[2], x1 = p1[1], y1 = p1[2];
    var out = new Array(ARC_SEGMENTS + 1);
    for (var i = 0; i <= ARC_SEGMENTS; i++) {
      var t = i / ARC_SEGMENTS, u = 1 - t;
      var a = u * u, b = 2 * u * t, c = t * t;
      out[i] = new L.LatLng(a * y0 + b * cy + c * y1, a * x0 + b * cx + c * x1);
    }
    return out;
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
    if (S.map.hasLayer(S.tip)) S.map.closeTooltip(S.tip);
  }

  // Tooltip lines may be plain strings, indexes into args.strings (text shared by many arcs is sent once),
  // or null as the first line, meaning "the two places' labels".
  function tipLines(arc) {
    var raw = Array.isArray(arc[7]) ? arc[7] : (arc[7] == null ? [] : [arc[7]]);
    return raw.map(function (item, i) {
      if (typeof item === "number") return S.strings[item] == null ? "" : String(S.strings[item]);
      if (item === null && i === 0) {
        var a = S.placeRows[arc[0]], b = S.placeRows[arc[1]];
        return (a ? a[3] : "") + " — " + (b ? b[3] : "");
      }
      return item;
    });
  }

  function onArcOver(e) {
    var layer = e.layer, arc = layer && layer.options.atlasArc;
    if (!arc) return;
    layer.setStyle({ opacity: 1, weight: layer.options.atlasWeight + 1.5 });
    showTip(e, tipLines(arc));
  }

  function onArcOut(e) {
    var layer = e.layer;
    if (layer && layer.options.atlasArc) {
      layer.setStyle({ opacity: layer.options.atlasOpacity, weight: layer.options.atlasWeight });
    }
    hideTip();
  }

  function onPlaceOver(e) {
    var place = e.layer && e.layer.options.atlasPlace;
    if (place) showTip(e, [place[3]]);
  }

  function onMove(e) {
    if (S.map.hasLayer(S.tip)) S.tip.setLatLng(e.latlng);
  }

  function onArcClick(e) {
    var arc = e.layer && e.layer.options.atlasArc;
    if (!arc) return;
    emit({ event: "pair", pair_id: arc[6] });
  }

  function partnersOf(idx) {
    var args = S.args, places = args.places, arcs = args.arcs, touching = S.adjacency[idx] || [];
    var seen = {}, names = [];
    for (var i = 0; i < touching.length; i++) {
      var arc = arcs[touching[i]];
      var other = arc[0] === idx ? arc[1] : arc[0];
      var p = places[other];
      if (!p) continue;
      var key = String(p[0]);
      if (seen[key]) continue;
      seen[key] = true;
      names.push(String(p[3]));
    }
    names.sort(function (a, b) { return a.localeCompare(b); });
    return names;
  }

  function onPlaceClick(e) {
    var place = e.layer && e.layer.options.atlasPlace;
    if (!place) return;
    hideTip();
    var names = partnersOf(e.layer.options.atlasIdx);
    var box = el("div", "atlas-popup-body");
    box.appendChild(el("div", "atlas-popup-title", place[3]));
    box.appendChild(el("div", "atlas-popup-sub", label("partners_of", "Partners of") + " (" + names.length + ")"));
    var list = el("ul", "atlas-popup-list");
    for (var i = 0; i < names.length && i < MAX_POPUP_ITEMS; i++) list.appendChild(el("li", null, names[i]));
    if (names.length > MAX_POPUP_ITEMS) list.appendChild(el("li", "atlas-popup-more", "… +" + (names.length - MAX_POPUP_ITEMS)));
    box.appendChild(list);
    S.popup.setLatLng(e.layer.getLatLng()).setContent(box).openOn(S.map);
    emit({ event: "place", place_id: place[0] });
  }

  function buildLegend(args) {
    var box = S.legendBox;
    if (!box) return;
    box.textContent = "";
    var legend = args.legend || {};
    var items = Array.isArray(legend.items) ? legend.items : [];
    // Small maps (e.g. a case panel) hide the legend box; its colours still colour the arcs.
    box.hidden = args.legend_hidden === true || (!legend.title && items.length === 0);
    if (legend.title) box.appendChild(el("div", "atlas-legend-title", legend.title));
    for (var i = 0; i < items.length; i++) {
      var row = el("div", "atlas-legend-row");
      var sw = el("span", "atlas-legend-swatch");
      sw.style.backgroundColor = safeColor(items[i][1]);
      row.appendChild(sw);
      row.appendChild(el("span", "atlas-legend-label", items[i][0]));
      box.appendChild(row);
    }
  }

  function safeColor(c) {
    return typeof c === "string" && /^#[0-9a-fA-F]{3,8}$/.test(c) ? c : FALLBACK_COLOR;
  }

  function drawData(args) {
    var places = Array.isArray(args.places) ? args.places : [];
    var arcs = Array.isArray(args.arcs) ? args.arcs : [];
    S.strings = Array.isArray(args.strings) ? args.strings : [];
    S.placeRows = places;
    var items = (args.legend && Array.isArray(args.legend.items)) ? args.legend.items : [];
    var colors = items.map(function (it) { return safeColor(it[1]); });
    var hl = {};
    (Array.isArray(args.highlight) ? args.highlight : []).forEach(function (id) { hl[String(id)] = true; });
    // "marked" arcs (the book's cases) get a light outline; "highlight" (a focused pairing) a strong one.
    var marked = {};
    (Array.isArray(args.marked) ? args.marked : []).forEach(function (id) { marked[String(id)] = true; });

    if (S.arcsLayer) { S.map.removeLayer(S.arcsLayer); S.arcsLayer = null; }
    if (S.placesLayer) { S.map.removeLayer(S.placesLayer); S.placesLayer = null; }
    hideTip();
    S.map.closePopup(S.popup);

    var adjacency = new Array(places.length);
    var normal = [], outlines = [], tops = [], drawn = 0;
    for (var i = 0; i < arcs.length; i++) {
      var a = arcs[i], p0 = places[a[0]], p1 = places[a[1]];
      if (!p0 || !p1) continue;
      (adjacency[a[0]] || (adjacency[a[0]] = [])).push(i);
      if (a[1] !== a[0]) (adjacency[a[1]] || (adjacency[a[1]] = [])).push(i);
      var latlngs = arcLatLngs(p0, p1, a[2], a[3]);
      var color = colors[a[4]] || FALLBACK_COLOR;
      var width = Number(a[5]) > 0 ? Number(a[5]) : 1;
      var strong = hl[String(a[6])], light = !strong && marked[String(a[6])];
      if (strong || light) {
        outlines.push(L.polyline(latlngs, {
          renderer: S.dataRenderer, color: HIGHLIGHT_OUTLINE, weight: width + (strong ? 4.5 : 2.2),
          opacity: strong ? 0.9 : 0.55, interactive: false, smoothFactor: 0.5
        }));
        tops.push(L.polyline(latlngs, {
          renderer: S.dataRenderer, color: color, weight: width + (strong ? 2 : 0.8), opacity: 1, smoothFactor: 0.5,
          atlasArc: a, atlasIdx: i, atlasWeight: width + (strong ? 2 : 0.8), atlasOpacity: 1
        }));
      } else {
        normal.push(L.polyline(latlngs, {
          renderer: S.dataRenderer, color: color, weight: width, opacity: 0.55, smoothFactor: 0.5,
          atlasArc: a, atlasIdx: i, atlasWeight: width, atlasOpacity: 0.55
        }));
      }
      drawn++;
    }
    S.adjacency = adjacency;

    var arcsLayer = L.featureGroup(normal.concat(outlines, tops));
    arcsLayer.on("mouseover", onArcOver).on("mousemove", onMove).on("mouseout", onArcOut).on("click", onArcClick);
    arcsLayer.addTo(S.map);
    S.arcsLayer = arcsLayer;

    var markers = [];
    for (var j = 0; j < places.length; j++) {
      var p = places[j];
      if (!p) continue;
      var cn = p[4] === "cn";
      markers.push(L.circleMarker([p[2], p[1]], {
        renderer: S.dataRenderer, radius: cn ? 2.6 : 2.2, weight: 0.6, color: "#ffffff", opacity: 0.9,
        fillColor: cn ? CN_COLOR : PARTNER_COLOR, fillOpacity: 0.95, atlasPlace: p, atlasIdx: j
      }));
    }
    var placesLayer = L.featureGroup(markers);
    placesLayer.on("mouseover", onPlaceOver).on("mousemove", onMove).on("mouseout", hideTip).on("click", onPlaceClick);
    placesLayer.addTo(S.map);
    S.placesLayer = placesLayer;

    S.overlay.textContent = label("no_arcs", "No pairings match");
    S.overlay.hidden = drawn > 0;
    return { arcs: drawn, places: markers.length };
  }

  // ---------------------------------------------------------------- render

  function render(args) {
    args = args || {};
    var key;
    try { key = JSON.stringify(args); } catch (err) { key = null; }
    if (key !== null && key === S.argsKey && S.map) return window.atlasState;  // identical rerun: nothing to do
    var t0 = performance.now();
    var first = !S.map;
    S.args = args;
    S.argsKey = key;
    syncHeight(args);
    ensureMap(args);
    document.documentElement.lang = args.lang === "en" ? "en" : "zh";
    syncTiles(args);
    var counts = drawData(args);
    buildLegend(args);
    syncView(args, first);
    var t1 = performance.now();
    var revision = args.revision === undefined ? null : args.revision;
    setState({
      arcs: counts.arcs, places: counts.places, revision: revision, drawnAt: t1, drawMs: t1 - t0,
      paintMs: null
    });
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

  window.AtlasMap = {
    render: render,
    connectStreamlit: connectStreamlit,
    startHarness: startHarness,
    arcLatLngs: arcLatLngs,
    getMap: function () { return S.map; },  // for tests: pixel look-ups and view checks
    tooltipOf: function (pairId) {           // for tests: the tooltip lines of a drawn arc, as shown on hover
      var found = null;
      if (S.arcsLayer) S.arcsLayer.eachLayer(function (l) {
        var a = l.options.atlasArc;
        if (a && String(a[6]) === String(pairId)) found = tipLines(a);
      });
      return found;
    }
  };
})();
