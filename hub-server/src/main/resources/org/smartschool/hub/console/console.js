// The operations console: sign in, the district (map, schools, active alarms), a school (rooms now, 24 h chart,
// alarms, attendance today, gateways, equipment), kept current by the hub's server-sent events.
// Everything is read through the API with the session cookie; what a user may see is decided by the hub.
import {api, optional, SignedOut} from "./api.js";
import {initialLanguage, language, loadLanguage, locale, t} from "./i18n.js";
import {SchoolMap} from "./map.js";
import {drawChart} from "./chart.js";
import {alarmDetail} from "./detail.js";

const OPERATORS = ["school-operator", "district-operator", "admin"];
const DEFAULT_ZONE = "Asia/Ho_Chi_Minh";
/** Quantities in the order a facility manager reads them; others follow in the API's order. */
const ORDER = ["co2", "temperature", "humidity", "illuminance", "noise", "pm25", "pm10", "voc", "gas", "air_velocity",
  "pressure", "power", "energy", "voltage", "current", "battery", "rssi", "link_quality"];
const UNITS = {Cel: "°C", "%RH": "%", "1": "", "ug/m3": "µg/m³"};
const DIGITS = {co2: 0, temperature: 1, humidity: 0, illuminance: 0, noise: 0, pm25: 0, pm10: 0, voc: 0, gas: 0,
  air_velocity: 2, pressure: 0, power: 0, energy: 0, voltage: 0, current: 2, battery: 0, rssi: 0, link_quality: 0};
const REFRESH_MS = 60_000;

const $ = id => document.getElementById(id);
const state = {
  me: null, view: null, school: null, events: null, refreshTimer: null, pending: {},
  schools: [], registry: new Map(), alarms: [], rooms: new Map(), roomNames: new Map(), zone: DEFAULT_ZONE, map: null
};

// ---- start, sign in and out ----

async function start() {
  await loadLanguage(initialLanguage());
  $("lang").value = language();
  $("lang").addEventListener("change", async e => {
    await loadLanguage(e.target.value);
    render();
  });
  $("login-form").addEventListener("submit", login);
  $("logout").addEventListener("click", logout);
  window.addEventListener("hashchange", () => state.me && route());
  // the chart is drawn to its box's width: again when the window (a phone turned) changes
  window.addEventListener("resize", () => debounce("resize", () => state.view === "school" && redrawChart()));
  try {
    signedIn(await api("/api/v1/auth/me"));
  } catch (e) {
    if (e instanceof SignedOut) showLogin(); else message(t("error.load", {error: e.message}));
  }
}

async function login(event) {
  event.preventDefault();
  $("login-error").hidden = true;
  try {
    const answer = await api("/api/v1/auth/login", {method: "POST", login: true,
      body: {user: $("login-user").value.trim(), password: $("login-password").value}});
    $("login-password").value = "";
    signedIn(answer.user);
  } catch (e) {
    $("login-error").textContent = e.status === 401 ? t("login.failed")
      : e.status === 429 ? t("login.throttled", {minutes: Math.max(1, Math.ceil((e.retryAfter || 60) / 60))})
      : t("login.error");
    $("login-error").hidden = false;
  }
}

async function logout() {
  try { await api("/api/v1/auth/logout", {method: "POST"}); } catch (e) { /* signed out either way */ }
  showLogin();
}

function showLogin(note) {
  state.me = null;
  stopLive();
  for (const id of ["district-view", "school-view", "who", "logout", "live"]) $(id).hidden = true;
  $("login-view").hidden = false;
  message(note || null);
  $("login-user").focus();
}

function signedIn(me) {
  state.me = me;
  $("login-view").hidden = true;
  $("who").hidden = false;
  $("logout").hidden = false;
  renderWho();
  startLive();
  route();
}

function renderWho() {
  const me = state.me;
  if (!me) return;
  $("who").textContent = me.name + " · " + t("role." + me.role) + " · " + (me.school || t("user.district"));
}

function canOperate() {
  return state.me && OPERATORS.includes(state.me.role);
}

function districtWide() {
  return state.me && !state.me.school;
}

// ---- views ----

function route() {
  const match = /^#\/school\/([^/]+)$/.exec(location.hash);
  if (!districtWide()) {
    // a school's user has one school: its page (the hashchange of the replace brings us back here)
    if (!match || decodeURIComponent(match[1]) !== state.me.school) {
      location.replace("#/school/" + encodeURIComponent(state.me.school));
      return undefined;
    }
    return showSchool(state.me.school);
  }
  return match ? showSchool(decodeURIComponent(match[1])) : showDistrict();
}

/** Re-renders the current view from what is loaded (after a language switch). */
function render() {
  renderWho();
  renderLive();
  if (state.view === "district") renderDistrict();
  if (state.view === "school") {
    renderSchool();
    redrawChart();
  }
}

function guard(promise) {
  return promise.catch(e => {
    if (e instanceof SignedOut) showLogin(t("error.session"));
    else message(t("error.load", {error: e.message}));
  });
}

function message(text) {
  $("message").textContent = text || "";
  $("message").hidden = !text;
}

function scheduleRefresh(load) {
  clearInterval(state.refreshTimer);
  // live events carry most changes; this catches what they cannot (another replica's gateways, a lost stream)
  state.refreshTimer = setInterval(() => guard(load()), REFRESH_MS);
}

// ---- the district ----

async function showDistrict() {
  state.view = "district";
  state.school = null;
  $("school-view").hidden = true;
  $("district-view").hidden = false;
  message(null);
  await guard(loadDistrict());
  scheduleRefresh(loadDistrict);
}

async function loadDistrict() {
  const [schools, registry] = await Promise.all([api("/api/v1/schools"), optional("/api/v1/registry/schools")]);
  state.schools = schools.schools;
  state.registry = new Map(((registry && registry.schools) || []).map(s => [s.id, s]));
  await loadAlarms();
  if (state.view === "district") renderDistrict();
}

async function loadAlarms() {
  const query = state.school ? "&school=" + encodeURIComponent(state.school) : "";
  const [active, acknowledged] = await Promise.all([api("/api/v1/alarms?state=active" + query),
    api("/api/v1/alarms?state=acknowledged" + query)]);
  state.alarms = active.alarms.concat(acknowledged.alarms)
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || b.raisedAt.localeCompare(a.raisedAt));
}

function severityRank(severity) {
  return ["warning", "minor", "major", "critical"].indexOf(severity);
}

/** online | warning | alarm | offline | no-data: the colour of a school on the map and in lists. */
function schoolStatus(school) {
  const open = state.alarms.filter(a => a.school === school.school && a.state === "active");
  if (open.some(a => severityRank(a.severity) >= 2)) return "alarm";
  const status = school.summary ? school.summary.status : "no data";
  if (status === "offline") return "offline";
  if (status === "no data") return "no-data";
  if (open.length > 0 || (school.summary && school.summary.outOfComfort > 0)) return "warning";
  return "online";
}

function statusLabel(status) {
  return t({online: "status.online", warning: "status.warning", alarm: "status.alarm", offline: "status.offline"}[status]
    || "status.no data");
}

function schoolName(id) {
  const registered = state.registry.get(id);
  const known = state.schools.find(s => s.school === id);
  return (registered && registered.name) || (known && known.name) || id;
}

function renderDistrict() {
  const list = $("schools");
  list.replaceChildren();
  const located = [];
  const missing = [];
  for (const school of state.schools) {
    const status = schoolStatus(school);
    const registered = state.registry.get(school.school);
    const location = registered && registered.location;
    const entry = {id: school.school, name: schoolName(school.school), status, label: statusLabel(status),
      lat: location ? location.latitude : null, lon: location ? location.longitude : null};
    (location ? located : missing).push(entry);
    const a = el("a", null, {href: "#/school/" + encodeURIComponent(school.school), "data-school": school.school});
    const summary = school.summary || {rooms: 0, outOfComfort: 0, gatewaysOnline: 0, gatewaysOffline: 0};
    a.append(el("span", null, {"class": "dot status-" + status, title: entry.label}),
      el("span", entry.name, {"class": "name"}),
      el("span", [entry.label, t("schools.rooms", {n: summary.rooms}), t("schools.outOfComfort", {n: summary.outOfComfort}),
        t("schools.gateways", {online: summary.gatewaysOnline, offline: summary.gatewaysOffline})].join(" · "), {"class": "facts"}));
    list.appendChild(el("li", [a]));
  }
  if (!state.map) {
    state.map = new SchoolMap($("map"), $("map-fallback"), $("outline"), id => { location.hash = "#/school/" + encodeURIComponent(id); });
  }
  $("outline-title").textContent = t("map.title");
  state.map.show(located);
  $("map-missing").hidden = missing.length === 0;
  $("map-missing").textContent = t("map.noLocation", {names: missing.map(s => s.name).join(", ")});
  const month = monthIn(DEFAULT_ZONE);
  const reports = $("district-reports");
  reports.replaceChildren(document.createTextNode(t("school.reportsDistrict") + " " + month + ":"),
    reportLink("/api/v1/reports/monthly/district?month=" + month + "&format=pdf", t("school.reportPdf")),
    reportLink("/api/v1/reports/monthly/district?month=" + month + "&format=csv", t("school.reportCsv")));
  reports.hidden = !districtWide();
  renderAlarms($("alarms"), state.alarms, true);
}

function reportLink(href, text) {
  return el("a", text, {href, "class": "report", target: "_blank", rel: "noopener"});
}

// ---- alarms ----

function renderAlarms(container, alarms, withSchool) {
  container.replaceChildren();
  if (alarms.length === 0) {
    container.appendChild(el("p", t("alarms.none"), {"class": "note empty"}));
    return;
  }
  const head = (withSchool ? ["alarms.school"] : []).concat(["alarms.room", "alarms.rule", "alarms.severity", "alarms.raised", "alarms.state"]);
  const table = el("table", [el("thead", [el("tr", head.map(k => el("th", t(k))).concat([el("th", "")]))])]);
  const body = el("tbody");
  for (const alarm of alarms) {
    const row = el("tr", null, {"data-alarm": alarm.id, "class": "alarm-row state-" + alarm.state});
    if (withSchool) row.appendChild(el("td", schoolName(alarm.school)));
    row.append(el("td", roomLabel(alarm.room)),
      el("td", [el("div", ruleLabel(alarm.rule)), el("div", alarmDetail(alarm.detail, UNITS), {"class": "note"})]),
      el("td", t("severity." + alarm.severity), {"class": "sev-" + alarm.severity}),
      el("td", formatTime(Date.parse(alarm.raisedAt))),
      el("td", stateText(alarm), {"class": "alarm-state"}));
    const actions = el("td", null, {"class": "actions"});
    if (alarm.state === "active" && canOperate()) {
      const button = el("button", t("alarms.ack"), {type: "button", "class": "ack", "data-alarm": alarm.id});
      button.addEventListener("click", () => ackForm(actions, alarm));
      actions.appendChild(button);
    }
    row.appendChild(actions);
    body.appendChild(row);
  }
  table.appendChild(body);
  container.appendChild(el("div", [table], {"class": "table-wrap"}));
}

function stateText(alarm) {
  return alarm.acknowledged ? t("alarms.ackedBy", {by: alarm.acknowledged.by}) : t("state." + alarm.state);
}

function ruleLabel(rule) {
  const key = "q." + rule;
  const text = t(key);
  return text === key ? rule : text;
}

/** The dictionary's word for an id of the inventory (an equipment type is any id): the id itself when there is none. */
function known(prefix, id) {
  const text = t(prefix + id);
  return text === prefix + id ? id : text;
}

function roomLabel(room) {
  return state.roomNames.get(room) ? state.roomNames.get(room) + " (" + room + ")" : room;
}

function ackForm(cell, alarm) {
  const note = el("input", null, {type: "text", "class": "ack-note", placeholder: t("alarms.ackNote"), "aria-label": t("alarms.ackNote")});
  const confirm = el("button", t("alarms.ackConfirm"), {type: "button", "class": "confirm"});
  const cancel = el("button", t("alarms.ackCancel"), {type: "button", "class": "cancel"});
  const form = el("div", [note, confirm, cancel], {"class": "ack-form"});
  cell.replaceChildren(form);
  note.focus();
  cancel.addEventListener("click", () => refreshAlarms());
  confirm.addEventListener("click", async () => {
    confirm.disabled = true;
    try {
      const acknowledged = await api("/api/v1/alarms/" + encodeURIComponent(alarm.id) + "/ack", {method: "POST",
        body: {by: state.me.name, note: note.value.trim() || null}});
      const i = state.alarms.findIndex(a => a.id === alarm.id);
      if (i >= 0) state.alarms[i] = acknowledged;
      renderCurrentAlarms();
    } catch (e) {
      if (e instanceof SignedOut) return showLogin(t("error.session"));
      message(t("alarms.ackFailed", {error: e.message}));
      refreshAlarms();
    }
  });
}

function renderCurrentAlarms() {
  if (state.view === "district") renderAlarms($("alarms"), state.alarms, true);
  if (state.view === "school") renderAlarms($("school-alarms"), state.alarms, false);
}

function refreshAlarms() {
  return guard(loadAlarms().then(() => {
    if (state.view === "district") renderDistrict(); else renderCurrentAlarms();
  }));
}

// ---- a school ----

async function showSchool(id) {
  const changed = state.school !== id;
  state.view = "school";
  state.school = id;
  $("district-view").hidden = true;
  $("school-view").hidden = false;
  $("back").hidden = !districtWide();
  message(null);
  if (changed) {
    state.rooms = new Map();
    state.roomNames = new Map();
    state.chart = null;
    for (const c of ["rooms", "chart", "school-alarms", "attendance", "gateways", "equipment"]) $(c).replaceChildren();
  }
  await guard(loadSchool(id));
  scheduleRefresh(() => loadSchool(id));
}

async function loadSchool(id) {
  const enc = encodeURIComponent(id);
  const [summary, registered, rooms, registryRooms, equipment] = await Promise.all([
    api("/api/v1/schools?school=" + enc), optional("/api/v1/registry/schools/" + enc), optional("/api/v1/schools/" + enc + "/rooms"),
    optional("/api/v1/registry/schools/" + enc + "/rooms"), optional("/api/v1/registry/schools/" + enc + "/equipment")]);
  if (state.school !== id) return;
  state.schools = summary.schools;
  if (registered) state.registry.set(id, registered);
  state.zone = (registered && registered.timeZone) || DEFAULT_ZONE;
  state.roomNames = new Map(((registryRooms && registryRooms.rooms) || []).map(r => [r.id, r.name || r.id]));
  state.rooms = new Map(((rooms && rooms.rooms) || []).map(r => [r.room, r.latest]));
  state.equipment = (equipment && equipment.equipment) || [];
  state.schoolRooms = registryRooms;
  await Promise.all([loadAlarms(), loadGateways(id), loadAttendance(id)]);
  if (state.school !== id) return;
  renderSchool();
  await loadChart();
}

async function loadGateways(id) {
  const enc = encodeURIComponent(id);
  const [gateways, events] = await Promise.all([api("/api/v1/fleet/gateways?school=" + enc),
    api("/api/v1/fleet/events?school=" + enc + "&limit=5")]);
  state.gateways = gateways.gateways;
  state.fleetEvents = events.events;
}

async function loadAttendance(id) {
  state.attendanceDate = dateIn(state.zone);
  state.attendance = await optional("/api/v1/attendance?school=" + encodeURIComponent(id) + "&date=" + state.attendanceDate);
}

function renderSchool() {
  const id = state.school;
  const school = state.schools.find(s => s.school === id) || {school: id, summary: null};
  const status = schoolStatus(school);
  $("school-name").textContent = schoolName(id);
  $("school-status").textContent = statusLabel(status);
  $("school-status").className = "badge status-" + status;
  const month = monthIn(state.zone);
  $("school-reports").replaceChildren(document.createTextNode(t("school.reports") + " " + month + ":"),
    reportLink("/api/v1/reports/monthly?school=" + encodeURIComponent(id) + "&month=" + month + "&format=pdf", t("school.reportPdf")),
    reportLink("/api/v1/reports/monthly?school=" + encodeURIComponent(id) + "&month=" + month + "&format=csv", t("school.reportCsv")));
  renderRooms();
  renderChartControls();
  renderAlarms($("school-alarms"), state.alarms, false);
  renderAttendance();
  renderGateways();
  renderEquipment();
}

function renderRooms() {
  const container = $("rooms");
  container.replaceChildren();
  const ids = [...new Set([...state.roomNames.keys(), ...state.rooms.keys()])];
  if (ids.length === 0) {
    container.appendChild(el("p", t("school.noRooms"), {"class": "note empty"}));
    return;
  }
  for (const room of ids) container.appendChild(roomCard(room, state.rooms.get(room) || [], []));
}

function roomCard(room, latest, changed) {
  const values = [...latest].sort((a, b) => order(a.quantity) - order(b.quantity));
  const comfort = values.length === 0 ? "none" : values.map(v => valueComfort(v)).reduce(worse, "ok");
  const card = el("article", null, {"class": "room comfort-" + comfort, "data-room": room, "data-comfort": comfort});
  card.append(el("h4", state.roomNames.get(room) || room), el("div", t("comfort." + comfort) + " · " + room, {"class": "comfort"}));
  const list = el("dl");
  for (const v of values) {
    const level = valueComfort(v);
    list.append(el("dt", t("q." + v.quantity)),
      el("dd", formatValue(v), {"data-quantity": v.quantity, "data-value": String(v.value),
        "class": (level === "ok" ? "" : level) + (changed.includes(v.quantity) ? " flash" : "")}));
  }
  card.appendChild(list);
  if (values.length > 0) {
    const newest = Math.max(...values.map(v => v.timestamp));
    card.appendChild(el("div", t("school.updated", {age: age(Date.now() - newest)}), {"class": "age"}));
  }
  return card;
}

function order(quantity) {
  const i = ORDER.indexOf(quantity);
  return i < 0 ? ORDER.length : i;
}

/** The defaults of the school rules (DESIGN.md) that hold for one value; averages are the gateway rules' to judge. */
function valueComfort(v) {
  const x = v.value;
  switch (v.quantity) {
    case "co2": return x > 2000 ? "alarm" : x > 1000 ? "warn" : "ok";
    // a lab fridge is judged as the gateway's rules judge it (2-8 Cel), not as a classroom
    case "temperature": return /fridge/.test(v.device || "") ? (x < 2 || x > 8 ? "warn" : "ok") : (x < 18 || x > 32 ? "warn" : "ok");
    case "humidity": return x < 40 || x > 80 ? "warn" : "ok";
    case "gas": return x >= 20 ? "alarm" : x >= 10 ? "warn" : "ok";
    default: return "ok";
  }
}

function worse(a, b) {
  const rank = {ok: 0, warn: 1, alarm: 2};
  return rank[b] > rank[a] ? b : a;
}

function formatValue(v) {
  const digits = DIGITS[v.quantity] === undefined ? 1 : DIGITS[v.quantity];
  const number = new Intl.NumberFormat(locale(), {maximumFractionDigits: digits, minimumFractionDigits: digits,
    useGrouping: false}).format(v.value);
  const unit = UNITS[v.unit] === undefined ? v.unit : UNITS[v.unit];
  return unit ? number + " " + unit : number;
}

function renderChartControls() {
  const rooms = $("chart-room"), quantities = $("chart-quantity");
  const roomIds = [...state.rooms.keys()].filter(r => (state.rooms.get(r) || []).length > 0);
  const keepRoom = roomIds.includes(rooms.value) ? rooms.value : (roomIds.find(r => hasQuantity(r, "co2")) || roomIds[0] || "");
  rooms.replaceChildren(...roomIds.map(r => el("option", state.roomNames.get(r) || r, {value: r})));
  rooms.value = keepRoom;
  const available = ((state.rooms.get(keepRoom)) || []).map(v => v.quantity).sort((a, b) => order(a) - order(b));
  const keepQuantity = available.includes(quantities.value) ? quantities.value : (available.includes("co2") ? "co2" : available[0] || "");
  quantities.replaceChildren(...available.map(q => el("option", t("q." + q), {value: q})));
  quantities.value = keepQuantity;
  if (!rooms.dataset.bound) {
    rooms.dataset.bound = "1";
    rooms.addEventListener("change", () => { renderChartControls(); guard(loadChart()); });
    quantities.addEventListener("change", () => guard(loadChart()));
  }
}

function hasQuantity(room, quantity) {
  return (state.rooms.get(room) || []).some(v => v.quantity === quantity);
}

async function loadChart() {
  const room = $("chart-room").value, quantity = $("chart-quantity").value;
  if (!room || !quantity) {
    state.chart = {points: [], quantity: "", unit: ""};
    redrawChart();
    return;
  }
  const series = await api("/api/v1/readings?school=" + encodeURIComponent(state.school) + "&room=" + encodeURIComponent(room)
    + "&quantity=" + quantity + "&step=15m&agg=mean");
  const unit = UNITS[series.unit] === undefined ? series.unit : UNITS[series.unit];
  $("chart").dataset.room = room;
  $("chart").dataset.quantity = quantity;
  state.chart = {points: series.series || [], quantity, unit};
  redrawChart();
}

/** Draws the loaded series again: to a new width, or in a new language (its labels are looked up here, not kept). */
function redrawChart() {
  if (!state.chart) return;
  const {points, quantity, unit} = state.chart;
  drawChart($("chart"), points, {label: quantity ? t("q." + quantity) + (unit ? " (" + unit + ")" : "") : "",
    emptyText: t("chart.empty"), timeLabel: t("chart.time"), locale: locale(), zone: state.zone});
}

function renderAttendance() {
  const container = $("attendance");
  container.replaceChildren();
  $("attendance-date").textContent = t("attendance.date", {date: formatDate(state.attendanceDate)});
  const classes = (state.attendance && state.attendance.classes) || [];
  if (classes.length === 0) {
    container.appendChild(el("p", t("attendance.none"), {"class": "note empty"}));
    return;
  }
  const keys = ["attendance.class", "attendance.session", "attendance.present", "attendance.late", "attendance.excused",
    "attendance.unexcused", "attendance.total", "attendance.rate"];
  const table = el("table", [el("thead", [el("tr", keys.map((k, i) => el("th", t(k), i >= 2 ? {"class": "num"} : {})))])]);
  const body = el("tbody");
  for (const c of classes) {
    const rate = c.total > 0 ? (c.present + c.late) / c.total : null;
    const session = t("session." + c.session) === "session." + c.session ? c.session : t("session." + c.session);
    body.appendChild(el("tr", [el("td", c.class), el("td", session + (c.period ? " · " + c.period : "")),
      el("td", String(c.present), {"class": "num present"}), el("td", String(c.late), {"class": "num late"}),
      el("td", String(c.excused_absence), {"class": "num"}), el("td", String(c.unexcused_absence), {"class": "num"}),
      el("td", String(c.total), {"class": "num total"}),
      el("td", rate === null ? "–" : new Intl.NumberFormat(locale(), {style: "percent", maximumFractionDigits: 0}).format(rate),
        {"class": "num"})], {"data-class": c.class, "data-session": c.session}));
  }
  table.appendChild(body);
  container.appendChild(el("div", [table], {"class": "table-wrap"}));
}

function renderGateways() {
  const container = $("gateways");
  container.replaceChildren();
  const gateways = state.gateways || [];
  if (gateways.length === 0) {
    container.appendChild(el("p", t("gateways.none"), {"class": "note empty"}));
  } else {
    const keys = ["gateways.gateway", "gateways.state", "gateways.lastSeen", "gateways.outbox"];
    const table = el("table", [el("thead", [el("tr", keys.map(k => el("th", t(k))))])]);
    const body = el("tbody");
    for (const g of gateways) {
      const outbox = g.health && g.health.outboxRecords !== null && g.health.outboxRecords !== undefined ? String(g.health.outboxRecords) : "–";
      body.appendChild(el("tr", [el("td", g.gateway),
        el("td", t(g.online ? "gateways.online" : "gateways.offline"), {"class": g.online ? "online" : "offline"}),
        el("td", age(Date.now() - Date.parse(g.lastSeen))), el("td", outbox, {"class": "num"})], {"data-gateway": g.gateway}));
    }
    table.appendChild(body);
    container.appendChild(el("div", [table], {"class": "table-wrap"}));
  }
  const events = state.fleetEvents || [];
  if (events.length > 0) {
    container.appendChild(el("h4", t("gateways.events")));
    container.appendChild(el("ul", events.map(fleetEventItem), {"class": "events"}));
  }
}

/**
 * A gateway's event: its kind, room and offline cause in the console's language. The hub's detail is English prose
 * ("connected but silent"): shown when the cause is not known here, else kept as the item's tooltip.
 */
function fleetEventItem(e) {
  const causeKey = "fleet.cause." + e.cause;
  const why = e.cause && t(causeKey) !== causeKey ? t(causeKey) : e.detail || e.cause;
  const item = el("li", formatTime(e.timestamp) + " · " + e.gateway + " · " + t("fleet." + e.type)
    + (e.room ? " · " + roomLabel(e.room) : "") + (why ? " (" + why + ")" : ""), {"data-type": e.type});
  if (e.detail && why !== e.detail) item.title = e.detail;
  return item;
}

function renderEquipment() {
  const container = $("equipment");
  container.replaceChildren();
  const equipment = state.equipment || [];
  if (equipment.length === 0) {
    container.appendChild(el("p", t("equipment.none"), {"class": "note empty"}));
    return;
  }
  const keys = ["equipment.id", "equipment.type", "equipment.room", "equipment.status", "equipment.lastMaintenance"];
  const table = el("table", [el("thead", [el("tr", keys.map(k => el("th", t(k))))])]);
  const body = el("tbody");
  for (const e of equipment) {
    const visits = (e.maintenance || []).slice().sort((a, b) => b.date.localeCompare(a.date));
    const last = visits[0];
    const statusKey = "equipment.status." + e.status;
    body.appendChild(el("tr", [el("td", [el("div", e.id), el("div", e.model || "", {"class": "note"})]), el("td", known("equipment.kind.", e.type)),
      el("td", roomLabel(e.room)), el("td", t(statusKey) === statusKey ? e.status : t(statusKey), {"class": "equipment-status"}),
      el("td", last ? formatDate(last.date) + " · " + known("equipment.maintenance.", last.kind) + (last.by ? " · " + last.by : "") : t("equipment.never"))],
      {"data-equipment": e.id}));
  }
  table.appendChild(body);
  container.appendChild(el("div", [table], {"class": "table-wrap"}));
}

// ---- live updates (server-sent events) ----

function startLive() {
  stopLive();
  // a school's user is scoped to its school by the hub whatever it asks; a district user gets every school
  const source = new EventSource("/api/v1/events/stream");
  state.events = source;
  state.live = "connecting";
  renderLive();
  let reconnected = false;
  source.addEventListener("ready", () => {
    state.live = "connected";
    renderLive();
    // a new stream after a gap (the hub ends each after a few minutes, a lost network): read the view again
    if (reconnected) refreshView();
    reconnected = true;
  });
  source.addEventListener("reading", e => onReading(JSON.parse(e.data)));
  source.addEventListener("alarm", e => onAlarm(JSON.parse(e.data)));
  source.addEventListener("gateway", e => onGateway(JSON.parse(e.data)));
  source.onerror = () => {
    state.live = "offline";
    renderLive();
    if (source.readyState === EventSource.CLOSED) {
      // refused (a session that ended) or the hub gone: EventSource gives up; see which, and try again
      api("/api/v1/auth/me").then(() => setTimeout(() => state.me && state.events === source && startLive(), 5000),
        e => { if (e instanceof SignedOut) showLogin(t("error.session")); else setTimeout(() => state.me && startLive(), 5000); });
    }
  };
}

function refreshView() {
  if (state.view === "district") guard(loadDistrict());
  else if (state.view === "school") guard(loadSchool(state.school));
}

function stopLive() {
  if (state.events) state.events.close();
  state.events = null;
  clearInterval(state.refreshTimer);
}

function renderLive() {
  const live = $("live");
  live.hidden = !state.me;
  live.textContent = t({connected: "live.connected", connecting: "live.connecting"}[state.live] || "live.offline");
  live.className = "live" + (state.live === "connected" ? " on" : "");
  live.dataset.state = state.live || "";
}

function onReading(event) {
  if (state.view !== "school" || event.school !== state.school) return;
  const latest = (state.rooms.get(event.room) || []).slice();
  const changed = [];
  for (const value of event.values) {
    const i = latest.findIndex(v => v.quantity === value.quantity);
    if (i < 0) {
      latest.push(value);
      changed.push(value.quantity);
    } else if (value.timestamp >= latest[i].timestamp) {
      if (latest[i].value !== value.value) changed.push(value.quantity);
      latest[i] = value;
    }
  }
  state.rooms.set(event.room, latest);
  const card = roomCard(event.room, latest, changed);
  const old = document.querySelector("#rooms [data-room=\"" + CSS.escape(event.room) + "\"]");
  if (old) old.replaceWith(card); else renderRooms();
}

function onAlarm(event) {
  if (state.view === "school" && event.school !== state.school) return;
  const i = state.alarms.findIndex(a => a.id === event.alarm.id);
  if (event.alarm.state === "cleared") {
    if (i >= 0) state.alarms.splice(i, 1);
  } else if (i >= 0) {
    state.alarms[i] = event.alarm;
  } else {
    state.alarms.unshift(event.alarm);
  }
  if (state.view === "district") renderDistrict(); else if (state.view === "school") renderSchool();
}

function onGateway(event) {
  // the summaries and gateway list are the hub's to compute: read them again, once for a burst of changes
  debounce("gateway", () => {
    if (state.view === "district") return guard(loadDistrict());
    if (state.view === "school" && event.school === state.school) {
      return guard(loadGateways(state.school).then(() => renderGateways()));
    }
  });
}

function debounce(key, action) {
  clearTimeout(state.pending[key]);
  state.pending[key] = setTimeout(action, 300);
}

// ---- formatting and elements ----

function formatTime(millis) {
  return new Intl.DateTimeFormat(locale(), {timeZone: state.zone, dateStyle: "short", timeStyle: "short",
    hourCycle: "h23"}).format(new Date(millis));
}

function formatDate(isoDate) {
  const [y, m, d] = isoDate.split("-").map(Number);
  return new Intl.DateTimeFormat(locale(), {timeZone: "UTC", dateStyle: "medium"}).format(new Date(Date.UTC(y, m - 1, d)));
}

/** Today's date (YYYY-MM-DD) in the school's time zone: the school day attendance is kept by. */
function dateIn(zone) {
  return new Intl.DateTimeFormat("en-CA", {timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit"}).format(new Date());
}

function monthIn(zone) {
  return dateIn(zone).substring(0, 7);
}

function age(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return t("age.seconds", {n: s});
  if (s < 3600) return t("age.minutes", {n: Math.round(s / 60)});
  if (s < 86400) return t("age.hours", {n: Math.round(s / 3600)});
  return t("age.days", {n: Math.round(s / 86400)});
}

/** An element with text (textContent: what the API says is never parsed as HTML) or children, and attributes. */
function el(tag, content, attributes) {
  const e = document.createElement(tag);
  if (Array.isArray(content)) e.append(...content.filter(c => c));
  else if (content !== null && content !== undefined) e.textContent = content;
  for (const [k, v] of Object.entries(attributes || {})) e.setAttribute(k, v);
  return e;
}

start().catch(e => message("console: " + e.message));
