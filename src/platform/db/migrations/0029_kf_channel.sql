CREATE TABLE "kf_cursors" (
	"open_kfid" text PRIMARY KEY NOT NULL,
	"cursor" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kf_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"msgid" text NOT NULL,
	"open_kfid" text NOT NULL,
	"external_userid" text NOT NULL,
	"kind" text NOT NULL,
	"text" text,
	"welcome_code" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	CONSTRAINT "kf_messages_msgid_unique" UNIQUE("msgid"),
	CONSTRAINT "kf_messages_status" CHECK ("kf_messages"."status" IN ('pending','done')),
	CONSTRAINT "kf_messages_kind" CHECK ("kf_messages"."kind" IN ('text','enter_session','other'))
);
--> statement-breakpoint
CREATE INDEX "kf_messages_pending_idx" ON "kf_messages" USING btree ("open_kfid","id") WHERE "kf_messages"."status" = 'pending';