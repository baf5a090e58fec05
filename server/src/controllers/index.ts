import { stepPageController } from '../staff/step-page/controller';
import { audit } from './audit';
import { clientAccount } from './client-account';
import { info } from './info';
import { settings } from './settings';
import { staffAccount } from './staff-account';
import { stepController } from './step';
import { users } from './users';

export const controllers = {
  audit,
  info,
  settings,
  users,
  'client-step': stepController('clients'),
  'client-account': clientAccount,
  'staff-step': stepController('staff'),
  'staff-account': staffAccount,
  'step-page': stepPageController,
};
