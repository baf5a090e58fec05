import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import type { Strapi } from '@strapi/strapi';

import { PUBLIC_DIR } from '../../server/src/staff/step-page/assets';
import { stepPageController, type StepPageCtx } from '../../server/src/staff/step-page/controller';

// The controller only logs while loading its files; page() would read settings, which these cases never reach.
function loggingStrapi(errors: string[]): Strapi {
  const log = { error: (message: string) => errors.push(message) };
  return { log } as unknown as Strapi;
}

function context(file?: string): StepPageCtx & { headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  return {
    params: file === undefined ? {} : { file },
    request: { headers: {} },
    status: 404,
    type: '',
    body: undefined,
    headers,
    set(name: string, value: string) {
      headers[name.toLowerCase()] = value;
    },
  };
}

describe('step page files', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  function copyOfPublic(): string {
    const dir = mkdtempSync(join(tmpdir(), 'duo-step-page-'));
    dirs.push(dir);
    cpSync(PUBLIC_DIR, dir, { recursive: true });
    return dir;
  }

  it('serves a complete install', () => {
    const errors: string[] = [];
    const controller = stepPageController({ strapi: loggingStrapi(errors), assetsDir: copyOfPublic() });
    const ctx = context('app.mjs');
    controller.asset(ctx);
    assert.match(ctx.headers.etag ?? '', /^"[\w-]{27}"$/);
    assert.match(ctx.type, /^text\/javascript/);
    assert.ok(Buffer.isBuffer(ctx.body) && ctx.body.length > 0);
    assert.deepEqual(errors, []);
  });

  it('answers a missing file with a 503 envelope that keeps server paths out of the response', async () => {
    const dir = copyOfPublic();
    unlinkSync(join(dir, 'view.mjs'));
    const errors: string[] = [];
    const controller = stepPageController({ strapi: loggingStrapi(errors), assetsDir: dir });

    for (const ctx of [context(), context('app.mjs')]) {
      if (ctx.params?.file === undefined) await controller.page(ctx);
      else controller.asset(ctx);
      assert.equal(ctx.status, 503);
      assert.deepEqual(Object.keys(ctx.body as object), ['data', 'error']);
      const { error } = ctx.body as { error: { status: number; name: string; message: string } };
      assert.equal(error.status, 503);
      assert.equal(error.name, 'ServiceUnavailableError');
      assert.doesNotMatch(error.message, /view\.mjs|duo-step-page-|\//);
      assert.equal(ctx.headers['cache-control'], 'no-store');
    }
    assert.equal(errors.length, 1, 'the fault is logged once, at start');
    assert.match(errors[0] ?? '', /view\.mjs/);
  });
});
