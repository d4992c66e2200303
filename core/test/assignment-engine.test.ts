import { describe, expect, it } from 'vitest'
import {
  type AssignmentCandidate,
  chooseAssignee,
  describeAssignment,
} from '../src/assignment/assignment.engine.ts'

function agent(userId: number, partial: Partial<AssignmentCandidate> = {}): AssignmentCandidate {
  return {
    userId,
    name: `Agente ${userId}`,
    active: true,
    presence: 'available',
    load: 0,
    capacity: 10,
    skills: [],
    lastAssignedAt: null,
    ...partial,
  }
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 2, 9, minute))
let clock = 100

/** Assigns `n` cases one after the other, as the dispatcher does: the chosen agent's load and clock move. */
function simulate(
  agents: AssignmentCandidate[],
  strategy: 'round_robin' | 'least_loaded' | 'skill',
  n: number,
  skills: string[] = [],
) {
  const given = new Map<number, number>()
  for (let i = 0; i < n; i++) {
    const decision = chooseAssignee(agents, strategy, skills)
    if (decision.userId === null) break
    const chosen = agents.find((a) => a.userId === decision.userId)
    if (!chosen) throw new Error('chosen agent is not a candidate')
    chosen.load += 1
    clock += 1
    chosen.lastAssignedAt = at(clock)
    given.set(chosen.userId, (given.get(chosen.userId) ?? 0) + 1)
  }
  return given
}

describe('who is eligible', () => {
  it('never gives a case to an agent who is offline, away or busy, or to a deactivated one', () => {
    for (const strategy of ['round_robin', 'least_loaded', 'skill'] as const) {
      const decision = chooseAssignee(
        [
          agent(1, { presence: 'offline' }),
          agent(2, { presence: 'away' }),
          agent(3, { presence: 'busy' }),
          agent(4, { active: false }),
          agent(5, { load: 9 }),
        ],
        strategy,
      )
      expect(decision.userId).toBe(5)
    }
    const nobody = chooseAssignee(
      [agent(1, { presence: 'offline' }), agent(2, { presence: 'away' }), agent(3, { presence: 'busy' })],
      'round_robin',
    )
    expect(nobody).toMatchObject({ userId: null, reason: 'none_eligible' })
    expect(nobody.explanation.map((r) => r.code)).toEqual([
      'assign_excluded_presence',
      'assign_excluded_presence',
      'assign_excluded_presence',
      'assign_none_eligible',
    ])
  })

  it('never gives a case to an agent at or over capacity, and a capacity of 0 takes nothing', () => {
    const decision = chooseAssignee(
      [agent(1, { load: 3, capacity: 3 }), agent(2, { load: 5, capacity: 4 }), agent(3, { capacity: 0 })],
      'least_loaded',
    )
    expect(decision).toMatchObject({ userId: null, reason: 'none_eligible' })
    expect(decision.explanation[0]).toEqual({
      code: 'assign_excluded_full',
      params: { user: 'Agente 1', load: 3, capacity: 3 },
    })
  })

  it('manual queues never assign, and a queue without members says so', () => {
    expect(chooseAssignee([agent(1)], 'manual')).toMatchObject({ userId: null, reason: 'manual' })
    expect(chooseAssignee([], 'round_robin')).toMatchObject({ userId: null, reason: 'no_members' })
  })
})

describe('round robin', () => {
  it('gives the case to whoever never had one first, then to the oldest last assignment, ties by id', () => {
    expect(
      chooseAssignee([agent(3, { lastAssignedAt: at(1) }), agent(7), agent(5)], 'round_robin').userId,
    ).toBe(5)
    expect(
      chooseAssignee(
        [agent(1, { lastAssignedAt: at(9) }), agent(2, { lastAssignedAt: at(3) })],
        'round_robin',
      ).userId,
    ).toBe(2)
  })

  it('takes turns evenly whatever the loads, and skips those at capacity', () => {
    const agents = [agent(1, { load: 8 }), agent(2), agent(3, { load: 4 })]
    const given = simulate(agents, 'round_robin', 6)
    expect([...given.entries()].sort()).toEqual([
      [1, 2],
      [2, 2],
      [3, 2],
    ])
    // Agent 1 is now full (10 of 10): the turns go on between the other two.
    const more = simulate(agents, 'round_robin', 4)
    expect(more.get(1)).toBeUndefined()
    expect(more.get(2)).toBe(2)
    expect(more.get(3)).toBe(2)
  })
})

describe('least loaded', () => {
  it('picks the lowest share of capacity in use, not the lowest count', () => {
    // 4 of 10 is lighter than 2 of 4.
    const decision = chooseAssignee(
      [agent(1, { load: 2, capacity: 4 }), agent(2, { load: 4, capacity: 10 })],
      'least_loaded',
    )
    expect(decision.userId).toBe(2)
    expect(decision.explanation.at(-1)).toEqual({
      code: 'assign_chosen_least_loaded',
      params: { user: 'Agente 2', load: 4, capacity: 10 },
    })
  })

  it('breaks equal shares by the oldest last assignment, then by id', () => {
    expect(
      chooseAssignee(
        [agent(1, { load: 1, lastAssignedAt: at(5) }), agent(2, { load: 1, lastAssignedAt: at(2) })],
        'least_loaded',
      ).userId,
    ).toBe(2)
    expect(chooseAssignee([agent(4, { load: 2 }), agent(3, { load: 2 })], 'least_loaded').userId).toBe(3)
  })

  it('spreads in proportion to uneven capacities and stops when everyone is full', () => {
    const agents = [agent(1, { capacity: 2 }), agent(2, { capacity: 4 }), agent(3, { capacity: 6 })]
    const half = simulate(agents, 'least_loaded', 6)
    expect([half.get(1), half.get(2), half.get(3)]).toEqual([1, 2, 3])
    const rest = simulate(agents, 'least_loaded', 100)
    expect([rest.get(1), rest.get(2), rest.get(3)]).toEqual([1, 2, 3])
    expect(agents.map((a) => a.load)).toEqual([2, 4, 6])
    expect(chooseAssignee(agents, 'least_loaded').userId).toBeNull()
  })
})

describe('by skill', () => {
  const agents = () => [
    agent(1, { skills: ['potature'] }),
    agent(2, { skills: ['potature', 'alberi-alti'], load: 3 }),
    agent(3, { skills: ['alberi-alti', 'potature', 'motosega'], load: 1 }),
  ]

  it('considers only agents with every required skill, then the least loaded of them', () => {
    const decision = chooseAssignee(agents(), 'skill', ['potature', 'alberi-alti'])
    expect(decision.userId).toBe(3)
    expect(decision.explanation.map((r) => r.code)).toEqual(['assign_excluded_skills', 'assign_chosen_skill'])
    expect(decision.explanation[0]?.params).toEqual({ user: 'Agente 1', missing: 'alberi-alti' })
  })

  it('leaves the case waiting when no available agent has the skills, even if unskilled ones are free', () => {
    const decision = chooseAssignee(agents(), 'skill', ['idraulica'])
    expect(decision).toMatchObject({ userId: null, reason: 'none_skilled' })
    const busySkilled = agents().map((a) => (a.userId === 1 ? a : { ...a, presence: 'busy' as const }))
    expect(chooseAssignee(busySkilled, 'skill', ['alberi-alti'])).toMatchObject({ userId: null })
  })

  it('without required skills behaves as least loaded', () => {
    expect(chooseAssignee(agents(), 'skill', []).userId).toBe(1)
  })
})

describe('explanations', () => {
  it('say in Italian and English who was left out and who was chosen', () => {
    const decision = chooseAssignee(
      [agent(1, { presence: 'away', name: 'Anna' }), agent(2, { name: 'Bruno' })],
      'round_robin',
    )
    expect(describeAssignment(decision, 'it')).toEqual([
      'Anna escluso: assente.',
      'Assegnato a Bruno a rotazione: non aveva ancora ricevuto casi da questa coda.',
    ])
    expect(describeAssignment(decision, 'en')).toEqual([
      'Anna left out: away.',
      'Assigned to Bruno in turn: they had not yet received a case from this queue.',
    ])
  })
})
