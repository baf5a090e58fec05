/**
 * Child entry of `startStrapiProcess`: boots the playground in this process (Strapi sets a global, so a second
 * instance needs a second process) with the environment the parent gave, listens on DUO_CHILD_PORT (a free port
 * when 0), and tells the parent over IPC. Exits when the parent asks, or when the parent goes away.
 */
import { bootStrapi } from './strapi';

export type ChildMessage =
  { readonly type: 'ready'; readonly baseUrl: string } | { readonly type: 'failed'; readonly message: string };

function send(message: ChildMessage): void {
  process.send?.(message);
}

// An orphan must not keep a port and database connections: the parent's death closes the IPC channel.
process.on('disconnect', () => process.exit(1));

async function main(): Promise<void> {
  const booted = await bootStrapi({ port: Number(process.env.DUO_CHILD_PORT ?? '0') });
  process.on('message', (message: unknown) => {
    if (message !== 'stop') return;
    booted.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  send({ type: 'ready', baseUrl: booted.baseUrl });
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
