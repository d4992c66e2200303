import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './helpers.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

type Operation = {
  summary?: string
  parameters?: { in: string; name: string }[]
  requestBody?: unknown
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>
}

describe('OpenAPI document', () => {
  it('describes every API route with a summary, its parameters and a schema for each success response', async () => {
    const res = await t.app.inject({ url: '/api/docs/json' })
    expect(res.statusCode).toBe(200)
    const doc = res.json() as { paths: Record<string, Record<string, Operation>> }
    const operations = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/v1/'))
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })))
    expect(operations.length).toBeGreaterThan(30)
    for (const { path, method, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`
      expect(op.summary, where).toBeTruthy()
      for (const name of path.match(/\{(\w+)\}/g) ?? []) {
        expect(
          op.parameters?.some((p) => p.in === 'path' && `{${p.name}}` === name),
          `${where} documents ${name}`,
        ).toBe(true)
      }
      if (method === 'post' || method === 'patch' || method === 'put') {
        // Actions that carry nothing but their name: log out, mark a notification (or all) read.
        const bodyless = /\/(logout|read|read-all)$/.test(path)
        if (!bodyless) expect(op.requestBody, `${where} has a request body schema`).toBeDefined()
      }
      // The websocket upgrade succeeds with 101.
      const success = Object.entries(op.responses ?? {}).filter(
        ([code]) => code.startsWith('2') || code === '101',
      )
      expect(success.length, `${where} documents a success response`).toBeGreaterThan(0)
      for (const [code, response] of success) {
        if (code === '204' || code === '101') continue
        const content = Object.values(response.content ?? {})
        const binary = path.endsWith('/content')
        if (!binary) expect(content[0]?.schema, `${where} ${code} has a schema`).toBeDefined()
      }
    }
  })
})
