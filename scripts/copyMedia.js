// Copies files the webview loads as-is into dist/webview/ (esbuild bundles only the script).
// uPlot's stylesheet cannot be imported by the IIFE bundle, so the page links this copy.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const copies = [[path.join(root, 'node_modules', 'uplot', 'dist', 'uPlot.min.css'), path.join(root, 'dist', 'webview', 'uPlot.min.css')]];

for (const [from, to] of copies) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}
