/**
 * The plugin's own tables, hidden from the Content Manager and the Content-Type Builder. Duo state lives here rather
 * than on Strapi's user models, so nothing a client may write (registration accepts user attributes) can touch it,
 * and every instance sharing the database sees the same state.
 */
const hidden = {
  'content-manager': { visible: false },
  'content-type-builder': { visible: false },
};

const audience = { type: 'enumeration', enum: ['staff', 'clients'], required: true } as const;

export const contentTypes = {
  enrollment: {
    schema: {
      kind: 'collectionType',
      collectionName: 'duo_security_enrollments',
      info: { singularName: 'enrollment', pluralName: 'enrollments', displayName: 'Duo enrollment' },
      options: { draftAndPublish: false },
      pluginOptions: hidden,
      attributes: {
        audience,
        userId: { type: 'integer', required: true },
        /** active: Duo is on for this account. pending: enrolment started, not confirmed. disabled: turned off or reset. */
        status: { type: 'enumeration', enum: ['active', 'pending', 'disabled'], required: true, default: 'pending' },
        duoUsername: { type: 'string' },
        duoUserId: { type: 'string' },
        /** A started Duo Mobile activation, sealed like the Secret Key: whoever holds it can add a phone. */
        activationSealed: { type: 'text', private: true },
        enabledAt: { type: 'datetime' },
        lastUsedAt: { type: 'datetime' },
        resetAt: { type: 'datetime' },
        /** Break-glass (CLI): until then, the next password sign-in of this account skips Duo, once. */
        recoveryUntil: { type: 'datetime', private: true },
      },
      // One row per account: two steps finishing at once (on one instance or two) must not both insert one, or a
      // later disable or reset changes one row while the other still says "active".
      indexes: [{ name: 'duo_security_enrollments_account_unique', columns: ['audience', 'user_id'], type: 'unique' }],
    },
  },
  // The Duo steps. Stored under their first name: the uid `plugin::duo-security.transaction`, the table
  // `duo_security_transactions` and the column `challenge` (a step's Duo options) name rows already in users'
  // databases; renaming them to "step" needs a data migration, so they keep it. Everything else says "step".
  transaction: {
    schema: {
      kind: 'collectionType',
      collectionName: 'duo_security_transactions',
      info: { singularName: 'transaction', pluralName: 'transactions', displayName: 'Duo transaction' },
      options: { draftAndPublish: false },
      pluginOptions: hidden,
      attributes: {
        /** SHA-256 of the opaque id the client holds; the id itself is never stored. */
        idHash: { type: 'string', required: true, unique: true, private: true },
        /**
         * Universal Prompt: SHA-256 of the `state` sent to Duo, until the callback that brought it back claims it
         * (then null: a state works once). Null on Auth API steps.
         */
        stateHash: { type: 'string', private: true },
        audience,
        userId: { type: 'integer', required: true },
        /** What allowing it does: finish a login, confirm an enrolment, or confirm turning Duo off. */
        purpose: { type: 'enumeration', enum: ['login', 'enable', 'disable', 'backup-codes'], required: true },
        state: {
          type: 'enumeration',
          enum: ['pending', 'allowed', 'consumed', 'denied', 'expired', 'cancelled'],
          required: true,
          default: 'pending',
        },
        expiresAt: { type: 'datetime', required: true },
        passcodeFailures: { type: 'integer', default: 0, required: true },
        /** Pushes and calls sent on this step (the per-step cap); null on steps opened before it was counted. */
        promptsSent: { type: 'integer', default: 0 },
        duoUsername: { type: 'string', required: true },
        /** Duo's txid of the running push or call. */
        duoTxid: { type: 'string', private: true },
        /** Duo's last word on the running factor, for the status endpoint. */
        duoStatus: { type: 'string' },
        duoStatusMessage: { type: 'string' },
        /** Preauth verdict and devices shown to the client; enrolment details while enrolling at login. */
        challenge: { type: 'json', private: true },
        /** Which token-issuing path started it (login, register, reset-password…), and what to answer on allow. */
        flow: { type: 'json', private: true },
        ip: { type: 'string' },
      },
      // Strapi 4 creates no index for `unique: true` on a string: every step request looked the id up by a scan.
      indexes: [
        { name: 'duo_security_transactions_id_hash_unique', columns: ['id_hash'], type: 'unique' },
        { name: 'duo_security_transactions_state_hash_index', columns: ['state_hash'] },
      ],
    },
  },
  // One-time backup codes, as slow hashes (scrypt): shown once when made, never readable again, not by an admin.
  'backup-code': {
    schema: {
      kind: 'collectionType',
      collectionName: 'duo_security_backup_codes',
      info: { singularName: 'backup-code', pluralName: 'backup-codes', displayName: 'Duo backup code' },
      options: { draftAndPublish: false },
      pluginOptions: hidden,
      attributes: {
        audience,
        userId: { type: 'integer', required: true },
        hash: { type: 'string', required: true, private: true },
        usedAt: { type: 'datetime' },
        /** set: one of the account's set; break-glass: issued at the server's command line. */
        origin: { type: 'enumeration', enum: ['set', 'break-glass'], required: true, default: 'set' },
      },
      indexes: [{ name: 'duo_security_backup_codes_account_index', columns: ['audience', 'user_id'] }],
    },
  },
  // Grace periods under a required role (one row per account that postponed its enrolment): when the first
  // postponement was and how many there were. Forgotten when the account enrols or is reset.
  'enrolment-grace': {
    schema: {
      kind: 'collectionType',
      collectionName: 'duo_security_enrolment_graces',
      info: { singularName: 'enrolment-grace', pluralName: 'enrolment-graces', displayName: 'Duo enrolment grace' },
      options: { draftAndPublish: false },
      pluginOptions: hidden,
      attributes: {
        audience,
        userId: { type: 'integer', required: true },
        firstPostponedAt: { type: 'datetime', required: true },
        postponedCount: { type: 'integer', required: true, default: 0 },
      },
      indexes: [
        { name: 'duo_security_enrolment_graces_account_unique', columns: ['audience', 'user_id'], type: 'unique' },
      ],
    },
  },
  'audit-entry': {
    schema: {
      kind: 'collectionType',
      collectionName: 'duo_security_audit_entries',
      info: { singularName: 'audit-entry', pluralName: 'audit-entries', displayName: 'Duo audit entry' },
      options: { draftAndPublish: false },
      pluginOptions: hidden,
      attributes: {
        event: { type: 'string', required: true },
        audience,
        userId: { type: 'integer' },
        outcome: { type: 'string' },
        ip: { type: 'string' },
        detail: { type: 'json' },
      },
      // Every passcode counts the user's recent failures (the per-user limit); the log only grows.
      indexes: [{ name: 'duo_security_audit_entries_user_event_index', columns: ['user_id', 'event'] }],
    },
  },
  // One row per account that ever had a check counted across its steps (the per-user passcode limit): a row to lock,
  // so that such checks run one at a time per account across instances (engine/user-lock.ts).
  'user-lock': {
    schema: {
      kind: 'collectionType',
      collectionName: 'duo_security_user_locks',
      info: { singularName: 'user-lock', pluralName: 'user-locks', displayName: 'Duo user lock' },
      options: { draftAndPublish: false },
      pluginOptions: hidden,
      attributes: {
        audience,
        userId: { type: 'integer', required: true },
        lockedAt: { type: 'datetime' },
      },
      indexes: [{ name: 'duo_security_user_locks_account_unique', columns: ['audience', 'user_id'], type: 'unique' }],
    },
  },
};
