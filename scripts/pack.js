#!/usr/bin/env node
'use strict';

/**
 * Makes the npm tarball of one major: `node scripts/pack.js --strapi 4` (1.x, Strapi 4.26) or `--strapi 5` (2.x,
 * Strapi 5.50+). `npm run pack:v4` / `npm run pack:v5`. Writes strapi-plugin-duo-security-<version>.tgz to the
 * current folder (or `--pack-destination <dir>`) and prints its name. Publish it with `npm publish <file>.tgz`
 * (2.x with `--tag` of its own until it is the line `latest` should give).
 *
 * Both start from a clean server build (a file deleted from server/src must not ship from a stale dist/). The 1.x
 * tarball is `npm pack` of the repository root, as `npm publish` there would make it; the 2.x one is `npm pack` of
 * a staging folder holding the same files under package.json rewritten by scripts/lib/package-variants.js.
 * `--no-build` reuses dist/ as it is (the pack check builds once for both).
 */

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { buildAdminV5 } = require('./build-admin-v5');
const { variant } = require('./lib/package-variants');

const REPO_ROOT = path.resolve(__dirname, '..');

function run(command, args, options) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.signal ?? `exit ${result.status}`})`);
  }
  return result;
}

/** dist/ from scratch: the server (tsc, its static files) and the Strapi 5 admin (as `npm run build`, without the playground link). */
function build() {
  fs.rmSync(path.join(REPO_ROOT, 'dist'), { recursive: true, force: true });
  const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  // A git worktree whose node_modules is a symlink to another checkout's install: without --preserveSymlinks tsc
  // sees yup's types through the real path and the declarations fail with TS2742. Same output on a plain clone.
  const preserve = fs.lstatSync(path.join(REPO_ROOT, 'node_modules')).isSymbolicLink() ? ['--preserveSymlinks'] : [];
  run(process.execPath, [tsc, '-p', 'tsconfig.build.json', ...preserve], { cwd: REPO_ROOT });
  run(process.execPath, [path.join(__dirname, 'copy-server-assets.js')], { cwd: REPO_ROOT });
  // The 2.x package's admin (dist/admin-v5); after the server build, which emptied dist/.
  buildAdminV5();
}

/** The folder `npm pack` runs in: the root for 1.x, a staged copy with the rewritten package.json for 2.x. */
function stage(manifest, root) {
  if (JSON.stringify(manifest) === JSON.stringify(root)) return { dir: REPO_ROOT, cleanup() {} };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duo-pack-stage-'));
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // npm adds README, LICENSE and package.json on its own; `files` names the rest (folders or single files).
  for (const entry of new Set([...manifest.files, 'README.md', 'LICENSE'])) {
    const source = path.join(REPO_ROOT, entry);
    if (!fs.existsSync(source)) throw new Error(`${entry} (listed in files) does not exist: build first`);
    fs.cpSync(source, path.join(dir, entry), { recursive: true, dereference: true });
  }
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Packs the package of Strapi `major` into `destination`; returns the tarball's path and npm's list of its files.
 * `--ignore-scripts`: the root's prepack would build again (and the 2.x manifest has no scripts).
 */
function pack({ major, destination = process.cwd(), buildFirst = true }) {
  const root = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const { manifest: rewrite, required, forbidden } = variant(major);
  if (buildFirst) build();
  const manifest = rewrite(root);
  const staged = stage(manifest, root);
  try {
    const result = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], {
      cwd: staged.dir,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [report] = JSON.parse(result.stdout.toString('utf8'));
    const files = report.files.map((file) => file.path);
    const missing = required.filter((file) => !files.includes(file));
    const leaked = files.filter((file) => forbidden.some((prefix) => file === prefix || file.startsWith(prefix)));
    if (missing.length > 0) throw new Error(`the ${manifest.version} tarball lacks ${missing.join(', ')}`);
    if (leaked.length > 0) throw new Error(`the ${manifest.version} tarball ships ${leaked.join(', ')}`);
    return { tarball: path.join(destination, report.filename), manifest, files, size: report.size };
  } finally {
    staged.cleanup();
  }
}

module.exports = { pack, build };

if (require.main === module) {
  const args = process.argv.slice(2);
  const option = (name) => {
    const index = args.indexOf(name);
    return index === -1 ? undefined : args[index + 1];
  };
  try {
    const major = option('--strapi');
    if (major === undefined) throw new Error('usage: node scripts/pack.js --strapi <4|5> [--pack-destination <dir>]');
    const destination = path.resolve(option('--pack-destination') ?? '.');
    const { tarball, manifest, files, size } = pack({ major, destination, buildFirst: !args.includes('--no-build') });
    console.log(
      `Strapi ${major}: ${manifest.name}@${manifest.version}, ${files.length} files, ${(size / 1024).toFixed(1)} kB`,
    );
    const relative = path.relative(process.cwd(), tarball);
    console.log(relative.startsWith('..') ? tarball : `./${relative}`);
  } catch (error) {
    console.error(`pack: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
