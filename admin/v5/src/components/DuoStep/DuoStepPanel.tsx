import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import type { StepResult, StepStart } from '../../../../shared/api/step.js';
import { useDuoStep, type PostJson } from '../../../../shared/hooks/useDuoStep.js';
import { useStepText } from '../../../../shared/hooks/useStepText.js';
import { getTrad } from '../../../../shared/utils/getTrad.js';
import type { StepMessage } from '../../../../shared/utils/stepMessages.js';
import { EnrollView } from './EnrollView.js';
import { VerifyView } from './VerifyView.js';

export interface DuoStepPanelProps {
  start: StepStart;
  /** What the step is for, above everything else ("Turn on…", "Turn off…"). */
  intro: string;
  onResult(result: StepResult): void;
  onEnd(message: StepMessage): void;
  /** After Cancel: the step is closed on the server. */
  onCancelled(): void;
}

/** The Duo step inside the admin: enrolment (QR code) if needed, then one verification (Strapi 5 design system). */
export function DuoStepPanel({ start, intro, onResult, onEnd, onCancelled }: DuoStepPanelProps) {
  const { formatMessage } = useIntl();
  const text = useStepText();
  const { post } = useFetchClient();
  const postJson: PostJson = (url, body) => post(url, body);
  const step = useDuoStep(postJson, start, { onResult, onEnd });

  return (
    <Flex direction="column" alignItems="stretch" gap={4} data-testid="duo-step">
      <Typography tag="p">{intro}</Typography>
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
          <Typography tag="p">
            {formatMessage({ id: getTrad('step.code'), defaultMessage: 'Type this code in Duo Mobile' })}
          </Typography>
          <Typography
            variant="alpha"
            tag="p"
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
