import type { Strapi } from '@strapi/strapi';

import { pluginConfig } from '../config';
import { transaction } from '../engine/db';
import { createStepEngine, type StepEngine } from '../engine/step';
import { selectHost } from '../hosts';
import { handRemembered } from '../hosts/remembered';
import { pluginService } from '../plugin-services';

/** The plugin's `step` service: the engine, given the plugin's services and the running host's adapters. */
export const stepService = ({ strapi }: { strapi: Strapi }): StepEngine => {
  const settings = pluginService(strapi, 'settings');
  const duo = pluginService(strapi, 'duo');
  return createStepEngine({
    store: pluginService(strapi, 'steps'),
    audit: pluginService(strapi, 'audit'),
    atomically: (work) => transaction(strapi, work),
    enrollments: pluginService(strapi, 'enrollments'),
    backupCodes: pluginService(strapi, 'backupCodes'),
    grace: pluginService(strapi, 'grace'),
    policy: pluginService(strapi, 'policy'),
    settings,
    secrets: settings,
    duo: (s) => duo.client(s),
    universal: (s) => duo.universal(s),
    adapters: selectHost(strapi).adapters(strapi),
    handRemembered,
    log: { warn: (message) => strapi.log.warn(message) },
    config: () => {
      const config = pluginConfig(strapi);
      return {
        stepTtlSeconds: config.stepTtlSeconds ?? 300,
        maxPasscodeAttempts: config.maxPasscodeAttempts ?? 5,
        maxPromptsPerStep: config.maxPromptsPerStep ?? 3,
        statusWaitMs: config.statusWaitMs ?? 25_000,
      };
    },
  });
};
