import { info } from './info';
import { settings } from './settings';

export const controllers = { info, settings };
