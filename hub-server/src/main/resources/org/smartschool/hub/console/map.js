// The district's schools on a map: OpenStreetMap tiles through Leaflet when they load; otherwise (an offline
// school, a network without internet) an outline drawn here: each school a coloured dot placed by its latitude and
// longitude in an SVG box, with its name. Which one shows is decided once: a tile error before any tile loaded, no
// tile within TILE_TIMEOUT_MS, no Leaflet, or a browser that says it is offline, and the outline stays.
const TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
const TILE_TIMEOUT_MS = 4000;
const SVG_NS = "http://www.w3.org/2000/svg";
const WIDTH = 600, HEIGHT = 360, PAD = 60;

export class SchoolMap {
  /** @param onOpen called with a school id when its dot is clicked */
  constructor(container, fallback, svg, onOpen) {
    this.container = container;
    this.fallback = fallback;
    this.svg = svg;
    this.onOpen = onOpen;
    this.mode = null;
    this.schools = [];
    this.leaflet = null;
    this.markers = null;
  }

  /** @param schools [{id, name, lat, lon, status, label}] with lat/lon, status one of online|warning|alarm|offline|no-data */
  show(schools) {
    this.schools = schools;
    if (this.mode === null) {
      this.mode = window.L && navigator.onLine !== false ? "tiles" : "outline";
      if (this.mode === "tiles") this.startTiles();
    }
    if (this.mode === "tiles") this.drawMarkers(); else this.drawOutline();
  }

  startTiles() {
    this.container.hidden = false;
    this.fallback.hidden = true;
    const map = window.L.map(this.container, {zoomControl: true, attributionControl: true});
    const layer = window.L.tileLayer(TILE_URL, {maxZoom: 19,
      attribution: "&copy; <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a>"});
    let loaded = false;
    layer.on("tileload", () => { loaded = true; });
    layer.on("tileerror", () => { if (!loaded) this.toOutline(); });
    setTimeout(() => { if (!loaded) this.toOutline(); }, TILE_TIMEOUT_MS);
    layer.addTo(map);
    this.leaflet = map;
    this.markers = window.L.layerGroup().addTo(map);
  }

  toOutline() {
    if (this.mode === "outline") return;
    this.mode = "outline";
    if (this.leaflet) {
      this.leaflet.remove();
      this.leaflet = null;
    }
    this.container.hidden = true;
    this.drawOutline();
  }

  drawMarkers() {
    const located = this.schools.filter(s => s.lat !== null && s.lon !== null);
    this.markers.clearLayers();
    for (const s of located) {
      const colour = getComputedStyle(document.documentElement).getPropertyValue("--" + statusVariable(s.status)).trim() || "#888";
      window.L.circleMarker([s.lat, s.lon], {radius: 11, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 0.95})
        .bindTooltip(s.name + " — " + s.label, {permanent: false})
        .on("click", () => this.onOpen(s.id))
        .addTo(this.markers);
    }
    if (located.length > 0) {
      const bounds = window.L.latLngBounds(located.map(s => [s.lat, s.lon]));
      this.leaflet.fitBounds(bounds.pad(0.3), {maxZoom: 15});
    } else {
      this.leaflet.setView([16.0, 106.0], 5);
    }
    setTimeout(() => this.leaflet && this.leaflet.invalidateSize(), 0);
  }

  drawOutline() {
    this.fallback.hidden = false;
    const svg = this.svg;
    while (svg.lastChild && svg.lastChild.tagName !== "title") svg.removeChild(svg.lastChild);
    const located = this.schools.filter(s => s.lat !== null && s.lon !== null);
    if (located.length === 0) return;
    const lats = located.map(s => s.lat), lons = located.map(s => s.lon);
    const minLat = Math.min(...lats), maxLat = Math.max(...lats), minLon = Math.min(...lons), maxLon = Math.max(...lons);
    // equirectangular: a degree of longitude is cos(latitude) of a degree of latitude
    const kx = Math.cos((minLat + maxLat) / 2 * Math.PI / 180);
    const spanX = Math.max((maxLon - minLon) * kx, 0.005), spanY = Math.max(maxLat - minLat, 0.005);
    const scale = Math.min((WIDTH - 2 * PAD) / spanX, (HEIGHT - 2 * PAD) / spanY);
    const cx = (minLon + maxLon) / 2, cy = (minLat + maxLat) / 2;
    const x = lon => WIDTH / 2 + (lon - cx) * kx * scale;
    const y = lat => HEIGHT / 2 - (lat - cy) * scale;
    const xs = located.map(s => x(s.lon)), ys = located.map(s => y(s.lat));
    const box = element("rect", {"class": "district", x: Math.min(...xs) - 40, y: Math.min(...ys) - 35,
      width: Math.max(...xs) - Math.min(...xs) + 80, height: Math.max(...ys) - Math.min(...ys) + 70, rx: 18});
    svg.appendChild(box);
    located.forEach((s, i) => {
      const group = element("g", {"class": "school-marker", "data-school": s.id, tabindex: "0", role: "link"});
      const dot = element("circle", {"class": "school-dot status-" + s.status, cx: xs[i], cy: ys[i], r: 11, "data-school": s.id});
      const tip = element("title", {});
      tip.textContent = s.name + " — " + s.label;
      dot.appendChild(tip);
      const right = xs[i] < WIDTH - 170;
      const label = element("text", {x: right ? xs[i] + 16 : xs[i] - 16, y: ys[i] + 4, "text-anchor": right ? "start" : "end"});
      label.textContent = s.name;
      group.append(dot, label);
      group.addEventListener("click", () => this.onOpen(s.id));
      group.addEventListener("keydown", e => { if (e.key === "Enter") this.onOpen(s.id); });
      svg.appendChild(group);
    });
  }
}

function statusVariable(status) {
  return {online: "ok", warning: "warn", alarm: "alarm", offline: "off"}[status] || "nodata";
}

function element(name, attributes) {
  const e = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, String(v));
  return e;
}
