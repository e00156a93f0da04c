import { z } from 'zod';
import { loadYamlFile } from '../../platform/yaml-file.ts';

const schema = z
  .object({ groups: z.array(z.array(z.string().min(1).max(20)).min(2).max(30)).max(2000) })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Map<string, number>();
    for (const [i, g] of f.groups.entries()) {
      for (const [j, w] of g.entries()) {
        const other = seen.get(w);
        if (other !== undefined && other !== i)
          ctx.addIssue({
            code: 'custom',
            path: ['groups', i, j],
            message: `"${w}" is already in group ${other}`,
          });
        seen.set(w, i);
      }
    }
  });

/** Reads the banking synonym list: word → its group's id (the group's first word). */
export function loadSynonyms(file: string): Map<string, string> {
  const { groups } = loadYamlFile(file, schema, (m) => new Error(m));
  const map = new Map<string, string>();
  for (const g of groups) for (const w of g) map.set(w.toLowerCase(), (g[0] as string).toLowerCase());
  return map;
}
