CREATE TABLE "audience_segments" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"filter" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendar_entries" (
	"id" text PRIMARY KEY NOT NULL,
	"body" jsonb NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_entries_status" CHECK ("calendar_entries"."status" IN ('active','paused','ended'))
);
--> statement-breakpoint
CREATE TABLE "calendar_entry_versions" (
	"entry_id" text NOT NULL,
	"version" integer NOT NULL,
	"body" jsonb NOT NULL,
	"status" text NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"changed_by" text NOT NULL,
	CONSTRAINT "calendar_entry_versions_entry_id_version_pk" PRIMARY KEY("entry_id","version")
);
--> statement-breakpoint
CREATE TABLE "calendar_occurrences" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"entry_id" text NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"entry_version" integer NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"fired_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "calendar_occurrences_status" CHECK ("calendar_occurrences"."status" IN ('running','done','failed','skipped','missed'))
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"occurrence_id" bigint NOT NULL,
	"recipient" text NOT NULL,
	"kind" text NOT NULL,
	"rm" text,
	"variant_id" text,
	"status" text NOT NULL,
	"reason" text,
	"task_id" bigint,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "deliveries_occurrence_id_recipient_pk" PRIMARY KEY("occurrence_id","recipient"),
	CONSTRAINT "deliveries_status" CHECK ("deliveries"."status" IN ('pending','sent','failed','skipped'))
);
--> statement-breakpoint
CREATE TABLE "send_tasks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"occurrence_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"sender" text NOT NULL,
	"variant_id" text NOT NULL,
	"batch" integer DEFAULT 0 NOT NULL,
	"recipients" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"text" text,
	"msgid" text,
	"errcode" integer,
	"error" text,
	"sending_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone,
	"polled_at" timestamp with time zone,
	CONSTRAINT "send_tasks_status" CHECK ("send_tasks"."status" IN ('pending','sending','created','confirmed','failed','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "task_reminders" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"rm" text NOT NULL,
	"day" text NOT NULL,
	"occurrence_id" bigint NOT NULL,
	"sent_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "touches" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"rm" text NOT NULL,
	"external_userid" text,
	"kind" text NOT NULL,
	"emotional" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"due_date" date,
	"title" text NOT NULL,
	"ref" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone,
	CONSTRAINT "touches_status" CHECK ("touches"."status" IN ('due','done'))
);
--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "opted_out_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "calendar_entry_versions" ADD CONSTRAINT "calendar_entry_versions_entry_id_calendar_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."calendar_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_occurrences" ADD CONSTRAINT "calendar_occurrences_entry_id_calendar_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."calendar_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_occurrences_entry_at_uq" ON "calendar_occurrences" USING btree ("entry_id","scheduled_at");--> statement-breakpoint
CREATE INDEX "calendar_occurrences_at_idx" ON "calendar_occurrences" USING btree ("scheduled_at");--> statement-breakpoint
CREATE INDEX "deliveries_recipient_at_idx" ON "deliveries" USING btree ("recipient","created_at");--> statement-breakpoint
CREATE INDEX "deliveries_task_idx" ON "deliveries" USING btree ("task_id");--> statement-breakpoint
CREATE UNIQUE INDEX "send_tasks_occurrence_sender_uq" ON "send_tasks" USING btree ("occurrence_id","kind","sender","variant_id","batch");--> statement-breakpoint
CREATE INDEX "send_tasks_sender_open_idx" ON "send_tasks" USING btree ("sender") WHERE "send_tasks"."status" = 'created';--> statement-breakpoint
CREATE INDEX "task_reminders_rm_day_idx" ON "task_reminders" USING btree ("rm","day");--> statement-breakpoint
CREATE UNIQUE INDEX "touches_ref_uq" ON "touches" USING btree ("ref");--> statement-breakpoint
CREATE INDEX "touches_rm_due_idx" ON "touches" USING btree ("rm","due_date") WHERE "touches"."status" = 'due';