// `npm run build:server`: compiles the server and @jifen/shared to JavaScript in server/dist/ with esbuild.
// Each entry (the server and the operator CLIs) becomes one CommonJS file with the shared package's source
// compiled in; every other package stays an ordinary require() of node_modules, so `npm prune --omit=dev`
// leaves exactly what these files need. Types are checked by tsc (`npm run typecheck`), not here: esbuild
// only strips them, which is safe because the entities are EntitySchemas (no decorator metadata needed).
// The entries sit side by side in server/dist/ because config.ts finds the repository root as
// `path.resolve(__dirname, '../..')`, true for server/src/config.ts and for server/dist/<entry>.js alike.
import { build } from 'esbuild'
import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const serverDir = fileURLToPath(new URL('..', import.meta.url))
const outdir = path.join(serverDir, 'dist')
const entries = {
  main: 'src/main.ts',
  verify: 'src/cli/verify.ts',
  expire: 'src/cli/expire.ts',
  economics: 'src/cli/economics.ts',
  tiers: 'src/cli/tiers.ts',
  staff: 'src/cli/staff.ts',
}

const started = Date.now()
rmSync(outdir, { recursive: true, force: true })
await build({
  entryPoints: Object.entries(entries).map(([out, src]) => ({ in: path.join(serverDir, src), out })),
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [
    {
      // Bare imports are packages from node_modules (or node: built-ins): leave them to require() at run
      // time, except the workspace package @jifen/shared, whose TypeScript source is compiled in.
      name: 'node-modules-external',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => (args.path === '@jifen/shared' || args.path.startsWith('@jifen/shared/') ? undefined : { path: args.path, external: true }))
      },
    },
  ],
})
process.stdout.write(`server compiled to ${path.relative(process.cwd(), outdir) || outdir}/ (${Object.keys(entries).map((e) => `${e}.js`).join(', ')}) in ${Date.now() - started} ms\n`)
