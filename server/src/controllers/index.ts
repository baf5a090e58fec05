import { stepPageController } from '../staff/step-page/controller';
import { clientAccount } from './client-account';
import { info } from './info';
import { settings } from './settings';
import { stepController } from './step';

export const controllers = {
  info,
  settings,
  'client-step': stepController('clients'),
  'client-account': clientAccount,
  'step-page': stepPageController,
};
