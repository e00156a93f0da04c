import path from 'node:path';
import { z } from 'zod';
import { normalizeForSearch } from '../../../platform/text/normalize.ts';
import { loadYamlFile } from '../../../platform/yaml-file.ts';

/** The word lists retrieval uses: synonym phrase → its group's canonical phrase, and stop words. */
export type Lexicon = { synonyms: ReadonlyMap<string, string>; stopWords: ReadonlySet<string> };

/** An empty lexicon (no synonyms, no stop words). */
export const EMPTY_LEXICON: Lexicon = { synonyms: new Map(), stopWords: new Set() };

const phrase = z.string().trim().min(1).max(20);

/** `synonyms.yaml`: groups of words that mean the same in a banking question; the first word names the group. */
export const synonymsFileSchema = z
  .object({ groups: z.array(z.array(phrase).min(2).max(30)).max(2000) })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    for (const [i, group] of file.groups.entries()) {
      for (const [j, word] of group.entries()) {
        const key = normalizeForSearch(word);
        const other = seen.get(key);
        if (!key) ctx.addIssue({ code: 'custom', path: ['groups', i, j], message: 'no letters or digits' });
        else if (other !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['groups', i, j],
            message: `"${word}" is already in group ${other}`,
          });
        seen.set(key, i);
      }
    }
  });

/** `stop-words.yaml`: particles and fillers that say nothing about what is asked. */
export const stopWordsFileSchema = z.object({ words: z.array(phrase).max(2000) }).strict();

/** Builds a lexicon from already-validated file contents. */
export function buildLexicon(
  synonyms: z.output<typeof synonymsFileSchema>,
  stopWords: z.output<typeof stopWordsFileSchema>,
): Lexicon {
  const map = new Map<string, string>();
  for (const group of synonyms.groups) {
    const canonical = normalizeForSearch(group[0] as string);
    for (const word of group) map.set(normalizeForSearch(word), canonical);
  }
  return { synonyms: map, stopWords: new Set(stopWords.words.map((w) => normalizeForSearch(w))) };
}

/** Reads and validates `synonyms.yaml` and `stop-words.yaml` from the FAQ content folder. */
export function loadLexicon(faqDir: string): Lexicon {
  const fail = (m: string) => new Error(m);
  return buildLexicon(
    loadYamlFile(path.join(faqDir, 'synonyms.yaml'), synonymsFileSchema, fail),
    loadYamlFile(path.join(faqDir, 'stop-words.yaml'), stopWordsFileSchema, fail),
  );
}
