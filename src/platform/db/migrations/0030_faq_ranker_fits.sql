CREATE TABLE "faq_ranker_fits" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text NOT NULL,
	"kb_digest" text NOT NULL,
	"examples" integer NOT NULL,
	"actor" text NOT NULL,
	"report" jsonb NOT NULL,
	"fit" jsonb,
	CONSTRAINT "faq_ranker_fits_status" CHECK ("faq_ranker_fits"."status" IN ('deployed','not_deployed','retired'))
);
--> statement-breakpoint
CREATE INDEX "faq_ranker_fits_deployed_idx" ON "faq_ranker_fits" USING btree ("id") WHERE "faq_ranker_fits"."status" = 'deployed';