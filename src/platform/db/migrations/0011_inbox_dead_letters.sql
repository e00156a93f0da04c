-- Rows whose attempts are spent are dead letters now, named as such ('failed' before). The status check
-- (hand-written in 0001) changes with it.
ALTER TABLE "inbox" DROP CONSTRAINT "inbox_status_ck";--> statement-breakpoint
UPDATE "inbox" SET "status" = 'dead' WHERE "status" = 'failed';--> statement-breakpoint
ALTER TABLE "inbox" ADD CONSTRAINT "inbox_status_ck" CHECK ("status" IN ('received', 'processed', 'dead'));--> statement-breakpoint
CREATE INDEX "inbox_dead_idx" ON "inbox" USING btree ("id") WHERE "inbox"."status" = 'dead';
