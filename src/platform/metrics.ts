import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** All Prometheus metrics of one Helix instance, on their own registry so tests can build several apps. */
export type Metrics = ReturnType<typeof createMetrics>;

/** Creates the registry and the metrics every role records. */
export function createMetrics(opts: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'helix_' });
  return {
    registry,
    callbacks: new Counter({
      name: 'helix_callbacks_total',
      help: 'WeCom callbacks received, by endpoint, payload type and outcome',
      labelNames: ['endpoint', 'type', 'outcome'] as const,
      registers: [registry],
    }),
    intakeDuration: new Histogram({
      name: 'helix_intake_duration_seconds',
      help: 'Time from receiving a callback to acknowledging it',
      labelNames: ['endpoint'] as const,
      buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'helix_queue_depth',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
    }),
    jobFailures: new Counter({
      name: 'helix_job_failures_total',
      help: 'Job attempts that failed, by job name and whether the job gave up',
      labelNames: ['job', 'final'] as const,
      registers: [registry],
    }),
    jobsCompleted: new Counter({
      name: 'helix_jobs_completed_total',
      help: 'Jobs that completed, by job name',
      labelNames: ['job'] as const,
      registers: [registry],
    }),
    wecomCalls: new Counter({
      name: 'helix_wecom_calls_total',
      help: 'WeCom API calls (each HTTP attempt), by API path and errcode',
      labelNames: ['api', 'errcode'] as const,
      registers: [registry],
    }),
    wecomCallDuration: new Histogram({
      name: 'helix_wecom_call_duration_seconds',
      help: 'Latency of WeCom API HTTP attempts',
      labelNames: ['api'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    wecomCircuitOpen: new Gauge({
      name: 'helix_wecom_circuit_open',
      help: '1 while the circuit to a WeCom base URL is open (calls fail fast because WeCom was unreachable)',
      labelNames: ['base_url'] as const,
      registers: [registry],
    }),
    clientsAdded: new Counter({
      name: 'helix_clients_added_total',
      help: 'Clients adding an RM, by channel (unknown when the State named no channel) and whether new',
      labelNames: ['channel', 'new'] as const,
      registers: [registry],
    }),
    welcomes: new Counter({
      name: 'helix_welcomes_total',
      help: 'Welcome decisions by outcome (sent, skipped, failed) and reason',
      labelNames: ['outcome', 'reason'] as const,
      registers: [registry],
    }),
    faqDecisions: new Counter({
      name: 'helix_faq_decisions_total',
      help: 'Questions the smart service decided, by channel, outcome (answer, clarify, handoff, fallback) and how',
      labelNames: ['channel', 'outcome', 'via'] as const,
      registers: [registry],
    }),
    llmCalls: new Counter({
      name: 'helix_llm_calls_total',
      help: 'Calls to the optional LLM by operation (rewrite, compose) and result (ok, failed, rejected)',
      labelNames: ['op', 'result'] as const,
      registers: [registry],
    }),
    inboxDeadLetters: new Gauge({
      name: 'helix_inbox_dead_letters',
      help: 'Inbox rows dead-lettered after their attempts were spent (status dead; see /api/v1/inbox?status=dead)',
      registers: [registry],
    }),
    calendarOccurrences: new Gauge({
      name: 'helix_calendar_occurrences',
      help: 'Content-calendar occurrences recorded, by status (done, skipped, missed, failed, running)',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    scheduleMissed: new Counter({
      name: 'helix_schedule_missed_total',
      help: 'Scheduled runs older than the catch-up window when the scheduler came back, by schedule',
      labelNames: ['schedule'] as const,
      registers: [registry],
    }),
    churnAlerts: new Counter({
      name: 'helix_churn_alerts_total',
      help: 'Churn alerts raised: an RM whose clients deleted them in a week above CHURN_ALERT_RATE (once per RM and week)',
      registers: [registry],
    }),
    inboxRequeued: new Counter({
      name: 'helix_inbox_requeued_total',
      help: 'Inbox rows the sweeper re-enqueued because they were stored but never processed',
      registers: [registry],
    }),
  };
}
