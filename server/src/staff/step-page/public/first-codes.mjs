/*
 * The first backup codes of an administrator who enrolled Duo Mobile inside this sign-in (enforcement required):
 * the answer carries them once, so the page shows them (copy, download as text) before going on to the admin.
 */
/* global window, navigator, Blob, URL */

/** Shows `codes` and resolves once the administrator says they saved them. */
export function showFirstCodes({ view, codes }) {
  const text = `${codes.join('\n')}\n`;
  const list = view.$('duo-first-codes-list');
  list.replaceChildren(
    ...codes.map((code) => {
      const item = list.ownerDocument.createElement('li');
      item.textContent = code;
      return item;
    }),
  );
  const download = view.$('duo-codes-download');
  download.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  view.$('duo-codes-copy').addEventListener('click', () => {
    navigator.clipboard.writeText(text).catch(() => undefined);
  });
  view.$('duo-first-codes').hidden = false;
  const proceed = view.$('duo-codes-continue');
  proceed.focus();
  return new Promise((done) => {
    proceed.addEventListener('click', () => {
      // Once gone from the page, the codes are nowhere in this browser.
      window.setTimeout(() => URL.revokeObjectURL(download.href), 0);
      done();
    });
  });
}
