import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import type { Strapi } from '@strapi/strapi';

import type { UserRow } from '../management/user-directory';
import { pluginService } from '../plugin-services';
import type { Audience } from '../settings/types';

export const USAGE = `Usage: duo-security reset (--admin EMAIL | --client EMAIL) [options]
       duo-security backup-code (--admin EMAIL | --client EMAIL) [--app DIR]

Break-glass, run on the server in the Strapi app's folder. The app is loaded (with its database) but not
served; every run writes an audit entry (via: cli). Nobody else's Duo changes.

  reset        Resets one user's Duo (the plugin forgets their enrolment and ends their open Duo steps) and
               prints what it did.
  backup-code  Prints one new one-time backup code for one user whose Duo is on, beside their own set: it
               finishes one Duo sign-in step in place of Duo (the lost phone's owner keeps their enrolment).
               It is shown here only, once; only its hash is stored.

Options:
  --admin EMAIL          The administrator (admin panel user) to reset
  --client EMAIL         The client (users-permissions user) to reset
  --skip-duo-once [MIN]  Also let this user's next password sign-in skip Duo, once, within MIN minutes
                         (default 15, at most 60): for an account Duo itself still locks out (the lost
                         phone is still its only device) while enforcement requires Duo. Audited.
  --app DIR              The Strapi app's folder (default: the current folder)
  --help                 Show this help

Exit status: 0 done, 1 no such user or the app could not be loaded, 2 bad usage.
`;

export class UsageError extends Error {}

export interface BreakGlassOptions {
  readonly command: 'reset' | 'backup-code';
  readonly audience: Audience;
  readonly email: string;
  readonly skipDuoOnceMinutes?: number;
  readonly appDir: string;
}

export function parseBreakGlassArgs(argv: readonly string[]): BreakGlassOptions | 'help' {
  const args = [...argv];
  // `--skip-duo-once` takes an optional number: give it the default when no number follows.
  const at = args.indexOf('--skip-duo-once');
  if (at !== -1 && (args[at + 1] === undefined || !/^[0-9]+$/.test(args[at + 1] ?? ''))) args.splice(at + 1, 0, '15');
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        admin: { type: 'string' },
        client: { type: 'string' },
        'skip-duo-once': { type: 'string' },
        app: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const command = positionals[0];
  if (positionals.length !== 1 || (command !== 'reset' && command !== 'backup-code'))
    throw new UsageError('The command is "reset" or "backup-code"');
  if ((values.admin === undefined) === (values.client === undefined))
    throw new UsageError('Give exactly one of --admin EMAIL or --client EMAIL');
  const email = (values.admin ?? values.client ?? '').trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new UsageError(`"${email}" is not an e-mail address`);
  const minutes = values['skip-duo-once'] === undefined ? undefined : Number(values['skip-duo-once']);
  if (minutes !== undefined && (!Number.isInteger(minutes) || minutes < 1 || minutes > 60))
    throw new UsageError('--skip-duo-once takes 1 to 60 minutes');
  if (minutes !== undefined && command === 'backup-code') throw new UsageError('--skip-duo-once is for "reset"');
  return {
    command,
    audience: values.admin === undefined ? 'clients' : 'staff',
    email,
    appDir: resolve(values.app ?? process.cwd()),
    ...(minutes === undefined ? {} : { skipDuoOnceMinutes: minutes }),
  };
}

type StrapiOptions = { appDir: string; distDir: string; autoReload?: boolean; serveAdminPanel?: boolean };
type Compile = (options: { appDir: string }) => Promise<{ appDir: string; distDir: string }>;

/** Strapi 4's module is the factory with `compile` on it; Strapi 5's exports `createStrapi` and `compileStrapi`. */
interface StrapiModule {
  create(options: StrapiOptions): Strapi;
  compile: Compile;
}

/** The app's own copy of Strapi (and so of this plugin's host), as `strapi start` would load it. */
function strapiOf(appDir: string): StrapiModule {
  const requireFromApp = createRequire(join(appDir, 'package.json'));
  const loaded = requireFromApp('@strapi/strapi') as {
    (options: StrapiOptions): Strapi;
    compile?: Compile;
    createStrapi?: (options: StrapiOptions) => Strapi;
    compileStrapi?: Compile;
  };
  if (loaded.createStrapi !== undefined && loaded.compileStrapi !== undefined) {
    return { create: loaded.createStrapi, compile: loaded.compileStrapi };
  }
  if (typeof loaded === 'function' && loaded.compile !== undefined) return { create: loaded, compile: loaded.compile };
  throw new Error('@strapi/strapi exports neither a Strapi 4 nor a Strapi 5 factory');
}

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const console$: Output = { out: (line) => console.log(line), err: (line) => console.error(line) };

/**
 * One backup code for a user Duo locks out (a sole administrator whose only phone is lost, enforcement required):
 * a second factor of its own, so their Duo stays on and nobody passes on a password alone. The code goes to this
 * command's output only; the audit entry says that one was issued, never which.
 */
async function breakGlassCode(app: Strapi, audience: Audience, user: UserRow, io: Output): Promise<number> {
  const who = audience === 'staff' ? 'administrator' : 'client';
  if (user.duo.status !== 'active') {
    io.err(
      `duo-security: the ${who} ${user.email ?? ''} (id ${user.id}) has no Duo turned on, so a backup code has ` +
        'nothing to stand in for; nothing was changed. Use "reset" (with --skip-duo-once when enforcement ' +
        'requires Duo) instead.',
    );
    return 1;
  }
  const code = await pluginService(app, 'backupCodes').issueOne(audience, user.id);
  await pluginService(app, 'audit').log('backup-codes.issued', {
    audience,
    userId: user.id,
    outcome: 'issued',
    detail: { via: 'cli', count: 1 },
  });
  io.out(`duo-security: one backup code for ${who} ${user.email ?? ''} (id ${user.id}), shown this once:`);
  io.out('');
  io.out(`  ${code}`);
  io.out('');
  io.out('  It finishes one Duo sign-in step in place of Duo ("Use a backup code"), once; their Duo stays on.');
  io.out('  Audited as backup-codes.issued (via: cli). Hand it over in person or by a channel you trust.');
  return 0;
}

export async function main(argv: readonly string[], io: Output = console$): Promise<number> {
  let options;
  try {
    options = parseBreakGlassArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`duo-security: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (options === 'help') {
    io.out(USAGE);
    return 0;
  }

  let app: Strapi | undefined;
  try {
    let strapi: StrapiModule;
    try {
      strapi = strapiOf(options.appDir);
    } catch {
      io.err(`duo-security: no Strapi app in ${options.appDir} (@strapi/strapi not found); run it in the app's folder`);
      return 1;
    }
    const { appDir, distDir } = await strapi.compile({ appDir: options.appDir });
    app = strapi.create({ appDir, distDir, autoReload: false, serveAdminPanel: false });
    await app.load();
    if (app.plugins['duo-security'] === undefined) {
      io.err('duo-security: the plugin is not enabled in this app (config/plugins)');
      return 1;
    }
    const who = options.audience === 'staff' ? 'administrator' : 'client';
    const directory = pluginService(app, 'users');
    const user = await directory.findByEmail(options.audience, options.email);
    if (user === null) {
      io.err(`duo-security: no ${who} with the e-mail ${options.email}; nothing was changed`);
      return 1;
    }
    if (options.command === 'backup-code') return await breakGlassCode(app, options.audience, user, io);
    const done = await directory.reset(
      options.audience,
      user.id,
      { via: 'cli' },
      options.skipDuoOnceMinutes === undefined ? {} : { skipDuoOnceMinutes: options.skipDuoOnceMinutes },
    );
    const settings = await pluginService(app, 'settings').get();
    // The user's own enforcement: the audience default or the overrides of their roles.
    const enforced =
      settings.activated &&
      settings[options.audience].enabled &&
      (await pluginService(app, 'policy').enforcement(options.audience, user.id)).enforcement === 'required';
    io.out(`duo-security: reset Duo for ${who} ${user.email ?? options.email} (id ${user.id}).`);
    io.out(`  Duo enrolment: ${user.duo.status} -> ${done.duo.status}; open Duo steps ended: ${done.cancelledSteps}.`);
    io.out('  Audited as enroll.reset (via: cli). No other account was changed.');
    if (done.skipDuoUntil !== null) {
      io.out(`  Their next password sign-in before ${done.skipDuoUntil} skips Duo, once (audited as login.recovery).`);
    }
    if (enforced) {
      io.out(
        '  Enforcement requires Duo: their next sign-in asks for Duo again. If Duo still has the lost phone as their ' +
          'only device, remove it in the Duo Admin Panel (they then enrol a new phone inside the sign-in) or give ' +
          'them a bypass code there' +
          (done.skipDuoUntil === null ? ', or run this again with --skip-duo-once.' : '.'),
      );
    } else {
      io.out('  They can sign in with their password alone and turn Duo on again under "Two-factor (Duo)".');
    }
    return 0;
  } catch (error) {
    io.err(`duo-security: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await app?.destroy().catch(() => undefined);
  }
}
