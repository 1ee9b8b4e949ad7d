// Every Mantine component's styles, for the screens read after the first ones (issue 11, cold
// start): main.tsx loads only what the loading, error, unlock and sign-in screens draw. Imported by
// each lazily read screen, so Vite's loader puts this sheet in before the screen's code resolves
// (no unstyled flash). In the 'mantine' cascade layer, as main.tsx's part is: the whole sheet
// repeating that part changes nothing, and the app's own unlayered styles.css still wins.
import '@mantine/core/styles.layer.css'
