// Writes the weapp tab bar icons (81x81 RGBA PNG, grey and brand) to src/assets/tab/. No dependencies:
// each icon is a coverage function over an 81-unit square, sampled 4x4 per pixel for anti-aliasing.
// Run: node scripts/make-icons.mjs
import { deflateSync } from 'node:zlib'
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const SIZE = 81
const COLORS = { '': [0x8a, 0x85, 0x80], '-active': [0xe8, 0x54, 0x1e] }
const outDir = fileURLToPath(new URL('../src/assets/tab/', import.meta.url))

const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r
const ellipse = (cx, cy, rx, ry) => (x, y) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1
const union = (...fs) => (x, y) => fs.some((f) => f(x, y))
const minus = (a, b) => (x, y) => a(x, y) && !b(x, y)
const frame = (x0, y0, x1, y1, w) => minus(rect(x0, y0, x1, y1), rect(x0 + w, y0 + w, x1 - w, y1 - w))
// Roof: the band between two nested triangles with apex (40.5, 10).
const roof = (x, y) => {
  const d = Math.abs(x - 40.5)
  return y >= 10 + d * 0.85 && y <= 20 + d * 0.85 && d <= 34
}

const ICONS = {
  home: union(roof, minus(frame(18, 36, 63, 70, 6), rect(24, 30, 57, 42)), rect(34, 50, 47, 70)),
  shelf: union(frame(16, 34, 65, 70, 6), rect(12, 24, 69, 36), rect(37.5, 24, 43.5, 70), circle(33, 18, 6), circle(48, 18, 6)),
  ledger: union(frame(16, 10, 65, 71, 6), rect(26, 26, 55, 31), rect(26, 38, 55, 43), rect(26, 50, 45, 55)),
  profile: union(circle(40.5, 26, 14), minus(ellipse(40.5, 72, 28, 26), rect(0, 70, 81, 81))),
}

function png(cover, [r, g, b]) {
  const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE)
  for (let py = 0; py < SIZE; py++) {
    const row = py * (SIZE * 4 + 1) // each row starts with filter byte 0
    for (let px = 0; px < SIZE; px++) {
      let hits = 0
      for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (cover(px + (sx + 0.5) / 4, py + (sy + 0.5) / 4)) hits++
      raw.set([r, g, b, Math.round((hits / 16) * 255)], row + 1 + px * 4)
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(SIZE, 0)
  ihdr.writeUInt32BE(SIZE, 4)
  ihdr.set([8, 6, 0, 0, 0], 8) // 8-bit RGBA, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))])
}

function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

function crc32(buf) {
  let c = ~0
  for (const byte of buf) {
    c ^= byte
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1))
  }
  return ~c >>> 0
}

mkdirSync(outDir, { recursive: true })
for (const [name, cover] of Object.entries(ICONS)) {
  for (const [suffix, color] of Object.entries(COLORS)) writeFileSync(`${outDir}${name}${suffix}.png`, png(cover, color))
}
console.log(`wrote ${Object.keys(ICONS).length * 2} icons to ${outDir}`)
