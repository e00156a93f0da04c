CREATE TABLE "content_components" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"source" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "content_components_source" CHECK ("content_components"."source" IN ('library','api'))
);
--> statement-breakpoint
CREATE TABLE "content_outcomes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"component_id" text NOT NULL,
	"version" integer NOT NULL,
	"variant_id" text NOT NULL,
	"external_userid" text NOT NULL,
	"channel" text NOT NULL,
	"outcome" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "content_versions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"component_id" text NOT NULL,
	"version" integer NOT NULL,
	"content_hash" text NOT NULL,
	"body" jsonb NOT NULL,
	"status" text NOT NULL,
	"author" text NOT NULL,
	"reviewer" text,
	"review_note" text,
	"findings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"reviewed_at" timestamp with time zone,
	CONSTRAINT "content_versions_status" CHECK ("content_versions"."status" IN ('draft','submitted','approved','rejected')),
	CONSTRAINT "content_versions_maker_checker" CHECK ("content_versions"."reviewer" IS NULL OR "content_versions"."reviewer" <> "content_versions"."author")
);
--> statement-breakpoint
CREATE INDEX "content_outcomes_component_idx" ON "content_outcomes" USING btree ("component_id","version","variant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "content_versions_component_version_uq" ON "content_versions" USING btree ("component_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "content_versions_component_hash_uq" ON "content_versions" USING btree ("component_id","content_hash");