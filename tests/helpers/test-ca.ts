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

export interface ServerCertificateSpec {
  /** The one name the certificate is for; `localhost` and 127.0.0.1 when omitted. */
  readonly hostname?: string;
  /** Valid until yesterday: expired before it is ever used. */
  readonly expired?: boolean;
}

/** A throw-away CA that can sign several server certificates (so one `ca` setting trusts all of them). */
export interface TestCa {
  readonly ca: string;
  issue(spec?: ServerCertificateSpec): { readonly key: string; readonly cert: string };
}

function inTempDir<T>(work: (run: (args: string[]) => void, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'duo-test-ca-'));
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  try {
    return work(run, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Made with the openssl command line so no key material is committed. Fails loudly when openssl is missing rather
 * than skipping TLS tests.
 */
export function makeTestCa(): TestCa {
  const { ca, caKey } = inTempDir((run, dir) => {
    run(
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2'].concat([
        '-subj',
        '/CN=Duo sandbox test CA',
      ]),
    );
    return { ca: readFileSync(join(dir, 'ca.pem'), 'utf8'), caKey: readFileSync(join(dir, 'ca.key'), 'utf8') };
  });
  const issue = (spec: ServerCertificateSpec = {}) =>
    inTempDir((run, dir) => {
      const subjectAltName = spec.hostname === undefined ? 'DNS:localhost,IP:127.0.0.1' : `DNS:${spec.hostname}`;
      writeFileSync(join(dir, 'ca.pem'), ca);
      writeFileSync(join(dir, 'ca.key'), caKey);
      writeFileSync(join(dir, 'ext.cnf'), `subjectAltName=${subjectAltName}\n`);
      const subject = `/CN=${spec.hostname ?? 'localhost'}`;
      run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', subject]);
      // OpenSSL 3.0 takes a negative -days: not after yesterday, so the certificate is expired from the start.
      const days = spec.expired === true ? '-1' : '2';
      run(
        ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial'].concat([
          '-out',
          'server.pem',
          '-days',
          days,
          '-extfile',
          'ext.cnf',
        ]),
      );
      return {
        key: readFileSync(join(dir, 'server.key'), 'utf8'),
        cert: readFileSync(join(dir, 'server.pem'), 'utf8'),
      };
    });
  return { ca, issue };
}

/** A throw-away CA and one server certificate for `localhost` / 127.0.0.1 (or for `hostname`). */
export function makeTestCertificates(hostname?: string): TestCertificates {
  const testCa = makeTestCa();
  return { ca: testCa.ca, ...testCa.issue(hostname === undefined ? {} : { hostname }) };
}
