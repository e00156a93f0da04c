CREATE TABLE "points_balances" (
	"external_userid" text PRIMARY KEY NOT NULL,
	"balance" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "points_balances_balance_ck" CHECK ("points_balances"."balance" >= 0)
);
--> statement-breakpoint
CREATE TABLE "points_ledger" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"external_userid" text NOT NULL,
	"kind" text NOT NULL,
	"amount" integer NOT NULL,
	"reason" text NOT NULL,
	"source_type" text NOT NULL,
	"source_id" text NOT NULL,
	"reverses_id" bigint,
	"actor" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "points_ledger_kind_ck" CHECK ("points_ledger"."kind" IN ('grant','spend','expire','reversal')),
	CONSTRAINT "points_ledger_sign_ck" CHECK (("points_ledger"."kind" = 'grant' AND "points_ledger"."amount" > 0) OR ("points_ledger"."kind" IN ('spend','expire') AND "points_ledger"."amount" < 0)
          OR ("points_ledger"."kind" = 'reversal' AND "points_ledger"."amount" <> 0 AND "points_ledger"."reverses_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "points_lots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"entry_id" bigint NOT NULL,
	"external_userid" text NOT NULL,
	"amount" integer NOT NULL,
	"remaining" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "points_lots_remaining_ck" CHECK ("points_lots"."remaining" >= 0 AND "points_lots"."remaining" <= "points_lots"."amount")
);
--> statement-breakpoint
ALTER TABLE "points_ledger" ADD CONSTRAINT "points_ledger_reverses_id_points_ledger_id_fk" FOREIGN KEY ("reverses_id") REFERENCES "public"."points_ledger"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_lots" ADD CONSTRAINT "points_lots_entry_id_points_ledger_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."points_ledger"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "points_ledger_source_uq" ON "points_ledger" USING btree ("source_type","source_id","external_userid","kind") WHERE "points_ledger"."kind" <> 'reversal';--> statement-breakpoint
CREATE UNIQUE INDEX "points_ledger_reverses_uq" ON "points_ledger" USING btree ("reverses_id");--> statement-breakpoint
CREATE INDEX "points_ledger_client_idx" ON "points_ledger" USING btree ("external_userid","id");--> statement-breakpoint
CREATE UNIQUE INDEX "points_lots_entry_uq" ON "points_lots" USING btree ("entry_id");--> statement-breakpoint
CREATE INDEX "points_lots_open_idx" ON "points_lots" USING btree ("external_userid","expires_at") WHERE "points_lots"."remaining" > 0;--> statement-breakpoint
CREATE INDEX "points_lots_expiry_idx" ON "points_lots" USING btree ("expires_at") WHERE "points_lots"."remaining" > 0;--> statement-breakpoint
-- The points ledger is append-only, like the audit log: a correction is a reversal row, never an edit.
CREATE FUNCTION helix_points_ledger_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'points_ledger is append-only (% rejected)', TG_OP USING ERRCODE = '42501';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER points_ledger_no_update_delete BEFORE UPDATE OR DELETE ON "points_ledger"
  FOR EACH ROW EXECUTE FUNCTION helix_points_ledger_immutable();
--> statement-breakpoint
CREATE TRIGGER points_ledger_no_truncate BEFORE TRUNCATE ON "points_ledger"
  FOR EACH STATEMENT EXECUTE FUNCTION helix_points_ledger_immutable();
