CREATE TABLE "rm_scores" (
	"period_kind" text NOT NULL,
	"period_start" date NOT NULL,
	"rm" text NOT NULL,
	"branch" text,
	"score" double precision NOT NULL,
	"components" jsonb NOT NULL,
	"policy_version" text NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rm_scores_period_kind_period_start_rm_pk" PRIMARY KEY("period_kind","period_start","rm"),
	CONSTRAINT "rm_scores_period_kind" CHECK ("rm_scores"."period_kind" IN ('day','week','month'))
);
--> statement-breakpoint
CREATE INDEX "rm_scores_ranking_idx" ON "rm_scores" USING btree ("period_kind","period_start","branch","score" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "touches_rm_done_idx" ON "touches" USING btree ("rm","done_at") WHERE "touches"."status" = 'done';