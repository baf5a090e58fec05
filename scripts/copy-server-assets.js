#!/usr/bin/env node
'use strict';

/**
 * Part of `npm run build`: tsc compiles server/src to dist/server but copies nothing else. Files the server serves
 * as they are (the admin Duo step page's script, style and logo) live in `public/` folders under server/src; this
 * puts each one at the same place under dist/server, which is what the package ships.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const SOURCE = path.join(ROOT, 'server', 'src');
const TARGET = path.join(ROOT, 'dist', 'server');

function publicFolders(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const full = path.join(dir, entry.name);
    if (entry.name === 'public') found.push(full);
    else found.push(...publicFolders(full));
  }
  return found;
}

for (const folder of publicFolders(SOURCE)) {
  const destination = path.join(TARGET, path.relative(SOURCE, folder));
  // Replaced whole, so a file deleted from the source does not linger in dist.
  fs.rmSync(destination, { recursive: true, force: true });
  // Type declarations there serve the tests, not the browser.
  fs.cpSync(folder, destination, { recursive: true, filter: (file) => !/\.d\.m?ts$/.test(file) });
  // stderr: `npm pack --json` (the pack check) reads stdout as JSON.
  console.error(`copied ${path.relative(ROOT, folder)} → ${path.relative(ROOT, destination)}`);
}
