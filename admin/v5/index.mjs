/**
 * Strapi 5 admin entry of strapi-plugin-duo-security (the 2.x package; `exports['./strapi-admin']` points here, see
 * scripts/lib/package-variants.js). Strapi 5's admin is built by Vite from this file as it sits in the app's
 * node_modules, so it is plain ES module JavaScript: the plugin itself is written in TypeScript (admin/v5/src, with
 * what it shares with the Strapi 4 admin in admin/shared) and compiled by `npm run build` into dist/admin-v5
 * (tsconfig.admin-v5.json), which this file hands on. The compiled pages import @strapi/strapi/admin,
 * @strapi/design-system, @strapi/icons and react-intl: the 2.x peerDependencies.
 */

export { default } from '../../dist/admin-v5/v5/src/index.js';
