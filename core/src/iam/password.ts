import { hash, verify } from '@node-rs/argon2'

/** Argon2id with the library's defaults (m=19 MiB, t=2), as OWASP recommends. */
export const hashPassword = (password: string): Promise<string> => hash(password)

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

// Verified against when the email is unknown, so a wrong email costs as long as a wrong password.
let decoyHash: Promise<string> | null = null
export const decoyPasswordHash = (): Promise<string> => {
  decoyHash ??= hash('filo-decoy-password')
  return decoyHash
}
