import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import { recordShippedPackages } from './build/shipped-packages'

/**
 * The dev server's React refresh preamble is an inline script, which the page's strict CSP
 * refuses. Relax script-src in the meta tag while serving only; builds keep the strict policy.
 */
const devOnlyInlineScripts: Plugin = {
  name: 'porchlight-dev-csp',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
}

export default defineConfig({
  main: {
    plugins: [recordShippedPackages(resolve('.'), 'main')],
    build: {
      rollupOptions: {
        input: { index: resolve('electron/main/index.ts') },
        // Native module: loaded from node_modules at run time, never bundled.
        external: ['better-sqlite3-multiple-ciphers'],
      },
    },
  },
  preload: {
    plugins: [recordShippedPackages(resolve('.'), 'preload')],
    build: {
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        // A sandboxed preload may require only 'electron': one CommonJS file, everything inlined.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    build: {
      minify: true,
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
    plugins: [react(), devOnlyInlineScripts, recordShippedPackages(resolve('.'), 'renderer')],
  },
})
