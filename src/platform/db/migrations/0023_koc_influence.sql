CREATE TABLE "koc_influence" (
	"external_userid" text PRIMARY KEY NOT NULL,
	"brought" integer NOT NULL,
	"answered" integer NOT NULL,
	"invited" integer NOT NULL,
	"people" integer NOT NULL,
	"activated_rate" double precision,
	"retained_rate" double precision,
	"engaged_rate" double precision,
	"baseline_activated_rate" double precision,
	"baseline_retained_rate" double precision,
	"baseline_engaged_rate" double precision,
	"computed_at" timestamp with time zone NOT NULL
);
