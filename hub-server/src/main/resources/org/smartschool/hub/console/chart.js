// A room's last 24 hours: uPlot (a WebJar served by the hub) when it is there, else a plain SVG line.
// Times are written in the console's language and the school's time zone, 24-hour, never the browser's defaults.
const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * @param points [{timestamp (ms), value}], oldest first
 * @param o      {label: the series' name with its unit, emptyText, timeLabel: the legend's name of the time axis,
 *               locale: "vi-VN" or "en-GB", zone: the school's IANA time zone}
 */
export function drawChart(container, points, o) {
  container.replaceChildren();
  delete container.dataset.points;
  delete container.dataset.ticks;
  delete container.dataset.valueTicks;
  if (points.length === 0) {
    const p = document.createElement("p");
    p.className = "note empty";
    p.textContent = o.emptyText;
    container.appendChild(p);
    return;
  }
  const times = timeFormats(o.locale, o.zone);
  // values as the room cards write them: the language's decimal mark, no thousands separator ("2400", "29,4")
  const number = new Intl.NumberFormat(o.locale, {maximumFractionDigits: 2, useGrouping: false});
  const width = Math.max(container.clientWidth, 200);
  if (window.uPlot) {
    const data = [points.map(p => p.timestamp / 1000), points.map(p => p.value)];
    new window.uPlot({width, height: 240, legend: {show: true},
      // tick positions on the school's hours and midnights, not the browser's
      tzDate: ts => window.uPlot.tzDate(new Date(ts * 1000), o.zone),
      series: [{label: o.timeLabel, value: (u, v) => v == null ? "--" : times.full(v * 1000)},
        {label: o.label, stroke: "#0b63ce", width: 2, points: {show: points.length < 3},
          value: (u, v) => v == null ? "--" : number.format(v)}],
      axes: [{values: (u, splits) => {
        const labels = tickLabels(splits, times);
        // uPlot draws on a canvas: the labels are also kept where a test (or a script) can read them
        container.dataset.ticks = JSON.stringify(labels);
        return labels;
      }}, {size: 60, values: (u, splits) => {
        const labels = splits.map(v => v == null ? "" : number.format(v));
        container.dataset.valueTicks = JSON.stringify(labels);
        return labels;
      }}]}, data, container);
    container.dataset.points = String(points.length);
  } else {
    svgLine(container, points, times.full);
  }
  container.appendChild(pointsTable(points, o, times, number));
}

/** The formats of one language in one zone: "HH:mm", the day as the language writes it (vi "4/12", en "4 Dec"), both. */
function timeFormats(locale, zone) {
  const time = new Intl.DateTimeFormat(locale, {timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23"});
  const day = new Intl.DateTimeFormat(locale, {timeZone: zone, day: "numeric", month: locale.startsWith("vi") ? "numeric" : "short"});
  const full = new Intl.DateTimeFormat(locale, {timeZone: zone, dateStyle: "short", timeStyle: "short", hourCycle: "h23"});
  return {time: ms => time.format(ms), day: ms => day.format(ms), full: ms => full.format(ms)};
}

/** "HH:mm" under every tick; the day under the first tick and under each tick that starts a new day. */
function tickLabels(splits, times) {
  let previousDay = null;
  return splits.map(s => {
    if (s == null) return "";
    const ms = s * 1000, day = times.day(ms);
    const label = day === previousDay ? times.time(ms) : times.time(ms) + "\n" + day;
    previousDay = day;
    return label;
  });
}

/** The points as a table for screen readers (the canvas says nothing to them): time and value, oldest first. */
function pointsTable(points, o, times, number) {
  const table = document.createElement("table");
  table.className = "visually-hidden chart-table";
  const caption = document.createElement("caption");
  caption.textContent = o.label;
  const head = document.createElement("tr");
  for (const text of [o.timeLabel, o.label]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = text;
    head.appendChild(th);
  }
  table.append(caption, head);
  for (const p of points) {
    const row = document.createElement("tr");
    for (const text of [times.full(p.timestamp), p.value == null ? "--" : number.format(p.value)]) {
      const td = document.createElement("td");
      td.textContent = text;
      row.appendChild(td);
    }
    table.appendChild(row);
  }
  return table;
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
