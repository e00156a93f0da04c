CREATE TABLE "faq_entries" (
	"id" text PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "faq_versions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"entry_id" text NOT NULL,
	"version" integer NOT NULL,
	"question" text NOT NULL,
	"similar" text[] DEFAULT '{}'::text[] NOT NULL,
	"answer" text NOT NULL,
	"category" text NOT NULL,
	"tiers" text[] DEFAULT '{}'::text[] NOT NULL,
	"product_risk_level" text,
	"valid_from" date,
	"valid_until" date,
	"status" text NOT NULL,
	"author" text NOT NULL,
	"reviewer" text,
	"findings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reviewed_at" timestamp with time zone,
	CONSTRAINT "faq_versions_status" CHECK ("faq_versions"."status" IN ('draft','submitted','approved','rejected')),
	CONSTRAINT "faq_versions_maker_checker" CHECK ("faq_versions"."reviewer" IS NULL OR "faq_versions"."reviewer" <> "faq_versions"."author")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "faq_versions_entry_version_uq" ON "faq_versions" USING btree ("entry_id","version");