import { useIntl } from 'react-intl';

import type { StepMessage } from '../utils/stepMessages.ts';

/** Formats a step message: translated text, or the server's own words as they are. */
export function useStepText(): (message: StepMessage | null) => string {
  const { formatMessage } = useIntl();
  return (message) => (message === null ? '' : typeof message === 'string' ? message : formatMessage(message));
}
