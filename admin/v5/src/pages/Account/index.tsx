import { AccountPage } from './AccountPage.js';

/** Two-factor (Duo): every administrator's own page, so no permission guards it (the API checks the session). */
export default AccountPage;
