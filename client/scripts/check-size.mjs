// After `taro build --type weapp`: prints the size of the main package and each subpackage and fails the build
// when WeChat would refuse the upload (main package over 1.5 MB here, leaving headroom; any package over 2 MB).
// The main package is everything in dist-weapp outside the subpackage roots declared in app.json.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const MAIN_BYTES_MAX = 1_572_864
const PACKAGE_BYTES_MAX = 2 * 1024 * 1024
const distDir = fileURLToPath(new URL('../dist-weapp/', import.meta.url))

function sizeOf(dir, skip = new Set()) {
  let bytes = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (skip.has(full)) continue
    bytes += entry.isDirectory() ? sizeOf(full, skip) : statSync(full).size
  }
  return bytes
}

const appJson = JSON.parse(readFileSync(path.join(distDir, 'app.json'), 'utf8'))
const roots = (appJson.subPackages ?? appJson.subpackages ?? []).map((p) => p.root.replace(/\/$/, ''))
const packages = [
  { name: 'main', bytes: sizeOf(distDir, new Set(roots.map((r) => path.join(distDir, r)))), max: MAIN_BYTES_MAX },
  ...roots.map((r) => ({ name: r, bytes: sizeOf(path.join(distDir, r)), max: PACKAGE_BYTES_MAX })),
]

let failed = false
for (const p of packages) {
  const over = p.bytes > Math.min(p.max, PACKAGE_BYTES_MAX)
  failed ||= over
  console.log(`${over ? 'TOO BIG' : 'ok     '} ${p.name.padEnd(12)} ${(p.bytes / 1024).toFixed(1).padStart(8)} KB (max ${p.max / 1024} KB)`)
}
const total = packages.reduce((sum, p) => sum + p.bytes, 0)
console.log(`        total        ${(total / 1024).toFixed(1).padStart(8)} KB`)
process.exit(failed ? 1 : 0)
