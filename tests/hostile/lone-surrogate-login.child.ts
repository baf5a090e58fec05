/**
 * Run by endpoints.test.ts in a child process (it takes its process down): boots the playground with an
 * administrator and a client, then sends one login whose password holds a lone UTF-16 surrogate to the path given
 * as argv[2]. Strapi 4.26 checks passwords with bcryptjs 2.4.3, whose UTF-8 encoder never ends on a lone surrogate:
 * V8 aborts the whole process ("invalid size error") before any answer. Prints the answer if there is one.
 */
import { createClient, startClientsHarness } from '../helpers/clients-harness';
import { raw } from '../helpers/bad-input';
import { DEFAULT_ADMIN } from '../helpers/users';

async function main(): Promise<void> {
  const path = process.argv[2] ?? '/api/auth/local';
  const h = await startClientsHarness();
  const client = await createClient(h, { duo: false });
  const body =
    path === '/admin/login'
      ? `{"email":${JSON.stringify(DEFAULT_ADMIN.email)},"password":"\\ud800"}`
      : `{"identifier":${JSON.stringify(client.email)},"password":"\\ud800"}`;
  // The process will not live to remove its temporary database: the parent does.
  console.log(`database ${process.env.DATABASE_FILENAME ?? ''}`);
  console.log(`sending ${path}`);
  const response = await raw(h.app.baseUrl, path, { contentType: 'application/json', body });
  console.log(`answered ${response.status}`);
  await h.close();
}

void main();
