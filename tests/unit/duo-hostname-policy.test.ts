import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DuoError } from '../../server/src/duo/errors';
import { resolveDuoEndpoint } from '../../server/src/duo/hostname-policy';

function refusal(apiHostname: string, production: boolean): string {
  try {
    resolveDuoEndpoint(apiHostname, production);
  } catch (error) {
    assert.ok(error instanceof DuoError);
    assert.equal(error.reason, 'config');
    return error.message;
  }
  assert.fail(`${apiHostname} was accepted (production: ${production})`);
}

describe('Duo API hostname policy (a stolen admin session must not point the Secret Key elsewhere)', () => {
  it("accepts Duo's commercial and federal API hostnames in production, case-insensitively", () => {
    assert.deepEqual(resolveDuoEndpoint('api-1a2b3c4d.duosecurity.com', true), {
      origin: 'https://api-1a2b3c4d.duosecurity.com',
      canonicalHost: 'api-1a2b3c4d.duosecurity.com',
    });
    assert.equal(resolveDuoEndpoint('API-1A2B3C4D.DuoFederal.com', true).canonicalHost, 'api-1a2b3c4d.duofederal.com');
    assert.equal(
      resolveDuoEndpoint('https://api-1a2b3c4d.duosecurity.com/', true).origin,
      'https://api-1a2b3c4d.duosecurity.com',
    );
  });

  it('refuses any other host in production', () => {
    for (const host of [
      'evil.example.com',
      'api-1a2b3c4d.duosecurity.com.evil.example',
      'duosecurity.com',
      'api-1a2b3c4d.duosecurity.com:8443',
      'http://127.0.0.1:8081',
      'localhost',
    ]) {
      assert.match(refusal(host, true), /production|HTTP/);
    }
  });

  it('allows plain HTTP only to loopback hosts outside production', () => {
    assert.equal(resolveDuoEndpoint('http://127.0.0.1:8081', false).origin, 'http://127.0.0.1:8081');
    assert.equal(resolveDuoEndpoint('http://127.0.0.1:8081', false).canonicalHost, '127.0.0.1');
    assert.equal(resolveDuoEndpoint('http://localhost:9', false).canonicalHost, 'localhost');
    assert.equal(resolveDuoEndpoint('http://[::1]:9', false).canonicalHost, '::1');
    assert.match(refusal('http://10.0.0.5:8081', false), /loopback/);
    assert.match(refusal('http://api-1a2b3c4d.duosecurity.com', false), /loopback/);
  });

  it('allows HTTPS to a test host outside production (a sandbox behind a test CA)', () => {
    assert.equal(resolveDuoEndpoint('https://duo.test:8443', false).origin, 'https://duo.test:8443');
  });

  it('refuses paths, credentials, queries, other schemes and empty values', () => {
    for (const host of [
      '',
      '  ',
      'https://api-1.duosecurity.com/x',
      'https://u:p@api-1.duosecurity.com',
      'ftp://x',
      'https://a.duosecurity.com?q=1',
      'not a host',
    ]) {
      refusal(host, false);
    }
  });
});
