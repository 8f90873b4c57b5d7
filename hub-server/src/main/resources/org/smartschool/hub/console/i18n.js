// Labels: every text of the console comes from one dictionary per language (/console/i18n/{vi,en}.json).
// Vietnamese is the default; the choice is remembered in this browser (localStorage).
const STORAGE_KEY = "smartschool.console.lang";
export const LANGUAGES = ["vi", "en"];
let dictionary = {};
let current = "vi";

export function initialLanguage() {
  let stored = null;
  try { stored = localStorage.getItem(STORAGE_KEY); } catch (e) { /* storage disabled: the default */ }
  return LANGUAGES.includes(stored) ? stored : "vi";
}

export function language() {
  return current;
}

/** The locale for numbers and dates. */
export function locale() {
  return current === "vi" ? "vi-VN" : "en-GB";
}

export async function loadLanguage(lang) {
  if (!LANGUAGES.includes(lang)) lang = "vi";
  const response = await fetch("/console/i18n/" + lang + ".json", {cache: "no-cache"});
  if (!response.ok) throw new Error("dictionary " + lang + ": HTTP " + response.status);
  dictionary = await response.json();
  current = lang;
  try { localStorage.setItem(STORAGE_KEY, lang); } catch (e) { /* not remembered */ }
  document.documentElement.lang = lang;
  apply(document);
}

/** The text of a key, with {name} placeholders filled in; the key itself when the dictionary lacks it. */
export function t(key, params) {
  let text = Object.prototype.hasOwnProperty.call(dictionary, key) ? dictionary[key] : key;
  if (params) {
    for (const [name, value] of Object.entries(params)) text = text.split("{" + name + "}").join(String(value));
  }
  return text;
}

/** Fills every [data-i18n] element under root with its text. */
export function apply(root) {
  root.querySelectorAll("[data-i18n]").forEach(e => { e.textContent = t(e.dataset.i18n); });
  document.title = t("app.title");
}
