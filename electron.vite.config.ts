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

/**
 * Each language's words are chunks of their own, read when the language is used
 * (renderer/src/i18n). The app's own import() of the first language would only go out once every
 * module has run; public/early-status.js asks for it while they load, from the names written
 * here on its script tag (data-words: language -> the built chunks' files).
 */
const languageChunks: Plugin = {
  name: 'porchlight-language-chunks',
  apply: 'build',
  transformIndexHtml: {
    order: 'post',
    handler(html, ctx) {
      const words: Record<string, string[]> = {}
      for (const chunk of Object.values(ctx.bundle ?? {})) {
        const id = chunk.type === 'chunk' && chunk.isDynamicEntry ? (chunk.facadeModuleId ?? '') : ''
        const language = /[\\/](?:renderer[\\/]src[\\/]i18n[\\/](en|es)\.json|shared[\\/]messages[\\/](en|es)\.ts)$/.exec(id)
        if (language) (words[language[1] ?? language[2]!] ??= []).push(`./${chunk.fileName}`)
      }
      const tag = /<script defer src="([^"]*early-status\.js)">/
      if (Object.keys(words).length !== 2 || !tag.test(html)) throw new Error('porchlight-language-chunks: no language chunks or no early-status.js tag in index.html')
      return html.replace(tag, (_whole, src: string) => `<script defer src="${src}" data-words="${JSON.stringify(words).replaceAll('"', '&quot;')}">`)
    },
  },
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
      rollupOptions: {
        input: { index: resolve('renderer/index.html') },
        // Every module the sign-in form's first render needs, in one chunk besides the entry:
        // rolldown's own splitting cut them into 16 files, which the page asks for over a few
        // rounds of six connections before any of them runs (issue 11, cold start). The lazily
        // read screens still share what they share in chunks of their own.
        output: { codeSplitting: { groups: [{ name: 'first', tags: ['$initial'] }] } },
      },
    },
    plugins: [react(), devOnlyInlineScripts, languageChunks, recordShippedPackages(resolve('.'), 'renderer')],
  },
})
