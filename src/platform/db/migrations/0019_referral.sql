CREATE TABLE "activation_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"external_userid" text NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"ref" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activation_events_source" CHECK ("activation_events"."source" IN ('feed','api','event'))
);
--> statement-breakpoint
CREATE TABLE "referral_codes" (
	"referrer" text PRIMARY KEY NOT NULL,
	"rm" text NOT NULL,
	"state" text NOT NULL,
	"kind" text DEFAULT 'contact_way' NOT NULL,
	"config_id" text,
	"qr_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referral_codes_state_len" CHECK (char_length("referral_codes"."state") <= 30 AND "referral_codes"."state" LIKE 'rf-%'),
	CONSTRAINT "referral_codes_kind" CHECK ("referral_codes"."kind" IN ('contact_way','join_way'))
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"referrer" text NOT NULL,
	"referred" text NOT NULL,
	"rm" text NOT NULL,
	"state" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"added_at" timestamp with time zone NOT NULL,
	"activated_at" timestamp with time zone,
	"rewarded_at" timestamp with time zone,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone,
	CONSTRAINT "referrals_status" CHECK ("referrals"."status" IN ('pending','rewarded','rejected','review'))
);
--> statement-breakpoint
ALTER TABLE "activation_events" ADD CONSTRAINT "activation_events_external_userid_clients_external_userid_fk" FOREIGN KEY ("external_userid") REFERENCES "public"."clients"("external_userid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_codes" ADD CONSTRAINT "referral_codes_referrer_clients_external_userid_fk" FOREIGN KEY ("referrer") REFERENCES "public"."clients"("external_userid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_codes" ADD CONSTRAINT "referral_codes_rm_rms_userid_fk" FOREIGN KEY ("rm") REFERENCES "public"."rms"("userid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "activation_events_ref_uq" ON "activation_events" USING btree ("ref");--> statement-breakpoint
CREATE INDEX "activation_events_client_idx" ON "activation_events" USING btree ("external_userid","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "referral_codes_state_uq" ON "referral_codes" USING btree ("state");--> statement-breakpoint
CREATE UNIQUE INDEX "referrals_referred_uq" ON "referrals" USING btree ("referred");--> statement-breakpoint
CREATE INDEX "referrals_rm_added_idx" ON "referrals" USING btree ("rm","added_at");--> statement-breakpoint
CREATE INDEX "referrals_referrer_rewarded_idx" ON "referrals" USING btree ("referrer","rewarded_at");--> statement-breakpoint
CREATE INDEX "referrals_status_idx" ON "referrals" USING btree ("status","id");