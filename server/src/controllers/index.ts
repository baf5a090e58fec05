import { info } from './info';

export const controllers = { info };
