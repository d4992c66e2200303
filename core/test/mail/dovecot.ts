import { type ChildProcess, spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { ImapFlow } from 'imapflow'

/**
 * A real IMAP server for tests: Dovecot from Debian's packages, started on a free
 * local port with a throwaway configuration (plaintext auth on 127.0.0.1 only,
 * users in a passwd-file, maildirs in a temporary directory), stopped and wiped
 * after. `dovecot-imapd` must be installed (.ci/run installs it).
 */
export interface Dovecot {
  host: string
  port: number
  /** Adds a message to a user's folder, as a delivery would. Returns its UID. */
  deliver(user: string, raw: Buffer, folder?: string): Promise<number>
  /** A logged-in client for looking at what the poller left behind. */
  client(user: string): Promise<ImapFlow>
  stop(): Promise<void>
}

export interface DovecotUser {
  user: string
  password: string
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

async function waitForPort(port: number, ms: number, log: string): Promise<void> {
  const until = Date.now() + ms
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (ok) return
    if (Date.now() > until) {
      const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '(no log)'
      throw new Error(`dovecot did not listen on ${port}:\n${tail}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}

const DOVECOT = ['/usr/sbin/dovecot', '/usr/bin/dovecot'].find((p) => existsSync(p))

export async function startDovecot(users: DovecotUser[]): Promise<Dovecot> {
  if (!DOVECOT) throw new Error('dovecot is not installed: apt-get install dovecot-imapd')
  const dir = mkdtempSync(path.join(os.tmpdir(), 'filo-dovecot-'))
  chmodSync(dir, 0o755)
  for (const sub of ['run', 'state']) mkdirSync(path.join(dir, sub))
  const mail = path.join(dir, 'mail')
  mkdirSync(mail)
  // Mail processes run as the dovecot user (never root): it must be able to create the maildirs.
  chmodSync(mail, 0o777)
  writeFileSync(path.join(dir, 'users'), users.map((u) => `${u.user}:{PLAIN}${u.password}::::::\n`).join(''))
  const port = await freePort()
  const log = path.join(dir, 'dovecot.log')
  const conf = path.join(dir, 'dovecot.conf')
  writeFileSync(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${log}
info_log_path = ${log}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=${mail}/%u
}
mail_location = maildir:~/Maildir
namespace inbox {
  inbox = yes
  mailbox Archivio {
    auto = create
  }
  mailbox Sent {
    special_use = \\Sent
    auto = create
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
`,
  )
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', conf], { stdio: 'ignore' })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await waitForPort(port, 10_000, log)

  const passwords = new Map(users.map((u) => [u.user, u.password]))
  const client = async (user: string) => {
    const c = new ImapFlow({
      host: '127.0.0.1',
      port,
      secure: false,
      doSTARTTLS: false,
      auth: { user, pass: passwords.get(user) ?? '' },
      logger: false,
      disableAutoIdle: true,
    })
    await c.connect()
    return c
  }
  return {
    host: '127.0.0.1',
    port,
    client,
    async deliver(user, raw, folder = 'INBOX') {
      const c = await client(user)
      try {
        const appended = await c.append(folder, raw)
        return appended === false ? 0 : (appended.uid ?? 0)
      } finally {
        await c.logout()
      }
    },
    async stop() {
      child.kill('SIGTERM')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))])
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
