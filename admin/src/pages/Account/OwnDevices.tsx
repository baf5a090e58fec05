import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/helper-plugin';
import { useIntl } from 'react-intl';
import { useQuery } from 'react-query';

import { DEVICES_PATH, OWN_DEVICES_MESSAGES as M, readOwnDevices } from '../../../shared/api/devices';
import { readApiError } from '../../../shared/api/errors';
import { pluginId } from '../../../shared/pluginId';

/**
 * "Your devices": what Duo's preauth gives for the signed-in administrator, what only Duo can do about them (the
 * Auth API adds, renames and removes no device of an existing Duo user), and the way to turn Duo off.
 */
export function OwnDevices({ busy, onTurnOff }: { busy: boolean; onTurnOff: () => void }) {
  const { formatMessage } = useIntl();
  const { get } = useFetchClient();
  // Not under the account's key: turning Duo off reloads the status, which unmounts this panel, and a devices
  // reload started then would be cancelled mid-flight (react-query logs that as an error). Each mount asks Duo
  // afresh. No retries: Duo out of reach is an answer to show, not a reason to ask again.
  const devices = useQuery(
    [pluginId, 'own-devices'],
    async () => {
      const answer = readOwnDevices((await get<{ data?: unknown }>(DEVICES_PATH)).data.data);
      if (answer === undefined) throw new Error('unreadable');
      return answer;
    },
    { retry: false, refetchOnWindowFocus: false },
  );
  const failure = devices.isError ? (readApiError(devices.error)?.message ?? formatMessage(M.loadError)) : null;
  return (
    <Box
      as="section"
      aria-labelledby="duo-devices-title"
      marginTop={6}
      background="neutral0"
      hasRadius
      shadow="filterShadow"
      paddingTop={6}
      paddingBottom={6}
      paddingLeft={7}
      paddingRight={7}
    >
      <Flex direction="column" alignItems="stretch" gap={3}>
        <Typography variant="delta" as="h2" id="duo-devices-title">
          {formatMessage(M.title)}
        </Typography>
        <Typography as="p">{formatMessage(M.intro)}</Typography>
        {failure !== null ? (
          <Typography as="p" textColor="danger600" role="alert">
            {failure}
          </Typography>
        ) : null}
        {devices.data !== undefined && devices.data.duo !== 'auth' ? (
          <Typography as="p">{formatMessage(M.none[devices.data.duo])}</Typography>
        ) : null}
        {devices.data !== undefined && devices.data.devices.length > 0 ? (
          <ul aria-labelledby="duo-devices-title">
            {devices.data.devices.map((device) => (
              <li key={device.id}>
                <Typography fontWeight="bold">{device.name}</Typography>{' '}
                <Typography textColor="neutral600">
                  ({[device.type, device.number || formatMessage(M.noNumber), ...device.capabilities].join(', ')})
                </Typography>
              </li>
            ))}
          </ul>
        ) : null}
        <Typography variant="omega" fontWeight="bold" as="h3">
          {formatMessage(M.addTitle)}
        </Typography>
        <Typography as="p">{formatMessage(M.add)}</Typography>
        <Typography as="p">{formatMessage(M.remove)}</Typography>
        {devices.data?.turnOffAllowed === false ? (
          <Typography as="p">{formatMessage(M.turnOffRequired)}</Typography>
        ) : (
          <Box>
            <Button variant="danger-light" loading={busy} onClick={onTurnOff}>
              {formatMessage(M.turnOff)}
            </Button>
          </Box>
        )}
      </Flex>
    </Box>
  );
}
