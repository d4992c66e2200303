/**
 * Word matching for routing rules: a rule word matches a message word when both
 * reduce to the same key. The reduction is deliberately light, because a false
 * match sends a case to the wrong office while a miss only leaves it to the
 * default queue:
 *
 * 1. Case and accents are folded ("Città" = "citta"), on NFD so both composed
 *    and decomposed input fold alike.
 * 2. c/g + h + e/i loses the "h" (che→ce, chi→ci, ghe→ge, ghi→gi), as
 *    `filo_fts_text` does in sql/0003_case_lifecycle.sql, so "buche" meets "buca"
 *    and "parchi" meets "parco".
 * 3. Only inflection is removed, never derivation (a light stemmer in the spirit
 *    of Savoy's Italian one, not Snowball): a final "ia", "ie", "io" or "ii" goes,
 *    else a final a/e/i/o goes, and only when at least three letters remain.
 *    "lampioni"/"lampione" → lampion, "farmacie"/"farmacia" → farmac,
 *    "parcheggi"/"parcheggio" → parchegg.
 *
 * We did not use Snowball's Italian stemmer (the database's `italian_stem`) here:
 * it also strips derivational and verb endings, so "bucato" (laundry) and
 * "buca" (pothole) both become "buc", and "rifiuti" becomes "rif".
 *
 * Known limits, on purpose or not:
 * - words differing only in the final vowel merge: "casa"/"caso", "porta"/"porto",
 *   "pala"/"palo", "buca"/"buco";
 * - derived words and verb forms do not match: "strada" ≠ "stradale",
 *   "perdita" ≠ "perde", "allagamento" ≠ "allagato";
 * - irregular plurals do not match: "uomo" ≠ "uomini";
 * - words of three letters or fewer are not reduced: "via" ≠ "vie";
 * - no spelling tolerance ("lampone" is not "lampione") and no English stemming;
 * - tokens are runs of letters and digits, so elisions split ("dell'acqua" →
 *   "dell", "acqua") and hyphenated words are two words.
 */

/** A word of a text: as written (for explanations) and as reduced (for matching). */
export interface Token {
  form: string
  key: string
}

/** A message's words, per field (subject, body …): phrases never span two fields. */
export type TextIndex = readonly (readonly Token[])[]

// \p{M} keeps decomposed accents inside the word they belong to.
const WORD = /[\p{L}\p{M}\p{N}]+/gu

/** Lower case without accents, with che/chi/ghe/ghi written ce/ci/ge/gi. */
export function foldItalian(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/([cg])h([ei])/g, '$1$2')
}

/** The matching key of one folded word (see the module comment for the rules). */
export function stemItalian(folded: string): string {
  const cut = (n: number) => (folded.length - n >= 3 ? folded.slice(0, -n) : folded)
  if (/(?:ia|ie|io|ii)$/.test(folded) && folded.length - 2 >= 3) return folded.slice(0, -2)
  if (/[aeio]$/.test(folded)) return cut(1)
  return folded
}

/** The words of a text, in order. */
export function tokenize(text: string): Token[] {
  return Array.from(text.matchAll(WORD), ([form]) => ({ form, key: stemItalian(foldItalian(form)) }))
}

/** Indexes the fields of a message once, so every rule's words are looked up in the same tokens. */
export function indexText(...fields: readonly string[]): TextIndex {
  return fields.map(tokenize)
}

/** The keys of a rule word or phrase; empty when it holds no letter or digit. */
export function phraseKeys(phrase: string): string[] {
  return tokenize(phrase).map((t) => t.key)
}

/**
 * Where a rule word (or phrase, matched as consecutive words) occurs: the forms as
 * written in the message, without repeats; empty when it does not occur.
 */
export function findPhrase(index: TextIndex, phrase: string): string[] {
  const keys = phraseKeys(phrase)
  if (keys.length === 0) return []
  const found = new Set<string>()
  for (const tokens of index) {
    for (let start = 0; start + keys.length <= tokens.length; start++) {
      if (keys.every((key, i) => tokens[start + i]?.key === key))
        found.add(
          tokens
            .slice(start, start + keys.length)
            .map((t) => t.form)
            .join(' '),
        )
    }
  }
  return [...found]
}
