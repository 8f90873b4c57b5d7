import {locale, t} from "./i18n.js";

// The edge gateway describes a raised alarm in English of a fixed form (RuleTrack.describe); the console writes it in
// its language. A text of another form (a newer or other gateway) is shown as it came.
const NUMBER = "(-?\\d+(?:\\.\\d+)?)", UNIT = "(\\S+)", SPAN = "(\\d+) (h|min|s)";
const DETAILS = [
  ["detail.above", new RegExp("^" + NUMBER + " " + UNIT + " above " + NUMBER + "$"), ["value", "unit", "limit"]],
  ["detail.below", new RegExp("^" + NUMBER + " " + UNIT + " below " + NUMBER + "$"), ["value", "unit", "limit"]],
  ["detail.outside", new RegExp("^" + NUMBER + " " + UNIT + " outside " + NUMBER + "-" + NUMBER + "$"), ["value", "unit", "low", "high"]],
  ["detail.meanAbove", new RegExp("^" + SPAN + " mean " + NUMBER + " " + UNIT + " above " + NUMBER + "$"),
    ["span", "spanUnit", "value", "unit", "limit"]],
  ["detail.rising", new RegExp("^rising " + NUMBER + " " + UNIT + "/min, faster than " + NUMBER + "$"), ["value", "unit", "limit"]],
  ["detail.unchanged", /^the same value in (\d+) readings$/, ["count"]],
  ["detail.silent", new RegExp("^no reading for " + SPAN + "$"), ["span", "spanUnit"]]
];

/** The detail in the console's language; units written as the room cards write them ({Cel: "°C"}). */
export function alarmDetail(detail, units) {
  if (!detail) return "";
  for (const [key, pattern, names] of DETAILS) {
    const match = pattern.exec(detail);
    if (!match) continue;
    const params = {};
    names.forEach((name, i) => { params[name] = match[i + 1]; });
    for (const name of ["value", "limit", "low", "high"]) {
      if (params[name] !== undefined) {
        params[name] = new Intl.NumberFormat(locale(), {maximumFractionDigits: 2, useGrouping: false}).format(Number(params[name]));
      }
    }
    if (params.unit !== undefined) params.unit = units[params.unit] === undefined ? params.unit : units[params.unit];
    if (params.spanUnit !== undefined) params.span = t("detail.span." + params.spanUnit, {n: params.span});
    return t(key, params).replace(/ {2,}/g, " ").replace(/ ,/g, ",").trim(); // a unit of "1" is written as nothing
  }
  return detail;
}
