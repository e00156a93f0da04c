CREATE TABLE "client_imports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"actor" text NOT NULL,
	"via" text NOT NULL,
	"file_name" text,
	"sha256" text NOT NULL,
	"rows" integer NOT NULL,
	"created" integer NOT NULL,
	"updated" integer NOT NULL,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
