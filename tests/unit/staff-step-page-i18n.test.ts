import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';

import {
  DuoDeniedError,
  DuoFactorError,
  DuoPasscodeError,
  DuoStepError,
  DuoUnavailableError,
} from '../../server/src/engine/errors';
import { isAssetName, PUBLIC_DIR } from '../../server/src/staff/step-page/assets';
import { renderStepPage } from '../../server/src/staff/step-page/html';

/**
 * The Duo step page's languages (server/src/staff/step-page/public/i18n.mjs, messages-*.mjs, server-text.mjs):
 * every language has exactly the English keys and placeholders, every key the page uses exists, the served
 * markup's English is the dictionary's, and the server's English answers read the same after the page's mapping.
 */

type I18n = typeof import('../../server/src/staff/step-page/public/i18n.mjs', {
  with: { 'resolution-mode': 'import' },
});
type ServerText = typeof import('../../server/src/staff/step-page/public/server-text.mjs', {
  with: { 'resolution-mode': 'import' },
});
type Translate = ReturnType<I18n['translator']>;

let i18n: I18n;
let serverText: ServerText;
let en: Translate;
let fr: Translate;
let de: Translate;
before(async () => {
  i18n = await import('../../server/src/staff/step-page/public/i18n.mjs');
  serverText = await import('../../server/src/staff/step-page/public/server-text.mjs');
  en = i18n.translator('en');
  fr = i18n.translator('fr');
  de = i18n.translator('de');
});

/** An error as the page receives it: the JSON envelope's name, message and details. */
function answer(error: { name: string; message: string; details: unknown }) {
  return { name: error.name, message: error.message, details: error.details as Record<string, unknown> };
}

function source(name: string): string {
  return readFileSync(join(PUBLIC_DIR, name), 'utf8');
}

describe('the Duo step page: its dictionaries', () => {
  it('French and German have exactly the English keys, placeholders and plural forms', () => {
    const english = i18n.MESSAGES.en;
    for (const language of ['fr', 'de'] as const) {
      const other = i18n.MESSAGES[language];
      assert.deepEqual(Object.keys(other).sort(), Object.keys(english).sort(), `${language}: keys`);
      for (const [key, entry] of Object.entries(english)) {
        const translated = other[key];
        assert.ok(translated !== undefined);
        assert.deepEqual(i18n.placeholders(translated), i18n.placeholders(entry), `${language} ${key}: placeholders`);
        assert.equal(typeof translated, typeof entry, `${language} ${key}: plural or not`);
        if (typeof translated !== 'string') assert.ok(translated.one && translated.other, `${language} ${key}`);
      }
    }
    assert.deepEqual(i18n.LANGUAGES, ['en', 'fr', 'de']);
  });

  it('has every key the page asks for', () => {
    const used = new Set<string>();
    for (const file of ['app.mjs', 'view.mjs', 'server-text.mjs']) {
      for (const match of source(file).matchAll(/\bt\(\s*'([\w.-]+)'/g)) used.add(match[1] ?? '');
      for (const match of source(file).matchAll(/'((?:enroll|end|status|verify|denied|error)\.[\w.-]+)'/g)) {
        used.add(match[1] ?? '');
      }
    }
    const html = renderStepPage({ assetBase: '/duo-security/login', adminPath: '/admin', strapiMajor: 4 });
    for (const match of html.matchAll(/data-i18n(?:-[\w-]+)?="([^"]+)"/g)) used.add(match[1] ?? '');
    assert.ok(used.size > 40, `only ${used.size} keys found`);
    for (const key of used) assert.ok(key in i18n.MESSAGES.en, `missing key ${key}`);
  });

  it('fills named placeholders and picks the plural form', () => {
    assert.equal(en('error.passcode', { count: 1 }), 'Incorrect passcode; 1 attempt left');
    assert.equal(en('error.passcode', { count: 3 }), 'Incorrect passcode; 3 attempts left');
    assert.equal(fr('error.passcode', { count: 1 }), 'Code d’accès incorrect ; encore 1 tentative');
    assert.equal(de('error.passcode', { count: 2 }), 'Falscher Passcode; noch 2 Versuche');
    assert.equal(fr('status.expiry', { time: '10:00' }), 'Cette étape expire à 10:00.');
    assert.equal(en('no.such.key'), 'no.such.key');
    assert.equal(i18n.translator('xx').language, 'en');
  });

  it("follows the admin's language, else the browser's, else English", () => {
    assert.equal(i18n.ADMIN_LANGUAGE_KEY, 'strapi-admin-language');
    assert.equal(i18n.pickLanguage('fr', ['de-DE']), 'fr');
    assert.equal(i18n.pickLanguage('de', []), 'de');
    assert.equal(i18n.pickLanguage(null, ['de-AT', 'fr']), 'de');
    assert.equal(i18n.pickLanguage('ja', ['pt-BR', 'fr-CA']), 'fr');
    assert.equal(i18n.pickLanguage('ja', ['pt-BR']), 'en');
    assert.equal(i18n.pickLanguage(undefined), 'en');
  });
});

describe('the Duo step page: the served markup', () => {
  it("keeps English as the no-JavaScript text, the dictionary's words, and marks each text for translation", () => {
    const html = renderStepPage({ assetBase: '/duo-security/login', adminPath: '/admin', strapiMajor: 5 });
    let marked = 0;
    for (const match of html.matchAll(/data-i18n="([^"]+)"[^>]*>([^<]*)</g)) {
      marked += 1;
      assert.equal(match[2]?.replace(/\s+/g, ' ').trim(), en(match[1] ?? ''), match[1]);
    }
    for (const match of html.matchAll(/(aria-label|alt)="([^"]*)"\s+data-i18n-\1="([^"]+)"/g)) {
      marked += 1;
      assert.equal(match[2], en(match[3] ?? ''), match[3]);
    }
    assert.ok(marked >= 21, `only ${marked} marked texts`);
    assert.match(html, /<title>Two-factor authentication<\/title>/);
    assert.match(html, /<html lang="en">/);
  });

  it('serves every script of the page', () => {
    const files = readdirSync(PUBLIC_DIR).filter((name) => !/\.d\.m?ts$/.test(name));
    for (const name of ['i18n.mjs', 'messages-en.mjs', 'messages-fr.mjs', 'messages-de.mjs', 'server-text.mjs']) {
      assert.ok(files.includes(name), name);
    }
    for (const name of files) assert.ok(isAssetName(name), `${name} is not served`);
  });
});

describe("the Duo step page: the server's answers in the page's language", () => {
  const serverErrors = () => [
    new DuoPasscodeError(4),
    new DuoPasscodeError(1),
    new DuoPasscodeError(0),
    ...(['unknown', 'expired', 'consumed', 'denied', 'cancelled', 'allowed', 'wrong-purpose'] as const).map(
      (state) => new DuoStepError(state),
    ),
    new DuoDeniedError("This account cannot be checked with Duo; ask the site's administrator", 'identity'),
    new DuoDeniedError('Duo refused this sign-in', 'duo-deny'),
    new DuoDeniedError('Duo refused this sign-in: Your account is disabled', 'duo-deny'),
    new DuoDeniedError(
      'Duo gave an answer this server does not understand; the sign-in was refused',
      'unexpected-result',
    ),
    new DuoUnavailableError('timeout'),
    new DuoFactorError('push', 'Enrol a device with Duo first'),
    new DuoFactorError('phone', 'No device of this account can use phone'),
    new DuoFactorError('sms', 'That device cannot use sms'),
    new DuoFactorError('push', 'Duo could not start push: Invalid device'),
    new DuoFactorError('sms', 'Duo could not send SMS passcodes: refused'),
    new DuoFactorError('enroll', 'This account is already enrolled with Duo'),
    new DuoFactorError('enroll', 'Duo could not start the enrolment: refused'),
    new DuoFactorError(
      'push',
      'No more Duo prompts on this sign-in step: answer the last one, enter a passcode, or sign in again',
    ),
  ];

  it("English reads exactly as the server's errors; French and German translate every one of them", () => {
    for (const error of serverErrors()) {
      const got = answer(error);
      assert.equal(serverText.errorText(got, en), error.message);
      for (const t of [fr, de]) {
        const said = serverText.errorText(got, t);
        assert.notEqual(said, error.message, `${t.language}: ${error.message}`);
        assert.doesNotMatch(said, /\{\w+\}/);
      }
    }
  });

  it('maps errors by name and details', () => {
    const wrong = answer(new DuoPasscodeError(2));
    assert.equal(serverText.errorText(wrong, fr), 'Code d’accès incorrect ; encore 2 tentatives');
    assert.equal(serverText.errorText(wrong, de), 'Falscher Passcode; noch 2 Versuche');
    const expired = answer(new DuoStepError('expired'));
    assert.equal(serverText.errorText(expired, de), 'Dieser Anmeldeschritt ist abgelaufen; melde dich erneut an');
    const push = answer(new DuoFactorError('push', 'Duo could not start push: Invalid device'));
    assert.equal(serverText.errorText(push, fr), 'Duo n’a pas pu lancer Duo Push : Invalid device');
    assert.equal(
      serverText.errorText({ name: 'NetworkError', message: 'x', details: {} }, de),
      'Der Server war nicht erreichbar. Versuche es erneut.',
    );
  });

  it("keeps the server's text for answers it does not know", () => {
    const unknown = [
      { name: 'RateLimitError', message: 'Too many requests, please try again later.', details: {} },
      { name: 'HttpError', message: 'HTTP 502', details: {} },
      { name: 'DuoStepError', message: 'Something new', details: { state: 'later' } },
      { name: 'DuoDeniedError', message: 'Refused for a new reason', details: { reason: 'new' } },
      { name: 'DuoFactorError', message: 'A factor problem of the future', details: { factor: 'push' } },
      { name: 'DuoPasscodeError', message: 'Malformed', details: {} },
    ];
    for (const error of unknown) assert.equal(serverText.errorText(error, fr), error.message);
    assert.equal(serverText.knownText('Something Duo said', de), 'Something Duo said');
  });

  it('says the push and call states, the retry and the end of a step', () => {
    assert.equal(
      serverText.statusText({ duoStatus: 'pushed' }, fr),
      'Duo Push envoyé. Approuvez-le sur votre téléphone.',
    );
    assert.equal(serverText.statusText({ duoStatus: 'other', message: 'Duo words' }, de), 'Duo words');
    assert.equal(serverText.statusText({}, de), 'Warte auf Duo …');
    const denied = { state: 'pending', duoStatus: 'deny', message: 'Login request denied.', promptsLeft: 2 };
    assert.equal(
      serverText.retryText(denied, en),
      'Login request denied. Try again (2 more pushes or calls on this sign-in) or enter a passcode.',
    );
    assert.equal(
      serverText.retryText({ ...denied, promptsLeft: 1 }, fr),
      'Duo a refusé la connexion. Réessayez (encore 1 notification ou appel pour cette connexion) ou saisissez un code d’accès.',
    );
    assert.equal(
      serverText.retryText({ ...denied, duoStatus: 'timeout', promptsLeft: 0 }, de),
      'Die Duo-Anfrage ist abgelaufen: Niemand hat sie beantwortet. Gib einen Passcode ein.',
    );
    assert.equal(
      serverText.deniedText({ state: 'denied', duoStatus: 'fraud', promptsLeft: 0 }, en),
      'You reported the request as fraudulent, so the sign-in was refused. Sign in again to retry.',
    );
    assert.equal(
      serverText.deniedText({ state: 'denied', duoStatus: 'deny', promptsLeft: 0 }, fr),
      'La demande Duo a été refusée. C’était la dernière notification ou le dernier appel autorisé pour cette connexion. Reconnectez-vous pour réessayer.',
    );
    assert.equal(
      serverText.deniedText({ state: 'denied', message: 'The sign-in was refused' }, en),
      'The sign-in was refused. Sign in again to retry.',
    );
    assert.equal(
      serverText.deniedText({ state: 'denied', message: 'The sign-in was refused' }, de),
      'Duo hat die Anmeldung abgelehnt. Melde dich erneut an, um es noch einmal zu versuchen.',
    );
    assert.equal(serverText.duoSaid('New SMS passcodes sent', en, 'status.sent'), 'New SMS passcodes sent');
    assert.equal(serverText.duoSaid('New SMS passcodes sent', fr, 'status.sent'), fr('status.sent'));
  });

  it("says the enrolment's and the fail-open answers, word for word in English", () => {
    const texts = [
      'The activation expired; start it again',
      "Add a device in Duo's enrolment portal, then continue",
      'Duo Mobile is activated: approve one sign-in to finish',
      'Duo is unavailable; the sign-in continues without it',
    ];
    const engine = ['activation.ts', 'outcome.ts']
      .map((file) => readFileSync(join(__dirname, '..', '..', 'server', 'src', 'engine', 'step', file), 'utf8'))
      .join('\n');
    for (const text of texts) {
      assert.ok(engine.includes(text), `the server no longer says "${text}"`);
      assert.equal(serverText.knownText(text, en), text);
      assert.notEqual(serverText.knownText(text, fr), text);
      assert.notEqual(serverText.knownText(text, de), text);
    }
  });
});
