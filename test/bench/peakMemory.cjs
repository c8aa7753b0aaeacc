// Preloaded into a benchmarked process (`node -r`): prints its peak resident memory when it exits.
'use strict';
process.on('exit', () => {
  process.stderr.write(`\nPEAK_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
