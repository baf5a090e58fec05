/*
 * "Lost your phone? Use a backup code" on the admin step page: one of the administrator's one-time backup codes
 * finishes the sign-in in place of Duo. A wrong one counts as a wrong passcode; the page says how many are left.
 */

/**
 * "Lost your phone? Use a backup code", unless it can only fail: under the Universal Prompt (Duo's page has its own
 * ways in), or when the server says the account has no code (one that must enrol gets its first codes at the end).
 * Duo out of reach: the step exists because the account has codes.
 */
export function offersBackupCode(duo) {
  if (duo.result === 'unavailable') return true;
  return duo.result !== 'universal' && duo.backupCodes !== false;
}

/** Wires the form; `signedIn(session, notice)` stores the session and goes on, showing `notice` first. */
export function wireBackupCode({ view, t, call, settle, failed, signedIn }) {
  const form = view.$('duo-backup-form');
  const input = view.$('duo-backup-code');
  const submit = async () => {
    const code = input.value.trim();
    if (code === '' || code.length > 40) {
      view.problem(t('backup.format'));
      return input.focus();
    }
    view.problem('');
    try {
      const answer = await call('backup-code', { code });
      const left = Number(call.header('X-Duo-Backup-Codes-Remaining'));
      settle(answer, (session) => signedIn(session, t('backup.used', { count: Number.isFinite(left) ? left : 0 })));
    } catch (error) {
      input.value = '';
      failed(error);
    }
  };
  form.addEventListener('submit', view.whileBusy(form.querySelector('button[type="submit"]'), submit));
}
