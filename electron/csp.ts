/**
 * The renderer's Content Security Policy, sent by the Electron window and by the test host alike
 * (renderer/index.html repeats it in a meta tag, where frame-ancestors is ignored). Scripts only
 * from the app bundle; styles allow 'unsafe-inline' because Mantine writes its theme variables
 * into a runtime <style> tag. Nothing is ever loaded from the network.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * Development only (never packaged): the React refresh preamble that electron-vite's dev server
 * injects is an inline script. The built app never gets this relaxation.
 */
export const DEV_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
