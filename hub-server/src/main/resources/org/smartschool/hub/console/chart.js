// A room's last 24 hours: uPlot (a WebJar served by the hub) when it is there, else a plain SVG line.
const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * @param points [{timestamp (ms), value}], oldest first
 * @param label  the series' name with its unit
 */
export function drawChart(container, points, label, emptyText, formatTime, zone) {
  container.replaceChildren();
  delete container.dataset.points;
  if (points.length === 0) {
    const p = document.createElement("p");
    p.className = "note empty";
    p.textContent = emptyText;
    container.appendChild(p);
    return;
  }
  const width = Math.max(container.clientWidth, 200);
  if (window.uPlot) {
    const data = [points.map(p => p.timestamp / 1000), points.map(p => p.value)];
    new window.uPlot({width, height: 240, legend: {show: true},
      // times on the axis in the school's zone, not the browser's
      tzDate: ts => window.uPlot.tzDate(new Date(ts * 1000), zone),
      series: [{}, {label, stroke: "#0b63ce", width: 2, points: {show: points.length < 3}}],
      axes: [{}, {size: 60}]}, data, container);
    container.dataset.points = String(points.length);
    return;
  }
  svgLine(container, points, formatTime);
}

function svgLine(container, points, formatTime) {
  const w = 600, h = 240, left = 48, bottom = 24;
  const ts = points.map(p => p.timestamp), vs = points.map(p => p.value);
  const t0 = Math.min(...ts), t1 = Math.max(...ts), v0 = Math.min(...vs), v1 = Math.max(...vs);
  const x = t => left + (t1 === t0 ? 0.5 : (t - t0) / (t1 - t0)) * (w - left - 8);
  const y = v => 8 + (v1 === v0 ? 0.5 : 1 - (v - v0) / (v1 - v0)) * (h - bottom - 16);
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 " + w + " " + h);
  const line = document.createElementNS(SVG_NS, "polyline");
  line.setAttribute("class", "line");
  line.setAttribute("points", points.map(p => x(p.timestamp).toFixed(1) + "," + y(p.value).toFixed(1)).join(" "));
  const axis = document.createElementNS(SVG_NS, "path");
  axis.setAttribute("class", "axis");
  axis.setAttribute("d", "M" + left + " 8 V" + (h - bottom) + " H" + (w - 8));
  svg.append(axis, line);
  for (const [text, tx, ty, anchor] of [[v1.toFixed(0), left - 4, 14, "end"], [v0.toFixed(0), left - 4, h - bottom, "end"],
    [formatTime(t0), left, h - 6, "start"], [formatTime(t1), w - 8, h - 6, "end"]]) {
    const label = document.createElementNS(SVG_NS, "text");
    label.setAttribute("x", tx);
    label.setAttribute("y", ty);
    label.setAttribute("text-anchor", anchor);
    label.textContent = text;
    svg.appendChild(label);
  }
  container.appendChild(svg);
  container.dataset.points = String(points.length);
}
