import { type AuthProvider, HttpError } from 'react-admin'
import { httpClient } from './httpClient.ts'
import type { StaffUser } from './types.ts'

const AUTH = '/api/v1/auth'

const isStaffUser = (value: unknown): value is StaffUser =>
  typeof value === 'object' &&
  value !== null &&
  'id' in value &&
  'fullName' in value &&
  typeof value.fullName === 'string' &&
  'role' in value &&
  typeof value.role === 'string'

const userOf = (json: unknown): StaffUser => {
  const user = typeof json === 'object' && json !== null && 'user' in json ? json.user : undefined
  if (!isStaffUser(user)) throw new Error('ra.message.auth_error')
  return user
}

const loadMe = async (): Promise<StaffUser> => {
  try {
    return userOf((await httpClient(`${AUTH}/me`)).json)
  } catch (err) {
    // No session is the normal state before login: say so in the console's words.
    if (err instanceof HttpError && err.status === 401) throw new Error('ra.auth.auth_check_error')
    throw err
  }
}

// checkAuth, getIdentity and getPermissions often ask at the same moment: one request answers them all.
let pendingMe: Promise<StaffUser> | undefined
const fetchMe = (): Promise<StaffUser> => {
  pendingMe ??= loadMe().finally(() => {
    pendingMe = undefined
  })
  return pendingMe
}

interface LoginParams {
  email?: string
  password?: string
}

/**
 * Cookie-session auth: the API sets an httpOnly session cookie on login, so the
 * console never holds a token; it only asks the API who is signed in. Failed
 * logins reject with the server's message (wrong credentials, too many attempts).
 */
export const authProvider: AuthProvider = {
  async login({ email, password }: LoginParams) {
    const { json } = await httpClient(`${AUTH}/login`, {
      method: 'POST',
      body: JSON.stringify({ email, password }),
    })
    userOf(json)
  },

  async logout() {
    // An already expired session answers 401: the user is signed out either way.
    await httpClient(`${AUTH}/logout`, { method: 'POST' }).catch(() => undefined)
  },

  async checkAuth() {
    await fetchMe()
  },

  async checkError(error: unknown) {
    if (error instanceof HttpError && error.status === 401) throw error
  },

  async getIdentity() {
    const user = await fetchMe()
    return { id: user.id, fullName: user.fullName }
  },

  async getPermissions() {
    return (await fetchMe()).role
  },
}
