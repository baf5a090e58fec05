import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import type { LookupFunction } from 'node:net';

import type { Strapi } from '@strapi/strapi';

import type { Fault } from '../../server/src/sandbox';
import type { FaultBed, Inject } from './fault-bed';
import { duoConfigPath } from './strapi';

/** How the fault matrix puts a fault between the plugin and Duo, each returning how to take it away again. */

export function sandboxFault(...faults: Fault[]): Inject {
  return (bed) => {
    for (const fault of faults) bed.duo.setFault(fault);
    return Promise.resolve(() => bed.duo.clearFaults());
  };
}

export function skew(ms: number): Inject {
  return (bed) => {
    bed.duo.setSkew(ms);
    return Promise.resolve(() => bed.duo.setSkew(0));
  };
}

type CredentialOverride = {
  readonly apiHostname?: string;
  readonly secretKey?: string;
  readonly integrationKey?: string;
  /** The Universal Prompt's (Web SDK) credentials. */
  readonly clientId?: string;
  readonly clientSecret?: string;
};

/**
 * Points the live configuration at a broken Duo (unreachable, unresolvable, TLS-failing host, wrong keys).
 *
 * Why this path: the settings API tests the connection and refuses a configuration that fails (an active one is
 * never replaced by a broken one), so a broken configuration cannot be saved there. The way one does go live is
 * through `config/plugins.js` → `settings` (README "Configuration"; the playground fills it from DUO_API_HOSTNAME /
 * DUO_SKEY): those values win over the stored ones and are never tested before use. Booting Strapi once per host
 * would cost a boot per case, so this changes the same configuration entry in the running app — exactly what the
 * settings service reads on every (uncached) read — and waits until the plugin's effective settings show it.
 */
export function credentialOverride(values: (bed: FaultBed) => CredentialOverride): Inject {
  return async (bed) => {
    const key = duoConfigPath(bed.strapi, 'settings');
    const previous = bed.strapi.config.get<CredentialOverride | undefined>(key);
    const wanted = values(bed);
    bed.strapi.config.set(key, { ...previous, ...wanted });
    await effectiveSettingsShow(bed.strapi, wanted);
    return async () => {
      bed.strapi.config.set(key, previous);
      await effectiveSettingsShow(bed.strapi, {
        apiHostname: bed.duo.url,
        secretKey: bed.duo.skey,
        integrationKey: bed.duo.ikey,
      });
    };
  };
}

interface SettingsReader {
  get(): Promise<Required<CredentialOverride>>;
}

async function effectiveSettingsShow(strapi: Strapi, wanted: CredentialOverride): Promise<void> {
  const settings = strapi.plugin('duo-security').service('settings') as SettingsReader;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const current = await settings.get();
    const differs = (Object.keys(wanted) as Array<keyof CredentialOverride>).some((k) => current[k] !== wanted[k]);
    if (!differs) return;
    assert.ok(Date.now() < deadline, 'the plugin never picked up the changed configuration');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Sets one plugin config value (read on every use) for the case; gives the previous one back after. */
export function pluginConfigOverride(name: string, value: unknown): Inject {
  return (bed) => {
    const key = duoConfigPath(bed.strapi, name);
    const previous = bed.strapi.config.get<unknown>(key);
    bed.strapi.config.set(key, value);
    return Promise.resolve(() => {
      bed.strapi.config.set(key, previous);
    });
  };
}

/** Runs the injections in order; undoes them in reverse. */
export function together(...injections: Inject[]): Inject {
  return async (bed) => {
    const undos: Array<Awaited<ReturnType<Inject>>> = [];
    try {
      for (const inject of injections) undos.push(await inject(bed));
    } catch (error) {
      for (const undo of undos.reverse()) await undo();
      throw error;
    }
    return async () => {
      for (const undo of undos.reverse()) await undo();
    };
  };
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A Secret Key of the right shape that is not the application's. Never printed. */
export function wrongSecretKey(): string {
  return Array.from({ length: 40 }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('');
}

/** An Integration Key of the right shape (`DI` + 18) that Duo knows nothing of. */
export function unknownIntegrationKey(): string {
  const upper = ALPHANUMERIC.slice(0, 26) + ALPHANUMERIC.slice(52);
  return `DI${Array.from({ length: 18 }, () => upper[randomInt(upper.length)]).join('')}`;
}

/**
 * A resolver that answers every name with NXDOMAIN at once, as a DNS server that has never heard of it would. The
 * plugin takes it through its `lookup` config, so no slow system resolver can turn the case into a timeout.
 */
export function nxdomainLookup(asked: string[]): LookupFunction {
  return (hostname, _options, callback) => {
    asked.push(hostname);
    const error: NodeJS.ErrnoException = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
      code: 'ENOTFOUND',
      errno: -3008,
      syscall: 'getaddrinfo',
      hostname,
    });
    process.nextTick(() => callback(error, '', 4));
  };
}
