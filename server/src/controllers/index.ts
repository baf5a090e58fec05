import { stepPageController } from '../staff/step-page/controller';
import { audit } from './audit';
import { clientAccount } from './client-account';
import { info } from './info';
import { settings } from './settings';
import { staffAccount } from './staff-account';
import { stepController } from './step';
import { universalCallback } from './universal-callback';
import { users } from './users';

export const controllers = {
  audit,
  info,
  settings,
  users,
  'client-step': stepController('clients'),
  'client-account': clientAccount,
  'client-universal': universalCallback('clients'),
  'staff-step': stepController('staff'),
  'staff-account': staffAccount,
  'staff-universal': universalCallback('staff'),
  'step-page': stepPageController,
};
