import { dropStaleTemplates, ensureTemplate } from '../src/db/test-db.ts'

/** Migrates the template database once, before any test file clones it, and drops outdated ones. */
export default async function setup(): Promise<void> {
  await ensureTemplate()
  await dropStaleTemplates()
}
