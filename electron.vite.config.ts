import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: { index: resolve('electron/main/index.ts') },
        // Native module: loaded from node_modules at run time, never bundled.
        external: ['better-sqlite3-multiple-ciphers'],
      },
    },
  },
  preload: {
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
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
    plugins: [react()],
  },
})
