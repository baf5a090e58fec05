/**
 * Strapi 5 admin entry of strapi-plugin-duo-security (the 2.x package; `exports['./strapi-admin']` points here, see
 * scripts/lib/package-variants.js). Strapi 5's admin is built by Vite from this file as it sits in the app's
 * node_modules, so it is plain ES module JavaScript: no TSX, no build step of its own.
 *
 * For now it only registers the plugin, so that Strapi 5 apps build and list it. The admin pages (Settings → Duo
 * Security, Duo users, Two-factor (Duo)) and the login hand-off to the Duo step are not written for Strapi 5 yet
 * (a separate issue); the Strapi 4 ones in admin/src use @strapi/helper-plugin and design-system v1, which Strapi 5
 * does not have. When they land, their imports must be added to the 2.x peerDependencies.
 */

const PLUGIN_ID = 'duo-security';

export default {
  register(app) {
    app.registerPlugin({ id: PLUGIN_ID, name: 'Duo Security' });
  },
};
