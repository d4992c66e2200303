import {
  type CategoryQuestion,
  type Language,
  PRATO_BOUNDS,
  type PublicCategory,
  translate,
} from '@filo/core'
import './web-form.messages.ts'

/** Escapes text for HTML content and attribute values. */
export const esc = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  )

/** What the citizen typed, by field name (`attribute[code]` may hold several values). */
export type FormValues = Record<string, string | string[]>

/** One problem to show, by the field it is about, with its message already in the reader's language. */
export interface FormError {
  field: string
  message: string
}

export interface StreetLine {
  fromLat: number
  fromLon: number
  toLat: number
  toLon: number
}

const STYLE = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1a1a1a;background:#f6f7f9;line-height:1.5;font-size:1.05rem}
header{background:#0b4f8a;color:#fff;padding:1rem 1.25rem}
header p{margin:0;font-weight:600}
.skip{position:absolute;left:-10000px;top:0;background:#fff;color:#0b4f8a;padding:.5rem}
.skip:focus{left:1rem}
main{max-width:44rem;margin:1.5rem auto;padding:0 1.25rem}
h1{font-size:1.7rem;margin:0 0 .75rem}
h2{font-size:1.25rem;margin:0 0 .5rem}
fieldset,.panel{background:#fff;border:1px solid #8a9099;border-radius:.4rem;margin:0 0 1.25rem;padding:1rem 1.1rem}
legend{font-weight:700;font-size:1.15rem;padding:0 .3rem}
.field{margin:0 0 1rem}
label{display:block;font-weight:600;margin-bottom:.2rem}
.check label,.choice label{display:inline;font-weight:400}
.hint{color:#3d434a;font-size:.95rem;margin:.1rem 0 .35rem}
input[type=text],input[type=email],input[type=tel],input[type=number],input[type=datetime-local],select,textarea{width:100%;font:inherit;padding:.5rem;border:2px solid #5b6168;border-radius:.3rem;background:#fff;color:#1a1a1a}
textarea{min-height:8rem}
input:focus-visible,select:focus-visible,textarea:focus-visible,button:focus-visible,a:focus-visible,input[type=checkbox]:focus-visible{outline:3px solid #f5a300;outline-offset:2px}
.error-message{color:#a4000f;font-weight:600;margin:.1rem 0 .3rem}
[aria-invalid=true]{border-color:#a4000f!important}
.summary{border:3px solid #a4000f;background:#fff;padding:1rem;margin:0 0 1.25rem;border-radius:.4rem}
.summary a{color:#a4000f;font-weight:600}
button{font:inherit;font-weight:700;background:#0b4f8a;color:#fff;border:0;border-radius:.3rem;padding:.65rem 1.3rem;cursor:pointer}
button.secondary{background:#fff;color:#0b4f8a;border:2px solid #0b4f8a;padding:.4rem .9rem}
.coords{display:grid;grid-template-columns:1fr 1fr;gap:0 1rem}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
figure{margin:0 0 1rem}
svg.map{width:100%;max-width:26rem;height:auto;border:1px solid #5b6168;background:#eef3ea;cursor:crosshair;display:block}
.notice{background:#e3effa;border-left:.3rem solid #0b4f8a;padding:.6rem .8rem;margin:.5rem 0}
.number{font-size:1.6rem;font-weight:700;letter-spacing:.03em}
a{color:#0b4f8a}
details{margin:.5rem 0}
footer{max-width:44rem;margin:2rem auto;padding:0 1.25rem;color:#3d434a;font-size:.95rem}`

/** The page around every view of the form: header, main landmark, language switch. */
export function page(
  lang: Language,
  title: string,
  body: string,
  switchTo: string,
  withScript: boolean,
): string {
  const t = (code: string) => esc(translate(lang, code))
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">${t('webform.skip')}</a>
<header><p>${t('webform.site')}</p></header>
<main id="main" tabindex="-1">
${body}
</main>
<footer>
<p><a href="${esc(switchTo)}" lang="${lang === 'it' ? 'en' : 'it'}">${t('webform.other_language')}</a></p>
</footer>
${withScript ? '<script src="/segnala/segnala.js" defer></script>' : ''}
</body>
</html>`
}

const catName = (c: { nameIt: string; nameEn: string }, lang: Language) =>
  lang === 'en' ? c.nameEn : c.nameIt

/** The first step: choose the kind of problem (a GET form, so it works without JavaScript). */
export function categoryStep(lang: Language, categories: PublicCategory[], error: string | null): string {
  const t = (code: string) => esc(translate(lang, code))
  const roots = categories.filter((c) => c.parentId === null || !categories.some((p) => p.id === c.parentId))
  const options = roots
    .map((root) => {
      const children = categories.filter((c) => c.parentId === root.id)
      if (children.length === 0) return `<option value="${root.id}">${esc(catName(root, lang))}</option>`
      return `<optgroup label="${esc(catName(root, lang))}">${children
        .map((c) => `<option value="${c.id}">${esc(catName(c, lang))}</option>`)
        .join('')}</optgroup>`
    })
    .join('\n')
  const invalid = error ? ' aria-invalid="true" aria-describedby="e-category"' : ''
  return `<h1>${t('webform.title')}</h1>
<p>${t('webform.intro')}</p>
${error ? summary(lang, [{ field: 'category', message: error }]) : ''}
<form method="get" action="/segnala" novalidate>
<input type="hidden" name="lang" value="${lang}">
<fieldset>
<legend>${t('webform.step_category')}</legend>
<div class="field">
<label for="f-category">${t('webform.category')}</label>
${error ? `<p class="error-message" id="e-category">${esc(error)}</p>` : ''}
<select id="f-category" name="categoria" required${invalid}>
<option value="">${t('webform.category_choose')}</option>
${options}
</select>
</div>
<button type="submit">${t('webform.continue')}</button>
</fieldset>
</form>`
}

const FIELD_IDS: Record<string, string> = {
  category: 'f-category',
  description: 'f-description',
  address: 'f-address',
  latitude: 'f-latitude',
  longitude: 'f-longitude',
  photos: 'f-photos',
  firstName: 'f-first-name',
  lastName: 'f-last-name',
  email: 'f-email',
  phone: 'f-phone',
  fiscalCode: 'f-fiscal-code',
  privacy: 'f-privacy',
}

/** The id of the element an error about `field` points at. */
export function fieldId(field: string, questions: readonly CategoryQuestion[] = []): string {
  const attr = /^attribute\[(.+)\]$/.exec(field)
  if (attr) {
    const q = questions.find((x) => x.code === attr[1])
    return q?.datatype === 'multivaluelist' ? `q-${q.code}-0` : `q-${attr[1]}`
  }
  return FIELD_IDS[field] ?? 'f-description'
}

function summary(lang: Language, errors: FormError[], questions: readonly CategoryQuestion[] = []): string {
  const heading =
    errors.length === 1
      ? translate(lang, 'webform.errors_heading_one')
      : translate(lang, 'webform.errors_heading', { count: errors.length })
  return `<div class="summary" role="alert" aria-labelledby="summary-heading">
<h2 id="summary-heading">${esc(heading)}</h2>
<ul>${errors.map((e) => `<li><a href="#${fieldId(e.field, questions)}">${esc(e.message)}</a></li>`).join('')}</ul>
</div>`
}

/** Projects Prato's bounding box onto the map's viewBox (longitudes shrunk by cos(latitude)). */
export const MAP = { width: 437, height: 500 } as const
const toX = (lon: number) => ((lon - PRATO_BOUNDS.west) / (PRATO_BOUNDS.east - PRATO_BOUNDS.west)) * MAP.width
const toY = (lat: number) =>
  ((PRATO_BOUNDS.north - lat) / (PRATO_BOUNDS.north - PRATO_BOUNDS.south)) * MAP.height

function map(lang: Language, streets: StreetLine[]): string {
  const lines = streets
    .map(
      (s) =>
        `<line x1="${toX(s.fromLon).toFixed(1)}" y1="${toY(s.fromLat).toFixed(1)}" x2="${toX(s.toLon).toFixed(1)}" y2="${toY(s.toLat).toFixed(1)}"/>`,
    )
    .join('')
  // Shown by the script only: without JavaScript the coordinates are typed in the fields below.
  return `<figure id="map-figure" hidden>
<svg class="map" id="map" viewBox="0 0 ${MAP.width} ${MAP.height}" aria-hidden="true" focusable="false"
 data-south="${PRATO_BOUNDS.south}" data-north="${PRATO_BOUNDS.north}" data-west="${PRATO_BOUNDS.west}" data-east="${PRATO_BOUNDS.east}">
<rect x="0" y="0" width="${MAP.width}" height="${MAP.height}" fill="#eef3ea"/>
<g stroke="#6d7680" stroke-width="3" stroke-linecap="round">${lines}</g>
<circle id="map-marker" r="8" cx="-20" cy="-20" fill="#a4000f" stroke="#fff" stroke-width="2"/>
</svg>
<figcaption class="hint">${esc(translate(lang, 'webform.map_caption'))}</figcaption>
</figure>`
}

/** The form of one kind of problem, filled with what was typed and the errors found, if any. */
export function reportForm(opts: {
  lang: Language
  category: PublicCategory
  values: FormValues
  errors: FormError[]
  submissionId: string
  streets: StreetLine[]
}): string {
  const { lang, category, values, errors, submissionId } = opts
  const t = (code: string, params: Record<string, string | number> = {}) => esc(translate(lang, code, params))
  const value = (name: string): string => {
    const v = values[name]
    return esc(Array.isArray(v) ? (v[0] ?? '') : (v ?? ''))
  }
  const errorOf = (field: string) => errors.find((e) => e.field === field)
  /** aria-invalid and aria-describedby naming the error and the hint, and the error paragraph. */
  const describe = (field: string, id: string, hintId?: string) => {
    const e = errorOf(field)
    const ids = [e ? `e-${id}` : '', hintId ?? ''].filter(Boolean).join(' ')
    return {
      attrs: `${e ? ' aria-invalid="true"' : ''}${ids ? ` aria-describedby="${ids}"` : ''}`,
      message: e ? `<p class="error-message" id="e-${id}">${esc(e.message)}</p>` : '',
    }
  }
  const text = (
    field: string,
    name: string,
    id: string,
    labelCode: string,
    type: string,
    extra = '',
    hint?: string,
  ) => {
    const hintId = hint ? `h-${id}` : undefined
    const d = describe(field, id, hintId)
    return `<div class="field">
<label for="${id}">${t(labelCode)}</label>
${hint ? `<p class="hint" id="${hintId}">${t(hint)}</p>` : ''}${d.message}
<input type="${type}" id="${id}" name="${name}" value="${value(name)}"${extra}${d.attrs}>
</div>`
  }

  const questions = category.questions
  const questionFields = questions
    .map((q) => questionField(lang, q, values, errorOf(`attribute[${q.code}]`)))
    .join('\n')
  const descriptionD = describe('description', 'f-description', 'h-f-description')
  const photosD = describe('photos', 'f-photos', 'h-f-photos')
  const privacyD = describe('privacy', 'f-privacy')
  const checked = values.privacy ? ' checked' : ''

  return `<h1>${t('webform.title')}</h1>
<p>${t('webform.intro')}</p>
${errors.length ? summary(lang, errors, questions) : ''}
${errors.length ? `<p class="notice">${t('webform.photos_again')}</p>` : ''}
<form method="post" action="/segnala?lang=${lang}" enctype="multipart/form-data" novalidate id="report-form">
<input type="hidden" name="lang" value="${lang}">
<input type="hidden" name="category" value="${category.id}">
<input type="hidden" name="submission_id" value="${esc(submissionId)}">
<p><strong>${t('webform.category_chosen', { name: catName(category, lang) })}</strong> —
<a href="/segnala?lang=${lang}">${t('webform.category_change')}</a></p>
${questions.length ? `<fieldset>\n<legend>${t('webform.questions')}</legend>\n${questionFields}\n</fieldset>` : ''}
<div class="panel field">
<label for="f-description">${t('webform.description')}</label>
<p class="hint" id="h-f-description">${t('webform.description_hint')}</p>${descriptionD.message}
<textarea id="f-description" name="description" required maxlength="4000"${descriptionD.attrs}>${value('description')}</textarea>
</div>
<fieldset>
<legend>${t('webform.where')}</legend>
<p class="hint" id="h-where">${t('webform.where_hint')}</p>
${text('address', 'address', 'f-address', 'webform.address', 'text', ' autocomplete="street-address" list="address-list" maxlength="300"', 'webform.address_hint')}
<datalist id="address-list"></datalist>
<div id="address-status" class="hint" role="status" aria-live="polite"></div>
${map(lang, opts.streets)}
<p class="hint" id="h-f-coordinates">${t('webform.coordinates_hint')}</p>
<div class="coords">
${text('latitude', 'lat', 'f-latitude', 'webform.latitude', 'text', ' inputmode="decimal"', undefined)}
${text('longitude', 'lon', 'f-longitude', 'webform.longitude', 'text', ' inputmode="decimal"', undefined)}
</div>
</fieldset>
<fieldset>
<legend>${t('webform.photos')}</legend>
<div class="field">
<label for="f-photos">${t('webform.photos')}</label>
<p class="hint" id="h-f-photos">${t('webform.photos_hint')}</p>${photosD.message}
<input type="file" id="f-photos" name="photos" multiple accept="image/jpeg,image/png,image/webp"${photosD.attrs}>
<div id="photo-position" role="status" aria-live="polite"></div>
</div>
</fieldset>
<fieldset>
<legend>${t('webform.contact')}</legend>
<p class="hint">${t('webform.contact_hint')}</p>
${text('firstName', 'first_name', 'f-first-name', 'webform.first_name', 'text', ' autocomplete="given-name" maxlength="100"')}
${text('lastName', 'last_name', 'f-last-name', 'webform.last_name', 'text', ' autocomplete="family-name" maxlength="100"')}
${text('email', 'email', 'f-email', 'webform.email', 'email', ' autocomplete="email" maxlength="254"')}
${text('phone', 'phone', 'f-phone', 'webform.phone', 'tel', ' autocomplete="tel" maxlength="40"')}
${text('fiscalCode', 'fiscal_code', 'f-fiscal-code', 'webform.fiscal_code', 'text', ' autocapitalize="characters" maxlength="16"', 'webform.fiscal_code_hint')}
<div class="hp" aria-hidden="true">
<label for="f-website">${t('webform.honeypot')}</label>
<input type="text" id="f-website" name="website" tabindex="-1" autocomplete="off">
</div>
</fieldset>
<fieldset>
<legend>${t('webform.privacy_summary')}</legend>
<details><summary>${t('webform.privacy_summary')}</summary><p>${t('webform.privacy_text')}</p></details>
${privacyD.message}
<div class="check">
<input type="checkbox" id="f-privacy" name="privacy" value="yes" required${checked}${privacyD.attrs}>
<label for="f-privacy">${t('webform.privacy')}</label>
</div>
</fieldset>
<button type="submit">${t('webform.submit')}</button>
</form>`
}

function questionField(
  lang: Language,
  q: CategoryQuestion,
  values: FormValues,
  error: { message: string } | undefined,
): string {
  const name = `attribute[${q.code}]`
  const id = `q-${q.code}`
  const labelText = esc(`${lang === 'en' ? q.labelEn : q.labelIt}${q.required ? ' *' : ''}`)
  const given = values[name]
  const list = Array.isArray(given) ? given : given === undefined ? [] : [given]
  const v = esc(list[0] ?? '')
  const invalid = error ? ` aria-invalid="true" aria-describedby="e-${id}"` : ''
  const message = error ? `<p class="error-message" id="e-${id}">${esc(error.message)}</p>` : ''
  const required = q.required ? ' required' : ''
  const optionName = (o: { nameIt: string; nameEn: string }) => esc(lang === 'en' ? o.nameEn : o.nameIt)
  switch (q.datatype) {
    case 'multivaluelist':
      return `<fieldset class="choice"${error ? ` aria-describedby="e-${id}"` : ''}>
<legend>${labelText}</legend>${message}
${(q.values ?? [])
  .map(
    (o, i) =>
      `<div><input type="checkbox" id="${id}-${i}" name="${name}" value="${esc(o.key)}"${list.includes(o.key) ? ' checked' : ''}${error ? ' aria-invalid="true"' : ''}> <label for="${id}-${i}">${optionName(o)}</label></div>`,
  )
  .join('\n')}
</fieldset>`
    case 'singlevaluelist':
      return `<div class="field">
<label for="${id}">${labelText}</label>${message}
<select id="${id}" name="${name}"${required}${invalid}>
<option value="">${esc(translate(lang, 'webform.category_choose'))}</option>
${(q.values ?? []).map((o) => `<option value="${esc(o.key)}"${list.includes(o.key) ? ' selected' : ''}>${optionName(o)}</option>`).join('')}
</select>
</div>`
    case 'text':
      return `<div class="field">
<label for="${id}">${labelText}</label>${message}
<textarea id="${id}" name="${name}"${required} maxlength="2000"${invalid}>${v}</textarea>
</div>`
    default: {
      const type = q.datatype === 'datetime' ? 'datetime-local' : 'text'
      const extra =
        q.datatype === 'number' ? ' inputmode="decimal"' : q.datatype === 'string' ? ' maxlength="200"' : ''
      return `<div class="field">
<label for="${id}">${labelText}</label>${message}
<input type="${type}" id="${id}" name="${name}" value="${v}"${extra}${required}${invalid}>
</div>`
    }
  }
}

/** The answer page: the case number and the private link to its status page. */
export function donePage(opts: {
  lang: Language
  number: string
  statusUrl: string
  locatedBy: 'citizen' | 'gazetteer' | 'photo' | null
  photos: number
}): string {
  const { lang } = opts
  const t = (code: string, params: Record<string, string | number> = {}) => esc(translate(lang, code, params))
  return `<h1>${t('webform.done_heading')}</h1>
<p>${t('webform.done_number')}</p>
<p class="number" id="case-number">${esc(opts.number)}</p>
<p>${t('webform.done_keep')}</p>
<p>${t('webform.done_status')}<br><a id="status-link" href="${esc(opts.statusUrl)}">${t('webform.done_status_link', { number: opts.number })}</a></p>
${opts.locatedBy === 'photo' ? `<p class="notice">${t('webform.done_located_photo')}</p>` : ''}
${opts.locatedBy === 'gazetteer' ? `<p class="notice">${t('webform.done_located_gazetteer')}</p>` : ''}
${opts.photos ? `<p>${t('webform.done_photos')}</p>` : ''}
<p><a href="/segnala?lang=${lang}">${t('webform.done_again')}</a></p>`
}

/** A refusal (honeypot filled, too many reports): what happened and the way back. */
export function refusedPage(lang: Language, message: string): string {
  return `<h1>${esc(translate(lang, 'webform.refused_title'))}</h1>
<p role="alert">${esc(message)}</p>
<p><a href="/segnala?lang=${lang}">${esc(translate(lang, 'webform.back'))}</a></p>`
}
