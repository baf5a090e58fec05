/**
 * Run by strapi-core.test.ts in a child process, because without the plugin's guard it takes its process down: boots
 * the playground with an administrator and a client, then sends, to each gated path named in argv, one request
 * whose password holds a lone UTF-16 surrogate. Strapi 4.26 checks passwords with bcryptjs 2.4.3, whose UTF-8
 * encoder never ends on a lone surrogate: V8 aborts the whole process ("invalid size error") before any answer.
 * Prints `answered <path> <status> <error name>` per path that got an answer.
 */
import { raw } from '../helpers/bad-input';
import { errorOf } from '../helpers/client-answers';
import { createClient, startClientsHarness } from '../helpers/clients-harness';
import { DEFAULT_ADMIN } from '../helpers/users';

const LONE = '\\ud800';

async function main(): Promise<void> {
  const h = await startClientsHarness();
  const client = await createClient(h, { duo: false });
  const bodies: Record<string, string> = {
    '/api/auth/local': `{"identifier":${JSON.stringify(client.email)},"password":"${LONE}"}`,
    '/api/auth/local/register': `{"username":"lone","email":"lone@example.com","password":"a${LONE}bcdefgh"}`,
    '/admin/login': `{"email":${JSON.stringify(DEFAULT_ADMIN.email)},"password":"${LONE}"}`,
    '/graphql':
      '{"query":"mutation($p: String!) { login(input: { identifier: ' +
      `\\"${client.email}\\", password: $p }) { jwt } }","variables":{"p":"${LONE}"}}`,
  };
  // The process may not live to remove its temporary database: the parent does.
  console.log(`database ${process.env.DATABASE_FILENAME ?? ''}`);
  for (const path of process.argv.slice(2)) {
    console.log(`sending ${path}`);
    const body = bodies[path];
    if (body === undefined) throw new Error(`no request for ${path}`);
    const response = await raw(h.app.baseUrl, path, { contentType: 'application/json', body });
    const name =
      path === '/graphql'
        ? JSON.stringify(response.body).includes('valid Unicode text')
          ? 'ValidationError'
          : 'other'
        : errorOf(response).name;
    console.log(`answered ${path} ${response.status} ${name}`);
  }
  await h.close();
}

void main();
