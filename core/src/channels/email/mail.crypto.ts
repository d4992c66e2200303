import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'

/**
 * Mailbox passwords at rest: AES-256-GCM under a key derived from
 * MAIL_CREDENTIALS_KEY, stored as `v1.<iv>.<tag>.<ciphertext>` (base64url).
 * A wrong key or a tampered value fails to decrypt instead of yielding garbage.
 */
const keyOf = (secret: string): Buffer =>
  createHash('sha256').update(`filo.mail.credentials:${secret}`).digest()

export function encryptSecret(secret: string, plaintext: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv)
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return ['v1', iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.')
}

export function decryptSecret(secret: string, stored: string): string {
  const [version, iv, tag, body] = stored.split('.')
  if (version !== 'v1' || !iv || !tag || body === undefined)
    throw new Error('not an encrypted mailbox secret')
  const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), Buffer.from(iv, 'base64url'))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  try {
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
  } catch {
    // What an admin reading the mailbox's last error needs to know, not GCM's wording.
    throw new Error(
      'cannot decrypt the mailbox password: MAIL_CREDENTIALS_KEY is not the key it was saved with',
    )
  }
}
