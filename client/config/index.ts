import path from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import { resolveApiBase } from './api-base'
import { H5DeliveryPlugin, splitChunks } from './h5-delivery'

const clientRoot = path.resolve(__dirname, '..')
const repoRoot = path.resolve(clientRoot, '..')

// Taro only runs babel over src/ and @tarojs packages. @jifen/shared is TypeScript source (resolved through the
// workspace symlink to its real path ../shared), and zod ships ES2020+ syntax, so both are compiled here to the
// client's browserslist targets for weapp and h5 alike.
const compile = {
  include: [
    path.join(repoRoot, 'shared', 'src'),
    (filename: string) => /node_modules[\\/](@jifen[\\/]shared|zod)[\\/]/.test(filename),
  ],
}

export default defineConfig<'webpack5'>(() => {
  const isH5 = process.env.TARO_ENV === 'h5'
  // JIFEN_API_BASE (and JIFEN_RELEASE=1 for 体验版/正式版, which refuses localhost and http): see api-base.ts
  let apiBase: string
  try {
    apiBase = resolveApiBase({ platform: isH5 ? 'h5' : 'weapp', value: process.env.JIFEN_API_BASE, release: process.env.JIFEN_RELEASE === '1' })
  } catch (e) {
    // Stop with the message alone: a thrown error would also make Taro claim config/index is missing.
    process.stderr.write(`\n✖ ${(e as Error).message}\n\n`)
    process.exit(1)
  }
  const config: UserConfigExport<'webpack5'> = {
    projectName: 'jifen',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    // weapp -> client/dist-weapp (project.config.json's miniprogramRoot); h5 -> client/dist/h5 (served at / by the server)
    outputRoot: isH5 ? 'dist/h5' : 'dist-weapp',
    framework: 'react',
    // Taro's Vite runner was measured for H5 on 2026-12-02 (a throwaway clone, @tarojs/vite-runner 4.2.0, the
    // newest published, beside Taro 4.2.1; vite 4.5; @vitejs/plugin-react 4): the same CPU time as webpack
    // (45.6 s vs 41.4 s user+sys), 99-138 s wall vs 142-168 s on a 2-core machine under load ~15; the page
    // rendered. Not adopted: no runner for Taro 4.2.1 (a second @tarojs/runtime 4.2.0 is installed beside it),
    // and h5-delivery.ts (vendor chunk, preloads, .br/.gz) would need porting to Rollup for a gain that is
    // mostly scheduling under contention, not work saved.
    compiler: 'webpack5',
    // H5 is served by the API server, so it calls the same origin; weapp needs an absolute base (WeChat DevTools:
    // tick "不校验合法域名" for http://localhost). Override with JIFEN_API_BASE=https://... at build time.
    defineConstants: {
      API_BASE: JSON.stringify(apiBase),
    },
    cache: { enable: false },
    mini: {
      compile,
      postcss: { pxtransform: { enable: true, config: {} } },
    },
    h5: {
      compile,
      publicPath: '/',
      staticDirectory: 'static',
      // hash routing: the server serves index.html at / and needs no history fallback
      router: { mode: 'hash' },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: { autoprefixer: { enable: true, config: {} } },
      // Taro runtime + React alone is ~320 KiB, over webpack's 244 KiB default hint; warn only past a real budget.
      // One vendor chunk for every page, first-screen chunks preloaded, .br/.gz written (h5-delivery.ts).
      webpackChain(chain) {
        chain.performance.maxEntrypointSize(1024 * 1024).maxAssetSize(1024 * 1024)
        chain.optimization.splitChunks(splitChunks)
        chain.plugin('h5-delivery').use(H5DeliveryPlugin)
      },
    },
  }
  return config
})
