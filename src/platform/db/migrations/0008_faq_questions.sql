CREATE TABLE "faq_questions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"asked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"channel" text NOT NULL,
	"text" text NOT NULL,
	"outcome" text NOT NULL,
	"entry_id" text,
	"category" text,
	"confidence" real DEFAULT 0 NOT NULL,
	"candidates" text[] DEFAULT '{}'::text[] NOT NULL,
	"via" text,
	"conversation_id" bigint,
	"resolved_entry_id" text,
	"review_status" text DEFAULT 'open' NOT NULL,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone,
	"review_entry_id" text,
	CONSTRAINT "faq_questions_outcome" CHECK ("faq_questions"."outcome" IN ('answer','clarify','handoff','fallback')),
	CONSTRAINT "faq_questions_review" CHECK ("faq_questions"."review_status" IN ('open','attached','drafted','dismissed'))
);
--> statement-breakpoint
CREATE INDEX "faq_questions_asked_idx" ON "faq_questions" USING btree ("asked_at");--> statement-breakpoint
CREATE INDEX "faq_questions_review_idx" ON "faq_questions" USING btree ("asked_at") WHERE "faq_questions"."review_status" = 'open' AND "faq_questions"."outcome" <> 'answer';