import { AccountPage } from './AccountPage';

/** "Two-factor (Duo)" in the main menu: every administrator may manage Duo for their own account. */
export default function Account() {
  return <AccountPage />;
}
