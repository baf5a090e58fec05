import type { UniversalStart } from '../api/step.ts';
import type { DuoRequired } from './duoRequired.ts';

/** Read by the step page (server/src/staff/step-page/public/session.mjs): same tab, never in a URL. */
export const STEP_KEY = 'duo-security:step';
/** The plugin's admin Duo step page, served by the plugin's server routes. */
export const STEP_PAGE_PATH = '/duo-security/login';

/** Where Strapi's API lives (`window.strapi.backendURL`, set by the admin app); this origin when it is not set. */
export function backendUrl(win: Window): string {
  const strapi: unknown = Reflect.get(win, 'strapi');
  const url = strapi !== null && typeof strapi === 'object' ? Reflect.get(strapi, 'backendURL') : undefined;
  return typeof url === 'string' && url !== '' ? url.replace(/\/+$/, '') : win.location.origin;
}

/** The login form's own "Remember me" (Strapi keeps it in the browser; it never reaches the server). */
function rememberMe(doc: Document): boolean {
  const box = doc.querySelector('input[type="checkbox"][name="rememberMe"]');
  return box instanceof HTMLInputElement && box.checked;
}

/** The login page's logo (the app's own, if it set one), so the step page looks like the page it continues. */
function logo(doc: Document): string | null {
  const image = doc.querySelector('main img');
  return image instanceof HTMLImageElement ? image.getAttribute('src') : null;
}

/**
 * Hands the Duo step to the plugin's step page: what it needs goes to this tab's sessionStorage, then the browser
 * goes there. The step page finishes the sign-in and comes back to `redirectTo` inside the admin. `remember`: the
 * login's "Remember me" when the caller knows it (Strapi 5 passes it in the login request); else the form's box.
 */
export function handOff(required: DuoRequired, win: Window = window, remember?: boolean): void {
  const doc = win.document;
  const step = {
    step: required.step,
    duo: required.duo,
    rememberMe: remember ?? rememberMe(doc),
    // Strapi's login page keeps where it was going in ?redirectTo= (a path inside the admin app).
    redirectTo: new URLSearchParams(win.location.search).get('redirectTo'),
    logo: logo(doc),
  };
  win.sessionStorage.setItem(STEP_KEY, JSON.stringify(step));
  win.location.assign(`${backendUrl(win)}${STEP_PAGE_PATH}`);
}

/**
 * A step of the account page under Duo's Universal Prompt (turning Duo on or off): the step page takes the tab to
 * Duo's prompt, finishes the step with the completion code Duo's callback brings back, and returns to `redirectTo`
 * (a path inside the admin app). The new session keeps "Remember me" as the current one has it.
 */
export function handOffUniversal(start: UniversalStart, redirectTo: string, win: Window = window): void {
  const step = {
    step: start.step,
    duo: { result: 'universal', authorizeUrl: start.authorizeUrl },
    rememberMe: win.localStorage.getItem('jwtToken') !== null,
    redirectTo,
    logo: null,
  };
  win.sessionStorage.setItem(STEP_KEY, JSON.stringify(step));
  win.location.assign(`${backendUrl(win)}${STEP_PAGE_PATH}`);
}
