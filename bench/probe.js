// Injected by bench/map_bench.py into every page it opens, before the page's own scripts.
// It records, on the top-level page, when the map was PAINTED: the first animation frame after the frame in
// which the map was complete (ours: window.atlasState of the page or of its component iframe says arcs > 0 and
// basemap drawn; folium: the load event has fired, so every layer has been added). Leaflet draws canvas layers
// in an animation-frame callback of that frame, so the next frame starts after they were painted. It also
// records the last keydown/pointerdown, every WebSocket send and Streamlit's script state, so a filter change can
// be timed from the key press. Times are epoch ms (performance.timeOrigin + performance.now()), comparable across
// the page and its iframes. It runs in the top page only: Playwright's init scripts do not reach the component's
// iframe after it navigates away from about:blank, but same-origin iframes are readable from the top.
(() => {
  if (window !== window.top || document.__benchProbe) return;
  const now = () => performance.timeOrigin + performance.now();
  const P = window.__benchProbe = document.__benchProbe = { events: [], inputAt: null, wsSends: [], script: [] };
  addEventListener("keydown", () => { P.inputAt = now(); }, true);
  addEventListener("pointerdown", () => { P.inputAt = now(); }, true);
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) { P.wsSends.push(now()); return send.call(this, data); };
  // Streamlit marks its root element while the script runs: record each change (running / notRunning).
  new MutationObserver((records) => {
    for (const r of records) P.script.push([r.target.getAttribute("data-test-script-state"), now()]);
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-test-script-state"] });
  let loaded = false, last = null, pending = null;
  addEventListener("load", () => { loaded = true; });
  function atlasState() {
    if (window.atlasState) return window.atlasState;
    for (const f of document.querySelectorAll("iframe")) {
      try { if (f.contentWindow && f.contentWindow.atlasState) return f.contentWindow.atlasState; } catch (e) { }
    }
    return null;
  }
  function key() {
    const s = atlasState();
    if (s) return s.arcs > 0 && s.basemap === "ok" && s.drawnAt != null ? "atlas:" + s.revision + ":" + s.drawnAt : null;
    return loaded && document.querySelector(".leaflet-container") ? "page" : null;
  }
  function tick() {
    if (pending) { P.events.push({ key: pending.key, seenAt: pending.seenAt, paintedAt: now() }); pending = null; }
    const k = key();
    if (k !== null && k !== last) { last = k; pending = { key: k, seenAt: now() }; }
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})();
