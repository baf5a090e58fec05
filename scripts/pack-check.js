#!/usr/bin/env node
'use strict';

/**
 * `npm run test:pack`: what a user gets from npm, for both majors this repository publishes (see
 * scripts/lib/package-variants.js): the 1.x tarball installed into a fresh Strapi 4.26.2 app, the 2.x tarball into a
 * fresh Strapi 5.54.0 app, both made outside this repository and installed without --legacy-peer-deps (a peer
 * dependency conflict fails the install). In each app: `strapi build` bundles the plugin's admin entry, and the
 * server boots, finds the plugin on its own (a dependency with `strapi.kind: plugin`), answers 401 on
 * GET /duo-security/info without a token, and logs no warning or error about duo. In the Strapi 5 app an
 * administrator then goes through the first-time journey in Chromium (scripts/pack-browser.ts): configures Duo on the
 * settings page, enrols on Two-factor (Duo), signs out, and signs in again through the Duo step page.
 *
 * Usage: node scripts/pack-check.js [--strapi 4|5] (both by default).
 * PACK_CHECK_KEEP=1 keeps the temp apps; they are also kept when the check fails. PACK_CHECK_ADMIN=0 skips the admin
 * builds.
 */

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { build, pack } = require('./pack');
const { MAJORS } = require('./lib/package-variants');

const REPO_ROOT = path.resolve(__dirname, '..');
/** The Strapi 5 admin's links: Two-factor (Duo) in the menu; Duo Security, Duo users and Duo audit log in Settings. */
const V5_ADMIN_LINKS = 4;
const rootPackage = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

/** The fresh app of each major: what differs between a Strapi 4.26 and a Strapi 5 app, as data. */
const APPS = {
  4: {
    strapiVersion: '4.26.2',
    dependencies: {
      '@strapi/strapi': '4.26.2',
      '@strapi/plugin-users-permissions': '4.26.2',
      'better-sqlite3': '^11.9.1',
      react: '^18.3.1',
      'react-dom': '^18.3.1',
      'react-router-dom': '^5.3.4',
      'styled-components': '^5.3.11',
    },
    // Strapi 4.26.2 installs and builds only with these (environment.md); the repository's own install uses them too.
    overrides: rootPackage.overrides,
    config: {
      'config/server.js': `module.exports = () => ({ host: '127.0.0.1', port: 0, app: { keys: ['packKeyA', 'packKeyB'] } });\n`,
      'config/admin.js': [
        'module.exports = () => ({',
        "  auth: { secret: 'pack-admin-secret' },",
        "  apiToken: { salt: 'pack-api-token-salt' },",
        "  transfer: { token: { salt: 'pack-transfer-salt' } },",
        '  autoOpen: false,',
        '});\n',
      ].join('\n'),
    },
    createStrapi: "require('@strapi/strapi')",
    buildArgs: ['--ignore-prompts'],
    env: { STRAPI_DISABLE_UPDATE_NOTIFICATION: 'true' },
  },
  5: {
    strapiVersion: '5.54.0',
    // Every @strapi/* pinned: @strapi/strapi's `latest` depends on an @strapi/admin the registry does not serve
    // (environment.md). Nothing else is forced: the 2.x peers must resolve against what Strapi 5 brings.
    dependencies: {
      '@strapi/strapi': '5.54.0',
      '@strapi/plugin-users-permissions': '5.54.0',
      'better-sqlite3': '^11.9.1',
      react: '^18.3.1',
      'react-dom': '^18.3.1',
      'react-router-dom': '^6.30.3',
      'styled-components': '^6.1.0',
    },
    overrides: undefined,
    config: {
      // Strapi 5 warns at start while STRAPI_DISABLE_UPDATE_NOTIFICATION is set; this setting replaces it.
      'config/server.js': `module.exports = () => ({ host: '127.0.0.1', port: 0, app: { keys: ['packKeyA', 'packKeyB'] }, logger: { updates: { enabled: false } } });\n`,
      'config/admin.js': [
        'module.exports = () => ({',
        "  auth: { secret: 'pack-admin-secret' },",
        "  apiToken: { salt: 'pack-api-token-salt' },",
        "  transfer: { token: { salt: 'pack-transfer-salt' } },",
        // Strapi 5 refuses to start without it (it encrypts stored API tokens).
        "  secrets: { encryptionKey: 'pack-encryption-key-of-32-chars!' },",
        '  autoOpen: false,',
        '  flags: { nps: false, promoteEE: false },',
        '});\n',
      ].join('\n'),
    },
    createStrapi: "require('@strapi/strapi').createStrapi",
    // Strapi 5's build has no prompts (and no --ignore-prompts); Vite is its default bundler.
    buildArgs: [],
    env: {},
  },
};

const timings = [];
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duo-pack-check-'));

function timed(label, fn) {
  const started = Date.now();
  console.log(`\n[pack-check] ${label}`);
  const result = fn();
  timings.push([label, Date.now() - started]);
  return result;
}

function run(command, args, options) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.signal ?? `exit ${result.status}`})`);
  }
  return result;
}

function writeApp(appDir, major, tarball) {
  const app = APPS[major];
  const files = {
    'package.json': JSON.stringify(
      {
        name: `duo-pack-check-app-v${major}`,
        private: true,
        version: '0.0.0',
        dependencies: { ...app.dependencies, [rootPackage.name]: `file:${tarball}` },
        ...(app.overrides ? { overrides: app.overrides } : {}),
      },
      null,
      2,
    ),
    ...app.config,
    'config/database.js': [
      "const path = require('path');",
      'module.exports = () => ({',
      "  connection: { client: 'sqlite', connection: { filename: path.join(__dirname, '..', '.tmp', 'data.db') }, useNullAsDefault: true },",
      '});\n',
    ].join('\n'),
    // Nothing about duo-security here on purpose: Strapi must discover it from the dependencies.
    'config/plugins.js': `module.exports = () => ({ 'users-permissions': { config: { jwtSecret: 'pack-jwt-secret' } } });\n`,
    'config/middlewares.js': `module.exports = ['strapi::logger', 'strapi::errors', 'strapi::security', 'strapi::cors', 'strapi::poweredBy', 'strapi::query', 'strapi::body', 'strapi::session', 'strapi::favicon', 'strapi::public'];\n`,
    'src/index.js': 'module.exports = { register() {}, bootstrap() {} };\n',
    'public/robots.txt': 'User-agent: *\nDisallow: /\n',
    'public/uploads/.gitkeep': '',
    'favicon.png': fs.readFileSync(path.join(REPO_ROOT, 'playground', 'favicon.png')),
    'boot-check.js': bootCheck(app),
  };
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(appDir, name)), { recursive: true });
    fs.writeFileSync(path.join(appDir, name), content);
  }
}

/**
 * `npm install` in the fresh app, as a user would (no --legacy-peer-deps, so a peer conflict fails it). npm's
 * warnings are shown; a peer dependency warning that involves this package fails the check as well.
 */
function install(appDir) {
  const args = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=warn'];
  const result = spawnSync('npm', args, { cwd: appDir, stdio: ['ignore', 'inherit', 'pipe'] });
  const output = result.stderr.toString('utf8');
  process.stderr.write(output);
  if (result.status !== 0)
    throw new Error(`npm ${args.join(' ')} failed (${result.signal ?? `exit ${result.status}`})`);
  // npm spreads one peer conflict over several lines ("ERESOLVE overriding peer dependency", "While resolving:
  // strapi-plugin-duo-security@…", "Found: …"); the install-scripts and engine notices are about other things.
  const warnings = output.split('\n').filter((line) => !/install-scripts|EBADENGINE/.test(line));
  if (
    warnings.some((line) => /ERESOLVE|peer/i.test(line)) &&
    warnings.some((line) => line.includes(rootPackage.name))
  ) {
    throw new Error(`npm warned about peer dependencies involving ${rootPackage.name} (see above)`);
  }
}

/** Every `exports` and `bin` target of the installed package exists; its plain-JS entries load from the app. */
function checkEntryPoints(appDir) {
  const installed = path.join(appDir, 'node_modules', rootPackage.name);
  const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
  const targets = Object.values(manifest.exports).flatMap((target) =>
    typeof target === 'string' ? [target] : Object.values(target),
  );
  const missing = [...targets, ...Object.values(manifest.bin ?? {})].filter(
    (target) => !fs.existsSync(path.join(installed, target)),
  );
  if (missing.length > 0) throw new Error(`the installed package lacks ${missing.join(', ')}`);
  const subpaths = Object.keys(manifest.exports)
    .filter((key) => !['.', './strapi-admin', './package.json'].includes(key))
    .map((key) => manifest.name + key.slice(1));
  run(process.execPath, ['-e', subpaths.map((id) => `require(${JSON.stringify(id)});`).join('\n')], { cwd: appDir });
  console.log(`${manifest.name}@${manifest.version}: loaded ${subpaths.join(', ')}`);
  // Strapi 4's admin entry is TSX for its webpack build; a plain ES module one (Strapi 5's) can be run here too.
  const adminEntry = manifest.exports['./strapi-admin'];
  if (typeof adminEntry === 'object' && adminEntry.import.endsWith('.mjs')) {
    const script = [
      `const { default: plugin } = await import(${JSON.stringify(`${manifest.name}/strapi-admin`)});`,
      'const registered = [];',
      'const middlewares = [];',
      'const links = [];',
      // What register() and bootstrap() call on Strapi 5's app: the plugin, the redux middleware that hands a Duo
      // sign-in over, and the pages' links (the pages themselves load lazily, in the browser).
      'plugin.register({ registerPlugin: (p) => registered.push(p), addMiddlewares: (m) => middlewares.push(...m), addMenuLink: (l) => links.push(l.to) });',
      'plugin.bootstrap({ addSettingsLink: (section, l) => links.push(l.to) });',
      "if (registered.length !== 1 || registered[0].id !== 'duo-security') throw new Error(JSON.stringify(registered));",
      "if (middlewares.length !== 1 || typeof middlewares[0] !== 'function') throw new Error('no sign-in middleware');",
      `if (links.length !== ${V5_ADMIN_LINKS}) throw new Error('admin links: ' + JSON.stringify(links));`,
    ].join('\n');
    run(process.execPath, ['--input-type=module', '-e', script], { cwd: appDir });
    console.log(
      `${manifest.name}/strapi-admin (${adminEntry.import}) registers duo-security and its sign-in middleware`,
    );
  }
}

function filesUnder(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}

/** The generated admin entry imports the plugin's admin entry, and the bundle (webpack's or Vite's) holds it. */
function assertAdminBundlesPlugin(appDir) {
  const entry = fs.readFileSync(path.join(appDir, '.strapi', 'client', 'app.js'), 'utf8');
  if (!new RegExp(`["']${rootPackage.name}/strapi-admin["']`).test(entry)) {
    throw new Error(`the admin entry does not import ${rootPackage.name}/strapi-admin:\n${entry}`);
  }
  const bundled = filesUnder(path.join(appDir, 'build'))
    .filter((file) => file.endsWith('.js'))
    .some((file) => fs.readFileSync(file, 'utf8').includes('duo-security'));
  if (!bundled) throw new Error('no admin bundle mentions duo-security');
}

// Runs inside the temp app so that every require resolves from its node_modules, never from this repository.
function bootCheck(app) {
  return `'use strict';
const path = require('path');
const createStrapi = ${app.createStrapi};

const LEVEL = Symbol.for('level');
const problems = [];
const severe = [];
for (const method of ['warn', 'error']) {
  const original = console[method];
  console[method] = (...args) => { severe.push(method + ': ' + args.map(String).join(' ')); original.apply(console, args); };
}
process.on('warning', (warning) => severe.push('process warning: ' + warning.message));

(async () => {
  const app = createStrapi({ appDir: __dirname, distDir: __dirname, serveAdminPanel: false, autoReload: false });
  app.log.on('data', (info) => {
    const level = info[LEVEL] || info.level;
    if (level === 'warn' || level === 'error') severe.push(level + ': ' + (info.message && info.message.stack || info.message));
  });
  await app.load();

  const plugin = app.plugin('duo-security');
  if (!plugin) problems.push('strapi.plugin("duo-security") is undefined: the plugin was not discovered');
  const declaration = (app.config.get('enabledPlugins') || {})['duo-security'];
  const expectedDir = path.join(__dirname, 'node_modules', ${JSON.stringify(rootPackage.name)});
  if (!declaration) problems.push('duo-security is not among the enabled plugins');
  else if (path.resolve(declaration.pathToPlugin) !== expectedDir) {
    problems.push('duo-security was loaded from ' + declaration.pathToPlugin + ', expected ' + expectedDir);
  }

  await new Promise((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const { port } = app.server.httpServer.address();
  const response = await fetch('http://127.0.0.1:' + port + '/duo-security/info');
  if (response.status !== 401) problems.push('GET /duo-security/info without a token gave ' + response.status + ', expected 401');

  const aboutPlugin = severe.filter((line) => /duo/i.test(line));
  for (const line of aboutPlugin) problems.push('logged during boot: ' + line);
  await app.destroy();
  console.log('BOOT-CHECK ' + JSON.stringify({ problems, otherWarnings: severe.filter((l) => !aboutPlugin.includes(l)) }));
  process.exit(problems.length === 0 ? 0 : 1);
})().catch((error) => {
  console.error('BOOT-CHECK crashed:', error);
  process.exit(1);
});
`;
}

// The app serving its built admin until stopped, for the browser check (scripts/pack-browser.ts).
function serveScript(app) {
  return `'use strict';
const createStrapi = ${app.createStrapi};
(async () => {
  const app = createStrapi({ appDir: __dirname, distDir: __dirname, serveAdminPanel: true, autoReload: false });
  await app.load();
  await new Promise((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  console.log('SERVING ' + app.server.httpServer.address().port);
  process.on('SIGTERM', () => app.destroy().finally(() => process.exit(0)));
})().catch((error) => {
  console.error('serve.js crashed:', error);
  process.exit(1);
});
`;
}

/** One major, end to end, in its own fresh app. */
function checkMajor(major, tarball) {
  const app = APPS[major];
  const appDir = path.join(workDir, `app-v${major}`);
  const step = (label, fn) => timed(`v${major} ${label}`, fn);
  step(`write a fresh Strapi ${app.strapiVersion} app`, () => writeApp(appDir, major, tarball));
  step('npm install (fresh app, npm cache)', () => install(appDir));
  step('package entry points', () => checkEntryPoints(appDir));
  const env = { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true', ...app.env };
  // Strapi 5 warns at start when this Strapi 4 variable is set (.ci/run sets it for the whole run).
  if (app.env.STRAPI_DISABLE_UPDATE_NOTIFICATION === undefined) delete env.STRAPI_DISABLE_UPDATE_NOTIFICATION;
  if (process.env.PACK_CHECK_ADMIN !== '0') {
    step('strapi build (admin panel with the packed plugin)', () =>
      run(path.join(appDir, 'node_modules', '.bin', 'strapi'), ['build', ...app.buildArgs], {
        cwd: appDir,
        env: { ...env, NODE_ENV: 'production' },
      }),
    );
    assertAdminBundlesPlugin(appDir);
  }
  step('boot the server (serveAdminPanel: false)', () =>
    run(process.execPath, ['boot-check.js'], { cwd: appDir, env }),
  );
  // Strapi 5: the whole first-time journey in Chromium, on the admin the app just built.
  if (major === 5 && process.env.PACK_CHECK_ADMIN !== '0') {
    fs.writeFileSync(path.join(appDir, 'serve.js'), serveScript(app));
    step('Chromium: configure Duo, enrol, sign out, sign in through Duo', () =>
      run(process.execPath, ['--import', 'tsx', path.join(__dirname, 'pack-browser.ts'), appDir], {
        cwd: REPO_ROOT,
        env,
      }),
    );
  }
}

function majorsToCheck() {
  const index = process.argv.indexOf('--strapi');
  if (index === -1) return MAJORS;
  const major = Number(process.argv[index + 1]);
  if (!MAJORS.includes(major)) throw new Error(`--strapi takes one of ${MAJORS.join(', ')}`);
  return [major];
}

function main() {
  const started = Date.now();
  let ok = false;
  try {
    const majors = majorsToCheck();
    timed('build (dist/server, once for both packages)', build);
    const tarballs = {};
    for (const major of majors) {
      tarballs[major] = timed(`v${major} npm pack`, () => {
        const packed = pack({ major, destination: workDir, buildFirst: false });
        console.log(
          `${path.basename(packed.tarball)}: ${packed.files.length} files, ${(packed.size / 1024).toFixed(1)} kB`,
        );
        return packed.tarball;
      });
    }
    for (const major of majors) checkMajor(major, tarballs[major]);
    ok = true;
  } catch (error) {
    console.error(`\n[pack-check] ${error.message}`);
  }

  console.log('\n[pack-check] timings');
  for (const [label, ms] of timings) console.log(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${label}`);
  console.log(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  total`);
  if (ok && process.env.PACK_CHECK_KEEP !== '1') fs.rmSync(workDir, { recursive: true, force: true });
  else console.log(`[pack-check] temp apps kept in ${workDir}`);
  console.log(ok ? '\nPACK-CHECK PASS' : '\nPACK-CHECK FAIL');
  process.exitCode = ok ? 0 : 1;
}

main();
