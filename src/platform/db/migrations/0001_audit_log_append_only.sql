-- The audit log is append-only: the database itself refuses to change or remove history,
-- so no code path (or hurried operator) can rewrite it.
CREATE FUNCTION helix_audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% rejected)', TG_OP USING ERRCODE = '42501';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION helix_audit_log_immutable();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION helix_audit_log_immutable();
--> statement-breakpoint
ALTER TABLE "inbox" ADD CONSTRAINT "inbox_status_ck" CHECK ("status" IN ('received', 'processed', 'failed'));
--> statement-breakpoint
ALTER TABLE "inbox" ADD CONSTRAINT "inbox_source_ck" CHECK ("source" IN ('app', 'bot'));
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_role_ck" CHECK ("role" IN ('admin', 'ops', 'compliance', 'rm'));
