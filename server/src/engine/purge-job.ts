import type { Strapi } from '@strapi/strapi';

import { pluginService } from '../plugin-services';

const EVERY_MS = 5 * 60 * 1000;
/** Finished steps are kept a day for support questions ("did my push arrive?"), then removed. */
const KEEP_SECONDS = 24 * 60 * 60;

/** Expires abandoned Duo steps (audited) and removes old ones periodically. Every instance may run it: the delete is idempotent. */
export function startPurgeJob(strapi: Strapi): () => void {
  const run = async () => {
    try {
      const steps = pluginService(strapi, 'steps');
      await steps.expireStale();
      await steps.purge(KEEP_SECONDS);
    } catch (error) {
      strapi.log.warn(
        `duo-security: removing old Duo steps failed: ${error instanceof Error ? error.message : 'unknown error'}`,
      );
    }
  };
  const timer = setInterval(() => void run(), EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
