import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { makeTestCertificates } from '../../tests/helpers/test-ca';

export interface BenchCertificates {
  /** PEM file of the throw-away CA: what the Strapi apps are told to trust (the plugin's `ca` option). */
  readonly caFile: string;
  readonly ca: string;
  readonly key: string;
  readonly cert: string;
}

/**
 * A throw-away CA and a certificate for the Duo hostname the bench uses (the tests' openssl-made CA), its CA written
 * to `dir` (deleted with the run's temporary directory). The plugin then verifies the sandbox's certificate against
 * that Duo hostname, exactly as it verifies Duo's.
 */
export function makeCertificates(dir: string, hostname: string): BenchCertificates {
  const certificates = makeTestCertificates(hostname);
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, certificates.ca);
  return { caFile, ...certificates };
}
