#!/usr/bin/env node
'use strict';

/**
 * `npm run test:pack`: what a user gets from npm. Packs the plugin, installs the tarball into a fresh Strapi 4.26.2
 * app outside this repository, builds that app's admin panel (the plugin ships admin/src as TSX) and boots the
 * server, which must find the plugin on its own (a dependency with `strapi.kind: plugin`) without warnings.
 *
 * PACK_CHECK_KEEP=1 keeps the temp app; it is also kept when the check fails. PACK_CHECK_ADMIN=0 skips the admin build.
 */

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..');
const rootPackage = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const STRAPI_VERSION = '4.26.2';
const REQUIRED_FILES = [
  'package.json',
  'strapi-server.js',
  'strapi-admin.js',
  'dist/server/index.js',
  'admin/src/index.tsx',
];
const FORBIDDEN_PREFIXES = ['server/src/', 'tests/', 'playground/', 'scripts/', '.ci/', 'node_modules/'];

const timings = [];
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duo-pack-check-'));
const appDir = path.join(workDir, 'app');

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

function pack() {
  // npm pack runs `prepack` (npm run build) first; its own output goes to stderr, the JSON report to stdout.
  const result = run('npm', ['pack', '--json', '--pack-destination', workDir], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [report] = JSON.parse(result.stdout.toString('utf8'));
  const files = report.files.map((file) => file.path);
  const missing = REQUIRED_FILES.filter((file) => !files.includes(file));
  const leaked = files.filter((file) => FORBIDDEN_PREFIXES.some((prefix) => file.startsWith(prefix)));
  if (missing.length > 0) throw new Error(`the tarball lacks ${missing.join(', ')}`);
  if (leaked.length > 0) throw new Error(`the tarball ships files it should not: ${leaked.join(', ')}`);
  console.log(`${report.filename}: ${files.length} files, ${(report.size / 1024).toFixed(1)} kB`);
  return path.join(workDir, report.filename);
}

function writeApp(tarball) {
  const files = {
    'package.json': JSON.stringify(
      {
        name: 'duo-pack-check-app',
        private: true,
        version: '0.0.0',
        dependencies: {
          '@strapi/strapi': STRAPI_VERSION,
          '@strapi/plugin-users-permissions': STRAPI_VERSION,
          'better-sqlite3': '^11.9.1',
          react: '^18.3.1',
          'react-dom': '^18.3.1',
          'react-router-dom': '^5.3.4',
          'styled-components': '^5.3.11',
          [rootPackage.name]: `file:${tarball}`,
        },
        overrides: rootPackage.overrides,
      },
      null,
      2,
    ),
    'config/server.js': `module.exports = ({ env }) => ({ host: '127.0.0.1', port: 0, app: { keys: ['packKeyA', 'packKeyB'] } });\n`,
    'config/admin.js': [
      'module.exports = () => ({',
      "  auth: { secret: 'pack-admin-secret' },",
      "  apiToken: { salt: 'pack-api-token-salt' },",
      "  transfer: { token: { salt: 'pack-transfer-salt' } },",
      '  autoOpen: false,',
      '});\n',
    ].join('\n'),
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
    'boot-check.js': BOOT_CHECK,
  };
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(appDir, name)), { recursive: true });
    fs.writeFileSync(path.join(appDir, name), content);
  }
}

/** Every `exports` and `bin` target of the installed package exists; the plain-JS subpaths load from the app. */
function checkEntryPoints() {
  const installed = path.join(appDir, 'node_modules', rootPackage.name);
  const targets = Object.values(rootPackage.exports).flatMap((target) =>
    typeof target === 'string' ? [target] : Object.values(target),
  );
  const missing = [...targets, ...Object.values(rootPackage.bin ?? {})].filter(
    (target) => !fs.existsSync(path.join(installed, target)),
  );
  if (missing.length > 0) throw new Error(`the installed package lacks ${missing.join(', ')}`);
  const subpaths = Object.keys(rootPackage.exports).filter(
    (key) => !['.', './strapi-admin', './package.json'].includes(key),
  );
  const script = subpaths.map((key) => `require(${JSON.stringify(rootPackage.name + key.slice(1))});`).join('\n');
  run(process.execPath, ['-e', script], { cwd: appDir });
  console.log(`loaded ${subpaths.map((key) => rootPackage.name + key.slice(1)).join(', ')}`);
}

function assertAdminBundlesPlugin() {
  const entry = fs.readFileSync(path.join(appDir, '.strapi', 'client', 'app.js'), 'utf8');
  if (!entry.includes(`"${rootPackage.name}/strapi-admin"`)) {
    throw new Error(`the admin entry does not import ${rootPackage.name}/strapi-admin:\n${entry}`);
  }
  const buildDir = path.join(appDir, 'build');
  const bundled = fs
    .readdirSync(buildDir)
    .filter((file) => file.endsWith('.js'))
    .some((file) => fs.readFileSync(path.join(buildDir, file), 'utf8').includes('duo-security'));
  if (!bundled) throw new Error('no admin bundle mentions duo-security');
}

// Runs inside the temp app so that every require resolves from its node_modules, never from this repository.
const BOOT_CHECK = `'use strict';
const path = require('path');
const strapiFactory = require('@strapi/strapi');

const LEVEL = Symbol.for('level');
const problems = [];
const severe = [];
for (const method of ['warn', 'error']) {
  const original = console[method];
  console[method] = (...args) => { severe.push(method + ': ' + args.map(String).join(' ')); original.apply(console, args); };
}
process.on('warning', (warning) => severe.push('process warning: ' + warning.message));

(async () => {
  const app = strapiFactory({ appDir: __dirname, distDir: __dirname, serveAdminPanel: false, autoReload: false });
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

function main() {
  const started = Date.now();
  let ok = false;
  try {
    const tarball = timed('npm pack (runs the build)', pack);
    timed('write a fresh Strapi 4.26.2 app', () => writeApp(tarball));
    timed('npm install (fresh app, npm cache)', () =>
      run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: appDir }),
    );
    timed('package entry points', checkEntryPoints);
    const env = { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true', STRAPI_DISABLE_UPDATE_NOTIFICATION: 'true' };
    if (process.env.PACK_CHECK_ADMIN !== '0') {
      timed('strapi build (admin panel with the packed plugin)', () =>
        run(path.join(appDir, 'node_modules', '.bin', 'strapi'), ['build', '--ignore-prompts'], {
          cwd: appDir,
          env: { ...env, NODE_ENV: 'production' },
        }),
      );
      assertAdminBundlesPlugin();
    }
    timed('boot the server (serveAdminPanel: false)', () =>
      run(process.execPath, ['boot-check.js'], { cwd: appDir, env }),
    );
    ok = true;
  } catch (error) {
    console.error(`\n[pack-check] ${error.message}`);
  }

  console.log('\n[pack-check] timings');
  for (const [label, ms] of timings) console.log(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${label}`);
  console.log(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  total`);
  if (ok && process.env.PACK_CHECK_KEEP !== '1') fs.rmSync(workDir, { recursive: true, force: true });
  else console.log(`[pack-check] temp app kept at ${appDir}`);
  console.log(ok ? '\nPACK-CHECK PASS' : '\nPACK-CHECK FAIL');
  process.exitCode = ok ? 0 : 1;
}

main();
