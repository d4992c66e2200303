import { createHash, randomBytes } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { sanitiseFilename } from '@filo/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOffice, createUser } from '../../core/test/fixtures.ts'
import { createTestApp, type TestApp } from './helpers.ts'

let t: TestApp
let operator: string
let staffA: string
let staffB: string
let supervisor: string
let fieldWorker: string
let fieldWorkerId: number
let operatorId: number
let caseA: number
let caseB: number

const MiB = 1024 * 1024

// Real files' first bytes: what the sniffing has to recognise (or refuse).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
)
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0'),
  randomBytes(200),
])
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')
const HEIC = Buffer.concat([
  Buffer.from([0x00, 0x00, 0x00, 0x18]),
  Buffer.from('ftypheic\0\0\0\0mif1heic'),
  randomBytes(64),
])
const EXE = Buffer.concat([
  Buffer.from('MZ\x90\x00\x03\x00\x00\x00'),
  Buffer.alloc(120),
  Buffer.from('PE\0\0'),
])

interface FilePart {
  filename: string
  data: Buffer
  contentType?: string
  field?: string
}

/** A multipart/form-data body built by hand, the way a browser lays it out. */
function multipart(files: FilePart[], fields: Record<string, string> = {}) {
  const boundary = `----filo${randomBytes(8).toString('hex')}`
  const chunks: Buffer[] = []
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    )
  }
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'file'}"; filename="${f.filename}"\r\n` +
          `Content-Type: ${f.contentType ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    )
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` }
}

const upload = (cookie: string, caseId: number, files: FilePart[], lang = 'it') => {
  const body = multipart(files)
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/cases/${caseId}/attachments`,
    headers: { cookie, 'content-type': body.contentType, 'accept-language': lang },
    payload: body.payload,
  })
}
const list = (cookie: string, caseId: number) =>
  t.app.inject({ url: `/api/v1/cases/${caseId}/attachments`, headers: { cookie } })
const download = (cookie: string, id: number) =>
  t.app.inject({ url: `/api/v1/attachments/${id}/content`, headers: { cookie } })

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

/** Blob files on disk (temporary ones included): what an upload really left behind. */
async function blobFiles(): Promise<string[]> {
  const entries = await readdir(t.deps.config.attachmentsDir, { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name))
}

const countRows = async () =>
  (
    await t.deps.db
      .selectFrom('attachments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n

const createCase = async (cookie: string, payload: Record<string, unknown>): Promise<number> => {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/cases', headers: { cookie }, payload })
  if (res.statusCode !== 201) throw new Error(`case not created: ${res.body}`)
  return res.json().id
}

beforeAll(async () => {
  t = await createTestApp()
  const officeA = (await createOffice(t.deps.db, 'Lavori Pubblici')).id
  const officeB = (await createOffice(t.deps.db, 'Tributi')).id
  const op = await createUser(t.deps.db, 'operator')
  operatorId = op.id
  operator = await t.login(op.email)
  staffA = await t.login((await createUser(t.deps.db, 'office_staff', { officeIds: [officeA] })).email)
  staffB = await t.login((await createUser(t.deps.db, 'office_staff', { officeIds: [officeB] })).email)
  supervisor = await t.login((await createUser(t.deps.db, 'supervisor')).email)
  const field = await createUser(t.deps.db, 'field_worker')
  fieldWorkerId = field.id
  fieldWorker = await t.login(field.email)
  caseA = await createCase(operator, {
    subject: 'Buca in Via Pistoiese',
    channel: 'phone',
    officeId: officeA,
  })
  caseB = await createCase(operator, { subject: 'Rimborso TARI', channel: 'web', officeId: officeB })
})
afterAll(() => t.close())

describe('POST /api/v1/cases/:id/attachments', () => {
  it('sniffs the type from the bytes, not from what the client declares, and serves them back', async () => {
    const res = await upload(operator, caseA, [
      { filename: 'Foto via Pistoiese – città.png', data: PNG, contentType: 'application/pdf' },
    ])
    expect(res.statusCode).toBe(201)
    const [view] = res.json()
    expect(view).toEqual({
      id: expect.any(Number),
      caseId: caseA,
      filename: 'Foto via Pistoiese – città.png',
      contentType: 'image/png',
      declaredContentType: 'application/pdf',
      sizeBytes: PNG.length,
      sha256: sha256(PNG),
      uploadedBy: operatorId,
      uploadedByName: 'Test operator',
      createdAt: expect.any(String),
    })

    const got = await download(staffA, view.id)
    expect(got.statusCode).toBe(200)
    expect(got.rawPayload).toEqual(PNG)
    expect(got.headers).toMatchObject({
      'content-type': 'image/png',
      'content-length': String(PNG.length),
      'x-content-type-options': 'nosniff',
      'content-disposition':
        'attachment; filename="Foto via Pistoiese _ citt_.png"; filename*=UTF-8\'\'Foto%20via%20Pistoiese%20%E2%80%93%20citt%C3%A0.png',
    })
    expect(got.headers['cache-control']).toContain('private')
  })

  it('accepts photos, PDFs and UTF-8 text, each served as what it is', async () => {
    const csv = Buffer.from('via;civico;note\nVia Roma;12;lampione spento àèìòù\n')
    const res = await upload(
      fieldWorker,
      await createCase(fieldWorker, { subject: 'Lampione', channel: 'field' }),
      [
        { filename: 'IMG_0001.JPG', data: JPEG, contentType: 'image/jpeg' },
        { filename: 'IMG_0002.HEIC', data: HEIC },
        { filename: 'verbale.pdf', data: PDF, contentType: 'application/pdf' },
        { filename: 'elenco.csv', data: csv, contentType: 'text/csv' },
        {
          filename: 'segnalazione.eml',
          data: Buffer.from('From: a@b.it\r\nSubject: buca\r\n\r\nC è una buca.\r\n'),
        },
      ],
    )
    expect(res.statusCode).toBe(201)
    expect(res.json().map((a: { contentType: string }) => a.contentType)).toEqual([
      'image/jpeg',
      'image/heic',
      'application/pdf',
      'text/csv',
      'message/rfc822',
    ])
    expect(res.json().every((a: { uploadedBy: number }) => a.uploadedBy === fieldWorkerId)).toBe(true)
    const text = await download(fieldWorker, res.json()[3].id)
    expect(text.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(text.rawPayload).toEqual(csv)
  })

  it('refuses other types with a 415 naming what the bytes really are, and keeps nothing', async () => {
    const rowsBefore = await countRows()
    const blobsBefore = await blobFiles()
    const exe = await upload(operator, caseA, [
      { filename: 'foto.jpg', data: EXE, contentType: 'image/jpeg' },
    ])
    expect(exe.statusCode).toBe(415)
    expect(exe.json().error).toEqual({
      code: 'attachment_type_not_allowed',
      message: expect.stringMatching(
        /^Il file «foto\.jpg» è di tipo application\/x-msdownload, che non è ammesso\./,
      ),
    })

    const cases = [
      {
        filename: 'pagina.html',
        data: Buffer.from('<html><script>alert(1)</script></html>'),
        type: 'text/plain',
      },
      { filename: 'note.txt', data: Buffer.from('testo\0con NUL'), type: 'application/octet-stream' },
      {
        filename: 'note.txt',
        data: Buffer.from([0x63, 0x69, 0x74, 0x74, 0xe0, 0x0a]),
        type: 'application/octet-stream',
      },
      { filename: 'archivio.zip', data: Buffer.from('PK\x03\x04\x14\0\0\0\0\0'), type: 'application/zip' },
    ]
    for (const c of cases) {
      const res = await upload(operator, caseA, [{ filename: c.filename, data: c.data }], 'en')
      expect(res.statusCode, c.filename).toBe(415)
      expect(res.json().error.message).toContain(`is of type ${c.type}, which is not allowed`)
    }
    expect(await countRows()).toBe(rowsBefore)
    expect(await blobFiles()).toEqual(blobsBefore)
  })

  it('refuses a file over the size limit with a 413, storing neither row nor blob', async () => {
    const limit = t.deps.config.attachmentMaxBytes
    expect(limit).toBe(20 * MiB)
    const rowsBefore = await countRows()
    const blobsBefore = await blobFiles()
    const big = Buffer.concat([PNG, Buffer.alloc(limit + 1 - PNG.length, 7)])
    const res = await upload(operator, caseA, [
      { filename: 'piccola.png', data: PNG },
      { filename: 'enorme.png', data: big },
    ])
    expect(res.statusCode).toBe(413)
    expect(res.json().error).toEqual({
      code: 'attachment_too_large',
      message: 'Il file «enorme.png» supera il limite di 20 MB per allegato.',
    })
    expect(await countRows()).toBe(rowsBefore)
    expect((await blobFiles()).filter((f) => f.includes(sha256(big)) || f.endsWith('.part'))).toEqual([])
    // The small file's blob may stay, unreferenced and harmless; the big one never lands.
    expect((await blobFiles()).length - blobsBefore.length).toBeLessThanOrEqual(1)
  })

  it('stores the same bytes once on disk, as two attachments', async () => {
    const photo = Buffer.concat([JPEG, randomBytes(1000)])
    const first = await upload(operator, caseA, [{ filename: 'a.jpg', data: photo }])
    const second = await upload(operator, caseB, [{ filename: 'b.jpg', data: photo }])
    expect([first.statusCode, second.statusCode]).toEqual([201, 201])
    expect(first.json()[0].id).not.toBe(second.json()[0].id)
    const rows = await t.deps.db
      .selectFrom('attachments')
      .select('id')
      .where('sha256', '=', sha256(photo))
      .execute()
    expect(rows).toHaveLength(2)
    expect((await blobFiles()).filter((f) => path.basename(f) === sha256(photo))).toHaveLength(1)
    expect((await download(operator, second.json()[0].id)).rawPayload).toEqual(photo)
  })

  it('sanitises filenames: no paths, no control or reserved characters, at most 200 characters', async () => {
    const long = `${'verbale-sopralluogo-'.repeat(20)}.pdf`
    const res = await upload(operator, caseA, [
      { filename: '../../etc/passwd.pdf', data: PDF },
      { filename: 'C:\\Users\\mario\\Desktop\\foto.png', data: PNG },
      { filename: 'fattura\u0007\u001b\u202egnp.exe.pdf', data: PDF },
      { filename: 'a<b>c:d|e?f*g.pdf', data: PDF },
      { filename: long, data: PDF },
      { filename: '...', data: PDF },
    ])
    expect(res.statusCode).toBe(201)
    const names = res.json().map((a: { filename: string }) => a.filename)
    expect(names.slice(0, 4)).toEqual(['passwd.pdf', 'foto.png', 'fatturagnp.exe.pdf', 'a_b_c_d_e_f_g.pdf'])
    expect(names[4]).toHaveLength(200)
    expect(names[4]).toMatch(/^verbale-sopralluogo-.*\.pdf$/)
    expect(names[5]).toBe('allegato')
  })

  it('refuses a request without files, too many files, or a body that is not multipart', async () => {
    const empty = multipart([], { note: 'niente' })
    const none = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseA}/attachments`,
      headers: { cookie: operator, 'content-type': empty.contentType },
      payload: empty.payload,
    })
    expect(none.statusCode).toBe(400)
    expect(none.json().error.code).toBe('attachment_missing')

    const rowsBefore = await countRows()
    const eleven = Array.from({ length: 11 }, (_, i) => ({ filename: `foto-${i}.png`, data: PNG }))
    const many = await upload(operator, caseA, eleven)
    expect(many.statusCode).toBe(413)
    expect(many.json().error).toMatchObject({ code: 'attachment_too_many_files' })
    expect(await countRows()).toBe(rowsBefore)

    const json = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseA}/attachments`,
      headers: { cookie: operator },
      payload: { file: PNG.toString('base64') },
    })
    expect(json.statusCode).toBe(400)
    expect(json.json().error.code).toBe('invalid_request')

    const emptyFile = await upload(operator, caseA, [{ filename: 'vuoto.pdf', data: Buffer.alloc(0) }])
    expect(emptyFile.statusCode).toBe(400)
    expect(emptyFile.json().error.code).toBe('attachment_empty')
  })

  it('puts each upload on the timeline and in the audit log', async () => {
    const res = await upload(operator, caseA, [{ filename: 'dettaglio.png', data: PNG }], 'it')
    const attachment = res.json()[0]
    const events = await t.app.inject({ url: `/api/v1/cases/${caseA}/events`, headers: { cookie: operator } })
    expect(events.json()).toContainEqual(
      expect.objectContaining({
        kind: 'attachment_added',
        actorId: operatorId,
        data: {
          attachmentId: attachment.id,
          filename: 'dettaglio.png',
          size: PNG.length,
          contentType: 'image/png',
        },
      }),
    )
    const audit = await t.deps.db
      .selectFrom('auditLog')
      .selectAll()
      .where('entityType', '=', 'attachment')
      .where('entityId', '=', attachment.id)
      .execute()
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'attachment.create',
        actorId: operatorId,
        after: expect.objectContaining({ caseId: caseA, sha256: sha256(PNG), contentType: 'image/png' }),
      }),
    ])
  })
})

describe('access', () => {
  it('answers office staff of another office 404 on upload, list and download, as for the case itself', async () => {
    const mine = (await upload(staffA, caseA, [{ filename: 'mia.png', data: PNG }])).json()[0]
    const rowsBefore = await countRows()

    const asCase = await t.app.inject({ url: `/api/v1/cases/${caseA}`, headers: { cookie: staffB } })
    const up = await upload(staffB, caseA, [{ filename: 'intrusa.pdf', data: PDF }])
    const ls = await list(staffB, caseA)
    for (const res of [up, ls]) {
      expect(res.statusCode).toBe(404)
      expect(res.json()).toEqual(asCase.json())
    }
    const missing = await list(staffB, 999_999)
    expect(missing.json().error.code).toBe('case_not_found')
    expect(await countRows()).toBe(rowsBefore)

    const got = await download(staffB, mine.id)
    expect(got.statusCode).toBe(404)
    expect(got.json().error.code).toBe('attachment_not_found')
    expect(got.body).not.toContain(sha256(PNG))
    expect((await download(staffB, 999_999)).json()).toEqual({
      error: { ...got.json().error, message: got.json().error.message.replace(String(mine.id), '999999') },
    })

    expect((await list(staffA, caseA)).json().map((a: { id: number }) => a.id)).toContain(mine.id)
    expect((await download(staffA, mine.id)).statusCode).toBe(200)
  })

  it('lets field workers attach to the cases they can see, and only those', async () => {
    expect((await upload(fieldWorker, caseA, [{ filename: 'x.png', data: PNG }])).statusCode).toBe(404)
    const own = await createCase(fieldWorker, { subject: 'Albero caduto', channel: 'field' })
    const res = await upload(fieldWorker, own, [{ filename: 'albero.jpg', data: JPEG }])
    expect(res.statusCode).toBe(201)
    expect((await list(fieldWorker, own)).json()).toHaveLength(1)
  })

  it('needs a session', async () => {
    const body = multipart([{ filename: 'x.png', data: PNG }])
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseA}/attachments`,
      headers: { 'content-type': body.contentType },
      payload: body.payload,
    })
    expect(res.statusCode).toBe(401)
    expect((await t.app.inject({ url: '/api/v1/attachments/1/content' })).statusCode).toBe(401)
  })
})

describe('DELETE /api/v1/attachments/:id', () => {
  it('lets supervisors remove an attachment: gone from the list and downloads, kept on timeline and audit', async () => {
    const attachment = (await upload(operator, caseA, [{ filename: 'sbagliata.pdf', data: PDF }])).json()[0]
    const denied = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/attachments/${attachment.id}`,
      headers: { cookie: staffA },
    })
    expect(denied.statusCode).toBe(403)
    expect(denied.json().error.code).toBe('attachment_delete_forbidden')

    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/attachments/${attachment.id}`,
      headers: { cookie: supervisor },
    })
    expect(removed.statusCode).toBe(204)
    expect((await list(operator, caseA)).json().map((a: { id: number }) => a.id)).not.toContain(attachment.id)
    expect((await download(operator, attachment.id)).statusCode).toBe(404)
    const again = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/attachments/${attachment.id}`,
      headers: { cookie: supervisor },
    })
    expect(again.statusCode).toBe(404)

    const events = await t.app.inject({ url: `/api/v1/cases/${caseA}/events`, headers: { cookie: operator } })
    expect(events.json()).toContainEqual(
      expect.objectContaining({
        kind: 'attachment_removed',
        data: { attachmentId: attachment.id, filename: 'sbagliata.pdf' },
      }),
    )
    const audit = await t.deps.db
      .selectFrom('auditLog')
      .select(['action'])
      .where('entityType', '=', 'attachment')
      .where('entityId', '=', attachment.id)
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['attachment.create', 'attachment.delete'])
  })
})

describe('OpenAPI', () => {
  it('documents every attachment route with its request and response schemas', async () => {
    const doc = (await t.app.inject({ url: '/api/docs/json' })).json()
    type Operation = { parameters?: { in: string; name: string }[]; responses: Record<string, unknown> }
    const paths = doc.paths as Record<string, Record<string, Operation>>
    const upload = paths['/api/v1/cases/{id}/attachments']?.post
    expect(upload?.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(['path:id', 'header:content-type']),
    )
    expect(Object.keys(upload?.responses ?? {})).toEqual(['201', '400', '404', '413', '415'])
    expect(Object.keys(paths['/api/v1/cases/{id}/attachments']?.get?.responses ?? {})).toEqual(['200', '404'])
    expect(Object.keys(paths['/api/v1/attachments/{id}/content']?.get?.responses ?? {})).toEqual([
      '200',
      '404',
    ])
    expect(Object.keys(paths['/api/v1/attachments/{id}']?.delete?.responses ?? {})).toEqual([
      '204',
      '403',
      '404',
    ])
  })
})

describe('sanitiseFilename', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\system.ini', 'system.ini'],
    ['  .bashrc  ', 'bashrc'],
    ['CON.txt', '_CON.txt'],
    ['"citazione".pdf', '_citazione_.pdf'],
    ['foto\u202egpj.exe', 'fotogpj.exe'],
    ['riga\r\nnuova.txt', 'riganuova.txt'],
    ['', 'allegato'],
    ['///', 'allegato'],
    ['Relazione finale.docx', 'Relazione finale.docx'],
  ])('%j → %j', (raw, expected) => {
    expect(sanitiseFilename(raw)).toBe(expected)
  })

  it('keeps the extension and whole characters when trimming to 200', () => {
    const name = sanitiseFilename(`${'🌳'.repeat(300)}.xlsx`)
    expect(Array.from(name)).toHaveLength(200)
    expect(name.endsWith('🌳.xlsx')).toBe(true)
  })
})
