// Asks main for its phase (app.status) as soon as the page is parsed, while the app's modules are
// still being fetched, compiled and run (issue 11, cold start): the first screen then waits for
// the later of the two instead of one after the other. renderer/src/bridge.ts (takeEarlyStatus)
// takes the answer once. A deferred classic script: the preload (or the test host's bridge, also
// deferred and before it) has set window.porchlight; without one, the app itself says so.
// (globalThis is the window here; the lint knows no browser globals in this folder.)
'use strict'
{
  const early = globalThis.porchlight?.app?.status({})
  // Marked as handled here; the app reads the refusal itself when it takes the answer.
  early?.catch(() => undefined)
  globalThis.porchlightEarlyStatus = early

  // The screen's language's words, asked for now too: the app's own import() of them would go out
  // only once all its modules had run. The build writes the chunks' names on this tag
  // (electron.vite.config.ts); the app's import() then finds them loaded. The choice is the one
  // renderer/src/i18n/index.ts makes (initialLanguage): the desk's last, else the computer's.
  const words = JSON.parse(globalThis.document.currentScript?.dataset.words ?? 'null')
  if (words) {
    const stored = globalThis.localStorage.getItem('porchlight.language')
    const language = stored === 'en' || stored === 'es' ? stored : globalThis.navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en'
    // A failure is the app's to report, when it asks for the same files itself.
    for (const file of words[language] ?? []) import(new globalThis.URL(file, globalThis.document.baseURI).href).catch(() => undefined)
  }
}
