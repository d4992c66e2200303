/**
 * Open311's two formats from one value: JSON as is, XML by the spec's own mapping
 * (the "Spark convention" read backwards): an array under `key` becomes <key> holding
 * one <item> per element, named as the spec names them; null becomes an empty element.
 */
export type Open311Value = string | number | boolean | null | Open311Value[] | { [key: string]: Open311Value }

/** What each list's elements are called in XML. */
const ITEM_NAMES: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
}

const escapeXml = (text: string): string =>
  text.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c] ?? c)

/** XML 1.0 cannot carry most control characters, whatever the escaping: they are dropped. */
function xmlText(text: string): string {
  let kept = ''
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff) continue
    kept += ch
  }
  return escapeXml(kept)
}

function element(name: string, value: Open311Value, indent: string): string {
  if (value === null || value === '') return `${indent}<${name}/>`
  if (Array.isArray(value)) {
    const item = ITEM_NAMES[name] ?? 'item'
    if (value.length === 0) return `${indent}<${name}/>`
    return `${indent}<${name}>\n${value.map((v) => element(item, v, `${indent}  `)).join('\n')}\n${indent}</${name}>`
  }
  if (typeof value === 'object') {
    const children = Object.entries(value).map(([k, v]) => element(k, v, `${indent}  `))
    return `${indent}<${name}>\n${children.join('\n')}\n${indent}</${name}>`
  }
  return `${indent}<${name}>${xmlText(String(value))}</${name}>`
}

/** The document in XML, with the declaration the spec requires; `root` names the top element. */
export function toXml(root: string, value: Open311Value): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value, '')}\n`
}

export const OPEN311_FORMATS = ['json', 'xml'] as const
export type Open311Format = (typeof OPEN311_FORMATS)[number]

export const CONTENT_TYPES: Record<Open311Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
}

/** The body of a response in the asked format. */
export const render = (format: Open311Format, root: string, value: Open311Value): string =>
  format === 'json' ? JSON.stringify(value) : toXml(root, value)
