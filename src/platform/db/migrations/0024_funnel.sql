CREATE TABLE "channel_exposures" (
	"channel_id" text NOT NULL,
	"day" date NOT NULL,
	"kind" text NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "channel_exposures_channel_id_day_kind_pk" PRIMARY KEY("channel_id","day","kind"),
	CONSTRAINT "channel_exposures_kind" CHECK ("channel_exposures"."kind" IN ('link_open'))
);
--> statement-breakpoint
CREATE TABLE "churn_alerts" (
	"rm" text NOT NULL,
	"week_start" date NOT NULL,
	"churned" integer NOT NULL,
	"base" integer NOT NULL,
	"rate" double precision NOT NULL,
	"threshold" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "churn_alerts_rm_week_start_pk" PRIMARY KEY("rm","week_start")
);
--> statement-breakpoint
CREATE TABLE "funnel_weekly" (
	"week_start" date NOT NULL,
	"channel_id" text NOT NULL,
	"rm" text NOT NULL,
	"aware" integer DEFAULT 0 NOT NULL,
	"acquired" integer DEFAULT 0 NOT NULL,
	"activated" integer DEFAULT 0 NOT NULL,
	"churned_by_client" integer DEFAULT 0 NOT NULL,
	"removed_by_rm" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "funnel_weekly_week_start_channel_id_rm_pk" PRIMARY KEY("week_start","channel_id","rm")
);
--> statement-breakpoint
CREATE TABLE "retention_cohorts" (
	"cohort_week" date NOT NULL,
	"channel_id" text NOT NULL,
	"weeks_after" integer NOT NULL,
	"size" integer NOT NULL,
	"still_contact" integer NOT NULL,
	"in_group" integer NOT NULL,
	"touched" integer NOT NULL,
	"active" integer NOT NULL,
	CONSTRAINT "retention_cohorts_cohort_week_channel_id_weeks_after_pk" PRIMARY KEY("cohort_week","channel_id","weeks_after")
);
