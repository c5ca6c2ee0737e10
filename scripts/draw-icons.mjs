/**
 * Draws the client's small icons (the welcome screen's benefits, the 任务中心 channels): one flat SVG each, by
 * hand below, rendered to a 96×96 PNG with a transparent corner by the Chromium the browser tests already use
 * (playwright-core). Emoji were used before and showed as empty boxes on phones and PCs without an emoji font;
 * a PNG looks the same everywhere (H5 and weapp). The PNGs are committed to client/src/assets/icons.
 * Run again after changing a drawing: `node scripts/draw-icons.mjs`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../client/src/assets/icons');
const SIZE = 96;
const BRAND = '#E8541E';
const SOFT = '#FDE9DF';
const INK = '#5A2A14';

/** A soft round backdrop and the drawing in brand strokes (48-unit canvas). */
const icon = (body) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 48 48">` +
  `<circle cx="24" cy="24" r="24" fill="${SOFT}"/>` +
  `<g fill="none" stroke="${BRAND}" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round">${body}</g></svg>`;

/** The drawings' bodies, by name (the client imports `assets/icons/<name>.png`). */
const BODIES = {
  gift:
    `<rect x="13" y="21" width="22" height="15" rx="2"/><rect x="11" y="16" width="26" height="6" rx="1.5" fill="${BRAND}"/>` +
    '<path d="M24 16 v20"/><path d="M24 16 c-3 -5 -9 -5 -8 -1 c1 2 5 1 8 1 c3 0 7 1 8 -1 c1 -4 -5 -4 -8 1"/>',
  bag: '<path d="M14 19 h20 l-1.5 17 a2 2 0 0 1 -2 1.8 h-13 a2 2 0 0 1 -2 -1.8 Z"/><path d="M19 19 v-2 a5 5 0 0 1 10 0 v2"/>' + `<circle cx="24" cy="28" r="2.2" fill="${BRAND}" stroke="none"/>`,
  calendar:
    '<rect x="12" y="14" width="24" height="22" rx="3"/><path d="M12 20 h24"/><path d="M18 11 v6 M30 11 v6"/>' +
    [18, 24, 30].map((x) => `<circle cx="${x}" cy="26" r="1.4" fill="${BRAND}" stroke="none"/><circle cx="${x}" cy="31" r="1.4" fill="${BRAND}" stroke="none"/>`).join(''),
  tasks: '<rect x="13" y="12" width="22" height="25" rx="3"/><path d="M19 12 v-1.5 h10 v1.5"/><path d="M18 23 l3 3 l6 -6"/><path d="M18 31 h12"/>',
  cup: '<path d="M13 19 h18 v9 a8 8 0 0 1 -8 8 h-2 a8 8 0 0 1 -8 -8 Z"/><path d="M31 21 h2 a3.5 3.5 0 0 1 0 7 h-2"/><path d="M11 39 h24"/>' + `<path d="M18 10 q-2 2 0 4 M23 9 q-2 2.5 0 5" stroke="${INK}" stroke-width="2"/>`,
  review: '<path d="M11 14 h26 a2 2 0 0 1 2 2 v14 a2 2 0 0 1 -2 2 h-14 l-6 5 v-5 h-6 a2 2 0 0 1 -2 -2 v-14 a2 2 0 0 1 2 -2 Z"/>' + `<path d="M24 17.5 l1.9 3.9 l4.3 0.6 l-3.1 3 l0.7 4.3 l-3.8 -2 l-3.8 2 l0.7 -4.3 l-3.1 -3 l4.3 -0.6 Z" fill="${BRAND}" stroke-width="1"/>`,
  card: '<rect x="10" y="15" width="28" height="19" rx="3"/>' + `<path d="M10 21 h28" stroke-width="4"/><path d="M15 29 h7" stroke="${INK}" stroke-width="2"/>`,
  survey: '<rect x="13" y="12" width="22" height="25" rx="3"/><path d="M19 12 v-1.5 h10 v1.5"/>' + `<circle cx="19" cy="21" r="1.6" fill="${BRAND}" stroke="none"/><circle cx="19" cy="28" r="1.6" fill="${BRAND}" stroke="none"/>` + '<path d="M23 21 h7 M23 28 h7"/>',
  share: `<circle cx="31" cy="15" r="4" fill="${BRAND}"/><circle cx="31" cy="33" r="4" fill="${BRAND}"/><circle cx="16" cy="24" r="4" fill="${BRAND}"/>` + '<path d="M19.5 22 l8 -5 M19.5 26 l8 5"/>',
  invite: '<circle cx="19" cy="18" r="5"/><path d="M10 36 a9 9 0 0 1 18 0"/>' + `<circle cx="31" cy="20" r="4" stroke="${INK}" stroke-width="2.2"/><path d="M27 35 a7.5 7.5 0 0 1 12 -3" stroke="${INK}" stroke-width="2.2"/><path d="M36 12 v6 M33 15 h6"/>`,
};

export const ICONS = Object.fromEntries(Object.entries(BODIES).map(([name, body]) => [name, icon(body)]));

async function main() {
  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE } });
    for (const [name, svg] of Object.entries(ICONS)) {
      await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
      await page.locator('svg').screenshot({ path: path.join(OUT, `${name}.png`), omitBackground: true });
      process.stdout.write(`drew ${name}\n`);
    }
    // A contact sheet to look at (not shipped).
    await page.setViewportSize({ width: SIZE * 5 + 60, height: SIZE * 2 + 30 });
    await page.setContent(`<html><body style="margin:10px;background:#fff;display:flex;flex-wrap:wrap;gap:10px">${Object.values(ICONS).join('')}</body></html>`);
    await page.screenshot({ path: path.join(process.env.TMPDIR ?? '/tmp', 'jifen-icons.png') });
  } finally {
    await browser.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
