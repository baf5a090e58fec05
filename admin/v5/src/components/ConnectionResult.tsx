import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { CheckCircle, Play, WarningCircle } from '@strapi/icons';
import { useIntl } from 'react-intl';

import type { IntegrationType, ConnectionResult as Result } from '../../../shared/api/types.js';
import { clockDirection, formatOffset } from '../../../shared/utils/clock.js';
import { getTrad } from '../../../shared/utils/getTrad.js';
import { outcomeText } from '../../../shared/utils/outcomes.js';
import { Panel } from './Panel.js';

export interface ConnectionResultProps {
  result: Result | null;
  /** Shows Test connection (needs the update permission: the check uses the keys). */
  canCheck: boolean;
  isChecking: boolean;
  onCheck(): void;
  /** The type chosen in the form: the advice names its values (Client ID… for the Universal Prompt). */
  integration?: IntegrationType;
}

/** The last connection check in plain words, with the server clock's offset from Duo's and the NTP advice. */
export function ConnectionResult({ result, canCheck, isChecking, onCheck, integration }: ConnectionResultProps) {
  const { formatMessage, formatDate } = useIntl();

  return (
    <Panel labelledBy="duo-connection-title" testId="duo-connection-result">
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex justifyContent="space-between" gap={4} wrap="wrap">
          <Typography variant="delta" tag="h2" id="duo-connection-title">
            {formatMessage({ id: getTrad('settings.connection.title'), defaultMessage: 'Connection to Duo' })}
          </Typography>
          {canCheck ? (
            <Button variant="secondary" startIcon={<Play />} loading={isChecking} onClick={onCheck}>
              {formatMessage({ id: getTrad('settings.connection.test'), defaultMessage: 'Test connection' })}
            </Button>
          ) : null}
        </Flex>
        {result === null ? (
          <Typography tag="p" textColor="neutral600">
            {formatMessage({
              id: getTrad('settings.connection.none'),
              defaultMessage: 'Not checked yet. Test connection asks Duo whether it accepts the keys.',
            })}
          </Typography>
        ) : (
          <ResultDetails
            result={result}
            integration={integration ?? 'auth-api'}
            checkedAt={formatDate(result.checkedAt, { dateStyle: 'medium', timeStyle: 'medium' })}
          />
        )}
      </Flex>
    </Panel>
  );
}

function ResultDetails({
  result,
  checkedAt,
  integration,
}: {
  result: Result;
  checkedAt: string;
  integration: IntegrationType;
}) {
  const { formatMessage } = useIntl();
  const text = outcomeText(result.outcome, integration);
  // Design system 2 dropped `Icon`: the icon components take the theme colour themselves.
  const StatusIcon = result.ok ? CheckCircle : WarningCircle;

  return (
    <Flex direction="column" alignItems="stretch" gap={3} role="status" aria-live="polite">
      <Flex gap={2} alignItems="center">
        <StatusIcon fill={result.ok ? 'success600' : 'danger600'} width="2rem" height="2rem" aria-hidden />
        <Typography fontWeight="bold" textColor={result.ok ? 'success700' : 'danger700'} data-outcome={result.outcome}>
          {formatMessage(text.title)}
        </Typography>
      </Flex>
      <Typography tag="p">{formatMessage(text.advice)}</Typography>
      {!result.ok ? (
        <Typography tag="p" textColor="neutral600">
          {formatMessage(
            {
              id: getTrad('settings.connection.duoSaid'),
              defaultMessage: 'Duo said: {message}{code, select, none {} other { (code {code})}}',
            },
            { message: result.message, code: result.duoCode === undefined ? 'none' : String(result.duoCode) },
          )}
        </Typography>
      ) : null}
      {result.clockOffsetMs !== undefined ? <ClockOffset offsetMs={result.clockOffsetMs} /> : null}
      {result.clockSkewWarning ? <ClockWarning /> : null}
      <Typography variant="pi" textColor="neutral600">
        {formatMessage(
          { id: getTrad('settings.connection.checkedAt'), defaultMessage: 'Checked {when}' },
          { when: checkedAt },
        )}
      </Typography>
    </Flex>
  );
}

const CLOCK_MESSAGES = {
  'in-step': {
    id: getTrad('settings.connection.clock.inStep'),
    defaultMessage: 'Server clock offset from Duo: {offset} (in step).',
  },
  behind: {
    id: getTrad('settings.connection.clock.behind'),
    defaultMessage: 'Server clock offset from Duo: {offset} behind Duo’s clock.',
  },
  ahead: {
    id: getTrad('settings.connection.clock.ahead'),
    defaultMessage: 'Server clock offset from Duo: {offset} ahead of Duo’s clock.',
  },
} as const;

function ClockOffset({ offsetMs }: { offsetMs: number }) {
  const { formatMessage } = useIntl();
  return (
    <Typography tag="p" data-testid="duo-clock-offset">
      {formatMessage(CLOCK_MESSAGES[clockDirection(offsetMs)], { offset: formatOffset(offsetMs) })}
    </Typography>
  );
}

function ClockWarning() {
  const { formatMessage } = useIntl();
  return (
    <Box data-testid="duo-clock-warning" background="warning100" borderColor="warning200" hasRadius padding={4}>
      <Flex alignItems="flex-start" gap={3}>
        <WarningCircle fill="warning600" width="2rem" height="2rem" aria-hidden />
        <Flex direction="column" alignItems="stretch" gap={1}>
          <Typography fontWeight="bold" textColor="neutral800">
            {formatMessage({
              id: getTrad('settings.connection.clock.warning.title'),
              defaultMessage: 'The server clock is too far from Duo’s',
            })}
          </Typography>
          <Typography tag="p" textColor="neutral800">
            {formatMessage({
              id: getTrad('settings.connection.clock.warning.fix'),
              defaultMessage:
                'Logins would fail with “The second factor you supplied was incorrect”. Sync the server clock with NTP (for example chrony or systemd-timesyncd), then test the connection again.',
            })}
          </Typography>
        </Flex>
      </Flex>
    </Box>
  );
}
