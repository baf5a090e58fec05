import { parseArgs } from 'node:util';

import { startDuoSandbox } from './index';
import type { DuoSandbox, NewUserPolicy, SandboxOptions } from './types';

export const USAGE = `Usage: duo-sandbox [options]

A local fake of Duo's Auth API v2 for development and tests. Never point production at it.

Options:
  --port P              Port to listen on (default 0: a free port)
  --host H              Address to bind (default 127.0.0.1)
  --ikey I              Integration key (default: generated)
  --skey S              Secret key (default: generated)
  --api-hostname X      Host name clients sign for (default: the Host header without its port)
  --new-user-policy P   enroll | allow | deny: what preauth says to unknown users (default enroll)
  --user NAME           Create an active user with one phone (repeatable)
  --json                Print the settings as one JSON line instead of text
  --force               Start even with NODE_ENV=production
  --help                Show this help
`;

const POLICIES: readonly NewUserPolicy[] = ['enroll', 'allow', 'deny'];

export class UsageError extends Error {}

export interface CliOptions {
  readonly sandbox: SandboxOptions;
  readonly json: boolean;
  readonly help: boolean;
}

export function parseCliArgs(argv: readonly string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        ikey: { type: 'string' },
        skey: { type: 'string' },
        'api-hostname': { type: 'string' },
        'new-user-policy': { type: 'string' },
        user: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError('--port must be 0-65535');
  const policy = values['new-user-policy'];
  const newUserPolicy = POLICIES.find((p) => p === policy);
  if (policy !== undefined && !newUserPolicy) throw new UsageError(`--new-user-policy must be ${POLICIES.join(', ')}`);
  if ((values.ikey === undefined) !== (values.skey === undefined)) {
    throw new UsageError('--ikey and --skey go together');
  }
  return {
    json: values.json ?? false,
    help: values.help ?? false,
    sandbox: {
      port,
      ...(values.host === undefined ? {} : { host: values.host }),
      ...(values.ikey === undefined ? {} : { ikey: values.ikey }),
      ...(values.skey === undefined ? {} : { skey: values.skey }),
      ...(values['api-hostname'] === undefined ? {} : { apiHostname: values['api-hostname'] }),
      ...(newUserPolicy === undefined ? {} : { newUserPolicy }),
      users: (values.user ?? []).map((username) => ({ username })),
      force: values.force ?? false,
      logger: {
        info: (message: string) => console.error(message),
        warn: (message: string) => console.error(message),
      },
    },
  };
}

function describe(sandbox: DuoSandbox): string {
  const users = sandbox.state().users.map((u) => `${u.username} (${u.user_id})`);
  return [
    'Duo sandbox: a FAKE Duo (Auth API and Universal Prompt) for development and tests. Never use it in production.',
    `  API URL:          ${sandbox.url}`,
    `  API hostname:     ${sandbox.apiHostname} (sign for this host, without the port)`,
    `  Integration key:  ${sandbox.ikey}`,
    `  Secret key:       ${sandbox.skey} (a sandbox test key, not a Duo secret)`,
    `  Web SDK client:   ${sandbox.clientId} / ${sandbox.clientSecret} (Universal Prompt, /oauth/v1/*)`,
    `  Virtual phone:    ${sandbox.url}/phone`,
    `  Control API:      ${sandbox.url}/sandbox/state`,
    `  Users:            ${users.length ? users.join(', ') : '(none)'}`,
    'Press Ctrl+C to stop.',
  ].join('\n');
}

/** Runs until SIGINT/SIGTERM. Resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`duo-sandbox: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  let sandbox: DuoSandbox;
  try {
    sandbox = await startDuoSandbox(options.sandbox);
  } catch (error) {
    console.error(`duo-sandbox: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  if (options.json) {
    const { url, port, ikey, skey, apiHostname, clientId, clientSecret } = sandbox;
    console.log(
      JSON.stringify({ url, port, ikey, skey, apiHostname, clientId, clientSecret, phoneUrl: `${url}/phone` }),
    );
  } else {
    console.log(describe(sandbox));
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sandbox.close();
  return 0;
}
