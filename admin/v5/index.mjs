/**
 * Strapi 5 admin entry of strapi-plugin-duo-security (the 2.x package; `exports['./strapi-admin']` points here, see
 * scripts/lib/package-variants.js). Strapi 5's admin is built by Vite from this file as it sits in the app's
 * node_modules, so it is plain ES module JavaScript. What it shares with the Strapi 4 admin (admin/src/glue) is
 * compiled by `npm run build` into dist/admin-v5 (tsconfig.admin-v5.json).
 *
 * It registers the plugin and hands a sign-in that needs Duo to the plugin's Duo step page. The admin pages
 * (Settings → Duo Security, Duo users, Two-factor (Duo)) are not written for Strapi 5 yet; the Strapi 4 ones in
 * admin/src use @strapi/helper-plugin and design-system v1, which Strapi 5 does not have. When they land, their
 * imports must be added to the 2.x peerDependencies.
 */

import { duoStepMiddleware } from '../../dist/admin-v5/storeGlue.js';

const PLUGIN_ID = 'duo-security';

export default {
  register(app) {
    // Runs on every admin page load, the login page included: the sign-in answers pass through this middleware.
    app.addMiddlewares([duoStepMiddleware]);
    app.registerPlugin({ id: PLUGIN_ID, name: 'Duo Security' });
  },
};
