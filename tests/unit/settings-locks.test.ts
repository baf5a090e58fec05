import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { config } from '../../server/src/config';
import { lockedMessage, lockSources, settingsEnvErrors, settingsOverrides } from '../../server/src/settings/locks';

const IKEY = 'DIENVIRONMENTKEY0001';
const SKEY = 'EnvironmentSecretKeyThatMustNotLeak00001';
const NAMES = { integrationKey: 'DUO_IKEY', secretKey: 'DUO_SKEY', apiHostname: 'DUO_API_HOSTNAME' };

describe('settings locks: config/plugins.js and the variables settingsEnv names', () => {
  it('a set variable wins over the config file and is named; an unset or empty one is not', () => {
    const cfg = { settings: { integrationKey: 'DICONFIGFILEKEY00002', activated: true }, settingsEnv: NAMES };
    const env = { DUO_IKEY: IKEY, DUO_SKEY: '' };
    assert.equal(settingsOverrides(cfg, env).integrationKey, IKEY);
    assert.equal(settingsOverrides(cfg, env).secretKey, undefined);
    assert.deepEqual(lockSources(cfg, env), {
      activated: { source: 'config' },
      integrationKey: { source: 'env', variable: 'DUO_IKEY' },
    });
    assert.deepEqual(lockSources(cfg, {}).integrationKey, { source: 'config' });
  });

  it('messages say where to change a value', () => {
    assert.match(lockedMessage('This value', { source: 'env', variable: 'DUO_IKEY' }), /variable DUO_IKEY/);
    assert.match(lockedMessage('This value', { source: 'config' }), /set in config\/plugins\.js/);
  });

  it('a malformed key in a named variable stops the start, naming the variable but never the value', () => {
    const env = { DUO_IKEY: 'not-a-key', DUO_SKEY: SKEY.slice(1) };
    const problems = settingsEnvErrors({ settingsEnv: NAMES }, env);
    assert.equal(problems.length, 2);
    assert.match(problems.join(' '), /DUO_IKEY \(settingsEnv\.integrationKey\).*DUO_SKEY/);
    assert.ok(!problems.join(' ').includes('not-a-key') && !problems.join(' ').includes(SKEY.slice(1)));
    assert.deepEqual(settingsEnvErrors({ settingsEnv: NAMES }, { DUO_IKEY: IKEY, DUO_SKEY: SKEY }), []);
  });

  it('the plugin config validator refuses unknown fields and odd names in settingsEnv', () => {
    assert.throws(() => config.validator({ settingsEnv: { nope: 'X' } }), /invalid plugin configuration/);
    assert.throws(() => config.validator({ settingsEnv: { integrationKey: 'not a name' } }), /settingsEnv/);
    assert.doesNotThrow(() => config.validator({ settingsEnv: NAMES }));
  });
});
