import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { statusPageUrl } from '@filo/core'
import exifr from 'exifr'
import { sql } from 'kysely'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { deleteRedisPrefix } from '../../core/test/fixtures.ts'
import { WEB_FORM_POSTS_PER_WINDOW } from '../src/public/web-form.routes.ts'
import { createTestApp, type TestApp } from './helpers.ts'
import { createPublicCategories, jpegWithGps } from './public-fixtures.ts'

/**
 * The public web form at /segnala in Debian's Chromium, with JavaScript and without:
 * the happy path, every validation error, axe-core with no violations on every page,
 * a photo's EXIF position proposed and then stripped from what is stored; and, through
 * inject, the honeypot, the rate limit, the limits on uploads and double submissions.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
/** Where the test photo says it was taken: Piazza del Comune. */
const PHOTO_AT = { latitude: 43.8807, longitude: 11.0973 }

let t: TestApp
let cats: Awaited<ReturnType<typeof createPublicCategories>>
let browser: Browser
let base: string
let photo: Buffer

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`)
  t = await createTestApp()
  cats = await createPublicCategories(t.deps.db)
  await t.app.listen({ host: '127.0.0.1', port: 0 })
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`
  photo = await jpegWithGps(PHOTO_AT.latitude, PHOTO_AT.longitude)
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await t?.close()
})

// Every test starts with a clean per-address count: the browser posts from 127.0.0.1 many times.
beforeEach(async () => {
  await deleteRedisPrefix(t.deps.redis, `${t.deps.config.queuePrefix}:webform`)
})

/** axe-core's WCAG 2.1 A and AA rules on the page as it is now: the ids of the violations, with their targets. */
async function violations(page: Page): Promise<string[]> {
  let target = page
  let context: Awaited<ReturnType<Browser['newContext']>> | null = null
  if (!scripted.has(page)) {
    // Without JavaScript axe cannot run in the page itself: it audits the same HTML in a page that can.
    context = await browser.newContext({ javaScriptEnabled: true })
    target = await context.newPage()
    await target.setContent(await page.content())
  }
  try {
    // Evaluated through the DevTools protocol, which the page's CSP (no inline scripts) does not govern.
    await target.evaluate(AXE)
    return await target.evaluate(async () => {
      type Result = { violations: { id: string; nodes: { target: string[] }[] }[] }
      const axe = (globalThis as unknown as { axe: { run(o: object): Promise<Result> } }).axe
      const result = await axe.run({
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      })
      return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
    })
  } finally {
    await context?.close()
  }
}

/** Pages whose own scripts run (axe is injected into them directly). */
const scripted = new WeakSet<Page>()

async function newPage(javaScriptEnabled: boolean): Promise<Page> {
  // The page's own CSP applies: the script must work under it.
  const context = await browser.newContext({ javaScriptEnabled, locale: 'it-IT' })
  const page = await context.newPage()
  if (javaScriptEnabled) scripted.add(page)
  return page
}

const errorTexts = async (page: Page) =>
  (await page.locator('.summary li').allTextContents()).map((s) => s.trim())

/** Chooses the pothole in step one and continues to the form. */
async function openPotholeForm(page: Page, lang: 'it' | 'en' = 'it') {
  await page.goto(`${base}/segnala?lang=${lang}`)
  expect(await violations(page)).toEqual([])
  await page.selectOption('#f-category', String(cats.pothole.id))
  await page.click('button[type=submit]')
  await page.waitForSelector('#report-form')
}

async function caseByNumber(number: string) {
  return t.deps.db.selectFrom('cases').selectAll().where('number', '=', number).executeTakeFirstOrThrow()
}

for (const js of [false, true]) {
  describe(js ? 'with JavaScript' : 'without JavaScript', () => {
    it('step one: choosing nothing says so, accessibly', { timeout: 60_000 }, async () => {
      const page = await newPage(js)
      await page.goto(`${base}/segnala`)
      await page.click('button[type=submit]')
      await page.waitForSelector('.summary')
      expect(await errorTexts(page)).toEqual(['Scegli il tipo di problema.'])
      expect(await page.getAttribute('#f-category', 'aria-invalid')).toBe('true')
      expect(await page.title()).toMatch(/^Errore: /)
      expect(await violations(page)).toEqual([])
      await page.context().close()
    })

    it('every validation error is shown by its field, with the values kept, and the page stays accessible', {
      timeout: 60_000,
    }, async () => {
      const page = await newPage(js)
      await openPotholeForm(page)
      expect(await violations(page)).toEqual([])

      // Nothing filled in.
      await page.click('#report-form button[type=submit]')
      await page.waitForSelector('.summary')
      expect(await errorTexts(page)).toEqual([
        'Rispondi alla domanda «Quanto è grande la buca?».',
        'Descrivi il problema.',
        'Indica dove si trova il problema: un indirizzo oppure un punto sulla mappa.',
        'Lascia un indirizzo email o un numero di telefono, per ricevere aggiornamenti.',
        'Per inviare la segnalazione devi accettare l’informativa sulla privacy.',
      ])
      expect(await page.getAttribute('#q-dimensione', 'aria-invalid')).toBe('true')
      expect(await page.getAttribute('#f-description', 'aria-describedby')).toContain('e-f-description')
      expect(await violations(page)).toEqual([])

      // Everything wrong in its own way.
      await page.fill('#q-profondita_cm', 'tanta')
      await page.fill('#f-description', 'Buca')
      await page.fill('#f-latitude', '45.4642')
      await page.fill('#f-longitude', '9.19')
      await page.fill('#f-email', 'non-una-email')
      await page.fill('#f-phone', '12')
      await page.fill('#f-fiscal-code', 'RSSMRA80A01G999X')
      await page.setInputFiles('#f-photos', {
        name: 'nota.txt',
        mimeType: 'image/jpeg',
        buffer: Buffer.from('non sono una foto'),
      })
      await page.click('#report-form button[type=submit]')
      await page.waitForSelector('.summary')
      expect(await errorTexts(page)).toEqual([
        'Rispondi alla domanda «Quanto è grande la buca?».',
        'La risposta a «Profondità in centimetri» deve essere un numero.',
        'Descrivi il problema con almeno 10 caratteri.',
        'Il punto indicato è fuori dal territorio del Comune di Prato.',
        'Il file «nota.txt» non è una foto JPEG, PNG o WebP.',
        'L’indirizzo email non è valido.',
        'Il numero di telefono non è valido.',
        'Il codice fiscale non è valido: il carattere di controllo non corrisponde.',
        'Per inviare la segnalazione devi accettare l’informativa sulla privacy.',
      ])
      // What was typed is still there.
      expect(await page.inputValue('#f-description')).toBe('Buca')
      expect(await page.inputValue('#f-email')).toBe('non-una-email')
      expect(await page.locator('.notice').first().textContent()).toContain('allegale di nuovo')
      expect(await violations(page)).toEqual([])

      // Half a coordinate.
      await page.fill('#f-longitude', '')
      await page.fill('#f-latitude', '43.88')
      await page.click('#report-form button[type=submit]')
      await page.waitForSelector('.summary')
      const third = await errorTexts(page)
      expect(third).toContain(
        'Latitudine e longitudine vanno indicate entrambe, come numeri (per esempio 43.8805 e 11.0966).',
      )
      expect(await violations(page)).toEqual([])
      await page.context().close()
    })

    it('the happy path: a case with the answers, the contact, the photo without EXIF, the number and the status link', {
      timeout: 60_000,
    }, async () => {
      const page = await newPage(js)
      await openPotholeForm(page)
      await page.selectOption('#q-dimensione', 'grande')
      await page.check('#q-pericoli-0')
      await page.check('#q-pericoli-1')
      await page.fill('#q-profondita_cm', '15')
      const description = `Buca profonda davanti all'URP ${js ? 'con JS' : 'senza JS'} ${randomUUID()}`
      await page.fill('#f-description', description)
      await page.fill('#f-first-name', 'Maria')
      await page.fill('#f-last-name', 'Bianchi')
      await page.fill('#f-email', js ? 'maria.js@example.org' : 'maria@example.org')
      await page.fill('#f-phone', '333 123 4567')
      await page.fill('#f-fiscal-code', 'bncmra85t41g999h')
      await page.setInputFiles('#f-photos', { name: 'buca.jpg', mimeType: 'image/jpeg', buffer: photo })

      if (js) {
        // The photo's position is proposed, not imposed: the fields stay empty until the button.
        await page.waitForSelector('#use-photo-position')
        expect(await page.locator('#photo-position').textContent()).toContain(
          'La foto indica una posizione: 43.8807, 11.0973.',
        )
        expect(await page.inputValue('#f-latitude')).toBe('')
        expect(await page.isVisible('#map')).toBe(true)
        expect(await violations(page)).toEqual([])
        // The address suggestions come from the gazetteer; choosing one sets the coordinates.
        await page.fill('#f-address', 'via ferr 20')
        await page.waitForSelector('#address-list option', { state: 'attached' })
        const options = await page
          .locator('#address-list option')
          .evaluateAll((os) => os.map((o) => o.getAttribute('value')))
        expect(options).toContain('Via Ferrucci 20, 59100 Prato')
        await page.fill('#f-address', 'Via Ferrucci 20, 59100 Prato')
        await expect.poll(() => page.inputValue('#f-latitude')).not.toBe('')
        expect(Number(await page.inputValue('#f-latitude'))).toBeCloseTo(43.8777, 3)
        // A click on the map moves the point.
        const box = await page.locator('#map').boundingBox()
        if (!box) throw new Error('the map is not shown')
        await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
        expect(Number(await page.inputValue('#f-latitude'))).toBeCloseTo(43.89, 2)
        expect(Number(await page.inputValue('#f-longitude'))).toBeCloseTo(11.085, 2)
        // The photo's position, when accepted, wins.
        await page.click('#use-photo-position')
        expect(await page.inputValue('#f-latitude')).toBe('43.8807')
        expect(await page.inputValue('#f-longitude')).toBe('11.0973')
        expect(await violations(page)).toEqual([])
      } else {
        // Without JavaScript no map: the coordinates are plain fields, and the photo's position is used when none is given.
        expect(await page.isVisible('#map')).toBe(false)
      }
      await page.check('#f-privacy')
      await page.click('#report-form button[type=submit]')
      await page.waitForSelector('#case-number, .summary')
      expect(await errorTexts(page)).toEqual([])
      expect(await violations(page)).toEqual([])
      const number = (await page.textContent('#case-number'))?.trim() ?? ''
      expect(number).toMatch(/^PRA-\d{4}-\d{6}$/)
      if (!js)
        expect(await page.textContent('main')).toContain(
          'Il luogo è stato preso dalla posizione registrata nella foto.',
        )

      const c = await caseByNumber(number)
      expect(await page.getAttribute('#status-link', 'href')).toBe(
        statusPageUrl(t.deps.config.publicUrl, c.publicToken),
      )
      expect(c).toMatchObject({ channel: 'web', categoryId: cats.pothole.id })
      expect(c.latitude).toBeCloseTo(PHOTO_AT.latitude, 4)
      expect(c.longitude).toBeCloseTo(PHOTO_AT.longitude, 4)
      expect(c.description).toContain(description)
      expect(c.description).toContain('Che cosa rischia chi passa?: Pedoni, Biciclette')
      const contact = await t.deps.db
        .selectFrom('contacts')
        .selectAll()
        .where('id', '=', c.contactId)
        .executeTakeFirstOrThrow()
      expect(contact).toMatchObject({
        firstName: 'Maria',
        lastName: 'Bianchi',
        phone: '+393331234567',
        fiscalCode: 'BNCMRA85T41G999H',
      })
      // Read as text: Kysely's CamelCasePlugin would rename the codes inside the JSON.
      const sub = await t.deps.db
        .selectFrom('publicSubmissions')
        .select(sql<string>`answers::text`.as('answers'))
        .where('caseId', '=', c.id)
        .executeTakeFirstOrThrow()
      expect(JSON.parse(sub.answers)).toEqual({
        dimensione: 'grande',
        pericoli: ['pedoni', 'bici'],
        profondita_cm: '15',
      })

      // The stored photo: still a JPEG, but no GPS, no camera, no EXIF at all.
      const [attachment] = await t.deps.db
        .selectFrom('attachments')
        .selectAll()
        .where('caseId', '=', c.id)
        .execute()
      expect(attachment).toMatchObject({ contentType: 'image/jpeg', filename: 'buca.jpg' })
      const stream = await t.deps.services.attachments.content(
        { id: 0, role: 'admin', officeIds: [], language: 'it' },
        attachment?.id ?? 0,
      )
      const chunks: Buffer[] = []
      for await (const chunk of stream.stream) chunks.push(chunk as Buffer)
      const stored = Buffer.concat(chunks)
      expect(stored.subarray(0, 3).toString('hex')).toBe('ffd8ff')
      expect(await exifr.gps(stored).catch(() => undefined)).toBeUndefined()
      expect(stored.includes(Buffer.from('FiloCam'))).toBe(false)
      expect(stored.includes(Buffer.from('Exif\0\0'))).toBe(false)
      await page.context().close()
    })
  })
}

it('English: the form, its errors and the answer page in English, accessible', async () => {
  const page = await newPage(true)
  await openPotholeForm(page, 'en')
  expect(await page.getAttribute('html', 'lang')).toBe('en')
  await page.click('#report-form button[type=submit]')
  await page.waitForSelector('.summary')
  expect(await errorTexts(page)).toContain('Describe the problem.')
  expect(await page.title()).toMatch(/^Error: Report a problem/)
  expect(await violations(page)).toEqual([])
  await page.selectOption('#q-dimensione', 'piccola')
  await page.fill('#f-description', 'A small pothole by the bus stop')
  await page.fill('#f-address', 'Via Roma 12')
  await page.fill('#f-email', 'visitor@example.org')
  await page.check('#f-privacy')
  await page.click('#report-form button[type=submit]')
  await page.waitForSelector('#case-number')
  expect(await page.textContent('h1')).toBe('Thank you, your report has been registered')
  expect(await page.textContent('main')).toContain('The place was found from the address you wrote.')
  expect(await violations(page)).toEqual([])
  const c = await caseByNumber((await page.textContent('#case-number'))?.trim() ?? '')
  expect(c).toMatchObject({ address: 'Via Roma 12', civicNumber: '12' })
  await page.context().close()
}, 60_000)

describe('anti-abuse and limits (inject)', () => {
  const boundary = '----filoform'
  function formBody(fields: [string, string][], files: { name: string; type: string; bytes: Buffer }[] = []) {
    const chunks: Buffer[] = []
    for (const [k, v] of fields)
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`))
    for (const f of files) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
        ),
        f.bytes,
        Buffer.from('\r\n'),
      )
    }
    chunks.push(Buffer.from(`--${boundary}--\r\n`))
    return Buffer.concat(chunks)
  }
  const valid = (submissionId: string, extra: [string, string][] = []): [string, string][] => [
    ['lang', 'it'],
    ['category', String(cats.light.id)],
    ['submission_id', submissionId],
    ['description', 'Lampione spento da una settimana'],
    ['address', 'Via Garibaldi 10'],
    ['email', 'abuse-test@example.org'],
    ['privacy', 'yes'],
    ...extra,
  ]
  const send = (body: Buffer, ip = '198.51.100.7') =>
    t.app.inject({
      method: 'POST',
      url: '/segnala',
      payload: body,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      remoteAddress: ip,
    })
  const countCases = async () =>
    Number(
      (
        await t.deps.db
          .selectFrom('cases')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('channel', '=', 'web')
          .executeTakeFirstOrThrow()
      ).n,
    )

  it('the same form posted twice (a double click, a reload) makes one case', async () => {
    const id = randomUUID()
    const first = await send(formBody(valid(id)))
    const second = await send(formBody(valid(id)))
    expect(first.statusCode, first.body).toBe(200)
    const number = /id="case-number">([^<]+)</.exec(first.body)?.[1]
    expect(number).toMatch(/^PRA-/)
    expect(/id="case-number">([^<]+)</.exec(second.body)?.[1]).toBe(number)
    expect(
      await t.deps.db
        .selectFrom('cases')
        .select('id')
        .where('number', '=', number ?? '')
        .execute(),
    ).toHaveLength(1)
  })

  it('a description of 4000 characters arrives whole even when they take three bytes each, one more is refused', async () => {
    const text = `Lampione ${'€'.repeat(3991)}`
    const res = await send(
      formBody(
        valid(randomUUID(), [['description', text]]).filter(([k, v]) => k !== 'description' || v === text),
      ),
    )
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200)
    const number = /id="case-number">([^<]+)</.exec(res.body)?.[1] ?? ''
    expect((await caseByNumber(number)).description.startsWith(text)).toBe(true)
    const longer = await send(
      formBody(
        valid(randomUUID(), [['description', `${text}€`]]).filter(
          ([k, v]) => k !== 'description' || v !== 'Lampione spento da una settimana',
        ),
      ),
    )
    expect(longer.statusCode).toBe(400)
    expect(longer.body).toContain('La descrizione è troppo lunga (al massimo 4000 caratteri).')
  })

  it('a filled honeypot is refused and makes no case', async () => {
    const before = await countCases()
    const res = await send(formBody(valid(randomUUID(), [['website', 'http://spam.example']])))
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('La segnalazione non è stata accettata.')
    expect(await countCases()).toBe(before)
  })

  it(`more than ${WEB_FORM_POSTS_PER_WINDOW} posts from one address in ten minutes get 429`, async () => {
    const statuses: number[] = []
    for (let i = 0; i <= WEB_FORM_POSTS_PER_WINDOW; i++)
      statuses.push((await send(formBody([['lang', 'it']]), '198.51.100.99')).statusCode)
    expect(statuses.slice(0, WEB_FORM_POSTS_PER_WINDOW).every((s) => s === 400)).toBe(true)
    expect(statuses.at(-1)).toBe(429)
    const last = await send(formBody(valid(randomUUID())), '198.51.100.99')
    expect(last.statusCode).toBe(429)
    expect(last.headers['retry-after']).toBe('600')
    expect(last.body).toContain('Troppe segnalazioni da questo indirizzo')
    // Another address is not affected.
    expect((await send(formBody(valid(randomUUID())), '198.51.100.100')).statusCode).toBe(200)
  })

  it('upload limits: a photo over 10 MB, more than 5 photos; a body that is not multipart', async () => {
    const big = Buffer.concat([photo, Buffer.alloc(10 * 1024 * 1024)])
    const tooBig = await send(
      formBody(valid(randomUUID()), [{ name: 'enorme.jpg', type: 'image/jpeg', bytes: big }]),
    )
    expect(tooBig.statusCode).toBe(400)
    expect(tooBig.body).toContain('La foto «enorme.jpg» supera 10 MB.')
    const six = Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.jpg`, type: 'image/jpeg', bytes: photo }))
    const tooMany = await send(formBody(valid(randomUUID()), six))
    expect(tooMany.statusCode).toBe(400)
    expect(tooMany.body).toContain('Puoi allegare al massimo 5 foto.')
    const urlencoded = await t.app.inject({
      method: 'POST',
      url: '/segnala',
      payload: 'description=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(urlencoded.statusCode).toBe(415)
  })

  it('the photo-position endpoint reads EXIF GPS inside Prato, and nothing from a photo without it', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/segnala/posizione-foto',
      payload: photo,
      headers: { 'content-type': 'image/jpeg' },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().latitude).toBeCloseTo(PHOTO_AT.latitude, 5)
    const milan = await jpegWithGps(45.4642, 9.19)
    const far = await t.app.inject({
      method: 'POST',
      url: '/segnala/posizione-foto',
      payload: milan,
      headers: { 'content-type': 'image/jpeg' },
    })
    expect(far.statusCode).toBe(204)
  })
})
