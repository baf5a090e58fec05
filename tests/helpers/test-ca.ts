import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  /** PEM of the CA that signed `cert`: what a client must trust. */
  readonly ca: string;
  readonly key: string;
  readonly cert: string;
}

/**
 * A throw-away CA and a server certificate for `localhost` / 127.0.0.1 (or for `hostname`), made with the openssl
 * command line so no key material is committed. Fails loudly when openssl is missing rather than skipping TLS tests.
 */
export function makeTestCertificates(hostname?: string): TestCertificates {
  const subjectAltName = hostname === undefined ? 'DNS:localhost,IP:127.0.0.1' : `DNS:${hostname}`;
  const dir = mkdtempSync(join(tmpdir(), 'duo-test-ca-'));
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  try {
    run([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=Duo sandbox test CA',
    ]);
    run([
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      `/CN=${hostname ?? 'localhost'}`,
    ]);
    writeFileSync(join(dir, 'ext.cnf'), `subjectAltName=${subjectAltName}\n`);
    run([
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.pem',
      '-days',
      '2',
      '-extfile',
      'ext.cnf',
    ]);
    return {
      ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
      key: readFileSync(join(dir, 'server.key'), 'utf8'),
      cert: readFileSync(join(dir, 'server.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
