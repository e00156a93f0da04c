CREATE TABLE "community_groups" (
	"chat_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"group_key" text,
	"topic_tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"capacity" integer DEFAULT 500 NOT NULL,
	"member_count" integer DEFAULT 0 NOT NULL,
	"owner_rm" text,
	"join_way_config_id" text,
	"join_way_qr" text,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"synced_at" timestamp with time zone,
	CONSTRAINT "community_groups_status" CHECK ("community_groups"."status" IN ('active','full','archived','dismissed'))
);
--> statement-breakpoint
CREATE TABLE "group_invitations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"external_userid" text NOT NULL,
	"group_key" text NOT NULL,
	"chat_id" text,
	"kind" text NOT NULL,
	"rm_userid" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"explanation" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone,
	CONSTRAINT "group_invitations_kind" CHECK ("group_invitations"."kind" IN ('join','leave')),
	CONSTRAINT "group_invitations_status" CHECK ("group_invitations"."status" IN ('pending','confirmed','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "group_memberships" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"chat_id" text NOT NULL,
	"member_id" text NOT NULL,
	"member_type" integer NOT NULL,
	"joined_at" timestamp with time zone NOT NULL,
	"join_scene" integer,
	"left_at" timestamp with time zone,
	"quit_scene" integer,
	"source" text DEFAULT 'event' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "channels" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"state" text NOT NULL,
	"cost" numeric(14, 2) DEFAULT '0' NOT NULL,
	"config_id" text,
	"qr_code" text,
	"rm_userids" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channels_state_unique" UNIQUE("state"),
	CONSTRAINT "channels_state_len" CHECK (char_length("channels"."state") <= 30)
);
--> statement-breakpoint
CREATE TABLE "client_rms" (
	"external_userid" text NOT NULL,
	"rm_userid" text NOT NULL,
	"state" text,
	"added_at" timestamp with time zone NOT NULL,
	"removed_at" timestamp with time zone,
	CONSTRAINT "client_rms_external_userid_rm_userid_pk" PRIMARY KEY("external_userid","rm_userid")
);
--> statement-breakpoint
CREATE TABLE "clients" (
	"external_userid" text PRIMARY KEY NOT NULL,
	"name" text,
	"birthday" date,
	"aum_band" text,
	"risk_level" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"engagement_score" integer,
	"owner_rm" text,
	"channel_id" text,
	"channel_state" text,
	"status" text DEFAULT 'active' NOT NULL,
	"aware_at" timestamp with time zone,
	"acquired_at" timestamp with time zone,
	"activated_at" timestamp with time zone,
	"tier" text,
	"tier_since" timestamp with time zone,
	"pending_downgrade_to" text,
	"pending_downgrade_since" timestamp with time zone,
	"profile_updated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clients_risk_level" CHECK ("clients"."risk_level" IS NULL OR "clients"."risk_level" IN ('C1','C2','C3','C4','C5')),
	CONSTRAINT "clients_status" CHECK ("clients"."status" IN ('active','removed_by_client','removed_by_rm'))
);
--> statement-breakpoint
CREATE TABLE "corp_tags" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"group_id" text NOT NULL,
	"group_name" text NOT NULL,
	"deleted_at" timestamp with time zone,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rms" (
	"userid" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"branch" text,
	"persona" text,
	"capacity" integer DEFAULT 2000 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "welcomes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"inbox_id" bigint NOT NULL,
	"external_userid" text NOT NULL,
	"rm_userid" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"tier" text,
	"template_id" text,
	"text" text,
	"join_link" text,
	"event_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "welcomes_status" CHECK ("welcomes"."status" IN ('pending','sent','skipped','failed'))
);
--> statement-breakpoint
ALTER TABLE "client_rms" ADD CONSTRAINT "client_rms_external_userid_clients_external_userid_fk" FOREIGN KEY ("external_userid") REFERENCES "public"."clients"("external_userid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_rms" ADD CONSTRAINT "client_rms_rm_userid_rms_userid_fk" FOREIGN KEY ("rm_userid") REFERENCES "public"."rms"("userid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_owner_rm_rms_userid_fk" FOREIGN KEY ("owner_rm") REFERENCES "public"."rms"("userid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "community_groups_key_idx" ON "community_groups" USING btree ("group_key");--> statement-breakpoint
CREATE UNIQUE INDEX "group_invitations_open_uq" ON "group_invitations" USING btree ("external_userid","group_key","kind") WHERE "group_invitations"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "group_memberships_open_uq" ON "group_memberships" USING btree ("chat_id","member_id") WHERE "group_memberships"."left_at" IS NULL;--> statement-breakpoint
CREATE INDEX "group_memberships_member_idx" ON "group_memberships" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "clients_owner_rm_idx" ON "clients" USING btree ("owner_rm");--> statement-breakpoint
CREATE INDEX "clients_channel_idx" ON "clients" USING btree ("channel_id");--> statement-breakpoint
CREATE UNIQUE INDEX "welcomes_inbox_uq" ON "welcomes" USING btree ("inbox_id");--> statement-breakpoint
-- Clients whose add event names no known channel are attributed here (and counted).
INSERT INTO "channels" ("id", "name", "state", "created_by") VALUES ('unknown', '未知渠道', '', 'system');
