ALTER TABLE "welcomes" ADD COLUMN "welcome_code" text;--> statement-breakpoint
CREATE INDEX "welcomes_pending_idx" ON "welcomes" USING btree ("event_at") WHERE "welcomes"."status" = 'pending';