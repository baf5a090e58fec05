'use strict';

/**
 * The two npm packages this repository produces, as data. package.json *is* the Strapi 4 package (1.x line, what
 * `npm pack`/`npm publish` at the root give); the Strapi 5 package (2.x line) is package.json rewritten by `v5`
 * below, so the two never drift apart in what they share (name, server build, bin, dependencies, engines).
 *
 * Why two packages: the server build runs on both majors (a host adapter is chosen at start), but the admin UIs
 * cannot share one bundle (Strapi 4's uses @strapi/helper-plugin and design-system v1, Strapi 5's needs
 * @strapi/strapi/admin and design-system v2), and no set of peerDependencies installs cleanly in both a 4.26 and a
 * 5.x app while protecting either admin bundle (docs/strapi-v5-facts.md, "Packaging").
 *
 * Used by scripts/pack.js (makes the tarballs), scripts/pack-check.js (installs them into fresh apps) and
 * scripts/link-playground-v5.js (gives playground-v5 the 2.x package's layout).
 */

/** Files each tarball must hold and paths it must never hold, checked by the pack check. */
// The client API's OpenAPI document ships for apps to add to their API documentation (README, "The client API").
const SHARED_REQUIRED = ['package.json', 'strapi-server.js', 'dist/server/index.js', 'docs/openapi/client-api.json'];
const SHARED_FORBIDDEN = [
  'server/src/',
  'tests/',
  'playground/',
  'playground-v5/',
  'scripts/',
  '.ci/',
  'node_modules/',
];

const V5_ADMIN_ENTRY = './admin/v5/index.mjs';
/** What the Strapi 5 admin entry hands on: the build of admin/v5/src and admin/shared (tsconfig.admin-v5.json). */
const V5_ADMIN_BUILD = 'dist/admin-v5/v5/src/index.js';

/**
 * Strapi 5's peer ranges. The floor is 5.50.0, not 5.24 where `strapi.sessionManager` and `admin::session` rows
 * appeared (5.24.1; 5.24.0 was never published): the v5 host marks a session that passed Duo in the row's
 * `metadata` (server/src/hosts/v5/sessions.ts) and refuses to create unmarked rows for users who must use Duo.
 * Session metadata (`generateRefreshToken(…, { metadata })`, kept when a refresh token rotates, the
 * `admin::session.metadata` attribute) first ships in @strapi/core and @strapi/admin 5.50.0; it is absent from
 * 5.24.1, 5.30.0, 5.37.0, 5.42.0 and 5.46.0 to 5.49.0 (read in the published packages). Below 5.50 every Duo
 * sign-in would be refused. The tests run on 5.54.0 only.
 */
const V5_PEERS = {
  '@strapi/strapi': '^5.50.0',
  '@strapi/utils': '^5.50.0',
  // What the compiled admin (dist/admin-v5) imports at run time, in the ranges Strapi 5's own admin uses; Vite
  // resolves them from the app, so they must be the app's copies (one React, one design-system theme).
  '@strapi/design-system': '^2.0.0',
  '@strapi/icons': '^2.0.0',
  react: '^18.0.0',
  'react-dom': '^18.0.0',
  'react-intl': '^6.0.0',
};

/** Strapi 4: package.json as it is. */
function v4(root) {
  return { ...root };
}

/** Strapi 5: package.json with the Strapi 5 admin entry, Strapi 5 peers and no development-only fields. */
function v5(root) {
  const [, minor, patchAndTag] = /^\d+\.(\d+)\.(.+)$/.exec(root.version) ?? [];
  if (minor === undefined) throw new Error(`package.json version ${root.version} is not x.y.z`);
  const manifest = {
    ...root,
    // The two lines release together from one tree, so 2.x follows package.json's minor and patch (0.1.0 → 2.1.0,
    // 1.4.2 → 2.4.2): a server fix is published as 1.a.b and 2.a.b, both from the same commit.
    version: `2.${minor}.${patchAndTag}`,
    description: root.description.replace(/Strapi v?4/, 'Strapi 5'),
    exports: {
      ...root.exports,
      // Strapi 5 reads this entry for npm installs (require.resolve, then the bundler imports it) and, through its
      // `import` key, for local plugins (config/plugins `resolve`); the root strapi-admin.js (Strapi 4's TSX
      // admin, a CommonJS file) is therefore left out of this package.
      './strapi-admin': { import: V5_ADMIN_ENTRY, default: V5_ADMIN_ENTRY },
    },
    // The admin ships compiled (dist/admin-v5, shared code included) behind its one entry file; the TypeScript
    // sources of both admins stay out.
    files: root.files
      .filter((file) => !['admin/src', 'admin/shared', 'strapi-admin.js'].includes(file))
      .concat(V5_ADMIN_ENTRY.slice(2)),
    peerDependencies: V5_PEERS,
  };
  // scripts: the root's build and test scripts and its postinstall (which installs playground-v5) mean nothing in
  // an installed package. devDependencies: Strapi 4's. overrides: npm ignores them in a dependency, and these are
  // Strapi 4 install fixes (environment.md).
  for (const key of ['scripts', 'devDependencies', 'overrides']) delete manifest[key];
  return manifest;
}

const VARIANTS = {
  4: {
    strapi: 4,
    manifest: v4,
    adminEntry: 'admin/src/index.tsx',
    required: [...SHARED_REQUIRED, 'strapi-admin.js', 'admin/src/index.tsx', 'admin/shared/pluginId.ts'],
    forbidden: [...SHARED_FORBIDDEN, 'admin/v5/'],
  },
  5: {
    strapi: 5,
    manifest: v5,
    adminEntry: V5_ADMIN_ENTRY.slice(2),
    required: [...SHARED_REQUIRED, V5_ADMIN_ENTRY.slice(2), V5_ADMIN_BUILD],
    forbidden: [...SHARED_FORBIDDEN, 'admin/src/', 'admin/shared/', 'admin/v5/src/', 'strapi-admin.js'],
  },
};

/** The variant for Strapi `major` (4 or 5, number or string). */
function variant(major) {
  const found = VARIANTS[String(major)];
  if (found === undefined) throw new Error(`no package for Strapi ${major}: choose 4 or 5`);
  return found;
}

module.exports = { variant, MAJORS: [4, 5] };
