CREATE TABLE "flash_claims" (
	"sale_id" text NOT NULL,
	"external_userid" text NOT NULL,
	"status" text DEFAULT 'won' NOT NULL,
	"via" text NOT NULL,
	"chat_id" text,
	"ref" text,
	"claimed_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"redeemed_at" timestamp with time zone,
	CONSTRAINT "flash_claims_sale_id_external_userid_pk" PRIMARY KEY("sale_id","external_userid"),
	CONSTRAINT "flash_claims_status" CHECK ("flash_claims"."status" IN ('won','redeemed','expired','returned')),
	CONSTRAINT "flash_claims_via" CHECK ("flash_claims"."via" IN ('keyword','link'))
);
--> statement-breakpoint
CREATE TABLE "flash_sales" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"item_name" text NOT NULL,
	"stock" integer NOT NULL,
	"taken" integer DEFAULT 0 NOT NULL,
	"keyword" text DEFAULT '秒杀' NOT NULL,
	"eligibility" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"per_client_limit" integer DEFAULT 1 NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"return_unclaimed" boolean DEFAULT false NOT NULL,
	"redeem_within_hours" integer DEFAULT 72 NOT NULL,
	"points_cost" integer DEFAULT 0 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "flash_sales_stock" CHECK ("flash_sales"."stock" >= 0 AND "flash_sales"."taken" >= 0 AND "flash_sales"."taken" <= "flash_sales"."stock"),
	CONSTRAINT "flash_sales_window" CHECK ("flash_sales"."closes_at" > "flash_sales"."opens_at"),
	CONSTRAINT "flash_sales_limit" CHECK ("flash_sales"."per_client_limit" = 1)
);
--> statement-breakpoint
ALTER TABLE "flash_claims" ADD CONSTRAINT "flash_claims_sale_id_flash_sales_id_fk" FOREIGN KEY ("sale_id") REFERENCES "public"."flash_sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "flash_claims_due_idx" ON "flash_claims" USING btree ("expires_at") WHERE "flash_claims"."status" = 'won';--> statement-breakpoint
CREATE INDEX "flash_sales_window_idx" ON "flash_sales" USING btree ("closes_at");