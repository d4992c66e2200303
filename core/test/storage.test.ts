import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BlobNotFoundError, BlobTooLargeError, LocalDiskStorage } from '../src/attachments/storage.ts'

let dir: string
let storage: LocalDiskStorage

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'filo-storage-'))
  storage = new LocalDiskStorage(dir)
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

/** Every file under the storage directory, temporary ones included. */
async function files(): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk)
  return Buffer.concat(chunks)
}

/** A stream delivering `data` in small chunks, as a network upload would. */
const chunked = (data: Buffer, size = 1000) =>
  Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size)
    })(),
  )

describe('LocalDiskStorage', () => {
  it('stores bytes under <ab>/<cd>/<sha256> and gives the same bytes back', async () => {
    const data = randomBytes(50_000)
    const blob = await storage.put(chunked(data))
    const hash = sha256(data)
    expect(blob).toEqual({ sha256: hash, size: data.length })
    expect(await files()).toEqual([path.join(hash.slice(0, 2), hash.slice(2, 4), hash)])
    expect(await readFile(path.join(dir, hash.slice(0, 2), hash.slice(2, 4), hash))).toEqual(data)
    expect(await readAll(await storage.get(hash))).toEqual(data)
    expect(await storage.exists(hash)).toBe(true)
  })

  it('stores the same bytes once, however often they are put', async () => {
    const data = Buffer.from('la stessa foto, caricata due volte')
    const [a, b] = await Promise.all([storage.put(data), storage.put(chunked(data, 5))])
    const c = await storage.put(data)
    expect(a).toEqual(b)
    expect(c).toEqual(a)
    expect(await files()).toHaveLength(1)
  })

  it('refuses more than maxBytes while streaming and keeps nothing', async () => {
    const exact = randomBytes(4096)
    await expect(storage.put(chunked(exact), { maxBytes: 4096 })).resolves.toMatchObject({ size: 4096 })

    let produced = 0
    const endless = new Readable({
      read() {
        produced += 1024
        this.push(Buffer.alloc(1024, 1))
      },
    })
    await expect(storage.put(endless, { maxBytes: 10_000 })).rejects.toBeInstanceOf(BlobTooLargeError)
    // The source is abandoned at the limit rather than read to its end.
    expect(produced).toBeLessThan(100_000)
    expect(endless.destroyed).toBe(true)
    expect(await files()).toEqual([expect.stringContaining(sha256(exact))])
  })

  it('lets a check read the staged bytes, and keeps nothing when it refuses them', async () => {
    const data = Buffer.from('MZ\x90\x00 not really a photo')
    let seen: Buffer | undefined
    const refusal = new Error('not allowed')
    await expect(
      storage.put(data, {
        check: async (staged) => {
          expect(staged).toMatchObject({ sha256: sha256(data), size: data.length })
          seen = await readAll(staged.read())
          throw refusal
        },
      }),
    ).rejects.toBe(refusal)
    expect(seen).toEqual(data)
    expect(await files()).toEqual([])
    expect(await storage.exists(sha256(data))).toBe(false)
  })

  it('answers a missing blob with BlobNotFoundError and refuses anything but a SHA-256 as an address', async () => {
    const missing = sha256(Buffer.from('nessuno'))
    await expect(storage.get(missing)).rejects.toBeInstanceOf(BlobNotFoundError)
    await expect(storage.get('../../etc/passwd')).rejects.toThrow(/not a SHA-256/)
    await expect(storage.exists(missing.toUpperCase())).rejects.toThrow(/not a SHA-256/)
  })

  it('deletes a blob, and deleting a missing one is a no-op', async () => {
    const { sha256: hash } = await storage.put(Buffer.from('da togliere'))
    await storage.delete(hash)
    expect(await storage.exists(hash)).toBe(false)
    await expect(storage.delete(hash)).resolves.toBeUndefined()
  })
})
