import type { ApiError } from './api.ts';
import { type MessageKey, messages, t } from './messages.ts';

/**
 * The API's problem with `field`: the one its `problems` name, or its message when that names the field
 * first (`endsAt: …`, as service checks beyond the schema answer).
 */
export function fieldProblem(error: ApiError | null, field: string): string | undefined {
  if (!error) return undefined;
  const listed = error.problemFor(field);
  if (listed) return listed;
  const m = /^([^:\s]+):\s*(.*)$/s.exec(error.message);
  return m && (m[1] === field || m[1]!.startsWith(`${field}.`)) ? m[2] : undefined;
}

/**
 * What a form needs to show the API's refusal next to its fields: `invalid(name)` for the control's ARIA,
 * `note(name)` for the problem beside it, and `general`, the refusal no field explains.
 */
export function fieldErrors<F extends string>(error: ApiError | null, form: string, fields: readonly F[]) {
  const errorId = (name: F) => `${form}-${name}-error`;
  return {
    invalid: (name: F) =>
      fieldProblem(error, name)
        ? ({ 'aria-invalid': true, 'aria-describedby': errorId(name) } as const)
        : ({ 'aria-invalid': undefined, 'aria-describedby': undefined } as const),
    note: (name: F) => {
      const problem = fieldProblem(error, name);
      return problem ? (
        <span role="alert" className="field-error" id={errorId(name)}>
          {problem}
        </span>
      ) : null;
    },
    general: error && !fields.some((name) => fieldProblem(error, name)) ? error : null,
  };
}

/** A value in words from the catalogue (`prefix.value`), the raw value when the catalogue lacks it. */
export function wordFor(prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return key in messages ? t(key as MessageKey) : value;
}

/** A `datetime-local` value read as Shanghai time, as the API's ISO time; undefined when empty. */
export function shanghaiIso(value: string): string | undefined {
  return value ? `${value.length === 16 ? `${value}:00` : value}+08:00` : undefined;
}
