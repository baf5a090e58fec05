import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchCertificates {
  /** PEM file of the throw-away CA: what the Strapi apps are told to trust (the plugin's `ca` option). */
  readonly caFile: string;
  readonly ca: string;
  readonly key: string;
  readonly cert: string;
}

/**
 * A throw-away CA and a certificate for the Duo hostname the bench uses, made with openssl in `dir` (deleted with
 * the run's temporary directory). The plugin then verifies the sandbox's certificate against that Duo hostname,
 * exactly as it verifies Duo's.
 */
export function makeCertificates(dir: string, hostname: string): BenchCertificates {
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  run(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2'].concat([
      '-subj',
      '/CN=Duo sandbox bench CA',
    ]),
  );
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
    `/CN=${hostname}`,
  ]);
  writeFileSync(join(dir, 'ext.cnf'), `subjectAltName=DNS:${hostname}\n`);
  run(
    ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial'].concat([
      '-out',
      'server.pem',
      '-days',
      '2',
      '-extfile',
      'ext.cnf',
    ]),
  );
  return {
    caFile: join(dir, 'ca.pem'),
    ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    key: readFileSync(join(dir, 'server.key'), 'utf8'),
    cert: readFileSync(join(dir, 'server.pem'), 'utf8'),
  };
}
