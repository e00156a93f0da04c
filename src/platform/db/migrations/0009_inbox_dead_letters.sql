-- Rows whose attempts are spent are dead letters now, named as such ('failed' before).
UPDATE "inbox" SET "status" = 'dead' WHERE "status" = 'failed';--> statement-breakpoint
CREATE INDEX "inbox_dead_idx" ON "inbox" USING btree ("id") WHERE "inbox"."status" = 'dead';
