import { sql } from 'kysely'
import { recordAudit } from '../audit/audit.repository.ts'
import type { Database, Executor } from '../db/db.ts'
import { DomainError } from '../errors.ts'
import type { Actor } from '../iam/iam.schemas.ts'
import type { CategoryView } from '../reference/reference.schemas.ts'
import {
  changedKeys,
  checkExists,
  checkVersion,
  lockNamed,
  nonBlank,
  notFound,
  requireRole,
  unique,
} from './admin.common.ts'
import {
  CATEGORY_MAX_DEPTH,
  type CategoryTreeNodeData,
  type CreateCategoryBody,
  type UpdateCategoryBody,
} from './admin.schemas.ts'
import {
  type CategoryQuestion,
  categoryColumns,
  questionProblem,
  questionsFromDb,
  questionsToDb,
} from './category.questions.ts'

// Walks stop here even if the table ever held a cycle written by hand, so no query can loop forever.
const WALK_LIMIT = 20

function checkQuestions(questions: readonly CategoryQuestion[] | undefined): void {
  if (questions === undefined) return
  const problem = questionProblem(questions)
  if (problem) {
    throw new DomainError('invalid', problem.code, `questions: ${problem.code}`, {
      params: problem.params,
      details: problem.params,
    })
  }
}

/**
 * Refuses to hang the subtree rooted at `id` (null: a new category) under `parentId`
 * when that makes a cycle or a tree deeper than CATEGORY_MAX_DEPTH.
 */
async function checkPlacement(trx: Executor, id: number | null, parentId: number): Promise<void> {
  // The parent's ancestry, parent included: its length is the parent's level.
  const ancestry = await sql<{ level: number; cycle: boolean }>`
    with recursive up (id, parent_id, level) as (
      select id, parent_id, 1 from categories where id = ${parentId}
      union all
      select c.id, c.parent_id, up.level + 1 from categories c join up on c.id = up.parent_id
      where up.level < ${WALK_LIMIT}
    )
    select coalesce(max(level), 0)::int as level, coalesce(bool_or(id = ${id ?? -1}), false) as cycle from up`.execute(
    trx,
  )
  const { level, cycle } = ancestry.rows[0] ?? { level: 0, cycle: false }
  if (level === 0) {
    throw new DomainError('invalid', 'unknown_reference', `parentId ${parentId} not found`, {
      params: { field: 'parentId', id: parentId },
    })
  }
  if (cycle) throw new DomainError('conflict', 'category_cycle', `category ${id} would sit under itself`)
  let height = 1
  if (id !== null) {
    const below = await sql<{ height: number }>`
      with recursive down (id, height) as (
        select id, 1 from categories where id = ${id}
        union all
        select c.id, down.height + 1 from categories c join down on c.parent_id = down.id
        where down.height < ${WALK_LIMIT}
      )
      select max(height)::int as height from down`.execute(trx)
    height = below.rows[0]?.height ?? 1
  }
  if (level + height > CATEGORY_MAX_DEPTH) {
    throw new DomainError('conflict', 'category_too_deep', `${level} + ${height} levels`, {
      params: { max: CATEGORY_MAX_DEPTH },
    })
  }
}

export type CategoryService = ReturnType<typeof createCategoryService>

/**
 * The category tree (at most three levels) with each category's default office and
 * its extra questions: administrators edit it, everyone reads it.
 */
export function createCategoryService(db: Database) {
  async function load(trx: Executor, id: number, lock = false): Promise<CategoryView> {
    let q = trx.selectFrom('categories').select(categoryColumns()).where('id', '=', id)
    if (lock) q = q.forUpdate()
    const row = await q.executeTakeFirst()
    if (!row) throw notFound('category', id)
    return { ...row, questions: questionsFromDb(row.questions) }
  }

  const codeTaken = <T>(code: string, run: () => Promise<T>) =>
    unique(run, 'categories_code_key', 'category_code_taken', { code })

  return {
    get: (_actor: Actor, id: number): Promise<CategoryView> => load(db, id),

    /** The nested tree, roots first; inactive categories (and what hangs under them) only when `all`. */
    async tree(_actor: Actor, opts: { all?: boolean } = {}): Promise<CategoryTreeNodeData[]> {
      const rows = await db
        .selectFrom('categories')
        .select(categoryColumns())
        .$if(!opts.all, (q) => q.where('active', '=', true))
        .orderBy('sortOrder')
        .orderBy('nameIt')
        .orderBy('id')
        .execute()
      const nodes = new Map<number, CategoryTreeNodeData>()
      for (const { parentId: _, ...row } of rows) {
        nodes.set(row.id, { ...row, questions: questionsFromDb(row.questions), children: [] })
      }
      const roots: CategoryTreeNodeData[] = []
      for (const row of rows) {
        const node = nodes.get(row.id)
        if (!node) continue
        if (row.parentId === null) roots.push(node)
        // A child of a filtered-out (inactive) parent is left out with it.
        else nodes.get(row.parentId)?.children.push(node)
      }
      return roots
    },

    async create(actor: Actor, input: CreateCategoryBody): Promise<CategoryView> {
      requireRole(actor, ['admin'], 'create categories')
      const nameIt = nonBlank('nameIt', input.nameIt)
      const nameEn = nonBlank('nameEn', input.nameEn)
      checkQuestions(input.questions)
      return db.transaction().execute(async (trx) => {
        await checkExists(trx, 'offices', 'officeId', [input.officeId])
        if (input.parentId != null) {
          // Tree-shape checks read many rows: changes to the shape take turns.
          await lockNamed(trx, 'category-tree')
          await checkPlacement(trx, null, input.parentId)
        }
        const { id } = await codeTaken(input.code, () =>
          trx
            .insertInto('categories')
            .values({
              code: input.code,
              nameIt,
              nameEn,
              parentId: input.parentId ?? null,
              officeId: input.officeId ?? null,
              active: input.active ?? true,
              sortOrder: input.sortOrder ?? 0,
              questions: questionsToDb(input.questions ?? []),
              requiredSkills: input.requiredSkills ?? [],
            })
            .returning('id')
            .executeTakeFirstOrThrow(),
        )
        const after = await load(trx, id)
        await recordAudit(trx, actor, {
          action: 'category.create',
          entityType: 'category',
          entityId: id,
          after,
        })
        return after
      })
    },

    async update(actor: Actor, id: number, input: UpdateCategoryBody): Promise<CategoryView> {
      requireRole(actor, ['admin'], 'change categories')
      const { version, ...rest } = input
      const fields = {
        ...rest,
        nameIt: nonBlank('nameIt', rest.nameIt),
        nameEn: nonBlank('nameEn', rest.nameEn),
      }
      checkQuestions(fields.questions)
      return db.transaction().execute(async (trx) => {
        if (fields.parentId != null) await lockNamed(trx, 'category-tree')
        const before = await load(trx, id, true)
        checkVersion('category', before, version, () => before)
        // Compared in stored order, so the same questions sent in another order are no change.
        const questions = fields.questions && questionsFromDb(questionsToDb(fields.questions))
        const changed = changedKeys(before, { ...fields, questions })
        if (!changed.length) return before
        if (changed.includes('officeId')) await checkExists(trx, 'offices', 'officeId', [fields.officeId])
        if (changed.includes('parentId') && fields.parentId != null) {
          if (fields.parentId === id)
            throw new DomainError('conflict', 'category_cycle', `category ${id} under itself`)
          await checkPlacement(trx, id, fields.parentId)
        }
        await codeTaken(fields.code ?? before.code, () =>
          trx
            .updateTable('categories')
            .set({
              ...fields,
              questions: questions && questionsToDb(questions),
              version: before.version + 1,
              updatedAt: sql`now()`,
            })
            .where('id', '=', id)
            .execute(),
        )
        const after = await load(trx, id)
        await recordAudit(trx, actor, {
          action: 'category.update',
          entityType: 'category',
          entityId: id,
          before,
          after,
        })
        return after
      })
    },
  }
}
