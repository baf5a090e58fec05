import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { config } from '../../server/src/config';
import { lockSources, settingsEnvErrors, settingsOverrides } from '../../server/src/settings/locks';
import { returnUrlProblem } from '../../server/src/settings/return-urls';
import { connectionCheckSchema, settingsUpdateSchema } from '../../server/src/settings/schemas';

const CLIENT_ID = 'DIUNIVERSALCLIENT001';
const CLIENT_SECRET = 'UniversalClientSecretThatMustNotLeak0001';

async function refusedPaths(
  schema: { validate(value: unknown, options: object): Promise<unknown> },
  body: unknown,
): Promise<string[]> {
  try {
    await schema.validate(body, { strict: true, abortEarly: false });
  } catch (error) {
    const { inner } = error as { inner: Array<{ path?: string; message: string }> };
    assert.ok(!JSON.stringify(inner.map((e) => e.message)).includes(CLIENT_SECRET), 'no message quotes the secret');
    return inner.map((e) => e.path ?? '');
  }
  return [];
}

describe('Universal Prompt settings: client return URLs', () => {
  it('accepts https anywhere, http on loopback, http anywhere outside production, app schemes', () => {
    for (const url of [
      'https://app.example.com/login',
      'https://app.example.com:8443/a/b?x=1',
      'http://localhost:3000/done',
      'http://127.0.0.1:5173/',
      'http://[::1]:8080/cb',
      'myapp://duo/done',
      'com.example.shop:/oauth',
    ]) {
      assert.equal(returnUrlProblem(url, true), undefined, url);
    }
    assert.equal(returnUrlProblem('http://staging.example.com/login', false), undefined);
  });

  it('refuses fragments, scripts, local schemes, relative URLs, credentials and public http in production', () => {
    const cases: Array<[string, RegExp]> = [
      ['https://app.example.com/login#x', /fragment/],
      ['https://app.example.com/#', /fragment/],
      ['javascript:alert(1)', /javascript:/],
      ['data:text/html,hi', /data:/],
      ['file:///etc/passwd', /file:/],
      ['blob:https://app.example.com/1', /blob:/],
      ['vbscript:x', /vbscript:/],
      ['about:blank', /about:/],
      ['/login', /absolute URL/],
      ['app.example.com/login', /absolute URL|scheme/],
      ['HTTPS://app.example.com/', /lowercase/],
      ['https://user:pw@app.example.com/', /user name or password/],
      [' https://app.example.com/', /spaces/],
      ['https://app.example.com/a b', /spaces/],
      ['https://app.example.com/\u0000', /control/],
      [`https://app.example.com/${'a'.repeat(2048)}`, /2048/],
      ['', /1 to 2048/],
      ['http://app.example.com/login', /production/],
    ];
    for (const [url, message] of cases) {
      const problem = returnUrlProblem(url, true);
      assert.match(problem ?? 'accepted', message, url.slice(0, 60));
      assert.ok(!(problem ?? '').includes('app.example.com'), 'the URL is never quoted');
    }
  });
});

describe('Universal Prompt settings: request schemas', () => {
  it('accepts the new fields in their shapes', async () => {
    const body = {
      integration: 'universal',
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      clientReturnUrls: ['https://app.example.com/login'],
    };
    assert.deepEqual(await refusedPaths(settingsUpdateSchema, body), []);
    assert.deepEqual(await refusedPaths(settingsUpdateSchema, { clientSecret: '', clientId: '' }), []);
    const { clientReturnUrls: _urls, ...check } = body;
    assert.deepEqual(await refusedPaths(connectionCheckSchema, check), []);
  });

  it('refuses a wrong type, malformed Client ID or secret, too many URLs, non-string URLs', async () => {
    const cases: Array<[unknown, string[]]> = [
      [{ integration: 'oidc' }, ['integration']],
      [{ clientId: 'DIshort' }, ['clientId']],
      [{ clientId: CLIENT_SECRET }, ['clientId']],
      [{ clientSecret: `${CLIENT_SECRET}!` }, ['clientSecret']],
      [{ clientSecret: 12 }, ['clientSecret']],
      [{ clientReturnUrls: 'https://app.example.com/' }, ['clientReturnUrls']],
      [
        { clientReturnUrls: Array.from({ length: 11 }, (_, i) => `https://app${i}.example.com/`) },
        ['clientReturnUrls'],
      ],
      [{ clientReturnUrls: [42] }, ['clientReturnUrls[0]']],
    ];
    for (const [body, paths] of cases) {
      assert.deepEqual(await refusedPaths(settingsUpdateSchema, body), paths, JSON.stringify(body).slice(0, 80));
    }
    assert.deepEqual(await refusedPaths(connectionCheckSchema, { integration: 'saml' }), ['integration']);
  });
});

describe('Universal Prompt settings: config/plugins.js and settingsEnv', () => {
  const NAMES = { clientId: 'DUO_CLIENT_ID', clientSecret: 'DUO_CLIENT_SECRET' };

  it('takes the Client ID and secret from the variables settingsEnv names, and locks them', () => {
    const cfg = {
      settings: { integration: 'universal' as const, clientReturnUrls: ['myapp://done'] },
      settingsEnv: NAMES,
    };
    const env = { DUO_CLIENT_ID: CLIENT_ID, DUO_CLIENT_SECRET: CLIENT_SECRET };
    const overrides = settingsOverrides(cfg, env);
    assert.equal(overrides.clientId, CLIENT_ID);
    assert.equal(overrides.clientSecret, CLIENT_SECRET);
    assert.deepEqual(lockSources(cfg, env), {
      integration: { source: 'config' },
      clientReturnUrls: { source: 'config' },
      clientId: { source: 'env', variable: 'DUO_CLIENT_ID' },
      clientSecret: { source: 'env', variable: 'DUO_CLIENT_SECRET' },
    });
  });

  it('a malformed Client ID or secret in a variable stops the start, never quoting it', () => {
    const problems = settingsEnvErrors({ settingsEnv: NAMES }, { DUO_CLIENT_ID: 'nope', DUO_CLIENT_SECRET: 'short' });
    assert.equal(problems.length, 2);
    assert.match(problems.join(' '), /DUO_CLIENT_ID \(settingsEnv\.clientId\).*DUO_CLIENT_SECRET/);
    assert.ok(!/nope|short/.test(problems.join(' ')));
  });

  it('the config validator checks the new settings, naming the option and never a secret', () => {
    assert.doesNotThrow(() =>
      config.validator({
        settings: {
          integration: 'universal',
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          clientReturnUrls: ['https://app.example.com/login', 'myapp://done'],
        },
        settingsEnv: NAMES,
      }),
    );
    const cases: Array<[unknown, RegExp]> = [
      [{ settings: { integration: 'web' } }, /settings\.integration/],
      [{ settings: { clientId: 'DIshort' } }, /settings\.clientId/],
      [{ settings: { clientSecret: 'x' } }, /settings\.clientSecret/],
      [{ settings: { clientReturnUrls: ['https://a.example.com/#x'] } }, /clientReturnUrls\[0\].*fragment/],
      [{ settings: { clientReturnUrls: ['https://a.example.com/', 'javascript:alert(1)'] } }, /clientReturnUrls\[1\]/],
      [{ settingsEnv: { clientSecret: 'not a name' } }, /settingsEnv/],
    ];
    for (const [value, message] of cases) assert.throws(() => config.validator(value), message, JSON.stringify(value));
    try {
      config.validator({ settings: { clientSecret: `${CLIENT_SECRET}!` } });
      assert.fail('accepted');
    } catch (error) {
      assert.ok(!String(error).includes(CLIENT_SECRET));
    }
  });
});
