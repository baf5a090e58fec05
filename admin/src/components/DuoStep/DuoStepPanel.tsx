import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/helper-plugin';
import { useIntl } from 'react-intl';

import type { StepResult, StepStart } from '../../../shared/api/step';
import { useDuoStep } from '../../../shared/hooks/useDuoStep';
import { getTrad } from '../../../shared/utils/getTrad';
import type { StepMessage } from '../../../shared/utils/stepMessages';
import { EnrollView } from './EnrollView';
import { useStepText } from '../../../shared/hooks/useStepText';
import { VerifyView } from './VerifyView';

export interface DuoStepPanelProps {
  start: StepStart;
  /** What the step is for, above everything else ("Turn on…", "Turn off…"). */
  intro: string;
  onResult(result: StepResult): void;
  onEnd(message: StepMessage): void;
  /** After Cancel: the step is closed on the server. */
  onCancelled(): void;
}

/** The Duo step inside the admin: enrolment (QR code) if needed, then one verification. */
export function DuoStepPanel({ start, intro, onResult, onEnd, onCancelled }: DuoStepPanelProps) {
  const { formatMessage } = useIntl();
  const text = useStepText();
  const { post } = useFetchClient();
  const step = useDuoStep(post, start, { onResult, onEnd });

  return (
    <Flex direction="column" alignItems="stretch" gap={4} data-testid="duo-step">
      <Typography as="p">{intro}</Typography>
      {step.problem !== null ? (
        <Box background="danger100" borderColor="danger200" hasRadius padding={3} role="alert">
          <Typography textColor="danger700">{text(step.problem)}</Typography>
        </Box>
      ) : null}
      <Box
        background="primary100"
        borderColor="primary200"
        hasRadius
        padding={3}
        role="status"
        aria-live="polite"
        hidden={step.status === null}
      >
        <Typography>{text(step.status)}</Typography>
      </Box>
      {step.verificationCode !== null ? (
        <Box background="success100" borderColor="success200" hasRadius padding={4}>
          <Typography as="p">
            {formatMessage({ id: getTrad('step.code'), defaultMessage: 'Type this code in Duo Mobile' })}
          </Typography>
          <Typography
            variant="alpha"
            as="p"
            aria-label={formatMessage({ id: getTrad('step.code.label'), defaultMessage: 'Verified Push code' })}
          >
            {step.verificationCode}
          </Typography>
        </Box>
      ) : null}
      {step.duo.result === 'enroll' ? <EnrollView duo={step.duo} /> : <VerifyView duo={step.duo} step={step} />}
      <Box>
        <Button
          variant="tertiary"
          onClick={async () => {
            await step.cancel();
            onCancelled();
          }}
        >
          {formatMessage({ id: getTrad('step.cancel'), defaultMessage: 'Cancel' })}
        </Button>
      </Box>
    </Flex>
  );
}
