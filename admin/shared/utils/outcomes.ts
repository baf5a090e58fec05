import type { MessageDescriptor } from 'react-intl';

import type { ConnectionOutcome, IntegrationType } from '../api/types.ts';
import { getTrad } from './getTrad.ts';

interface OutcomeText {
  title: MessageDescriptor;
  advice: MessageDescriptor;
}

/** What each connection outcome means, in words for the person who pasted the keys, and what to do about it. */
export const OUTCOMES: Record<ConnectionOutcome, OutcomeText> = {
  ok: {
    title: { id: getTrad('settings.connection.ok.title'), defaultMessage: 'Connected to Duo' },
    advice: {
      id: getTrad('settings.connection.ok.advice'),
      defaultMessage: 'Duo accepted the keys: logins can use Duo.',
    },
  },
  'invalid-keys': {
    title: { id: getTrad('settings.connection.invalid-keys.title'), defaultMessage: 'Duo refused the keys' },
    advice: {
      id: getTrad('settings.connection.invalid-keys.advice'),
      defaultMessage:
        'The Integration Key or the Secret Key is wrong. Copy both again from the application in the Duo Admin Panel.',
    },
  },
  'wrong-application-type': {
    title: {
      id: getTrad('settings.connection.wrong-application-type.title'),
      defaultMessage: 'These keys belong to another type of Duo application',
    },
    advice: {
      id: getTrad('settings.connection.wrong-application-type.advice'),
      defaultMessage:
        'Use an Auth API application: in the Duo Admin Panel, Applications → Protect an Application → Auth API, then use its keys.',
    },
  },
  unreachable: {
    title: { id: getTrad('settings.connection.unreachable.title'), defaultMessage: 'Duo could not be reached' },
    advice: {
      id: getTrad('settings.connection.unreachable.advice'),
      defaultMessage:
        'Check the API Hostname, and that this server can open HTTPS connections to it (DNS, firewall, proxy).',
    },
  },
  timeout: {
    title: { id: getTrad('settings.connection.timeout.title'), defaultMessage: 'Duo did not answer in time' },
    advice: {
      id: getTrad('settings.connection.timeout.advice'),
      defaultMessage: 'Try again in a moment. If it keeps happening, check this server’s network path to Duo.',
    },
  },
  'rate-limited': {
    title: { id: getTrad('settings.connection.rate-limited.title'), defaultMessage: 'Duo is rate limiting requests' },
    advice: {
      id: getTrad('settings.connection.rate-limited.advice'),
      defaultMessage: 'Duo asked to slow down. Wait a minute, then test again.',
    },
  },
  'clock-skew': {
    title: {
      id: getTrad('settings.connection.clock-skew.title'),
      defaultMessage: 'The server clock does not match Duo’s',
    },
    advice: {
      id: getTrad('settings.connection.clock-skew.advice'),
      defaultMessage: 'Duo refused the request because of the time difference. Sync the server clock with NTP.',
    },
  },
  'not-configured': {
    title: { id: getTrad('settings.connection.not-configured.title'), defaultMessage: 'Duo is not configured yet' },
    advice: {
      id: getTrad('settings.connection.not-configured.advice'),
      defaultMessage: 'Enter the Integration Key, the Secret Key and the API Hostname.',
    },
  },
  'invalid-hostname': {
    title: {
      id: getTrad('settings.connection.invalid-hostname.title'),
      defaultMessage: 'The API Hostname is not valid',
    },
    advice: {
      id: getTrad('settings.connection.invalid-hostname.advice'),
      defaultMessage: 'Use the hostname shown in the Duo Admin Panel, such as api-XXXXXXXX.duosecurity.com.',
    },
  },
  error: {
    title: { id: getTrad('settings.connection.error.title'), defaultMessage: 'The connection check failed' },
    advice: {
      id: getTrad('settings.connection.error.advice'),
      defaultMessage: 'Duo answered with an error. The details below say what went wrong.',
    },
  },
};

function isKnownOutcome(outcome: string): outcome is ConnectionOutcome {
  return Object.prototype.hasOwnProperty.call(OUTCOMES, outcome);
}

/** The advice that names the Universal Prompt's own values (Client ID and Client Secret of a Web SDK application). */
const UNIVERSAL_ADVICE: Partial<Record<ConnectionOutcome, MessageDescriptor>> = {
  ok: {
    id: getTrad('settings.connection.universal.ok.advice'),
    defaultMessage: 'Duo accepted the Client ID and Client Secret: logins can use Duo.',
  },
  'invalid-keys': {
    id: getTrad('settings.connection.universal.invalid-keys.advice'),
    defaultMessage:
      'The Client ID or the Client Secret is wrong. Copy both again from the Web SDK application in the Duo Admin Panel.',
  },
  'wrong-application-type': {
    id: getTrad('settings.connection.universal.wrong-application-type.advice'),
    defaultMessage: 'Protect a Web SDK application in the Duo Admin Panel and use its Client ID and Client Secret.',
  },
  'not-configured': {
    id: getTrad('settings.connection.universal.not-configured.advice'),
    defaultMessage: 'Enter the Client ID, the Client Secret and the API Hostname.',
  },
};

/** Falls back to the generic text for an outcome this version of the page does not know. */
export function outcomeText(outcome: string, integration: IntegrationType = 'auth-api'): OutcomeText {
  const text = isKnownOutcome(outcome) ? OUTCOMES[outcome] : OUTCOMES.error;
  const advice = integration === 'universal' && isKnownOutcome(outcome) ? UNIVERSAL_ADVICE[outcome] : undefined;
  return advice === undefined ? text : { ...text, advice };
}
