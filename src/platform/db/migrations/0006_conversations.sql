CREATE TABLE "conversation_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"conversation_id" bigint NOT NULL,
	"role" text NOT NULL,
	"text" text NOT NULL,
	"outcome" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"chat_id" text NOT NULL,
	"client_userid" text NOT NULL,
	"owner_state" text DEFAULT 'bot' NOT NULL,
	"rm_userid" text,
	"handed_off_at" timestamp with time zone,
	"taken_over_at" timestamp with time zone,
	"taken_over_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversations_owner_state" CHECK ("conversations"."owner_state" IN ('bot','pending-human','human','resolved'))
);
--> statement-breakpoint
CREATE INDEX "conversation_messages_conv_idx" ON "conversation_messages" USING btree ("conversation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_open_uq" ON "conversations" USING btree ("chat_id","client_userid") WHERE "conversations"."owner_state" <> 'resolved';