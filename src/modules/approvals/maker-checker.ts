import type { Role } from '../../platform/db/schema.ts';

/**
 * The one maker–checker workflow every reviewed thing follows (content versions today, FAQ versions next).
 * Pure: callers read the current row (locked, in their transaction), ask `decideStep`, and write the answer.
 * It imports nothing but types, so any module may build on it without a cycle.
 */

/** Where a reviewed version stands. */
export type ApprovalStatus = 'draft' | 'submitted' | 'approved' | 'rejected';

/** A step someone takes on a version. */
export type ApprovalStep = 'submit' | 'approve' | 'reject';

/**
 * How serious a finding on a version is: the compliance engine's own words, so its findings are stored
 * as they come. `block` stops approval; `warn` is for the checker to weigh.
 */
export type FindingSeverity = 'block' | 'warn';

/** A status a step can lead to (nothing leads back to draft). */
export type StepTarget = Exclude<ApprovalStatus, 'draft'>;

/** The status each step starts from and leads to; approved and rejected are final (a change is a new version). */
export const TRANSITIONS: Readonly<Record<ApprovalStep, { from: ApprovalStatus; to: StepTarget }>> = {
  submit: { from: 'draft', to: 'submitted' },
  approve: { from: 'submitted', to: 'approved' },
  reject: { from: 'submitted', to: 'rejected' },
};

/** The role a checker must hold to approve or reject. */
export const CHECKER_ROLE: Role = 'compliance';

/** What `decideStep` needs to know about the version. */
export type VersionState<F extends { severity: FindingSeverity }> = {
  status: ApprovalStatus;
  author: string;
  findings: readonly F[];
};

/** The step is allowed: write `to`. */
export type StepAllowed = { ok: true; from: ApprovalStatus; to: StepTarget };

/**
 * The step is refused. `code` is an AppError code (`forbidden`: not this actor; `conflict`: not this
 * version as it stands); `blocking` lists the findings that stopped an approval.
 */
export type StepRefused<F> = {
  ok: false;
  code: 'forbidden' | 'conflict';
  message: string;
  blocking: F[];
};

/** Decides whether `actor` may take `step` on a version in `current`, and where it leads. */
export function decideStep<F extends { severity: FindingSeverity }>(input: {
  step: ApprovalStep;
  current: VersionState<F>;
  actor: { name: string; role: Role };
  /** How messages name the version, e.g. `version 2 of salon-invite`. */
  subject?: string;
}): StepAllowed | StepRefused<F> {
  const { step, current, actor } = input;
  const subject = input.subject ?? 'this version';
  const refuse = (code: StepRefused<F>['code'], message: string, blocking: F[] = []): StepRefused<F> => ({
    ok: false,
    code,
    message,
    blocking,
  });
  // Who may act is decided before the state, so an outsider learns nothing about where a version stands.
  if (step === 'submit') {
    if (actor.name !== current.author)
      return refuse('forbidden', `only the author (${current.author}) can submit ${subject}`);
  } else {
    // Checked by name, not role: a maker who also holds the checker role still may not check their own work.
    if (actor.name === current.author)
      return refuse('forbidden', `the maker cannot ${step} their own work (${subject})`);
    if (actor.role !== CHECKER_ROLE)
      return refuse('forbidden', `only ${CHECKER_ROLE} can ${step} ${subject}`);
  }
  const { from, to } = TRANSITIONS[step];
  if (current.status !== from) return refuse('conflict', `${subject} is ${current.status}, not ${from}`);
  if (step === 'approve') {
    const blocking = current.findings.filter((f) => f.severity === 'block');
    if (blocking.length > 0)
      return refuse(
        'conflict',
        `${subject} has ${blocking.length} blocking finding(s); reject it instead`,
        blocking,
      );
  }
  return { ok: true, from, to };
}
