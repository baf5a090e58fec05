/**
 * The admin Duo step page's routes, for the plugin's `admin` routes (so under /duo-security): public like the login
 * form itself. The page holds no secret; the open step lives in the browser tab's sessionStorage.
 */
const PUBLIC = { auth: false, policies: [] } as const;

export const stepPageRoutes = [
  { method: 'GET', path: '/login', handler: 'step-page.page', config: PUBLIC },
  { method: 'GET', path: '/login/:file', handler: 'step-page.asset', config: PUBLIC },
];
