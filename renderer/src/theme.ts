import { createTheme, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core'

/** A calm deep blue; shade 7 on white passes WCAG AA for button text. */
const porch: MantineColorsTuple = [
  '#eaf2fb',
  '#d3e2f4',
  '#a6c3e8',
  '#76a2dc',
  '#4f86d2',
  '#3674cc',
  '#286aca',
  '#1b57a8',
  '#124c97',
  '#004186',
]

export const theme = createTheme({
  primaryColor: 'porch',
  primaryShade: 7,
  colors: { porch },
  // Bundled with the OS, nothing fetched: the CSP forbids remote fonts anyway.
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, "Cascadia Mono", "Segoe UI Mono", "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace',
  headings: { fontWeight: '650' },
  defaultRadius: 'md',
  // Always show the focus ring for keyboard users; the desk works mostly from the keyboard.
  focusRing: 'auto',
  cursorType: 'pointer',
  components: {
    // md = 42px: every button and field at least 40px high, easy to hit.
    Button: { defaultProps: { size: 'md' } },
    TextInput: { defaultProps: { size: 'md' } },
    PasswordInput: { defaultProps: { size: 'md' } },
    NumberInput: { defaultProps: { size: 'md' } },
    Checkbox: { defaultProps: { size: 'md' } },
    Select: { defaultProps: { size: 'md' } },
    Autocomplete: { defaultProps: { size: 'md' } },
    Textarea: { defaultProps: { size: 'md' } },
    Tabs: { defaultProps: { fz: 'md' } },
    // Mantine's focus placeholder is a tabindex'd role=presentation child of role=menu, which axe
    // reports as critical (aria-required-children). Arrow keys still move into the items without it.
    Menu: { defaultProps: { withInitialFocusPlaceholder: false } },
  },
})

/**
 * Mantine's "dimmed" grey and error red are about 3.3:1 on white; secondary text and error
 * messages at the desk must still pass WCAG AA (4.5:1). Its green 9 (4.4:1 on white, 3.8:1 in a
 * light badge) and light red text are darkened for the same reason (found by axe in test/e2e/a11y.spec.ts
 * and, on the demo center's real-looking data, in test/e2e/a11y-demo.spec.ts).
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': '#5c636a',
    '--mantine-color-error': '#c92a2a',
    '--mantine-color-green-9': '#237032',
    '--mantine-color-green-light-color': '#237032',
    '--mantine-color-red-light-color': '#b02525',
    // Red 8 (overdue dates) is 4.3:1 on a striped row's grey; this is 5.2:1.
    '--mantine-color-red-8': '#c92a2a',
    // Light badges put shade 9 on shade 1: orange (3.6:1), yellow (2.7:1), teal and lime fall
    // short of 4.5:1 at badge size; these darker inks pass on the tint, on white and on stripes.
    '--mantine-color-orange-light-color': '#a63d0b',
    '--mantine-color-yellow-light-color': '#7a5b00',
    '--mantine-color-teal-light-color': '#0b6e5a',
    '--mantine-color-lime-light-color': '#4a6b0c',
    // White on Mantine's red 6 is 3.3:1; on red 9 it is 5.5:1.
    '--mantine-color-red-filled': '#c92a2a',
    '--mantine-color-red-filled-hover': '#b02525',
  },
  dark: {},
})
