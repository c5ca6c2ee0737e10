import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib'
import type { Compilation, Compiler } from 'webpack'

/**
 * How the H5 build is delivered (issue 14.7).
 * - One vendor chunk: every node_modules package (React, react-dom, zod, Taro) goes into `vendor`, loaded once
 *   with the app, instead of webpack's default that copied zod into every page chunk (~300 KB each).
 *   Our own code used by two or more pages (shared/ rules and schemas, services, components) goes to `common`.
 * - The first screen's page chunks (home, and login for a visitor who is not signed in) are preloaded from
 *   index.html, so they download alongside the vendor chunk instead of after the app has started.
 * - Every text asset over 1 KiB is precompressed as .br and .gz next to the file; the server sends them to
 *   browsers that accept them (server/src/h5-site.ts).
 * - src/index.html paints an app shell (brand bar, 正在加载…, the page frame) before any script, and starts the
 *   first screen's API calls itself (services/request.ts takes those answers); `JIFEN_H5_STATS=file` writes
 *   what each package adds to the initial chunks. Measured on 2026-12-02 (bench/h5-first-screen.ts): zod is
 *   145 KB of the vendor chunk's 595 KB minified (30 KB brotli, 36 KB gzip) — the next cut is to load the
 *   response schemas lazily, out of the first screen.
 */
export const FIRST_SCREEN_PAGES = ['pages/home/index', 'pages/login/index']

export const splitChunks = {
  chunks: 'all' as const,
  minSize: 0,
  cacheGroups: {
    default: false as const,
    defaultVendors: false as const,
    // qrcode-generator serves the member-code page alone: it stays in that page's chunk.
    vendor: { name: 'vendor', test: /[\\/]node_modules[\\/](?!qrcode-generator[\\/])/, chunks: 'all' as const, priority: 20, enforce: true },
    common: { name: 'common', minChunks: 2, chunks: 'all' as const, priority: 10, reuseExistingChunk: true, enforce: true },
  },
}

const COMPRESSIBLE = /\.(js|css|html|svg|json|txt)$/
const MIN_BYTES = 1024

export class H5DeliveryPlugin {
  apply(compiler: Compiler): void {
    const { Compilation: C, sources } = compiler.webpack
    compiler.hooks.thisCompilation.tap('H5DeliveryPlugin', (compilation: Compilation) => {
      // After html-webpack-plugin wrote index.html (OPTIMIZE_INLINE): add the preload links.
      compilation.hooks.processAssets.tap({ name: 'H5DeliveryPlugin', stage: C.PROCESS_ASSETS_STAGE_SUMMARIZE }, () => {
        const html = compilation.getAsset('index.html')
        if (!html) return
        const publicPath = String(compilation.outputOptions.publicPath ?? '/')
        const initial = new Set<string>()
        for (const ep of compilation.entrypoints.values()) for (const c of ep.chunks) for (const f of c.files) initial.add(f)
        const files = new Set<string>()
        for (const chunk of compilation.chunks) {
          // identifier(), not resource: a page module concatenated with its imports is named by all of them.
          const hasPage = [...compilation.chunkGraph.getChunkModulesIterable(chunk)].some((m) => {
            const id = m.identifier().replace(/\\/g, '/')
            return FIRST_SCREEN_PAGES.some((p) => new RegExp(`/src/${p}\\.[jt]sx?(\\||!|\\?|$)`).test(id))
          })
          if (!hasPage) continue
          for (const group of chunk.groupsIterable) for (const c of group.chunks) for (const f of c.files) if (!initial.has(f)) files.add(f)
        }
        const links = [...files]
          .sort()
          .map((f) => (f.endsWith('.css') ? `<link rel="preload" as="style" href="${publicPath}${f}">` : f.endsWith('.js') ? `<link rel="preload" as="script" href="${publicPath}${f}">` : ''))
          .join('')
        const text = html.source.source().toString().replace('</head>', `${links}</head>`)
        compilation.updateAsset('index.html', new sources.RawSource(text))
      })
      // JIFEN_H5_STATS=file: what each package puts into each initial chunk (module sizes before minification).
      if (process.env.JIFEN_H5_STATS) {
        compilation.hooks.afterSeal.tap('H5DeliveryPlugin', () => {
          const out: Record<string, Record<string, number>> = {}
          for (const chunk of compilation.chunks) {
            if (!chunk.name || !['vendor', 'common', 'app'].includes(chunk.name)) continue
            const by: Record<string, number> = {}
            const add = (m: { identifier(): string; size(): number; modules?: Iterable<{ identifier(): string; size(): number }> }) => {
              if (m.modules) for (const inner of m.modules) add(inner)
              else {
                const id = m.identifier().replace(/\\/g, '/')
                const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id.slice(id.lastIndexOf('!') + 1))
                const key = nm ? nm[1]! : /\/shared\/src\//.test(id) ? '@jifen/shared' : 'client/src'
                by[key] = (by[key] ?? 0) + m.size()
              }
            }
            for (const m of compilation.chunkGraph.getChunkModulesIterable(chunk)) add(m as never)
            out[chunk.name] = Object.fromEntries(Object.entries(by).sort((a, b) => b[1] - a[1]))
          }
          require('node:fs').writeFileSync(process.env.JIFEN_H5_STATS!, JSON.stringify(out, null, 2))
        })
      }
      // Last: precompress what will be written.
      compilation.hooks.processAssets.tap({ name: 'H5DeliveryPlugin', stage: C.PROCESS_ASSETS_STAGE_OPTIMIZE_TRANSFER }, (assets) => {
        for (const name of Object.keys(assets)) {
          if (!COMPRESSIBLE.test(name)) continue
          const buf = Buffer.from(compilation.getAsset(name)!.source.buffer())
          if (buf.length < MIN_BYTES) continue
          compilation.emitAsset(`${name}.gz`, new sources.RawSource(gzipSync(buf, { level: 9 })))
          compilation.emitAsset(
            `${name}.br`,
            new sources.RawSource(brotliCompressSync(buf, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: buf.length } })),
          )
        }
      })
    })
  }
}
