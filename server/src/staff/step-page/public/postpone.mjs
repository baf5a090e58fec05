/*
 * "Set up Duo later" on the admin step page: an administrator without Duo whose role requires it, inside the role's
 * grace period, may finish this sign-in without Duo. The page says how long the grace lasts; the server decides
 * again whether it still does.
 */

/** What is left of the grace period, in the page's language. */
function graceText(t, grace) {
  if (typeof grace.loginsLeft === 'number') return t('grace.logins', { count: grace.loginsLeft });
  const until = new Date(grace.until).toLocaleDateString(t.language);
  return t('grace.days', { count: grace.daysLeft, until });
}

/** Shows the offer when the step carries a grace period, and wires its button. */
export function wirePostpone({ view, t, call, settle, failed, signedIn, duo }) {
  const section = view.$('duo-grace');
  section.hidden = !duo.grace;
  if (!duo.grace) return;
  view.$('duo-grace-text').textContent = graceText(t, duo.grace);
  const button = view.$('duo-postpone');
  const postpone = async () => {
    view.problem('');
    try {
      const answer = await call('postpone');
      settle(answer, (session) => signedIn(session, t('grace.postponed')));
    } catch (error) {
      section.hidden = true;
      failed(error);
    }
  };
  button.addEventListener('click', view.whileBusy(button, postpone));
}
