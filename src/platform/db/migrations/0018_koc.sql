CREATE TABLE "circle_invites" (
	"circle_id" text NOT NULL,
	"external_userid" text NOT NULL,
	"invited_by" text NOT NULL,
	"invited_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'invited' NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "circle_invites_circle_id_external_userid_pk" PRIMARY KEY("circle_id","external_userid"),
	CONSTRAINT "circle_invites_status" CHECK ("circle_invites"."status" IN ('invited','joined','revoked'))
);
--> statement-breakpoint
CREATE TABLE "koc_contributions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"external_userid" text NOT NULL,
	"kind" text NOT NULL,
	"ref" text NOT NULL,
	"weight" double precision NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "koc_contributions_kind" CHECK ("koc_contributions"."kind" IN ('helpful_answer','shared_click','referral_activated','event_attended'))
);
--> statement-breakpoint
CREATE TABLE "koc_scores" (
	"external_userid" text PRIMARY KEY NOT NULL,
	"score" double precision NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"weights_version" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "circle_invites_client_idx" ON "circle_invites" USING btree ("external_userid");--> statement-breakpoint
CREATE UNIQUE INDEX "koc_contributions_ref_uq" ON "koc_contributions" USING btree ("ref");--> statement-breakpoint
CREATE INDEX "koc_contributions_client_idx" ON "koc_contributions" USING btree ("external_userid","occurred_at");--> statement-breakpoint
CREATE INDEX "koc_scores_score_idx" ON "koc_scores" USING btree ("score");