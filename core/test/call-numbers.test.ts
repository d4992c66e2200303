import { describe, expect, it } from 'vitest'
import { blockListKey, callNumberToE164 } from '../src/channels/phone/cti.admin.ts'

describe('numbers as PBXs spell them', () => {
  it('reads national, +, 00 and unprefixed international spellings as one E.164 number', () => {
    for (const spelling of [
      '0574183911',
      '+39 0574 183911',
      '0039 0574 183911',
      '390574183911',
      '+39-0574-183911',
    ]) {
      expect(callNumberToE164(spelling), spelling).toBe('+390574183911')
    }
    expect(callNumberToE164('3331234567')).toBe('+393331234567')
    // Zammad's own examples: German numbers without a prefix.
    expect(callNumberToE164('493055571600')).toBe('+493055571600')
  })

  it('has no number for anonymous callers and internal extensions', () => {
    for (const spelling of ['anonymous', 'Unknown', '', '  ', '201', 'sip:alice@pbx']) {
      expect(callNumberToE164(spelling), spelling).toBeNull()
    }
  })

  it('keeps the block list in E.164, with anonymous callers as one entry', () => {
    expect(blockListKey('0574 183911')).toBe('+390574183911')
    expect(blockListKey('ANONYMOUS')).toBe('anonymous')
    expect(blockListKey('private')).toBe('anonymous')
    expect(blockListKey('abc')).toBeNull()
  })
})
