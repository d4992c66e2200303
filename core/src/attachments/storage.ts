import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { Readable, Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'

/** A blob as stored: its content address and its length. */
export interface StoredBlob {
  /** Lowercase hex SHA-256 of the bytes. */
  sha256: string
  size: number
}

/** The bytes of a `put` after they were received and before they are kept. */
export interface StagedBlob extends StoredBlob {
  /** Reads the staged bytes from the start; every call opens a new stream. */
  read(): Readable
}

export interface PutOptions {
  /** More bytes than this fail the put with BlobTooLargeError, before the rest is read. */
  maxBytes?: number
  /**
   * Looks at the staged bytes before they are kept (sniffing their type, say);
   * throwing discards them and fails the put with that error.
   */
  check?: (staged: StagedBlob) => Promise<void>
}

/**
 * Where attachment bytes live, addressed by their SHA-256: putting the same bytes
 * twice stores them once. Small on purpose, so an object store can replace the disk.
 */
export interface BlobStorage {
  put(data: Readable | Buffer, opts?: PutOptions): Promise<StoredBlob>
  /** The bytes of a blob; BlobNotFoundError when there is none. */
  get(sha256: string): Promise<Readable>
  exists(sha256: string): Promise<boolean>
  /** Removes a blob (a no-op when missing). Only for blobs no row refers to any more. */
  delete(sha256: string): Promise<void>
}

/** The data of a `put` went past its `maxBytes`; nothing was kept. */
export class BlobTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`blob larger than ${maxBytes} bytes`)
    this.name = 'BlobTooLargeError'
  }
}

export class BlobNotFoundError extends Error {
  constructor(readonly sha256: string) {
    super(`blob ${sha256} not found`)
    this.name = 'BlobNotFoundError'
  }
}

const SHA256 = /^[0-9a-f]{64}$/

/** Hashes and counts the bytes passing through, failing as soon as there are too many. */
class Measure extends Transform {
  readonly hash = createHash('sha256')
  size = 0

  constructor(private readonly maxBytes: number) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length
    if (this.size > this.maxBytes) {
      done(new BlobTooLargeError(this.maxBytes))
      return
    }
    this.hash.update(chunk)
    done(null, chunk)
  }
}

const isMissing = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === 'ENOENT'

/**
 * Blobs on a local disk at `<dir>/<ab>/<cd>/<sha256>`. A put streams into a temporary
 * file under `<dir>/tmp` (same filesystem, so the final rename is atomic), flushes it
 * to disk, and renames it into place: a reader never sees half a blob, and a crash
 * leaves at most a stray temporary file.
 */
export class LocalDiskStorage implements BlobStorage {
  // No I/O here: processes that never touch attachments (the workers) need no directory.
  constructor(readonly dir: string) {}

  pathOf(sha256: string): string {
    // The address becomes a path: anything but a SHA-256 could walk out of `dir`.
    if (!SHA256.test(sha256)) throw new Error(`not a SHA-256: ${sha256.slice(0, 80)}`)
    return path.join(this.dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256)
  }

  async put(data: Readable | Buffer, opts: PutOptions = {}): Promise<StoredBlob> {
    const tmpDir = path.join(this.dir, 'tmp')
    await fs.mkdir(tmpDir, { recursive: true })
    const tmp = path.join(tmpDir, `${randomBytes(12).toString('hex')}.part`)
    try {
      const measure = new Measure(opts.maxBytes ?? Number.POSITIVE_INFINITY)
      const file = await fs.open(tmp, 'wx', 0o600)
      try {
        const source = Buffer.isBuffer(data) ? Readable.from([data]) : data
        await pipeline(source, measure, async (chunks: AsyncIterable<Buffer>) => {
          for await (const chunk of chunks) await file.write(chunk)
        })
        // Flushed before the rename, so after a crash the blob is either whole or absent.
        await file.sync()
      } finally {
        await file.close()
      }
      const blob: StoredBlob = { sha256: measure.hash.digest('hex'), size: measure.size }
      if (opts.check) await opts.check({ ...blob, read: () => createReadStream(tmp) })
      const target = this.pathOf(blob.sha256)
      if (await this.exists(blob.sha256)) {
        // Same address, same bytes: the copy already there is kept.
        await fs.rm(tmp, { force: true })
      } else {
        await fs.mkdir(path.dirname(target), { recursive: true })
        // Two uploads of the same new bytes may both get here; either rename wins, both are right.
        await fs.rename(tmp, target)
      }
      return blob
    } catch (err) {
      await fs.rm(tmp, { force: true })
      throw err
    }
  }

  async get(sha256: string): Promise<Readable> {
    // Opened first so a missing blob fails here rather than later inside the response stream.
    const handle = await fs.open(this.pathOf(sha256), 'r').catch((err: unknown) => {
      throw isMissing(err) ? new BlobNotFoundError(sha256) : err
    })
    return handle.createReadStream()
  }

  async exists(sha256: string): Promise<boolean> {
    try {
      await fs.access(this.pathOf(sha256))
      return true
    } catch (err) {
      if (isMissing(err)) return false
      throw err
    }
  }

  async delete(sha256: string): Promise<void> {
    await fs.rm(this.pathOf(sha256), { force: true })
  }
}
