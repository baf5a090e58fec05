/*
 * The Duo step page's languages: the one the administrator chose in Strapi's admin (Profile → Interface language,
 * kept in localStorage on this same origin), else the browser's, else English. `t(key, values)` fills named
 * {placeholders}; an entry with `one`/`other` forms is chosen by `values.count`.
 */

import de from './messages-de.mjs';
import en from './messages-en.mjs';
import fr from './messages-fr.mjs';

export const MESSAGES = { en, fr, de };
export const LANGUAGES = Object.keys(MESSAGES);

/** Where Strapi's admin (4 and 5) keeps the administrator's interface language, e.g. `fr`. */
export const ADMIN_LANGUAGE_KEY = 'strapi-admin-language';

/** `fr-CA` → `fr` when the page has it; otherwise null. */
function supported(tag) {
  if (typeof tag !== 'string') return null;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return Object.prototype.hasOwnProperty.call(MESSAGES, primary) ? primary : null;
}

/** The admin's chosen language, else the browser's first supported one, else English. */
export function pickLanguage(stored, browserLanguages = []) {
  const chosen = supported(stored);
  if (chosen) return chosen;
  for (const tag of browserLanguages) {
    const found = supported(tag);
    if (found) return found;
  }
  return 'en';
}

function form(entry, values, language) {
  if (typeof entry === 'string') return entry;
  const count = Number(values.count);
  let category = 'other';
  try {
    category = new Intl.PluralRules(language).select(count);
  } catch {
    category = count === 1 ? 'one' : 'other';
  }
  return entry[category] ?? entry.other;
}

/** The translate function for `language`; a key it lacks falls back to English, then to the key itself. */
export function translator(language) {
  const dictionary = MESSAGES[language] ?? MESSAGES.en;
  const t = (key, values = {}) => {
    const entry = dictionary[key] ?? MESSAGES.en[key];
    if (entry === undefined) return key;
    return form(entry, values, language).replace(/\{(\w+)\}/g, (whole, name) =>
      Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole,
    );
  };
  t.language = Object.prototype.hasOwnProperty.call(MESSAGES, language) ? language : 'en';
  return t;
}

/** Every {placeholder} name an entry uses (all forms of a plural), sorted: the same in every language. */
export function placeholders(entry) {
  const texts = typeof entry === 'string' ? [entry] : Object.values(entry);
  const names = new Set();
  for (const text of texts) for (const match of text.matchAll(/\{(\w+)\}/g)) names.add(match[1]);
  return [...names].sort();
}

/**
 * Translates the served markup: `data-i18n` names the key of an element's text, `data-i18n-<attribute>` the key
 * of that attribute (e.g. `data-i18n-aria-label`, `data-i18n-alt`). Text goes in through textContent only.
 */
export function translatePage(document, t) {
  document.documentElement.lang = t.language;
  document.title = t('page.title');
  for (const element of document.querySelectorAll('[data-i18n]')) element.textContent = t(element.dataset.i18n);
  for (const attribute of ['aria-label', 'alt']) {
    for (const element of document.querySelectorAll(`[data-i18n-${attribute}]`)) {
      element.setAttribute(attribute, t(element.getAttribute(`data-i18n-${attribute}`)));
    }
  }
}
