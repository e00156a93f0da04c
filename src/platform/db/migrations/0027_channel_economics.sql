CREATE TABLE "channel_costs" (
	"channel_id" text NOT NULL,
	"month" date NOT NULL,
	"cost" numeric(14, 2) NOT NULL,
	"reach" integer,
	"note" text,
	"entered_by" text NOT NULL,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channel_costs_channel_id_month_pk" PRIMARY KEY("channel_id","month"),
	CONSTRAINT "channel_costs_cost" CHECK ("channel_costs"."cost" >= 0),
	CONSTRAINT "channel_costs_reach" CHECK ("channel_costs"."reach" IS NULL OR "channel_costs"."reach" >= 0),
	CONSTRAINT "channel_costs_month" CHECK (extract(day FROM "channel_costs"."month") = 1)
);
--> statement-breakpoint
CREATE TABLE "channel_profiles" (
	"channel_id" text NOT NULL,
	"month" date NOT NULL,
	"acquired" integer NOT NULL,
	"activated" integer NOT NULL,
	"median_days_to_activate" numeric(10, 2),
	"tier_mix" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"risk_mix" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"top_tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"age_bands" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"engagement" jsonb NOT NULL,
	"cost" numeric(14, 2) NOT NULL,
	"reach" integer,
	"revenue" numeric(16, 2) NOT NULL,
	"aac" numeric(16, 2),
	"lroi" numeric(16, 4),
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "channel_profiles_channel_id_month_pk" PRIMARY KEY("channel_id","month")
);
--> statement-breakpoint
CREATE TABLE "client_revenue" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ref" text NOT NULL,
	"external_userid" text NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"import_id" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "revenue_imports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"actor" text NOT NULL,
	"file_name" text,
	"sha256" text NOT NULL,
	"rows" integer NOT NULL,
	"accepted" integer NOT NULL,
	"rejected" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "client_revenue" ADD CONSTRAINT "client_revenue_import_id_revenue_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."revenue_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "channel_profiles_month_idx" ON "channel_profiles" USING btree ("month");--> statement-breakpoint
CREATE UNIQUE INDEX "client_revenue_ref_uq" ON "client_revenue" USING btree ("ref");--> statement-breakpoint
CREATE INDEX "client_revenue_client_idx" ON "client_revenue" USING btree ("external_userid","occurred_at");