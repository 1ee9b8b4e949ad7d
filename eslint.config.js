// Lint for the whole repository, and the rules that keep the rooms apart (ARCHITECTURE.md):
// db/ knows nothing of Electron; the renderer knows nothing of SQL, Node or the main process;
// electron/ipc stays free of Electron so the test host can reuse it; the preload stays tiny.
import { builtinModules } from 'node:module'
import js from '@eslint/js'
import { defineConfig, globalIgnores } from 'eslint/config'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** A relative import reaching into a folder with one of these names (any depth of ../). */
const intoFolder = (names) => `^\\.{1,2}/(?:.*/)?(?:${names})(?:/|$)`
/** A relative import of one of these modules, with or without its extension. */
const intoModule = (names) => `^\\.{1,2}/(?:.*/)?(?:${names})(?:\\.[cm]?[jt]sx?)?$`

// electron-updater too: it needs a running Electron, and main alone loads it (electron/updates takes it injected).
const ELECTRON_MODULE = {
  regex: '^electron(?:-updater)?(?:/|$)',
  message: 'Only electron/main and electron/preload may import Electron (and only main electron-updater).',
}

const NODE_BUILTINS = {
  // Every built-in, bare (`fs`, `fs/promises`) or with the `node:` scheme.
  regex: `^(?:node:.*|${builtinModules.map((name) => name.replace(/[/.]/g, '\\$&')).join('|')})$`,
  message: 'The renderer runs in a sandbox without Node: ask main through window.porchlight instead.',
}

const restrict = (...patterns) => ['error', { patterns }]

/** The same rules for `import('...')`, which no-restricted-imports does not see. */
const restrictDynamicImports = (regexes) => [
  'error',
  ...regexes.map((regex) => ({
    // esquery regexes: slashes inside are escaped as \/ by the caller.
    selector: `ImportExpression > Literal[value=/${regex}/]`,
    message: 'This room may not load that module, not even lazily.',
  })),
  { selector: "CallExpression[callee.name='require']", message: 'The renderer has no require(); use import.' },
]

export default defineConfig(
  globalIgnores(['out/', 'node_modules/', '.tools/', 'test-results/', 'playwright-report/', 'bench/data/', '.cache/']),

  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },

  // Where code runs decides its globals.
  {
    files: ['electron/**', 'db/**', 'bench/**', '*.config.{js,ts}', '.ci/**', 'build/**'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['test/**'],
    // Tests run in Node; the test host's bridge and page callbacks run in the browser.
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    // Tests never read the machine's clock: a suite that passes today and fails at New Year is
    // broken. Their time comes from test/clock.ts (or a clock the test moves by hand).
    files: ['test/**/*.{ts,tsx}'],
    ignores: ['test/clock.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Tests take their time from test/clock.ts, not the machine’s clock.' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Tests take their time from test/clock.ts, not the machine’s clock (performance.now() for durations).' },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    ...reactHooks.configs.flat['recommended-latest'],
  },

  // ----- Boundaries. One object per room: flat config replaces a rule's options, it does not merge them.
  {
    files: ['db/**/*.{ts,tsx,js}'],
    rules: {
      'no-restricted-imports': restrict(
        { ...ELECTRON_MODULE, message: 'db/ knows nothing of Electron: take what you need as an argument.' },
        {
          regex: intoFolder('electron|renderer'),
          message: 'db/ is the bottom layer: it may not import from electron/ or renderer/.',
        },
      ),
    },
  },
  {
    // The domain's pure lists and types: db/ and the renderer both import them, so they import
    // nothing but their own files (no Node, no SQL, no kysely, no packages, nothing else of db/).
    files: ['db/domain/**/*.{ts,tsx,js}'],
    rules: {
      'no-restricted-imports': restrict({
        regex: '^(?!\\./)',
        message: 'db/domain is pure: it may import only its own files, so the renderer can use it.',
      }),
    },
  },
  {
    // The shared message catalog: main and the renderer both import it, so it imports nothing
    // but its own files (no db/, no electron/, no Node, no packages).
    files: ['shared/**/*.{ts,tsx,js}'],
    rules: {
      'no-restricted-imports': restrict({
        regex: '^(?!\\./)',
        message: 'shared/ is pure: it may import only its own files, so both main and the renderer can use it.',
      }),
    },
  },
  {
    files: ['electron/ipc/**/*.{ts,tsx,js}', 'electron/updates/**/*.{ts,tsx,js}'],
    rules: {
      'no-restricted-imports': restrict(
        { ...ELECTRON_MODULE, message: 'electron/ipc and electron/updates must not import Electron or electron-updater: the test host and the unit tests run them under plain Node.' },
        { regex: intoFolder('main|preload|renderer'), message: 'electron/ipc may not depend on main, preload or renderer code.' },
      ),
    },
  },
  {
    files: ['electron/preload/**/*.{ts,tsx,js}'],
    rules: {
      'no-restricted-imports': restrict({
        // A sandboxed preload can require only 'electron'; anything else would have to be bundled in.
        regex: '^(?!(?:electron|\\.\\./ipc/channels|\\.\\./ipc/api|\\.\\./ipc/feed)$)',
        allowTypeImports: true,
        message: "The preload imports only 'electron', '../ipc/channels', '../ipc/api' and '../ipc/feed' (no zod, no Node).",
      }),
    },
  },
  {
    files: ['electron/main/**/*.{ts,tsx,js}'],
    rules: {
      'no-restricted-imports': restrict({ regex: intoFolder('renderer'), message: 'Main may not import renderer code.' }),
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx,js,jsx}'],
    rules: {
      'no-restricted-imports': restrict(
        { ...ELECTRON_MODULE, message: 'The renderer never imports Electron: use window.porchlight (src/bridge.ts).' },
        NODE_BUILTINS,
        {
          regex: '^(?:better-sqlite3(?:-multiple-ciphers)?|kysely)(?:/|$)',
          message: 'The renderer knows nothing of SQL: ask main through window.porchlight.',
        },
        {
          // db/domain alone (pure lists and types, no Node or SQL), and nothing reached through it with ../.
          regex: '^\\.{1,2}/(?:.*/)?db(?:$|/(?!domain(?:$|/(?!.*\\.\\.))))',
          message: 'The renderer may import from db/ only db/domain: its other types come through electron/ipc/contract.',
        },
        {
          regex: intoFolder('electron/(?:main|preload)'),
          message: 'The renderer may not import main or preload code.',
        },
        {
          // Types are fine (they vanish at build); values would drag zod, handlers and the database in.
          regex: intoModule('electron/ipc/(?:(?:contract|handlers)(?:/[\\w-]+)?|dispatch|core)'),
          allowTypeImports: true,
          message: 'The renderer may import only types from the IPC contract: use `import type`.',
        },
      ),
      'no-restricted-syntax': restrictDynamicImports([
        '^(?:node:|electron(?:\\/|$))',
        '(?:^|\\/)db(?:$|\\/(?!domain(?:$|\\/)))',
        '(?:^|\\/)electron\\/(?:main|preload|ipc\\/(?:contract|dispatch|handlers|core))(?:\\/|\\.ts)?',
        '^(?:better-sqlite3|kysely)',
      ]),
    },
  },
)
