/**
 * Generated from the API's OpenAPI document (the routes' zod contracts) by `npm run gen:api-types`
 * (scripts/gen-api-types.ts). Do not edit: change a route's contract and run the command again.
 * console/src/api.ts names these shapes for the pages (`Schema`, `Ok`).
 */

export interface paths {
    "/api/v1/whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who the caller is: name, role and branch scope
         * @description Roles: admin, ops, compliance, rm.
         */
        get: operations["getWhoami"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/staff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List staff records (who may sign in, with which role)
         * @description Roles: admin.
         */
        get: operations["getStaff"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/staff/{userid}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Create or change a staff record; the person's open sessions end
         * @description Roles: admin.
         */
        put: operations["putStaffUserid"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End the caller's console session (signed-in browsers only)
         * @description Roles: admin, ops, compliance, rm.
         */
        post: operations["postAuthLogout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sidebar/jssdk-config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Signatures for the sidebar's ww.register (corp and app), for a page on this site
         * @description Roles: admin, ops, rm.
         */
        post: operations["postSidebarJssdkConfig"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/inbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List stored callbacks, newest first
         * @description Roles: admin, ops.
         */
        get: operations["getInbox"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/inbox/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One stored callback (without its payload)
         * @description Roles: admin, ops.
         */
        get: operations["getInboxId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read the audit trail, newest first
         * @description Roles: admin, compliance.
         */
        get: operations["getAuditLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List acquisition channels
         * @description Roles: admin, ops (branch-scoped: branch staff see their branch only).
         */
        get: operations["getChannels"];
        put?: never;
        /**
         * Create a channel with its WeCom contact-me code
         * @description Roles: admin, ops (branch-scoped: branch staff see their branch only).
         */
        post: operations["postChannels"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/channels/{id}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Archive a channel (its contact-me code is deleted in WeCom)
         * @description Roles: admin, ops (branch-scoped: branch staff see their branch only).
         */
        post: operations["postChannelsIdArchive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the customer groups routing may use
         * @description Roles: admin, ops, rm.
         */
        get: operations["getGroups"];
        put?: never;
        /**
         * Register a customer group and refresh its key's join way
         * @description Roles: admin, ops.
         */
        post: operations["postGroups"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/groups/{chatId}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Archive a group (routing stops sending clients to it)
         * @description Roles: admin, ops.
         */
        post: operations["postGroupsChatIdArchive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/circles/{id}/invites": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a circle's invitations
         * @description Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        get: operations["getCirclesIdInvites"];
        put?: never;
        /**
         * Invite a client to a circle and get the join link to send them
         * @description Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        post: operations["postCirclesIdInvites"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/circles/{id}/invites/{externalUserid}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke a client's circle invitation
         * @description Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        delete: operations["deleteCirclesIdInvitesExternalUserid"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/koc/candidates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Top KOC candidates by score decayed to now
         * @description Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        get: operations["getKocCandidates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/koc/candidates/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Explain a client's KOC score contribution by contribution
         * @description Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        get: operations["getKocCandidatesId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/koc/influence": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * KOCs ranked by influence: their people's engagement against similar clients without a KOC
         * @description Reads the nightly koc_influence aggregate. Ranked by people × activated lift; KOCs with fewer than 5 people come last (too few to compare). `format=csv` downloads the same rows with Chinese headers.
         *
         *     Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        get: operations["getKocInfluence"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/koc/influence/recompute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Recompute every KOC's influence now (the nightly job's work)
         * @description Roles: admin, ops.
         */
        post: operations["postKocInfluenceRecompute"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/koc/tea-party-invitees": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The Sunday tea party's invitees: the top n candidates
         * @description Roles: admin, ops.
         */
        get: operations["getKocTeaPartyInvitees"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/koc/helpful": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark a client's message as a helpful answer to others
         * @description Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        post: operations["postKocHelpful"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/koc/share-clicks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Report a click on a link a client shared (the bank's link service)
         * @description Roles: admin, ops.
         */
        post: operations["postKocShareClicks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/engagement/rms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Rank RMs by engagement score within each branch (add format=csv for a download)
         * @description Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        get: operations["getEngagementRms"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/engagement/rms/{rm}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Explain an RM's engagement score component by component, with the last 8 periods
         * @description Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        get: operations["getEngagementRmsRm"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/engagement/rms/{rm}/touches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the touch-log rows behind an RM's coverage or emotional component, newest first
         * @description Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        get: operations["getEngagementRmsRmTouches"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/engagement/recompute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Recompute the engagement scores of one period now (audited)
         * @description Roles: admin, ops.
         */
        post: operations["postEngagementRecompute"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/compliance/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Check a text against the compliance rules
         * @description Banned claims, missing risk disclosures and PII, each with where it is and what to do.
         *
         *     Roles: admin, ops, compliance, rm.
         */
        post: operations["postComplianceCheck"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List RMs by userid
         * @description Roles: admin, ops (branch-scoped: branch staff see their branch only).
         */
        get: operations["getRms"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rms/{userid}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set up an RM: name, branch, persona and capacity
         * @description Creates the RM or replaces their setup. Moving an RM between branches needs admin.
         *
         *     Roles: admin, ops (branch-scoped: branch staff see their branch only).
         */
        put: operations["putRmsUserid"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/content/components": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List content components with their newest and newest approved versions
         * @description Roles: admin, ops, compliance, rm.
         */
        get: operations["getContentComponents"];
        put?: never;
        /**
         * Author a draft: a new component, or a new version of one
         * @description Structural problems (schema, variables, channel limits) are a 400; compliance findings are kept with the draft for the reviewer.
         *
         *     Roles: admin, ops.
         */
        post: operations["postContentComponents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/content/components/{id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a component's versions, newest first
         * @description Roles: admin, ops, compliance.
         */
        get: operations["getContentComponentsIdVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/content/components/{id}/versions/{v}/submit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit a draft version to compliance
         * @description Roles: admin, ops.
         */
        post: operations["postContentComponentsIdVersionsVSubmit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/content/components/{id}/versions/{v}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve a submitted version (a compliance checker who is not its author)
         * @description Roles: compliance.
         */
        post: operations["postContentComponentsIdVersionsVApprove"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/content/components/{id}/versions/{v}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reject a submitted version with a note (a compliance checker who is not its author)
         * @description Roles: compliance.
         */
        post: operations["postContentComponentsIdVersionsVReject"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/content/components/{id}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Preview a version for a client, with its compliance verdict and whether it is sendable
         * @description Renders the given version, or the newest approved one. Stale market figures are shown (flagged); with no figures at all the answer is only why it cannot be sent.
         *
         *     Roles: admin, ops, compliance, rm.
         */
        post: operations["postContentComponentsIdPreview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/content/outcomes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record what happened to a rendering (sent, clicked, converted …) for A/B results
         * @description Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        post: operations["postContentOutcomes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/content/components/{id}/outcomes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A/B results: each outcome's count per version and variant
         * @description Roles: admin, ops, compliance (branch-scoped: branch staff see their branch only).
         */
        get: operations["getContentComponentsIdOutcomes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/experiments/recompute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Recompute the A/B experiments' aggregate now (otherwise nightly)
         * @description Roles: admin, ops.
         */
        post: operations["postExperimentsRecompute"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/experiments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A/B results of every component's newest version with two or more variants
         * @description With `?format=csv`: a UTF-8 CSV (with a BOM) with Chinese headers, one row per variant instead.
         *
         *     Roles: admin, ops, compliance (branch-scoped: branch staff see their branch only).
         */
        get: operations["getExperiments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/experiments/{componentId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A/B results of one component's versions, newest first
         * @description With `?format=csv`: a UTF-8 CSV (with a BOM) with Chinese headers, one row per variant instead.
         *
         *     Roles: admin, ops, compliance (branch-scoped: branch staff see their branch only).
         */
        get: operations["getExperimentsComponentId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/assist/suggest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Suggest approved FAQ answers for a client's message (RM sidebar)
         * @description Answers with the decision (answer, clarify or hand off) and the candidates the client's tier may see, each with the compliance verdict on its answer.
         *
         *     Roles: admin, ops, rm.
         */
        post: operations["postAssistSuggest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/faq/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import FAQ rows as drafts for compliance review (all or none)
         * @description Roles: admin, ops.
         */
        post: operations["postFaqImport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/faq/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export the newest version of every FAQ entry in the import format
         * @description Roles: admin, ops, compliance.
         */
        get: operations["getFaqExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/faq/pending": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List FAQ drafts waiting for compliance review, with their findings
         * @description Roles: admin, ops, compliance.
         */
        get: operations["getFaqPending"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/faq/entries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List FAQ entries with their newest and newest approved versions, searchable
         * @description One row per entry, by id: its newest version whatever its status, and the number of the newest approved one. `q`, `category` and `status` filter on the newest version.
         *
         *     Roles: admin, ops, compliance.
         */
        get: operations["getFaqEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/faq/entries/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An FAQ entry's versions, newest first, with their answers
         * @description Every version the entry has had, whatever its status; 404 when there is no such entry.
         *
         *     Roles: admin, ops, compliance.
         */
        get: operations["getFaqEntriesId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/faq/{id}/versions/{v}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve an FAQ draft version (compliance, never its author)
         * @description Roles: compliance.
         */
        post: operations["postFaqIdVersionsVApprove"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/faq/{id}/versions/{v}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reject an FAQ draft version (compliance, never its author)
         * @description Roles: compliance.
         */
        post: operations["postFaqIdVersionsVReject"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/faq/review-queue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Unanswered questions not yet reviewed, clustered by wording
         * @description The newest `limit` open questions, biggest cluster first.
         *
         *     Roles: admin, ops.
         */
        get: operations["getFaqReviewQueue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/faq/review-queue/attach": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Attach questions to an entry as similar questions (a new draft of the entry's newest version)
         * @description Roles: admin, ops.
         */
        post: operations["postFaqReviewQueueAttach"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/faq/review-queue/draft": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Draft a new FAQ entry from questions (they become its similar questions)
         * @description Roles: admin, ops.
         */
        post: operations["postFaqReviewQueueDraft"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/faq/review-queue/dismiss": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Take questions out of the review queue without changing the knowledge base
         * @description Roles: admin, ops.
         */
        post: operations["postFaqReviewQueueDismiss"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/faq/deflection": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Deflection of the bot's questions over the last `days` days: overall, per category and per entry
         * @description Roles: admin, ops, compliance.
         */
        get: operations["getFaqDeflection"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/faq/ranker": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The FAQ ranker's deployed fit and the latest refits of the learning loop
         * @description The `limit` most recent refits (default 20), newest first, without their weights.
         *
         *     Roles: admin, compliance, ops.
         */
        get: operations["getFaqRanker"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/faq/ranker/refit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Refit the FAQ ranker now on the approved similar questions
         * @description Runs at once and answers when done: deployed only when it does at least as well as the served fit on a held-back slice; skipped when the served KB has not changed, unless `force`. 409 while another refit asked here is still running.
         *
         *     Roles: admin, ops.
         */
        post: operations["postFaqRankerRefit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List bot conversations and hand-offs in your scope, newest first
         * @description Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        get: operations["getConversations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations/{id}/resolve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resolve an open hand-off (pending or taken over) in your scope
         * @description Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        post: operations["postConversationsIdResolve"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clients/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import client profiles (all rows or none), then route them into tiers
         * @description The file is CSV (`text/csv`) or JSON lines (`application/x-ndjson`), in UTF-8, UTF-16 or GB18030 (detected from its bytes), at most 50 MB. A rejected file changes nothing and its 400 lists every problem by line and field. `?fileName=` is kept in the audit log.
         *
         *     Roles: admin, ops (branch-scoped: branch staff see their branch only).
         */
        post: operations["postClientsImport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List or search clients in the caller's scope
         * @description Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        get: operations["getClients"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clients/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One client's profile (404 outside the caller's scope)
         * @description Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        get: operations["getClientsId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/activation-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record activation events (a product purchase, a first deposit, a configured event)
         * @description Roles: admin, ops (branch-scoped: branch staff see their branch only).
         */
        post: operations["postActivationEvents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clients/{id}/referral-code": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The client's personal referral code (created in WeCom on the first call, then the same)
         * @description Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        post: operations["postClientsIdReferralCode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/referrals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List referrals (e.g. ?status=review for the review queue)
         * @description Roles: admin, ops (branch-scoped: branch staff see their branch only).
         */
        get: operations["getReferrals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/referrals/{id}/review": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve or reject a referral in review (audited)
         * @description Roles: admin, ops (branch-scoped: branch staff see their branch only).
         */
        post: operations["postReferralsIdReview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clients/{id}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One client's timeline: touches, deliveries and hand-offs, newest first
         * @description Titles and statuses only: no message text of the client or the RM. 404 outside the caller's scope.
         *
         *     Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        get: operations["getClientsIdTimeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/channels/{id}/costs/{month}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Enter or replace a channel's cost for a month
         * @description The cost is in CNY (a number or numeric text, at most 2 decimals, not negative); `reach` is the audience the channel reported. A channel's lump sum entered at creation counts as cost of its creation month, on top of this entry. Audited.
         *
         *     Roles: admin, ops (branch-scoped: branch staff see their branch only).
         */
        put: operations["putChannelsIdCostsMonth"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/channels/{id}/costs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A channel's monthly cost entries, newest first
         * @description Roles: admin, ops (branch-scoped: branch staff see their branch only).
         */
        get: operations["getChannelsIdCosts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/revenue/imports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import the bank's client revenue lines (all lines or none)
         * @description CSV (`text/csv`, UTF-8, UTF-16 or GB18030) with the columns external_userid, amount, occurred_at (a date, local midnight, or an ISO time with offset) and ref (the bank line id). Like the profile import it is all or nothing: a file with any bad line (unknown client, bad amount, bad date, a ref repeated in the file) changes nothing and its 400 lists every problem by line. A ref imported before is skipped and listed in `skipped`, so importing a file again adds nothing.
         *
         *     Roles: admin, ops.
         */
        post: operations["postRevenueImports"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/channel-profiles/recompute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Recompute the channel profiles now (the nightly job does this for the last 13 months)
         * @description Without `from`/`to`, the 13 months ending with the current month; at most 36 months.
         *
         *     Roles: admin, ops.
         */
        post: operations["postChannelProfilesRecompute"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/channel-profiles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Channel profiles by month: new clients, activations, cost, revenue, AAC and LROI
         * @description Per channel, totals over the months (AAC and LROI recomputed from the summed figures) and each month's row, from the nightly aggregate. `aac` is null with `aacNote` when nobody activated or no cost was entered, `lroi` null with `lroiNote` when no cost was entered. `?format=csv` downloads it, with the Chinese for "no activations" and "no cost entered" in those cells.
         *
         *     Roles: admin, ops (branch-scoped: branch staff see their branch only).
         */
        get: operations["getChannelProfiles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/channel-profiles/{channelId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One channel's full profile: mixes, age bands, top tags, engagement, AAC and LROI
         * @description Roles: admin, ops (branch-scoped: branch staff see their branch only).
         */
        get: operations["getChannelProfilesChannelId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clients/{id}/points": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One client's points balance, membership level and ledger (newest first)
         * @description Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        get: operations["getClientsIdPoints"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clients/{id}/points/grants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Grant points to a client, with a reason (audited)
         * @description With `ref`, a repeat of the same grant answers 200 with `duplicate: true` and grants nothing.
         *
         *     Roles: admin, ops (branch-scoped: branch staff see their branch only).
         */
        post: operations["postClientsIdPointsGrants"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/points/entries/{id}/reversal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reverse a grant or a spend once, with a reason (audited)
         * @description A reversal cannot be reversed (409 `points.reversal_of_reversal`), nor an entry twice (`points.already_reversed`), nor a grant whose points were already spent or expired (`points.already_used`).
         *
         *     Roles: admin, ops (branch-scoped: branch staff see their branch only).
         */
        post: operations["postPointsEntriesIdReversal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/points/expiry-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Expire every lot of points past its expiry now (the nightly job does the same)
         * @description Roles: admin.
         */
        post: operations["postPointsExpiryRuns"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/funnel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Funnel totals (aware, acquired, activated, churn) by channel, RM or week
         * @description Weeks (Monday, SCHEDULER_TIMEZONE) that start between the week of `from` and `to`. Awareness is tracked-link opens (on the channel's row with rm '') plus acquisitions. Add `format=csv` for a CSV download (Chinese headers, UTF-8 with BOM).
         *
         *     Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        get: operations["getFunnel"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/funnel/cohorts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retention cohorts: each acquisition week × weeks after, with shares of the cohort
         * @description Still a contact and in a group: at the end of that week. Touched: an RM completed a touch in it. Active: touched, or an activation event in that week. Add `format=csv` for a CSV download (Chinese headers, UTF-8 with BOM).
         *
         *     Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        get: operations["getFunnelCohorts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/funnel/churn": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A week's deletions per RM and channel, by direction, and its churn alerts
         * @description The week (Monday, SCHEDULER_TIMEZONE) that holds `week`. Add `format=csv` for a CSV download (Chinese headers, UTF-8 with BOM).
         *
         *     Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        get: operations["getFunnelChurn"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/funnel/recompute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Recompute the funnel, cohorts and churn alerts for a business date (default today)
         * @description Roles: admin, ops.
         */
        post: operations["postFunnelRecompute"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tiers/policy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tier policy: AUM bands, tiers, interest groups and circles
         * @description Roles: admin, ops, rm.
         */
        get: operations["getTiersPolicy"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tiers/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Where given client profiles would be routed, and why (nothing is written)
         * @description Roles: admin, ops.
         */
        post: operations["postTiersPreview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/calendar": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The calendar's occurrences in a range (at most 92 days), recorded or still to come
         * @description Roles: admin, ops, compliance, rm.
         */
        get: operations["getCalendar"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/calendar/entries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the calendar entries
         * @description Roles: admin, ops, compliance, rm.
         */
        get: operations["getCalendarEntries"];
        put?: never;
        /**
         * Create a calendar entry (head office only)
         * @description The component must have an approved version; context values pass the compliance rules.
         *
         *     Roles: admin, ops.
         */
        post: operations["postCalendarEntries"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/calendar/entries/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a calendar entry
         * @description Roles: admin, ops, compliance, rm.
         */
        get: operations["getCalendarEntriesId"];
        /**
         * Edit a calendar entry's definition (head office only; affects future occurrences)
         * @description Names the version it was made from; a stale version is a 409.
         *
         *     Roles: admin, ops.
         */
        put: operations["putCalendarEntriesId"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/calendar/entries/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pause a calendar entry: it fires no more until resumed (head office only)
         * @description Roles: admin, ops.
         */
        post: operations["postCalendarEntriesIdPause"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/calendar/entries/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume a paused calendar entry (head office only)
         * @description Roles: admin, ops.
         */
        post: operations["postCalendarEntriesIdResume"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/calendar/entries/{id}/end": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End a calendar entry: it never fires again (head office only)
         * @description Roles: admin, ops.
         */
        post: operations["postCalendarEntriesIdEnd"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/calendar/entries/{id}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * What an occurrence of the entry would do now, without recording anything
         * @description How many recipients, how many would be skipped and why, and sample texts per persona.
         *
         *     Roles: admin, ops.
         */
        post: operations["postCalendarEntriesIdPreview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/calendar/entries/{id}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An entry's figures over all its occurrences, within the caller's scope
         * @description Roles: admin, ops, compliance, rm (branch-scoped: branch staff see their branch only).
         */
        get: operations["getCalendarEntriesIdStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/calendar/occurrences/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A recorded occurrence with its figures, within the caller's scope
         * @description Roles: admin, ops, compliance, rm (branch-scoped: branch staff see their branch only).
         */
        get: operations["getCalendarOccurrencesId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/calendar/segments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the saved audience segments
         * @description Roles: admin, ops, compliance, rm.
         */
        get: operations["getCalendarSegments"];
        put?: never;
        /**
         * Save an audience segment entries can name (head office only)
         * @description Roles: admin, ops.
         */
        post: operations["postCalendarSegments"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An RM's task list: send tasks to confirm, touches due today and open hand-offs
         * @description An RM gets their own list; ops name the RM with `rm` (within their scope).
         *
         *     Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        get: operations["getTasks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/touches/{id}/done": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark a touch due on your task list done
         * @description Roles: rm (branch-scoped: branch staff see their branch only).
         */
        post: operations["postTasksTouchesIdDone"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/touches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log a check-in or follow-up with one of your clients
         * @description Idempotent per `ref`: logging the same ref again answers 200 with `created: false`.
         *
         *     Roles: rm (branch-scoped: branch staff see their branch only).
         */
        post: operations["postTasksTouches"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sidebar/context": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One chat's context for the RM sidebar: the client or group, tasks, touches, hand-off
         * @description Name exactly one of `externalUserid` (a private chat) and `chatId` (a customer group).
         *
         *     Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        get: operations["getSidebarContext"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sidebar/content": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Approved content to send in one chat, rendered for it in the asking RM's persona
         * @description At most 20 components, most recently approved first, each its newest approved version on the text channel, with the compliance findings on the rendering. Components the RM does not send by hand (bot replies, hand-off cards, welcomes) are not offered; one that cannot render for this chat (its audience excludes it, it needs values only a campaign supplies, it has no text, no market figures are available) is left out. Name exactly one of `externalUserid` and `chatId`.
         *
         *     Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        get: operations["getSidebarContent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flash-sales": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List flash sales, newest first
         * @description Roles: admin, ops.
         */
        get: operations["getFlashSales"];
        put?: never;
        /**
         * Create a flash sale
         * @description Roles: admin, ops.
         */
        post: operations["postFlashSales"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flash-sales/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A flash sale's live results: units left, winners, attempts by outcome
         * @description Roles: admin, ops.
         */
        get: operations["getFlashSalesId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flash-sales/{id}/redemptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark a client's won claim redeemed
         * @description Roles: admin, ops.
         */
        post: operations["postFlashSalesIdRedemptions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flash-sales/{id}/links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make a client's claim-link token (HMAC of sale and client)
         * @description Roles: admin, ops.
         */
        post: operations["postFlashSalesIdLinks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deliveries/daily": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Deliveries per day by status, and the send funnel, over the last `days` local days
         * @description Days are dates in the service's time zone (`timeZone`), today included. An RM sees the deliveries reached through them, branch ops their branch, admin and head-office ops everyone.
         *
         *     Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        get: operations["getDeliveriesDaily"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List events, newest first
         * @description Roles: admin, ops, rm.
         */
        get: operations["getEvents"];
        put?: never;
        /**
         * Create an event and its one-off calendar invitation
         * @description The invitation is the calendar entry `event-<id>` (1:1 channel, the event audience; `groupKeys` become the groups serving them, `clientIds` the named clients). Filters combine with AND, as sign-ups check them.
         *
         *     Roles: admin, ops.
         */
        post: operations["postEvents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An event with its stats
         * @description Roles: admin, ops, rm.
         */
        get: operations["getEventsId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/{id}/signups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An event's sign-ups (an RM sees their own clients')
         * @description Roles: admin, ops, rm (branch-scoped: branch staff see their branch only).
         */
        get: operations["getEventsIdSignups"];
        put?: never;
        /**
         * Sign a client up for them (ops); full events waitlist them
         * @description Clients sign up through their link instead: `POST /signup/events/:id` (outside the API, no sign-in) with `{externalUserid, token}`, token from `GET /events/:id/link/:externalUserid` (an HMAC under the event's own secret).
         *
         *     Roles: admin, ops.
         */
        post: operations["postEventsIdSignups"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/{id}/signups/{externalUserid}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Cancel a client's sign-up; the first waitlisted client gets the place
         * @description Roles: admin, ops.
         */
        delete: operations["deleteEventsIdSignupsExternalUserid"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/{id}/link/{externalUserid}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A client's sign-up link token
         * @description Roles: admin, ops.
         */
        get: operations["getEventsIdLinkExternalUserid"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/{id}/attendance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark clients as attended (each grants its points once)
         * @description Roles: admin, ops.
         */
        post: operations["postEventsIdAttendance"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/{id}/attendance/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import attendance from a list (e.g. the live-stream platform export)
         * @description CSV text, the external userid first on each line (an `external_userid` header is skipped). Lines with an unknown client are refused and listed; clients who never signed up are recorded and flagged.
         *
         *     Roles: admin, ops.
         */
        post: operations["postEventsIdAttendanceImport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ActivationEvents: {
            events: {
                externalUserid: string;
                /** @enum {string} */
                kind: "product_purchase" | "first_deposit";
                /** @description the bank's own event id */
                ref: string;
                /** Format: date-time */
                occurredAt: string;
                details?: {
                    [key: string]: unknown;
                };
            }[];
        };
        PointsGrantRequest: {
            amount: number;
            /** @description why, for the ledger and the audit log */
            reason: string;
            /** @description an idempotency key (e.g. the ticket number): a repeat grants nothing more */
            ref?: string;
        };
        PointsReversalRequest: {
            /** @description why, for the ledger and the audit log */
            reason: string;
        };
        Error: {
            error: {
                /** @enum {string} */
                code: "bad_request" | "invalid_encoding" | "invalid_signature" | "unauthenticated" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unsupported_media_type" | "token_expired" | "rate_limited" | "internal" | "db_unavailable" | "unavailable";
                message: string;
                requestId: string;
                /** @description each invalid field as `field: reason`; an import lists `{line, field, message}` */
                problems?: (string | {
                    line: number;
                    field: string;
                    message: string;
                })[];
            };
        };
        Staff: {
            userid: string;
            name: string;
            /** @enum {string} */
            role: "admin" | "ops" | "compliance" | "rm";
            branchScope: string | null;
            disabledAt: string | null;
            /** Format: date-time */
            updatedAt: string;
        };
        SidebarJsSdkConfig: {
            corpId: string;
            agentId: string;
            /** @description for ww.register's getConfigSignature (the corp's jsapi ticket) */
            corp: {
                timestamp: number;
                nonceStr: string;
                signature: string;
            };
            /** @description for ww.register's getAgentConfigSignature (the app's ticket) */
            agent: {
                timestamp: number;
                nonceStr: string;
                signature: string;
            };
            /** @description the built-in WeCom emulator's origin when it stands in for WeCom (development): framed by it, the sidebar talks to its fake JS-SDK; null with real WeCom */
            emulatorOrigin: string | null;
        };
        InboxCallback: {
            id: string;
            /**
             * @description the self-built app (XML) or the AI bot (JSON)
             * @enum {string}
             */
            source: "app" | "bot";
            kind: string;
            msgId: string | null;
            /** @enum {string} */
            status: "received" | "processed" | "dead";
            attempts: number;
            lastError: string | null;
            /** Format: date-time */
            receivedAt: string;
            processedAt: string | null;
        };
        AuditEntry: {
            id: string;
            /** Format: date-time */
            at: string;
            actor: string;
            action: string;
            targetType: string;
            targetId: string | null;
            details: {
                [key: string]: unknown;
            };
            requestId: string | null;
        };
        Channel: {
            id: string;
            name: string;
            state: string;
            cost: number;
            configId: string | null;
            /** @description the contact-me QR code's URL, from WeCom */
            qrCode: string | null;
            rmUserids: string[];
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
            archivedAt: string | null;
            /** @description clients who came through this channel */
            clients?: number;
        };
        Group: {
            chatId: string;
            name: string;
            /** @description the tier, interest group or circle it serves */
            groupKey: string | null;
            capacity: number;
            memberCount: number;
            status: string;
            /** @description the QR code of its key's join way */
            joinWayQr: string | null;
            archivedAt: string | null;
            /** @description the group owner's WeCom userid (an RM), once known */
            ownerRm: string | null;
        };
        CircleInvite: {
            circleId: string;
            externalUserid: string;
            invitedBy: string;
            /** Format: date-time */
            invitedAt: string;
            /** @enum {string} */
            status: "invited" | "joined" | "revoked";
            revokedAt: string | null;
        };
        KocCandidate: {
            externalUserid: string;
            /** @description the score decayed to now */
            score: number;
            /**
             * Format: date-time
             * @description when the stored score was last raised or re-scored
             */
            scoredAt: string;
        };
        KocExplanation: {
            externalUserid: string;
            score: number;
            /** Format: date-time */
            asOf: string;
            halfLifeDays: number;
            contributions: {
                /** @enum {string} */
                kind: "helpful_answer" | "shared_click" | "referral_activated" | "event_attended";
                ref: string;
                weight: number;
                /** Format: date-time */
                occurredAt: string;
                ageDays: number;
                /** @description the weight decayed to now; these sum to the score */
                decayed: number;
                details: {
                    [key: string]: unknown;
                };
            }[];
            /** @description null until the nightly job computed it */
            influence: components["schemas"]["KocInfluence"] | null;
        };
        KocInfluence: {
            externalUserid: string;
            /** @description distinct people referred or who clicked shared content */
            brought: number;
            /** @description helpful answers (whom they helped is not recorded) */
            answered: number;
            /** @description referees not yet activated (pending or in review) */
            invited: number;
            /** @description distinct known clients among those brought: the group measured */
            people: number;
            /** @description fewer than 5 people: rates shown, lifts not */
            tooFew: boolean;
            activated: {
                /** @description share (0..1) of the KOC's people */
                rate: number | null;
                /** @description share among clients without a KOC, weighted by the same tier × month cells */
                baseline: number | null;
                /** @description rate − baseline in percentage points; null when too few */
                liftPp: number | null;
            };
            retained: {
                /** @description share (0..1) of the KOC's people */
                rate: number | null;
                /** @description share among clients without a KOC, weighted by the same tier × month cells */
                baseline: number | null;
                /** @description rate − baseline in percentage points; null when too few */
                liftPp: number | null;
            };
            /** @description attended an event or claimed a flash sale */
            engaged: {
                /** @description share (0..1) of the KOC's people */
                rate: number | null;
                /** @description share among clients without a KOC, weighted by the same tier × month cells */
                baseline: number | null;
                /** @description rate − baseline in percentage points; null when too few */
                liftPp: number | null;
            };
            /** @description people × activated lift (pp): the ranking key */
            impact: number | null;
            /** Format: date-time */
            computedAt: string;
        };
        RmScoreRanked: {
            rm: string;
            branch: string | null;
            /** @description rank within the branch, 1 = best */
            rank: number;
            score: number;
            points: {
                [key: string]: number;
            };
        };
        RmScoreExplanation: {
            rm: string;
            branch: string | null;
            period: {
                /** @enum {string} */
                kind: "day" | "week" | "month";
                start: string;
                end: string;
            };
            rank: number;
            score: number;
            policyVersion: string;
            /** Format: date-time */
            computedAt: string;
            components: {
                raw: number;
                /** @description in [0, 1] */
                normalised: number;
                /** @description percent */
                weight: number;
                /** @description normalised × weight; the components sum to the score */
                points: number;
                /** @description the percentile of this raw figure over all RMs with clients (per-100 components) */
                reference?: number;
                details: {
                    [key: string]: number | null;
                };
                /** @enum {string} */
                component: "responsiveness" | "coverage" | "taskCompletion" | "emotional" | "contentDistribution" | "conversions";
            }[];
            trend: {
                periodStart: string;
                score: number | null;
            }[];
        };
        ComplianceResult: {
            /** @description false when a finding blocks the text */
            ok: boolean;
            findings: components["schemas"]["ComplianceFinding"][];
            /** @description the text with PII masked */
            masked: string;
        };
        ComplianceFinding: {
            rule: string;
            /** @enum {string} */
            kind: "banned-claim" | "missing-disclosure" | "pii";
            /** @description start and end offsets in the original text */
            span: [
                number,
                number
            ];
            /** @enum {string} */
            severity: "block" | "warn";
            suggestion: string;
        };
        Rm: {
            /** @description the RM's WeCom userid */
            userid: string;
            name: string;
            branch: string | null;
            /** @description the content-library persona of their voice */
            persona: string | null;
            /** @description how many clients they can take */
            capacity: number;
        };
        ContentComponent: {
            id: string;
            /** @enum {string} */
            kind: "morning-brief" | "flash-sale" | "evening-topic" | "welcome" | "greeting-birthday" | "greeting-festival" | "event-invite" | "product-card" | "persona-opener" | "risk-disclosure" | "bot-reply" | "handoff-card";
            title: string;
            /**
             * @description head office's library files, or authored by ops
             * @enum {string}
             */
            source: "library" | "api";
            /** @description the newest version */
            latest: number;
            /** @description the newest approved version */
            approved: number | null;
        };
        ContentVersion: {
            componentId: string;
            version: number;
            /** @enum {string} */
            status: "draft" | "submitted" | "approved" | "rejected";
            author: string;
            reviewer: string | null;
            reviewNote: string | null;
            findings: components["schemas"]["ContentFinding"][];
            contentHash: string;
            /** Format: date-time */
            createdAt: string;
        };
        ContentFinding: {
            /** @description the library file, or `api:<id>` for an authored draft */
            file: string;
            field: string;
            message: string;
            /** @enum {string} */
            severity: "block" | "warn";
        };
        ContentPreview: components["schemas"]["ContentPreviewRendered"] | components["schemas"]["ContentPreviewUnrendered"];
        ContentPreviewRendered: {
            version: number;
            /** @enum {string} */
            status: "draft" | "submitted" | "approved" | "rejected";
            sendable: boolean;
            /** @description why it may not be sent; absent when it may */
            unsendableReason?: string;
            componentId: string;
            variantId: string;
            /** @enum {string} */
            channel: "text" | "markdown" | "news" | "template_card";
            /** @description the rendered fields of the channel */
            payload: {
                [key: string]: string;
            };
            /**
             * @description where the market figures came from, when it shows any
             * @enum {string}
             */
            marketData?: "live" | "sample";
            /** Format: date-time */
            marketDataAsOf?: string;
            compliance: components["schemas"]["ComplianceResult"];
        };
        /** @description no market figures to render with: only why it cannot be sent */
        ContentPreviewUnrendered: {
            version: number;
            /** @enum {string} */
            status: "draft" | "submitted" | "approved" | "rejected";
            /** @constant */
            sendable: false;
            unsendableReason: string;
            componentId: string;
        };
        ContentOutcomeCount: {
            version: number;
            variantId: string;
            /** @enum {string} */
            outcome: "sent" | "delivered" | "read" | "clicked" | "replied" | "converted";
            count: number;
        };
        ExperimentsReport: {
            /** @enum {string} */
            outcome: "read" | "clicked" | "replied" | "converted";
            minExposures: number;
            /** @description when the nightly aggregate was computed */
            computedAt: string | null;
            experiments: components["schemas"]["Experiment"][];
        };
        Experiment: {
            componentId: string;
            title: string;
            version: number;
            /** @description the first variant the component lists */
            controlId: string;
            /** @description the per-comparison alpha, Bonferroni-corrected */
            alpha: number;
            /** @enum {string} */
            verdict: "winner" | "loser" | "no-difference" | "too-early";
            winnerId: string | null;
            sentence: string;
            variants: components["schemas"]["ExperimentVariant"][];
        };
        ExperimentVariant: {
            variantId: string;
            isControl: boolean;
            /** @description distinct clients sent or delivered the variant */
            exposed: number;
            /** @description of those, distinct clients with the outcome */
            converted: number;
            /** @description converted ÷ exposed; null with nobody exposed */
            rate: number | null;
            /** @description Wilson 95% interval, lower bound */
            ciLow: number | null;
            /** @description Wilson 95% interval, upper bound */
            ciHigh: number | null;
            /** @description two-sided two-proportion z-test against the control; null for the control */
            pValue: number | null;
            /** @enum {string} */
            verdict: "control" | "winner" | "loser" | "no-difference" | "too-early";
            /** @description the verdict in Chinese, for the console and CSV */
            sentence: string;
        };
        FaqSuggestion: {
            entryId: string;
            version: number;
            category: string;
            question: string;
            answer: string;
            productRiskLevel: string | null;
            score: number;
            /** @description the compliance verdict on the answer */
            compliance: {
                /** @description false when a finding blocks the answer */
                ok: boolean;
                findings: components["schemas"]["FaqFinding"][];
                /** @description the answer with personal data masked */
                masked: string;
            };
        };
        FaqFinding: {
            rule: string;
            /** @enum {string} */
            kind: "banned-claim" | "missing-disclosure" | "pii";
            /** @description start and end offsets in the text */
            span: [
                number,
                number
            ];
            /** @enum {string} */
            severity: "block" | "warn";
            suggestion: string;
        };
        FaqPendingDraft: {
            entryId: string;
            version: number;
            question: string;
            answer: string;
            author: string;
            findings: components["schemas"]["FaqFinding"][];
        };
        FaqEntry: {
            id: string;
            /** @description the newest version's standard question */
            question: string;
            category: string;
            /** @description the client tiers that may see it; empty for everyone */
            tiers: string[];
            /**
             * @description the newest version's status (`draft` waits for compliance)
             * @enum {string}
             */
            status: "draft" | "submitted" | "approved" | "rejected";
            /** @description the newest version */
            version: number;
            /** @description the newest approved version, the one served inside its validity window (equal to `version` when the newest is approved); null when none was approved */
            approvedVersion: number | null;
            /** @description the newest version's last valid day */
            validUntil: string | null;
            /** @description who wrote the newest version */
            author: string;
            /** @description who reviewed the newest version, if anyone has */
            reviewer: string | null;
            /**
             * Format: date-time
             * @description when a version was last written or reviewed
             */
            updatedAt: string;
        };
        FaqEntryVersions: {
            id: string;
            /** @description newest first */
            versions: components["schemas"]["FaqEntryVersion"][];
        };
        FaqEntryVersion: {
            version: number;
            question: string;
            similar: string[];
            answer: string;
            category: string;
            tiers: string[];
            /** @enum {string} */
            status: "draft" | "submitted" | "approved" | "rejected";
            author: string;
            reviewer: string | null;
            /** @description how many compliance findings its answer had when it was written */
            findings: number;
            /** Format: date-time */
            createdAt: string;
            reviewedAt: string | null;
        };
        FaqReviewDecision: {
            entryId: string;
            version: number;
            /** @enum {string} */
            status: "approved" | "rejected";
        };
        FaqQuestionCluster: {
            /** @description the question that reads most like the rest */
            representative: string;
            questionIds: number[];
            texts: string[];
            /** @description the entries retrieval most often offered for these questions (at most 3) */
            likelyEntries: {
                entryId: string;
                count: number;
            }[];
        };
        FaqDraftWritten: {
            entryId: string;
            version: number;
            /** @constant */
            status: "draft";
        };
        FaqDeflectionCounts: {
            /** @description the category or entry id; `(none)` when unknown, `all` overall */
            key: string;
            asked: number;
            answered: number;
            clarifiedAndChosen: number;
            clarified: number;
            handedOff: number;
            /** @description (answered + clarifiedAndChosen) / asked, 4 decimals */
            deflectionRate: number;
        };
        FaqDeployedFit: {
            id: number;
            /** Format: date-time */
            createdAt: string;
            examples: number;
            report: components["schemas"]["FaqRefitReport"];
        };
        FaqRefitReport: {
            /** @description similar questions the ranker was fitted on */
            examples: number;
            /** @description similar questions held back to judge the fit */
            heldBack: number;
            /** @description questions scored in cross-validation */
            cvQuestions: number;
            deploy: boolean;
            /** @description why the fit was or was not deployed */
            reason: string;
            /** @description the weight and thresholds cross-validation chose; null when nothing was fitted */
            chosen: {
                /** @description how much the fitted n-gram weights count */
                beta: number;
                answerThreshold: number;
                clarifyThreshold: number;
                clarifyMinShare: number;
                cv: components["schemas"]["FaqRefitScore"];
            } | null;
            /** @description the new fit on the held-back slice */
            heldBackCandidate: components["schemas"]["FaqRefitScore"] | null;
            /** @description what is served now, on the same slice */
            heldBackCurrent: components["schemas"]["FaqRefitScore"] | null;
        };
        FaqRefitScore: {
            questions: number;
            answered: number;
            correct: number;
            clarifiedResolved: number;
            /** @description (correct answers + resolved clarifications) / questions */
            resolveRate: number;
            /** @description correct / answered (1 when nothing was answered) */
            precision: number;
            /** @description share of clarifications whose choices held the right answer (1 when none) */
            clarifyHit: number;
        };
        FaqRefit: {
            id: number;
            /** Format: date-time */
            createdAt: string;
            /**
             * @description `retired`: deployed once, replaced by a later deployment
             * @enum {string}
             */
            status: "deployed" | "not_deployed" | "retired";
            /** @description a digest of the served KB the refit was made from */
            kbDigest: string;
            examples: number;
            /** @description who ran it (`scheduler` for the scheduled refit) */
            actor: string;
            report: components["schemas"]["FaqRefitReport"];
        };
        FaqRefitOutcome: {
            id: number;
            /** @enum {string} */
            status: "deployed" | "not_deployed";
            report: components["schemas"]["FaqRefitReport"];
        } | {
            id: null;
            /** @constant */
            status: "skipped";
            /** @description why nothing was fitted (the KB has not changed) */
            reason: string;
        };
        Conversation: {
            id: number;
            chatId: string;
            clientUserid: string;
            /** @enum {string} */
            ownerState: "bot" | "pending-human" | "human" | "resolved";
            /** @description the RM it was handed to */
            rmUserid: string | null;
            takenOverBy: string | null;
            /** @description when a person must have taken over */
            slaDueAt: string | null;
            /** @description whether a person took over in time; null until decided */
            slaKept: boolean | null;
        };
        Client: {
            externalUserid: string;
            name: string | null;
            aumBand: string | null;
            riskLevel: string | null;
            tags: string[];
            ownerRm: string | null;
            /** @description the owner RM's branch */
            branch: string | null;
            channelId: string | null;
            status: string;
            tier: string | null;
            tierSince: string | null;
            acquiredAt: string | null;
        };
        ActivationResult: {
            ref: string;
            /**
             * @description activated: the client is now activated; recorded: stored, the client was activated already; outside_period: stored, but after the new-client period; duplicate: this ref was recorded before
             * @enum {string}
             */
            status: "activated" | "recorded" | "outside_period" | "duplicate" | "error";
            error?: {
                code: string;
                message: string;
                zh: string;
            };
        };
        ReferralCode: {
            referrer: string;
            rm: string;
            state: string;
            kind: string;
            configId: string | null;
            /** @description the contact-me QR code's URL, from WeCom */
            qrCode: string | null;
            /** Format: date-time */
            createdAt: string;
        };
        Referral: {
            id: number;
            referrer: string;
            referred: string;
            rm: string;
            state: string;
            /** @enum {string} */
            status: "pending" | "rewarded" | "rejected" | "review";
            /** @description self_referral, already_client, cap, cluster, or the reviewer’s reason */
            reason: string | null;
            /** Format: date-time */
            addedAt: string;
            activatedAt: string | null;
            rewardedAt: string | null;
            reviewedBy: string | null;
            reviewedAt: string | null;
        };
        ClientTimelineEntry: {
            /** Format: date-time */
            at: string;
            /** @enum {string} */
            kind: "touch" | "delivery" | "handoff";
            /** @description a touch's title, a delivery's calendar entry name, a hand-off's chat id */
            title: string;
            /** @description touch: due | done; delivery: pending | sent | failed | skipped; hand-off: its owner state */
            status: string | null;
            /** @description touch: its kind; delivery: why it was skipped or failed; hand-off: sla_kept | sla_missed (null while open) */
            detail: string | null;
            /** @description the RM it went through, or who took the hand-off over */
            rm: string | null;
        };
        ChannelCost: {
            channelId: string;
            month: string;
            /** @description CNY, two decimals */
            cost: string;
            reach: number | null;
            note: string | null;
            enteredBy: string;
            /** Format: date-time */
            enteredAt: string;
        };
        ChannelProfiles: {
            from: string;
            to: string;
            channels: {
                channelId: string;
                name: string;
                totals: {
                    acquired: number;
                    activated: number;
                    cost: number;
                    reach: number | null;
                    /** @description the new clients' revenue within their new-client period */
                    revenue: number;
                    /** @description cost ÷ activated new clients; null without activations or without cost */
                    aac: number | null;
                    /** @enum {string} */
                    aacNote?: "no activations" | "no cost entered";
                    /** @description revenue ÷ cost; null when no cost was entered */
                    lroi: number | null;
                    /** @constant */
                    lroiNote?: "no cost entered";
                };
                months: {
                    month: string;
                    acquired: number;
                    activated: number;
                    cost: number;
                    reach: number | null;
                    /** @description the new clients' revenue within their new-client period */
                    revenue: number;
                    /** @description cost ÷ activated new clients; null without activations or without cost */
                    aac: number | null;
                    /** @enum {string} */
                    aacNote?: "no activations" | "no cost entered";
                    /** @description revenue ÷ cost; null when no cost was entered */
                    lroi: number | null;
                    /** @constant */
                    lroiNote?: "no cost entered";
                }[];
            }[];
        };
        ChannelProfile: {
            channelId: string;
            name: string;
            from: string;
            to: string;
            totals: {
                acquired: number;
                activated: number;
                cost: number;
                reach: number | null;
                /** @description the new clients' revenue within their new-client period */
                revenue: number;
                /** @description cost ÷ activated new clients; null without activations or without cost */
                aac: number | null;
                /** @enum {string} */
                aacNote?: "no activations" | "no cost entered";
                /** @description revenue ÷ cost; null when no cost was entered */
                lroi: number | null;
                /** @constant */
                lroiNote?: "no cost entered";
                tierMix: {
                    [key: string]: number;
                };
                riskMix: {
                    [key: string]: number;
                };
                ageBands: {
                    [key: string]: number;
                };
                topTags: [
                    string,
                    number
                ][];
                engagement: {
                    touched30d: number;
                    stillContact: number;
                    inGroup: number;
                };
            };
            months: {
                month: string;
                acquired: number;
                activated: number;
                cost: number;
                reach: number | null;
                /** @description the new clients' revenue within their new-client period */
                revenue: number;
                /** @description cost ÷ activated new clients; null without activations or without cost */
                aac: number | null;
                /** @enum {string} */
                aacNote?: "no activations" | "no cost entered";
                /** @description revenue ÷ cost; null when no cost was entered */
                lroi: number | null;
                /** @constant */
                lroiNote?: "no cost entered";
                tierMix: {
                    [key: string]: number;
                };
                riskMix: {
                    [key: string]: number;
                };
                ageBands: {
                    [key: string]: number;
                };
                topTags: [
                    string,
                    number
                ][];
                engagement: {
                    touched30d: number;
                    stillContact: number;
                    inGroup: number;
                };
                medianDaysToActivate: number | null;
                /** Format: date-time */
                computedAt: string;
            }[];
        };
        ClientPoints: {
            externalUserid: string;
            balance: number;
            membership: {
                id: string;
                name: string;
                benefits: string[];
            };
            ledger: {
                items: components["schemas"]["PointsEntry"][];
                /** @description pass as ?cursor= for the next page; null on the last */
                nextCursor: string | null;
            };
        };
        PointsEntry: {
            id: number;
            /** @enum {string} */
            kind: "grant" | "spend" | "expire" | "reversal";
            /** @description signed: grants positive, spends and expiries negative */
            amount: number;
            reason: string;
            source: {
                type: string;
                id: string;
            };
            reversesId: number | null;
            reversedBy: number | null;
            actor: string;
            /** Format: date-time */
            createdAt: string;
        };
        PointsOutcome: {
            entryId: number;
            balance: number;
            duplicate: boolean;
        };
        PointsReversal: {
            entryId: number;
            balance: number;
        };
        TierPolicy: {
            aumBands: {
                id: string;
                name: string;
                minCny: number;
                maxCny?: number;
            }[];
            tiers: {
                id: string;
                name: string;
                minAumBand?: string;
                minEngagement?: number;
                /** @default 500 */
                groupCapacity: number;
            }[];
            downgradeGraceDays: number;
            /** @default 0 */
            groupReserve: number;
            /** @default [] */
            interestGroups: {
                id: string;
                name: string;
                tags: string[];
                /** @default 500 */
                groupCapacity: number;
            }[];
            /** @default [] */
            circles: {
                id: string;
                name: string;
                /** @default 500 */
                groupCapacity: number;
            }[];
        };
        RoutingExplanation: {
            code: string;
            text: string;
        };
        CalendarListedOccurrence: {
            entryId: string;
            name: string;
            /** @enum {string} */
            channel: "single" | "group" | "moment" | "app" | "robot";
            /** Format: date-time */
            at: string;
            /** @enum {string} */
            status: "running" | "done" | "failed" | "skipped" | "missed" | "scheduled" | "will_skip";
            reason: string | null;
            /** @description set once the occurrence is recorded (fired, skipped or missed) */
            occurrenceId: number | null;
        };
        CalendarEntry: {
            id: string;
            name: string;
            componentId: string;
            /** @enum {string} */
            channel: "single" | "group" | "moment" | "app" | "robot";
            audience: {
                tiers?: string[];
                groups?: string[];
                tags?: string[];
                rms?: string[];
                clients?: string[];
                birthdayToday?: boolean;
                segment?: string;
            };
            schedule: {
                /** @constant */
                kind: "once";
                /** Format: date-time */
                at: string;
            } | {
                /** @constant */
                kind: "cron";
                cron: string;
                timezone?: string;
                endDate?: string;
                count?: number;
            };
            /** @enum {string} */
            skip: "none" | "holidays" | "non_workdays";
            owner: string;
            context?: {
                [key: string]: string | number;
            };
            /** @description masked as `robot:<key id>`; an edit may send a masked key back to keep it */
            robotKeys?: string[];
            /** @enum {string} */
            status: "active" | "paused" | "ended";
            /** @description send it back with an edit or a status change */
            version: number;
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        CampaignStats: {
            targeted: number;
            /** @description recipients skipped, by reason */
            skipped: {
                [key: string]: number;
            };
            tasksCreated: number;
            tasksConfirmed: number;
            delivered: number;
            pending: number;
            failed: number;
            failedReasons: {
                [key: string]: number;
            };
        };
        CalendarOccurrence: {
            id: number;
            entryId: string;
            /** Format: date-time */
            scheduledAt: string;
            entryVersion: number;
            /** @enum {string} */
            status: "running" | "done" | "failed" | "skipped" | "missed";
            reason: string | null;
            /** Format: date-time */
            firedAt: string;
            finishedAt: string | null;
            /** @description by=all: one set of figures; by=rm or by=branch: one set per RM or branch */
            stats: components["schemas"]["CampaignStats"] | {
                rm: string | null;
                targeted: number;
                /** @description recipients skipped, by reason */
                skipped: {
                    [key: string]: number;
                };
                tasksCreated: number;
                tasksConfirmed: number;
                delivered: number;
                pending: number;
                failed: number;
                failedReasons: {
                    [key: string]: number;
                };
            }[] | {
                branch: string | null;
                targeted: number;
                /** @description recipients skipped, by reason */
                skipped: {
                    [key: string]: number;
                };
                tasksCreated: number;
                tasksConfirmed: number;
                delivered: number;
                pending: number;
                failed: number;
                failedReasons: {
                    [key: string]: number;
                };
            }[];
        };
        AudienceSegment: {
            id: string;
            name: string;
            filter: {
                tiers?: string[];
                groups?: string[];
                tags?: string[];
                rms?: string[];
                clients?: string[];
                birthdayToday?: boolean;
            };
            createdBy: string;
        };
        SidebarContext: {
            /** @description set for externalUserid; the profile without holdings or contact details */
            client: {
                externalUserid: string;
                name: string | null;
                tier: string | null;
                riskLevel: ("C1" | "C2" | "C3" | "C4" | "C5") | null;
                tags: string[];
                /** @description the acquisition channel id */
                channel: string | null;
                ownerRm: string | null;
                /** @description when the client added their RM */
                since: string | null;
            } | null;
            /** @description set for chatId */
            group: {
                chatId: string;
                name: string;
                /** @description the tier the group serves, if it serves one */
                tier: string | null;
                members: number;
            } | null;
            /** @description the asking RM's persona (人设); null for admin and ops */
            persona: {
                id: string;
                name: string;
            } | null;
            /** @description the asking RM's send tasks not yet confirmed in WeCom that reach this chat; empty for admin and ops */
            openTasks: {
                id: number;
                /** @enum {string} */
                kind: "single" | "group" | "moment" | "app" | "robot";
                /** @description the calendar entry's name */
                title: string | null;
                scheduledAt: string | null;
            }[];
            /** @description touches due today or earlier for the client (the asking RM's own); empty for a group */
            touchesDue: {
                id: number;
                kind: string;
                title: string;
                /** @description the ready text the RM sends personally, if any */
                body: string | null;
                dueDate: string | null;
            }[];
            /** @description the newest open conversation of the client (or in the group): one handed to a person before one the bot holds */
            lastHandoff: {
                id: number;
                /** @enum {string} */
                state: "bot" | "pending-human" | "human";
                handedOffAt: string | null;
                slaDueAt: string | null;
                takenOverBy: string | null;
            } | null;
        };
        SidebarContentItem: {
            componentId: string;
            /** @description the component's title */
            name: string;
            /** @description the approved version rendered */
            version: number;
            /** @description the persona it was rendered in */
            personaId: string | null;
            /** @description the text-channel rendering for this chat */
            text: string;
            /** @description false when it must not be sent now: sample or stale market figures, outside its validity window, or a blocking finding */
            sendable: boolean;
            findings: components["schemas"]["ComplianceFinding"][];
        };
        FlashSale: {
            id: string;
            name: string;
            itemName: string;
            stock: number;
            taken: number;
            keyword: string;
            eligibility: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            opensAt: string;
            /** Format: date-time */
            closesAt: string;
            returnUnclaimed: boolean;
            redeemWithinHours: number;
            pointsCost: number;
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
            cancelledAt: string | null;
        };
        FlashSaleResults: {
            sale: components["schemas"]["FlashSale"];
            /** @description Redis's units left; null while it is rebuilt */
            stockLeft: number | null;
            claimsByStatus: {
                [key: string]: number;
            };
            /** @description claim attempts by outcome (Redis) */
            attempts: {
                [key: string]: number;
            };
            winners: {
                externalUserid: string;
                /** @enum {string} */
                status: "won" | "redeemed" | "expired" | "returned";
                /** @enum {string} */
                via: "keyword" | "link";
                /** Format: date-time */
                claimedAt: string;
                /** Format: date-time */
                expiresAt: string;
            }[];
        };
        Event: {
            /** @description the number clients reply with (报名 12) */
            id: number;
            kind: string;
            title: string;
            /** Format: date-time */
            startsAt: string;
            /** Format: date-time */
            endsAt: string;
            capacity: number;
            audience: {
                [key: string]: string[];
            };
            invitationComponentId: string;
            calendarEntryId: string | null;
            reminders: number[];
            pointsForAttendance: number;
            status: string;
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
        };
        EventSignup: {
            externalUserid: string;
            status: string;
            via: string;
            /** Format: date-time */
            createdAt: string;
            cancelledAt: string | null;
            promotedAt: string | null;
            attendedAt: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getWhoami: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        /** @enum {string} */
                        role: "admin" | "ops" | "compliance" | "rm";
                        branchScope: string | null;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getStaff: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Staff"][];
                        /** @description pass as ?cursor= for the next page; null on the last */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putStaffUserid: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userid: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    name: string;
                    /** @enum {string} */
                    role: "admin" | "ops" | "compliance" | "rm";
                    /** @default null */
                    branchScope?: string | null;
                    /** @default false */
                    disabled?: boolean;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Staff"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAuthLogout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postSidebarJssdkConfig: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /**
                     * Format: uri
                     * @description the page that calls ww.register
                     */
                    url: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SidebarJsSdkConfig"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getInbox: {
        parameters: {
            query?: {
                status?: "received" | "processed" | "dead";
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["InboxCallback"][];
                        /** @description pass as ?cursor= for the next page; null on the last */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getInboxId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InboxCallback"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAuditLog: {
        parameters: {
            query?: {
                targetType?: string;
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["AuditEntry"][];
                        /** @description pass as ?cursor= for the next page; null on the last */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getChannels: {
        parameters: {
            query?: {
                archived?: "true" | "false";
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Channel"][];
                        /** @description pass as ?cursor= for the next page; null on the last */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postChannels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    id: string;
                    name: string;
                    state: string;
                    /** @default 0 */
                    cost?: number;
                    rmUserids: string[];
                    remark?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Channel"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postChannelsIdArchive: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Channel"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getGroups: {
        parameters: {
            query?: {
                groupKey?: string;
                archived?: "true" | "false";
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Group"][];
                        /** @description pass as ?cursor= for the next page; null on the last */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postGroups: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    chatId: string;
                    name: string;
                    groupKey: string;
                    /** @default 500 */
                    capacity?: number;
                    /** @default [] */
                    topicTags?: string[];
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Group"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postGroupsChatIdArchive: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                chatId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Group"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCirclesIdInvites: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["CircleInvite"][];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postCirclesIdInvites: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    externalUserid: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        invite: components["schemas"]["CircleInvite"];
                        /** @description the circle group's join way (QR code) to send */
                        joinLink: string;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteCirclesIdInvitesExternalUserid: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                externalUserid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CircleInvite"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getKocCandidates: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["KocCandidate"][];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getKocCandidatesId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KocExplanation"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getKocInfluence: {
        parameters: {
            query?: {
                limit?: number;
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["KocInfluence"][];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postKocInfluenceRecompute: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        kocs: number;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getKocTeaPartyInvitees: {
        parameters: {
            query?: {
                n?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["KocCandidate"][];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postKocHelpful: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    externalUserid: string;
                    messageId?: number;
                    ref?: string;
                    note?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        recorded: boolean;
                        ref: string;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postKocShareClicks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    sharer: string;
                    clicker: string;
                    linkId: string;
                    /** Format: date-time */
                    at?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        counted: boolean;
                        /** @enum {string} */
                        reason?: "self_click" | "repeat_click";
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEngagementRms: {
        parameters: {
            query?: {
                period?: "day" | "week" | "month";
                date?: string;
                branch?: string;
                limit?: number;
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        period: {
                            /** @enum {string} */
                            kind: "day" | "week" | "month";
                            start: string;
                            end: string;
                        };
                        /** @description null: the period has not been computed yet */
                        computedAt: string | null;
                        items: components["schemas"]["RmScoreRanked"][];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEngagementRmsRm: {
        parameters: {
            query?: {
                period?: "day" | "week" | "month";
                date?: string;
            };
            header?: never;
            path: {
                rm: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RmScoreExplanation"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEngagementRmsRmTouches: {
        parameters: {
            query?: {
                period?: "day" | "week" | "month";
                date?: string;
                component?: "coverage" | "emotional";
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                rm: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            /** Format: date-time */
                            doneAt: string;
                            kind: string;
                            emotional: boolean;
                            externalUserid: string | null;
                            title: string;
                        }[];
                        /** @description pass as ?cursor= for the next page; null on the last */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postEngagementRecompute: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    period: "day" | "week" | "month";
                    /** @description a date inside the period (YYYY-MM-DD, business time zone); default yesterday */
                    date: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        period: {
                            /** @enum {string} */
                            kind: "day" | "week" | "month";
                            start: string;
                            end: string;
                        };
                        rms: number;
                        seconds: number;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postComplianceCheck: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    text: string;
                    /** @enum {string} */
                    productRiskLevel?: "R1" | "R2" | "R3" | "R4" | "R5";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ComplianceResult"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRms: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Rm"][];
                        /** @description pass as ?cursor= for the next page; null on the last */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putRmsUserid: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userid: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    name: string;
                    /** @default null */
                    branch?: string | null;
                    /** @default null */
                    persona?: string | null;
                    /** @default 2000 */
                    capacity?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rm"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getContentComponents: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ContentComponent"][];
                        /** @description pass as ?cursor= for the next page; null on the last */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postContentComponents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    id: string;
                    /** @enum {string} */
                    kind: "morning-brief" | "flash-sale" | "evening-topic" | "welcome" | "greeting-birthday" | "greeting-festival" | "event-invite" | "product-card" | "persona-opener" | "risk-disclosure" | "bot-reply" | "handoff-card";
                    title: string;
                    /** @default [] */
                    tags?: string[];
                    /** @default {} */
                    variables?: {
                        [key: string]: {
                            /** @enum {string} */
                            type: "string" | "number" | "date" | "money" | "percent";
                            /** @default true */
                            required?: boolean;
                            /** @default 32 */
                            maxLength?: number;
                        };
                    };
                    /** @default {} */
                    audience?: {
                        tiers?: string[];
                        tagsAnyOf?: string[];
                        riskLevels?: ("C1" | "C2" | "C3" | "C4" | "C5")[];
                        personas?: string[];
                    };
                    /** @enum {string} */
                    productRiskLevel?: "R1" | "R2" | "R3" | "R4" | "R5";
                    /** @default {} */
                    validity?: {
                        from?: string;
                        until?: string;
                    };
                    variants: {
                        id: string;
                        audience?: {
                            tiers?: string[];
                            tagsAnyOf?: string[];
                            riskLevels?: ("C1" | "C2" | "C3" | "C4" | "C5")[];
                            personas?: string[];
                        };
                        /** @default 1 */
                        weight?: number;
                        renderings: {
                            text?: string;
                            markdown?: string;
                            news?: {
                                title: string;
                                description: string;
                                /** Format: uri */
                                url: string;
                                /** Format: uri */
                                picurl?: string;
                            };
                            template_card?: {
                                title: string;
                                desc: string;
                            };
                        };
                    }[];
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContentVersion"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getContentComponentsIdVersions: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ContentVersion"][];
                        /** @description pass as ?cursor= for the next page; null on the last */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postContentComponentsIdVersionsVSubmit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                v: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContentVersion"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postContentComponentsIdVersionsVApprove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                v: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    note?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContentVersion"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postContentComponentsIdVersionsVReject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                v: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    note: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContentVersion"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postContentComponentsIdPreview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    version?: number;
                    /**
                     * @default text
                     * @enum {string}
                     */
                    channel?: "text" | "markdown" | "news" | "template_card";
                    client: {
                        externalUserid: string;
                        name?: string;
                        tier?: string;
                        tags?: string[];
                        /** @enum {string} */
                        riskLevel?: "C1" | "C2" | "C3" | "C4" | "C5";
                    };
                    rm?: {
                        [key: string]: string | number;
                    };
                    personaId?: string;
                    context?: {
                        [key: string]: string | number;
                    };
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContentPreview"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postContentOutcomes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    componentId: string;
                    version: number;
                    variantId: string;
                    externalUserid: string;
                    /** @enum {string} */
                    channel: "text" | "markdown" | "news" | "template_card";
                    /** @enum {string} */
                    outcome: "sent" | "delivered" | "read" | "clicked" | "replied" | "converted";
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        recorded: true;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getContentComponentsIdOutcomes: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ContentOutcomeCount"][];
                        /** @description pass as ?cursor= for the next page; null on the last */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postExperimentsRecompute: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        rows: number;
                        /** Format: date-time */
                        computedAt: string;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getExperiments: {
        parameters: {
            query?: {
                /** @description the conversion outcome the rate counts (exposed = sent or delivered) */
                outcome?: "read" | "clicked" | "replied" | "converted";
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExperimentsReport"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getExperimentsComponentId: {
        parameters: {
            query?: {
                /** @description the conversion outcome the rate counts (exposed = sent or delivered) */
                outcome?: "read" | "clicked" | "replied" | "converted";
                format?: "json" | "csv";
            };
            header?: never;
            path: {
                componentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExperimentsReport"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAssistSuggest: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    message: string;
                    /** @default {} */
                    client?: {
                        tier?: string | null;
                    };
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        outcome: "answer" | "clarify" | "handoff";
                        /** @description why nothing could be matched at all (empty or over-long message), if so */
                        unreadable: ("empty" | "too_long") | null;
                        /** @description calibrated probability that the top answer is right */
                        confidence: number;
                        suggestions: components["schemas"]["FaqSuggestion"][];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postFaqImport: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The FAQ file with a header row: id, category, question, similar, answer, tiers, risk_level, valid_from, valid_until (lists separated by `|`). Also accepted as `text/csv`. The encoding is detected from the bytes. */
        requestBody?: {
            content: {
                "text/tab-separated-values": string;
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description how many rows were imported as drafts */
                        drafts: number;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getFaqExport: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description UTF-8 TSV with a header row, the same columns as the import */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/tab-separated-values": string;
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getFaqPending: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["FaqPendingDraft"][];
                        /** @description pass as ?cursor= for the next page; null on the last */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getFaqEntries: {
        parameters: {
            query?: {
                /** @description a fragment of the question, a similar question or the entry id, in any case; `%` and `_` match themselves */
                q?: string;
                /** @description the exact category */
                category?: string;
                /** @description the newest version's status */
                status?: "draft" | "submitted" | "approved" | "rejected";
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["FaqEntry"][];
                        /** @description pass as ?cursor= for the next page; null on the last */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getFaqEntriesId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FaqEntryVersions"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postFaqIdVersionsVApprove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                v: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FaqReviewDecision"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postFaqIdVersionsVReject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                v: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FaqReviewDecision"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getFaqReviewQueue: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description how many open questions were clustered */
                        questions: number;
                        clusters: components["schemas"]["FaqQuestionCluster"][];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postFaqReviewQueueAttach: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    questionIds: number[];
                    entryId: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FaqDraftWritten"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postFaqReviewQueueDraft: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    questionIds: number[];
                    entry: {
                        id: string;
                        category: string;
                        question: string;
                        answer: string;
                        /** @default [] */
                        tiers?: string[];
                        /** @default null */
                        productRiskLevel?: ("R1" | "R2" | "R3" | "R4" | "R5") | null;
                        /** @default null */
                        validFrom?: string | null;
                        /** @default null */
                        validUntil?: string | null;
                    };
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FaqDraftWritten"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postFaqReviewQueueDismiss: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    questionIds: number[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        dismissed: number;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getFaqDeflection: {
        parameters: {
            query?: {
                days?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        since: string;
                        overall: components["schemas"]["FaqDeflectionCounts"];
                        categories: components["schemas"]["FaqDeflectionCounts"][];
                        entries: components["schemas"]["FaqDeflectionCounts"][];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getFaqRanker: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the fit served now; null before the first one */
                        deployed: components["schemas"]["FaqDeployedFit"] | null;
                        /** @description the latest refits, newest first */
                        refits: components["schemas"]["FaqRefit"][];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postFaqRankerRefit: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /**
                     * @description refit even when the served KB has not changed since the last refit
                     * @default false
                     */
                    force?: boolean;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FaqRefitOutcome"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getConversations: {
        parameters: {
            query?: {
                state?: "bot" | "pending-human" | "human" | "resolved";
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Conversation"][];
                        /** @description pass as ?cursor= for the next page; null on the last */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postConversationsIdResolve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Conversation"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postClientsImport: {
        parameters: {
            query?: {
                fileName?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description the profile file (or application/x-ndjson) */
        requestBody?: {
            content: {
                "text/csv": string;
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        ok: true;
                        importId: number;
                        /**
                         * @description as detected from the bytes
                         * @enum {string}
                         */
                        encoding: "utf-8" | "utf-16le" | "utf-16be" | "gb18030";
                        rows: number;
                        created: number;
                        updated: number;
                        /** @description what tier routing did with the imported clients */
                        routing: {
                            [key: string]: unknown;
                        };
                        /** @description activation events in the file: new ones recorded, and clients they activated */
                        activations: {
                            recorded: number;
                            activated: number;
                        };
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getClients: {
        parameters: {
            query?: {
                channel?: string;
                tier?: string;
                /** @description the owner RM's userid */
                ownerRm?: string;
                /** @description a fragment of the name or the external userid, in any case; `%` and `_` match themselves */
                q?: string;
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Client"][];
                        /** @description pass as ?cursor= for the next page; null on the last */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getClientsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Client"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postActivationEvents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ActivationEvents"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: components["schemas"]["ActivationResult"][];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postClientsIdReferralCode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReferralCode"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getReferrals: {
        parameters: {
            query?: {
                status?: "pending" | "rewarded" | "rejected" | "review";
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Referral"][];
                        /** @description pass as ?cursor= for the next page; null on the last */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postReferralsIdReview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    decision: "approve" | "reject";
                    reason: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Referral"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getClientsIdTimeline: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ClientTimelineEntry"][];
                        /** @description pass as ?cursor= for the next page; null on the last */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putChannelsIdCostsMonth: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                month: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    cost: number | string;
                    reach?: number;
                    note?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelCost"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getChannelsIdCosts: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ChannelCost"][];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postRevenueImports: {
        parameters: {
            query?: {
                fileName?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description the revenue file */
        requestBody?: {
            content: {
                "text/csv": string;
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        ok: true;
                        importId: number;
                        encoding: string;
                        rows: number;
                        accepted: number;
                        /** @description lines whose ref was imported before (nothing added for them) */
                        skipped: {
                            line: number;
                            ref: string;
                        }[];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postChannelProfilesRecompute: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    from?: string;
                    to?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        from: string;
                        to: string;
                        months: number;
                        rows: number;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getChannelProfiles: {
        parameters: {
            query: {
                from: string;
                to: string;
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelProfiles"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getChannelProfilesChannelId: {
        parameters: {
            query: {
                from: string;
                to: string;
            };
            header?: never;
            path: {
                channelId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelProfile"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getClientsIdPoints: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientPoints"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postClientsIdPointsGrants: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PointsGrantRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PointsOutcome"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PointsOutcome"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postPointsEntriesIdReversal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PointsReversalRequest"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PointsReversal"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postPointsExpiryRuns: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        lots: number;
                        points: number;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getFunnel: {
        parameters: {
            query: {
                /** @description a local date (SCHEDULER_TIMEZONE), YYYY-MM-DD */
                from: string;
                /** @description a local date (SCHEDULER_TIMEZONE), YYYY-MM-DD */
                to: string;
                by?: "channel" | "rm" | "week";
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        by: "channel" | "rm" | "week";
                        items: {
                            /** @description the channel id, the RM's userid ('' = no RM) or the week's Monday */
                            key: string;
                            aware: number;
                            acquired: number;
                            activated: number;
                            churnedByClient: number;
                            removedByRm: number;
                            /** @description acquired ÷ aware */
                            acquisitionRate: number | null;
                            /** @description activated ÷ acquired */
                            activationRate: number | null;
                        }[];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getFunnelCohorts: {
        parameters: {
            query: {
                /** @description a local date (SCHEDULER_TIMEZONE), YYYY-MM-DD */
                from: string;
                /** @description a local date (SCHEDULER_TIMEZONE), YYYY-MM-DD */
                to: string;
                channel?: string;
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cohorts: {
                            cohortWeek: string;
                            size: number;
                            weeks: {
                                weeksAfter: number;
                                stillContact: number;
                                inGroup: number;
                                touched: number;
                                active: number;
                                shares: {
                                    stillContact: number | null;
                                    inGroup: number | null;
                                    touched: number | null;
                                    active: number | null;
                                };
                            }[];
                        }[];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getFunnelChurn: {
        parameters: {
            query: {
                /** @description a local date (SCHEDULER_TIMEZONE), YYYY-MM-DD */
                week: string;
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        week: string;
                        items: {
                            rm: string;
                            channelId: string;
                            churnedByClient: number;
                            removedByRm: number;
                        }[];
                        alerts: {
                            rm: string;
                            churned: number;
                            base: number;
                            rate: number;
                            threshold: number;
                            /** Format: date-time */
                            raisedAt: string;
                        }[];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postFunnelRecompute: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** @description a local date (SCHEDULER_TIMEZONE), YYYY-MM-DD */
                    runDate?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        runDate: string;
                        weeks: {
                            first: string;
                            last: string;
                        };
                        cohorts: {
                            first: string;
                            last: string;
                        };
                        funnelRows: number;
                        cohortRows: number;
                        alertsRaised: number;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTiersPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TierPolicy"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postTiersPreview: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    clients: {
                        /** @default preview */
                        externalUserid?: string;
                        /** @default null */
                        aumBand?: string | null;
                        /** @default null */
                        engagementScore?: number | null;
                        /** @default [] */
                        tags?: string[];
                        /** @default [] */
                        invitedCircles?: string[];
                        /** @default null */
                        tier?: string | null;
                    }[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            externalUserid: string;
                            tier: string;
                            /** @enum {string} */
                            change: "new" | "up" | "down" | "none";
                            pendingDowngradeTo: string | null;
                            /** @description group keys the client would join */
                            joins: string[];
                            /** @description group keys the client would leave */
                            leaves: string[];
                            explanations: components["schemas"]["RoutingExplanation"][];
                        }[];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCalendar: {
        parameters: {
            query: {
                from: string;
                to: string;
                entry?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["CalendarListedOccurrence"][];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCalendarEntries: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["CalendarEntry"][];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postCalendarEntries: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    name: string;
                    componentId: string;
                    /** @enum {string} */
                    channel: "single" | "group" | "moment" | "app" | "robot";
                    /** @default {} */
                    audience?: {
                        tiers?: string[];
                        groups?: string[];
                        tags?: string[];
                        rms?: string[];
                        clients?: string[];
                        birthdayToday?: boolean;
                        segment?: string;
                    };
                    schedule: {
                        /** @constant */
                        kind: "once";
                        /** Format: date-time */
                        at: string;
                    } | {
                        /** @constant */
                        kind: "cron";
                        cron: string;
                        timezone?: string;
                        endDate?: string;
                        count?: number;
                    };
                    /**
                     * @default none
                     * @enum {string}
                     */
                    skip?: "none" | "holidays" | "non_workdays";
                    owner: string;
                    context?: {
                        [key: string]: string | number;
                    };
                    robotKeys?: string[];
                    id: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarEntry"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCalendarEntriesId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarEntry"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putCalendarEntriesId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    name: string;
                    componentId: string;
                    /** @enum {string} */
                    channel: "single" | "group" | "moment" | "app" | "robot";
                    /** @default {} */
                    audience?: {
                        tiers?: string[];
                        groups?: string[];
                        tags?: string[];
                        rms?: string[];
                        clients?: string[];
                        birthdayToday?: boolean;
                        segment?: string;
                    };
                    schedule: {
                        /** @constant */
                        kind: "once";
                        /** Format: date-time */
                        at: string;
                    } | {
                        /** @constant */
                        kind: "cron";
                        cron: string;
                        timezone?: string;
                        endDate?: string;
                        count?: number;
                    };
                    /**
                     * @default none
                     * @enum {string}
                     */
                    skip?: "none" | "holidays" | "non_workdays";
                    owner: string;
                    context?: {
                        [key: string]: string | number;
                    };
                    robotKeys?: string[];
                    version: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarEntry"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postCalendarEntriesIdPause: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    version: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarEntry"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postCalendarEntriesIdResume: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    version: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarEntry"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postCalendarEntriesIdEnd: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    version: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarEntry"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postCalendarEntriesIdPreview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        targeted: number;
                        eligible: number;
                        /** @description recipients who would be skipped, by reason */
                        skipped: {
                            [key: string]: number;
                        };
                        samples: ({
                            persona: string | null;
                            variantId: string;
                            text: string;
                        } | {
                            persona: string | null;
                            variantId: string;
                            /** @description why this pair could not be rendered */
                            error: string;
                        })[];
                        /** @description why nobody would be targeted (e.g. a missing segment) */
                        problem?: string;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCalendarEntriesIdStats: {
        parameters: {
            query?: {
                by?: "all" | "rm" | "branch";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description by=all: one set of figures; by=rm or by=branch: one set per RM or branch */
                        stats: components["schemas"]["CampaignStats"] | {
                            rm: string | null;
                            targeted: number;
                            /** @description recipients skipped, by reason */
                            skipped: {
                                [key: string]: number;
                            };
                            tasksCreated: number;
                            tasksConfirmed: number;
                            delivered: number;
                            pending: number;
                            failed: number;
                            failedReasons: {
                                [key: string]: number;
                            };
                        }[] | {
                            branch: string | null;
                            targeted: number;
                            /** @description recipients skipped, by reason */
                            skipped: {
                                [key: string]: number;
                            };
                            tasksCreated: number;
                            tasksConfirmed: number;
                            delivered: number;
                            pending: number;
                            failed: number;
                            failedReasons: {
                                [key: string]: number;
                            };
                        }[];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCalendarOccurrencesId: {
        parameters: {
            query?: {
                by?: "all" | "rm" | "branch";
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarOccurrence"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCalendarSegments: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["AudienceSegment"][];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postCalendarSegments: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    id: string;
                    name: string;
                    filter: {
                        tiers?: string[];
                        groups?: string[];
                        tags?: string[];
                        rms?: string[];
                        clients?: string[];
                        birthdayToday?: boolean;
                    };
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        filter: {
                            tiers?: string[];
                            groups?: string[];
                            tags?: string[];
                            rms?: string[];
                            clients?: string[];
                            birthdayToday?: boolean;
                        };
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTasks: {
        parameters: {
            query?: {
                rm?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        rm: string;
                        /** @description today's local date (the service's time zone) */
                        date: string;
                        sendTasks: {
                            id: number;
                            /** @enum {string} */
                            kind: "single" | "group" | "moment" | "app" | "robot";
                            recipients: number;
                            entryId: string | null;
                            /** @description the calendar entry's name */
                            title: string | null;
                            scheduledAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        }[];
                        touchesDue: {
                            id: number;
                            /** @enum {string} */
                            kind: "task_confirmed" | "birthday" | "festival" | "handoff_reply" | "check_in" | "follow_up";
                            emotional: boolean;
                            title: string;
                            /** @description the ready text the RM sends personally, if any */
                            body: string | null;
                            externalUserid: string | null;
                            dueDate: string | null;
                        }[];
                        handoffs: {
                            id: number;
                            chatId: string;
                            clientUserid: string;
                            /** @enum {string} */
                            ownerState: "pending-human" | "human";
                            rmUserid: string | null;
                            takenOverBy: string | null;
                            slaDueAt: string | null;
                            slaKept: boolean | null;
                        }[];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postTasksTouchesIdDone: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: number;
                        /** @enum {string} */
                        status: "due" | "done";
                        doneAt: string | null;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postTasksTouches: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    externalUserid: string;
                    /** @enum {string} */
                    kind: "check_in" | "follow_up";
                    title: string;
                    ref?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the touch's idempotency key: the same ref logs it once */
                        ref: string;
                        /** @description false when a touch with this ref was logged already */
                        created: boolean;
                    };
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the touch's idempotency key: the same ref logs it once */
                        ref: string;
                        /** @description false when a touch with this ref was logged already */
                        created: boolean;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSidebarContext: {
        parameters: {
            query?: {
                /** @description the client whose private chat the sidebar is beside (WeCom's wm…) */
                externalUserid?: string;
                /** @description the customer group the sidebar is beside (WeCom's wr…) */
                chatId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SidebarContext"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSidebarContent: {
        parameters: {
            query?: {
                /** @description the client whose private chat the sidebar is beside (WeCom's wm…) */
                externalUserid?: string;
                /** @description the customer group the sidebar is beside (WeCom's wr…) */
                chatId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["SidebarContentItem"][];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getFlashSales: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["FlashSale"][];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postFlashSales: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    id: string;
                    name: string;
                    itemName: string;
                    stock: number;
                    keyword?: string;
                    eligibility?: {
                        tiers?: string[];
                        riskLevels?: ("C1" | "C2" | "C3" | "C4" | "C5")[];
                        newClientsWithinDays?: number;
                    };
                    /** Format: date-time */
                    opensAt: string;
                    /** Format: date-time */
                    closesAt: string;
                    returnUnclaimed?: boolean;
                    redeemWithinHours?: number;
                    pointsCost?: number;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlashSale"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getFlashSalesId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlashSaleResults"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postFlashSalesIdRedemptions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    externalUserid: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        externalUserid: string;
                        /** @enum {string} */
                        status: "won" | "redeemed" | "expired" | "returned";
                        /** @enum {string} */
                        via: "keyword" | "link";
                        /** Format: date-time */
                        claimedAt: string;
                        /** Format: date-time */
                        expiresAt: string;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postFlashSalesIdLinks: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    externalUserid: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        token: string;
                        claimPath: string;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getDeliveriesDaily: {
        parameters: {
            query?: {
                /** @description how many local days, today included (1–92, default 14) */
                days?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the service's time zone, which decides each delivery's date */
                        timeZone: string;
                        /** @description every local date of the window, oldest first, zeros included: deliveries (one per occurrence and recipient) by status, on the local date they were decided (`created_at`) */
                        days: {
                            date: string;
                            sent: number;
                            pending: number;
                            failed: number;
                            skipped: number;
                        }[];
                        /** @description the send funnel over the same window's deliveries */
                        funnel: {
                            /** @description deliveries decided in the window: every recipient, skips included */
                            targeted: number;
                            /** @description of those, deliveries put in a send task */
                            tasked: number;
                            /** @description of those, deliveries whose send task the RM confirmed in WeCom (task status `confirmed`) */
                            confirmed: number;
                            /** @description deliveries with status `sent` */
                            delivered: number;
                        };
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEvents: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Event"][];
                        /** @description pass as ?cursor= for the next page; null on the last */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postEvents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    kind: "welfare_day" | "night_school" | "tea_party" | "other";
                    title: string;
                    /** Format: date-time */
                    startsAt: string;
                    /** Format: date-time */
                    endsAt: string;
                    capacity: number;
                    audience: {
                        tiers?: string[];
                        groupKeys?: string[];
                        tags?: string[];
                        clientIds?: string[];
                        kocTop?: number;
                    };
                    invitationComponentId: string;
                    context?: {
                        [key: string]: string | number;
                    };
                    /** Format: date-time */
                    inviteAt?: string;
                    reminders?: number[];
                    pointsForAttendance?: number;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Event"];
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEventsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the number clients reply with (报名 12) */
                        id: number;
                        kind: string;
                        title: string;
                        /** Format: date-time */
                        startsAt: string;
                        /** Format: date-time */
                        endsAt: string;
                        capacity: number;
                        audience: {
                            [key: string]: string[];
                        };
                        invitationComponentId: string;
                        calendarEntryId: string | null;
                        reminders: number[];
                        pointsForAttendance: number;
                        status: string;
                        createdBy: string;
                        /** Format: date-time */
                        createdAt: string;
                        stats: {
                            invited: number;
                            signedUp: number;
                            waitlisted: number;
                            cancelled: number;
                            attended: number;
                            /** @description attendees who activated since the event began */
                            converted: number;
                        };
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEventsIdSignups: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["EventSignup"][];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postEventsIdSignups: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    externalUserid: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        outcome: "signed_up" | "already_signed_up" | "waitlisted" | "already_waitlisted";
                        /** @description place on the waitlist */
                        position?: number;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteEventsIdSignupsExternalUserid: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
                externalUserid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        outcome: "cancelled";
                        promoted: string | null;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEventsIdLinkExternalUserid: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
                externalUserid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        token: string;
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postEventsIdAttendance: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    externalUserids: string[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attended: number;
                        newlyAttended: number;
                        issues: {
                            line: number;
                            externalUserid: string;
                            problem: string;
                        }[];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postEventsIdAttendanceImport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        /** @description one external userid per line */
        requestBody?: {
            content: {
                "text/csv": string;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attended: number;
                        newlyAttended: number;
                        issues: {
                            line: number;
                            externalUserid: string;
                            problem: string;
                        }[];
                    };
                };
            };
            /** @description An error: `code` names it, `problems` lists each invalid field */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
