CREATE TABLE "experiment_results" (
	"component_id" text NOT NULL,
	"version" integer NOT NULL,
	"variant_id" text NOT NULL,
	"outcome" text NOT NULL,
	"branch" text DEFAULT '' NOT NULL,
	"exposed" integer NOT NULL,
	"converted" integer NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "experiment_results_component_id_version_variant_id_outcome_branch_pk" PRIMARY KEY("component_id","version","variant_id","outcome","branch"),
	CONSTRAINT "experiment_results_outcome" CHECK ("experiment_results"."outcome" IN ('read','clicked','replied','converted')),
	CONSTRAINT "experiment_results_counts" CHECK ("experiment_results"."converted" >= 0 AND "experiment_results"."converted" <= "experiment_results"."exposed")
);
