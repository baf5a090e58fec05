import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';

/**
 * The admin pages' translations (admin/shared/translations/<locale>.json, used by both admins): every locale has exactly the keys of
 * en.json, each message keeps the ICU arguments of the English one, and every id the admin sources ask for exists.
 * The parser is react-intl's own (it comes with react-intl), so what parses here parses in the admin.
 */

const REPO_ROOT = join(__dirname, '..', '..');
// Every admin source that asks for a text: Strapi 4's pages, Strapi 5's, and what both share.
const ADMIN_SOURCES = ['src', 'shared', join('v5', 'src')].map((dir) => join(REPO_ROOT, 'admin', dir));
const TRANSLATIONS = join(REPO_ROOT, 'admin', 'shared', 'translations');
const LOCALES = ['fr', 'de'] as const;

/** Keys whose text is deliberately the same as the English one: product names, Duo's own field names, words. */
const SAME_AS_ENGLISH: Record<(typeof LOCALES)[number], readonly string[]> = {
  fr: [
    'plugin.name',
    'settings.audience.clients.title',
    'settings.card.title',
    'settings.form.apiHostname.label',
    'settings.form.clientId.label',
    'settings.form.clientSecret.label',
    'settings.form.integration.authApi',
    'settings.form.integration.universal',
    'settings.form.integrationKey.label',
    'settings.form.secretKey.label',
    'settings.link',
    'settings.page.title',
    'users.audience.clients',
    'users.column.actions',
    'users.column.client',
    'users.column.duo',
    'users.column.email',
  ],
  de: [
    'plugin.name',
    'settings.audience.clients.title',
    'settings.card.title',
    'settings.form.apiHostname.label',
    'settings.form.clientId.label',
    'settings.form.clientSecret.label',
    'settings.form.enforcement.optional',
    'settings.form.roles.optional',
    'settings.form.integration.authApi',
    'settings.form.integration.universal',
    'settings.form.integrationKey.label',
    'settings.form.secretKey.label',
    'settings.link',
    'settings.page.title',
    'step.passcode',
    'users.audience.clients',
    'users.column.administrator',
    'users.column.client',
    'users.column.duo',
  ],
};

/** Names and tokens that stay as they are in every language whenever the English message has them. */
const UNTRANSLATED = [
  'Duo Security',
  'Duo Mobile',
  'Duo Push',
  'Duo Admin Panel',
  'Auth API',
  'Universal Prompt',
  'Web SDK',
  'Applications → Protect an Application → Auth API',
  'config/plugins.js',
  'api-XXXXXXXX.duosecurity.com',
  'NTP',
  'chrony',
  'systemd-timesyncd',
  'The second factor you supplied was incorrect',
];

function readMessages(locale: string): Record<string, string> {
  const data: unknown = JSON.parse(readFileSync(join(TRANSLATIONS, `${locale}.json`), 'utf8'));
  assert.ok(data !== null && typeof data === 'object' && !Array.isArray(data), `${locale}.json is not an object`);
  for (const [key, value] of Object.entries(data)) {
    assert.equal(typeof value, 'string', `${locale}.json: ${key} is not a string`);
    assert.notEqual((value as string).trim(), '', `${locale}.json: ${key} is empty`);
  }
  return data as Record<string, string>;
}

/**
 * The arguments of a message, as react-intl sees them: `name:argument`, `name:plural`, `name:select[a,b]` (a select's
 * cases are values the code passes, so they must match), `name:number`, `name:date`, `name:time`, `#`, `<tag>`; from
 * every branch of plurals and selects. A plural's cases may differ by language, but each needs `other`.
 */
function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    switch (element.type) {
      case TYPE.literal:
        break;
      case TYPE.argument:
        into.add(`${element.value}:argument`);
        break;
      case TYPE.number:
        into.add(`${element.value}:number`);
        break;
      case TYPE.date:
        into.add(`${element.value}:date`);
        break;
      case TYPE.time:
        into.add(`${element.value}:time`);
        break;
      case TYPE.pound:
        into.add('#');
        break;
      case TYPE.select:
        into.add(`${element.value}:select[${Object.keys(element.options).sort().join(',')}]`);
        for (const option of Object.values(element.options)) argumentsOf(option.value, into);
        break;
      case TYPE.plural:
        into.add(`${element.value}:${element.pluralType === 'ordinal' ? 'selectordinal' : 'plural'}`);
        assert.ok('other' in element.options, `plural ${element.value} without an "other" case`);
        for (const option of Object.values(element.options)) argumentsOf(option.value, into);
        break;
      case TYPE.tag:
        into.add(`<${element.value}>`);
        argumentsOf(element.children, into);
        break;
    }
  }
  return into;
}

/** The literal text of a message, all branches joined (for the checks on braces and untranslated names). */
function textOf(elements: MessageFormatElement[]): string {
  return elements
    .map((element) => {
      if (element.type === TYPE.literal) return element.value;
      if (element.type === TYPE.select || element.type === TYPE.plural) {
        return Object.values(element.options)
          .map((option) => textOf(option.value))
          .join(' ');
      }
      if (element.type === TYPE.tag) return textOf(element.children);
      return '';
    })
    .join('');
}

function parseMessage(locale: string, key: string, message: string): MessageFormatElement[] {
  try {
    return parse(message);
  } catch (error) {
    assert.fail(`${locale}.json: ${key} is not a valid ICU message (${String(error)}): ${message}`);
  }
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

const english = readMessages('en');
const englishArguments = new Map(
  Object.entries(english).map(([key, message]) => [key, argumentsOf(parseMessage('en', key, message))]),
);

describe('Admin translations', () => {
  it('en.json parses as ICU messages, with no brace left in the text by an unbalanced quote', () => {
    for (const [key, message] of Object.entries(english)) {
      const text = textOf(parseMessage('en', key, message));
      assert.doesNotMatch(text, /[{}]/, `en.json: ${key} shows a brace (an apostrophe quoted it?)`);
    }
  });

  for (const locale of LOCALES) {
    describe(`${locale}.json`, () => {
      const messages = readMessages(locale);

      it('has every key of en.json and no other', () => {
        const missing = Object.keys(english).filter((key) => !(key in messages));
        const extra = Object.keys(messages).filter((key) => !(key in english));
        assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
      });

      it('keeps the ICU arguments of each English message (names, kinds, select cases)', () => {
        const changed: string[] = [];
        for (const [key, message] of Object.entries(messages)) {
          const expected = englishArguments.get(key);
          if (expected === undefined) continue;
          const actual = argumentsOf(parseMessage(locale, key, message));
          const sorted = (set: Set<string>) => [...set].sort().join(' ');
          if (sorted(actual) !== sorted(expected)) {
            changed.push(`${key}: {${sorted(actual)}} instead of {${sorted(expected)}}`);
          }
        }
        assert.deepEqual(changed, []);
      });

      it('shows no brace in the text (an ASCII apostrophe before a brace quotes it in ICU)', () => {
        const quoted = Object.entries(messages)
          .filter(([key, message]) => /[{}]/.test(textOf(parseMessage(locale, key, message))))
          .map(([key]) => key);
        assert.deepEqual(quoted, []);
      });

      it('keeps product names and technical tokens as they are', () => {
        const lost: string[] = [];
        for (const [key, message] of Object.entries(english)) {
          const translated = messages[key];
          if (translated === undefined) continue;
          for (const token of UNTRANSLATED) {
            if (message.includes(token) && !translated.includes(token)) lost.push(`${key}: ${token}`);
          }
        }
        assert.deepEqual(lost, []);
      });

      it('translates every message, but for the few that read the same on purpose', () => {
        const same = Object.keys(english)
          .filter((key) => messages[key] === english[key])
          .sort();
        assert.deepEqual(same, [...SAME_AS_ENGLISH[locale]].sort());
      });
    });
  }

  it('has an en.json entry for every id the admin sources ask for', () => {
    const files = ADMIN_SOURCES.flatMap((dir) => sourceFiles(dir));
    const asked = new Map<string, string>();
    const dynamic: string[] = [];
    // The first segments of the keys: an id-shaped string literal starts with one of them.
    const prefixes = [...new Set(Object.keys(english).map((key) => key.split('.')[0]))];
    const idShaped = new RegExp(`^(?:${prefixes.join('|')})\\.[A-Za-z0-9.-]+$`);
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      const where = relative(REPO_ROOT, file);
      for (const call of source.matchAll(/\bgetTrad\(\s*([^)]*?)\s*\)/g)) {
        const argument = call[1] ?? '';
        const literal = /^(['"])([^'"`]+)\1$/.exec(argument);
        if (literal?.[2] !== undefined) asked.set(literal[2], where);
        else if (argument.startsWith('`')) dynamic.push(`${where}: getTrad(${argument})`);
      }
      // getTrad(id) with an id from a variable (a label helper, a table of columns): the file's id-shaped
      // string literals are the ids it passes.
      if (/\bgetTrad\(\s*[A-Za-z_$]/.test(source) && !where.endsWith(join('utils', 'getTrad.ts'))) {
        const literals = [...source.matchAll(/(['"])([^'"\n]+)\1/g)].map((match) => match[2] ?? '');
        const ids = literals.filter((literal) => idShaped.test(literal));
        assert.ok(ids.length > 0, `${where} calls getTrad with a variable but names no id`);
        for (const id of ids) asked.set(id, where);
      }
    }
    assert.deepEqual(dynamic, [], 'ids built from template strings cannot be checked: name them in full');
    assert.ok(asked.size > 150, `only ${asked.size} ids found in the admin sources: is the pattern still right?`);
    const unknown = [...asked].filter(([id]) => !(id in english)).map(([id, where]) => `${where}: ${id}`);
    assert.deepEqual(unknown, []);
  });
});
