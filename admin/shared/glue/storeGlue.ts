import { createDuoStepMiddleware } from './gatedRejection.ts';
import { handOff } from './handOff.ts';

/** Strapi 5's admin: a sign-in answered with the Duo step leaves for the plugin's Duo step page. */
export const duoStepMiddleware = createDuoStepMiddleware((required, rememberMe) =>
  handOff(required, window, rememberMe),
);
