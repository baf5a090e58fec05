import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function readVersion(): string {
  // dist/server/version.js and server/src/version.ts both sit two levels below the package root.
  const raw: unknown = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
  if (raw !== null && typeof raw === 'object' && 'version' in raw && typeof raw.version === 'string') {
    return raw.version;
  }
  return '0.0.0';
}

export const PLUGIN_VERSION = readVersion();
