'use strict';

/**
 * Follows the output of Node's test runner and keeps its totals ("ℹ pass N", "ℹ fail N", ...; the last of each
 * label wins, so a wrapper that runs several times closes with the sums). They come before
 * the details of the failures, which can run past any tail of the output, so they are read as they go by.
 */
function testCounter() {
  const counts = {};
  let tail = '';
  return {
    /** Feed every chunk of the runner's stdout. */
    push(chunk) {
      const text = tail + chunk.toString('utf8');
      for (const m of text.matchAll(/^[#ℹ] (pass|fail|cancelled|skipped|todo) (\d+)/gm)) counts[m[1]] = Number(m[2]);
      tail = text.slice(-4096);
    },
    read(label) {
      return counts[label] || 0;
    },
  };
}

module.exports = { testCounter };
