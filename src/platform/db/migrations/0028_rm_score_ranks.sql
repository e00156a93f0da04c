DROP INDEX "rm_scores_ranking_idx";--> statement-breakpoint
ALTER TABLE "rm_scores" ADD COLUMN "rank" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "rm_scores" ADD COLUMN "points" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "rm_scores_ranking_idx" ON "rm_scores" USING btree ("period_kind","period_start","branch","rank");