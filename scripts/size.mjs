#!/usr/bin/env node
// Reports the gzip size of the JavaScript the first page (home) loads, and fails above the budget.
// Reads Vite's manifest: the entry chunk, its static imports, and the home view with its static imports.
// Lazy labs (and the certificate libraries they bring) are not part of the first page.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const BUDGET_BYTES = 60 * 1024;
const FIRST_PAGE_MODULES = ['index.html', 'src/app/views/Home.svelte'];
const dist = 'dist';

let manifest;
try {
  manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
} catch (error) {
  console.error(
    `size: cannot read ${dist}/.vite/manifest.json (${error.message}); run \`npm run build\` first`,
  );
  process.exit(2);
}

const files = new Set();
function visit(key) {
  const chunk = manifest[key];
  if (!chunk) throw new Error(`size: "${key}" is not in the Vite manifest; did the module move?`);
  if (files.has(chunk.file)) return;
  files.add(chunk.file);
  for (const imported of chunk.imports ?? []) visit(imported);
}
for (const key of FIRST_PAGE_MODULES) visit(key);

const rows = [...files]
  .filter((f) => f.endsWith('.js'))
  .map((file) => {
    const bytes = readFileSync(join(dist, file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
const total = rows.reduce((sum, r) => sum + r.gzip, 0);
for (const r of rows)
  console.log(`${r.file.padEnd(44)} ${String(r.raw).padStart(8)} B  ${String(r.gzip).padStart(7)} B gzip`);
const kb = (n) => (n / 1024).toFixed(1);
console.log(`first-page JavaScript: ${kb(total)} KB gzip (budget ${kb(BUDGET_BYTES)} KB)`);
if (total > BUDGET_BYTES) {
  console.error(`size: the first page's JavaScript is ${kb(total - BUDGET_BYTES)} KB over budget`);
  process.exit(1);
}
