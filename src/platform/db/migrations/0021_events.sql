CREATE TABLE "event_reminders" (
	"event_id" bigint NOT NULL,
	"minutes_before" integer NOT NULL,
	"rms_notified" integer NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "event_reminders_event_id_minutes_before_pk" PRIMARY KEY("event_id","minutes_before")
);
--> statement-breakpoint
CREATE TABLE "event_signups" (
	"event_id" bigint NOT NULL,
	"external_userid" text NOT NULL,
	"status" text NOT NULL,
	"via" text NOT NULL,
	"queue_no" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"cancelled_at" timestamp with time zone,
	"promoted_at" timestamp with time zone,
	"attended_at" timestamp with time zone,
	CONSTRAINT "event_signups_event_id_external_userid_pk" PRIMARY KEY("event_id","external_userid"),
	CONSTRAINT "event_signups_status" CHECK ("event_signups"."status" IN ('signed_up','waitlisted','cancelled')),
	CONSTRAINT "event_signups_via" CHECK ("event_signups"."via" IN ('bot','link','ops'))
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"capacity" integer NOT NULL,
	"audience" jsonb NOT NULL,
	"invitation_component_id" text NOT NULL,
	"calendar_entry_id" text,
	"reminders" integer[] DEFAULT '{1440,60}'::int[] NOT NULL,
	"points_for_attendance" integer DEFAULT 0 NOT NULL,
	"signup_secret" text NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "events_kind" CHECK ("events"."kind" IN ('welfare_day','night_school','tea_party','other')),
	CONSTRAINT "events_status" CHECK ("events"."status" IN ('scheduled','cancelled')),
	CONSTRAINT "events_capacity" CHECK ("events"."capacity" >= 0),
	CONSTRAINT "events_times" CHECK ("events"."ends_at" > "events"."starts_at")
);
--> statement-breakpoint
ALTER TABLE "event_reminders" ADD CONSTRAINT "event_reminders_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_signups" ADD CONSTRAINT "event_signups_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_signups_queue_idx" ON "event_signups" USING btree ("event_id","status","queue_no");--> statement-breakpoint
CREATE INDEX "events_starts_at_idx" ON "events" USING btree ("starts_at");