/**
 * Shared Intl formatters. Building an Intl.DateTimeFormat costs far more than using one (it
 * resolves the locale and the time zone's data), and the board formats two or three times per
 * row on every render: the renderer profile showed 11.6 s in formatTime alone on a 1,000-row
 * day. Each formatter is built once per locale and options, then reused.
 */
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat | Intl.ListFormat>()

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat | Intl.ListFormat>(
  kind: string,
  locale: string,
  options: object,
  build: () => T,
): T {
  // Option objects are small literals; their JSON (undefined members dropped) names them well enough.
  const key = `${kind}|${locale}|${JSON.stringify(options)}`
  let format = cache.get(key) as T | undefined
  if (!format) {
    format = build()
    cache.set(key, format)
  }
  return format
}

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions = {}): Intl.DateTimeFormat {
  return cached('dt', locale, options, () => new Intl.DateTimeFormat(locale, options))
}

export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return cached('n', locale, options, () => new Intl.NumberFormat(locale, options))
}

export function relativeTimeFormat(locale: string, options: Intl.RelativeTimeFormatOptions = {}): Intl.RelativeTimeFormat {
  return cached('rt', locale, options, () => new Intl.RelativeTimeFormat(locale, options))
}

export function listFormat(locale: string, options: Intl.ListFormatOptions = {}): Intl.ListFormat {
  return cached('l', locale, options, () => new Intl.ListFormat(locale, options))
}
