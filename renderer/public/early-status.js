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
}
