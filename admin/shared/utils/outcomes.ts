import type { MessageDescriptor } from 'react-intl';

import type { ConnectionOutcome } from '../api/types.ts';
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

/** Falls back to the generic text for an outcome this version of the page does not know. */
export function outcomeText(outcome: string): OutcomeText {
  return isKnownOutcome(outcome) ? OUTCOMES[outcome] : OUTCOMES.error;
}
