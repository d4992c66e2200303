import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type ConsoleStack, demoUser, seen, startConsoleStack } from './console-stack.ts'

/**
 * Possible duplicates on the case page: two reports of the same street light, 50 m
 * apart, each suggest the other with the reasons in words; the operator merges one
 * into the other from the panel, after confirming, and lands on the case that
 * survives, whose timeline now holds the merged one's story.
 */

const OPERATOR = demoUser('operatore@filo.demo')
/** A corner of Prato away from the demo's cases. */
const PLACE = { latitude: 43.93, longitude: 11.05 }
const METRES_PER_DEGREE = (6_371_008.8 * Math.PI) / 180

let stack: ConsoleStack

beforeAll(async () => {
  stack = await startConsoleStack({ name: 'console-duplicates', cases: 20, live: true })
}, 180_000)

afterEach((ctx) => stack?.captureFailure(ctx))

afterAll(async () => {
  await stack?.stop()
}, 60_000)

interface CaseView {
  id: number
  number: string
  version: number
}

const suggestions = (page: Page) => page.getByRole('table', { name: 'Possibili duplicati' })
const suggestion = (page: Page, number: string) =>
  suggestions(page)
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: number, exact: true }) })

describe('possible duplicates on the case page', { timeout: 120_000 }, () => {
  it('shows two reports of one street light as each other’s duplicates and merges one into the other', async () => {
    const cookie = await stack.login(OPERATOR.email)
    const create = (body: Record<string, unknown>) =>
      stack.call<CaseView>('POST', '/api/v1/cases', cookie, { channel: 'phone', ...body })
    const kept = await create({
      subject: 'Lampione spento in via dei Ciliani',
      description: 'Il lampione davanti al civico 40 è spento da due sere.',
      ...PLACE,
      address: 'Via dei Ciliani',
      civicNumber: '40',
    })
    const duplicate = await create({
      subject: 'Via dei Ciliani: lampione spento',
      ...PLACE,
      latitude: PLACE.latitude + 50 / METRES_PER_DEGREE,
      address: 'Via dei Ciliani',
      civicNumber: '44',
    })
    await stack.call('POST', `/api/v1/cases/${duplicate.id}/notes`, cookie, {
      text: 'Il cittadino richiama: il palo è quello vicino alla fermata.',
    })

    const page = await stack.signIn(OPERATOR.email, { live: true })

    // The first report suggests the second, with the reasons in words.
    await page.goto(`/admin/#/cases/${kept.id}/show`)
    const second = suggestion(page, duplicate.number)
    await seen(second)
    await seen(second.getByRole('cell', { name: 'Via dei Ciliani: lampione spento', exact: true }))
    await seen(second.getByText('a 50 m', { exact: true }))
    await seen(second.getByText('vicino: 50 m', { exact: true }))
    await seen(second.getByText('testo simile', { exact: true }))
    await suggestions(page).scrollIntoViewIfNeeded()
    await stack.screenshot(page, 'case-possible-duplicates')

    // And the second the first: merged from there, after confirming.
    await page.goto(`/admin/#/cases/${duplicate.id}/show`)
    const first = suggestion(page, kept.number)
    await seen(first)
    await seen(first.getByText('vicino: 50 m', { exact: true }))
    await first.getByRole('button', { name: 'Unisci a questa', exact: true }).click()
    const dialog = page.getByRole('dialog')
    await seen(dialog.getByText(`Unire ${duplicate.number} a ${kept.number}?`, { exact: true }))
    await stack.screenshot(page, 'case-merge-into-suggestion')
    await dialog.getByRole('button', { name: 'Unisci', exact: true }).click()

    // The operator lands on the case that survives, with the merged one's timeline.
    await page.waitForURL(new RegExp(`#/cases/${kept.id}/show`))
    const timeline = page.getByRole('row')
    await seen(timeline.filter({ hasText: 'Unita una segnalazione duplicata' }))
    await seen(timeline.filter({ hasText: 'il palo è quello vicino alla fermata' }))
    await expect.poll(() => timeline.filter({ hasText: 'Segnalazione creata' }).count()).toBe(2)
    // Merged, the duplicate is no longer a suggestion.
    await expect
      .poll(() => suggestions(page).getByRole('link', { name: duplicate.number, exact: true }).count())
      .toBe(0)
    await stack.screenshot(page, 'case-after-merge')

    const gone = await stack.call<{ mergedIntoId: number | null; status: string }>(
      'GET',
      `/api/v1/cases/${duplicate.id}`,
      cookie,
    )
    expect(gone).toMatchObject({ mergedIntoId: kept.id, status: 'closed' })
  })
})
