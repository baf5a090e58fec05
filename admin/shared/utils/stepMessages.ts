import type { MessageDescriptor } from 'react-intl';

import { getTrad } from './getTrad.ts';

/** A message of the Duo step: translated text, or the server's own words (Duo's, or a step error's). */
export type StepMessage = MessageDescriptor | string;

export const STEP_MESSAGES = {
  pushed: { id: getTrad('step.status.pushed'), defaultMessage: 'Duo Push sent. Approve it on your phone.' },
  calling: { id: getTrad('step.status.calling'), defaultMessage: 'Calling your phone…' },
  answered: {
    id: getTrad('step.status.answered'),
    defaultMessage: 'Call answered. Follow the instructions on the call.',
  },
  smsSent: {
    id: getTrad('step.status.smsSent'),
    defaultMessage: 'Passcodes sent by text message. Type one below.',
  },
  waiting: { id: getTrad('step.status.waiting'), defaultMessage: 'Waiting for Duo…' },
  activating: {
    id: getTrad('step.status.activating'),
    defaultMessage: 'Waiting for Duo Mobile to be activated…',
  },
  activated: {
    id: getTrad('step.status.activated'),
    defaultMessage: 'Duo Mobile is activated. Approve one request to finish.',
  },
  portal: {
    id: getTrad('step.status.portal'),
    defaultMessage: "Add a device in Duo's enrolment portal; this page notices when it is done.",
  },
  timeout: {
    id: getTrad('step.denied.timeout'),
    defaultMessage: 'The Duo request timed out: nobody answered it. Try again.',
  },
  fraud: {
    id: getTrad('step.denied.fraud'),
    defaultMessage: 'You reported the request as fraudulent, so it was refused. Try again.',
  },
  denied: { id: getTrad('step.denied.other'), defaultMessage: 'Duo refused the request. Try again.' },
  network: {
    id: getTrad('step.error.network'),
    defaultMessage: 'The server could not be reached. Check your connection and try again.',
  },
  passcodeFormat: {
    id: getTrad('step.error.passcodeFormat'),
    defaultMessage: 'Enter the passcode: 4 to 16 digits.',
  },
} satisfies Record<string, MessageDescriptor>;

/** A push's or call's progress, as Duo reports it. */
export function describeState(state: { duoStatus?: string; message?: string }): StepMessage {
  switch (state.duoStatus) {
    case 'pushed':
      return STEP_MESSAGES.pushed;
    case 'calling':
      return STEP_MESSAGES.calling;
    case 'answered':
      return STEP_MESSAGES.answered;
    default:
      return state.message ?? STEP_MESSAGES.waiting;
  }
}

export function deniedMessage(state: { duoStatus?: string }): StepMessage {
  if (state.duoStatus === 'timeout') return STEP_MESSAGES.timeout;
  if (state.duoStatus === 'fraud') return STEP_MESSAGES.fraud;
  return STEP_MESSAGES.denied;
}
