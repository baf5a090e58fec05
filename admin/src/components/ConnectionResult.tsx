import { Box, Button, Flex, Icon, Typography } from '@strapi/design-system';
import { CheckCircle, ExclamationMarkCircle, Play } from '@strapi/icons';
import { useIntl } from 'react-intl';

import type { IntegrationType, ConnectionResult as Result } from '../../shared/api/types';
import { clockDirection, formatOffset } from '../../shared/utils/clock';
import { getTrad } from '../../shared/utils/getTrad';
import { outcomeText } from '../../shared/utils/outcomes';

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
    <Box
      as="section"
      aria-labelledby="duo-connection-title"
      data-testid="duo-connection-result"
      background="neutral0"
      hasRadius
      shadow="filterShadow"
      paddingTop={6}
      paddingBottom={6}
      paddingLeft={5}
      paddingRight={5}
    >
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex justifyContent="space-between" gap={4} wrap="wrap">
          <Typography variant="delta" as="h2" id="duo-connection-title">
            {formatMessage({ id: getTrad('settings.connection.title'), defaultMessage: 'Connection to Duo' })}
          </Typography>
          {canCheck ? (
            <Button variant="secondary" startIcon={<Play />} loading={isChecking} onClick={onCheck}>
              {formatMessage({ id: getTrad('settings.connection.test'), defaultMessage: 'Test connection' })}
            </Button>
          ) : null}
        </Flex>
        {result === null ? (
          <Typography as="p" textColor="neutral600">
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
    </Box>
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

  return (
    <Flex direction="column" alignItems="stretch" gap={3} role="status" aria-live="polite">
      <Flex gap={2} alignItems="center">
        <Icon
          as={result.ok ? CheckCircle : ExclamationMarkCircle}
          color={result.ok ? 'success600' : 'danger600'}
          width="1.25rem"
          height="1.25rem"
          aria-hidden
        />
        <Typography fontWeight="bold" textColor={result.ok ? 'success700' : 'danger700'} data-outcome={result.outcome}>
          {formatMessage(text.title)}
        </Typography>
      </Flex>
      <Typography as="p">{formatMessage(text.advice)}</Typography>
      {!result.ok ? (
        <Typography as="p" textColor="neutral600">
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

function ClockOffset({ offsetMs }: { offsetMs: number }) {
  const { formatMessage } = useIntl();
  const offset = formatOffset(offsetMs);
  const messages = {
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
  return (
    <Typography as="p" data-testid="duo-clock-offset">
      {formatMessage(messages[clockDirection(offsetMs)], { offset })}
    </Typography>
  );
}

function ClockWarning() {
  const { formatMessage } = useIntl();
  return (
    <Box data-testid="duo-clock-warning" background="warning100" borderColor="warning200" hasRadius padding={4}>
      <Flex alignItems="flex-start" gap={3}>
        <Icon as={ExclamationMarkCircle} color="warning600" width="1.25rem" height="1.25rem" aria-hidden />
        <Flex direction="column" alignItems="stretch" gap={1}>
          <Typography fontWeight="bold" textColor="neutral800">
            {formatMessage({
              id: getTrad('settings.connection.clock.warning.title'),
              defaultMessage: 'The server clock is too far from Duo’s',
            })}
          </Typography>
          <Typography as="p" textColor="neutral800">
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
