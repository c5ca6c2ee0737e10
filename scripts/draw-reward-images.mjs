/**
 * Draws the demo rewards' pictures: one flat SVG illustration per reward (below, by hand), rendered to a
 * 480×480 PNG by the Chromium the browser tests already use (playwright-core; no image library). The SVGs
 * and PNGs are committed to server/assets/rewards; the demo seed stores the PNGs as uploads, so nothing is
 * fetched at run time. Run again after changing a drawing: `node scripts/draw-reward-images.mjs`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../server/assets/rewards');
const SIZE = 480;

/** A rounded backdrop with a soft light, shared by every picture. */
const frame = (bg, glow, body) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 240 240">` +
  `<defs><radialGradient id="g" cx="30%" cy="25%" r="80%"><stop offset="0" stop-color="${glow}"/><stop offset="1" stop-color="${bg}"/></radialGradient></defs>` +
  `<rect width="240" height="240" fill="url(#g)"/>` +
  `<ellipse cx="120" cy="204" rx="78" ry="10" fill="#000" opacity="0.10"/>${body}</svg>`;

const steam = (x, y, c = '#fff') =>
  [0, 16, 32]
    .map((dx) => `<path d="M${x + dx} ${y} q-8 -10 0 -20 q8 -10 0 -20" fill="none" stroke="${c}" stroke-width="4" stroke-linecap="round" opacity="0.7"/>`)
    .join('');

const cup = (body, sleeve, lid) =>
  `<path d="M74 74 L166 74 L154 200 L86 200 Z" fill="${body}"/>` +
  `<path d="M79 112 L161 112 L156 160 L84 160 Z" fill="${sleeve}"/>` +
  `<rect x="66" y="60" width="108" height="18" rx="6" fill="${lid}"/><rect x="80" y="50" width="80" height="14" rx="5" fill="${lid}"/>`;

export const DRAWINGS = {
  americano: frame('#6B3E26', '#A8693F', steam(100, 44) + cup('#FFFFFF', '#C98B4F', '#3B2416') + '<circle cx="120" cy="136" r="12" fill="#fff"/><path d="M114 136 q6 -10 12 0 q-6 10 -12 0" fill="#6B3E26"/>'),
  latte: frame('#C9A27E', '#F1DCC3', steam(100, 44, '#8A5A3B') +
    '<path d="M62 96 h116 l-10 96 a12 12 0 0 1 -12 10 h-72 a12 12 0 0 1 -12 -10 Z" fill="#FFFFFF"/>' +
    '<path d="M178 112 a22 22 0 0 1 0 44" fill="none" stroke="#FFFFFF" stroke-width="10"/>' +
    '<ellipse cx="120" cy="98" rx="56" ry="10" fill="#B9814F"/>' +
    '<path d="M120 92 c-10 -6 -18 2 -10 8 l10 6 l10 -6 c8 -6 0 -14 -10 -8" fill="#F6E7D3"/>'),
  croissant: frame('#F2B75B', '#FFE3A8',
    '<path d="M40 150 C50 90 190 90 200 150 C180 160 170 140 160 150 C150 170 90 170 80 150 C70 140 60 160 40 150 Z" fill="#D98A2B"/>' +
    '<path d="M70 118 C90 100 150 100 170 118" fill="none" stroke="#B86A1B" stroke-width="6" stroke-linecap="round"/>' +
    '<path d="M92 108 L100 156 M120 102 L120 162 M148 108 L140 156" stroke="#B86A1B" stroke-width="6" stroke-linecap="round"/>'),
  syrup: frame('#E8C35C', '#FFF1C2',
    '<rect x="96" y="40" width="48" height="26" rx="6" fill="#4A3324"/><rect x="104" y="28" width="32" height="16" rx="4" fill="#2E1F15"/>' +
    '<path d="M96 66 h48 l14 30 v96 a10 10 0 0 1 -10 10 h-56 a10 10 0 0 1 -10 -10 v-96 Z" fill="#C77A2A" opacity="0.92"/>' +
    '<rect x="90" y="112" width="60" height="52" rx="8" fill="#FFF8E6"/><path d="M120 124 c-12 14 -6 30 0 30 c6 0 12 -16 0 -30" fill="#6E8B3D"/>'),
  voucher: frame('#D9483B', '#FF8A6B',
    '<path d="M40 80 h160 v26 a14 14 0 0 0 0 28 v26 h-160 v-26 a14 14 0 0 0 0 -28 Z" fill="#FFF4E8"/>' +
    '<line x1="150" y1="84" x2="150" y2="156" stroke="#D9483B" stroke-width="3" stroke-dasharray="6 6"/>' +
    '<text x="94" y="134" font-size="44" font-weight="700" text-anchor="middle" fill="#D9483B" font-family="sans-serif">¥10</text>' +
    '<circle cx="176" cy="120" r="12" fill="#F2B75B"/>'),
  tote: frame('#7FA7A0', '#CDE5DF',
    '<path d="M92 92 v-22 a28 28 0 0 1 56 0 v22" fill="none" stroke="#E9DFC8" stroke-width="9"/>' +
    '<path d="M62 90 h116 l8 112 h-132 Z" fill="#F3EBD8"/><rect x="96" y="128" width="48" height="36" rx="4" fill="#2F5D57"/>' +
    '<circle cx="120" cy="146" r="9" fill="#F3EBD8"/>'),
  tumbler: frame('#3E5C8A', '#7FA3D6',
    '<rect x="86" y="40" width="68" height="22" rx="8" fill="#1F2E45"/><path d="M84 62 h72 l-8 138 h-56 Z" fill="#DDE6F2"/>' +
    '<path d="M88 100 h64 l-2 34 h-60 Z" fill="#3E5C8A"/><rect x="110" y="30" width="20" height="14" rx="4" fill="#1F2E45"/>'),
  dessert: frame('#D98BA6', '#FBD3E0',
    '<path d="M56 150 l64 -60 l64 60 Z" fill="#FFF3E6"/><path d="M56 150 h128 v40 h-128 Z" fill="#F8E1C4"/>' +
    '<path d="M56 166 h128" stroke="#E88FB0" stroke-width="8"/><circle cx="120" cy="82" r="12" fill="#D7263D"/>' +
    '<path d="M120 70 q6 -12 14 -10" stroke="#3F7D3A" stroke-width="3" fill="none"/>'),
  teaset: frame('#B08D4F', '#F0DDAE',
    '<ellipse cx="110" cy="120" rx="52" ry="46" fill="#FFFFFF"/><rect x="94" y="66" width="32" height="10" rx="5" fill="#C9A45C"/>' +
    '<path d="M158 112 q26 -8 30 -30" stroke="#FFFFFF" stroke-width="10" fill="none" stroke-linecap="round"/>' +
    '<path d="M60 110 a20 20 0 1 0 4 30" stroke="#FFFFFF" stroke-width="8" fill="none"/>' +
    '<path d="M74 120 h72" stroke="#C9A45C" stroke-width="5"/>' +
    '<path d="M148 170 h50 l-6 24 h-38 Z" fill="#FFFFFF"/><ellipse cx="173" cy="196" rx="32" ry="5" fill="#C9A45C"/>'),
  beans: frame('#5B3A29', '#8C5E45',
    '<path d="M70 56 h100 l8 140 h-116 Z" fill="#E6D3B3"/><path d="M70 56 l10 -14 h80 l10 14 Z" fill="#CDB58D"/>' +
    '<rect x="88" y="104" width="64" height="50" rx="6" fill="#5B3A29"/>' +
    '<ellipse cx="120" cy="129" rx="12" ry="17" fill="#A8693F" transform="rotate(20 120 129)"/><path d="M114 118 q10 11 0 22" stroke="#5B3A29" stroke-width="3" fill="none" transform="rotate(20 120 129)"/>'),
  upsize: frame('#3A8F6B', '#8FD3B5',
    '<path d="M60 120 h56 l-6 76 h-44 Z" fill="#FFFFFF" opacity="0.75"/><path d="M128 84 h64 l-8 112 h-48 Z" fill="#FFFFFF"/>' +
    '<path d="M160 40 l22 26 h-14 v18 h-16 v-18 h-14 Z" fill="#FFE27A"/>'),
  badge: frame('#8E4FC2', '#C9A3EA',
    '<path d="M96 40 l24 40 l24 -40 h20 l-30 52 h-28 l-30 -52 Z" fill="#D7263D"/>' +
    '<circle cx="120" cy="138" r="52" fill="#F2C14E"/><circle cx="120" cy="138" r="40" fill="#E0A526"/>' +
    '<path d="M120 110 l9 18 l20 3 l-14 14 l3 20 l-18 -9 l-18 9 l3 -20 l-14 -14 l20 -3 Z" fill="#FFF1B8"/>'),
  cake: frame('#C8355E', '#F59AB5',
    '<rect x="58" y="130" width="124" height="66" rx="8" fill="#FFF3E6"/><rect x="72" y="94" width="96" height="40" rx="8" fill="#FFE1EA"/>' +
    '<path d="M58 150 q15 12 31 0 q15 12 31 0 q15 12 31 0 q15 12 31 0" stroke="#E88FB0" stroke-width="8" fill="none"/>' +
    [96, 120, 144].map((x) => `<rect x="${x - 3}" y="66" width="6" height="28" rx="2" fill="#7FA3D6"/><path d="M${x} 52 q6 8 0 14 q-6 -6 0 -14" fill="#F2B75B"/>`).join('')),
};

async function main() {
  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE } });
    for (const [name, svg] of Object.entries(DRAWINGS)) {
      writeFileSync(path.join(OUT, `${name}.svg`), `${svg}\n`);
      await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
      await page.locator('svg').screenshot({ path: path.join(OUT, `${name}.png`) });
      process.stdout.write(`drew ${name}\n`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
